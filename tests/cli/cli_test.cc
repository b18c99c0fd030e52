#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli_app.h"
#include "cli_run.h"
#include "exit_codes.h"
#include "perfleak/reader.h"
#include "test_util.h"

namespace perfleak::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(Cli, NoArgumentsIsUsageError) {
  const CliRun r = RunPerfleak({});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("Usage: perfleak <command>"));
}

TEST(Cli, HelpListsEveryCommand) {
  const CliRun r = RunPerfleak({"--help"});
  EXPECT_EQ(r.code, kExitOk);
  for (const char* cmd : {"analyze", "info", "convert", "Exit codes"})
    EXPECT_THAT(r.out, HasSubstr(cmd));
  for (const char* cmd : {"info", "convert", "analyze"}) {
    const CliRun h = RunPerfleak({cmd, "--help"});
    EXPECT_EQ(h.code, kExitOk) << cmd;
    EXPECT_THAT(h.out, HasSubstr("Usage: perfleak")) << cmd;
  }
}

// The README's synopsis is what a new user reads first: every option `--help` lists is in it,
// and the files its examples run exist.
TEST(Cli, ReadmeNamesEveryOptionOfHelpAndItsExamplesExist) {
  const std::string readme =
      testing::ReadFileToString(std::string(PERFLEAK_SOURCE_DIR) + "/README.md");
  ASSERT_FALSE(readme.empty());
  const std::regex option("--[a-z][a-z-]*");
  for (const char* cmd : {"analyze", "info", "convert"}) {
    const CliRun h = RunPerfleak({cmd, "--help"});
    ASSERT_EQ(h.code, kExitOk) << cmd;
    for (std::sregex_iterator it(h.out.begin(), h.out.end(), option), end; it != end; ++it) {
      EXPECT_THAT(readme, HasSubstr(it->str())) << cmd << " --help lists it, the README not";
    }
  }
  EXPECT_THAT(readme, HasSubstr("perfleak --version"));
  EXPECT_EQ(RunPerfleak({"--version"}).code, kExitOk);
  const std::regex example("\\$ perfleak \\w+ (sample_logs/[A-Za-z0-9_.]+)");
  std::size_t examples = 0;
  for (std::sregex_iterator it(readme.begin(), readme.end(), example), end; it != end; ++it) {
    ++examples;
    EXPECT_TRUE(std::filesystem::exists(std::string(PERFLEAK_SOURCE_DIR) + "/" + (*it)[1].str()))
        << (*it)[1];
  }
  EXPECT_GE(examples, 2u);
}

TEST(Cli, UnknownCommandAndOptionAreUsageErrors) {
  EXPECT_EQ(RunPerfleak({"frobnicate"}).code, kExitUsage);
  const CliRun r = RunPerfleak({"info", "--no-such-flag", "x.csv"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("no-such-flag"));
}

TEST(CliInfo, PrintsSummaryOfACsvLog) {
  const CliRun r = RunPerfleak({"info", testing::TestDataPath("csv/ok_basic.csv")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("pdh-csv (utf-8)"));
  EXPECT_THAT(r.out, HasSubstr("WEB01"));
  EXPECT_THAT(r.out, HasSubstr("2026-01-15 10:00:00.000 local, 2026-01-15T15:00:00.000Z"));
  EXPECT_THAT(r.out, HasSubstr("3 (median interval 15 s)"));
  EXPECT_THAT(r.out, HasSubstr("3 in 2 object(s): Process, Memory"));
  EXPECT_THAT(r.out, HasSubstr("2 instance(s)"));
}

TEST(CliInfo, ListsCountersMatchingPattern) {
  const CliRun r = RunPerfleak(
      {"info", "--counters=\\Process(*)\\*", testing::TestDataPath("csv/ok_basic.csv")});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_THAT(r.out, HasSubstr("\\\\WEB01\\Process(svchost#1)\\Handle Count"));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("\\\\WEB01\\Memory\\Available MBytes")));
}

TEST(CliInfo, BadInputExitsThreeWithPlace) {
  const CliRun r = RunPerfleak({"info", testing::TestDataPath("csv/bad_short_row.csv")});
  EXPECT_EQ(r.code, kExitInput);
  EXPECT_THAT(r.err, HasSubstr("bad_short_row.csv:3: expected 3 fields, got 2"));
  const CliRun missing = RunPerfleak({"info", "/nonexistent/log.blg"});
  EXPECT_EQ(missing.code, kExitInput);
  EXPECT_THAT(missing.err, HasSubstr("/nonexistent/log.blg: no such file or directory"));
}

TEST(CliInfo, FolderIsSearchedLikeAnalyzeDoes) {
  // tests/data/csv holds ok_basic.csv and broken logs: the good one is described, each broken
  // one named with its place, and the exit code says that some failed.
  const CliRun dir = RunPerfleak({"info", testing::TestDataPath("csv")});
  EXPECT_EQ(dir.code, kExitInput);
  EXPECT_THAT(dir.out, HasSubstr("ok_basic.csv"));
  EXPECT_THAT(dir.out, HasSubstr("3 (median interval 15 s)"));
  EXPECT_THAT(dir.err, HasSubstr("bad_short_row.csv:3: expected 3 fields, got 2"));
  EXPECT_THAT(dir.err, Not(HasSubstr("is a directory")));
}

