// The report's copy of a log, reduced for its charts (batch_runner.cc keeps it in LogReport).
#pragma once

#include <cstddef>
#include <vector>

#include "perfleak/counter_log.h"

namespace perfleak::internal {

/// A copy of `log` reduced for charts: only `columns` (in that order) and at most about
/// `max_points` samples: max_points / 2 buckets of equal sample counts, each giving its
/// extremes in time order (ForEachMinMaxBucket; missing values never win, a bucket without a
/// value gives two kMissing). `sample_map` (optional) receives, for every original sample, its
/// index in the copy.
CounterLog ThinForCharts(const CounterLog& log, const std::vector<std::size_t>& columns,
                         std::size_t max_points, std::vector<std::size_t>* sample_map);

}  // namespace perfleak::internal
