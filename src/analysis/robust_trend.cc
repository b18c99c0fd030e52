#include "analysis/robust_trend.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <limits>
#include <numeric>
#include <random>

#include "analysis/cpu_dispatch.h"
#ifdef PERFLEAK_X86_DISPATCH
#include <immintrin.h>
#endif

namespace perfleak::internal {

namespace {

#ifdef PERFLEAK_X86_DISPATCH
// KeepBetween eight values at a time, as far as whole groups of eight go (returns how many
// values it took): two compares give the masks, vcompresspd packs the values inside to the
// front of a register, which is stored whole (hence the 8 values of room). No branch on the
// data, 4x the portable loop.
__attribute__((target("avx512f"))) std::size_t KeepBetweenAvx512(std::span<const double> v,
                                                                 double lo, double hi, double* kept,
                                                                 std::size_t* inside,
                                                                 std::size_t* below) {
  const __m512d vlo = _mm512_set1_pd(lo), vhi = _mm512_set1_pd(hi);
  std::size_t i = 0;
  for (; i + 8 <= v.size(); i += 8) {
    const __m512d e = _mm512_loadu_pd(v.data() + i);
    const __mmask8 lt = _mm512_cmp_pd_mask(e, vlo, _CMP_LT_OQ);
    const __mmask8 in =
        _mm512_mask_cmp_pd_mask(_mm512_cmp_pd_mask(e, vlo, _CMP_GE_OQ), e, vhi, _CMP_LE_OQ);
    _mm512_storeu_pd(kept + *inside, _mm512_maskz_compress_pd(in, e));
    *inside += static_cast<std::size_t>(__builtin_popcount(in));
    *below += static_cast<std::size_t>(__builtin_popcount(lt));
  }
  return i;
}
#endif

}  // namespace

std::size_t KeepBetween(std::span<const double> v, double lo, double hi, double* kept,
                        std::size_t* below) {
  std::size_t inside = 0, under = 0, i = 0;
#ifdef PERFLEAK_X86_DISPATCH
  // Whole groups of eight there; the rest below.
  if (CpuHasAvx512()) i = KeepBetweenAvx512(v, lo, hi, kept, &inside, &under);
#endif
  // Branch-free: every value is written, only those inside advance.
  for (; i < v.size(); ++i) {
    const double e = v[i];
    kept[inside] = e;
    inside += static_cast<std::size_t>(e >= lo) & static_cast<std::size_t>(e <= hi);
    under += e < lo ? 1 : 0;
  }
  *below = under;
  return inside;
}

namespace {

// x < y with NaN after every number: a strict weak order even when NaNs are present.
bool NaNLastLess(double x, double y) { return x < y || (!std::isnan(x) && std::isnan(y)); }

// Moves the values of a[0, n) below `pivot` to the front and the rest (NaN included) after
// them; returns how many are below. Branch-free: every value is written, only one side's
// count advances.
[[gnu::always_inline]] inline std::size_t PartitionBelowBody(double* a, std::size_t n,
                                                             double pivot) {
  std::size_t store = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double e = a[i];
    a[i] = a[store];
    a[store] = e;
    store += e < pivot ? 1 : 0;
  }
  return store;
}

#ifdef PERFLEAK_X86_DISPATCH
// PartitionBelow eight values at a time: one compare gives the mask, vcompresspd packs each
// side to the front of a register, stored whole (the values below go back into `a`, never
// past what was read; the others to `spill`, copied after them at the end). Order within a
// side is kept, which the scalar swap does not do, but a selection only needs the split.
// Medians of 80-4,560 values select 1.5-1.9x faster with it than with the scalar loop.
__attribute__((target("avx512f"))) std::size_t PartitionBelowAvx512(double* a, std::size_t n,
                                                                    double pivot, double* spill) {
  const __m512d p = _mm512_set1_pd(pivot);
  std::size_t below = 0, above = 0, i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m512d e = _mm512_loadu_pd(a + i);
    const __mmask8 lt = _mm512_cmp_pd_mask(e, p, _CMP_LT_OQ);
    _mm512_storeu_pd(a + below, _mm512_maskz_compress_pd(lt, e));
    _mm512_storeu_pd(spill + above, _mm512_maskz_compress_pd(static_cast<__mmask8>(~lt), e));
    const auto k = static_cast<std::size_t>(__builtin_popcount(lt));
    below += k;
    above += 8 - k;
  }
  for (; i < n; ++i) {
    const double e = a[i];
    if (e < pivot) {
      a[below++] = e;
    } else {
      spill[above++] = e;
    }
  }
  std::memcpy(a + below, spill, above * sizeof(double));
  return below;
}
#endif

