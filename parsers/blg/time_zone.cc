#include "blg/time_zone.h"

#include <chrono>

#include "perfleak/time_format.h"

namespace perfleak::blg {

namespace {

TransitionRule DecodeRule(ByteView b, std::size_t off) {
  TransitionRule r;
  r.year = b.At<std::uint16_t>(off);
  r.month = b.At<std::uint16_t>(off + 2);
  r.day_of_week = b.At<std::uint16_t>(off + 4);
  r.day = b.At<std::uint16_t>(off + 6);
  r.hour = b.At<std::uint16_t>(off + 8);
  r.minute = b.At<std::uint16_t>(off + 10);
  r.second = b.At<std::uint16_t>(off + 12);
  r.millis = b.At<std::uint16_t>(off + 14);
  return r;
}

int YearOf(Ticks local) {
  const auto days = std::chrono::floor<std::chrono::days>(
      std::chrono::sys_time<std::chrono::seconds>(std::chrono::seconds(local / kTicksPerSecond)));
  return static_cast<int>(std::chrono::year_month_day(days).year());
}

}  // namespace

std::optional<TimeZoneInfo> TimeZoneInfo::Decode(ByteView b) {
  if (!b.Has(0, kSize)) return std::nullopt;
  TimeZoneInfo tz;
  tz.bias = b.At<std::int32_t>(0);
  tz.standard_name = b.Utf16At(4, 32);
  tz.standard_date = DecodeRule(b, 68);
  tz.standard_bias = b.At<std::int32_t>(84);
  tz.daylight_name = b.Utf16At(88, 32);
  tz.daylight_date = DecodeRule(b, 152);
  tz.daylight_bias = b.At<std::int32_t>(168);
  return tz;
}

std::optional<Ticks> TransitionInYear(const TransitionRule& rule, int year) {
  using namespace std::chrono;
  if (rule.month < 1 || rule.month > 12 || rule.hour > 23 || rule.minute > 59 || rule.second > 59 ||
      rule.millis > 999) {
    return std::nullopt;
  }
  const Ticks time_of_day = ((rule.hour * 60 + rule.minute) * 60 + rule.second) * kTicksPerSecond +
                            Ticks{rule.millis} * 10'000;
  Ticks day_start = 0;
  if (rule.year != 0) {
    if (rule.year != year) return std::nullopt;
    if (!CivilToTicks(year, rule.month, rule.day, 0, 0, 0, 0, &day_start)) return std::nullopt;
    return day_start + time_of_day;
  }
  // "Day-of-week in month" form: occurrence `day` (1..5, 5 = last) of weekday `day_of_week`.
  if (rule.day < 1 || rule.day > 5 || rule.day_of_week > 6) return std::nullopt;
  const year_month first_month{std::chrono::year{year}, month{rule.month}};
  const sys_days first = sys_days{first_month / 1};
  const unsigned first_wd = weekday{first}.c_encoding();
  const unsigned offset = (rule.day_of_week + 7 - first_wd) % 7;
  sys_days day = first + days{offset + 7 * (rule.day - 1u)};
  const sys_days last = sys_days{first_month / std::chrono::last};
  while (day > last) day -= days{7};
  return Ticks{day.time_since_epoch().count()} * 86'400 * kTicksPerSecond + time_of_day;
}

bool TimeZoneInfo::IsDaylight(Ticks local) const {
  if (!HasDaylightRule()) return false;
  const int year = YearOf(local);
  const auto start = TransitionInYear(daylight_date, year);
  const auto end = TransitionInYear(standard_date, year);
  if (!start || !end) return false;
  // Northern hemisphere: daylight between start and end of the same year; southern: outside.
  if (*start < *end) return local >= *start && local < *end;
  return local >= *start || local < *end;
}

std::int32_t TimeZoneInfo::BiasAt(Ticks local) const {
  return bias + (IsDaylight(local) ? daylight_bias : standard_bias);
}

std::optional<std::string> ResolveMuiZoneName(const std::string& stored) {
  // The resource ids seen in the public samples, paired with the zone names Windows' own CSV
  // export printed for them (PowerShell CounterSamples: -212 -> Pacific Standard Time).
  struct Entry {
    const char* mui;
    const char* name;
  };
  static constexpr Entry kKnown[] = {
      {"@tzres.dll,-211", "Pacific Daylight Time"},
      {"@tzres.dll,-212", "Pacific Standard Time"},
      {"@tzres.dll,-111", "Eastern Daylight Time"},
      {"@tzres.dll,-112", "Eastern Standard Time"},
  };
  for (const Entry& e : kKnown) {
    if (stored == e.mui) return std::string(e.name);
  }
  return std::nullopt;
}

}  // namespace perfleak::blg
