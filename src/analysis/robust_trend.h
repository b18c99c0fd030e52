// Robust trend estimators over spans: Theil-Sen, Huber IRLS, lower envelope, robust R^2.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace perfleak::internal {

struct LineFit {
  double slope = 0.0;
  double intercept = 0.0;  ///< value at x = 0
};

/// Median of the values (NaN-free input); 0 for an empty span. Upper/lower middle averaged.
double Median(std::span<const double> values);

/// The k-th smallest of `values` (0-based, k < size), exactly; reorders them so that the
/// values before k are <= it and those after >= it, like std::nth_element. Quickselect
/// (Hoare 1961) with a median-of-three pivot and a branch-free partition, falling back to
/// std::nth_element if crafted input keeps the pivots bad. NaNs order after every number
/// (callers filter them; a NaN pivot must still end the loop).
double SelectInPlace(std::span<double> values, std::size_t k);

/// Median() without the copy: reorders `values`.
double MedianInPlace(std::span<double> values);

/// The k-th smallest of `values` (0-based, k < size; reorders them), exactly, for large
/// inputs: a uniform sample (seeded) brackets the rank (Floyd & Rivest 1975), one branch-free
/// pass counts the values below the bracket and keeps those in it, and the rank is selected
/// among the kept few; a bracket that misses k (rare) falls back to selecting among all.
/// `scratch` is reused between calls.
double SelectKth(std::span<double> values, std::size_t k, std::uint64_t seed,
                 std::vector<double>* scratch);

/// The values of ranks lo <= hi < size (0-based) of `values`, as a sort would place them, by
/// two selections (O(n)) on a copy.
std::pair<double, double> TwoOrderStatistics(std::span<const double> values, std::size_t lo,
                                             std::size_t hi);

/// Copies the values in [lo, hi] to `kept` (room for values.size() + 8), in order, counts
/// those below lo into *below and returns how many were kept: SelectKth's pass. With AVX-512
/// where the CPU has it, else a portable branch-free loop; the results are the same.
std::size_t KeepBetween(std::span<const double> values, double lo, double hi, double* kept,
                        std::size_t* below);

/// Median absolute deviation scaled to sigma for Gaussian data (x 1.4826); 0 when empty.
double MadSigma(std::span<const double> values);

/// Theil-Sen estimator: the median of the slopes of all pairs with distinct x (Theil 1950,
/// Sen 1968), intercept = median(y - slope * x). Computed exactly, without the O(n^2) pair
/// loop, by randomized interval shrinking on the slope axis (Matousek 1991; Dillencourt,
/// Mount & Netanyahu 1992): the pairs whose slope lies in (lo, hi] are the inversions between
/// the orders of the points by y - lo*x and by y - hi*x, so they are counted by merge sort in
/// O(n log n), sampled uniformly to pick a narrower interval, and enumerated once fewer than
/// a few n remain. Expected O(n log n). `seed` makes the sampling deterministic; the result
/// does not depend on it. x need not be sorted; all values must be finite. For an even count
/// of pairs the lower middle slope is returned. Fewer than two distinct x give slope 0.
LineFit TheilSen(std::span<const double> x, std::span<const double> y, std::uint64_t seed = 1);

/// Number of pairs i < j with a[i] > a[j] (merge sort, O(n log n)).
std::uint64_t CountInversions(std::span<const std::int64_t> a);

/// Huber M-estimate of a straight line by iteratively reweighted least squares (Huber 1964;
/// Holland & Welsch 1977), tuning constant k = 1.345 sigma (95 % efficiency under Gaussian
/// noise), sigma re-estimated by the MAD of the residuals each step, started from `start`.
/// Solves the weighted normal equations with Eigen's LDLT on centred x, so large x values
/// (ticks, hours since epoch) stay well conditioned.
LineFit HuberIrls(std::span<const double> x, std::span<const double> y, LineFit start,
                  int max_iterations = 20);

/// Robust coefficient of determination: 1 - (MAD of residuals / MAD of y)^2, clamped to
/// [0, 1] (Rousseeuw & Leroy 1987, ch. 2, the robust analogue of R^2). 0 for a constant y.
double RobustR2(std::span<const double> x, std::span<const double> y, LineFit fit);

/// Two-sided standard normal quantile: z with P(|Z| <= z) = confidence (bisection on erfc).
double NormalQuantileTwoSided(double confidence);

/// Confidence bounds of a slope.
struct SlopeBounds {
  double low = 0.0, high = 0.0;
};

/// The distribution-free confidence interval of a Theil-Sen slope (Sen 1968, section 5;
/// Hollander & Wolfe, "Nonparametric Statistical Methods", 1999, 9.4): the ordered pair slopes
/// at ranks (N -/+ z sqrt(Var S)) / 2, Var S = n(n-1)(2n+5)/18 the Mann-Kendall variance,
/// inflated by (1 + r1) / (1 - r1) for the lag-1 autocorrelation of the residuals around `fit`
/// (Yue & Wang 2004) so serially correlated counters get honest widths. The ranks are taken on
/// at most `max_points` evenly thinned points (all pairs enumerated, two selections instead of
/// a sort). The bounds always contain fit.slope. Needs two distinct x; else both = fit.slope.
SlopeBounds SenSlopeBounds(std::span<const double> x, std::span<const double> y, LineFit fit,
                           double confidence, std::size_t max_points = 300);

/// What a window of a series did, robustly: the median of its first `edge` values, the median
/// of its last `edge` values (edge = ObservedEdgeCount), and its highest value. Reports call
/// end - start the observed change; every section uses this one definition.
struct ObservedLevels {
  double start = 0.0, end = 0.0, peak = 0.0;
  double change() const { return end - start; }
};

/// Values per edge for a window of n samples: ceil(edge_share x n), at least 3, at most n.
std::size_t ObservedEdgeCount(std::size_t n, double edge_share);

/// ObservedLevels of finite values in time order; all zero for an empty span.
ObservedLevels ObserveWindow(std::span<const double> values, double edge_share);

/// Lower envelope: the centred rolling minimum over `window` samples (monotone deque,
/// Lemire 2006, O(n)). Follows the floor of a sawtooth (GC, caches) and ignores upward spikes.
std::vector<double> LowerEnvelope(std::span<const double> values, std::size_t window);

}  // namespace perfleak::internal
