// LogSummary: the facts `perfleak info` prints and every report header shows.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "perfleak/counter_log.h"

namespace perfleak {

struct LogSummary {
  std::vector<std::string> machines;  ///< distinct, in first-seen order
  std::vector<std::string> objects;   ///< distinct object names, first-seen order
  std::size_t samples = 0;
  std::size_t counters = 0;
  std::size_t process_instances = 0;  ///< distinct (machine, instance#n) of the Process object
  double median_interval_s = 0.0;     ///< 0 with fewer than two samples
  Ticks first_utc = 0, last_utc = 0, first_local = 0, last_local = 0;
  std::size_t missing_cells = 0;
};

/// Computes the summary in one pass over paths and timestamps (values only for missing_cells,
/// counted on up to `threads` threads: a wide log holds hundreds of megabytes of them).
LogSummary Summarize(const CounterLog& log, std::size_t threads = 1);

}  // namespace perfleak
