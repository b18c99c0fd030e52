#include "analysis/robust_trend.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>
#include <vector>

#include "analysis/cpu_dispatch.h"

namespace perfleak::internal {
namespace {

// O(n^2) reference: median (lower middle) of all pairwise slopes.
double BruteTheilSen(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<double> s;
  for (std::size_t i = 0; i < x.size(); ++i) {
    for (std::size_t j = i + 1; j < x.size(); ++j) {
      if (x[i] != x[j]) s.push_back((y[j] - y[i]) / (x[j] - x[i]));
    }
  }
  std::sort(s.begin(), s.end());
  return s[(s.size() - 1) / 2];
}

TEST(TheilSen, LineWithOutliersIsExact) {
  std::vector<double> x, y;
  for (int i = 0; i < 500; ++i) {
    x.push_back(i * 0.5);
    y.push_back(3.0 + 2.0 * i * 0.5);
  }
  for (int i = 0; i < 500; i += 10) y[static_cast<std::size_t>(i)] += 1e6;  // 10 % gross outliers
  const LineFit fit = TheilSen(x, y);
  EXPECT_NEAR(fit.slope, 2.0, 1e-12);  // tolerance: exact up to rounding
  EXPECT_NEAR(fit.intercept, 3.0, 1e-9);
}

TEST(TheilSen, MatchesBruteForceOnNoisyData) {
  std::mt19937_64 rng(7);
  for (const std::size_t n : {65u, 300u, 2000u}) {
    std::vector<double> x, y;
    for (std::size_t i = 0; i < n; ++i) {
      x.push_back(static_cast<double>(i) + static_cast<double>(rng() % 3));  // ties in x
      y.push_back(0.3 * static_cast<double>(i) + static_cast<double>(rng() % 1000) / 10.0);
    }
    EXPECT_DOUBLE_EQ(TheilSen(x, y, 99).slope, BruteTheilSen(x, y)) << "n=" << n;
  }
}

// Integer counters (handles, threads) give many exactly equal slopes; the median often lies
// on such a tie, on both sides of the pair-enumeration / interval-search boundary.
TEST(TheilSen, MatchesBruteForceOnTiedIntegerSeries) {
  std::mt19937_64 rng(11);
  for (const std::size_t n : {40u, 256u, 512u, 513u, 900u}) {
    std::vector<double> x, y;
    double level = 500.0;
    for (std::size_t i = 0; i < n; ++i) {
      x.push_back(static_cast<double>(i) * 0.25);
      level += static_cast<double>(rng() % 3) - 1.0;  // random walk in whole handles
      y.push_back(level);
    }
    EXPECT_DOUBLE_EQ(TheilSen(x, y, 5).slope, BruteTheilSen(x, y)) << "n=" << n;
  }
}

TEST(TheilSen, UnsortedXGivesTheSameFit) {
  std::mt19937_64 rng(3);
  std::vector<double> x, y;
  for (int i = 0; i < 300; ++i) {
    x.push_back(static_cast<double>(rng() % 200));  // unsorted, with ties
    y.push_back(2.0 * x.back() + static_cast<double>(rng() % 50));
  }
  EXPECT_DOUBLE_EQ(TheilSen(x, y).slope, BruteTheilSen(x, y));
}

TEST(SelectInPlace, EqualsNthElementAndPartitionsAroundIt) {
  std::mt19937_64 rng(23);
  for (int trial = 0; trial < 20000; ++trial) {
    const std::size_t n = 1 + rng() % 400;
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) {
      switch (trial % 6) {
        case 0:
          v[i] = static_cast<double>(rng() % 1000000);
          break;
        case 1:
          v[i] = static_cast<double>(rng() % 3);
          break;
        case 2:
          v[i] = 5.0;
          break;
        case 3:
          v[i] = static_cast<double>(i);  // sorted
          break;
        case 4:
          v[i] = static_cast<double>(n - i);  // reversed
          break;
        default:
          v[i] = static_cast<double>(std::min(i, n - i));  // organ pipe
      }
    }
    const std::size_t k = rng() % n;
    std::vector<double> expected = v, work = v;
    std::nth_element(expected.begin(), expected.begin() + static_cast<std::ptrdiff_t>(k),
                     expected.end());
    const double got = SelectInPlace(work, k);
    ASSERT_EQ(got, expected[k]) << "trial " << trial << " n " << n << " k " << k;
    ASSERT_EQ(work[k], got);
    for (std::size_t i = 0; i < n; ++i) {
      if (i < k) {
        ASSERT_LE(work[i], got) << "trial " << trial;
      } else if (i > k) {
        ASSERT_GE(work[i], got) << "trial " << trial;
      }
    }
  }
}

// A NaN pivot compares with nothing, so the partition never shrank the range and the loop
// spun forever (ranges of up to 256 values). NaNs now order after every number.
TEST(SelectInPlace, NaNPivotEndsAndNaNsOrderLast) {
  std::mt19937_64 rng(41);
  for (const std::size_t n : {9u, 12u, 80u, 256u, 257u, 1000u}) {
    for (int trial = 0; trial < 50; ++trial) {
      std::vector<double> v(n);
      std::vector<double> numbers;
      for (std::size_t i = 0; i < n; ++i) {
        const bool nan = i == 0 || i == n / 2 || i == n - 1 || rng() % 3 == 0;
        v[i] = nan ? std::nan("") : static_cast<double>(rng() % 100);
        if (!nan) numbers.push_back(v[i]);
      }
      std::sort(numbers.begin(), numbers.end());
      const std::size_t k = rng() % n;
      std::vector<double> work = v;
      const double got = SelectInPlace(work, k);
      if (k < numbers.size()) {
        ASSERT_EQ(got, numbers[k]) << "n " << n << " k " << k;
      } else {
        ASSERT_TRUE(std::isnan(got)) << "n " << n << " k " << k;
      }
    }
  }
  std::vector<double> all_nan(100, std::nan(""));
  EXPECT_TRUE(std::isnan(SelectInPlace(all_nan, 40)));
}

// Large structured inputs (a sawtooth's residuals, sorted runs) are where pivots go bad and
// the fallback takes over; the answer must not change.
TEST(SelectInPlace, StructuredLargeInputsStayExact) {
  for (const std::size_t period : {7u, 64u, 1000u, 50000u}) {
    std::vector<double> v(100000);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(i % period);
    for (const std::size_t k : {std::size_t{0}, v.size() / 2, v.size() - 1}) {
      std::vector<double> expected = v, work = v;
      std::nth_element(expected.begin(), expected.begin() + static_cast<std::ptrdiff_t>(k),
                       expected.end());
      EXPECT_EQ(SelectInPlace(work, k), expected[k]) << "period " << period << " k " << k;
    }
  }
}

TEST(TwoOrderStatistics, MatchesTheSortedPositions) {
  std::mt19937_64 rng(5);
  for (const std::size_t n : {1u, 2u, 12u, 255u, 256u, 1000u}) {
    std::vector<double> v(n);
    for (double& e : v) e = static_cast<double>(rng() % 40);  // many ties
    std::vector<double> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    for (const auto& [lo, hi] : {std::pair<std::size_t, std::size_t>{0, n - 1},
                                 {n / 20, n - 1 - n / 20},
                                 {n * 5 / 100, n * 95 / 100},
                                 {n / 2, n / 2}}) {
      const auto [a, b] = TwoOrderStatistics(v, lo, hi);
      EXPECT_EQ(a, sorted[lo]) << "n " << n << " lo " << lo;
      EXPECT_EQ(b, sorted[hi]) << "n " << n << " hi " << hi;
    }
  }
}

// The AVX-512 pass (where this CPU has it) and the portable one keep the same values in the
// same order and count the same below, bracket ends and lengths that are no multiple of 8
// included.
TEST(KeepBetween, VectorAndPortablePassesAgree) {
  std::mt19937_64 rng(23);
  for (const std::size_t n : {0u, 1u, 7u, 8u, 9u, 63u, 1000u, 4097u}) {
    std::vector<double> v(n);
    for (double& e : v) e = static_cast<double>(rng() % 21) - 10.0;  // ties on the ends
    for (const auto& [lo, hi] : {std::pair{-3.0, 4.0}, {0.0, 0.0}, {-100.0, 100.0}, {5.5, 5.6}}) {
      std::vector<double> a(n + 8), b(n + 8);
      std::size_t below_a = 0, below_b = 0;
      const std::size_t in_a = KeepBetween(v, lo, hi, a.data(), &below_a);
      baseline_vectors_only = true;
      const std::size_t in_b = KeepBetween(v, lo, hi, b.data(), &below_b);
      baseline_vectors_only = false;
      std::vector<double> expected;
      std::size_t expected_below = 0;
      for (const double e : v) {
        if (e >= lo && e <= hi) expected.push_back(e);
        expected_below += e < lo ? 1 : 0;
      }
      ASSERT_EQ(in_a, expected.size()) << "n " << n << " [" << lo << ", " << hi << "]";
      ASSERT_EQ(in_b, expected.size());
      EXPECT_EQ(below_a, expected_below);
      EXPECT_EQ(below_b, expected_below);
      EXPECT_TRUE(std::equal(expected.begin(), expected.end(), a.begin()));
      EXPECT_TRUE(std::equal(expected.begin(), expected.end(), b.begin()));
    }
  }
}

TEST(SelectKth, EqualsNthElementForEveryKindOfInput) {
  std::mt19937_64 rng(17);
  std::vector<double> scratch;
  for (int trial = 0; trial < 60; ++trial) {
    const std::size_t n = 5000 + rng() % 40000;
    std::vector<double> v(n);
    for (double& d : v) {
      switch (trial % 3) {
        case 0:  // continuous
          d = static_cast<double>(rng() % 1000000) / 7.0;
          break;
        case 1:  // few distinct values: k usually on a tie
          d = static_cast<double>(rng() % 5);
          break;
        default:  // one value everywhere but a few
          d = rng() % 100 == 0 ? static_cast<double>(rng() % 1000) : 42.0;
      }
    }
    for (const std::size_t k : {std::size_t{0}, n / 3, (n - 1) / 2, n - 1}) {
      std::vector<double> expected = v, work = v;
      std::nth_element(expected.begin(), expected.begin() + static_cast<std::ptrdiff_t>(k),
                       expected.end());
      EXPECT_EQ(SelectKth(work, k, static_cast<std::uint64_t>(trial), &scratch), expected[k])
          << "trial " << trial << " k " << k;
    }
  }
}

TEST(TheilSen, ResultDoesNotDependOnSeed) {
  std::vector<double> x, y;
  for (int i = 0; i < 3000; ++i) {
    x.push_back(i);
    y.push_back(std::sin(i * 0.1) * 50.0 + 0.01 * i);
  }
  EXPECT_DOUBLE_EQ(TheilSen(x, y, 1).slope, TheilSen(x, y, 12345).slope);
}

TEST(TheilSen, DegenerateInputsGiveDefinedResults) {
  EXPECT_EQ(TheilSen(std::vector<double>{}, std::vector<double>{}).slope, 0.0);
  EXPECT_EQ(TheilSen(std::vector<double>{1.0}, std::vector<double>{5.0}).intercept, 5.0);
  EXPECT_EQ(TheilSen(std::vector<double>{1.0, 1.0}, std::vector<double>{5.0, 7.0}).slope, 0.0);
  std::vector<double> x(1000), y(1000, 1e18);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(i);
  const LineFit fit = TheilSen(x, y);
  EXPECT_EQ(fit.slope, 0.0);
  EXPECT_EQ(fit.intercept, 1e18);
}

TEST(CountInversions, CountsStrictInversions) {
  EXPECT_EQ(CountInversions(std::vector<std::int64_t>{3, 1, 2}), 2u);
  EXPECT_EQ(CountInversions(std::vector<std::int64_t>{1, 1, 1}), 0u);
  EXPECT_EQ(CountInversions(std::vector<std::int64_t>{5, 4, 3, 2, 1}), 10u);
}

TEST(HuberIrls, IgnoresOutliersNearlyLikeTheilSen) {
  std::mt19937_64 rng(3);
  std::vector<double> x, y;
  for (int i = 0; i < 400; ++i) {
    x.push_back(1e6 + i);  // large x: centring keeps the system well conditioned
    const double noise = (static_cast<double>(rng() % 2001) - 1000.0) / 1000.0;
    y.push_back(10.0 + 0.5 * i + noise + (i % 20 == 0 ? 500.0 : 0.0));
  }
  const LineFit fit = HuberIrls(x, y, TheilSen(x, y));
  EXPECT_NEAR(fit.slope, 0.5, 0.01);  // tolerance: noise +-1 over 400 points
}

TEST(RobustR2, PerfectLineIsOneNoiseIsLow) {
  std::vector<double> x, line, noise;
  std::mt19937_64 rng(5);
  for (int i = 0; i < 200; ++i) {
    x.push_back(i);
    line.push_back(2.0 * i);
    noise.push_back(static_cast<double>(rng() % 1000));
  }
  EXPECT_NEAR(RobustR2(x, line, {2.0, 0.0}), 1.0, 1e-12);
  EXPECT_LT(RobustR2(x, noise, TheilSen(x, noise)), 0.2);
  EXPECT_EQ(RobustR2(x, std::vector<double>(200, 4.0), {0.0, 4.0}), 0.0);
}

TEST(LowerEnvelope, FollowsSawtoothFloor) {
  std::vector<double> v;
  for (int i = 0; i < 100; ++i) v.push_back(10.0 + (i % 10));  // floor 10, period 10
  const std::vector<double> env = LowerEnvelope(v, 15);
  for (const double e : env) EXPECT_EQ(e, 10.0);
  EXPECT_EQ(LowerEnvelope(std::vector<double>{3, 1, 2}, 1), (std::vector<double>{3, 1, 2}));
}

TEST(Median, EvenAndOddCounts) {
  EXPECT_EQ(Median(std::vector<double>{3, 1, 2}), 2.0);
  EXPECT_EQ(Median(std::vector<double>{4, 1, 3, 2}), 2.5);
  EXPECT_EQ(Median(std::vector<double>{}), 0.0);
  EXPECT_NEAR(MadSigma(std::vector<double>{1, 2, 3, 4, 100}), 1.4826, 1e-12);
}

}  // namespace
}  // namespace perfleak::internal
