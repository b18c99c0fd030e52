#include "analysis/exhaustion.h"

#include <algorithm>
#include <cmath>

#include "analysis/robust_trend.h"

namespace perfleak {

const char* ForecastStatusName(ForecastStatus status) {
  switch (status) {
    case ForecastStatus::kForecast:
      return "forecast";
    case ForecastStatus::kReached:
      return "reached";
    case ForecastStatus::kNotRising:
      return "not_rising";
    case ForecastStatus::kNotJudged:
      return "not_judged";
    case ForecastStatus::kUncertain:
      return "uncertain";
    case ForecastStatus::kShortWindow:
      return "short_window";
    case ForecastStatus::kBeyondHorizon:
      return "beyond_horizon";
  }
  return "not_rising";
}

namespace internal {

namespace {

Ticks AfterHours(Ticks from, double hours) {
  return from + static_cast<Ticks>(std::llround(hours * static_cast<double>(kTicksPerHour)));
}

}  // namespace

void ProjectExhaustion(const MemoryPressureOptions& options, ExhaustionForecast* f) {
  f->exhaustion_utc = f->earliest_utc = f->latest_utc = std::nullopt;
  // The interval must hold the estimate even where the bounds came from another fit.
  f->slope_low_per_hour = std::min(f->slope_low_per_hour, f->slope_per_hour);
  f->slope_high_per_hour = std::max(f->slope_high_per_hour, f->slope_per_hour);
  if (f->headroom_bytes <= 0.0) {
    f->status = ForecastStatus::kReached;
    f->exhaustion_utc = f->earliest_utc = f->latest_utc = f->from_utc;
    return;
  }
  if (!(f->slope_per_hour > 0.0)) {
    f->status = ForecastStatus::kNotRising;
    return;
  }
  if (!(f->slope_low_per_hour > 0.0)) {
    f->status = ForecastStatus::kUncertain;
    return;
  }
  if (!(f->window_hours * 60.0 >= options.forecast_min_window_minutes)) {
    f->status = ForecastStatus::kShortWindow;
    return;
  }
  const double horizon = options.forecast_max_horizon_ratio * f->window_hours;
  const double hours = f->headroom_bytes / f->slope_per_hour;
  if (!(hours <= horizon)) {
    f->status = ForecastStatus::kBeyondHorizon;
    return;
  }
  f->status = ForecastStatus::kForecast;
  f->exhaustion_utc = AfterHours(f->from_utc, hours);
  f->earliest_utc = AfterHours(f->from_utc, f->headroom_bytes / f->slope_high_per_hour);
  const double slowest = f->headroom_bytes / f->slope_low_per_hour;
  if (slowest <= horizon) f->latest_utc = AfterHours(f->from_utc, slowest);
}

double LevelAtWindowEnd(const Evidence& ev, const MemoryPressureOptions& options) {
  if (!IsFlagged(ev.verdict) || !(ev.slope_per_hour > 0.0)) return ev.observed_end;
  const double hours = static_cast<double>(ev.window_end_utc - ev.window_start_utc) /
                       static_cast<double>(kTicksPerHour);
  // Never above what the series showed: one that flattened against a limit stays below it.
  return std::min(ev.observed_end + ev.slope_per_hour * 0.5 * options.edge_share * hours,
                  std::max(ev.observed_end, ev.peak));
}

ExhaustionForecast ForecastAtRate(const Evidence& ev, double limit, double level,
                                  const MemoryPressureOptions& options) {
  ExhaustionForecast f;
  f.counter = ev.counter;
  f.slope_per_hour = ev.slope_per_hour;
  f.slope_low_per_hour = ev.slope_low_per_hour;
  f.slope_high_per_hour = ev.slope_high_per_hour;
  f.limit_bytes = limit;
  f.headroom_bytes = limit - level;
  f.from_utc = ev.window_end_utc;
  f.window_hours = static_cast<double>(ev.window_end_utc - ev.window_start_utc) /
                   static_cast<double>(kTicksPerHour);
  if (IsFlagged(ev.verdict) || f.headroom_bytes <= 0.0) {
    ProjectExhaustion(options, &f);
  } else {
    f.status =
        ev.verdict == Verdict::kNotJudged ? ForecastStatus::kNotJudged : ForecastStatus::kNotRising;
  }
  return f;
}

SlopeInterval TheilSenInterval(std::span<const double> x, std::span<const double> y,
                               double confidence, std::size_t max_points) {
  SlopeInterval out;
  const std::size_t n = std::min(x.size(), y.size());
  if (n < 2) return out;
  const LineFit fit = TheilSen(x.first(n), y.first(n));
  const SlopeBounds bounds = SenSlopeBounds(x.first(n), y.first(n), fit, confidence, max_points);
  out.slope = fit.slope;
  out.intercept = fit.intercept;
  out.low = bounds.low;
  out.high = bounds.high;
  return out;
}

}  // namespace internal

}  // namespace perfleak
