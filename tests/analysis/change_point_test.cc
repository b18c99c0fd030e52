#include "analysis/change_point.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace perfleak::internal {
namespace {

std::vector<double> Noise(std::size_t n, double sd, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<double> out(n);
  for (auto& v : out) {
    double s = 0.0;
    for (int k = 0; k < 12; ++k) s += static_cast<double>(rng() >> 11) * 0x1.0p-53;
    v = sd * (s - 6.0);  // Irwin-Hall approximation of a Gaussian
  }
  return out;
}

TEST(PeltLinear, FindsPlantedSlopeChangeWithinFewSamples) {
  const std::size_t n = 600, planted = 350;
  std::vector<double> x(n), y = Noise(n, 1.0, 11);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = static_cast<double>(i);
    y[i] += 100.0 + (i >= planted ? 0.5 * static_cast<double>(i - planted) : 0.0);
  }
  const std::vector<Segment> segs = PeltLinear(x, y);
  ASSERT_GE(segs.size(), 2u);
  std::size_t nearest = n;
  for (const Segment& s : segs) {
    if (s.begin > 0)
      nearest = std::min(nearest, s.begin > planted ? s.begin - planted : planted - s.begin);
  }
  EXPECT_LE(nearest, 8u);  // tolerance: a few samples
  EXPECT_NEAR(segs.back().slope, 0.5, 0.05);
}

TEST(PeltLinear, FindsPlantedStep) {
  const std::size_t n = 400, planted = 123;
  std::vector<double> x(n), y = Noise(n, 1.0, 12);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = static_cast<double>(i);
    y[i] += i >= planted ? 30.0 : 0.0;
  }
  const std::vector<Segment> segs = PeltLinear(x, y);
  ASSERT_EQ(segs.size(), 2u);
  EXPECT_NEAR(static_cast<double>(segs[1].begin), static_cast<double>(planted), 3.0);
}

TEST(PeltLinear, NoChangeInPureNoise) {
  const std::size_t n = 1000;
  std::vector<double> x(n), y = Noise(n, 5.0, 13);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<double>(i);
  EXPECT_EQ(PeltLinear(x, y).size(), 1u);
}

TEST(PeltLinear, DegenerateInputs) {
  EXPECT_TRUE(PeltLinear(std::vector<double>{}, std::vector<double>{}).empty());
  EXPECT_EQ(PeltLinear(std::vector<double>{1, 2}, std::vector<double>{1e18, 1e18}).size(), 1u);
  std::vector<double> x(50), y(50, 7.0);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(i);
  const auto segs = PeltLinear(x, y);
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].end, 50u);
}

TEST(PeltLinear, LongSeriesIsAggregatedAndMapsBack) {
  const std::size_t n = 100'000, planted = 60'000;
  std::vector<double> x(n), y = Noise(n, 1.0, 14);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = static_cast<double>(i);
    y[i] += i >= planted ? 1e-3 * static_cast<double>(i - planted) : 0.0;
  }
  const std::vector<Segment> segs = PeltLinear(x, y);
  ASSERT_GE(segs.size(), 2u);
  EXPECT_EQ(segs.back().end, n);
  EXPECT_NEAR(static_cast<double>(segs[1].begin), static_cast<double>(planted),
              2000.0);  // tolerance: 2 % of n
}

}  // namespace
}  // namespace perfleak::internal
