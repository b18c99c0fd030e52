#include "analysis/cpu_dispatch.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "analysis/change_point.h"
#include "analysis/robust_trend.h"
#include "analysis/trend_test.h"

namespace perfleak::internal {
namespace {

struct Series {
  std::vector<double> x, y;
};

// Noisy ramps, steps and heavily tied integer series of lengths that are no multiple of the
// vector widths.
std::vector<Series> MakeSeries() {
  std::mt19937_64 rng(31);
  std::vector<Series> out;
  for (const std::size_t n : {5u, 17u, 63u, 256u, 301u, 511u}) {
    for (int kind = 0; kind < 3; ++kind) {
      Series s;
      for (std::size_t i = 0; i < n; ++i) {
        s.x.push_back(static_cast<double>(i) / 60.0);
        const double noise = static_cast<double>(rng() % 1000);
        const double u = static_cast<double>(i) / static_cast<double>(n);
        s.y.push_back(kind == 0   ? 1e8 + 4e6 * u + 1e3 * noise
                      : kind == 1 ? (u > 0.6 ? 5e5 : 0.0) + noise
                                  : std::round(noise / 300.0));
      }
      out.push_back(std::move(s));
    }
  }
  return out;
}

// The analysis is built with -ffp-contract=off: in an FMA-capable target a * b + c still rounds
// the product, as the baseline does. a * b = 1 - 2^-60 rounds to 1, so the unfused result is 0
// and a fused one -2^-60.
TEST(CpuDispatch, NoFusedMultiplyAddContraction) {
  const double a = 1.0 + std::ldexp(1.0, -30), b = 1.0 - std::ldexp(1.0, -30);
  volatile double product = a * b;
  EXPECT_EQ(product + -1.0, 0.0);
  EXPECT_EQ(ContractionProbe(a, b, -1.0), 0.0);
}

// The AVX2/AVX-512 variants (where this CPU has them) and the baseline ones give the same
// bits for PELT, Mann-Kendall and Theil-Sen.
TEST(CpuDispatch, WiderVariantsGiveTheBaselineBits) {
  // Without a wider variant the comparison would be the baseline against itself.
#ifdef PERFLEAK_X86_DISPATCH
  if (!CpuHasAvx2() && !CpuHasAvx512()) {
    GTEST_SKIP() << "this CPU has neither AVX2 nor AVX-512: only the baseline variants run";
  }
#else
  GTEST_SKIP() << "no wider variants are built for this architecture";
#endif
  for (const Series& s : MakeSeries()) {
    const auto segments = PeltLinear(s.x, s.y);
    const MannKendallResult mk = MannKendall(s.y, s.x, 0.5);
    const LineFit ts = TheilSen(s.x, s.y, 7);
    baseline_vectors_only = true;
    const auto base_segments = PeltLinear(s.x, s.y);
    const MannKendallResult base_mk = MannKendall(s.y, s.x, 0.5);
    const LineFit base_ts = TheilSen(s.x, s.y, 7);
    baseline_vectors_only = false;
    ASSERT_EQ(segments.size(), base_segments.size()) << s.y.size();
    for (std::size_t k = 0; k < segments.size(); ++k) {
      EXPECT_EQ(segments[k].begin, base_segments[k].begin);
      EXPECT_EQ(segments[k].slope, base_segments[k].slope);
      EXPECT_EQ(segments[k].intercept, base_segments[k].intercept);
    }
    EXPECT_EQ(mk.s, base_mk.s);
    EXPECT_EQ(mk.variance, base_mk.variance);
    EXPECT_EQ(ts.slope, base_ts.slope);
    EXPECT_EQ(ts.intercept, base_ts.intercept);
  }
}

// SelectInPlace's AVX-512 partition and the scalar one pick the same order statistic and leave
// the range split around it, with NaNs last, at sizes below, inside and above the vector
// partition's range (16 to 65,536 values).
TEST(CpuDispatch, WidePartitionSelectsTheBaselineValue) {
#ifdef PERFLEAK_X86_DISPATCH
  if (!CpuHasAvx512()) GTEST_SKIP() << "this CPU has no AVX-512: only the scalar partition runs";
#else
  GTEST_SKIP() << "no wider variants are built for this architecture";
#endif
  std::mt19937_64 rng(53);
  for (const std::size_t n : {7u, 16u, 23u, 96u, 4560u, 65536u, 70001u}) {
    for (int kind = 0; kind < 4; ++kind) {
      std::vector<double> v(n);
      for (std::size_t i = 0; i < n; ++i) {
        const auto r = static_cast<double>(rng() % 1000);
        v[i] = kind == 0 ? r : kind == 1 ? std::round(r / 400.0) : kind == 2 ? double(i) : r;
        if (kind == 3 && rng() % 7 == 0) v[i] = std::nan("");
      }
      for (const std::size_t k : {std::size_t{0}, n / 2, n - 1}) {
        std::vector<double> wide = v, base = v;
        const double got = SelectInPlace(wide, k);
        baseline_vectors_only = true;
        const double expected = SelectInPlace(base, k);
        baseline_vectors_only = false;
        if (std::isnan(expected)) {
          EXPECT_TRUE(std::isnan(got)) << n << " " << kind << " " << k;
          continue;
        }
        ASSERT_EQ(got, expected) << n << " " << kind << " " << k;
        for (std::size_t i = 0; i < n; ++i) {
          if (i < k) {
            ASSERT_TRUE(wide[i] <= got) << n << " " << kind << " " << k << " " << i;
          } else if (i > k) {
            ASSERT_FALSE(wide[i] < got) << n << " " << kind << " " << k << " " << i;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace perfleak::internal
