#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "perfleak/tasklist.h"
#include "perfleak/time_format.h"
#include "test_util.h"

namespace perfleak {
namespace {

using testing::AsBytes;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ReadFileToString;
using testing::TestDataPath;

// One row of the table as tasklist lays it out: image in 25 columns, PID right-aligned in 8.
std::string Row(std::string_view image, std::string_view pid, std::string_view services) {
  std::string row(image);
  row.resize(std::max<std::size_t>(row.size(), 25), ' ');
  row += ' ' + std::string(pid.size() < 8 ? 8 - pid.size() : 0, ' ') + std::string(pid);
  return row + ' ' + std::string(services) + "\r\n";
}

constexpr std::string_view kRule =
    "========================= ======== ============================================\r\n";

TasklistExport ParseFixture(const std::string& name) {
  auto parsed = ReadTasklistExport(TestDataPath("tasklist/" + name));
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  return parsed.ok() ? std::move(parsed).value() : TasklistExport{};
}

// The fixtures list the same 19 processes (tests/data/tasklist/README.md).
void ExpectTheFixtureProcesses(const TasklistExport& e) {
  ASSERT_EQ(e.processes.size(), 19u);
  EXPECT_EQ(e.processes[0].image, "System Idle Process");
  EXPECT_EQ(e.processes[0].pid, 0);
  EXPECT_THAT(e.processes[0].services, IsEmpty());  // N/A
  ASSERT_NE(e.Find(688), nullptr);
  EXPECT_THAT(e.Find(688)->services, ElementsAre("KeyIso", "SamSs", "VaultSvc"));
  // A service list over two lines (a continuation line) and over three.
  EXPECT_THAT(e.Find(812)->services, ElementsAre("BrokerInfrastructure", "DcomLaunch", "PlugPlay",
                                                 "Power", "SystemEventsBroker"));
  EXPECT_THAT(e.Find(1234)->services,
              ElementsAre("CryptSvc", "Dhcp", "EventLog", "LanmanWorkstation", "NlaSvc",
                          "TermService", "W32Time", "WinHttpAutoProxySvc", "Winmgmt"));
  EXPECT_THAT(e.Find(1132)->services, ElementsAre("Dnscache"));
  EXPECT_EQ(e.Find(1132)->image, "svchost.exe");
  // The table cuts image names at 25 characters; CSV keeps them whole (the fixture too).
  EXPECT_EQ(e.Find(7004)->image, "MicrosoftEdgeUpdateBroke");
  EXPECT_EQ(e.Find(99999), nullptr);
  EXPECT_THAT(e.warnings, IsEmpty());
}

TEST(TasklistReader, TableWithContinuationLinesInUtf8) {
  const TasklistExport e = ParseFixture("ok_table_utf8.txt");
  EXPECT_EQ(e.format, TasklistFormat::kTable);
  EXPECT_EQ(e.encoding, "utf-8");
  ExpectTheFixtureProcesses(e);
  EXPECT_EQ(e.Find(812)->line, 12u);  // its first row, 1-based, after a blank first line
}

TEST(TasklistReader, TableInUtf16WithBomAndWithout) {
  const TasklistExport e = ParseFixture("ok_table_utf16_bom.txt");
  EXPECT_EQ(e.encoding, "utf-16le");
  ExpectTheFixtureProcesses(e);
  const std::string bytes = ReadFileToString(TestDataPath("tasklist/ok_table_utf16_bom.txt"));
  auto no_bom = ParseTasklistExport("nobom.txt", AsBytes(std::string_view(bytes).substr(2)));
  ASSERT_TRUE(no_bom.ok()) << no_bom.status().message();
  EXPECT_EQ(no_bom->encoding, "utf-16le");
  ExpectTheFixtureProcesses(*no_bom);
}

TEST(TasklistReader, CsvWithServicesCommaSeparatedInOneField) {
  const TasklistExport e = ParseFixture("ok_svc.csv");
  EXPECT_EQ(e.format, TasklistFormat::kCsv);
  ExpectTheFixtureProcesses(e);
  const TasklistExport nh = ParseFixture("ok_svc_nh.csv");  // `/nh`: no header row
  EXPECT_EQ(nh.format, TasklistFormat::kCsv);
  ExpectTheFixtureProcesses(nh);
}

TEST(TasklistReader, AnsiImageNameAndLocalizedHeader) {
  // A German export written by cmd (code page, not UTF-8): `Dienste`, `Nicht zutreffend`.
  const std::string text = "\r\n" + Row("Abbildname", "PID", "Dienste") + std::string(kRule) +
                           Row("Leerlaufprozess", "0", "Nicht zutreffend") +
                           Row("B\xfcroDienst.exe", "900", "BueroSvc") +
                           Row("svchost.exe", "1132", "Dnscache");
  auto e = ParseTasklistExport("de.txt", AsBytes(text));
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->encoding, "cp1252");
  ASSERT_EQ(e->processes.size(), 3u);
  EXPECT_THAT(e->processes[0].services, IsEmpty());
  EXPECT_EQ(e->processes[1].image, "B\xc3\xbcroDienst.exe");
  EXPECT_THAT(e->processes[1].services, ElementsAre("BueroSvc"));
  EXPECT_TRUE(LooksLikeTasklistExport(AsBytes(text)));
}

TEST(TasklistReader, MalformedRowsAreWarningsNamingFileAndLineNotErrors) {
  const std::string path = TestDataPath("tasklist/bad_rows.txt");
  auto e = ReadTasklistExport(path);
  ASSERT_TRUE(e.ok()) << e.status().message();
  ASSERT_EQ(e->warnings.size(), 2u);
  EXPECT_THAT(e->warnings[0], HasSubstr(path + ":10: PID \"8x12\" is not a number"));
  EXPECT_THAT(e->warnings[1], HasSubstr(path + ":11: no PID in row \"notepad.exe\"; row skipped"));
  // Everything else is read.
  EXPECT_EQ(e->processes.size(), 19u);
  EXPECT_THAT(e->Find(1234)->services, ::testing::Contains("Winmgmt"));
}

TEST(TasklistReader, ContinuationWithoutProcessAndCsvRowsOfAnotherShapeAreWarnings) {
  const std::string table = Row("Image Name", "PID", "Services") + std::string(kRule) +
                            Row("", "", "Orphan") + Row("svchost.exe", "812", "A");
  auto t = ParseTasklistExport("t.txt", AsBytes(table));
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(t->warnings,
              ElementsAre(HasSubstr("t.txt:3: services \"Orphan\" without a process")));
  EXPECT_EQ(t->processes.size(), 1u);
  const std::string csv =
      "\"Image Name\",\"PID\",\"Services\"\n"
      "\"svchost.exe\",\"812\"\n"
      "\"svchost.exe\",\"860\",\"RpcSs\n"
      "\"svchost.exe\",\"900\",\"Dnscache\"\n";
  auto c = ParseTasklistExport("c.csv", AsBytes(csv));
  ASSERT_TRUE(c.ok());
  EXPECT_THAT(c->warnings, ElementsAre(HasSubstr("c.csv:2: expected 3 fields"),
                                       HasSubstr("c.csv:3: unterminated quote")));
  ASSERT_EQ(c->processes.size(), 1u);
  EXPECT_EQ(c->processes[0].pid, 900);
}

TEST(TasklistReader, NotAnExportIsAParseErrorNamingTheFile) {
  auto e = ParseTasklistExport("notes.txt", AsBytes("hello\nworld\n"));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kParseError);
  EXPECT_THAT(e.status().message(), HasSubstr("notes.txt:1: not a tasklist /svc export"));
  auto modules = ReadTasklistExport(TestDataPath("tasklist/bad_modules_not_services.txt"));
  ASSERT_FALSE(modules.ok());
  EXPECT_THAT(modules.status().message(), HasSubstr(":2: a tasklist /m export (modules)"));
}

