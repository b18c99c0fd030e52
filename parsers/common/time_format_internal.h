// Time parsing shared with src/analysis that is not public API.
#pragma once

#include <string_view>

#include "perfleak/counter_log.h"

namespace perfleak::internal {

/// A PDH-ordered local time as a user types it: `MM/DD/YYYY HH:MM[:SS[.f...]]` (seconds
/// optional, a trailing `.` ignored), as local Ticks. The shape and range checks are those of
/// ParsePdhTimestamp, which this calls (the hot, strict form the CSV reader uses per row).
bool ParsePdhTimeText(std::string_view text, Ticks* out);

}  // namespace perfleak::internal
