#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "perfleak/report.h"
#include "perfleak/time_format.h"
#include "report/report_fixtures.h"
#include "test_util.h"

namespace perfleak {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string RenderJson(const Report& report, ReportOptions options = {}) {
  options.generated_utc = "2026-11-24T16:00:00Z";
  std::ostringstream out;
  const Status status = MakeReporter(ReportFormat::kJson, options)->Write(report, out);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return out.str();
}

// logs[].caveats and its sentence appear only when the analysis set them (schema 2 adds
// fields; a log without caveats is byte for byte what it was).
TEST(JsonReporter, ShortCaptureLogCarriesItsCaveatAndSentence) {
  Report report = testing::MakeSparseReport(40, 60);
  const auto plain = nlohmann::json::parse(RenderJson(report));
  EXPECT_FALSE(plain["logs"][0].contains("caveats"));
  EXPECT_FALSE(plain["logs"][0].contains("caveat_summary"));
  report.logs[0].analysis.caveats = {"short_capture"};
  const auto j = nlohmann::json::parse(RenderJson(report));
  EXPECT_EQ(j["logs"][0]["caveats"], nlohmann::json::array({"short_capture"}));
  EXPECT_THAT(j["logs"][0]["caveat_summary"].get<std::string>(),
              HasSubstr("Short capture: the log spans only 39 min"));
}

TEST(JsonReporter, MatchesGolden) {
  EXPECT_EQ(
      testing::CompareWithGolden("report_basic.json", RenderJson(testing::MakeGoldenReport())), "");
}

TEST(JsonReporter, FollowsTheContract) {
  const auto j = nlohmann::ordered_json::parse(RenderJson(testing::MakeGoldenReport()));
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  ASSERT_GE(keys.size(), 6u);
  EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.begin() + 6),
            (std::vector<std::string>{"schema_version", "tool", "generated_utc", "options", "logs",
                                      "findings"}));
  EXPECT_EQ(j["schema_version"], 2);
  EXPECT_EQ(j["tool"]["name"], "perfleak");
  EXPECT_EQ(j["options"]["sensitivity"], "default");
  const auto& log = j["logs"][0];
  EXPECT_EQ(log["format"], "pdh-csv");
  EXPECT_EQ(log["status"], "ok");
  EXPECT_EQ(log["machines"][0], "WEB01");
  EXPECT_EQ(log["start_utc"], "2026-11-20T16:00:00.000Z");
  EXPECT_EQ(log["samples"], 720);
  EXPECT_NEAR(log["interval_s"].get<double>(), 60.0, 1e-9);  // exact median of equal steps
  const auto& failed = j["logs"][1];
  EXPECT_EQ(failed["status"], "error");
  EXPECT_THAT(failed["error"].get<std::string>(), HasSubstr("record 12 at byte 40960"));
  const auto& top = j["findings"][0];
  EXPECT_EQ(top["rank"], 1);
  EXPECT_EQ(top["log"], "logs/web01.csv");
  EXPECT_EQ(top["process"], "OrderService");
  EXPECT_EQ(top["instance"], "OrderService#1");
  EXPECT_EQ(top["pids"], nlohmann::json::array({4312, 7720}));
  EXPECT_EQ(top["verdict"], "leak");
  EXPECT_THAT(top["next_step"].get<std::string>(), HasSubstr("umdh -p:7720"));
  EXPECT_EQ(top["evidence"][0]["counter"], "Private Bytes");
  EXPECT_EQ(top["evidence"][0]["onset_utc"], "2026-11-20T18:42:00.000Z");
  EXPECT_EQ(top["evidence"][1]["onset_utc"], nullptr);
  EXPECT_EQ(j["findings"].size(), 3u);
}

