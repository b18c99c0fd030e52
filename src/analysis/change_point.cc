#include "analysis/change_point.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "analysis/cpu_dispatch.h"
#include "analysis/robust_trend.h"

namespace perfleak::internal {

namespace {

constexpr double kMaxFinite = std::numeric_limits<double>::max();

// Sums of x, y, x^2, xy, y^2 over a prefix of the series.
struct Moments {
  double sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0, syy = 0.0;
};

// Residual sum of squares of the least-squares line through the points between prefixes b
// and e (n points), and its slope. One expression for the scalar and the vector loop, so the
// two give the same bits. Branch-free (the division is done and discarded when the x spread
// is too small) and isfinite() spelled as a comparison, so the candidate loop vectorises.
inline double SegmentCost(const Moments& e, double bsx, double bsy, double bsxx, double bsxy,
                          double bsyy, double n, double* slope) {
  const double sx = e.sx - bsx, sy = e.sy - bsy;
  const double dxx = e.sxx - bsxx;
  const double cxx = dxx - sx * sx / n;
  const double cxy = (e.sxy - bsxy) - sx * sy / n;
  const double cyy = (e.syy - bsyy) - sy * sy / n;
  const double q = cxy / cxx;
  double b1 = cxx > 1e-12 * (1.0 + std::fabs(dxx)) ? q : 0.0;
  b1 = std::fabs(b1) <= kMaxFinite ? b1 : 0.0;
  *slope = b1;
  const double rss = cyy - b1 * cxy;
  return std::fabs(rss) <= kMaxFinite ? std::max(rss, 0.0) : 0.0;
}

// Prefix moments of the series: the least-squares line and residual sum of squares of any
// range in O(1).
class LinearCost {
 public:
  LinearCost(std::span<const double> x, std::span<const double> y) : prefix_(x.size() + 1) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      const Moments& p = prefix_[i];
      prefix_[i + 1] = {p.sx + x[i], p.sy + y[i], p.sxx + x[i] * x[i], p.sxy + x[i] * y[i],
                        p.syy + y[i] * y[i]};
    }
  }

  const Moments& At(std::size_t i) const { return prefix_[i]; }

  // Residual sum of squares of the line through [b, e) and its coefficients.
  double Cost(std::size_t b, std::size_t e, double* slope, double* intercept) const {
    const Moments& mb = prefix_[b];
    const double n = static_cast<double>(e - b);
    const double rss = SegmentCost(prefix_[e], mb.sx, mb.sy, mb.sxx, mb.sxy, mb.syy, n, slope);
    *intercept = ((prefix_[e].sy - mb.sy) - *slope * (prefix_[e].sx - mb.sx)) / n;
    return rss;
  }

 private:
  std::vector<Moments> prefix_;
};

// The PELT candidates (segment starts still worth trying) as columns of what the cost of a
// segment from each needs: the loop over them at every step is the search's whole cost, and
// over contiguous columns it runs two or four candidates per instruction.
struct Candidates {
  std::vector<std::size_t> start;
  std::vector<double> best, at, sx, sy, sxx, sxy, syy, reach;

  std::size_t size() const { return start.size(); }
  // Empties the columns and keeps their memory: a search over n points adds up to n
  // candidates, and growing nine columns from nothing on every call was a measurable share of
  // judging a short series (malloc and free were a tenth of a folder's analysis).
  void Clear(std::size_t capacity) {
    start.clear();
    start.reserve(capacity);
    for (std::vector<double>* v : {&best, &at, &sx, &sy, &sxx, &sxy, &syy, &reach}) {
      v->clear();
      v->reserve(capacity);
    }
  }
  void Add(std::size_t s, double best_s, const Moments& m) {
    start.push_back(s);
    best.push_back(best_s);
    at.push_back(static_cast<double>(s));
    sx.push_back(m.sx);
    sy.push_back(m.sy);
    sxx.push_back(m.sxx);
    sxy.push_back(m.sxy);
    syy.push_back(m.syy);
  }
  // best[s] + cost of (s, t] for every candidate s, into `reach`.
  void Reach(const Moments& e, double t);
  // Keeps the candidates whose reach is at most `f` (PELT's pruning), in order.
  void Prune(double f) {
    // Most steps prune nothing or little: the columns move only from the first one dropped.
    std::size_t kept = 0;
    while (kept < size() && reach[kept] <= f) ++kept;
    if (kept == size()) return;
    for (std::size_t c = kept + 1; c < size(); ++c) {
      if (!(reach[c] <= f)) continue;
      start[kept] = start[c];
      for (std::vector<double>* v : {&best, &at, &sx, &sy, &sxx, &sxy, &syy}) (*v)[kept] = (*v)[c];
      ++kept;
    }
    start.resize(kept);
    for (std::vector<double>* v : {&best, &at, &sx, &sy, &sxx, &sxy, &syy}) v->resize(kept);
  }
};

