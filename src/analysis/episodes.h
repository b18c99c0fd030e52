// Pressure episodes: the spans where a machine's commit, available memory, paging file or
// pools stayed past their thresholds, and the peaks of those measures.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "analysis/process_columns.h"
#include "perfleak/memory_pressure.h"

namespace perfleak::internal {

/// An episode and the sample of its peak (where its run-up attribution ends).
using EpisodeAtPeak = std::pair<PressureEpisode, std::size_t>;

/// The measures of machine `mc` over the whole of `log`: their peaks into `sm` (commit against
/// the limit logged with each sample, the available minimum, the paging file and pool peaks;
/// sm->commit_limit_bytes must be set, it scales the available floor) and their pressure
/// episodes, appended to `episodes` commit first, then available, paging file and pools.
/// Pool episodes need MemoryPressureOptions::pool_limit_bytes.
void MeasurePressure(const CounterLog& log, const MachineColumns& mc,
                     const MemoryPressureOptions& options, SystemMemory* sm,
                     std::vector<EpisodeAtPeak>* episodes);

}  // namespace perfleak::internal