TEST(CliInfo, FolderWithoutLogsIsNamed) {
  const std::string dir = testing::MakeTempDir("perfleak-cli-empty") + "/dir.csv";
  std::filesystem::create_directories(dir);
  const CliRun r = RunPerfleak({"info", dir + "/"});
  EXPECT_EQ(r.code, kExitInput);
  EXPECT_THAT(r.err, HasSubstr("dir.csv/: no counter log found in this folder"));
  std::filesystem::remove_all(std::filesystem::path(dir).parent_path());
}

TEST(CliInfo, PatternMatchingNothingNamesTheObjects) {
  const CliRun r = RunPerfleak(
      {"info", "--counters=\\Processor(*)\\*", testing::TestDataPath("csv/ok_basic.csv")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("the log's objects are: Process, Memory"));
}

TEST(Cli, NegativeCountsAreUsageErrors) {
  const std::string log = testing::TestDataPath("csv/ok_basic.csv");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"analyze", log, "--jobs", "-1"},
        std::vector<std::string>{"analyze", log, "--threads", "-2"},
        std::vector<std::string>{"info", log, "--threads=-2"},
        std::vector<std::string>{"analyze", log, "--jobs", "two"}}) {
    const CliRun r = RunPerfleak(args);
    EXPECT_EQ(r.code, kExitUsage) << args[2] << " " << args.back() << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr("is invalid")) << args.back();
  }
  const std::string judged = std::string(PERFLEAK_SOURCE_DIR) + "/sample_logs/app03_healthy.csv";
  EXPECT_EQ(RunPerfleak({"analyze", judged, "--jobs", "2", "--threads", "0", "-q"}).code, kExitOk);
}

TEST(CliConvert, UnknownOutputExtensionIsAUsageError) {
  const std::string dir = testing::MakeTempDir("perfleak-cli-xlsx");
  const std::string out = dir + "/x.xlsx";
  const CliRun r = RunPerfleak({"convert", testing::TestDataPath("csv/ok_basic.csv"), "-o", out});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("cannot tell the format from the name"));
  EXPECT_FALSE(std::filesystem::exists(out));
  const CliRun forced = RunPerfleak(
      {"convert", testing::TestDataPath("csv/ok_basic.csv"), "-o", out, "--format", "csv"});
  EXPECT_EQ(forced.code, kExitOk) << forced.err;
  const CliRun upper =
      RunPerfleak({"convert", testing::TestDataPath("csv/ok_basic.csv"), "-o", dir + "/X.TSV"});
  EXPECT_EQ(upper.code, kExitOk) << upper.err;
  std::filesystem::remove_all(dir);
}

TEST(CliInfo, SkipBadRowsReadsTheRest) {
  const CliRun r =
      RunPerfleak({"info", "--skip-bad-rows", testing::TestDataPath("csv/bad_short_row.csv")});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_THAT(r.out, HasSubstr("warning:"));
  EXPECT_THAT(r.out, HasSubstr("skipped row"));
}

TEST(CliConvert, WritesTsvThatReadsBackTheSame) {
  const std::string dir = testing::MakeTempDir("perfleak-cli");
  const std::string out = dir + "/x.tsv";
  const CliRun r = RunPerfleak({"convert", testing::TestDataPath("csv/ok_basic.csv"), "-o", out});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  auto original = ReadLog(testing::TestDataPath("csv/ok_basic.csv"));
  auto converted = ReadLog(out);
  ASSERT_TRUE(original.ok() && converted.ok());
  EXPECT_EQ(converted->format, LogFormat::kPdhTsv);
  EXPECT_EQ(converted->time_utc, original->time_utc);
  EXPECT_EQ(converted->time_zone.name, "Eastern Standard Time");
  const std::string text = testing::ReadFileToString(out);
  EXPECT_EQ(text.rfind("\"(PDH-TSV 4.0) (Eastern Standard Time)(300)\"\t", 0), 0u);
  EXPECT_THAT(text, HasSubstr("\"01/15/2026 10:00:00.000\"\t\"1048576\"\t\" \"\t\"2048\"\r\n"));
  std::filesystem::remove_all(dir);
}