TEST(TasklistReader, TooLargeIsALimitNotAnAttemptToParse) {
  TasklistLimits limits;
  limits.max_bytes = 100;
  auto e = ReadTasklistExport(TestDataPath("tasklist/ok_table_utf8.txt"), limits);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kLimitExceeded);
  EXPECT_THAT(e.status().message(), HasSubstr("ok_table_utf8.txt: 1952 bytes is too large"));
}

TEST(TasklistReader, WarningsStopAtTheirBudget) {
  std::string table = Row("Image Name", "PID", "Services") + std::string(kRule);
  for (int i = 0; i < 30; ++i) table += Row("svchost.exe", "xyz", "A");
  TasklistLimits limits;
  limits.max_warnings = 5;
  auto e = ParseTasklistExport("w.txt", AsBytes(table), limits);
  ASSERT_TRUE(e.ok());
  ASSERT_EQ(e->warnings.size(), 6u);
  EXPECT_EQ(e->warnings.back(), "w.txt: 25 more rows skipped");
}

TEST(TasklistReader, SniffingTellsExportsFromLogsModulesAndPlainTasklist) {
  for (const char* name : {"ok_table_utf8.txt", "ok_table_utf16_bom.txt", "ok_svc.csv",
                           "ok_svc_nh.csv", "bad_rows.txt"}) {
    const std::string bytes = ReadFileToString(TestDataPath(std::string("tasklist/") + name));
    EXPECT_TRUE(LooksLikeTasklistExport(AsBytes(bytes))) << name;
    // A head cut anywhere (here inside a UTF-16 character) still sniffs.
    EXPECT_TRUE(LooksLikeTasklistExport(AsBytes(std::string_view(bytes).substr(0, 401)))) << name;
  }
  const std::string modules =
      ReadFileToString(TestDataPath("tasklist/bad_modules_not_services.txt"));
  EXPECT_FALSE(LooksLikeTasklistExport(AsBytes(modules)));
  const std::string plain =
      "\r\nImage Name                     PID Session Name        Session#    Mem Usage\r\n"
      "========================= ======== ================ =========== ============\r\n"
      "System Idle Process              0 Services                   0          8 K\r\n";
  EXPECT_FALSE(LooksLikeTasklistExport(AsBytes(plain)));
  EXPECT_FALSE(
      LooksLikeTasklistExport(AsBytes(ReadFileToString(TestDataPath("csv/ok_basic.csv")))));
  EXPECT_FALSE(LooksLikeTasklistExport(AsBytes("")));
}

TEST(TasklistReader, TimeFromTheFileNamesCollectionsGive) {
  const auto at = [](std::string_view name) {
    const std::optional<Ticks> t = TimeInFileName(name);
    return t ? FormatLocal(*t).substr(0, 19) : std::string("none");
  };
  EXPECT_EQ(at("WEB01_20261120_101500_tasklist.txt"), "2026-11-20 10:15:00");
  EXPECT_EQ(at("tss_261120-101500_WEB01_tasklist_svc.txt"), "2026-11-20 10:15:00");
  EXPECT_EQ(at("tasklist_2026-11-20_10-15-00.csv"), "2026-11-20 10:15:00");
  EXPECT_EQ(at("WEB01_20261120101500_tasklist.csv"), "2026-11-20 10:15:00");
  EXPECT_EQ(at("tasklist.txt"), "none");
  EXPECT_EQ(at("tasklist_svc_20261340_101500.txt"), "none");  // month 13
  EXPECT_EQ(at("WEB01_tasklist.csv"), "none");
}

}  // namespace
}  // namespace perfleak
