#include "analysis/growth_shape.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace perfleak::internal {
namespace {

constexpr double kTailShare = 0.25;

std::vector<double> Hours(std::size_t n, double step) {
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = step * static_cast<double>(i);
  return x;
}

double Noise(std::mt19937_64& rng, double sd) { return std::normal_distribution(0.0, sd)(rng); }

// Ordinary least squares in closed form, the reference for the line model's residuals.
double LineRss(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sx += x[i];
    sy += y[i];
    sxx += x[i] * x[i];
    sxy += x[i] * y[i];
  }
  const double b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const double a = (sy - b * sx) / n;
  double rss = 0;
  for (std::size_t i = 0; i < x.size(); ++i) rss += std::pow(y[i] - a - b * x[i], 2);
  return rss;
}

TEST(GrowthShape, ExactSaturatingCurveIsRecoveredOnTheTauGrid) {
  const std::vector<double> x = Hours(200, 0.01);  // 1.99 h
  // tau on the grid: 0.02 x duration x 100^(k/31), k = 20.
  const double tau = x.back() * 0.02 * std::pow(100.0, 20.0 / 31.0);
  std::vector<double> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) y[i] = 10.0 + 5.0 * (1.0 - std::exp(-x[i] / tau));
  const GrowthShape s = CompareGrowthShapes(x, y, kTailShare);
  ASSERT_EQ(s.Curve().kind, ShapeKind::kSaturating);
  EXPECT_NEAR(s.Curve().scale, tau, 1e-12 * tau);  // tolerance: rounding of the grid
  EXPECT_NEAR(s.Curve().a, 10.0, 1e-9);
  EXPECT_NEAR(s.Curve().b, 5.0, 1e-9);
  EXPECT_GT(s.bic_gain, 100.0);
  const double e = std::exp(-x.back() / tau);
  EXPECT_NEAR(s.rise, 5.0 * (1.0 - e), 1e-9);
  EXPECT_NEAR(s.end_slope_ratio, (x.back() / tau) * e / (1.0 - e), 1e-9);
  EXPECT_NEAR(s.growth_end, std::min(x.back(), tau * std::log(10.0)), 1e-12);
}

TEST(GrowthShape, RiseThenFlatIsAPlateauWithAFlatTail) {
  const std::vector<double> x = Hours(201, 0.05);  // 10 h
  // The plateau's grid: sample n/20 + (9n/10) k / 31 for k = 6 (sample 44, 2.2 h).
  const double x0 = x[201 / 20 + (201 * 9 / 10) * 6 / 31];
  std::mt19937_64 rng(7);
  std::vector<double> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    y[i] = 100.0 + 40.0 * std::min(x[i], x0) / x0 + Noise(rng, 0.2);
  }
  const GrowthShape s = CompareGrowthShapes(x, y, kTailShare);
  ASSERT_EQ(s.Curve().kind, ShapeKind::kPlateau);
  EXPECT_DOUBLE_EQ(s.Curve().scale, x0);
  EXPECT_DOUBLE_EQ(s.growth_end, x0);
  EXPECT_NEAR(s.rise, 40.0, 0.5);  // tolerance: noise sd 0.2 over 200 points
  EXPECT_EQ(s.end_slope_ratio, 0.0);
  EXPECT_LT(s.tail_rise_share, 0.02);
  EXPECT_GT(s.bic_gain, 50.0);
  // A straight rise has no flat stretch before x0 beyond a few points.
  EXPECT_LT(s.longest_pause, 0.1 * x0);
}

TEST(GrowthShape, NoisyLineGivesNoCurveAClearWin) {
  const std::vector<double> x = Hours(300, 1.0 / 60);
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<double> y(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) y[i] = 50.0 + 3.0 * x[i] + Noise(rng, 0.5);
    const GrowthShape s = CompareGrowthShapes(x, y, kTailShare);
    EXPECT_NEAR(s.line.rss, LineRss(x, y), 1e-9 * s.line.rss);
    EXPECT_LT(s.bic_gain, 10.0) << "trial " << trial;
  }
}

TEST(GrowthShape, StaircasePausesAreMeasuredAndItsLastStepRaisesTheTail) {
  // Four steps of 10 over 8 h, 1 min apart: flats of 2 h; the last step 30 min before the end.
  const std::vector<double> x = Hours(481, 1.0 / 60);
  std::vector<double> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double h = x[i];
    y[i] = 10.0 * ((h >= 2.0) + (h >= 4.0) + (h >= 6.0) + (h >= 7.5));
  }
  const GrowthShape s = CompareGrowthShapes(x, y, kTailShare);
  // Whatever curve fits best, the data after it has "stopped" keep stepping up.
  EXPECT_GT(s.tail_rise_share, 0.2);
  EXPECT_GE(s.longest_pause, 1.5);
}

TEST(GrowthShape, TooFewPointsOrNoDurationGiveNoVerdict) {
  const std::vector<double> few = {0, 1, 2};
  EXPECT_EQ(CompareGrowthShapes(few, few, kTailShare).bic_gain, 0.0);
  const std::vector<double> same_time(20, 1.0), rising = Hours(20, 1.0);
  EXPECT_EQ(CompareGrowthShapes(same_time, rising, kTailShare).bic_gain, 0.0);
}

}  // namespace
}  // namespace perfleak::internal
