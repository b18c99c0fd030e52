// `perfleak analyze FOLDER`: one report for a whole support case, every failure listed with
// its file and place, and the exit code saying whether anything could be analysed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/process_kind_fixtures.h"
#include "batch/fleet_folder.h"
#include "cli_app.h"
#include "cli_run.h"
#include "exit_codes.h"
#include "perfleak/writer.h"
#include "test_util.h"

namespace perfleak::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

class CliAnalyzeFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::MakeFleetFolder(testing::MakeTempDir("perfleak-cli-fleet"));
  }
  void TearDown() override { fs::remove_all(folder_.root); }
  testing::FleetFolder folder_;
};

TEST_F(CliAnalyzeFolder, JsonListsEveryFailureAndExitsZeroWithAWarning) {
  const CliRun r = RunPerfleak({"analyze", folder_.root, "--format", "json", "--quiet"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.err, HasSubstr("warning: 3 of 8 logs could not be read"));
  const auto j = nlohmann::json::parse(r.out);
  std::vector<std::string> failed;
  for (const auto& log : j["logs"]) {
    if (log["status"] != "error") continue;
    const std::string path = log["path"];
    const std::string error = log["error"];
    failed.push_back(path);
    EXPECT_THAT(error, HasSubstr(path)) << "the error names the file";
    EXPECT_THAT(r.err, HasSubstr(error)) << "and stderr repeats it";
  }
  ASSERT_EQ(failed.size(), folder_.broken_logs);
  // The place: the line of the damaged CSV, the size of the empty file.
  for (const auto& log : j["logs"]) {
    const std::string path = log["path"];
    if (path.ends_with("damaged.csv")) {
      EXPECT_THAT(log["error"].get<std::string>(), HasSubstr("damaged.csv:"));
    }
    if (path.ends_with("empty.csv")) {
      EXPECT_THAT(log["error"].get<std::string>(), HasSubstr("0 bytes"));
    }
  }
  EXPECT_EQ(j["skipped"].size(), folder_.foreign);
  EXPECT_FALSE(j["findings"].empty());
}

TEST_F(CliAnalyzeFolder, NothingAnalysableExitsThree) {
  const CliRun r = RunPerfleak({"analyze", folder_.root + "/case42/broken", "--include", "*.csv",
                                "--format", "json", "--quiet"});
  EXPECT_EQ(r.code, kExitInput);
  EXPECT_THAT(r.err, HasSubstr("empty.csv"));
  EXPECT_THAT(r.err, HasSubstr("damaged.csv:"));
  // The report is still written, so the failures are in it too.
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["logs"].size(), 2u);
  EXPECT_EQ(j["context"]["logs_failed"], 2);
}

