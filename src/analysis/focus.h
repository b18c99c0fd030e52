// The focus applied to an analysis: the log cut to the focus window, the findings cut to the
// `--process` asked for. Parsing and placing the focus times is public (perfleak/focus.h).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "perfleak/analysis.h"

namespace perfleak::internal {

/// The rows [begin, end) of a log, every column kept so column indices stay valid.
CounterLog SliceRows(const CounterLog& log, std::size_t begin, std::size_t end);

/// The system findings and the process findings `wanted` names: an image name (`.exe`
/// optional), an instance (`svchost#1`) or a PID, ASCII case ignored. When no process finding
/// matches, a warning naming `source` and the log's image names goes to `warnings`.
std::vector<Finding> KeepFocusProcess(std::vector<Finding> findings, std::string_view wanted,
                                      const std::string& source,
                                      std::vector<std::string>* warnings);

}  // namespace perfleak::internal
