#include "report/memory_section.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "perfleak/report.h"
#include "report/report_fixtures.h"
#include "test_util.h"

namespace perfleak {
namespace {

using testing::RenderReport;

using ::testing::HasSubstr;
using ::testing::Not;

constexpr double kGiB = 1024.0 * testing::kMiB;

Ticks At(double hours) {
  return testing::kFixtureStartUtc + static_cast<Ticks>(hours * static_cast<double>(kTicksPerHour));
}

// The golden report with a post-mortem analysis on its first log: a commit episode from
// 10:00 to 11:30 local (18:00Z..19:30Z) with OrderService#1 the main grower, a kernel pool
// and a process that appeared; an incident at 11:12; forecasts with and without a time.
Report MakeMemoryReport() {
  Report report = testing::MakeGoldenReport();
  SystemMemoryAnalysis a;
  a.window_from_utc = At(0);
  a.window_to_utc = At(12) - 60 * kTicksPerSecond;
  SystemMemory m;
  m.machine = "WEB01";
  m.commit_limit_bytes = 16 * kGiB;
  m.committed_last_bytes = 14 * kGiB;
  m.committed_peak_bytes = 15.5 * kGiB;
  m.commit_peak_ratio = 15.5 / 16.0;
  m.commit_peak_utc = At(3.2);
  m.available_min_mb = 310;
  m.pool_paged_peak_bytes = 420 * testing::kMiB;
  m.pool_nonpaged_peak_bytes = 130 * testing::kMiB;
  for (int i = 0; i <= 24; ++i) {
    MemoryPoint p;
    p.utc = At(i * 0.5);
    p.committed = (6.0 + 9.5 * std::min(1.0, i / 7.0)) * kGiB;
    p.limit = 16 * kGiB;
    if (i == 5) p.committed = std::numeric_limits<double>::quiet_NaN();
    m.chart.push_back(p);
  }
  ExhaustionForecast commit;
  commit.machine = "WEB01";
  commit.subject = "system commit";
  commit.counter = "Committed Bytes";
  commit.slope_per_hour = 0.8 * kGiB;
  commit.slope_low_per_hour = 0.5 * kGiB;
  commit.slope_high_per_hour = 1.1 * kGiB;
  commit.headroom_bytes = 2 * kGiB;
  commit.limit_bytes = 16 * kGiB;
  commit.from_utc = At(12) - 60 * kTicksPerSecond;
  commit.exhaustion_utc = commit.from_utc + static_cast<Ticks>(2.5 * kTicksPerHour);
  commit.earliest_utc = commit.from_utc + static_cast<Ticks>(1.8 * kTicksPerHour);
  commit.latest_utc = commit.from_utc + 4 * kTicksPerHour;
  commit.window_hours = 6.0;
  commit.status = ForecastStatus::kForecast;
  m.commit_exhaustion = commit;
  a.machines.push_back(m);
  ExhaustionForecast flat = commit;
  flat.subject = "w3wp";
  flat.counter = "Private Bytes";
  flat.pids = {2211};
  flat.slope_per_hour = -1e6;
  flat.exhaustion_utc.reset();
  flat.status = ForecastStatus::kNotRising;
  flat.earliest_utc.reset();
  flat.latest_utc.reset();
  a.process_exhaustion.push_back(flat);

  Attribution run_up;
  run_up.machine = "WEB01";
  run_up.from_utc = At(0);
  run_up.to_utc = At(3.2);
  const auto grower = [](const char* process, const char* instance, double growth, double share,
                         bool pool, bool appeared) {
    Grower g;
    g.machine = "WEB01";
    g.process = process;
    g.instance = instance;
    g.kernel_pool = pool;
    g.appeared = appeared;
    g.start_bytes = appeared ? 0.0 : 500 * testing::kMiB;
    g.end_bytes = g.start_bytes + growth;
    g.growth_bytes = growth;
    g.share = share;
    if (!pool) g.pids = {4312, 7720};
    return g;
  };
  run_up.growers = {grower("OrderService", "OrderService#1", 2.1 * kGiB, 0.71, false, false),
                    grower("sqlservr", "sqlservr", 0.4 * kGiB, 0.14, false, false),
                    grower("(kernel)", "Pool Paged Bytes", 0.3 * kGiB, 0.1, true, false),
                    grower("ReportJob", "ReportJob", 0.15 * kGiB, 0.05, false, true)};
  run_up.total_growth_bytes = 2.95 * kGiB;
  run_up.has_commit_growth = true;
  run_up.commit_growth_bytes = 3.0 * kGiB;
  PressureEpisode e;
  e.machine = "WEB01";
  e.kind = PressureKind::kCommit;
  e.start_utc = At(2);
  e.end_utc = At(3.5);
  e.peak_utc = At(3.2);
  e.peak_value = 15.5 / 16.0;
  e.threshold = 0.9;
  e.run_up = run_up;
  a.episodes.push_back(e);
  a.incident_utc = At(3.2);
  a.incident.push_back(run_up);
  report.logs[0].analysis.system_memory = a;
  return report;
}

TEST(MemorySection, TextMatchesGolden) {
  const std::string text = RenderReport(MakeMemoryReport(), ReportFormat::kText);
  EXPECT_EQ(testing::CompareWithGolden("report_memory.txt", text), "");
  EXPECT_THAT(text, HasSubstr("System memory"));
  EXPECT_THAT(text, HasSubstr("OrderService#1 grew 2.1 GB (71 % of the growth)"));
  EXPECT_THAT(text, HasSubstr("commit at 97 % of the limit at 11:12"));
}

TEST(MemorySection, ReportsWithoutSystemMemoryAreUnchanged) {
  const std::string text = RenderReport(testing::MakeGoldenReport(), ReportFormat::kText);
  EXPECT_THAT(text, Not(HasSubstr("System memory")));
  const auto json =
      nlohmann::json::parse(RenderReport(testing::MakeGoldenReport(), ReportFormat::kJson));
  EXPECT_FALSE(json["logs"][0].contains("system"));
  EXPECT_FALSE(json["logs"][0].contains("episodes"));
}

TEST(MemorySection, JsonHasSystemAndEpisodesWithoutNaN) {
  const std::string text = RenderReport(MakeMemoryReport(), ReportFormat::kJson);
  EXPECT_THAT(text, Not(HasSubstr("NaN")));
  EXPECT_THAT(text, Not(HasSubstr("Infinity")));
  const auto json = nlohmann::json::parse(text);
  EXPECT_EQ(json["schema_version"], 2);
  const auto& log = json["logs"][0];
  ASSERT_TRUE(log.contains("system"));
  const auto& sys = log["system"];
  EXPECT_EQ(sys["incident_utc"], "2026-11-20T19:12:00.000Z");
  ASSERT_EQ(sys["machines"].size(), 1u);
  const auto& m = sys["machines"][0];
  EXPECT_EQ(m["machine"], "WEB01");
  EXPECT_NEAR(m["commit_peak_ratio"].get<double>(), 0.96875, 1e-12);
  EXPECT_TRUE(m["paging_file_peak_percent"].is_null());
  EXPECT_EQ(m["commit_exhaustion"]["exhaustion_utc"], "2026-11-21T06:29:00.000Z");
  EXPECT_EQ(m["commit_exhaustion"]["status"], "forecast");
  EXPECT_EQ(m["commit_exhaustion"]["exhaustion_interval_utc"],
            nlohmann::json::array({"2026-11-21T05:47:00.000Z", "2026-11-21T07:59:00.000Z"}));
  // The forecast is on the next day: it carries the date and the distance.
  EXPECT_THAT(m["commit_exhaustion"]["summary"].get<std::string>(),
              HasSubstr("around 22:29 (in 2.5 h), between 21:47 and 2026-11-21 00:00;"));
  ASSERT_EQ(sys["process_exhaustion"].size(), 1u);
  EXPECT_TRUE(sys["process_exhaustion"][0]["exhaustion_utc"].is_null());
  ASSERT_EQ(sys["incident"].size(), 1u);
  EXPECT_EQ(sys["incident"][0]["growers"][0]["instance"], "OrderService#1");
  EXPECT_NEAR(sys["incident"][0]["growers"][0]["share"].get<double>(), 0.71, 1e-12);
  EXPECT_EQ(sys["incident"][0]["growers"][3]["appeared"], true);
  EXPECT_EQ(sys["incident"][0]["growers"][2]["kernel_pool"], true);
  ASSERT_EQ(log["episodes"].size(), 1u);
  const auto& e = log["episodes"][0];
  EXPECT_EQ(e["kind"], "commit");
  EXPECT_EQ(e["start_utc"], "2026-11-20T18:00:00.000Z");
  EXPECT_EQ(e["ongoing"], false);
  EXPECT_EQ(e["run_up"]["growers"].size(), 4u);
  // Fields of schema 1 are still there, in place.
  for (const char* key : {"path", "format", "status", "machines", "samples", "warnings"}) {
    EXPECT_TRUE(log.contains(key)) << key;
  }
}

TEST(MemorySection, HtmlHasSectionChartAndGrowerTable) {
  const std::string html = RenderReport(MakeMemoryReport(), ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("<h2 id=\"system-memory\">System memory</h2>"));
  EXPECT_THAT(html, HasSubstr("aria-label=\"Committed bytes against the commit limit on WEB01\""));
  EXPECT_THAT(html, HasSubstr("<title>Commit Limit</title>"));
  EXPECT_THAT(html, HasSubstr("<table class=\"growers\">"));
  EXPECT_THAT(html, HasSubstr("kernel Pool Paged Bytes"));
  EXPECT_THAT(html, HasSubstr("Episode 1: commit at 97 % of the limit on WEB01"));
  EXPECT_THAT(html, Not(HasSubstr("nan")));
  const std::string plain = RenderReport(testing::MakeGoldenReport(), ReportFormat::kHtml);
  EXPECT_THAT(plain, Not(HasSubstr("System memory")));
}

TEST(MemorySection, CommitChartHasALegendAndRoundTimeTicks) {
  const std::string html = RenderReport(MakeMemoryReport(), ReportFormat::kHtml);
  const std::size_t begin = html.find("aria-label=\"Committed bytes against");
  ASSERT_NE(begin, std::string::npos);
  const std::string svg = html.substr(begin, html.find("</svg>", begin) - begin);
  for (const char* key :
       {">Committed Bytes</text>", ">Commit Limit</text>", ">pressure episode</text>"}) {
    EXPECT_THAT(svg, HasSubstr(key));
  }
  std::size_t ticks = 0;
  for (std::size_t at = svg.find("class=\"xlab\""); at != std::string::npos;
       at = svg.find("class=\"xlab\"", at + 1)) {
    ++ticks;
  }
  EXPECT_GE(ticks, 4u) << "round local times along the axis, not only its two ends";
}

TEST(MemorySection, SentencesForEdgeCases) {
  Attribution empty;
  empty.from_utc = At(0);
  empty.to_utc = At(2);
  EXPECT_EQ(internal::AttributionSentence(empty, "the incident at 10:00"),
            "In the 2.0 h before the incident at 10:00, no process or kernel pool grew.");
  empty.to_utc = empty.from_utc;
  EXPECT_THAT(internal::AttributionSentence(empty, "x"), HasSubstr("no run-up to attribute"));
  PressureEpisode e;
  e.kind = PressureKind::kAvailable;
  e.peak_value = 42.4;
  EXPECT_EQ(internal::EpisodePeak(e), "available memory down to 42 MB");
}

}  // namespace
}  // namespace perfleak
