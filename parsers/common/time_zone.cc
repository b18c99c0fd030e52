#include <date/tz.h>

#include <chrono>
#include <exception>
#include <limits>
#include <stdexcept>
#include <utility>

#include "common/ascii_case_internal.h"
#include "common/time_zone_internal.h"

namespace perfleak::internal {

namespace {

// CLDR's whole table (tools/windows_zones/, checked against the installed CLDR in a test).
constexpr std::pair<std::string_view, std::string_view> kWindowsToIana[] = {
#include "common/windows_zones.inc"
};

// PDH writes a zone's display StandardName; CLDR keys zones by their registry key. Where the
// two differ (English Windows), the display name and its key.
constexpr std::pair<std::string_view, std::string_view> kDisplayToKey[] = {
    {"Coordinated Universal Time", "UTC"},
    {"Co-ordinated Universal Time", "UTC"},
    {"Russia TZ 1 Standard Time", "Kaliningrad Standard Time"},
    {"Russia TZ 2 Standard Time", "Russian Standard Time"},
    {"Russia TZ 3 Standard Time", "Russia Time Zone 3"},
    {"Russia TZ 4 Standard Time", "Ekaterinburg Standard Time"},
    {"Russia TZ 6 Standard Time", "North Asia Standard Time"},
    {"Russia TZ 7 Standard Time", "North Asia East Standard Time"},
    {"Russia TZ 8 Standard Time", "Yakutsk Standard Time"},
    {"Russia TZ 9 Standard Time", "Vladivostok Standard Time"},
    {"Russia TZ 10 Standard Time", "Russia Time Zone 10"},
    {"Russia TZ 11 Standard Time", "Russia Time Zone 11"},
    {"Malay Peninsula Standard Time", "Singapore Standard Time"},
    {"Cabo Verde Standard Time", "Cape Verde Standard Time"},
};

std::optional<std::string> Lookup(std::string_view name) {
  for (const auto& [display, key] : kDisplayToKey) {
    if (EqualsIgnoreAsciiCase(display, name)) name = key;
  }
  for (const auto& [windows, iana] : kWindowsToIana) {
    if (EqualsIgnoreAsciiCase(windows, name)) return std::string(iana);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> WindowsZoneToIana(std::string_view name) {
  if (auto iana = Lookup(name)) return iana;
  // While DST is in effect PDH writes the daylight name: `Pacific Daylight Time (Mexico)`,
  // `GMT Summer Time`; CLDR keys zones by their standard name.
  for (const std::string_view daylight : {" Daylight Time", " Summer Time"}) {
    const std::size_t at = name.find(daylight);
    if (at == std::string_view::npos) continue;
    std::string standard(name);
    standard.replace(at, daylight.size(), " Standard Time");
    return Lookup(standard);
  }
  return std::nullopt;
}

std::optional<std::vector<Ticks>> LocalToUtc(const std::string& iana, std::span<const Ticks> local,
                                             std::int32_t expected_first_bias_minutes,
                                             bool* zone_missing) {
  using Tick = std::chrono::duration<std::int64_t, std::ratio<1, 10'000'000>>;
  const date::time_zone* zone = nullptr;
  if (zone_missing != nullptr) *zone_missing = false;
  try {
    if (simulate_missing_tzdb.load()) throw std::runtime_error("simulated: no tz database");
    zone = date::locate_zone(iana);
  } catch (const std::exception&) {
    if (zone_missing != nullptr) *zone_missing = true;
    return std::nullopt;  // no OS tz database, or a zone it lacks
  }
  std::vector<Ticks> utc(local.size());
  Ticks previous = std::numeric_limits<Ticks>::min();
  for (std::size_t i = 0; i < local.size(); ++i) {
    const date::local_time<Tick> lt{Tick{local[i]}};
    const date::local_info info = zone->get_info(date::floor<std::chrono::seconds>(lt));
    auto to_utc = [&](const date::sys_info& si) {
      return local[i] - std::chrono::duration_cast<Tick>(si.offset).count();
    };
    auto bias_of = [](const date::sys_info& si) {
      return -std::chrono::duration_cast<std::chrono::minutes>(si.offset).count();
    };
    Ticks t = to_utc(info.first);
    if (i == 0) {
      // The header's bias is the one in effect at the first sample: it must agree with the
      // zone (else the name maps to the wrong zone), and it settles an ambiguous first hour.
      if (bias_of(info.first) == expected_first_bias_minutes) {
        t = to_utc(info.first);
      } else if (info.result == date::local_info::ambiguous &&
                 bias_of(info.second) == expected_first_bias_minutes) {
        t = to_utc(info.second);
      } else {
        return std::nullopt;
      }
    } else if (info.result == date::local_info::ambiguous && t <= previous) {
      t = to_utc(info.second);
    }
    utc[i] = t;
    previous = t;
  }
  return utc;
}

}  // namespace perfleak::internal
