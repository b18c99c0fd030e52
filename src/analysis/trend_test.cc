#include "analysis/trend_test.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "analysis/robust_trend.h"

namespace perfleak::internal {

MannKendallResult MannKendall(std::span<const double> y, std::span<const double> x, double slope) {
  MannKendallResult r;
  const std::size_t n = y.size();
  if (n < 3) return r;
  // Dense ranks, so ties compare equal and do not count as inversions.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return y[a] < y[b]; });
  std::vector<std::int64_t> rank(n);
  std::int64_t current = 0;
  double tie_pairs = 0.0, tie_var = 0.0;
  std::size_t run = 1;
  for (std::size_t k = 0; k < n; ++k) {
    if (k > 0 && y[order[k]] != y[order[k - 1]]) ++current;
    rank[order[k]] = current;
    const bool run_ends = k + 1 == n || y[order[k + 1]] != y[order[k]];
    if (run_ends) {
      const double t = static_cast<double>(run);
      tie_pairs += t * (t - 1.0) / 2.0;
      tie_var += t * (t - 1.0) * (2.0 * t + 5.0);
      run = 1;
    } else {
      ++run;
    }
  }
  const double nd = static_cast<double>(n);
  const double pairs = nd * (nd - 1.0) / 2.0;
  const double discordant = static_cast<double>(CountInversions(rank));
  const double concordant = pairs - discordant - tie_pairs;
  r.s = concordant - discordant;
  r.tau = r.s / pairs;

  double mean = 0.0;
  std::vector<double> e(n);
  for (std::size_t i = 0; i < n; ++i) {
    e[i] = y[i] - (i < x.size() ? slope * x[i] : 0.0);
    mean += e[i];
  }
  mean /= nd;
  double num = 0.0, den = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    den += (e[i] - mean) * (e[i] - mean);
    if (i + 1 < n) num += (e[i] - mean) * (e[i + 1] - mean);
  }
  double r1 = den > 0.0 ? num / den : 0.0;
  if (!std::isfinite(r1)) r1 = 0.0;
  r1 = std::clamp(r1, 0.0, 0.98);
  r.lag1_autocorrelation = r1;
  const double base = (nd * (nd - 1.0) * (2.0 * nd + 5.0) - tie_var) / 18.0;
  r.variance = base * (1.0 + r1) / (1.0 - r1);
  if (r.variance > 0.0 && std::isfinite(r.variance)) {
    const double corrected = r.s > 0 ? r.s - 1.0 : (r.s < 0 ? r.s + 1.0 : 0.0);
    r.z = corrected / std::sqrt(r.variance);
  }
  if (!std::isfinite(r.z)) r.z = 0.0;
  return r;
}

}  // namespace perfleak::internal
