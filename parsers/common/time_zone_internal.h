// Windows time-zone names to IANA zones, and DST-correct local-to-UTC conversion.
#pragma once

#include <atomic>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "perfleak/counter_log.h"

namespace perfleak::internal {

/// The IANA zone for a Windows zone name as PDH writes it: the zone's standard name
/// (`Eastern Standard Time`) or, while DST is in effect, its daylight name (`Eastern Daylight
/// Time`). Mapping from the CLDR windowsZones table (territory 001). nullopt when unknown
/// (localized or damaged names).
std::optional<std::string> WindowsZoneToIana(std::string_view windows_name);

/// Converts local wall-clock times to UTC with the IANA zone's rules. In a DST fall-back the
/// repeated hour is resolved by keeping time monotonic (the first pass is daylight time, the
/// second standard). Returns nullopt when the zone is not in the OS database or when its
/// offset at the first sample disagrees with `expected_first_bias_minutes` (then the header's
/// single bias is the better guess).
/// `*zone_missing` (when given) is set to whether the failure was a zone missing from the
/// database (no tzdata on this machine), which callers must report: their single-bias UTC may
/// be off by an hour after a DST change.
std::optional<std::vector<Ticks>> LocalToUtc(const std::string& iana, std::span<const Ticks> local,
                                             std::int32_t expected_first_bias_minutes,
                                             bool* zone_missing = nullptr);

/// Set by tests to make LocalToUtc behave as on a machine without the tz database.
inline std::atomic<bool> simulate_missing_tzdb{false};

}  // namespace perfleak::internal