TEST(CliConvert, CounterSelectionAndStdout) {
  const CliRun r = RunPerfleak({"convert", testing::TestDataPath("csv/ok_basic.csv"), "-o", "-",
                                "--counters", "\\Memory\\*", "--lf"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(
      r.out,
      "\"(PDH-CSV 4.0) (Eastern Standard Time)(300)\",\"\\\\WEB01\\Memory\\Available MBytes\"\n"
      "\"01/15/2026 10:00:00.000\",\"2048\"\n\"01/15/2026 10:00:15.000\",\"2047.5\"\n"
      "\"01/15/2026 10:00:30.000\",\"2047\"\n");
}

// A full disk shows up at the final flush: a small report fits in the stream's buffer, so
// only checking the close tells "written" from lost.
TEST(CliConvert, FullDiskIsAnInputErrorNotSuccess) {
  const CliRun r = RunPerfleak(
      {"convert", testing::TestDataPath("csv/ok_basic.csv"), "-o", "/dev/full", "--format", "csv"});
  EXPECT_EQ(r.code, kExitInput) << r.err;
  EXPECT_THAT(r.err, HasSubstr("perfleak convert: cannot write /dev/full: No space left"));
}

TEST(CliAnalyze, FullDiskIsAnInputErrorNotReportWritten) {
  // A report larger than the stream's buffer fails while it is written, not only at the close.
  const CliRun big =
      RunPerfleak({"analyze", std::string(PERFLEAK_SOURCE_DIR) + "/sample_logs/app05_incident.csv",
                   "-o", "/dev/full", "--quiet"});
  EXPECT_EQ(big.code, kExitInput) << big.err;
  EXPECT_THAT(big.err, HasSubstr("cannot write /dev/full: No space left"));
  const CliRun r = RunPerfleak(
      {"analyze", testing::TestDataPath("csv/ok_basic.csv"), "-o", "/dev/full", "--quiet"});
  EXPECT_EQ(r.code, kExitInput) << r.err;
  EXPECT_THAT(r.err, HasSubstr("perfleak analyze: cannot write /dev/full: No space left"));
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("report written")));
}

TEST(CliConvert, RequiresOutput) {
  const CliRun r = RunPerfleak({"convert", testing::TestDataPath("csv/ok_basic.csv")});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("-o OUT"));
}

std::string IncidentSample() {
  return std::string(PERFLEAK_SOURCE_DIR) + "/sample_logs/app05_incident.csv";
}

TEST(CliAnalyzePostMortem, AtNamesTheCulpritWithItsShare) {
  // sample_logs/README.md: commit first reaches 97 % of the limit at 06:30 local.
  const CliRun r = RunPerfleak({"analyze", IncidentSample(), "--at", "2026-11-20 06:30", "-q"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("System memory"));
  EXPECT_THAT(r.out, HasSubstr("Run-up to the incident on APP05"));
  EXPECT_THAT(r.out, HasSubstr("before the incident at 06:30, OrderService grew"));
  EXPECT_THAT(r.out, HasSubstr("(97 % of the growth)"));
  EXPECT_THAT(r.out, HasSubstr("ReportJob grew 300 MB from nothing"));
}

TEST(CliAnalyzePostMortem, AcceptsPdhAndZonedTimesAndJson) {
  for (const char* at : {"11/20/2026 06:30:00", "2026-11-20T11:30:00Z", "2026-11-20T13:30+02:00"}) {
    const CliRun r = RunPerfleak({"analyze", IncidentSample(), "--at", at, "-q", "-f", "json"});
    EXPECT_EQ(r.code, kExitOk) << at << ": " << r.err;
    EXPECT_THAT(r.out, HasSubstr("\"incident_utc\": \"2026-11-20T11:30:00.000Z\"")) << at;
    EXPECT_THAT(r.out, HasSubstr("\"episodes\"")) << at;
  }
}

TEST(CliAnalyzePostMortem, TimeOutsideTheLogIsAUsageErrorNamingTheRange) {
  const CliRun r = RunPerfleak({"analyze", IncidentSample(), "--at", "2026-11-21 06:30", "-q"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--at 2026-11-21 06:30 is outside the log"));
  EXPECT_THAT(r.err, HasSubstr("runs from 2026-11-20 01:00:00.000 to 2026-11-20 06:58:30.000"));
}

TEST(CliAnalyzePostMortem, UnreadableTimeAndBadRunUpAreUsageErrors) {
  CliRun r = RunPerfleak({"analyze", IncidentSample(), "--from", "last tuesday"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--from: cannot read the time 'last tuesday'"));
  r = RunPerfleak({"analyze", IncidentSample(), "--run-up", "0"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--run-up"));
  r = RunPerfleak(
      {"analyze", IncidentSample(), "--from", "2026-11-20 05:00", "--to", "2026-11-20 02:00"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("before it starts"));
}

TEST(CliAnalyzePostMortem, ProcessFocusListsOnlyThatProcessEvenWhenOk) {
  const CliRun r = RunPerfleak({"analyze", IncidentSample(), "--process", "sqlservr", "-q"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("sqlservr"));
  EXPECT_THAT(r.out, Not(HasSubstr("OrderService      ")));
  const CliRun help = RunPerfleak({"analyze", "--help"});
  for (const char* flag : {"--process", "--from", "--to", "--at", "--run-up", "Post-mortem"}) {
    EXPECT_THAT(help.out, HasSubstr(flag));
  }
}

}  // namespace
}  // namespace perfleak::cli
