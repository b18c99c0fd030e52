// Post-mortem memory analysis: system memory context, pressure episodes, which processes or
// kernel pools grew in the run-up to them, and when commit would be exhausted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "perfleak/counter_log.h"

namespace perfleak {

/// Thresholds of pressure episodes. Plain data with the documented defaults.
struct MemoryPressureOptions {
  /// Memory\Committed Bytes above this share of Memory\Commit Limit is commit pressure.
  double commit_ratio = 0.90;
  /// Memory\Available MBytes below min(available_floor_mb, available_floor_share x Commit
  /// Limit) is low available memory: a small machine (1 GB RAM) runs at 80 MB free as a matter
  /// of course, a 64 GB server at 100 MB is in trouble.
  double available_floor_mb = 100.0;
  double available_floor_share = 0.03;
  /// Paging File(_Total)\% Usage above this (percent) is a full paging file.
  double paging_file_percent = 90.0;
  /// Pool maximum in bytes (the log has no counter for it); 0 = unknown, no pool episodes.
  double pool_limit_bytes = 0.0;
  /// Pool bytes above this share of pool_limit_bytes is pool pressure.
  double pool_ratio = 0.90;
  /// Length of the attribution window before an episode's peak (clipped to the window).
  double run_up_hours = 6.0;
  /// Share of the attribution window at each end whose median is the robust level.
  double edge_share = 0.10;
  /// Growth below this (bytes) is jitter: not listed, not counted in the shares.
  double min_grower_bytes = 1024.0 * 1024.0;
  /// An episode ends only after its measure has left the threshold's hysteresis band for at
  /// least 3 samples and this long; shorter dips do not split it.
  double episode_gap_minutes = 15.0;
  /// Growers listed per attribution (largest first).
  std::size_t max_growers = 10;
  /// Two-sided confidence of the exhaustion interval.
  double confidence = 0.95;
  /// Forecasts extrapolate a straight line only where that is honest: the slope's interval
  /// excludes zero, the fitted window spans at least forecast_min_window_minutes, and the
  /// limit is reached within forecast_max_horizon_ratio x that window.
  double forecast_min_window_minutes = 30.0;
  double forecast_max_horizon_ratio = 4.0;
};

enum class PressureKind : std::uint8_t {
  kCommit,
  kAvailable,
  kPagingFile,
  kPoolPaged,
  kPoolNonpaged
};
/// "commit", "available", "paging_file", "pool_paged", "pool_nonpaged".
const char* PressureKindName(PressureKind kind);

/// One process (all lifetimes of one instance in the window) or kernel pool that grew.
struct Grower {
  std::string machine;
  std::string process;   ///< image name, or `(kernel)` for a pool
  std::string instance;  ///< `svchost#1`; the counter name for a pool (`Pool Paged Bytes`)
  bool kernel_pool = false;
  std::vector<std::int64_t> pids;  ///< PIDs seen in the window
  bool appeared = false;           ///< a lifetime started inside the window (grew from 0)
  double start_bytes = 0.0;        ///< robust level at the window start (0 if not there yet)
  double end_bytes = 0.0;          ///< robust level at the window end (0 if it had exited)
  double growth_bytes = 0.0;       ///< end - start, summed over lifetimes
  double share = 0.0;              ///< of the total positive growth, 0..1
};

/// Growth attribution over a window [from, to].
struct Attribution {
  std::string machine;
  Ticks from_utc = 0, to_utc = 0;
  double total_growth_bytes = 0.0;   ///< sum of the positive growths (processes and pools)
  double commit_growth_bytes = 0.0;  ///< robust growth of Committed Bytes, when logged
  bool has_commit_growth = false;
  std::vector<Grower> growers;  ///< positive growers, largest first
};

/// A time span where a memory measure stayed past its threshold.
struct PressureEpisode {
  std::string machine;
  PressureKind kind = PressureKind::kCommit;
  Ticks start_utc = 0, end_utc = 0;  ///< first and last sample past the threshold
  bool ongoing = false;              ///< still past the threshold at the window's end
  Ticks peak_utc = 0;
  double peak_value = 0.0;  ///< commit/pool: share of the limit (0..1); available: MB; paging: %
  double threshold = 0.0;   ///< in the same unit as peak_value
  Attribution run_up;       ///< growers in the run_up_hours before the peak
};

/// Whether a forecast was made, and why not.
enum class ForecastStatus : std::uint8_t {
  kForecast,       ///< exhaustion_utc and its interval are set
  kReached,        ///< at or past the limit already
  kNotRising,      ///< the series is not growing (judged ok, or its slope is not positive)
  kNotJudged,      ///< too few samples to judge a trend
  kUncertain,      ///< the slope's confidence interval includes zero
  kShortWindow,    ///< the fitted window is shorter than forecast_min_window_minutes
  kBeyondHorizon,  ///< the limit lies beyond forecast_max_horizon_ratio x the fitted window
};
/// "forecast", "reached", "not_rising", "not_judged", "uncertain", "short_window",
/// "beyond_horizon".
const char* ForecastStatusName(ForecastStatus status);

/// When a limit is reached at the current robust rate.
struct ExhaustionForecast {
  std::string machine;
  std::string subject;  ///< `system commit` or the process instance
  std::string counter;  ///< `Committed Bytes`, `Private Bytes`
  std::vector<std::int64_t> pids;
  double slope_per_hour = 0.0;                                 ///< Theil-Sen, bytes per hour
  double slope_low_per_hour = 0.0, slope_high_per_hour = 0.0;  ///< confidence bounds
  double headroom_bytes = 0.0;  ///< limit minus the observed level at from_utc
  double limit_bytes = 0.0;
  Ticks from_utc = 0;         ///< end of the fitted window, where the forecast starts
  double window_hours = 0.0;  ///< length of the fitted window
  ForecastStatus status = ForecastStatus::kNotRising;
  /// Set only with kForecast (kReached: all three are from_utc). earliest_utc <=
  /// exhaustion_utc <= latest_utc; latest_utc absent = not reached within the horizon at the
  /// slope's lower bound.
  std::optional<Ticks> exhaustion_utc, earliest_utc, latest_utc;
};

/// A point of the commit chart (thinned to a few hundred points).
struct MemoryPoint {
  Ticks utc = 0;
  double committed = kMissing, limit = kMissing;
};

/// The system memory context of one machine over the analysed window.
struct SystemMemory {
  std::string machine;
  std::optional<double> commit_limit_bytes;  ///< last logged value
  std::optional<double> committed_last_bytes, committed_peak_bytes, commit_peak_ratio;
  std::optional<Ticks> commit_peak_utc;
  std::optional<double> available_min_mb, pool_paged_peak_bytes, pool_nonpaged_peak_bytes,
      paging_file_peak_percent;
  std::optional<ExhaustionForecast> commit_exhaustion;
  std::vector<MemoryPoint> chart;
};

/// The post-mortem result attached to LogAnalysis.
struct SystemMemoryAnalysis {
  Ticks window_from_utc = 0, window_to_utc = 0;  ///< the analysed window
  std::vector<SystemMemory> machines;
  std::vector<PressureEpisode> episodes;  ///< in time order
  /// `--at`: growers in the window ending at the incident, one per machine.
  std::optional<Ticks> incident_utc;
  std::vector<Attribution> incident;
  /// Leaking processes' Private Bytes against the commit headroom.
  std::vector<ExhaustionForecast> process_exhaustion;
};

}  // namespace perfleak
