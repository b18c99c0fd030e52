// Stitching the parts of one collection (logman roll-over files, consecutive days) into one
// timeline.
#pragma once

#include <string>
#include <vector>

#include "perfleak/counter_log.h"
#include "perfleak/status.h"

namespace perfleak {

/// Identity of a collection: machines and the (object, counter) pairs it logs, ignoring
/// instances (processes come and go between parts). Two logs with equal keys are parts of the
/// same collection when their times follow each other.
std::string CollectionKey(const CounterLog& log);

/// Joins `parts` (any order) into one log ordered by time. Columns are the union of all paths
/// (first-seen order), NaN where a part lacks a counter. Samples of a later part that are not
/// after the last joined sample (overlap, duplicated files) are dropped, and a warning says how
/// many. The result's source is the first part's, and `stitched_from` lists every part.
/// kInvalidArgument when `parts` is empty.
Result<CounterLog> StitchLogs(std::vector<CounterLog> parts,
                              std::vector<std::string>* stitched_from);

}  // namespace perfleak