std::size_t PartitionBelow(double* a, std::size_t n, double pivot) {
#ifdef PERFLEAK_X86_DISPATCH
  // The spill buffer stays with the thread, so it is kept to what the detector's selections
  // need (pair slopes of up to 4,096, block medians); a rare larger range takes the scalar loop.
  constexpr std::size_t kMaxSpill = std::size_t{1} << 16;
  if (n >= 16 && n <= kMaxSpill && CpuHasAvx512()) {
    thread_local std::vector<double> spill;
    if (spill.size() < n + 8) spill.resize(n + 8);
    return PartitionBelowAvx512(a, n, pivot, spill.data());
  }
#endif
  return PartitionBelowBody(a, n, pivot);
}

}  // namespace

double SelectInPlace(std::span<double> v, std::size_t k) {
  std::size_t lo = 0, hi = v.size();
  double* a = v.data();
  const auto median3 = [](double x, double y, double z) {
    return std::max(std::min(x, y), std::min(std::max(x, y), z));
  };
  // Structured input (sorted runs, sawtooths, crafted data) can make the pivots bad; after
  // two rounds that keep more than 3/4 of a range over 256 values, the rest goes to
  // std::nth_element (introselect, O(n log n) worst case), so at most two passes are wasted.
  // Smaller ranges are exempt: their worst case is bounded anyway, and median-of-3 pivots keep
  // 3/4 of a few dozen values by chance so often that a third of the 80-value block medians
  // fell back (10 % of the analysis time on a wide log).
  int bad_rounds = 0;
  while (hi - lo > 8) {  // insertion sort below: measured best for 80-value blocks
    const std::size_t n = hi - lo;
    double pivot = median3(a[lo], a[lo + n / 2], a[hi - 1]);
    if (n > 256) {
      // Tukey's ninther: the median of three medians of three spread over the range.
      const std::size_t s = n / 8;
      pivot = median3(median3(a[lo], a[lo + s], a[lo + 2 * s]),
                      median3(a[lo + 3 * s], a[lo + 4 * s], a[lo + 5 * s]),
                      median3(a[lo + 6 * s], a[lo + 7 * s], a[hi - 1]));
    }
    // Branch-free: which side an element goes to is data-dependent, so a branch would
    // mispredict about half the time (3x slower on 80-value blocks).
    std::size_t store = lo + PartitionBelow(a + lo, n, pivot);
    if (k < store) {
      hi = store;
    } else if (store == lo) {
      // The pivot is the range's minimum; move its copies to the front so the range shrinks.
      for (std::size_t i = lo; i < hi; ++i) {
        const double e = a[i];
        a[i] = a[store];
        a[store] = e;
        store += e <= pivot ? 1 : 0;
      }
      if (k < store) return pivot;
      if (store == lo) {
        // Nothing compares with the pivot: it is NaN. NaNs order after every number, so
        // they go to the back and the numbers before them are selected from; without this
        // the range never shrinks and the loop never ends.
        const double* const nans =
            std::partition(a + lo, a + hi, [](double e) { return !std::isnan(e); });
        const auto numbers = static_cast<std::size_t>(nans - a);
        if (k >= numbers) return a[k];
        hi = numbers;
        continue;
      }
      lo = store;
    } else {
      lo = store;
    }
    if (n > 256 && 4 * (hi - lo) > 3 * n && ++bad_rounds >= 2) {
      std::nth_element(a + lo, a + k, a + hi, NaNLastLess);
      return a[k];
    }
  }
  for (std::size_t i = lo + 1; i < hi; ++i) {
    const double e = a[i];
    std::size_t j = i;
    for (; j > lo && NaNLastLess(e, a[j - 1]); --j) a[j] = a[j - 1];
    a[j] = e;
  }
  return a[k];
}

