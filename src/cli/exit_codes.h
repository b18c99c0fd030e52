// Process exit codes, the one place they are defined.
#pragma once

#include "perfleak/status.h"

namespace perfleak::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;  ///< findings at or above --fail-on
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInput = 3;  ///< input could not be read (nothing analysed)
/// Logs were read, but none held anything to judge: no Process or Memory counter, no sample,
/// or too few samples for every instance. Never 0, which would read as "no leaks".
inline constexpr int kExitNothingJudged = 4;

inline int ExitCodeFor(const Status& status) {
  if (status.ok()) return kExitOk;
  const bool callers =
      status.code() == StatusCode::kInvalidArgument || status.code() == StatusCode::kOutOfRange;
  return callers ? kExitUsage : kExitInput;
}

}  // namespace perfleak::cli
