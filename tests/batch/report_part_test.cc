// Report parts as a library: the settings that make parts one run, a part read from text, and
// the part of a shard whose run failed as a whole (what a scheduler merges in its place).
#include "perfleak/report_part.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "perfleak/batch.h"
#include "test_util.h"

namespace perfleak {
namespace {

std::set<std::string> PathsOf(const Report& report) {
  std::set<std::string> paths;
  for (const LogReport& log : report.logs) paths.insert(log.path);
  return paths;
}

TEST(RunSettingsTest, EveryOptionThatChangesTheResultChangesTheSettings) {
  const BatchOptions batch;
  const ReportOptions report;
  const auto base = RunSettings(batch, report);
  std::vector<std::pair<std::string, std::pair<BatchOptions, ReportOptions>>> changed;
  const auto with = [&](const std::string& what, auto change) {
    BatchOptions b = batch;
    ReportOptions r = report;
    change(b, r);
    changed.push_back({what, {b, r}});
  };
  with("sensitivity", [](auto&, auto& r) { r.sensitivity = Sensitivity::kHigh; });
  with("include_ok", [](auto&, auto& r) { r.include_ok = true; });
  with("every_counter", [](auto&, auto& r) { r.every_counter = true; });
  with("include", [](auto& b, auto&) { b.include = {"*.csv"}; });
  with("exclude", [](auto& b, auto&) { b.exclude = {"*.blg"}; });
  with("stitch", [](auto& b, auto&) { b.stitch = false; });
  with("process", [](auto& b, auto&) { b.analysis.focus.process = "w3wp"; });
  with("at", [](auto& b, auto&) { b.analysis.focus.at = "2026-11-20 06:30"; });
  with("run_up", [](auto& b, auto&) { b.analysis.focus.run_up_hours = 6.5; });
  with("skip", [](auto& b, auto&) { b.read.invalid_rows = InvalidRowPolicy::kSkip; });
  with("archive", [](auto& b, auto&) { b.archive.max_ratio = 10.0; });
  for (const auto& [what, options] : changed) {
    EXPECT_NE(RunSettings(options.first, options.second), base) << what;
  }
  BatchOptions faster = batch;
  faster.jobs = 7;
  faster.read.num_threads = 3;
  EXPECT_EQ(RunSettings(faster, report), base) << "speed is not a setting of the run";
}

TEST(ParseReportPartTest, RoundTripsAndNamesThePlaceOfACut) {
  ReportPart part;
  part.shard = Shard{2, 3};
  part.inputs = {"logs/"};
  part.settings = RunSettings(BatchOptions{}, ReportOptions{});
  std::ostringstream text;
  ASSERT_TRUE(WriteReportPart(part, text).ok());
  auto back = ParseReportPart(text.str(), "task 2");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->shard.index, 2u);
  EXPECT_EQ(back->settings, part.settings);
  // nlohmann counts the byte it failed on from 1: the end of a 40-byte text is byte 41.
  const auto cut = ParseReportPart(text.str().substr(0, 40), "task 2");
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.status().code(), StatusCode::kParseError);
  EXPECT_EQ(cut.status().message().rfind("task 2: not JSON at byte 41", 0), 0u)
      << cut.status().message();
}

TEST(ParseReportPartTest, AMalformedFieldIsNamedWithTheLogItBelongsTo) {
  ReportPart part;
  part.shard = Shard{1, 1};
  LogReport& log = part.report.logs.emplace_back();
  log.path = "web01.csv";
  log.summary.samples = 123456789;
  std::ostringstream text;
  ASSERT_TRUE(WriteReportPart(part, text).ok());
  std::string damaged = text.str();
  const std::size_t at = damaged.find("123456789");
  ASSERT_NE(at, std::string::npos);
  damaged.replace(at, 9, "\"x\"");
  const auto read = ParseReportPart(damaged, "p.json");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(
      read.status().message(),
      "p.json: malformed report part: log 1 (web01.csv): summary.samples: expected an integer");
}

TEST(ParseReportPartTest, APartCutBetweenLogsOrWithLinesAddedIsRefused) {
  ReportPart part;
  part.shard = Shard{1, 1};
  part.report.logs.resize(2);
  part.report.logs[0].path = "a.csv";
  part.report.logs[1].path = "b.csv";
  std::ostringstream out;
  ASSERT_TRUE(WriteReportPart(part, out).ok());
  const std::string text = out.str();
  const std::size_t second = text.find('\n', text.find('\n') + 1) + 1;  // after log 1's line
  const auto cut = ParseReportPart(text.substr(0, second), "p.json");
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.status().message(),
            "p.json: cut after 1 of 2 logs (it ends at byte " + std::to_string(second) +
                "); hint: the part may be cut (a shard that did not finish)");
  const auto longer = ParseReportPart(text + text.substr(second), "p.json");
  ASSERT_FALSE(longer.ok());
  EXPECT_NE(longer.status().message().find("more lines than the 2 logs"), std::string::npos)
      << longer.status().message();
  const auto whole = ParseReportPart(text, "p.json");
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  EXPECT_EQ(whole->report.logs[1].path, "b.csv");
}

TEST(FailedShardReportTest, ListsExactlyTheShardsInputsAsFailed) {
  const std::vector<std::string> inputs = {testing::TestDataPath("issue_17"),
                                           testing::TestDataPath("csv")};
  std::set<std::string> all_logs, all_skipped;
  for (std::size_t k = 1; k <= 3; ++k) {
    BatchOptions options;
    options.shard = Shard{k, 3};
    const Report ran = RunBatch(inputs, options);
    const Report failed =
        FailedShardReport(inputs, options, Status::IoError("worker lost its disk"));
    // Stitched parts are one entry of the run but each a failed entry here: compare files.
    std::set<std::string> ran_files;
    for (const LogReport& log : ran.logs) {
      if (log.parts.empty()) ran_files.insert(log.path);
      ran_files.insert(log.parts.begin(), log.parts.end());
    }
    EXPECT_EQ(PathsOf(failed), ran_files) << "shard " << k;
    for (const LogReport& log : failed.logs) {
      EXPECT_FALSE(log.status.ok());
      if (log.status.code() == StatusCode::kIoError) {
        EXPECT_EQ(log.status.message(), log.path + ": worker lost its disk");
      }
      EXPECT_TRUE(all_logs.insert(log.path).second) << log.path << " in two shards";
    }
    ASSERT_EQ(failed.skipped.size(), ran.skipped.size());
    for (const SkippedInput& s : failed.skipped) all_skipped.insert(s.path);
  }
  const Report whole = FailedShardReport(inputs, BatchOptions{}, Status::IoError("x"));
  EXPECT_EQ(PathsOf(whole), all_logs) << "the shards' failed parts cover the run";
  EXPECT_EQ(whole.skipped.size(), all_skipped.size());
}

}  // namespace
}  // namespace perfleak