double MedianInPlace(std::span<double> v) {
  if (v.empty()) return 0.0;
  const std::size_t mid = v.size() / 2;
  const double upper = SelectInPlace(v, mid);
  if (v.size() % 2 == 1) return upper;
  const double lower = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
  return lower + (upper - lower) / 2.0;
}

double Median(std::span<const double> values) {
  std::vector<double> v(values.begin(), values.end());
  return MedianInPlace(v);
}

double MadSigma(std::span<const double> values) {
  if (values.empty()) return 0.0;
  // Called in every IRLS step and per window: one reused buffer instead of three allocations.
  thread_local std::vector<double> work;
  work.assign(values.begin(), values.end());
  const double med = MedianInPlace(work);
  for (std::size_t i = 0; i < values.size(); ++i) work[i] = std::fabs(values[i] - med);
  return 1.4826 * MedianInPlace(work);
}

std::pair<double, double> TwoOrderStatistics(std::span<const double> values, std::size_t lo,
                                             std::size_t hi) {
  thread_local std::vector<double> work;
  work.assign(values.begin(), values.end());
  const double a = SelectInPlace(work, lo);
  // The selection leaves the larger values after rank lo, so rank hi is found among them.
  const double b =
      hi == lo ? a : SelectInPlace(std::span<double>(work).subspan(lo + 1), hi - lo - 1);
  return {a, b};
}

