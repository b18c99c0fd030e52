#include "analysis/series_judge.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

namespace perfleak::internal {
namespace {

// Bitwise, so that NaN equals NaN and -0 differs from 0.
bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void ExpectSameJudgement(const SeriesJudgement& a, const SeriesJudgement& b, int series) {
  EXPECT_EQ(a.verdict, b.verdict) << series;
  for (const auto& [x, y] : {std::pair{a.score, b.score},
                             {a.slope_per_hour, b.slope_per_hour},
                             {a.growth, b.growth},
                             {a.start_level, b.start_level},
                             {a.end_level, b.end_level},
                             {a.relative_growth, b.relative_growth},
                             {a.fit_quality, b.fit_quality},
                             {a.trend_z, b.trend_z},
                             {a.consistency, b.consistency},
                             {a.strength, b.strength},
                             {a.slope_low_per_hour, b.slope_low_per_hour},
                             {a.slope_high_per_hour, b.slope_high_per_hour},
                             {a.tail_ratio, b.tail_ratio},
                             {a.growth_end_hours, b.growth_end_hours},
                             {a.floor, b.floor}}) {
    EXPECT_TRUE(SameBits(x, y)) << series << ": " << x << " vs " << y;
  }
  EXPECT_EQ(a.short_capture, b.short_capture) << series;
  EXPECT_EQ(a.warm_up, b.warm_up) << series;
  EXPECT_EQ(a.plateau, b.plateau) << series;
  EXPECT_EQ(a.below_floor, b.below_floor) << series;
  EXPECT_EQ(a.window_begin, b.window_begin) << series;
  EXPECT_EQ(a.window_end, b.window_end) << series;
  EXPECT_EQ(a.change_points, b.change_points) << series;
  EXPECT_EQ(a.envelope.size(), b.envelope.size()) << series;
  EXPECT_EQ(a.method, b.method) << series;
}

// Wandering, stepping, late-rising, falling and sawtooth series of bytes, handles and threads,
// 5-minute and 1-second logs, three presets: the onset windows MayBeat prunes would not have
// changed any field of the judgement.
TEST(SeriesJudge, PruningOnsetWindowsChangesNoJudgement) {
  std::mt19937_64 rng(61);
  const AnalysisOptions presets[] = {AnalysisOptions::ForSensitivity(Sensitivity::kLow),
                                     AnalysisOptions::ForSensitivity(Sensitivity::kDefault),
                                     AnalysisOptions::ForSensitivity(Sensitivity::kHigh)};
  const std::uint64_t pruned_before = onset_window_pruning.pruned.load();
  for (int series = 0; series < 3000; ++series) {
    const std::size_t n = 24 + rng() % 240;
    const double step_hours = series % 2 == 0 ? 1.0 / 12.0 : 1.0 / 3600.0;
    const auto unit = static_cast<UnitKind>(series % 3);
    const double scale = unit == UnitKind::kBytes ? 1e6 : unit == UnitKind::kHandles ? 20.0 : 2.0;
    std::vector<double> hours(n), values(n);
    double wander = 0.0;
    const std::size_t onset = rng() % n;
    for (std::size_t i = 0; i < n; ++i) {
      hours[i] = static_cast<double>(i) * step_hours;
      const double noise = static_cast<double>(rng() % 2001) / 1000.0 - 1.0;
      wander = 0.9 * wander + noise;
      double v = 100.0 * scale + scale * wander;
      switch (series % 5) {
        case 1:  // a step
          v += i > onset ? 8.0 * scale : 0.0;
          break;
        case 2:  // a late rise
          v += i > onset ? 0.2 * scale * static_cast<double>(i - onset) : 0.0;
          break;
        case 3:  // falling
          v -= 0.05 * scale * static_cast<double>(i);
          break;
        case 4:  // a sawtooth
          v += 3.0 * scale * static_cast<double>(i % 17);
          break;
        default:
          break;
      }
      values[i] = unit == UnitKind::kBytes ? v : std::round(v);
    }
    const AnalysisOptions& options = presets[series % 3];
    const SeriesJudgement pruned = JudgeSeries(hours, values, unit, options);
    onset_window_pruning.disabled = true;
    const SeriesJudgement full = JudgeSeries(hours, values, unit, options);
    onset_window_pruning.disabled = false;
    ExpectSameJudgement(pruned, full, series);
  }
  // Without pruned windows the comparison would prove nothing.
  EXPECT_GT(onset_window_pruning.pruned.load() - pruned_before, 100u);
}

}  // namespace
}  // namespace perfleak::internal
