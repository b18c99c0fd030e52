#include "analysis/change_point.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/robust_trend.h"

namespace perfleak::internal {

namespace {

// Prefix sums giving the least-squares line and its residual sum of squares of any range.
class LinearCost {
 public:
  LinearCost(std::span<const double> x, std::span<const double> y) {
    const std::size_t n = x.size();
    sx_.assign(n + 1, 0.0);
    sy_ = sxx_ = sxy_ = syy_ = sx_;
    for (std::size_t i = 0; i < n; ++i) {
      sx_[i + 1] = sx_[i] + x[i];
      sy_[i + 1] = sy_[i] + y[i];
      sxx_[i + 1] = sxx_[i] + x[i] * x[i];
      sxy_[i + 1] = sxy_[i] + x[i] * y[i];
      syy_[i + 1] = syy_[i] + y[i] * y[i];
    }
  }

  // Residual sum of squares of the line through [b, e) and its coefficients.
  double Cost(std::size_t b, std::size_t e, double* slope = nullptr,
              double* intercept = nullptr) const {
    const double n = static_cast<double>(e - b);
    const double sx = sx_[e] - sx_[b], sy = sy_[e] - sy_[b];
    const double cxx = (sxx_[e] - sxx_[b]) - sx * sx / n;
    const double cxy = (sxy_[e] - sxy_[b]) - sx * sy / n;
    const double cyy = (syy_[e] - syy_[b]) - sy * sy / n;
    double b1 = cxx > 1e-12 * (1.0 + std::fabs(sxx_[e] - sxx_[b])) ? cxy / cxx : 0.0;
    if (!std::isfinite(b1)) b1 = 0.0;
    if (slope != nullptr) *slope = b1;
    if (intercept != nullptr) *intercept = (sy - b1 * sx) / n;
    const double rss = cyy - b1 * cxy;
    return std::isfinite(rss) ? std::max(rss, 0.0) : 0.0;
  }

 private:
  std::vector<double> sx_, sy_, sxx_, sxy_, syy_;
};

}  // namespace

std::vector<Segment> PeltLinear(std::span<const double> x, std::span<const double> y,
                                const PeltOptions& options) {
  const std::size_t n_in = std::min(x.size(), y.size());
  std::vector<Segment> result;
  if (n_in == 0) return result;
  // Block means bound the search on long series; boundaries map back to block starts.
  const std::size_t max_points = std::max<std::size_t>(options.max_points, 16);
  const std::size_t block = (n_in + max_points - 1) / max_points;
  const std::size_t n = (n_in + block - 1) / block;
  std::vector<double> bx(n), by(n);
  const double x0 = x[0];
  double ymid = y[0];
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t b = i * block, e = std::min(n_in, b + block);
    double sx = 0.0, sy = 0.0;
    for (std::size_t k = b; k < e; ++k) {
      sx += x[k] - x0;
      sy += y[k];
    }
    bx[i] = sx / static_cast<double>(e - b);
    by[i] = sy / static_cast<double>(e - b);
  }
  ymid = Median(by);
  // Work in units of the noise standard deviation so that the penalty is dimensionless and
  // prefix sums of huge counters (1e18) stay in range.
  std::vector<double> diffs;
  diffs.reserve(n);
  for (std::size_t i = 1; i < n; ++i) diffs.push_back(by[i] - by[i - 1]);
  double scale = MadSigma(diffs) / std::sqrt(2.0);
  double magnitude = 0.0;
  for (double& v : by) magnitude = std::max(magnitude, std::fabs(v - ymid));
  scale = std::max(scale, 1e-9 * std::max(magnitude, 1e-300));
  if (!(scale > 0.0) || !std::isfinite(scale)) scale = 1.0;
  for (double& v : by) v = (v - ymid) / scale;
  const LinearCost cost(bx, by);

  const std::size_t min_seg = std::max<std::size_t>(options.min_segment, 2);
  const double penalty = options.penalty_factor > 0.0
                             ? options.penalty_factor * std::log(static_cast<double>(n))
                             : 3.0 * std::log(std::max(static_cast<double>(n), 3.0));
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<double> best(n + 1, kInf);
  std::vector<std::size_t> last(n + 1, 0);
  best[0] = -penalty;
  std::vector<std::size_t> candidates;
  std::vector<std::size_t> kept;
  std::vector<double> reach;  // best[s] + cost of (s, t], per candidate; reused by the pruning
  for (std::size_t t = 1; t <= n; ++t) {
    if (t >= min_seg && std::isfinite(best[t - min_seg])) candidates.push_back(t - min_seg);
    if (candidates.empty()) continue;
    double f = kInf;
    std::size_t arg = 0;
    reach.resize(candidates.size());
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      reach[c] = best[candidates[c]] + cost.Cost(candidates[c], t);
      const double v = reach[c] + penalty;
      if (v < f) {
        f = v;
        arg = candidates[c];
      }
    }
    best[t] = f;
    last[t] = arg;
    kept.clear();
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      if (reach[c] <= f) kept.push_back(candidates[c]);
    }
    candidates.swap(kept);
  }
  if (!std::isfinite(best[n])) {
    best[n] = cost.Cost(0, n);
    last[n] = 0;
  }
  std::vector<std::size_t> bounds{n};
  for (std::size_t t = n; t > 0;) {
    t = last[t];
    bounds.push_back(t);
  }
  std::reverse(bounds.begin(), bounds.end());
  for (std::size_t k = 0; k + 1 < bounds.size(); ++k) {
    Segment seg;
    double slope = 0.0, intercept = 0.0;
    cost.Cost(bounds[k], bounds[k + 1], &slope, &intercept);
    seg.begin = bounds[k] * block;
    seg.end = std::min(n_in, bounds[k + 1] * block);
    seg.slope = slope * scale;
    seg.intercept = intercept * scale + ymid - seg.slope * x0;
    result.push_back(seg);
  }
  return result;
}

}  // namespace perfleak::internal
