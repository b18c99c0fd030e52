// Which read files form one timeline: roll-over parts of one collection (same machines and
// counters) whose time ranges follow one another within a gap, in time order.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "perfleak/counter_log.h"

namespace perfleak::internal {

/// A readable file as the grouping sees it.
struct TimelineFile {
  std::string key;   ///< CollectionKey of its log; files of one collection share it
  std::string path;  ///< breaks ties between parts that start at the same instant
  Ticks first_utc = 0, last_utc = 0;
};

/// Groups `members` (indices into `files`) into timelines. Without `stitch` each file is its
/// own timeline, in the order given. With it, files of one key are ordered by first sample
/// (then path) and chained while each starts no more than `max_gap` after the latest end of
/// the chain so far (overlapping parts chain too); a longer gap starts a new timeline. Keys
/// come in sorted order, so the grouping never depends on the order files were read in.
std::vector<std::vector<std::size_t>> GroupTimelines(const std::vector<TimelineFile>& files,
                                                     const std::vector<std::size_t>& members,
                                                     bool stitch, Ticks max_gap);

}  // namespace perfleak::internal
