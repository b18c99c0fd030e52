#include "common/time_zone.h"

#include <date/tz.h>

#include <chrono>
#include <exception>
#include <limits>
#include <stdexcept>
#include <utility>

namespace perfleak::internal {

namespace {

// CLDR common/supplemental/windowsZones.xml, territory "001" entries.
constexpr std::pair<std::string_view, std::string_view> kWindowsToIana[] = {
    {"Dateline", "Etc/GMT+12"},
    {"UTC-11", "Etc/GMT+11"},
    {"Aleutian", "America/Adak"},
    {"Hawaiian", "Pacific/Honolulu"},
    {"Marquesas", "Pacific/Marquesas"},
    {"Alaskan", "America/Anchorage"},
    {"UTC-09", "Etc/GMT+9"},
    {"Pacific (Mexico)", "America/Tijuana"},
    {"UTC-08", "Etc/GMT+8"},
    {"Pacific", "America/Los_Angeles"},
    {"US Mountain", "America/Phoenix"},
    {"Mountain (Mexico)", "America/Mazatlan"},
    {"Mountain", "America/Denver"},
    {"Yukon", "America/Whitehorse"},
    {"Central America", "America/Guatemala"},
    {"Central", "America/Chicago"},
    {"Easter Island", "Pacific/Easter"},
    {"Central (Mexico)", "America/Mexico_City"},
    {"Canada Central", "America/Regina"},
    {"SA Pacific", "America/Bogota"},
    {"Eastern (Mexico)", "America/Cancun"},
    {"Eastern", "America/New_York"},
    {"Haiti", "America/Port-au-Prince"},
    {"Cuba", "America/Havana"},
    {"US Eastern", "America/Indianapolis"},
    {"Turks And Caicos", "America/Grand_Turk"},
    {"Paraguay", "America/Asuncion"},
    {"Atlantic", "America/Halifax"},
    {"Venezuela", "America/Caracas"},
    {"Central Brazilian", "America/Cuiaba"},
    {"SA Western", "America/La_Paz"},
    {"Pacific SA", "America/Santiago"},
    {"Newfoundland", "America/St_Johns"},
    {"Tocantins", "America/Araguaina"},
    {"E. South America", "America/Sao_Paulo"},
    {"SA Eastern", "America/Cayenne"},
    {"Argentina", "America/Buenos_Aires"},
    {"Greenland", "America/Godthab"},
    {"Montevideo", "America/Montevideo"},
    {"Magallanes", "America/Punta_Arenas"},
    {"Saint Pierre", "America/Miquelon"},
    {"Bahia", "America/Bahia"},
    {"UTC-02", "Etc/GMT+2"},
    {"Azores", "Atlantic/Azores"},
    {"Cape Verde", "Atlantic/Cape_Verde"},
    {"UTC", "Etc/UTC"},
    {"Coordinated Universal Time", "Etc/UTC"},
    {"GMT", "Europe/London"},
    {"Greenwich", "Atlantic/Reykjavik"},
    {"Sao Tome", "Africa/Sao_Tome"},
    {"Morocco", "Africa/Casablanca"},
    {"W. Europe", "Europe/Berlin"},
    {"Central Europe", "Europe/Budapest"},
    {"Romance", "Europe/Paris"},
    {"Central European", "Europe/Warsaw"},
    {"W. Central Africa", "Africa/Lagos"},
    {"Jordan", "Asia/Amman"},
    {"GTB", "Europe/Bucharest"},
    {"Middle East", "Asia/Beirut"},
    {"Egypt", "Africa/Cairo"},
    {"E. Europe", "Europe/Chisinau"},
    {"Syria", "Asia/Damascus"},
    {"West Bank", "Asia/Hebron"},
    {"South Africa", "Africa/Johannesburg"},
    {"FLE", "Europe/Kiev"},
    {"Israel", "Asia/Jerusalem"},
    {"South Sudan", "Africa/Juba"},
    {"Kaliningrad", "Europe/Kaliningrad"},
    {"Sudan", "Africa/Khartoum"},
    {"Libya", "Africa/Tripoli"},
    {"Namibia", "Africa/Windhoek"},
    {"Arabic", "Asia/Baghdad"},
    {"Turkey", "Europe/Istanbul"},
    {"Arab", "Asia/Riyadh"},
    {"Belarus", "Europe/Minsk"},
    {"Russian", "Europe/Moscow"},
    {"E. Africa", "Africa/Nairobi"},
    {"Volgograd", "Europe/Volgograd"},
    {"Iran", "Asia/Tehran"},
    {"Arabian", "Asia/Dubai"},
    {"Astrakhan", "Europe/Astrakhan"},
    {"Azerbaijan", "Asia/Baku"},
    {"Russia Time Zone 3", "Europe/Samara"},
    {"Mauritius", "Indian/Mauritius"},
    {"Georgian", "Asia/Tbilisi"},
    {"Caucasus", "Asia/Yerevan"},
    {"Afghanistan", "Asia/Kabul"},
    {"West Asia", "Asia/Tashkent"},
    {"Ekaterinburg", "Asia/Yekaterinburg"},
    {"Pakistan", "Asia/Karachi"},
    {"India", "Asia/Calcutta"},
    {"Sri Lanka", "Asia/Colombo"},
    {"Nepal", "Asia/Katmandu"},
    {"Central Asia", "Asia/Almaty"},
    {"Bangladesh", "Asia/Dhaka"},
    {"Myanmar", "Asia/Rangoon"},
    {"SE Asia", "Asia/Bangkok"},
    {"China", "Asia/Shanghai"},
    {"Singapore", "Asia/Singapore"},
    {"Taipei", "Asia/Taipei"},
    {"Tokyo", "Asia/Tokyo"},
    {"Korea", "Asia/Seoul"},
    {"AUS Eastern", "Australia/Sydney"},
    {"New Zealand", "Pacific/Auckland"},
};

}  // namespace

std::optional<std::string> WindowsZoneToIana(std::string_view name) {
  for (std::string_view suffix :
       {std::string_view(" Standard Time"), std::string_view(" Daylight Time"),
        std::string_view(" Summer Time")}) {
    if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
      name = name.substr(0, name.size() - suffix.size());
      break;
    }
  }
  for (const auto& [windows, iana] : kWindowsToIana) {
    if (windows == name) return std::string(iana);
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
