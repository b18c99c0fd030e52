// Formatting and parsing of time points (Ticks) for messages, reports and PDH text.
#pragma once

#include <string>
#include <string_view>

#include "perfleak/counter_log.h"
#include "perfleak/status.h"

namespace perfleak {

/// `2026-11-20T08:00:00.123Z` (milliseconds; the `.mmm` part is dropped when zero only if
/// `always_millis` is false).
std::string FormatIsoUtc(Ticks utc, bool always_millis = true);

/// `2026-11-20 08:00:00.123` for a local wall-clock time.
std::string FormatLocal(Ticks local);

/// `MM/DD/YYYY HH:MM:SS.mmm`, the PDH text timestamp (rounded to the millisecond).
std::string FormatPdhTimestamp(Ticks local);

/// Reads `MM/DD/YYYY HH:MM:SS[.f...]` (what PDH writes; up to 7 fraction digits count) as
/// local Ticks. False for any other shape or an impossible date or time.
bool ParsePdhTimestamp(std::string_view text, Ticks* out);

/// Civil date and time to Ticks (proleptic Gregorian, no time zone). Returns false when a
/// field is out of range (month 13, February 30, hour 24, ...).
bool CivilToTicks(int year, int month, int day, int hour, int minute, int second,
                  std::int64_t sub_second_ticks, Ticks* out);

/// Parses ISO 8601 `YYYY-MM-DDTHH:MM[:SS[.fff]]` with `Z` or `+hh:mm`/`-hh:mm` into UTC, or
/// without a zone into a local wall-clock time (`*has_zone` tells which).
Result<Ticks> ParseIsoTime(std::string_view text, bool* has_zone);

/// Human duration: `45 s`, `12 min`, `9.3 h`, `2.5 d`.
std::string FormatDuration(double seconds);

}  // namespace perfleak