double SelectKth(std::span<double> v, std::size_t k, std::uint64_t seed,
                 std::vector<double>* scratch) {
  const std::size_t n = v.size();
  if (n <= 4096) return SelectInPlace(v, k);
  // 512, not 1024: with the vector partition the two selections in the sample cost more than
  // the wider bracket left to select from (Theil-Sen of 96-256 points, 4,560-32,640 slopes:
  // 8.3 -> 6.1 us at 96 points; the result is the exact order statistic either way).
  constexpr std::size_t kSample = 512;
  // SplitMix64 (Steele, Lea & Flood 2014): one word of state, so seeding is free where
  // std::mt19937_64 would fill 312 words on every call.
  std::uint64_t state = seed;
  const auto next = [&state] {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  scratch->resize(kSample);
  for (double& s : *scratch) s = v[next() % n];
  const double md = static_cast<double>(kSample);
  const double q = (static_cast<double>(k) + 0.5) / static_cast<double>(n);
  const double delta = 3.0 * std::sqrt(q * (1.0 - q) / md) + 1.0 / md;
  const auto rank_lo = static_cast<std::size_t>(std::max(0.0, (q - delta) * md));
  const auto rank_hi = std::min(kSample - 1, static_cast<std::size_t>(std::ceil((q + delta) * md)));
  const std::span<double> sample(*scratch);
  const double lo = SelectInPlace(sample, rank_lo);
  // Selection leaves the values above rank_lo after it, so rank_hi is found among them.
  const double hi = SelectInPlace(sample.subspan(rank_lo), rank_hi - rank_lo);
  // One pass: count what lies below the bracket and keep what lies in it.
  scratch->resize(n + 8);
  double* kept = scratch->data();
  std::size_t below = 0;
  const std::size_t inside = KeepBetween(v, lo, hi, kept, &below);
  if (k >= below && k - below < inside) {
    return SelectInPlace(std::span<double>(kept, inside), k - below);
  }
  return SelectInPlace(v, k);
}

namespace {

// Up to this many points Theil-Sen enumerates the pairs (see EnumeratedPairSlope).
constexpr std::size_t kEnumeratePairsUpTo = 512;

// Visits the merge steps of a bottom-up merge sort of `a`; each time an element r of a right
// run is placed before the remaining elements L of its left run, calls visit(L, r): every
// element of L forms an inversion with r. Runs are visited in a fixed order, so ranks into the
// concatenated inversion list are stable between passes.
template <typename Visit>
void VisitInversions(std::vector<std::int64_t> a, Visit&& visit) {
  const std::size_t n = a.size();
  std::vector<std::int64_t> buf(n);
  for (std::size_t width = 1; width < n; width *= 2) {
    for (std::size_t begin = 0; begin < n; begin += 2 * width) {
      const std::size_t mid = std::min(begin + width, n);
      const std::size_t end = std::min(begin + 2 * width, n);
      std::size_t left = begin, right = mid, out = begin;
      while (left < mid && right < end) {
        if (a[left] <= a[right]) {
          buf[out++] = a[left++];
        } else {
          visit(std::span<const std::int64_t>(a.data() + left, mid - left), a[right]);
          buf[out++] = a[right++];
        }
      }
      while (left < mid) buf[out++] = a[left++];
      while (right < end) buf[out++] = a[right++];
    }
    a.swap(buf);
  }
}

// Points ordered by their intercept y - s*x just above slope s: pair (i, j) with x_i < x_j is
// in x order there iff its slope exceeds s. s = -inf orders by x; s = +inf by -x.
class SlopeOrders {
 public:
  SlopeOrders(std::span<const double> x, std::span<const double> y) : x_(x), y_(y) {}

  // Orders are memoized: the search asks for the same interval ends several times.
  const std::vector<std::size_t>& OrderAt(double s) const {
    for (const auto& [key, order] : cache_) {
      if (key == s || (std::isinf(key) && std::isinf(s) && (key < 0) == (s < 0))) return order;
    }
    if (cache_.size() >= 6) cache_.erase(cache_.begin());
    cache_.emplace_back(s, ComputeOrder(s));
    return cache_.back().second;
  }

  std::vector<std::size_t> ComputeOrder(double s) const {
    std::vector<std::size_t> idx(x_.size());
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    if (std::isinf(s)) {
      const bool neg = s < 0;
      std::sort(idx.begin(), idx.end(), [&](std::size_t i, std::size_t j) {
        if (x_[i] != x_[j]) return neg ? x_[i] < x_[j] : x_[i] > x_[j];
        if (y_[i] != y_[j]) return y_[i] < y_[j];
        return i < j;
      });
      return idx;
    }
    std::vector<double> z(x_.size());
    for (std::size_t i = 0; i < z.size(); ++i) z[i] = y_[i] - s * x_[i];
    std::sort(idx.begin(), idx.end(), [&](std::size_t i, std::size_t j) {
      if (z[i] != z[j]) return z[i] < z[j];
      if (x_[i] != x_[j]) return x_[i] > x_[j];
      return i < j;
    });
    return idx;
  }

  // Sequence whose inversions are the pairs with slope in (lo, hi]; `order_hi` maps back.
  std::vector<std::int64_t> Sequence(double lo, double hi,
                                     std::vector<std::size_t>* order_hi) const {
    const std::vector<std::size_t> a = OrderAt(lo);
    *order_hi = OrderAt(hi);
    std::vector<std::int64_t> pos(x_.size());
    for (std::size_t k = 0; k < order_hi->size(); ++k)
      pos[(*order_hi)[k]] = static_cast<std::int64_t>(k);
    std::vector<std::int64_t> seq(a.size());
    for (std::size_t k = 0; k < a.size(); ++k) seq[k] = pos[a[k]];
    return seq;
  }

  std::uint64_t CountBetween(double lo, double hi) const {
    std::vector<std::size_t> order_hi;
    return CountInversions(Sequence(lo, hi, &order_hi));
  }

  double Slope(std::size_t i, std::size_t j) const {
    const double dx = x_[j] - x_[i];
    if (dx == 0.0) return 0.0;
    return (y_[j] - y_[i]) / dx;
  }

  // Slopes of the pairs in (lo, hi]: all of them, or those at the sorted `ranks`.
  std::vector<double> Slopes(double lo, double hi, const std::vector<std::uint64_t>* ranks) const {
    std::vector<std::size_t> order_hi;
    std::vector<std::int64_t> seq = Sequence(lo, hi, &order_hi);
    std::vector<double> out;
    std::uint64_t total = 0;
    std::size_t next = 0;
    VisitInversions(std::move(seq), [&](std::span<const std::int64_t> left, std::int64_t r) {
      const std::size_t j = order_hi[static_cast<std::size_t>(r)];
      if (ranks == nullptr) {
        for (const std::int64_t l : left)
          out.push_back(Slope(order_hi[static_cast<std::size_t>(l)], j));
      } else {
        while (next < ranks->size() && (*ranks)[next] < total + left.size()) {
          const auto l = left[static_cast<std::size_t>((*ranks)[next] - total)];
          out.push_back(Slope(order_hi[static_cast<std::size_t>(l)], j));
          ++next;
        }
      }
      total += left.size();
    });
    return out;
  }

 private:
  std::span<const double> x_, y_;
  mutable std::vector<std::pair<double, std::vector<std::size_t>>> cache_;
};

// The slopes of all pairs with distinct x (x sorted) into `out`, row by row; returns how many.
// The divisions are most of the cost and vectorise; an AVX2 build does four at a time, half
// the time of SSE2's two, with the same bits (IEEE division is exact-rounded at any width).
[[gnu::always_inline]] inline std::size_t FillPairSlopesBody(const double* x, const double* y,
                                                             std::size_t n, double* out) {
  std::size_t count = 0;
  std::size_t first_right = 0;  // first point with a larger x than point i
  for (std::size_t i = 0; i < n; ++i) {
    while (first_right < n && x[first_right] <= x[i]) ++first_right;
    const double xi = x[i], yi = y[i];
    double* row = out + count;
    for (std::size_t j = first_right; j < n; ++j) row[j - first_right] = (y[j] - yi) / (x[j] - xi);
    count += n - first_right;
  }
  return count;
}

#ifdef PERFLEAK_X86_DISPATCH
__attribute__((target("avx2"))) std::size_t FillPairSlopesAvx2(const double* x, const double* y,
                                                               std::size_t n, double* out) {
  return FillPairSlopesBody(x, y, n, out);
}
#endif

std::size_t FillPairSlopes(const double* x, const double* y, std::size_t n, double* out) {
#ifdef PERFLEAK_X86_DISPATCH
  if (CpuHasAvx2()) return FillPairSlopesAvx2(x, y, n, out);
#endif
  return FillPairSlopesBody(x, y, n, out);
}

// Theil-Sen slope by enumerating the pairs, for small n: a few nanoseconds per pair (the
// division loop vectorises) against the interval search's repeated sorts, which cost more up
// to several hundred points (BM_TheilSen* in bench/). Points are ordered by x so that each
// point pairs with the contiguous run of points right of it.
double EnumeratedPairSlope(std::span<const double> x, std::span<const double> y,
                           std::uint64_t seed) {
  thread_local std::vector<double> xs, ys, slopes, scratch;
  const std::size_t n = x.size();
  if (!std::is_sorted(x.begin(), x.end())) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    xs.resize(n);
    ys.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      xs[i] = x[order[i]];
      ys[i] = y[order[i]];
    }
    x = xs;
    y = ys;
  }
  slopes.resize(n * (n - 1) / 2);
  const std::size_t count = FillPairSlopes(x.data(), y.data(), n, slopes.data());
  if (count == 0) return 0.0;
  return SelectKth(std::span<double>(slopes.data(), count), (count - 1) / 2, seed, &scratch);
}

}  // namespace

