#include "analysis/memory_pressure.h"

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <utility>

#include "analysis/attribution.h"
#include "analysis/counter_names.h"
#include "analysis/episodes.h"
#include "analysis/exhaustion.h"
#include "common/ascii_case_internal.h"

namespace perfleak {

const char* PressureKindName(PressureKind kind) {
  switch (kind) {
    case PressureKind::kCommit:
      return "commit";
    case PressureKind::kAvailable:
      return "available";
    case PressureKind::kPagingFile:
      return "paging_file";
    case PressureKind::kPoolPaged:
      return "pool_paged";
    case PressureKind::kPoolNonpaged:
      return "pool_nonpaged";
  }
  return "commit";
}

namespace internal {

namespace {

constexpr std::size_t kChartPoints = 400;

// The last finite positive value of a column in [begin, end).
std::optional<double> LastPositive(std::span<const double> column, std::size_t begin,
                                   std::size_t end) {
  for (std::size_t i = end; i > begin; --i) {
    if (std::isfinite(column[i - 1]) && column[i - 1] > 0.0) return column[i - 1];
  }
  return std::nullopt;
}

// The evidence of `counter` in the system finding of `machine`, or null.
const Evidence* SystemEvidence(const std::vector<Finding>& findings, const std::string& machine,
                               std::string_view counter) {
  for (const Finding& f : findings) {
    if (!f.system || AsciiLower(f.machine) != AsciiLower(machine)) continue;
    for (const Evidence& ev : f.evidence) {
      if (ev.counter == counter) return &ev;
    }
  }
  return nullptr;
}

// The commit chart: the maximum of each of at most kChartPoints buckets, so the peak that
// mattered is drawn.
std::vector<MemoryPoint> CommitChart(const CounterLog& log, const MachineColumns& mc) {
  const std::size_t n = log.num_samples();
  std::vector<MemoryPoint> chart;
  const std::size_t buckets = std::min(n, kChartPoints);
  for (std::size_t b = 0; b < buckets; ++b) {
    const std::size_t first = n * b / buckets, last = n * (b + 1) / buckets;
    MemoryPoint p;
    p.utc = log.time_utc[first];
    for (std::size_t i = first; i < last; ++i) {
      const double c = log.columns[mc.committed][i];
      if (std::isfinite(c) && !(c <= p.committed)) p.committed = c;
      if (mc.limit != kNoColumn) {
        const double l = log.columns[mc.limit][i];
        if (std::isfinite(l) && l > 0.0) p.limit = l;
      }
    }
    chart.push_back(p);
  }
  return chart;
}

// Leaking processes of `machine` against its commit headroom, each at its own judged rate.
void ProcessForecasts(const std::vector<Finding>& findings, const std::string& machine,
                      const ExhaustionForecast& commit, const MemoryPressureOptions& options,
                      std::vector<ExhaustionForecast>* out) {
  for (const Finding& f : findings) {
    if (f.system || f.verdict != Verdict::kLeak || AsciiLower(f.machine) != AsciiLower(machine)) {
      continue;
    }
    for (const Evidence& ev : f.evidence) {
      if (ev.counter != kPrivateBytes || ev.verdict != Verdict::kLeak) continue;
      ExhaustionForecast fc = ForecastAtRate(ev, commit.limit_bytes,
                                             commit.limit_bytes - commit.headroom_bytes, options);
      fc.machine = f.machine;
      fc.subject = f.instance;
      fc.pids = f.pids;
      out->push_back(std::move(fc));
    }
  }
}

// The memory context of one machine over the whole log, its episodes appended to `episodes`.
SystemMemory MachineMemory(const CounterLog& log, const MachineColumns& mc,
                           const std::vector<Finding>& findings,
                           const MemoryPressureOptions& options,
                           std::vector<EpisodeAtPeak>* episodes) {
  const std::size_t n = log.num_samples();
  SystemMemory sm;
  sm.machine = mc.machine;
  if (mc.limit != kNoColumn) sm.commit_limit_bytes = LastPositive(log.columns[mc.limit], 0, n);
  if (mc.committed != kNoColumn) {
    sm.committed_last_bytes = LastPositive(log.columns[mc.committed], 0, n);
    sm.chart = CommitChart(log, mc);
    // The forecast is the system finding's: its judged window is the current regime (after
    // the last change point), and the report's rate and the forecast's are one number.
    if (const Evidence* commit = SystemEvidence(findings, mc.machine, kCommittedBytes);
        commit != nullptr && commit->forecast) {
      sm.commit_exhaustion = *commit->forecast;
      sm.commit_exhaustion->machine = mc.machine;
      sm.commit_exhaustion->subject = "system commit";
    }
  }
  MeasurePressure(log, mc, options, &sm, episodes);
  return sm;
}

// The episodes in time order, each with the growers of the run_up_hours before its peak.
std::vector<PressureEpisode> AttributeRunUps(const CounterLog& log,
                                             const std::vector<const InstanceColumns*>& groups,
                                             const std::vector<MachineColumns>& machines,
                                             const std::vector<Finding>& findings,
                                             const MemoryPressureOptions& options,
                                             std::vector<EpisodeAtPeak> episodes) {
  std::stable_sort(episodes.begin(), episodes.end(), [](const auto& a, const auto& b) {
    return a.first.start_utc < b.first.start_utc;
  });
  std::vector<PressureEpisode> out;
  for (auto& [episode, peak_sample] : episodes) {
    // Not episode.machine inside the lambda: clang 14 (the fuzz build) cannot capture a
    // structured binding.
    const std::string& machine = episode.machine;
    const auto it = std::find_if(machines.begin(), machines.end(),
                                 [&](const MachineColumns& m) { return m.machine == machine; });
    const std::size_t begin = RunUpBegin(log, 0, peak_sample, options.run_up_hours);
    if (it != machines.end() && peak_sample > begin) {
      episode.run_up = Attribute(log, groups, *it, findings, begin, peak_sample + 1, options);
    } else {
      episode.run_up.machine = episode.machine;
      episode.run_up.from_utc = episode.run_up.to_utc = episode.peak_utc;
    }
    out.push_back(std::move(episode));
  }
  return out;
}

}  // namespace

std::optional<SystemMemoryAnalysis> AnalyzeSystemMemory(const CounterLog& log,
                                                        const ProcessColumns& columns,
                                                        const std::vector<Finding>& findings,
                                                        const MemoryPressureOptions& options,
                                                        std::optional<Ticks> at_utc) {
  const std::size_t n = log.num_samples();
  if (n == 0) return std::nullopt;
  const std::vector<const InstanceColumns*> groups = columns.MemoryGroups();
  std::vector<MachineColumns> machines = columns.machines;
  // A machine with process columns but no Memory object still gets growers for `--at`.
  for (const InstanceColumns* pc : groups) {
    const bool known = std::any_of(machines.begin(), machines.end(), [&](const MachineColumns& m) {
      return AsciiLower(m.machine) == AsciiLower(pc->machine);
    });
    if (!known && at_utc) machines.push_back(MachineColumns{pc->machine, {}});
  }
  if (machines.empty()) return std::nullopt;
  SystemMemoryAnalysis out;
  out.window_from_utc = log.time_utc.front();
  out.window_to_utc = log.time_utc.back();
  out.incident_utc = at_utc;
  std::vector<EpisodeAtPeak> episodes;
  for (const MachineColumns& mc : machines) {
    SystemMemory sm = MachineMemory(log, mc, findings, options, &episodes);
    if (sm.commit_exhaustion) {
      ProcessForecasts(findings, mc.machine, *sm.commit_exhaustion, options,
                       &out.process_exhaustion);
    }
    out.machines.push_back(std::move(sm));
  }
  out.episodes = AttributeRunUps(log, groups, machines, findings, options, std::move(episodes));
  if (at_utc && n >= 2) {
    for (const MachineColumns& mc : machines) {
      out.incident.push_back(Attribute(log, groups, mc, findings, 0, n, options));
    }
  }
  std::stable_sort(out.process_exhaustion.begin(), out.process_exhaustion.end(),
                   [](const ExhaustionForecast& a, const ExhaustionForecast& b) {
                     const Ticks ta = a.exhaustion_utc.value_or(INT64_MAX);
                     const Ticks tb = b.exhaustion_utc.value_or(INT64_MAX);
                     return ta < tb;
                   });
  return out;
}

}  // namespace internal

}  // namespace perfleak
