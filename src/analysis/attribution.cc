#include "analysis/attribution.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "analysis/counter_names.h"
#include "analysis/robust_trend.h"
#include "common/ascii_case_internal.h"

namespace perfleak::internal {

namespace {

double MedianOf(std::vector<double> values) { return values.empty() ? 0.0 : Median(values); }

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

// The Private Bytes samples of one process over the window.
struct Series {
  const InstanceColumns* columns = nullptr;  // where it was first seen (names, owner lookup)
  std::optional<std::int64_t> pid;
  std::vector<std::pair<std::size_t, double>> samples;
};

// One series per PID across the `#n` columns of its image (PDH moves a process to another
// column when a namesake exits, so a column holds several processes over time and a process
// may span columns); without ID Process a column is one process. Samples [begin, end) of
// `machine`'s groups.
std::vector<Series> FollowPids(const CounterLog& log,
                               const std::vector<const InstanceColumns*>& groups,
                               const std::string& machine, std::size_t begin, std::size_t end) {
  std::map<std::pair<std::string, std::int64_t>, std::size_t> by_pid;
  std::vector<Series> series;
  for (const InstanceColumns* group : groups) {
    const InstanceColumns& pc = *group;
    if (AsciiLower(pc.machine) != machine || pc.columns[kPrivateBytesSlot] == kNoColumn) continue;
    const Column& values = log.columns[pc.columns[kPrivateBytesSlot]];
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
  return series;
}

// The growers of the series, one per owning finding (or instance), in first-seen order:
// robust levels of each series at the window's edges, summed over the finding's series.
std::vector<Grower> ProcessGrowers(std::vector<Series> series, const std::string& machine,
                                   const std::vector<Finding>& findings, std::size_t begin,
                                   std::size_t end, std::size_t edge) {
  std::map<std::string, Grower> growers;  // by instance key
  std::vector<std::string> order;
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
      g.machine = machine;
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
  return all;
}

// Memory\Pool Paged/Nonpaged Bytes of `mc` as growers, appended to `all`.
void AddPoolGrowers(const CounterLog& log, const MachineColumns& mc, std::size_t begin,
                    std::size_t end, std::size_t edge, std::vector<Grower>* all) {
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
    all->push_back(std::move(g));
  }
}

}  // namespace

Attribution Attribute(const CounterLog& log, const std::vector<const InstanceColumns*>& groups,
                      const MachineColumns& mc, const std::vector<Finding>& findings,
                      std::size_t begin, std::size_t end, const MemoryPressureOptions& options) {
  Attribution a;
  a.machine = mc.machine;
  a.from_utc = log.time_utc[begin];
  a.to_utc = log.time_utc[end - 1];
  const std::size_t edge = EdgeSamples(begin, end, options);
  std::vector<Grower> all =
      ProcessGrowers(FollowPids(log, groups, AsciiLower(mc.machine), begin, end), mc.machine,
                     findings, begin, end, edge);
  AddPoolGrowers(log, mc, begin, end, edge, &all);
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

std::size_t RunUpBegin(const CounterLog& log, std::size_t begin, std::size_t last, double hours) {
  const Ticks from = AddHours(log.time_utc[last], -hours);
  std::size_t i = last;
  while (i > begin && log.time_utc[i - 1] >= from) --i;
  return i;
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

}  // namespace perfleak::internal
