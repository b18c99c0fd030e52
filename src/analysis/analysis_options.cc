// AnalysisOptions: the sensitivity presets' names and values, and what a valid set of options
// is. The thresholds' meaning is documented in include/perfleak/analysis.h.
#include <cmath>
#include <string>
#include <string_view>

#include "perfleak/analysis.h"

namespace perfleak {

const char* SensitivityName(Sensitivity sensitivity) {
  switch (sensitivity) {
    case Sensitivity::kLow:
      return "low";
    case Sensitivity::kDefault:
      return "default";
    case Sensitivity::kHigh:
      return "high";
  }
  return "default";
}

Result<Sensitivity> ParseSensitivity(std::string_view text) {
  if (text == "low") return Sensitivity::kLow;
  if (text == "default") return Sensitivity::kDefault;
  if (text == "high") return Sensitivity::kHigh;
  return Status::InvalidArgument("unknown sensitivity '" + std::string(text) +
                                 "'; expected low, default or high");
}

AnalysisOptions AnalysisOptions::ForSensitivity(Sensitivity sensitivity) {
  AnalysisOptions o;
  o.sensitivity = sensitivity;
  switch (sensitivity) {
    case Sensitivity::kLow:
      // Fewer, surer findings: stronger trend, more growth, steadier growth.
      o.min_trend_z = 4.0;
      o.suspect_trend_z = 3.0;
      o.leak_relative_growth = 0.10;
      o.suspect_relative_growth = 0.05;
      o.min_consistency = 0.75;
      o.min_tail_ratio = 0.5;
      o.min_growth_bytes = 16.0 * 1024 * 1024;
      o.min_growth_handles = 200.0;
      o.min_growth_threads = 20.0;
      break;
    case Sensitivity::kDefault:
      break;
    case Sensitivity::kHigh:
      // Catch slow or young leaks at the price of more suspects.
      o.min_trend_z = 2.0;
      o.suspect_trend_z = 1.5;
      o.leak_relative_growth = 0.02;
      o.suspect_relative_growth = 0.01;
      o.min_consistency = 0.5;
      o.min_tail_ratio = 0.25;
      o.min_growth_bytes = 1.0 * 1024 * 1024;
      o.min_growth_handles = 20.0;
      o.min_growth_threads = 5.0;
      break;
  }
  return o;
}

Status AnalysisOptions::Validate() const {
  const auto bad = [](const char* what, const char* want) {
    return Status::InvalidArgument(std::string("analysis option ") + what + " " + want);
  };
  if (min_samples < 3) return bad("min_samples", "must be at least 3");
  if (!(min_trend_z > 0.0) || !std::isfinite(min_trend_z)) return bad("min_trend_z", "must be > 0");
  if (!(suspect_trend_z > 0.0) || !std::isfinite(suspect_trend_z)) {
    return bad("suspect_trend_z", "must be > 0");
  }
  if (!(leak_relative_growth >= 0.0) || !(suspect_relative_growth >= 0.0) ||
      !std::isfinite(leak_relative_growth)) {
    return bad("leak_relative_growth/suspect_relative_growth", "must be >= 0");
  }
  if (!(min_growth_bytes >= 0.0) || !(min_growth_handles >= 0.0) || !(min_growth_threads >= 0.0)) {
    return bad("min_growth_*", "must be >= 0");
  }
  if (!(min_consistency >= 0.0 && min_consistency <= 1.0)) {
    return bad("min_consistency", "must be in [0, 1]");
  }
  if (!std::isfinite(min_tail_ratio)) return bad("min_tail_ratio", "must be finite");
  if (!(min_fit_quality >= 0.0 && min_fit_quality <= 1.0)) {
    return bad("min_fit_quality", "must be in [0, 1]");
  }
  const auto share = [](double v) { return v >= 0.0 && v <= 1.0; };
  if (!share(small_process_growth_share) || !(min_growth_bytes_small >= 0.0) ||
      !share(clean_min_fit_quality) || !std::isfinite(clean_min_trend_z)) {
    return bad("small_process_growth_share/min_growth_bytes_small/clean_*",
               "must be shares in [0, 1], a size >= 0 and a finite z");
  }
  if (!std::isfinite(shape_min_bic_gain) || !share(plateau_min_share) ||
      !(plateau_min_over_pause >= 0.0) || !std::isfinite(plateau_min_over_pause) ||
      !(plateau_max_tail_rise >= 0.0) || !(warmup_max_end_slope_ratio >= 0.0)) {
    return bad("shape_min_bic_gain/plateau_*/warmup_max_end_slope_ratio",
               "must be finite (shares in [0, 1], ratios >= 0)");
  }
  if (!(short_capture_minutes >= 0.0) || !share(short_capture_min_fit_quality)) {
    return bad("short_capture_*", "must be >= 0 (the fit quality in [0, 1])");
  }
  if (max_points != 0 && max_points < min_samples) {
    return bad("max_points", "must be 0 or at least min_samples");
  }
  if (!(memory.commit_ratio > 0.0 && memory.commit_ratio <= 2.0)) {
    return bad("memory.commit_ratio", "must be in (0, 2]");
  }
  if (!(memory.available_floor_mb >= 0.0) || !(memory.paging_file_percent >= 0.0) ||
      !(memory.pool_limit_bytes >= 0.0) || !(memory.pool_ratio > 0.0)) {
    return bad("memory thresholds", "must be >= 0 (pool_ratio > 0)");
  }
  if (!(memory.run_up_hours > 0.0 && memory.run_up_hours < 1e5) ||
      !(focus.run_up_hours > 0.0 && focus.run_up_hours < 1e5)) {
    return bad("run_up_hours", "must be in (0, 1e5)");
  }
  if (!(memory.edge_share > 0.0 && memory.edge_share <= 0.5)) {
    return bad("memory.edge_share", "must be in (0, 0.5]");
  }
  if (!(memory.confidence > 0.5 && memory.confidence < 1.0)) {
    return bad("memory.confidence", "must be in (0.5, 1)");
  }
  if (!(memory.forecast_min_window_minutes >= 0.0) || !(memory.forecast_max_horizon_ratio > 0.0) ||
      !std::isfinite(memory.forecast_max_horizon_ratio)) {
    return bad("memory.forecast_*", "must be >= 0 (the horizon ratio finite and > 0)");
  }
  if (!std::isfinite(severe_trend_z) || !std::isfinite(severe_relative_growth) ||
      !(severe_min_fit_quality >= 0.0 && severe_min_fit_quality <= 1.0)) {
    return bad("severe_*", "must be finite (severe_min_fit_quality in [0, 1])");
  }
  if (!share(managed_min_share) || !share(native_max_share) ||
      !(native_max_share < managed_min_share)) {
    return bad("managed_min_share/native_max_share", "must be shares in [0, 1], native below");
  }
  return Status::OK();
}

}  // namespace perfleak