std::uint64_t CountInversions(std::span<const std::int64_t> a) {
  std::uint64_t count = 0;
  VisitInversions(std::vector<std::int64_t>(a.begin(), a.end()),
                  [&](std::span<const std::int64_t> left, std::int64_t) { count += left.size(); });
  return count;
}

namespace {

// Theil-Sen slope by randomized interval shrinking (see TheilSen in the header), for large n.
double IntervalSearchSlope(std::span<const double> x, std::span<const double> y,
                           std::uint64_t seed) {
  const std::size_t n = x.size();
  const SlopeOrders orders(x, y);
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double lo = -kInf, hi = kInf;
  std::uint64_t below = 0;  // pairs with slope <= lo
  std::uint64_t in_range = orders.CountBetween(lo, hi);
  if (in_range > 0) {
    const std::uint64_t k = (in_range - 1) / 2;
    std::mt19937_64 rng(seed);
    const std::uint64_t enumerate_below = std::max<std::uint64_t>(4 * n, 256);
    double slope = 0.0;
    for (int iteration = 0;; ++iteration) {
      if (in_range <= enumerate_below || iteration > 60) {
        std::vector<double> s = orders.Slopes(lo, hi, nullptr);
        const std::size_t r = static_cast<std::size_t>(k - below);
        slope = SelectInPlace(s, r);
        break;
      }
      const std::size_t m = n;
      std::vector<std::uint64_t> ranks(m);
      for (auto& r : ranks) r = rng() % in_range;
      std::sort(ranks.begin(), ranks.end());
      std::vector<double> sample = orders.Slopes(lo, hi, &ranks);
      std::sort(sample.begin(), sample.end());
      const double q = (static_cast<double>(k - below) + 0.5) / static_cast<double>(in_range);
      const double md = static_cast<double>(m);
      const double delta = 3.0 * std::sqrt(q * (1.0 - q) / md) + 1.0 / md;
      const double qlo = (q - delta) * md, qhi = (q + delta) * md;
      double new_lo = qlo >= 0.0 ? sample[static_cast<std::size_t>(qlo)] : lo;
      double new_hi = qhi < md - 1.0 ? sample[static_cast<std::size_t>(std::ceil(qhi))] : hi;
      if (!(new_lo > lo)) new_lo = lo;
      if (!(new_hi < hi)) new_hi = hi;
      if (new_hi < new_lo) new_hi = new_lo;
      const std::uint64_t c1 = new_lo > lo ? orders.CountBetween(lo, new_lo) : 0;
      const std::uint64_t c2 = new_hi > new_lo ? orders.CountBetween(new_lo, new_hi) : 0;
      const std::uint64_t before = in_range;
      if (k < below + c1) {
        hi = new_lo;
        in_range = c1;
      } else if (k < below + c1 + c2) {
        lo = new_lo;
        hi = new_hi;
        below += c1;
        in_range = c2;
      } else {
        lo = new_hi;
        below += c1 + c2;
        in_range -= c1 + c2;
      }
      if (in_range == before && std::isfinite(hi)) {
        // Many pairs share the slope hi exactly (data on a line): test whether the rank falls
        // on that tie before shrinking further.
        const double just_below = std::nextafter(hi, -kInf);
        const std::uint64_t c = just_below > lo ? orders.CountBetween(lo, just_below) : 0;
        if (k >= below + c) {
          slope = hi;
          break;
        }
        hi = just_below;
        in_range = c;
      }
    }
    return slope;
  }
  return 0.0;
}

}  // namespace

