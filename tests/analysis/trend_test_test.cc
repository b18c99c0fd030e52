#include "analysis/trend_test.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace perfleak::internal {
namespace {

TEST(MannKendall, KnownSmallExample) {
  // 1 2 3 4 5: all 10 pairs concordant, S = 10, Var = 5*4*15/18 = 16.667.
  const MannKendallResult r = MannKendall(std::vector<double>{1, 2, 3, 4, 5}, 0.0);
  EXPECT_EQ(r.s, 10.0);
  EXPECT_NEAR(r.tau, 1.0, 1e-12);
  EXPECT_GT(r.z, 0.0);
}

TEST(MannKendall, TiesReduceVariance) {
  const MannKendallResult r = MannKendall(std::vector<double>{1, 1, 2, 2, 3}, 0.0);
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
  const MannKendallResult r = MannKendall(walk, 0.0);
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
  EXPECT_GT(MannKendall(y, 0.05).z, 10.0);
}

TEST(MannKendall, DegenerateInputs) {
  EXPECT_EQ(MannKendall(std::vector<double>{}, 0.0).z, 0.0);
  EXPECT_EQ(MannKendall(std::vector<double>{1, 2}, 0.0).z, 0.0);
  EXPECT_EQ(MannKendall(std::vector<double>(100, 1e18), 0.0).z, 0.0);
}

}  // namespace
}  // namespace perfleak::internal
