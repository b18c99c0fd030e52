#include "analysis/trend_test.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <vector>

#include "analysis/cpu_dispatch.h"
#include "analysis/robust_trend.h"

namespace perfleak::internal {

namespace {

// Up to this many samples S and the ties are counted over all pairs (see PairCounts).
constexpr std::size_t kCountPairsUpTo = 512;

struct PairCounts {
  double concordant = 0.0, discordant = 0.0;
  double tie_pairs = 0.0;  ///< sum over tie groups of t (t - 1) / 2
  double tie_var = 0.0;    ///< sum over tie groups of t (t - 1) (2t + 5)
};

// Every pair compared, two (four with AVX2) at a time in GCC/Clang vector types (SSE2 on
// x86-64, NEON on ARM):
// O(n^2), but without a branch, so below a few hundred samples it takes half the time of
// sorting and merge-counting, whose comparisons mispredict on noisy data. The tie terms come
// without grouping: a value's e = number of equal values after it runs t - 1, ..., 0 over a
// group of t, and sum 6 e (e + 2) over those telescopes to t (t - 1) (2t + 5). All counts are
// integers far below 2^53, so the doubles are exact and equal the merge-count's.
template <std::size_t kLanes>
[[gnu::always_inline]] inline PairCounts CountPairsLanes(std::span<const double> y) {
  // Typedefs: GCC 12 drops a dependent vector_size on a `using` alias.
  typedef double V __attribute__((vector_size(kLanes * sizeof(double))));
  typedef std::int64_t Count __attribute__((vector_size(kLanes * sizeof(double))));
  const std::size_t n = y.size();
  std::int64_t up = 0, down = 0, tie_pairs = 0, tie_var = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double yi = y[i];
    Count above = {}, below = {}, equal = {};
    std::size_t j = i + 1;
    V e;
    for (; j + kLanes <= n; j += kLanes) {
      std::memcpy(&e, y.data() + j, sizeof e);
      above -= e > yi;  // a true lane is -1
      below -= e < yi;
      equal -= e == yi;
    }
    // Lanes summed through arrays: GCC 12 cannot subscript a vector type in a template.
    std::int64_t a[kLanes], b[kLanes], q[kLanes];
    std::memcpy(a, &above, sizeof a);
    std::memcpy(b, &below, sizeof b);
    std::memcpy(q, &equal, sizeof q);
    std::int64_t eq = 0;
    for (std::size_t lane = 0; lane < kLanes; ++lane) {
      up += a[lane];
      down += b[lane];
      eq += q[lane];
    }
    for (; j < n; ++j) {
      up += y[j] > yi ? 1 : 0;
      down += y[j] < yi ? 1 : 0;
      eq += y[j] == yi ? 1 : 0;
    }
    tie_pairs += eq;
    tie_var += 6 * eq * (eq + 2);
  }
  return {static_cast<double>(up), static_cast<double>(down), static_cast<double>(tie_pairs),
          static_cast<double>(tie_var)};
}

#ifdef PERFLEAK_X86_DISPATCH
__attribute__((target("avx2"))) PairCounts CountPairsAvx2(std::span<const double> y) {
  return CountPairsLanes<4>(y);
}
#endif

PairCounts CountPairs(std::span<const double> y) {
#ifdef PERFLEAK_X86_DISPATCH
  if (CpuHasAvx2()) return CountPairsAvx2(y);
#endif
  return CountPairsLanes<2>(y);
}

// The same counts in O(n log n): dense ranks (ties compare equal and are no inversions) and
// the inversions among them by merge sort.
PairCounts MergeCountPairs(std::span<const double> y) {
  const std::size_t n = y.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return y[a] < y[b]; });
  std::vector<std::int64_t> rank(n);
  std::int64_t current = 0;
  PairCounts c;
  std::size_t run = 1;
  for (std::size_t k = 0; k < n; ++k) {
    if (k > 0 && y[order[k]] != y[order[k - 1]]) ++current;
    rank[order[k]] = current;
    const bool run_ends = k + 1 == n || y[order[k + 1]] != y[order[k]];
    if (run_ends) {
      const double t = static_cast<double>(run);
      c.tie_pairs += t * (t - 1.0) / 2.0;
      c.tie_var += t * (t - 1.0) * (2.0 * t + 5.0);
      run = 1;
    } else {
      ++run;
    }
  }
  const double nd = static_cast<double>(n);
  c.discordant = static_cast<double>(CountInversions(rank));
  c.concordant = nd * (nd - 1.0) / 2.0 - c.discordant - c.tie_pairs;
  return c;
}

}  // namespace

MannKendallResult MannKendall(std::span<const double> y, std::span<const double> x, double slope) {
  MannKendallResult r;
  const std::size_t n = y.size();
  if (n < 3) return r;
  const PairCounts counts = n <= kCountPairsUpTo ? CountPairs(y) : MergeCountPairs(y);
  const double nd = static_cast<double>(n);
  const double pairs = nd * (nd - 1.0) / 2.0;
  r.s = counts.concordant - counts.discordant;
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
  const double base = (nd * (nd - 1.0) * (2.0 * nd + 5.0) - counts.tie_var) / 18.0;
  r.variance = base * (1.0 + r1) / (1.0 - r1);
  if (r.variance > 0.0 && std::isfinite(r.variance)) {
    const double corrected = r.s > 0 ? r.s - 1.0 : (r.s < 0 ? r.s + 1.0 : 0.0);
    r.z = corrected / std::sqrt(r.variance);
  }
  if (!std::isfinite(r.z)) r.z = 0.0;
  return r;
}

}  // namespace perfleak::internal
