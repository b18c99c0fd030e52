// Change-point detection: PELT over piecewise-linear segments.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace perfleak::internal {

struct Segment {
  std::size_t begin = 0, end = 0;       ///< sample range [begin, end)
  double slope = 0.0, intercept = 0.0;  ///< least-squares line over the range (y = a + b x)
};

struct PeltOptions {
  /// Penalty per change point in units of the noise variance; <= 0 selects MBIC,
  /// 3 log n (Zhang & Siegmund 2007 for 2 parameters + location).
  double penalty_factor = 0.0;
  std::size_t min_segment = 4;  ///< in (aggregated) points
  /// Longer series are averaged into at most this many blocks first, bounding the worst case.
  std::size_t max_points = 400;
};

/// Pruned Exact Linear Time search (Killick, Fearnhead & Eckley 2012) for the optimal
/// partition of (x, y) into straight-line segments, cost = residual sum of squares of each
/// segment's least-squares line, evaluated in O(1) from prefix sums of x, y, x^2, xy, y^2.
/// The noise variance in the penalty is estimated from first differences (MAD / sqrt 2), so
/// a smooth trend is not mistaken for noise. Expected O(n) when changes are spread out; long
/// series are first averaged into blocks (max_points), so the cost is O(n) plus a bounded
/// search. Returns at least one segment for n >= 1; x must be non-decreasing.
std::vector<Segment> PeltLinear(std::span<const double> x, std::span<const double> y,
                                const PeltOptions& options = {});

}  // namespace perfleak::internal
