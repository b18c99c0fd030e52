// TIME_ZONE_INFORMATION (as stored in the ETL logfile header) and local -> UTC conversion.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "blg/byte_view.h"
#include "perfleak/counter_log.h"

namespace perfleak::blg {

/// SYSTEMTIME as used for DST transition rules (MS Learn TIME_ZONE_INFORMATION): with
/// year == 0, `day` is the week of the month (1..5, 5 = last) and `day_of_week` (0 = Sunday)
/// picks the day; with year != 0 it is an absolute date.
struct TransitionRule {
  std::uint16_t year = 0, month = 0, day_of_week = 0, day = 0, hour = 0, minute = 0, second = 0,
                millis = 0;
};

/// The 172-byte TIME_ZONE_INFORMATION: UTC = local + Bias + (StandardBias or DaylightBias).
struct TimeZoneInfo {
  std::int32_t bias = 0;
  std::string standard_name;
  TransitionRule standard_date;  ///< when daylight time ends (in local daylight time)
  std::int32_t standard_bias = 0;
  std::string daylight_name;
  TransitionRule daylight_date;  ///< when daylight time starts (in local standard time)
  std::int32_t daylight_bias = 0;

  static constexpr std::size_t kSize = 172;
  /// Decodes the structure at the start of `bytes`; nullopt when it is too short.
  static std::optional<TimeZoneInfo> Decode(ByteView bytes);

  bool HasDaylightRule() const { return standard_date.month != 0 && daylight_date.month != 0; }
  /// Whether the wall-clock time `local` falls in daylight time. In the repeated hour after
  /// the fall-back it says daylight (the earlier of the two readings).
  bool IsDaylight(Ticks local) const;
  /// Bias in minutes (UTC = local + bias) in effect at local time `local`.
  std::int32_t BiasAt(Ticks local) const;
  Ticks LocalToUtc(Ticks local) const { return local + BiasAt(local) * 60 * kTicksPerSecond; }
};

/// Local wall time of a transition rule in `year`, or nullopt when the rule does not apply to
/// that year (absolute rule of another year) or is malformed.
std::optional<Ticks> TransitionInYear(const TransitionRule& rule, int year);

/// The readable zone name for a `@tzres.dll,-NNN` MUI reference that Windows commonly writes
/// (nullopt when unknown). Only names whose resource ids are attested in public samples.
std::optional<std::string> ResolveMuiZoneName(const std::string& stored);

}  // namespace perfleak::blg