TEST(JsonReporter, EvidenceCarriesTheFittedPiecesAndTheJudgedEnvelope) {
  const auto j = nlohmann::ordered_json::parse(RenderJson(testing::MakeGoldenReport()));
  const auto& order = j["findings"][0]["evidence"][0];
  ASSERT_EQ(order["trend"].size(), 2u) << "one fitted piece per judged lifetime";
  EXPECT_EQ(order["trend"][0]["start_utc"], "2026-11-20T18:42:00.000Z");
  EXPECT_EQ(order["trend"][1]["end_utc"], "2026-11-21T03:59:00.000Z");
  EXPECT_NEAR(order["trend"][0]["start_value"].get<double>(), 210.0 * 1024 * 1024, 1e-3);
  EXPECT_EQ(order["envelope"].size(), 0u) << "judged on the raw samples";
  // w3wp's Handle Count was judged on its lower envelope: the points the analysis judged.
  nlohmann::ordered_json w3wp;
  for (const auto& f : j["findings"]) {
    if (f["process"] == "w3wp") w3wp = f["evidence"][0];
  }
  ASSERT_TRUE(w3wp.is_object());
  EXPECT_TRUE(w3wp["used_envelope"].get<bool>());
  ASSERT_GT(w3wp["envelope"].size(), 10u);
  EXPECT_EQ(w3wp["envelope"][0]["utc"], "2026-11-20T16:00:00.000Z");
  EXPECT_NEAR(w3wp["envelope"][0]["value"].get<double>(), 1500.0, 1e-9);
}

TEST(JsonReporter, LifetimesGiveAnalysedIndicesAndExactTimes) {
  Report report = testing::MakeGoldenReport();
  // As a batch report keeps it: the log thinned for charts, the lifetimes those of the
  // analysed log, with their exact times.
  std::vector<Finding>& findings = report.logs[0].analysis.findings;
  const auto order = std::find_if(findings.begin(), findings.end(),
                                  [](const Finding& f) { return f.instance == "OrderService#1"; });
  ASSERT_NE(order, findings.end());
  Lifetime& first = order->lifetimes[0];
  first.first_sample = 1000;
  first.last_sample = 1999;
  first.first_utc = 1000 * kTicksPerSecond + 1234567;
  first.last_utc = 2000 * kTicksPerSecond + 7654321;
  const auto j = nlohmann::ordered_json::parse(RenderJson(report));
  const auto& life = j["findings"][0]["lifetimes"][0];
  EXPECT_EQ(life["first_sample"], 1000);
  EXPECT_EQ(life["last_sample"], 1999);
  EXPECT_EQ(life["start_utc"], FormatIsoUtc(first.first_utc));
  EXPECT_EQ(life["end_utc"], FormatIsoUtc(first.last_utc));
  // Without exact times (a report built by hand), the times come from the log's axis.
  const auto plain = nlohmann::ordered_json::parse(RenderJson(testing::MakeGoldenReport()));
  EXPECT_EQ(plain["findings"][0]["lifetimes"][1]["start_utc"], "2026-11-20T21:00:00.000Z");
}

TEST(JsonReporter, AllIncludesOkFindings) {
  ReportOptions options;
  options.include_ok = true;
  const auto j = nlohmann::json::parse(RenderJson(testing::MakeGoldenReport(), options));
  ASSERT_EQ(j["findings"].size(), 4u);
  EXPECT_EQ(j["findings"][3]["verdict"], "ok");
  EXPECT_EQ(j["findings"][3]["next_step"], "");
}

