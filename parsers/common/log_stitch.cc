#include "perfleak/log_stitch.h"

#include <algorithm>
#include <set>
#include <unordered_map>

namespace perfleak {

std::string CollectionKey(const CounterLog& log) {
  std::set<std::string> machines, counters;
  for (const CounterPath& p : log.paths) {
    machines.insert(p.machine);
    counters.insert(p.object + "\\" + p.counter);
  }
  std::string key;
  for (const auto& m : machines) key += m + "|";
  key += "#";
  for (const auto& c : counters) key += c + "|";
  return key;
}

Result<CounterLog> StitchLogs(std::vector<CounterLog> parts,
                              std::vector<std::string>* stitched_from) {
  if (parts.empty()) return Status::InvalidArgument("no logs to stitch");
  std::stable_sort(parts.begin(), parts.end(), [](const CounterLog& a, const CounterLog& b) {
    const Ticks ta = a.time_utc.empty() ? 0 : a.time_utc.front();
    const Ticks tb = b.time_utc.empty() ? 0 : b.time_utc.front();
    return ta < tb;
  });
  if (stitched_from != nullptr) {
    stitched_from->clear();
    for (const CounterLog& p : parts) stitched_from->push_back(p.source);
  }
  if (parts.size() == 1) return std::move(parts.front());

  CounterLog out;
  out.source = parts.front().source;
  out.format = parts.front().format;
  out.time_zone = parts.front().time_zone;
  out.metadata = parts.front().metadata;
  std::unordered_map<std::string, std::size_t> column_of;
  for (const CounterLog& part : parts) {
    for (const CounterPath& path : part.paths) {
      if (column_of.emplace(path.ToString(), out.paths.size()).second) out.paths.push_back(path);
    }
  }
  std::size_t total = 0;
  for (const CounterLog& part : parts) total += part.num_samples();
  out.columns.assign(out.paths.size(), {});
  for (auto& column : out.columns) column.reserve(total);
  out.time_utc.reserve(total);
  out.time_local.reserve(total);

  for (CounterLog& part : parts) {
    std::vector<std::size_t> target(part.num_counters());
    for (std::size_t c = 0; c < part.num_counters(); ++c)
      target[c] = column_of.at(part.paths[c].ToString());
    std::vector<bool> has_column(out.paths.size(), false);
    for (std::size_t t : target) has_column[t] = true;
    std::size_t dropped = 0;
    for (std::size_t i = 0; i < part.num_samples(); ++i) {
      if (!out.time_utc.empty() && part.time_utc[i] <= out.time_utc.back()) {
        ++dropped;
        continue;
      }
      out.time_utc.push_back(part.time_utc[i]);
      out.time_local.push_back(part.time_local[i]);
      for (std::size_t c = 0; c < part.num_counters(); ++c)
        out.columns[target[c]].push_back(part.columns[c][i]);
      for (std::size_t c = 0; c < out.paths.size(); ++c) {
        if (!has_column[c]) out.columns[c].push_back(kMissing);
      }
    }
    for (std::string& w : part.warnings) out.warnings.push_back(std::move(w));
    if (dropped > 0) {
      out.warnings.push_back(
          part.source + ": " + std::to_string(dropped) +
          " sample(s) overlap the previous part of the collection and were dropped");
    }
    // Free each part as soon as it is copied, so stitching needs little more than the result.
    part.columns.clear();
    part.columns.shrink_to_fit();
  }
  return out;
}

}  // namespace perfleak