// Candidates::Reach for kLanes candidates at a time, in GCC/Clang vector types: SegmentCost
// written out lane-wise (the compiler does not vectorise it itself because of its selects).
// The same IEEE operations in the same order per lane, so the bits are the scalar ones.
// Returns how many candidates were done; the rest (fewer than kLanes) are left to the caller.
template <std::size_t kLanes>
[[gnu::always_inline]] inline std::size_t ReachLanes(const Candidates& cand, const Moments& e,
                                                     double t, double* reach) {
  // A typedef: GCC 12 drops a dependent vector_size on a `using` alias.
  typedef double V __attribute__((vector_size(kLanes * sizeof(double))));
  const V zero = {};
  const std::size_t m = cand.size();
  std::size_t c = 0;
  // Loads by memcpy into locals: no helper returns a vector, so none crosses a call between
  // the AVX2 variant and baseline code (their vector ABIs differ).
  V at, sx, sy, sxx, sxy, syy, best;
  for (; c + kLanes <= m; c += kLanes) {
    std::memcpy(&at, cand.at.data() + c, sizeof at);
    std::memcpy(&sx, cand.sx.data() + c, sizeof sx);
    std::memcpy(&sy, cand.sy.data() + c, sizeof sy);
    std::memcpy(&sxx, cand.sxx.data() + c, sizeof sxx);
    std::memcpy(&sxy, cand.sxy.data() + c, sizeof sxy);
    std::memcpy(&syy, cand.syy.data() + c, sizeof syy);
    std::memcpy(&best, cand.best.data() + c, sizeof best);
    const V n = t - at;
    const V dx = e.sx - sx, dy = e.sy - sy;
    const V dxx = e.sxx - sxx;
    const V cxx = dxx - dx * dx / n;
    const V cxy = (e.sxy - sxy) - dx * dy / n;
    const V cyy = (e.syy - syy) - dy * dy / n;
    const V q = cxy / cxx;
    const V abs_dxx = dxx < zero ? -dxx : dxx;
    V b1 = cxx > 1e-12 * (1.0 + abs_dxx) ? q : zero;
    b1 = ((b1 <= kMaxFinite) & (b1 >= -kMaxFinite)) ? b1 : zero;
    const V rss = cyy - b1 * cxy;
    const V cost = ((rss <= kMaxFinite) & (rss >= -kMaxFinite)) ? (rss < zero ? zero : rss) : zero;
    const V r = best + cost;
    std::memcpy(reach + c, &r, sizeof r);
  }
  return c;
}

#ifdef PERFLEAK_X86_DISPATCH
// Four candidates per instruction (and the divisions, most of the cost, twice as fast).
__attribute__((target("avx2"))) std::size_t ReachAvx2(const Candidates& cand, const Moments& e,
                                                      double t, double* reach) {
  return ReachLanes<4>(cand, e, t, reach);
}
#endif

void Candidates::Reach(const Moments& e, double t) {
  const std::size_t m = size();
  reach.resize(m);
#ifdef PERFLEAK_X86_DISPATCH
  std::size_t c = CpuHasAvx2() ? ReachAvx2(*this, e, t, reach.data())
                               : ReachLanes<2>(*this, e, t, reach.data());
#else
  std::size_t c = ReachLanes<2>(*this, e, t, reach.data());
#endif
  for (; c < m; ++c) {
    double slope;
    reach[c] = best[c] + SegmentCost(e, sx[c], sy[c], sxx[c], sxy[c], syy[c], t - at[c], &slope);
  }
}

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
  thread_local Candidates candidates;
  candidates.Clear(n);
  for (std::size_t t = 1; t <= n; ++t) {
    if (t >= min_seg && std::isfinite(best[t - min_seg])) {
      candidates.Add(t - min_seg, best[t - min_seg], cost.At(t - min_seg));
    }
    if (candidates.size() == 0) continue;
    candidates.Reach(cost.At(t), static_cast<double>(t));
    double f = kInf;
    std::size_t arg = 0;
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      const double v = candidates.reach[c] + penalty;
      if (v < f) {
        f = v;
        arg = candidates.start[c];
      }
    }
    best[t] = f;
    last[t] = arg;
    candidates.Prune(f);
  }
  if (!std::isfinite(best[n])) last[n] = 0;
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