TEST_F(CliAnalyzeFolder, TextReportHasFleetJoinedPartsAndTotal) {
  const CliRun r = RunPerfleak({"analyze", folder_.root, "--quiet", "--color", "never"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_THAT(r.out, HasSubstr("Fleet: 4 machines"));
  EXPECT_THAT(r.out, HasSubstr("stitched from 2 files:"));
  EXPECT_THAT(r.out, HasSubstr("4 logs analysed, 3 failed, 2 skipped, 1 without data;"));
  const CliRun apart =
      RunPerfleak({"analyze", folder_.root, "--quiet", "--no-stitch", "--jobs", "1"});
  EXPECT_THAT(apart.out, Not(HasSubstr("stitched from")));
  EXPECT_THAT(apart.out, HasSubstr("5 logs analysed, 3 failed, 2 skipped, 1 without data;"));
}

TEST_F(CliAnalyzeFolder, HtmlFileHasTheFleetMatrix) {
  const std::string html = folder_.root + "/report.html";
  const CliRun r =
      RunPerfleak({"analyze", folder_.root + "/case42", "--quiet", "--format", "html", "-o", html});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  const std::string page = testing::ReadFileToString(html);
  EXPECT_THAT(page, HasSubstr("<h2>Fleet</h2>"));
  EXPECT_THAT(page, HasSubstr("<h2>Skipped files</h2>"));
}

TEST_F(CliAnalyzeFolder, TimingsListEveryReadLogTheSumsAndTheTotalButNotTheFailed) {
  const CliRun r = RunPerfleak(
      {"analyze", folder_.root, "--quiet", "--no-stitch", "--timings", "--format", "json"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  std::size_t per_log = 0;
  std::istringstream lines(r.err);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("timings: ") == std::string::npos || line.find("total") != std::string::npos ||
        line.find("summed over") != std::string::npos) {
      continue;
    }
    ++per_log;
    EXPECT_THAT(line, HasSubstr(" MB/s); analysed "));
  }
  EXPECT_EQ(per_log, 6u) << r.err;  // the six analysed logs; failed ones were never read
  EXPECT_THAT(r.err, HasSubstr("timings: total "));
  // The phases summed from unrounded times: a small log's lines show 0.000 s.
  EXPECT_THAT(r.err, HasSubstr("timings: summed over 6 logs: reading "));
  // Timings vary from run to run and never reach the report.
  EXPECT_THAT(r.out, Not(HasSubstr("seconds")));
  const CliRun quiet = RunPerfleak({"analyze", folder_.root, "--quiet", "--format", "json"});
  EXPECT_THAT(quiet.err, Not(HasSubstr("timings")));
}

std::string SampleLog(const std::string& name) {
  return std::string(PERFLEAK_SOURCE_DIR) + "/sample_logs/" + name;
}

TEST(CliAnalyzeProcess, ImageNameWithExeMatches) {
  const CliRun r = RunPerfleak(
      {"analyze", SampleLog("web01_mixed.csv"), "--process", "SSMS.exe", "-q", "--color", "never"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Ssms"));
  EXPECT_THAT(r.err, Not(HasSubstr("matches no process")));
}

TEST(CliAnalyzeProcess, NoMatchIsAUsageErrorListingTheImageNames) {
  const CliRun r = RunPerfleak({"analyze", SampleLog("web01_mixed.csv"), "--process", "nosuch"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--process nosuch matches no process"));
  EXPECT_THAT(r.err, HasSubstr("image names in the log: CacheHost, ShippingSvc, spoolsv, Ssms, "
                               "svchost"));
  EXPECT_EQ(r.out, "") << "no report for a process that is not there";
}

TEST(CliAnalyzeProcess, FailOnJudgesOnlyTheProcessInFocus) {
  // web01 has leaks (svchost, ShippingSvc, ...); Ssms is ok.
  const std::string log = SampleLog("web01_mixed.csv");
  EXPECT_EQ(RunPerfleak({"analyze", log, "--fail-on", "leak", "-q"}).code, kExitFindings);
  const CliRun ssms = RunPerfleak({"analyze", log, "--process", "Ssms", "--fail-on", "leak", "-q"});
  EXPECT_EQ(ssms.code, kExitOk) << ssms.out;
  const CliRun svchost = RunPerfleak(
      {"analyze", log, "--process", "ShippingSvc", "--fail-on", "leak", "-q", "-f", "json"});
  EXPECT_EQ(svchost.code, kExitFindings);
}

TEST(CliAnalyzeProcess, TextListsEveryCounterAndLifetime) {
  const CliRun r = RunPerfleak({"analyze", SampleLog("sql02_restarts.tsv"), "--process",
                                "BillingApi", "-q", "--color", "never"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("lifetime PID 1028"));
  EXPECT_THAT(r.out, HasSubstr("lifetime PID 1556"));
  for (const char* counter : {"Private Bytes", "Virtual Bytes", "Working Set", "Handle Count",
                              "Thread Count", "Pool Paged Bytes", "Pool Nonpaged Bytes"}) {
    EXPECT_THAT(r.out, HasSubstr(std::string("counter ") + counter)) << counter;
  }
}

TEST(CliAnalyze, FolderWithoutLogsIsNamed) {
  const std::string root = testing::MakeTempDir("perfleak-cli-nolog");
  fs::create_directories(root + "/dir.csv");
  fs::create_directories(root + "/empty");
  testing::WriteStringToFile(root + "/empty/notes.txt", "not a log\n");
  const CliRun r = RunPerfleak({"analyze", root + "/dir.csv/", root + "/empty", "-q"});
  EXPECT_EQ(r.code, kExitInput);
  EXPECT_THAT(r.err, HasSubstr("dir.csv/: no counter log found in this folder (the folder has no "
                               "files)"));
  EXPECT_THAT(r.err, HasSubstr("empty: no counter log found in this folder (1 file(s), none a "
                               "counter log)"));
  fs::remove_all(root);
}

TEST(CliAnalyze, PostMortemOverAFolderSkipsLogsOutsideTheIncident) {
  // app05 covers 2026-11-20 01:00..06:58 local; the other logs were recorded at other times.
  const std::string root = testing::MakeTempDir("perfleak-cli-case");
  fs::copy_file(SampleLog("app05_incident.csv"), root + "/app05_incident.csv");
  fs::copy_file(SampleLog("web01_mixed.csv"), root + "/web01_mixed.csv");
  const CliRun r = RunPerfleak({"analyze", root, "--at", "2026-11-20 06:30", "-q", "-f", "json"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.err, HasSubstr("1 log outside the incident time"));
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["logs"].size(), 1u);
  EXPECT_THAT(j["logs"][0]["path"].get<std::string>(), HasSubstr("app05_incident.csv"));
  ASSERT_EQ(j["skipped"].size(), 1u);
  EXPECT_THAT(j["skipped"][0]["reason"].get<std::string>(),
              HasSubstr("outside the incident time: --at 2026-11-20 06:30 is outside the log"));
  // Outside every log is still the caller's mistake.
  const CliRun none = RunPerfleak({"analyze", root, "--at", "2030-01-01 00:00", "-q"});
  EXPECT_EQ(none.code, kExitUsage);
  EXPECT_THAT(none.err, HasSubstr("is outside the log"));
  fs::remove_all(root);
}

// Sets COLUMNS for one test, restoring the previous value.
class ScopedColumns {
 public:
  explicit ScopedColumns(const char* value) {
    if (const char* old = std::getenv("COLUMNS")) old_ = old;
    ::setenv("COLUMNS", value, 1);
  }
  ~ScopedColumns() {
    if (old_) {
      ::setenv("COLUMNS", old_->c_str(), 1);
    } else {
      ::unsetenv("COLUMNS");
    }
  }

 private:
  std::optional<std::string> old_;
};

std::size_t DisplayColumns(std::string_view line) {
  std::size_t n = 0;
  for (char c : line) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

TEST(CliAnalyze, TextFollowsColumnsAndNeverCuts) {
  for (const char* columns : {"80", "100", "140"}) {
    ScopedColumns scoped(columns);
    const CliRun r = RunPerfleak({"analyze", SampleLog("web01_mixed.csv"),
                                  SampleLog("sql02_restarts.tsv"), "-q", "--color", "never"});
    EXPECT_EQ(r.code, kExitOk) << r.err;
    const std::size_t width = std::stoul(columns);
    std::size_t widest = 0;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      EXPECT_LE(DisplayColumns(line), width) << line;
      EXPECT_EQ(line.find('~'), std::string::npos) << line;
      widest = std::max(widest, DisplayColumns(line));
    }
    EXPECT_GT(widest, width - 15) << "the report uses the width it is given";
  }
}

}  // namespace
}  // namespace perfleak::cli

namespace perfleak::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// PAL's 10-minute sample: every process is not judged, in every format; nothing is "OK" and the
// run does not end 0 as if the machine were healthy.
TEST(CliAnalyzeStates, TooShortLogIsNotJudgedInEveryFormat) {
  PERFLEAK_REAL_LOG_OR_SKIP(path, "PAL__SampleLog.blg");
  const CliRun text = RunPerfleak({"analyze", path, "--all", "--quiet"});
  EXPECT_EQ(text.code, kExitNothingJudged) << text.err;
  EXPECT_THAT(text.out, HasSubstr("Not judged"));
  EXPECT_THAT(text.out, HasSubstr("55 processes, every one in the log, have too few samples"));
  EXPECT_THAT(text.out, Not(HasSubstr(" OK ")));
  EXPECT_THAT(text.out, Not(HasSubstr("No leaks or suspects")));
  EXPECT_THAT(text.out, HasSubstr("no forecast for system commit"));
  const CliRun json = RunPerfleak({"analyze", path, "--all", "--quiet", "--format", "json"});
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["context"]["not_judged"], 55);
  EXPECT_EQ(j["context"]["processes_analysed"], 0);
  for (const auto& f : j["findings"]) {
    EXPECT_EQ(f["verdict"], "not_judged") << f["instance"];
    EXPECT_TRUE(f["rank"].is_null());
  }
  const CliRun html = RunPerfleak({"analyze", path, "--quiet", "--format", "html"});
  EXPECT_THAT(html.out, HasSubstr("<h2 id=\"not-judged\">Not judged</h2>"));
  EXPECT_THAT(html.out, HasSubstr("No process could be judged"));
}

// A log without Process or Memory counters is `no_data` with the logman line, and exits 4
// (not 0, not 1), whatever --fail-on says.
TEST(CliAnalyzeStates, LogWithoutProcessCountersIsNoDataWithItsOwnExitCode) {
  PERFLEAK_REAL_LOG_OR_SKIP(path, "Tx__BasicPerfCounters.blg");
  const CliRun r = RunPerfleak({"analyze", path, "--quiet", "--fail-on", "suspect"});
  EXPECT_EQ(r.code, kExitNothingJudged);
  EXPECT_EQ(kExitNothingJudged, 4);
  EXPECT_THAT(r.out, HasSubstr("no data"));
  EXPECT_THAT(r.out, HasSubstr("logman create counter perfleak"));
  EXPECT_THAT(r.out, HasSubstr("0 logs analysed, 0 failed, 0 skipped, 1 without data"));
  EXPECT_THAT(r.err, HasSubstr("nothing could be judged"));
  const CliRun json = RunPerfleak({"analyze", path, "--quiet", "--format", "json"});
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["logs"][0]["status"], "no_data");
  EXPECT_THAT(j["logs"][0]["collect_hint"].get<std::string>(), HasSubstr("\\Process(*)\\*"));
  EXPECT_EQ(j["context"]["logs_no_data"], 1);
}

// app05: Memory is not a process. It is not in the ranking or the process counts; the System
// section carries it with the process that holds the growth.
TEST(CliAnalyzeStates, CommitFindingLivesInTheSystemSection) {
  const std::string path = std::string(PERFLEAK_SOURCE_DIR) + "/sample_logs/app05_incident.csv";
  const CliRun r = RunPerfleak({"analyze", path, "--quiet"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_THAT(r.out, Not(HasSubstr("LEAK    Memory")));
  EXPECT_THAT(r.out, HasSubstr("7 processes judged: 1 leak, 0 suspects; system: 1"));
  EXPECT_THAT(r.out, HasSubstr("LEAK: Committed Bytes grew"));
  EXPECT_THAT(r.out, HasSubstr("OrderService holds 97 % of that growth"));
  EXPECT_THAT(r.out, Not(HasSubstr("Rerun with `--all`")));
}

// Issue 17 through the whole pipeline: a PDH-CSV with .NET CLR Memory and W3SVC_W3WP columns
// is read with the analysis's counter patterns, and the reports name the app pool, the kind
// and the share the managed heap explains.
TEST(CliAnalyzeKnowsTheProcess, AppPoolKindAndExplainedShareInJsonAndText) {
  const std::string dir = testing::MakeTempDir("perfleak-cli-app-pools");
  const std::string path = dir + "/web01_app_pools.csv";
  {
    std::ofstream out(path, std::ios::binary);
    ASSERT_TRUE(WritePdhText(testing::MakeTwoAppPoolLog(), out).ok());
  }
  const CliRun json = RunPerfleak({"analyze", path, "--quiet", "--format", "json", "--all"});
  const auto j = nlohmann::json::parse(json.out);
  const nlohmann::json* orders = nullptr;
  const nlohmann::json* other = nullptr;
  for (const auto& f : j["findings"]) {
    if (f["pids"] == nlohmann::json::array({4312})) orders = &f;
    if (f["pids"] == nlohmann::json::array({5120})) other = &f;
  }
  ASSERT_NE(orders, nullptr) << json.out;
  EXPECT_EQ((*orders)["verdict"], "leak");
  EXPECT_EQ((*orders)["app_pool"], "OrdersApi");
  EXPECT_EQ((*orders)["kind"], "managed");
  const auto& pb = (*orders)["evidence"][0]["counter"] == "Private Bytes"
                       ? (*orders)["evidence"][0]
                       : (*orders)["evidence"][1];
  ASSERT_EQ(pb["counter"], "Private Bytes");
  ASSERT_TRUE(pb.contains("explained_by"));
  EXPECT_EQ(pb["explained_by"][0]["counter"], "# Bytes in all Heaps");
  EXPECT_NEAR(pb["explained_by"][0]["share"].get<double>(), 0.95, 0.05);  // as in the analysis
  ASSERT_NE(other, nullptr);
  EXPECT_EQ((*other)["app_pool"], "DefaultAppPool");
  EXPECT_FALSE(other->contains("kind"));
  const CliRun text = RunPerfleak({"analyze", path, "--quiet"});
  EXPECT_THAT(text.out, HasSubstr("w3wp (app pool OrdersApi)"));
  const CliRun html = RunPerfleak({"analyze", path, "--quiet", "--format", "html"});
  EXPECT_THAT(html.out, HasSubstr("w3wp (app pool OrdersApi)"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace perfleak::cli
