#include "analysis/memory_pressure.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "analysis/counter_names.h"
#include "analysis/exhaustion.h"
#include "analysis/robust_trend.h"
#include "common/time_format_internal.h"
#include "perfleak/ascii_case.h"
#include "perfleak/time_format.h"

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

namespace {

constexpr const char* kTimeForms =
    "expected the log's local time (2026-11-20 03:12, 2026-11-20T03:12:00, 11/20/2026 "
    "03:12:00) or ISO 8601 with a zone (2026-11-20T11:12:00Z, 2026-11-20T13:12:00+02:00)";

double MedianOf(std::vector<double> values) {
  return values.empty() ? 0.0 : internal::Median(values);
}

}  // namespace

Result<TimeText> ParseTimeText(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  TimeText out;
  if (text.size() >= 3 && text[2] == '/') {
    if (internal::ParsePdhTimeText(text, &out.ticks)) return out;
    return Status::InvalidArgument("cannot read the time '" + std::string(text) + "'; " +
                                   kTimeForms);
  }
  std::string iso(text);
  // ISO 8601 allows a space for the `T` by mutual agreement (RFC 3339, 5.6), as logs show it.
  if (iso.size() > 10 && iso[10] == ' ') iso[10] = 'T';
  auto parsed = ParseIsoTime(iso, &out.has_zone);
  if (!parsed.ok()) {
    return Status::InvalidArgument("cannot read the time '" + std::string(text) + "'; " +
                                   kTimeForms);
  }
  out.ticks = *parsed;
  return out;
}

Result<ResolvedFocus> ResolveFocus(const CounterLog& log, const FocusOptions& focus) {
  const std::size_t n = log.num_samples();
  ResolvedFocus out;
  out.end = n;
  if (n == 0) return out;
  const auto range = [&] {
    return log.source + " runs from " + FormatLocal(log.time_local.front()) + " to " +
           FormatLocal(log.time_local.back()) + " local time (" +
           FormatIsoUtc(log.time_utc.front(), false) + " to " +
           FormatIsoUtc(log.time_utc.back(), false) + ")";
  };
  // Places one time: returns the UTC instant; the log's clock (local or UTC) is chosen by the
  // text having a zone. Local times map through the nearest sample's own offset, so DST and
  // the CSV bias are whatever the log recorded.
  const auto place = [&](const char* option, const std::string& text) -> Result<Ticks> {
    PERFLEAK_ASSIGN_OR_RETURN(const TimeText t, ParseTimeText(text));
    const std::vector<Ticks>& axis = t.has_zone ? log.time_utc : log.time_local;
    const auto [lo, hi] = std::minmax_element(axis.begin(), axis.end());
    if (t.ticks < *lo || t.ticks > *hi) {
      return Status::OutOfRange(std::string(option) + " " + text +
                                " is outside the log: " + range() +
                                "; hint: give a time inside that range, as the log shows "
                                "it or ISO 8601 with a zone");
    }
    std::size_t nearest = 0;
    Ticks best = -1;
    for (std::size_t i = 0; i < n; ++i) {
      const Ticks d = axis[i] > t.ticks ? axis[i] - t.ticks : t.ticks - axis[i];
      if (best < 0 || d < best) {
        best = d;
        nearest = i;
      }
    }
    return t.has_zone ? t.ticks : log.time_utc[nearest] + (t.ticks - log.time_local[nearest]);
  };
  std::optional<Ticks> from, to;
  if (!focus.from.empty()) {
    PERFLEAK_ASSIGN_OR_RETURN(from, place("--from", focus.from));
  }
  if (!focus.to.empty()) {
    PERFLEAK_ASSIGN_OR_RETURN(to, place("--to", focus.to));
  }
  if (!focus.at.empty()) {
    PERFLEAK_ASSIGN_OR_RETURN(out.at_utc, place("--at", focus.at));
    if (!to) to = out.at_utc;
    if (!from) {
      const auto run_up =
          static_cast<Ticks>(focus.run_up_hours * static_cast<double>(kTicksPerHour));
      from = std::max(*out.at_utc - run_up, log.time_utc.front());
    }
  }
  if (from && to && *from > *to) {
    return Status::OutOfRange("the focus window ends (" + FormatIsoUtc(*to, false) +
                              ") before it starts (" + FormatIsoUtc(*from, false) +
                              "); hint: --from must come before --to and --at");
  }
  out.begin = n;
  out.end = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Ticks t = log.time_utc[i];
    if ((from && t < *from) || (to && t > *to)) continue;
    out.begin = std::min(out.begin, i);
    out.end = std::max(out.end, i + 1);
  }
  if (out.begin >= out.end) {
    return Status::OutOfRange("the focus window holds no sample of the log: " + range() +
                              "; hint: widen --from/--to");
  }
  out.from_utc = log.time_utc[out.begin];
  out.to_utc = log.time_utc[out.end - 1];
  return out;
}

