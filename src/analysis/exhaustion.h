// Time to exhaustion of a limit: one projection for every forecast the report makes (32-bit
// address space, commit limit, a process against the commit headroom).
#pragma once

#include <cstddef>
#include <span>

#include "perfleak/analysis.h"
#include "perfleak/memory_pressure.h"

namespace perfleak::internal {

/// Theil-Sen slope with its confidence bounds.
struct SlopeInterval {
  double slope = 0.0, low = 0.0, high = 0.0;
  double intercept = 0.0;
};

/// Theil-Sen slope with Sen's confidence interval (robust_trend.h, SenSlopeBounds). Needs two
/// distinct x; otherwise all zero.
SlopeInterval TheilSenInterval(std::span<const double> x, std::span<const double> y,
                               double confidence, std::size_t max_points = 300);

/// Fills f->status and the exhaustion times from f's slope, its bounds, headroom_bytes,
/// from_utc and window_hours. A forecast is made only where a straight line is honest (see
/// MemoryPressureOptions): the bounds exclude zero, the window is long enough, and the limit is
/// reached at the fitted slope within forecast_max_horizon_ratio x the window. The estimate
/// lies in its interval: earliest at the upper bound, latest at the lower one (absent when
/// that lies beyond the horizon).
void ProjectExhaustion(const MemoryPressureOptions& options, ExhaustionForecast* f);

/// The level of `ev`'s series at its window's end: observed_end is a median of the window's
/// last edge_share, which sits half that part before the end, so a growing series is carried
/// to the end at its own rate, but never above its peak; others keep observed_end.
double LevelAtWindowEnd(const Evidence& ev, const MemoryPressureOptions& options);

/// The forecast at the rate `ev` was judged at (its slope, bounds and window) for a quantity at
/// `level` at the end of ev's window against `limit`: kNotJudged or kNotRising (unless the limit is
/// reached already) when ev is not a leak or suspect, else ProjectExhaustion. One rate per
/// quantity: the report's rate and the forecast's are the same number.
ExhaustionForecast ForecastAtRate(const Evidence& ev, double limit, double level,
                                  const MemoryPressureOptions& options);

}  // namespace perfleak::internal