TEST(JsonReporter, NonFiniteNumbersBecomeNull) {
  Report report = testing::MakeGoldenReport();
  Finding& f = report.logs[0].analysis.findings[2];
  f.score = std::numeric_limits<double>::quiet_NaN();
  f.evidence[0].slope_per_hour = std::numeric_limits<double>::infinity();
  const std::string text = RenderJson(report);
  EXPECT_THAT(text, Not(HasSubstr("NaN")));
  EXPECT_THAT(text, Not(HasSubstr("Infinity")));
  const auto j = nlohmann::json::parse(text);
  bool found = false;
  for (const auto& finding : j["findings"]) {
    if (finding["instance"] == "OrderService#1") {
      EXPECT_TRUE(finding["score"].is_null());
      EXPECT_TRUE(finding["evidence"][0]["slope_per_hour"].is_null());
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST(JsonReporter, KindAppPoolAndExplainedShareAppearOnlyWhenSet) {
  Report report = testing::MakeGoldenReport();
  Finding& f = report.logs[0].analysis.findings[2];  // OrderService#1, the top leak
  ASSERT_EQ(f.instance, "OrderService#1");
  f.kind = "managed";
  f.app_pool = "OrdersApi";
  f.evidence[0].explained_by = {{"# Bytes in all Heaps", 700 * testing::kMiB, 0.875},
                                {"Gen 2 heap size", 500 * testing::kMiB, 0.625}};
  const auto j = nlohmann::json::parse(RenderJson(report));
  const auto& top = j["findings"][0];
  ASSERT_EQ(top["instance"], "OrderService#1");
  EXPECT_EQ(top["kind"], "managed");
  EXPECT_EQ(top["app_pool"], "OrdersApi");
  const auto& explained = top["evidence"][0]["explained_by"];
  ASSERT_EQ(explained.size(), 2u);
  EXPECT_EQ(explained[0]["counter"], "# Bytes in all Heaps");
  EXPECT_EQ(explained[0]["share"], 0.875);
  EXPECT_EQ(explained[0]["change"], 700 * testing::kMiB);
  EXPECT_EQ(explained[1]["counter"], "Gen 2 heap size");
  EXPECT_FALSE(top["evidence"][1].contains("explained_by"));
  const auto& second = j["findings"][1];
  EXPECT_FALSE(second.contains("kind"));
  EXPECT_FALSE(second.contains("app_pool"));
}

TEST(JsonReporter, ServicesOfASvchostAppearOnlyWhenSet) {
  Report report = testing::MakeGoldenReport();
  Finding& f = report.logs[0].analysis.findings[2];
  HostedServices hosted;
  hosted.source = "case/tasklist.csv";
  hosted.export_time_local = 1'700'000'000LL * kTicksPerSecond;
  hosted.pids = {{812, {"DcomLaunch"}}, {1234, {"Dnscache", "LanmanWorkstation"}}};
  f.services = hosted;
  const auto j = nlohmann::json::parse(RenderJson(report));
  const auto& services = j["findings"][0]["services"];
  EXPECT_EQ(services["source"], "case/tasklist.csv");
  EXPECT_EQ(services["export_time_local"], "2023-11-14T22:13:20");
  ASSERT_EQ(services["pids"].size(), 2u);
  EXPECT_EQ(services["pids"][1]["pid"], 1234);
  EXPECT_EQ(services["pids"][1]["names"], nlohmann::json::array({"Dnscache", "LanmanWorkstation"}));
  EXPECT_FALSE(j["findings"][1].contains("services"));
  f.services->export_time_local.reset();
  EXPECT_TRUE(
      nlohmann::json::parse(RenderJson(report))["findings"][0]["services"]["export_time_local"]
          .is_null());
}

TEST(JsonReporter, InvalidUtf8StillGivesValidJson) {
  Report report = testing::MakeGoldenReport();
  report.logs[0].analysis.findings[2].instance = std::string("bad\xff\xfename");
  report.logs[1].status = Status::ParseError("broken \xc3 file");
  const std::string text = RenderJson(report);
  EXPECT_TRUE(nlohmann::json::accept(text));
}

TEST(JsonReporter, EmptyReportIsValid) {
  const auto j = nlohmann::json::parse(RenderJson(Report{}));
  EXPECT_TRUE(j["logs"].empty());
  EXPECT_TRUE(j["findings"].empty());
}

TEST(JsonReporter, LogWithoutSamplesHasNullTimes) {
  Report report;
  LogReport log;
  log.path = "empty.csv";
  report.logs.push_back(log);
  const auto j = nlohmann::json::parse(RenderJson(report));
  EXPECT_TRUE(j["logs"][0]["start_utc"].is_null());
  EXPECT_TRUE(j["logs"][0]["format"].is_null());
}

TEST(JsonReporter, StreamFailureIsAnIoError) {
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  const Status status = MakeReporter(ReportFormat::kJson, {})->Write(Report{}, out);
  EXPECT_EQ(status.code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace perfleak