namespace internal {

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

namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr std::size_t kChartPoints = 400;

Ticks AddHours(Ticks t, double hours) {
  return t + static_cast<Ticks>(std::llround(hours * static_cast<double>(kTicksPerHour)));
}

// The robust levels at the two ends of [begin, end): medians of the finite samples in the
// first and last `edge` samples. Absent at an end without a finite sample there.
struct EdgeLevels {
  std::optional<double> start, end;
};

EdgeLevels LevelsAt(std::span<const double> column, std::size_t begin, std::size_t end,
                    std::size_t edge) {
  EdgeLevels out;
  std::vector<double> head, tail;
  for (std::size_t i = begin; i < std::min(end, begin + edge); ++i) {
    if (std::isfinite(column[i])) head.push_back(column[i]);
  }
  for (std::size_t i = end > edge ? std::max(begin, end - edge) : begin; i < end; ++i) {
    if (std::isfinite(column[i])) tail.push_back(column[i]);
  }
  if (!head.empty()) out.start = MedianOf(std::move(head));
  if (!tail.empty()) out.end = MedianOf(std::move(tail));
  return out;
}

// The one definition of the observed levels' edges (ObservedEdgeCount), so a process's growth
// here and in its finding agree over the same window.
std::size_t EdgeSamples(std::size_t begin, std::size_t end, const MemoryPressureOptions& options) {
  return ObservedEdgeCount(end - begin, options.edge_share);
}

// Finds the finding that owns a PID (or an instance column without PIDs).
const Finding* OwnerOf(const std::vector<Finding>& findings, const InstanceColumns& pc,
                       std::optional<std::int64_t> pid) {
  const std::string machine = AsciiLower(pc.machine), image = AsciiLower(pc.process);
  for (const Finding& f : findings) {
    if (f.system || AsciiLower(f.machine) != machine || AsciiLower(f.process) != image) continue;
    if (pid) {
      if (std::find(f.pids.begin(), f.pids.end(), *pid) != f.pids.end()) return &f;
    } else if (f.instance == pc.instance) {
      return &f;
    }
  }
  return nullptr;
}

// Growth of every process (summed over its lifetimes in the window) and of the kernel pools
// over samples [begin, end) of one machine. A lifetime not present at the window's start grew
// from 0 (`appeared`); one gone before its end fell to 0.
Attribution Attribute(const CounterLog& log, const std::vector<const InstanceColumns*>& groups,
                      const MachineColumns& mc, const std::vector<Finding>& findings,
                      std::size_t begin, std::size_t end, const MemoryPressureOptions& options) {
  Attribution a;
  a.machine = mc.machine;
  a.from_utc = log.time_utc[begin];
  a.to_utc = log.time_utc[end - 1];
  const std::size_t edge = EdgeSamples(begin, end, options);
  std::map<std::string, Grower> growers;  // by instance key
  std::vector<std::string> order;
  const std::string machine = AsciiLower(mc.machine);
  // One series per PID across the `#n` columns of its image (PDH moves a process to another
  // column when a namesake exits, so a column holds several processes over time and a process
  // may span columns); without ID Process a column is one process.
  struct Series {
    const InstanceColumns* columns = nullptr;  // where it was first seen (names, owner lookup)
    std::optional<std::int64_t> pid;
    std::vector<std::pair<std::size_t, double>> samples;
  };
  std::map<std::pair<std::string, std::int64_t>, std::size_t> by_pid;
  std::vector<Series> series;
  for (const InstanceColumns* group : groups) {
    const InstanceColumns& pc = *group;
    if (AsciiLower(pc.machine) != machine || pc.columns[kPrivateBytesSlot] == kNoColumn) continue;
    const std::vector<double>& values = log.columns[pc.columns[kPrivateBytesSlot]];
    Series no_pid{&pc, std::nullopt, {}};
    const std::string image = AsciiLower(pc.process);
    // A PID stays in one column for long runs: remember the last one to skip the map lookup.
    std::optional<std::int64_t> last_pid;
    std::size_t last_series = 0;
    for (std::size_t i = begin; i < end; ++i) {
      if (!std::isfinite(values[i])) continue;
      const std::optional<std::int64_t> id = PidAt(log, pc, i);
      if (!id) {
        no_pid.samples.emplace_back(i, values[i]);
        continue;
      }
      const std::int64_t pid = *id;
      if (pid != last_pid) {
        auto [it, inserted] = by_pid.try_emplace({image, pid}, series.size());
        if (inserted) series.push_back(Series{&pc, pid, {}});
        last_pid = pid;
        last_series = it->second;
      }
      series[last_series].samples.emplace_back(i, values[i]);
    }
    if (!no_pid.samples.empty()) series.push_back(std::move(no_pid));
  }
  for (Series& ser : series) {
    // Two columns may both show the PID at the same sample while PDH renumbers; keep one.
    std::stable_sort(ser.samples.begin(), ser.samples.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    const InstanceColumns& pc = *ser.columns;
    const Finding* owner = OwnerOf(findings, pc, ser.pid);
    const std::string key = owner != nullptr ? owner->instance : pc.instance;
    auto [it, inserted] = growers.try_emplace(key);
    Grower& g = it->second;
    if (inserted) {
      order.push_back(key);
      g.machine = mc.machine;
      g.process = owner != nullptr ? owner->process : pc.process;
      g.instance = key;
    }
    if (ser.pid && std::find(g.pids.begin(), g.pids.end(), *ser.pid) == g.pids.end()) {
      g.pids.push_back(*ser.pid);
    }
    std::vector<double> head, tail;
    std::size_t previous = kNoColumn;
    for (const auto& [i, v] : ser.samples) {
      if (i == previous) continue;
      previous = i;
      if (i < begin + edge) head.push_back(v);
      if (i + edge >= end) tail.push_back(v);
    }
    if (head.empty()) g.appeared = true;
    const double start = head.empty() ? 0.0 : MedianOf(std::move(head));
    const double stop = tail.empty() ? 0.0 : MedianOf(std::move(tail));
    g.start_bytes += start;
    g.end_bytes += stop;
    g.growth_bytes += stop - start;
  }
  std::vector<Grower> all;
  for (const std::string& key : order) all.push_back(std::move(growers[key]));
  for (const auto& [column, name] : {std::pair{mc.pool_paged, kPoolPagedBytes},
                                     std::pair{mc.pool_nonpaged, kPoolNonpagedBytes}}) {
    if (column == kNoColumn) continue;
    const EdgeLevels levels = LevelsAt(log.columns[column], begin, end, edge);
    if (!levels.start || !levels.end) continue;
    Grower g;
    g.machine = mc.machine;
    g.process = "(kernel)";
    g.instance = std::string(name);
    g.kernel_pool = true;
    g.start_bytes = *levels.start;
    g.end_bytes = *levels.end;
    g.growth_bytes = *levels.end - *levels.start;
    all.push_back(std::move(g));
  }
  // Growth below the noise floor (a stable process's jitter) is neither listed nor counted,
  // so shares do not depend on how many stable processes the log has.
  const auto counts = [&](const Grower& g) { return g.growth_bytes >= options.min_grower_bytes; };
  for (const Grower& g : all) {
    if (counts(g)) a.total_growth_bytes += g.growth_bytes;
  }
  for (Grower& g : all) {
    if (!counts(g)) continue;
    g.share = a.total_growth_bytes > 0.0 ? g.growth_bytes / a.total_growth_bytes : 0.0;
    a.growers.push_back(std::move(g));
  }
  std::stable_sort(a.growers.begin(), a.growers.end(), [](const Grower& x, const Grower& y) {
    return x.growth_bytes > y.growth_bytes;
  });
  if (a.growers.size() > options.max_growers) a.growers.resize(options.max_growers);
  if (mc.committed != kNoColumn) {
    const EdgeLevels levels = LevelsAt(log.columns[mc.committed], begin, end, edge);
    if (levels.start && levels.end) {
      a.has_commit_growth = true;
      a.commit_growth_bytes = *levels.end - *levels.start;
    }
  }
  return a;
}

// The last finite positive value of a column in [begin, end).
std::optional<double> LastPositive(std::span<const double> column, std::size_t begin,
                                   std::size_t end) {
  for (std::size_t i = end; i > begin; --i) {
    if (std::isfinite(column[i - 1]) && column[i - 1] > 0.0) return column[i - 1];
  }
  return std::nullopt;
}

// First sample at or after `hours` before sample `last`.
std::size_t RunUpBegin(const CounterLog& log, std::size_t begin, std::size_t last, double hours) {
  const Ticks from = AddHours(log.time_utc[last], -hours);
  std::size_t i = last;
  while (i > begin && log.time_utc[i - 1] >= from) --i;
  return i;
}

// Runs of samples past a threshold (`enter`). A run continues while the measure stays in a
// hysteresis band (`stay`, a little below the threshold) and through short dips out of it
// (fewer than 3 samples or shorter than `gap_minutes`), so a measure hovering at the threshold
// makes one episode, not dozens. Missing samples neither start nor end a run.
template <typename Enter, typename Stay>
void FindEpisodes(const CounterLog& log, std::span<const double> values, const std::string& machine,
                  PressureKind kind, double threshold, double gap_minutes, Enter enter, Stay stay,
                  std::vector<std::pair<PressureEpisode, std::size_t>>* out) {
  const std::size_t n = log.num_samples();
  std::optional<PressureEpisode> current;
  std::size_t peak_sample = 0, last_in = 0, out_count = 0;
  double peak = 0.0;
  const auto gap = static_cast<Ticks>(gap_minutes * 60.0 * static_cast<double>(kTicksPerSecond));
  const auto close = [&](bool ongoing) {
    current->ongoing = ongoing;
    current->end_utc = log.time_utc[last_in];
    current->peak_utc = log.time_utc[peak_sample];
    current->peak_value = peak;
    out->emplace_back(std::move(*current), peak_sample);
    current.reset();
  };
  for (std::size_t i = 0; i < n; ++i) {
    const double v = values[i];
    if (!std::isfinite(v)) continue;
    const bool past = enter(v);
    if (!current && !past) continue;
    if (!current) {
      current.emplace();
      current->machine = machine;
      current->kind = kind;
      current->threshold = threshold;
      current->start_utc = log.time_utc[i];
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
  if (current) close(out_count == 0);
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
  std::vector<std::pair<PressureEpisode, std::size_t>> episodes;
  const double gap = options.episode_gap_minutes;
  for (const MachineColumns& mc : machines) {
    SystemMemory sm;
    sm.machine = mc.machine;
    const auto column = [&](std::size_t c) { return std::span<const double>(log.columns[c]); };
    if (mc.limit != kNoColumn) sm.commit_limit_bytes = LastPositive(column(mc.limit), 0, n);
    // Commit ratio per sample against the limit logged with it (the limit moves when the
    // paging file grows), or the last known limit when that cell is blank.
    std::vector<double> ratio(n, kMissing);
    if (mc.committed != kNoColumn) {
      sm.committed_last_bytes = LastPositive(column(mc.committed), 0, n);
      double last_limit = kMissing;
      for (std::size_t i = 0; i < n; ++i) {
        const double c = log.columns[mc.committed][i];
        if (mc.limit != kNoColumn && std::isfinite(log.columns[mc.limit][i]) &&
            log.columns[mc.limit][i] > 0.0) {
          last_limit = log.columns[mc.limit][i];
        }
        if (!std::isfinite(c)) continue;
        if (!sm.committed_peak_bytes || c > *sm.committed_peak_bytes) {
          sm.committed_peak_bytes = c;
          if (!std::isfinite(last_limit)) sm.commit_peak_utc = log.time_utc[i];
        }
        if (std::isfinite(last_limit)) {
          ratio[i] = c / last_limit;
          if (!sm.commit_peak_ratio || ratio[i] > *sm.commit_peak_ratio) {
            sm.commit_peak_ratio = ratio[i];
            sm.commit_peak_utc = log.time_utc[i];
          }
        }
      }
      // Chart: the maximum of each bucket, so the peak that mattered is drawn.
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
        sm.chart.push_back(p);
      }
      // Hysteresis bands: 2 points of the limit, a quarter of the floor, 3 points of the file.
      FindEpisodes(
          log, ratio, mc.machine, PressureKind::kCommit, options.commit_ratio, gap,
          [&](double r) { return r >= options.commit_ratio; },
          [&](double r) { return r >= options.commit_ratio - 0.02; }, &episodes);
      // The forecast is the system finding's: its judged window is the current regime (after
      // the last change point), and the report's rate and the forecast's are one number.
      if (const Evidence* commit = SystemEvidence(findings, mc.machine, kCommittedBytes);
          commit != nullptr && commit->forecast) {
        sm.commit_exhaustion = *commit->forecast;
        sm.commit_exhaustion->machine = mc.machine;
        sm.commit_exhaustion->subject = "system commit";
      }
    }
    if (mc.available != kNoColumn) {
      for (std::size_t i = 0; i < n; ++i) {
        const double v = log.columns[mc.available][i];
        if (std::isfinite(v) && (!sm.available_min_mb || v < *sm.available_min_mb)) {
          sm.available_min_mb = v;
        }
      }
      double floor = options.available_floor_mb;
      if (sm.commit_limit_bytes) {
        floor = std::min(floor, options.available_floor_share * *sm.commit_limit_bytes / kMiB);
      }
      FindEpisodes(
          log, column(mc.available), mc.machine, PressureKind::kAvailable, floor, gap,
          [&](double v) { return v < floor; }, [&](double v) { return v < 1.25 * floor; },
          &episodes);
    }
    if (mc.paging_file != kNoColumn) {
      for (std::size_t i = 0; i < n; ++i) {
        const double v = log.columns[mc.paging_file][i];
        if (std::isfinite(v) &&
            (!sm.paging_file_peak_percent || v > *sm.paging_file_peak_percent)) {
          sm.paging_file_peak_percent = v;
        }
      }
      FindEpisodes(
          log, column(mc.paging_file), mc.machine, PressureKind::kPagingFile,
          options.paging_file_percent, gap,
          [&](double v) { return v > options.paging_file_percent; },
          [&](double v) { return v > options.paging_file_percent - 3.0; }, &episodes);
    }
    for (const auto& [col, kind, peak] :
         {std::tuple{mc.pool_paged, PressureKind::kPoolPaged, &sm.pool_paged_peak_bytes},
          std::tuple{mc.pool_nonpaged, PressureKind::kPoolNonpaged,
                     &sm.pool_nonpaged_peak_bytes}}) {
      if (col == kNoColumn) continue;
      for (std::size_t i = 0; i < n; ++i) {
        const double v = log.columns[col][i];
        if (std::isfinite(v) && (!*peak || v > **peak)) *peak = v;
      }
      if (options.pool_limit_bytes > 0.0) {
        const double limit = options.pool_limit_bytes;
        std::vector<double> share(n, kMissing);
        for (std::size_t k = 0; k < n; ++k) share[k] = log.columns[col][k] / limit;
        FindEpisodes(
            log, share, mc.machine, kind, options.pool_ratio, gap,
            [&](double r) { return r >= options.pool_ratio; },
            [&](double r) { return r >= options.pool_ratio - 0.02; }, &episodes);
      }
    }
    // Leaking processes against this machine's commit headroom, each at its own judged rate.
    if (sm.commit_exhaustion) {
      const ExhaustionForecast& commit = *sm.commit_exhaustion;
      for (const Finding& f : findings) {
        if (f.system || f.verdict != Verdict::kLeak ||
            AsciiLower(f.machine) != AsciiLower(mc.machine)) {
          continue;
        }
        for (const Evidence& ev : f.evidence) {
          if (ev.counter != kPrivateBytes || ev.verdict != Verdict::kLeak) continue;
          ExhaustionForecast fc = ForecastAtRate(
              ev, commit.limit_bytes, commit.limit_bytes - commit.headroom_bytes, options);
          fc.machine = f.machine;
          fc.subject = f.instance;
          fc.pids = f.pids;
          out.process_exhaustion.push_back(std::move(fc));
        }
      }
    }
    out.machines.push_back(std::move(sm));
  }
  std::stable_sort(episodes.begin(), episodes.end(), [](const auto& a, const auto& b) {
    return a.first.start_utc < b.first.start_utc;
  });
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
    out.episodes.push_back(std::move(episode));
  }
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

void AttributeSystemFindings(const CounterLog& log, const ProcessColumns& columns,
                             const MemoryPressureOptions& options, std::vector<Finding>* findings) {
  const std::vector<const InstanceColumns*> groups = columns.MemoryGroups();
  for (Finding& f : *findings) {
    if (!f.system || !IsFlagged(f.verdict)) continue;
    const Evidence* commit = nullptr;
    for (const Evidence& ev : f.evidence) {
      if (ev.counter == kCommittedBytes && IsFlagged(ev.verdict)) commit = &ev;
    }
    const auto mc =
        std::find_if(columns.machines.begin(), columns.machines.end(),
                     [&](const auto& m) { return AsciiLower(m.machine) == AsciiLower(f.machine); });
    if (commit == nullptr || mc == columns.machines.end()) continue;
    const auto first =
        std::lower_bound(log.time_utc.begin(), log.time_utc.end(), commit->window_start_utc);
    const auto last =
        std::upper_bound(log.time_utc.begin(), log.time_utc.end(), commit->window_end_utc);
    const auto begin = static_cast<std::size_t>(first - log.time_utc.begin());
    const auto end = static_cast<std::size_t>(last - log.time_utc.begin());
    if (begin + 1 >= end) continue;
    f.contributors = Attribute(log, groups, *mc, *findings, begin, end, options);
  }
}

}  // namespace internal

}  // namespace perfleak
