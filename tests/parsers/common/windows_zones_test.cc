// The Windows-to-IANA zone table: every zone CLDR knows, the display names PDH writes, and
// the daylight names it writes while DST is in effect.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "common/time_zone_internal.h"
#include "test_util.h"

namespace perfleak::internal {
namespace {

constexpr const char* kCldr = "/usr/share/unicode/cldr/common/supplemental/windowsZones.xml";

using ZoneRows = std::map<std::string, std::string>;  // Windows name -> IANA zone

// `<mapZone other="X" territory="001" type="Y"/>` rows of the installed CLDR file.
ZoneRows CldrRows(const std::string& xml) {
  const std::regex zone(R"re(<mapZone other="([^"]+)" territory="001" type="([^"]+)")re");
  ZoneRows rows;
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), zone); it != std::sregex_iterator();
       ++it) {
    rows.emplace((*it)[1].str(), (*it)[2].str());
  }
  return rows;
}

// `{"X", "Y"},` rows of the checked-in table; a name listed twice counts as a mismatch.
ZoneRows CheckedInRows(std::size_t* duplicates) {
  const std::string inc = testing::ReadFileToString(std::string(PERFLEAK_SOURCE_DIR) +
                                                    "/parsers/common/windows_zones.inc");
  const std::regex row(R"re(\{"([^"]+)", "([^"]+)"\},)re");
  ZoneRows rows;
  for (auto it = std::sregex_iterator(inc.begin(), inc.end(), row); it != std::sregex_iterator();
       ++it) {
    if (!rows.emplace((*it)[1].str(), (*it)[2].str()).second) ++*duplicates;
  }
  return rows;
}

// The checked-in table is exactly CLDR's: no zone missing, none mapped elsewhere, none extra.
// Regenerate with `python3 tools/windows_zones/gen_windows_zones.py >
// parsers/common/windows_zones.inc`.
TEST(WindowsZones, CheckedInTableEqualsTheInstalledCldr) {
  std::ifstream in(kCldr);
  if (!in) {
    PERFLEAK_SKIP_UNLESS_CI(kCldr << " not installed (Debian package unicode-cldr-core)");
  }
  std::stringstream xml;
  xml << in.rdbuf();
  const ZoneRows cldr = CldrRows(xml.str());
  std::size_t duplicates = 0;
  const ZoneRows table = CheckedInRows(&duplicates);
  EXPECT_EQ(duplicates, 0u);
  EXPECT_GE(cldr.size(), 130u);
  for (const auto& [windows, iana] : cldr) {
    const auto it = table.find(windows);
    EXPECT_TRUE(it != table.end() && it->second == iana)
        << windows << " -> " << iana << " is missing or mapped to "
        << (it == table.end() ? "(none)" : it->second) << ": regenerate the table";
    // And the lookup finds it, whatever else the table holds.
    EXPECT_EQ(WindowsZoneToIana(windows).value_or("(none)"), iana) << windows;
  }
  for (const auto& [windows, iana] : table) {
    EXPECT_TRUE(cldr.count(windows) == 1) << windows << " is not a CLDR zone: regenerate the table";
  }
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
