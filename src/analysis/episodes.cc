#include "analysis/episodes.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <span>
#include <string>
#include <tuple>

namespace perfleak::internal {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// Runs of samples past a threshold (`enter`). A run continues while the measure stays in a
// hysteresis band (`stay`, a little below the threshold) and through short dips out of it
// (fewer than 3 samples or shorter than `gap_minutes`), so a measure hovering at the threshold
// makes one episode, not dozens. Missing samples neither start nor end a run.
template <typename Enter, typename Stay>
void FindEpisodes(const CounterLog& log, std::span<const double> values, const std::string& machine,
                  PressureKind kind, double threshold, double gap_minutes, Enter enter, Stay stay,
                  std::vector<EpisodeAtPeak>* out) {
  const std::size_t n = log.num_samples();
  // A value and a flag, not std::optional: GCC 12 warns (maybe-uninitialized) on the
  // optional's vector member once this is inlined into MeasurePressure.
  PressureEpisode current;
  bool open = false;
  std::size_t peak_sample = 0, last_in = 0, out_count = 0;
  double peak = 0.0;
  const auto gap = static_cast<Ticks>(gap_minutes * 60.0 * static_cast<double>(kTicksPerSecond));
  const auto close = [&](bool ongoing) {
    current.ongoing = ongoing;
    current.end_utc = log.time_utc[last_in];
    current.peak_utc = log.time_utc[peak_sample];
    current.peak_value = peak;
    out->emplace_back(std::move(current), peak_sample);
    open = false;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const double v = values[i];
    if (!std::isfinite(v)) continue;
    const bool past = enter(v);
    if (!open && !past) continue;
    if (!open) {
      current = PressureEpisode{};
      open = true;
      current.machine = machine;
      current.kind = kind;
      current.threshold = threshold;
      current.start_utc = log.time_utc[i];
      peak_sample = i;
      peak = v;
    }
    if (past || stay(v)) {
      if (past) last_in = i;
      out_count = 0;
      // Low available memory peaks at its minimum, the others at their maximum.
      const bool more = kind == PressureKind::kAvailable ? v < peak : v > peak;
      if (more) {
        peak = v;
        peak_sample = i;
      }
      continue;
    }
    ++out_count;
    if (out_count >= 3 && log.time_utc[i] - log.time_utc[last_in] >= gap) close(false);
  }
  if (open) close(out_count == 0);
}

// The finite peak (maximum) of a column, into `peak`.
void PeakOf(std::span<const double> column, std::optional<double>* peak) {
  for (const double v : column) {
    if (std::isfinite(v) && (!*peak || v > **peak)) *peak = v;
  }
}

// Commit ratio per sample against the limit logged with it (the limit moves when the paging
// file grows), or the last known limit when that cell is blank; its peak and the committed
// bytes' peak go into `sm`.
std::vector<double> CommitRatio(const CounterLog& log, const MachineColumns& mc, SystemMemory* sm) {
  const std::size_t n = log.num_samples();
  std::vector<double> ratio(n, kMissing);
  double last_limit = kMissing;
  for (std::size_t i = 0; i < n; ++i) {
    const double c = log.columns[mc.committed][i];
    if (mc.limit != kNoColumn && std::isfinite(log.columns[mc.limit][i]) &&
        log.columns[mc.limit][i] > 0.0) {
      last_limit = log.columns[mc.limit][i];
    }
    if (!std::isfinite(c)) continue;
    if (!sm->committed_peak_bytes || c > *sm->committed_peak_bytes) {
      sm->committed_peak_bytes = c;
      if (!std::isfinite(last_limit)) sm->commit_peak_utc = log.time_utc[i];
    }
    if (std::isfinite(last_limit)) {
      ratio[i] = c / last_limit;
      if (!sm->commit_peak_ratio || ratio[i] > *sm->commit_peak_ratio) {
        sm->commit_peak_ratio = ratio[i];
        sm->commit_peak_utc = log.time_utc[i];
      }
    }
  }
  return ratio;
}

}  // namespace

void MeasurePressure(const CounterLog& log, const MachineColumns& mc,
                     const MemoryPressureOptions& options, SystemMemory* sm,
                     std::vector<EpisodeAtPeak>* episodes) {
  const std::size_t n = log.num_samples();
  const double gap = options.episode_gap_minutes;
  const auto column = [&](std::size_t c) {
    return std::span<const double>(log.columns[c]).first(n);
  };
  // Hysteresis bands: 2 points of the limit, a quarter of the floor, 3 points of the file.
  if (mc.committed != kNoColumn) {
    FindEpisodes(
        log, CommitRatio(log, mc, sm), mc.machine, PressureKind::kCommit, options.commit_ratio, gap,
        [&](double r) { return r >= options.commit_ratio; },
        [&](double r) { return r >= options.commit_ratio - 0.02; }, episodes);
  }
  if (mc.available != kNoColumn) {
    for (const double v : column(mc.available)) {
      if (std::isfinite(v) && (!sm->available_min_mb || v < *sm->available_min_mb)) {
        sm->available_min_mb = v;
      }
    }
    double floor = options.available_floor_mb;
    if (sm->commit_limit_bytes) {
      floor = std::min(floor, options.available_floor_share * *sm->commit_limit_bytes / kMiB);
    }
    FindEpisodes(
        log, column(mc.available), mc.machine, PressureKind::kAvailable, floor, gap,
        [&](double v) { return v < floor; }, [&](double v) { return v < 1.25 * floor; }, episodes);
  }
  if (mc.paging_file != kNoColumn) {
    PeakOf(column(mc.paging_file), &sm->paging_file_peak_percent);
    FindEpisodes(
        log, column(mc.paging_file), mc.machine, PressureKind::kPagingFile,
        options.paging_file_percent, gap, [&](double v) { return v > options.paging_file_percent; },
        [&](double v) { return v > options.paging_file_percent - 3.0; }, episodes);
  }
  for (const auto& [col, kind, peak] :
       {std::tuple{mc.pool_paged, PressureKind::kPoolPaged, &sm->pool_paged_peak_bytes},
        std::tuple{mc.pool_nonpaged, PressureKind::kPoolNonpaged, &sm->pool_nonpaged_peak_bytes}}) {
    if (col == kNoColumn) continue;
    PeakOf(column(col), peak);
    if (options.pool_limit_bytes > 0.0) {
      const double limit = options.pool_limit_bytes;
      std::vector<double> share(n, kMissing);
      for (std::size_t k = 0; k < n; ++k) share[k] = log.columns[col][k] / limit;
      FindEpisodes(
          log, share, mc.machine, kind, options.pool_ratio, gap,
          [&](double r) { return r >= options.pool_ratio; },
          [&](double r) { return r >= options.pool_ratio - 0.02; }, episodes);
    }
  }
}

}  // namespace perfleak::internal
