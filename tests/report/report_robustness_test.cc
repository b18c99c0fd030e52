// Every format must produce a whole, valid report for odd or inconsistent input: the analysis
// and the log come from different places, so the reporters trust neither.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "perfleak/log_summary.h"
#include "perfleak/reader.h"
#include "perfleak/report.h"
#include "report/report_fixtures.h"
#include "test_util.h"

namespace perfleak {
namespace {

using testing::RenderReport;

using ::testing::HasSubstr;

void RenderAll(const Report& report) {
  EXPECT_FALSE(RenderReport(report, ReportFormat::kText, true).empty());
  EXPECT_TRUE(nlohmann::json::accept(RenderReport(report, ReportFormat::kJson, true)));
  const std::string html = RenderReport(report, ReportFormat::kHtml, true);
  EXPECT_THAT(html, HasSubstr("</html>"));
}

TEST(ReportRobustness, InconsistentFindingsStillRender) {
  Report report = testing::MakeGoldenReport();
  auto& findings = report.logs[0].analysis.findings;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  findings[0].evidence[0].column = 999;                   // column out of range
  findings[1].lifetimes = {{1, 5000, 6000}, {2, 10, 3}};  // samples out of range, reversed
  findings[2].evidence[0].trend = {{0, 1, nan, nan}};     // NaN trend far outside the log
  findings[2].evidence[0].onset_utc = -1;                 // onset before the log
  findings[2].evidence[0].change_points = {testing::kFixtureStartUtc + 4000 * 24 * kTicksPerHour};
  findings[2].score = std::numeric_limits<double>::infinity();
  findings[3].evidence.clear();  // nothing judged
  findings[3].verdict = Verdict::kLeak;
  RenderAll(report);
}

TEST(ReportRobustness, AllMissingSeriesAndTinyLogs) {
  Report report = testing::MakeGoldenReport();
  auto log = std::make_shared<CounterLog>(*report.logs[0].log);
  for (double& v : log->columns[0]) v = kMissing;
  report.logs[0].log = log;
  RenderAll(report);
  EXPECT_THAT(RenderReport(report, ReportFormat::kHtml, true), HasSubstr("no valid samples"));

  auto tiny = std::make_shared<CounterLog>();
  tiny->time_utc = {testing::kFixtureStartUtc};
  tiny->time_local = {testing::kFixtureStartUtc};
  tiny->columns = {{1.0}};
  tiny->paths.resize(1);
  report.logs[0].log = tiny;
  report.logs[0].summary = Summarize(*tiny);
  RenderAll(report);
}

TEST(ReportRobustness, EmptyAnalysisOfAnEmptyLog) {
  Report report;
  LogReport log;
  log.path = "empty.csv";
  log.format = LogFormat::kPdhCsv;
  log.log = std::make_shared<CounterLog>();
  report.logs.push_back(log);
  RenderAll(report);
}

TEST(ReportRobustness, RealCsvLogRendersInEveryFormat) {
  PERFLEAK_REAL_LOG_OR_SKIP(path, "PowerShell__CounterSamples.csv");
  auto read = ReadLog(path, ReadOptions{});
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  auto log = std::make_shared<const CounterLog>(std::move(read).value());
  ASSERT_GT(log->num_counters(), 0u);
  ASSERT_GT(log->num_samples(), 1u);
  LogReport entry;
  entry.path = path;
  entry.format = log->format;
  entry.summary = Summarize(*log);
  entry.log = log;
  // A hand-made verdict on the first real column: the report must chart real data.
  Finding f;
  f.machine = log->paths[0].machine;
  f.process = "RealProcess";
  f.instance = "RealProcess";
  f.pids = {42};
  f.lifetimes = {{42, 0, log->num_samples() - 1}};
  f.verdict = Verdict::kSuspect;
  f.score = 0.5;
  Evidence e;
  e.counter = log->paths[0].counter;
  e.unit = "bytes";
  e.column = 0;
  e.verdict = Verdict::kSuspect;
  e.window_start_utc = log->time_utc.front();
  e.window_end_utc = log->time_utc.back();
  e.onset_utc = log->time_utc[log->num_samples() / 2];
  f.evidence.push_back(e);
  entry.analysis.findings.push_back(f);
  entry.analysis.processes_analysed = 1;
  Report report;
  report.logs.push_back(entry);
  RenderAll(report);
  EXPECT_THAT(RenderReport(report, ReportFormat::kHtml, true), HasSubstr("<svg class=\"chart\""));
}

}  // namespace
}  // namespace perfleak
