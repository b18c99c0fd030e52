// The Windows-to-IANA zone table: every zone CLDR knows, the display names PDH writes, and
// the daylight names it writes while DST is in effect.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "common/time_zone.h"
#include "test_util.h"

namespace perfleak::internal {
namespace {

constexpr const char* kCldr = "/usr/share/unicode/cldr/common/supplemental/windowsZones.xml";

TEST(WindowsZones, EveryZoneOfTheInstalledCldrMaps) {
  std::ifstream in(kCldr);
  if (!in) {
    PERFLEAK_SKIP_UNLESS_CI(kCldr << " not installed (Debian package unicode-cldr-core)");
  }
  std::stringstream xml;
  xml << in.rdbuf();
  const std::string text = xml.str();
  const std::regex zone(R"re(<mapZone other="([^"]+)" territory="001" type="([^"]+)")re");
  std::size_t zones = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), zone); it != std::sregex_iterator();
       ++it) {
    ++zones;
    EXPECT_EQ(WindowsZoneToIana((*it)[1].str()).value_or("(none)"), (*it)[2].str())
        << (*it)[1].str() << ": regenerate parsers/common/windows_zones.inc with "
        << "tools/windows_zones/gen_windows_zones.py";
  }
  EXPECT_GE(zones, 130u);
}

TEST(WindowsZones, NamesTheOldSubsetMissedNowMap) {
  EXPECT_EQ(WindowsZoneToIana("Pacific Standard Time (Mexico)").value_or(""), "America/Tijuana");
  EXPECT_EQ(WindowsZoneToIana("Pacific Daylight Time (Mexico)").value_or(""), "America/Tijuana");
  EXPECT_EQ(WindowsZoneToIana("Tasmania Standard Time").value_or(""), "Australia/Hobart");
  EXPECT_EQ(WindowsZoneToIana("Tasmania Daylight Time").value_or(""), "Australia/Hobart");
  EXPECT_EQ(WindowsZoneToIana("Fiji Standard Time").value_or(""), "Pacific/Fiji");
  EXPECT_EQ(WindowsZoneToIana("E. Australia Standard Time").value_or(""), "Australia/Brisbane");
  EXPECT_EQ(WindowsZoneToIana("GMT Summer Time").value_or(""), "Europe/London");
  EXPECT_EQ(WindowsZoneToIana("Eastern Daylight Time").value_or(""), "America/New_York");
}

TEST(WindowsZones, DisplayNamesThatDifferFromTheRegistryKeyMap) {
  EXPECT_EQ(WindowsZoneToIana("Russia TZ 2 Standard Time").value_or(""), "Europe/Moscow");
  EXPECT_EQ(WindowsZoneToIana("Russia TZ 8 Standard Time").value_or(""), "Asia/Yakutsk");
  EXPECT_EQ(WindowsZoneToIana("Russia TZ 11 Standard Time").value_or(""), "Asia/Kamchatka");
  EXPECT_EQ(WindowsZoneToIana("Malay Peninsula Standard Time").value_or(""), "Asia/Singapore");
  EXPECT_EQ(WindowsZoneToIana("Coordinated Universal Time").value_or(""), "Etc/UTC");
  EXPECT_EQ(WindowsZoneToIana("Turks and Caicos Standard Time").value_or(""), "America/Grand_Turk");
}

TEST(WindowsZones, UnknownAndLocalizedNamesGiveNothing) {
  EXPECT_FALSE(WindowsZoneToIana("Mitteleuropäische Zeit").has_value());
  EXPECT_FALSE(WindowsZoneToIana("").has_value());
  EXPECT_FALSE(WindowsZoneToIana("Standard Time").has_value());
}

}  // namespace
}  // namespace perfleak::internal