LineFit TheilSen(std::span<const double> x, std::span<const double> y, std::uint64_t seed) {
  LineFit fit;
  const std::size_t n = std::min(x.size(), y.size());
  if (n == 0) return fit;
  x = x.first(n);
  y = y.first(n);
  fit.slope =
      n <= kEnumeratePairsUpTo ? EnumeratedPairSlope(x, y, seed) : IntervalSearchSlope(x, y, seed);
  std::vector<double> resid(n);
  for (std::size_t i = 0; i < n; ++i) resid[i] = y[i] - fit.slope * x[i];
  fit.intercept = MedianInPlace(resid);
  return fit;
}

LineFit HuberIrls(std::span<const double> x, std::span<const double> y, LineFit start,
                  int max_iterations) {
  const std::size_t n = std::min(x.size(), y.size());
  if (n < 3) return start;
  const double x0 = std::accumulate(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(n), 0.0) /
                    static_cast<double>(n);
  const Eigen::Map<const Eigen::VectorXd> xv(x.data(), static_cast<Eigen::Index>(n));
  const Eigen::Map<const Eigen::VectorXd> yv(y.data(), static_cast<Eigen::Index>(n));
  // Per thread, sized once: allocating them in every call and iteration was a measurable
  // share of judging a short series.
  thread_local Eigen::VectorXd xc;
  xc = xv.array() - x0;
  double a = start.intercept + start.slope * x0, b = start.slope;
  thread_local Eigen::VectorXd resid;
  thread_local Eigen::ArrayXd w;
  resid.resize(static_cast<Eigen::Index>(n));
  w.resize(static_cast<Eigen::Index>(n));
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    resid = yv.array() - a - b * xc.array();
    const double sigma = MadSigma(std::span<const double>(resid.data(), n));
    if (!(sigma > 0.0) || !std::isfinite(sigma)) break;
    const double c = 1.345 * sigma;
    w = (c / resid.array().abs().max(c));
    Eigen::Matrix2d m;
    m(0, 0) = w.sum();
    m(0, 1) = m(1, 0) = (w * xc.array()).sum();
    m(1, 1) = (w * xc.array().square()).sum();
    Eigen::Vector2d rhs((w * yv.array()).sum(), (w * xc.array() * yv.array()).sum());
    const Eigen::LDLT<Eigen::Matrix2d> ldlt(m);
    if (ldlt.info() != Eigen::Success || !(std::fabs(m.determinant()) > 0.0)) break;
    const Eigen::Vector2d sol = ldlt.solve(rhs);
    if (!std::isfinite(sol(0)) || !std::isfinite(sol(1))) break;
    const double change = std::fabs(sol(1) - b) + std::fabs(sol(0) - a) / (1.0 + std::fabs(a));
    a = sol(0);
    b = sol(1);
    if (change < 1e-10 * (1.0 + std::fabs(b))) break;
  }
  return {b, a - b * x0};
}

