#include "batch/timelines.h"

#include <algorithm>
#include <map>

namespace perfleak::internal {

std::vector<std::vector<std::size_t>> GroupTimelines(const std::vector<TimelineFile>& files,
                                                     const std::vector<std::size_t>& members,
                                                     bool stitch, Ticks max_gap) {
  std::vector<std::vector<std::size_t>> groups;
  if (!stitch) {
    for (std::size_t idx : members) groups.push_back({idx});
    return groups;
  }
  std::map<std::string, std::vector<std::size_t>> by_key;
  for (std::size_t idx : members) by_key[files[idx].key].push_back(idx);
  for (auto& [key, parts] : by_key) {
    std::sort(parts.begin(), parts.end(), [&](std::size_t a, std::size_t b) {
      return files[a].first_utc != files[b].first_utc ? files[a].first_utc < files[b].first_utc
                                                      : files[a].path < files[b].path;
    });
    Ticks chain_end = 0;
    for (std::size_t pos = 0; pos < parts.size(); ++pos) {
      const TimelineFile& file = files[parts[pos]];
      if (pos == 0 || file.first_utc - chain_end > max_gap) groups.push_back({});
      groups.back().push_back(parts[pos]);
      chain_end = std::max(chain_end, file.last_utc);
    }
  }
  return groups;
}

}  // namespace perfleak::internal
