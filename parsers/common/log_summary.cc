#include "perfleak/log_summary.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <utility>
#include <vector>

#include "common/ascii_case_internal.h"
#include "common/object_names_internal.h"
#include "common/parallel_for_internal.h"

namespace perfleak {

const char* LogFormatName(LogFormat format) {
  switch (format) {
    case LogFormat::kPdhCsv:
      return "pdh-csv";
    case LogFormat::kPdhTsv:
      return "pdh-tsv";
    case LogFormat::kBlg:
      return "blg";
  }
  return "unknown";
}

LogSummary Summarize(const CounterLog& log, std::size_t threads) {
  LogSummary s;
  s.samples = log.num_samples();
  s.counters = log.num_counters();
  std::set<std::string> machines_seen, objects_seen;
  // A machine logging both Process and Process V2 (`name:pid`) has each process twice; it is
  // counted from Process V2 alone, as the analysis reads it.
  std::set<std::pair<std::string, std::string>> processes, processes_v2;
  for (const CounterPath& p : log.paths) {
    if (machines_seen.insert(p.machine).second && !p.machine.empty())
      s.machines.push_back(p.machine);
    if (objects_seen.insert(p.object).second) s.objects.push_back(p.object);
    if (!internal::IsProcessObject(p.object) || !p.has_instance) continue;
    const std::string lower = AsciiLower(p.instance);
    if (lower == "_total" || lower == "idle" || lower.starts_with("_total:") ||
        lower.starts_with("idle:")) {
      continue;
    }
    const bool v2 = EqualsIgnoreAsciiCase(p.object, "Process V2");
    (v2 ? processes_v2 : processes).emplace(AsciiLower(p.machine), p.InstanceWithIndex());
  }
  std::set<std::string> v2_machines;
  for (const auto& [machine, instance] : processes_v2) v2_machines.insert(machine);
  s.process_instances = processes_v2.size();
  for (const auto& [machine, instance] : processes) {
    if (!v2_machines.contains(machine)) ++s.process_instances;
  }
  if (!log.time_utc.empty()) {
    s.first_utc = log.time_utc.front();
    s.last_utc = log.time_utc.back();
    s.first_local = log.time_local.front();
    s.last_local = log.time_local.back();
  }
  if (log.time_utc.size() >= 2) {
    std::vector<Ticks> deltas;
    deltas.reserve(log.time_utc.size() - 1);
    for (std::size_t i = 1; i < log.time_utc.size(); ++i) {
      deltas.push_back(log.time_utc[i] - log.time_utc[i - 1]);
    }
    auto mid = deltas.begin() + static_cast<std::ptrdiff_t>(deltas.size() / 2);
    std::nth_element(deltas.begin(), mid, deltas.end());
    s.median_interval_s = static_cast<double>(*mid) / static_cast<double>(kTicksPerSecond);
  }
  const std::size_t parts = std::max<std::size_t>(1, std::min(threads, log.columns.size()));
  std::vector<std::size_t> missing(parts, 0);
  const auto count = [&](std::size_t part) {
    for (std::size_t c = log.columns.size() * part / parts;
         c < log.columns.size() * (part + 1) / parts; ++c) {
      const auto& column = log.columns[c];
      missing[part] += static_cast<std::size_t>(
          std::count_if(column.begin(), column.end(), [](double v) { return std::isnan(v); }));
    }
  };
  // Counting allocates nothing and cannot throw; a helper thread that cannot be started
  // leaves its parts to the others.
  static_cast<void>(internal::ParallelFor(log.columns.empty() ? 0 : parts, parts, count));
  for (const std::size_t m : missing) s.missing_cells += m;
  return s;
}

}  // namespace perfleak