double RobustR2(std::span<const double> x, std::span<const double> y, LineFit fit) {
  const std::size_t n = std::min(x.size(), y.size());
  const double spread = MadSigma(y.first(n));
  if (!(spread > 0.0)) return 0.0;
  std::vector<double> resid(n);
  for (std::size_t i = 0; i < n; ++i) resid[i] = y[i] - fit.intercept - fit.slope * x[i];
  const double ratio = MadSigma(resid) / spread;
  const double r2 = 1.0 - ratio * ratio;
  return std::isfinite(r2) ? std::clamp(r2, 0.0, 1.0) : 0.0;
}

double NormalQuantileTwoSided(double confidence) {
  const double tail = 1.0 - std::clamp(confidence, 0.5, 0.999999);
  double lo = 0.0, hi = 10.0;
  for (int iter = 0; iter < 80; ++iter) {
    const double mid = 0.5 * (lo + hi);
    if (std::erfc(mid / std::sqrt(2.0)) > tail) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

SlopeBounds SenSlopeBounds(std::span<const double> x, std::span<const double> y, LineFit fit,
                           double confidence, std::size_t max_points) {
  SlopeBounds out{fit.slope, fit.slope};
  const std::size_t n = std::min(x.size(), y.size());
  if (n < 2) return out;
  const std::size_t m = std::max<std::size_t>(2, std::min(n, max_points));
  thread_local std::vector<double> tx, ty, slopes;
  tx.clear();
  ty.clear();
  for (std::size_t k = 0; k < m; ++k) {
    const std::size_t i = k * (n - 1) / (m - 1);
    tx.push_back(x[i]);
    ty.push_back(y[i]);
  }
  slopes.clear();
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = i + 1; j < m; ++j) {
      if (tx[j] != tx[i]) slopes.push_back((ty[j] - ty[i]) / (tx[j] - tx[i]));
    }
  }
  if (slopes.empty()) return out;
  // Lag-1 autocorrelation of the residuals around the fit, in thinned order.
  double num = 0.0, den = 0.0, prev = 0.0;
  for (std::size_t k = 0; k < m; ++k) {
    const double r = ty[k] - (fit.intercept + fit.slope * tx[k]);
    den += r * r;
    if (k > 0) num += r * prev;
    prev = r;
  }
  const double r1 = den > 0.0 ? std::clamp(num / den, 0.0, 0.95) : 0.0;
  const auto md = static_cast<double>(m);
  const double var_s = md * (md - 1.0) * (2.0 * md + 5.0) / 18.0 * (1.0 + r1) / (1.0 - r1);
  const double c = NormalQuantileTwoSided(confidence) * std::sqrt(var_s);
  const auto count = static_cast<double>(slopes.size());
  const auto rank = [&](double r) {
    return static_cast<std::size_t>(std::clamp(r, 0.0, count - 1.0));
  };
  const auto [low, high] = TwoOrderStatistics(slopes, rank(std::floor((count - c) / 2.0)),
                                              rank(std::ceil((count + c) / 2.0)));
  out.low = std::min(fit.slope, low);
  out.high = std::max(fit.slope, high);
  return out;
}

