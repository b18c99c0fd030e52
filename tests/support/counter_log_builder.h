// Counter logs built by hand, for tests and benchmarks: a counter path from its parts and a
// column appended to a log.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "perfleak/counter_log.h"
#include "perfleak/counter_path.h"

namespace perfleak::testing {

/// `\\machine\object(instance#index)\counter`; an empty instance is a counter without one.
inline CounterPath MakePath(std::string machine, std::string object, std::string instance,
                            std::string counter, std::optional<std::uint32_t> index = {}) {
  CounterPath path;
  path.machine = std::move(machine);
  path.object = std::move(object);
  path.has_instance = !instance.empty();
  path.instance = std::move(instance);
  path.instance_index = index;
  path.counter = std::move(counter);
  return path;
}

/// Appends a column (as many values as the log has samples, or any number when it has no
/// timestamps yet) and returns its index.
inline std::size_t AddColumn(CounterLog* log, CounterPath path, std::vector<double> values) {
  log->paths.push_back(std::move(path));
  log->columns.emplace_back(values.begin(), values.end());
  return log->columns.size() - 1;
}

}  // namespace perfleak::testing
