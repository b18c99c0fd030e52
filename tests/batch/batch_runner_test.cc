#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "batch/chart_thinning_internal.h"
#include "fleet_folder.h"
#include "perfleak/batch.h"
#include "perfleak/log_stitch.h"
#include "perfleak/reader.h"
#include "perfleak/time_format.h"
#include "report/report_fixtures.h"
#include "test_util.h"

namespace perfleak {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::SmallCsv;

class BatchFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("perfleak-batch");
    fs::create_directories(dir_ + "/case1/web01");
    fs::create_directories(dir_ + "/case1/db01");
    testing::WriteStringToFile(dir_ + "/case1/web01/DataCollector01.csv", SmallCsv(0, 40));
    testing::WriteStringToFile(dir_ + "/case1/web01/DataCollector01_000002.csv", SmallCsv(10, 40));
    testing::WriteStringToFile(dir_ + "/case1/db01/perf.tsv",
                               "\"(PDH-TSV 4.0) (UTC)(0)\"\t\"\\\\DB01\\Memory\\x\"\n\"01/15/2026 "
                               "10:00:00.000\"\t\"1\"\n");
    testing::WriteStringToFile(dir_ + "/case1/db01/empty.csv", "");
    // A row cut short in the middle of the file (a cut at the end is read, with a warning).
    const std::string rows = SmallCsv(0, 10);
    testing::WriteStringToFile(dir_ + "/case1/db01/damaged.csv",
                               rows.substr(0, 300) + "\r\n" + rows.substr(300));
    testing::WriteStringToFile(dir_ + "/case1/db01/garbage.blg", std::string(5000, '\x5a'));
    testing::WriteStringToFile(dir_ + "/case1/notes.txt", "customer says it slows down at night\n");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(BatchFolder, DiscoveryTakesLogsByContentAndListsTheRest) {
  BatchInputs in = DiscoverInputs({dir_}, BatchOptions{});
  EXPECT_EQ(in.logs.size(), 6u);
  ASSERT_EQ(in.skipped.size(), 1u);
  EXPECT_THAT(in.skipped[0].path, HasSubstr("notes.txt"));
  EXPECT_EQ(in.skipped[0].reason, "not a counter log");
  EXPECT_TRUE(std::is_sorted(in.logs.begin(), in.logs.end()));
}

TEST_F(BatchFolder, IncludeAndExcludeGlobs) {
  BatchOptions options;
  options.include = {"*.csv"};
  options.exclude = {"empty*"};
  BatchInputs in = DiscoverInputs({dir_}, options);
  EXPECT_EQ(in.logs.size(), 3u);
  for (const auto& p : in.logs) EXPECT_THAT(p.path, HasSubstr(".csv"));
}

TEST_F(BatchFolder, FailuresAreListedAndNeverStopTheOthers) {
  BatchOptions options;
  options.jobs = 2;
  Report report = RunBatch({dir_, dir_ + "/does-not-exist"}, options);
  std::size_t ok = 0, failed = 0;
  for (const LogReport& r : report.logs) {
    if (r.status.ok()) {
      ++ok;
      continue;
    }
    ++failed;
    EXPECT_THAT(r.status.message(), HasSubstr(r.path)) << "the error names the file";
  }
  EXPECT_EQ(ok, 2u) << "web01 (two parts stitched) and db01/perf.tsv";
  EXPECT_EQ(failed, 4u) << "empty, damaged, garbage, missing";
  auto find = [&](const std::string& needle) -> const LogReport* {
    for (const LogReport& r : report.logs) {
      if (r.path.find(needle) != std::string::npos) return &r;
    }
    return nullptr;
  };
  ASSERT_NE(find("empty.csv"), nullptr);
  EXPECT_THAT(find("empty.csv")->status.message(), HasSubstr("empty"));
  ASSERT_NE(find("damaged.csv"), nullptr);
  EXPECT_THAT(find("damaged.csv")->status.message(), HasSubstr("damaged.csv:"));
  ASSERT_NE(find("does-not-exist"), nullptr);
  EXPECT_EQ(report.skipped.size(), 1u);
}

TEST_F(BatchFolder, RollOverPartsAreStitchedIntoOneTimeline) {
  Report report = RunBatch({dir_ + "/case1/web01"}, BatchOptions{});
  ASSERT_EQ(report.logs.size(), 1u);
  const LogReport& web = report.logs[0];
  ASSERT_TRUE(web.status.ok()) << web.status.ToString();
  ASSERT_EQ(web.parts.size(), 2u);
  EXPECT_THAT(web.parts[1], HasSubstr("_000002"));
  // Part 2 starts at 10:10 while part 1 runs to 10:09:45: 40 + 40 samples, none dropped.
  EXPECT_EQ(web.summary.samples, 80u);
  EXPECT_EQ(web.summary.median_interval_s, 15.0);
}

TEST_F(BatchFolder, NoStitchKeepsPartsApart) {
  BatchOptions options;
  options.stitch = false;
  Report report = RunBatch({dir_ + "/case1/web01"}, options);
  ASSERT_EQ(report.logs.size(), 2u);
  EXPECT_EQ(report.logs[0].summary.samples, 40u);
}

TEST_F(BatchFolder, ResultDoesNotDependOnJobs) {
  BatchOptions one, many;
  one.jobs = 1;
  many.jobs = 4;
  Report a = RunBatch({dir_}, one);
  Report b = RunBatch({dir_}, many);
  ASSERT_EQ(a.logs.size(), b.logs.size());
  for (std::size_t i = 0; i < a.logs.size(); ++i) {
    EXPECT_EQ(a.logs[i].path, b.logs[i].path);
    EXPECT_EQ(a.logs[i].status.message(), b.logs[i].status.message());
    EXPECT_EQ(a.logs[i].summary.samples, b.logs[i].summary.samples);
    EXPECT_EQ(a.logs[i].parts, b.logs[i].parts);
  }
}

TEST_F(BatchFolder, TinyMemoryBudgetRereadsInsteadOfHolding) {
  BatchOptions options;
  options.retain_bytes = 1;
  Report report = RunBatch({dir_ + "/case1/web01"}, options);
  ASSERT_EQ(report.logs.size(), 1u);
  EXPECT_TRUE(report.logs[0].status.ok());
  EXPECT_EQ(report.logs[0].summary.samples, 80u);
  // Re-reading reads each part twice; holding (the default budget) reads it once.
  const std::uintmax_t size = fs::file_size(dir_ + "/case1/web01/DataCollector01.csv") +
                              fs::file_size(dir_ + "/case1/web01/DataCollector01_000002.csv");
  EXPECT_EQ(report.logs[0].timings.bytes_read, 2 * size);
  Report held = RunBatch({dir_ + "/case1/web01"}, BatchOptions{});
  ASSERT_EQ(held.logs.size(), 1u);
  EXPECT_EQ(held.logs[0].timings.bytes_read, size);
}

// A path without a size (a device, a pipe) adds nothing to the progress total; file_size's
// error value, (uintmax_t)-1, used to be added.
TEST(BatchDiscovery, PathWithoutASizeAddsNothingToTheTotal) {
  BatchInputs in = DiscoverInputs({"/dev/null"}, BatchOptions{});
  ASSERT_EQ(in.logs.size(), 1u);
  EXPECT_EQ(in.total_bytes, 0u);
}

// Charts draw each finding's lead evidence only, so the report keeps those columns alone.
TEST(BatchReportLog, KeepsOnlyTheLeadEvidenceColumns) {
  const std::string dir = testing::MakeTempDir("perfleak-lead");
  std::string text =
      "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\WEB01\\Process(app)\\Handle Count\",\"\\\\WEB01\\Process("
      "app)\\Private Bytes\"\r\n";
  Ticks t0 = 0;
  CivilToTicks(2026, 1, 15, 10, 0, 0, 0, &t0);
  for (int i = 0; i < 200; ++i) {
    text += "\"" + FormatPdhTimestamp(t0 + i * 60 * kTicksPerSecond) + "\",\"" +
            std::to_string(300 + i % 3) + "\",\"" + std::to_string(1e8 + 5e6 * i) + "\"\r\n";
  }
  testing::WriteStringToFile(dir + "/app.csv", text);
  const Report report = RunBatch({dir + "/app.csv"}, BatchOptions{});
  fs::remove_all(dir);
  ASSERT_EQ(report.logs.size(), 1u);
  const LogReport& log = report.logs[0];
  ASSERT_TRUE(log.status.ok()) << log.status.ToString();
  ASSERT_NE(log.log, nullptr);
  ASSERT_EQ(log.analysis.findings.size(), 1u);
  const Finding& f = log.analysis.findings[0];
  ASSERT_EQ(f.evidence.size(), 2u);
  const Evidence* lead = LeadEvidence(f);
  ASSERT_NE(lead, nullptr);
  EXPECT_EQ(lead->counter, "Private Bytes");
  ASSERT_EQ(log.log->num_counters(), 1u);
  EXPECT_EQ(lead->column, 0u);
  EXPECT_EQ(log.log->paths[0].counter, "Private Bytes");
  for (const Evidence& e : f.evidence) {
    if (&e != lead) {
      EXPECT_EQ(e.column, kColumnNotKept) << e.counter;
    }
  }
}

TEST(LogStitch, OverlapAndDuplicatesAreDropped) {
  auto a = ReadLogFromBuffer("a.csv", testing::AsBytes(SmallCsv(0, 40)));
  auto b = ReadLogFromBuffer("b.csv", testing::AsBytes(SmallCsv(5, 40)));  // overlaps 20 samples
  auto dup = ReadLogFromBuffer("dup.csv", testing::AsBytes(SmallCsv(0, 40)));
  ASSERT_TRUE(a.ok() && b.ok() && dup.ok());
  EXPECT_EQ(CollectionKey(*a), CollectionKey(*b));
  std::vector<CounterLog> parts;
  parts.push_back(std::move(b).value());
  parts.push_back(std::move(a).value());
  parts.push_back(std::move(dup).value());
  std::vector<std::string> from;
  auto joined = StitchLogs(std::move(parts), &from);
  ASSERT_TRUE(joined.ok());
  EXPECT_EQ(joined->num_samples(), 60u);
  EXPECT_TRUE(std::is_sorted(joined->time_utc.begin(), joined->time_utc.end()));
  EXPECT_EQ(from.front(), "a.csv");
  EXPECT_EQ(joined->warnings.size(), 2u);
}

TEST(LogStitch, NewCountersInLaterPartsArePaddedWithMissing) {
  auto a = ReadLogFromBuffer("a.csv", testing::AsBytes(SmallCsv(0, 4, "WEB01")));
  auto b = ReadLogFromBuffer("b.csv", testing::AsBytes(SmallCsv(1, 4, "WEB02")));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(CollectionKey(*a), CollectionKey(*b));
  std::vector<CounterLog> parts;
  parts.push_back(std::move(a).value());
  parts.push_back(std::move(b).value());
  auto joined = StitchLogs(std::move(parts), nullptr);
  ASSERT_TRUE(joined.ok());
  ASSERT_EQ(joined->num_counters(), 2u);
  EXPECT_TRUE(std::isnan(joined->columns[1][0]));
  EXPECT_TRUE(std::isnan(joined->columns[0][7]));
  EXPECT_EQ(joined->columns[1][4], 1e6);
}

TEST_F(BatchFolder, ProgressReportsReadingThenAnalysis) {
  BatchOptions options;
  options.jobs = 2;
  std::vector<BatchProgress> seen;
  options.on_progress = [&](const BatchProgress& p) { seen.push_back(p); };
  const Report report = RunBatch({dir_}, options);
  ASSERT_FALSE(seen.empty());
  // Phase one: one call per file read; phase two: one when it starts and one per timeline.
  std::size_t reading = 0, analysing = 0;
  for (const BatchProgress& p : seen) (p.analysing ? analysing : reading)++;
  EXPECT_EQ(reading, seen.front().files_total);
  EXPECT_FALSE(seen.front().analysing);
  EXPECT_TRUE(seen.back().analysing);
  EXPECT_GT(seen.back().timelines_total, 0u);
  EXPECT_EQ(seen.back().timelines_done, seen.back().timelines_total);
  EXPECT_EQ(analysing, seen.back().timelines_total + 1);
  EXPECT_FALSE(report.logs.empty());
}

TEST(BatchRunner, LifetimesKeepExactTimesWhenTheLogIsThinned) {
  // 2,000 samples at 15 s thinned to 100 for charts: the lifetime must still end at the
  // last sample's time, not at a bucket edge, and index the analysed log.
  const std::string dir = testing::MakeTempDir("perfleak-batch-thin");
  testing::WriteStringToFile(dir + "/long.csv", SmallCsv(0, 2000));
  BatchOptions options;
  options.chart_points = 100;
  const Report report = RunBatch({dir}, options);
  ASSERT_EQ(report.logs.size(), 1u);
  ASSERT_TRUE(report.logs[0].status.ok()) << report.logs[0].status.ToString();
  const LogReport& entry = report.logs[0];
  ASSERT_FALSE(entry.analysis.findings.empty());
  const Lifetime& life = entry.analysis.findings[0].lifetimes.at(0);
  EXPECT_EQ(life.first_sample, 0u);
  EXPECT_EQ(life.last_sample, 1999u);
  EXPECT_EQ(life.first_utc, entry.summary.first_utc);
  EXPECT_EQ(life.last_utc, entry.summary.last_utc);
  EXPECT_LE(entry.log->num_samples(), 100u);
  fs::remove_all(dir);
}

// A report without charts (text, JSON) gets the log's time axis and zone but no column, and
// reads exactly as with the columns kept.
TEST(BatchRunner, WithoutChartColumnsTheLogKeepsItsTimesAndTheReportsAreTheSame) {
  const std::string dir = testing::MakeTempDir("perfleak-batch-nocharts");
  testing::WriteStringToFile(dir + "/long.csv", SmallCsv(0, 2000));
  BatchOptions options;
  const Report charts = RunBatch({dir}, options);
  options.chart_columns = false;
  const Report plain = RunBatch({dir}, options);
  ASSERT_EQ(plain.logs.size(), 1u);
  const LogReport& entry = plain.logs[0];
  ASSERT_TRUE(entry.status.ok()) << entry.status.ToString();
  ASSERT_NE(entry.log, nullptr);
  EXPECT_EQ(entry.log->num_counters(), 0u);
  EXPECT_EQ(entry.log->time_utc, charts.logs[0].log->time_utc);
  EXPECT_EQ(entry.log->time_local, charts.logs[0].log->time_local);
  EXPECT_GT(charts.logs[0].log->num_counters(), 0u);
  ASSERT_FALSE(entry.analysis.findings.empty());
  for (const Finding& f : entry.analysis.findings) {
    for (const Evidence& e : f.evidence) EXPECT_EQ(e.column, kColumnNotKept) << f.instance;
  }
  for (const ReportFormat format : {ReportFormat::kText, ReportFormat::kJson}) {
    EXPECT_EQ(testing::RenderReport(plain, format, true),
              testing::RenderReport(charts, format, true));
  }
  fs::remove_all(dir);
}

TEST_F(BatchFolder, NamedFolderWithoutLogsFailsNamingIt) {
  fs::create_directories(dir_ + "/nothing.csv");
  BatchInputs in = DiscoverInputs({dir_ + "/nothing.csv"}, BatchOptions{});
  EXPECT_TRUE(in.logs.empty());
  ASSERT_EQ(in.failed.size(), 1u);
  EXPECT_THAT(in.failed[0].status.message(),
              HasSubstr("nothing.csv: no counter log found in this folder"));
}

TEST(ChartThinning, KeepsSpikesAndMapsSamples) {
  CounterLog log;
  for (int i = 0; i < 100000; ++i) {
    log.time_utc.push_back(i * kTicksPerSecond);
    log.time_local.push_back(i * kTicksPerSecond);
  }
  log.paths.resize(2);
  log.columns.assign(2, Column(100000, 1.0));
  log.columns[1][54321] = 1e9;
  std::vector<std::size_t> map;
  CounterLog thin = internal::ThinForCharts(log, {1}, 1000, &map);
  ASSERT_EQ(thin.num_counters(), 1u);
  EXPECT_EQ(thin.num_samples(), 1000u);
  EXPECT_EQ(*std::max_element(thin.columns[0].begin(), thin.columns[0].end()), 1e9);
  EXPECT_TRUE(std::is_sorted(map.begin(), map.end()));
  EXPECT_EQ(map.back(), 999u);
}

}  // namespace
}  // namespace perfleak