std::size_t ObservedEdgeCount(std::size_t n, double edge_share) {
  const auto share = static_cast<std::size_t>(std::ceil(edge_share * static_cast<double>(n)));
  return std::min(n, std::max<std::size_t>(3, share));
}

ObservedLevels ObserveWindow(std::span<const double> values, double edge_share) {
  ObservedLevels out;
  if (values.empty()) return out;
  const std::size_t edge = ObservedEdgeCount(values.size(), edge_share);
  out.start = Median(values.first(edge));
  out.end = Median(values.last(edge));
  out.peak = *std::max_element(values.begin(), values.end());
  return out;
}

std::vector<double> LowerEnvelope(std::span<const double> values, std::size_t window) {
  const std::size_t n = values.size();
  std::vector<double> out(n);
  if (n == 0) return out;
  window = std::clamp<std::size_t>(window, 1, n);
  // Minima of every full window [s, s + window), then each sample takes the window centred on
  // it, shifted inward at the ends: a truncated window at the end of a sawtooth would see
  // only the top of the last cycle and fake a final rise.
  std::vector<double> window_min(n - window + 1);
  std::deque<std::size_t> dq;  // indices with increasing values
  for (std::size_t i = 0; i < n; ++i) {
    while (!dq.empty() && values[dq.back()] >= values[i]) dq.pop_back();
    dq.push_back(i);
    if (i + 1 >= window) {
      const std::size_t start = i + 1 - window;
      while (dq.front() < start) dq.pop_front();
      window_min[start] = values[dq.front()];
    }
  }
  const std::size_t half = window / 2;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t start = std::min(i >= half ? i - half : 0, n - window);
    out[i] = window_min[start];
  }
  return out;
}

}  // namespace perfleak::internal
