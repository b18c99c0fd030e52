#include "analysis/trend_test.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <vector>

namespace perfleak::internal {
namespace {

std::vector<double> Index(std::size_t n) {
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<double>(i);
  return x;
}

// S and the tie-corrected variance against their definitions, on both sides of the switch
// from comparing every pair to merge counting, with many ties and none.
TEST(MannKendall, CountsMatchTheDefinitionAtEverySize) {
  std::mt19937_64 rng(11);
  for (const std::size_t n : {3u, 4u, 5u, 255u, 256u, 511u, 512u, 513u, 700u}) {
    for (const int distinct : {5, 1000000}) {
      std::vector<double> y(n);
      for (double& v : y) v = static_cast<double>(static_cast<int>(rng() % distinct));
      double s = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i + 1; j < n; ++j) s += (y[j] > y[i]) - (y[j] < y[i]);
      }
      std::map<double, double> groups;
      for (const double v : y) groups[v] += 1.0;
      double tie_var = 0.0;
      for (const auto& [value, t] : groups) tie_var += t * (t - 1.0) * (2.0 * t + 5.0);
      const double nd = static_cast<double>(n);
      const MannKendallResult r = MannKendall(y, Index(n), 0.0);
      EXPECT_EQ(r.s, s) << "n " << n << " distinct " << distinct;
      const double base = (nd * (nd - 1.0) * (2.0 * nd + 5.0) - tie_var) / 18.0;
      const double r1 = r.lag1_autocorrelation;
      EXPECT_DOUBLE_EQ(r.variance, base * (1.0 + r1) / (1.0 - r1)) << "n " << n;
    }
  }
}

TEST(MannKendall, KnownSmallExample) {
  // 1 2 3 4 5: all 10 pairs concordant, S = 10, Var = 5*4*15/18 = 16.667.
  const MannKendallResult r = MannKendall(std::vector<double>{1, 2, 3, 4, 5}, Index(5), 0.0);
  EXPECT_EQ(r.s, 10.0);
  EXPECT_NEAR(r.tau, 1.0, 1e-12);
  EXPECT_GT(r.z, 0.0);
}

TEST(MannKendall, TiesReduceVariance) {
  const MannKendallResult r = MannKendall(std::vector<double>{1, 1, 2, 2, 3}, Index(5), 0.0);
  EXPECT_EQ(r.s, 8.0);  // 10 pairs minus 2 ties
  // Var = (5*4*15 - 2 * 2*1*9) / 18 = (300 - 36) / 18, before the autocorrelation factor.
  EXPECT_NEAR(r.variance * (1.0 - r.lag1_autocorrelation) / (1.0 + r.lag1_autocorrelation),
              264.0 / 18.0, 1e-9);
}

TEST(MannKendall, AutocorrelationDeflatesRandomWalk) {
  std::mt19937_64 rng(21);
  std::vector<double> walk(2000);
  double v = 0.0;
  for (auto& w : walk) {
    v += (static_cast<double>(rng() % 2001) - 1000.0) / 1000.0;
    w = v;
  }
  const MannKendallResult r = MannKendall(walk, Index(walk.size()), 0.0);
  EXPECT_GT(r.lag1_autocorrelation, 0.9);
  const double naive = std::fabs(r.s) / std::sqrt(2000.0 * 1999.0 * 4005.0 / 18.0);
  EXPECT_LT(std::fabs(r.z), naive / 3.0);
}

TEST(MannKendall, StrongTrendInWhiteNoiseIsSignificant) {
  std::mt19937_64 rng(22);
  std::vector<double> y(500);
  for (std::size_t i = 0; i < y.size(); ++i) {
    y[i] = 0.05 * static_cast<double>(i) + static_cast<double>(rng() % 1000) / 100.0;
  }
  EXPECT_GT(MannKendall(y, Index(y.size()), 0.05).z, 10.0);
}

TEST(MannKendall, MissingSamplesDoNotFakeAutocorrelation) {
  // A clean ramp in time with every 7th sample missing: detrending in time leaves white noise.
  std::vector<double> x, y;
  std::mt19937_64 rng(23);
  for (std::size_t i = 0; i < 400; ++i) {
    if (i % 7 == 3) continue;
    x.push_back(static_cast<double>(i));
    y.push_back(100.0 * static_cast<double>(i) + static_cast<double>(rng() % 100));
  }
  const MannKendallResult r = MannKendall(y, x, 100.0);
  EXPECT_LT(r.lag1_autocorrelation, 0.3);
  EXPECT_GT(r.z, 15.0);
}

TEST(MannKendall, DegenerateInputs) {
  EXPECT_EQ(MannKendall(std::vector<double>{}, Index(0), 0.0).z, 0.0);
  EXPECT_EQ(MannKendall(std::vector<double>{1, 2}, Index(2), 0.0).z, 0.0);
  EXPECT_EQ(MannKendall(std::vector<double>(100, 1e18), Index(100), 0.0).z, 0.0);
}

}  // namespace
}  // namespace perfleak::internal
