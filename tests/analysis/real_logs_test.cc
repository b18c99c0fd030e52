// Real logs from ../shared/corpus/real/, labelled by hand from what their series do (read with
// `perfleak convert` and checked by eye; see SOURCES.md there). Each test pins the state the
// analysis gives them and the observed numbers against the values in the file.
#include <gtest/gtest.h>

#include <string>

#include "perfleak/analysis.h"
#include "perfleak/read_options.h"
#include "perfleak/reader.h"
#include "test_util.h"

namespace perfleak {
namespace {

constexpr double kMB = 1e6;  // SOURCES.md gives decimal megabytes

LogAnalysis Analyze(const std::string& path) {
  ReadOptions ro;
  ro.counter_patterns = AnalysisCounterPatterns();
  const auto log = ReadLog(path, ro);
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  if (!log.ok()) return {};
  auto analysis = AnalyzeLog(*log);
  EXPECT_TRUE(analysis.ok());
  return analysis.ok() ? std::move(*analysis) : LogAnalysis{};
}

const Finding* Named(const LogAnalysis& a, const std::string& instance) {
  for (const Finding& f : a.findings) {
    if (f.instance == instance) return &f;
  }
  return nullptr;
}

const Evidence* Counter(const Finding& f, const std::string& counter) {
  for (const Evidence& e : f.evidence) {
    if (e.counter == counter) return &e;
  }
  return nullptr;
}

// PAL's sample: 11 samples at 60 s (10 min), 55 processes. Too short to judge anything: every
// process is not judged (never ok), and SearchIndexer's drift 27.44 -> 27.82 MB is reported as
// what it was, not as a trend.
TEST(RealLogs, PalSampleIsNotJudgedWithItsReason) {
  PERFLEAK_REAL_LOG_OR_SKIP(path, "PAL__SampleLog.blg");
  const LogAnalysis a = Analyze(path);
  EXPECT_FALSE(a.no_data.has_value());
  EXPECT_EQ(a.processes_analysed, 0u);
  EXPECT_EQ(a.processes_not_judged, 55u);
  std::size_t whole_log = 0;
  for (const Finding& f : a.findings) {
    EXPECT_EQ(f.verdict, Verdict::kNotJudged) << f.instance;
    EXPECT_NE(f.reason.find("; at least 12 are needed to judge a trend"), std::string::npos);
    whole_log += f.reason.rfind("11 samples (10 min);", 0) == 0 ? 1 : 0;
  }
  // Processes come and go (PowerDVD is in one sample): most span the 10 minutes.
  EXPECT_GE(whole_log, 40u);
  const Finding* indexer = Named(a, "SearchIndexer");
  ASSERT_NE(indexer, nullptr);
  const Evidence* pb = Counter(*indexer, "Private Bytes");
  ASSERT_NE(pb, nullptr);
  // The first three samples' median: 27.44 MB at the first sample, rising.
  EXPECT_NEAR(pb->observed_start / kMB, 27.59, 0.05);
  EXPECT_NEAR(pb->observed_end / kMB, 27.82, 0.05);
  EXPECT_EQ(pb->slope_per_hour, 0.0) << "no trend is claimed from 11 samples";
  ASSERT_TRUE(a.system_memory.has_value());
  ASSERT_TRUE(a.system_memory->machines.at(0).commit_exhaustion.has_value());
  EXPECT_EQ(a.system_memory->machines[0].commit_exhaustion->status, ForecastStatus::kNotJudged);
}

// Tx: 601 samples of PhysicalDisk and Processor counters only. Nothing perfleak judges.
TEST(RealLogs, DiskAndProcessorLogHasNoData) {
  PERFLEAK_REAL_LOG_OR_SKIP(path, "Tx__BasicPerfCounters.blg");
  const LogAnalysis a = Analyze(path);
  ASSERT_TRUE(a.no_data.has_value());
  EXPECT_NE(a.no_data->reason.find("no Process or Memory counter"), std::string::npos);
  EXPECT_NE(a.no_data->collect_hint.find("\\Process(*)\\*"), std::string::npos);
  EXPECT_TRUE(a.findings.empty());
}

// A load test with Memory\% Committed Bytes In Use and Process(_Total) IO rates: _Total is not
// a process and the percentage is not a counter perfleak judges.
TEST(RealLogs, LoadTestWithoutProcessMemoryCountersHasNoData) {
  PERFLEAK_REAL_LOG_OR_SKIP(path, "srinivas4u__perfmon-chart__BM_Active_Load_Test_1_112.csv");
  EXPECT_TRUE(Analyze(path).no_data.has_value());
}

// memeData 01: 208 samples at 2 s (7 min). AnyDesk#2's Private Bytes steps 53.96 -> 57.08 MB
// (medians of the first and last tenth: 54.0 and 56.7 MB); AnyDesk and AnyDesk#1 are flat. A
// 2.6 MB rise in 7 minutes is below what counts as growth, so all three are ok, and the
// reported change is the observed one, not a fitted "+0 B".
TEST(RealLogs, AnyDeskStepIsObservedNotFitted) {
  PERFLEAK_REAL_LOG_OR_SKIP(path, "memeData__DataCollector01.csv");
  const LogAnalysis a = Analyze(path);
  EXPECT_EQ(a.processes_analysed, 3u);
  const Finding* step = Named(a, "AnyDesk#2");
  ASSERT_NE(step, nullptr);
  EXPECT_EQ(step->verdict, Verdict::kOk);
  const Evidence* pb = Counter(*step, "Private Bytes");
  ASSERT_NE(pb, nullptr);
  EXPECT_NEAR(pb->observed_start / kMB, 54.0, 0.1);
  EXPECT_NEAR(pb->observed_end / kMB, 56.7, 0.1);
  EXPECT_NEAR(pb->peak / kMB, 57.08, 0.05);
  for (const char* flat : {"AnyDesk", "AnyDesk#1"}) {
    const Finding* f = Named(a, flat);
    ASSERT_NE(f, nullptr) << flat;
    EXPECT_EQ(f->verdict, Verdict::kOk) << flat;
    EXPECT_LT(Counter(*f, "Private Bytes")->observed_change, 0.1 * kMB) << flat;
  }
  EXPECT_EQ(Named(a, "_Total"), nullptr) << "_Total is not a process";
  // Three ok verdicts in 7 minutes do not rule out a slow leak, and the log says so.
  EXPECT_EQ(a.caveats, std::vector<std::string>{"short_capture"});
}

// The PAL sample: 11 samples, every process too short to judge, so no verdict to qualify.
TEST(RealLogs, ShortLogWithNothingJudgedHasNoShortCaptureCaveat) {
  PERFLEAK_REAL_LOG_OR_SKIP(path, "PAL__SampleLog.blg");
  const LogAnalysis a = Analyze(path);
  EXPECT_EQ(a.processes_analysed, 0u);
  EXPECT_TRUE(a.caveats.empty());
}

}  // namespace
}  // namespace perfleak
