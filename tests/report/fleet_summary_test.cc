// The fleet view of a report: the same process leaking on several machines ranks first in
// every format, the matrix of machines x processes, and the report-wide extras (skipped files,
// joined parts, one-line total).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "perfleak/report.h"
#include "report/finding_text.h"
#include "report/ranking.h"
#include "report_fixtures.h"

namespace perfleak {
namespace {

using testing::RenderReport;

using ::testing::HasSubstr;
using ::testing::Not;

Finding MakeFinding(const std::string& machine, const std::string& process, Verdict verdict,
                    double score) {
  Finding f;
  f.machine = machine;
  f.process = process;
  f.instance = process;
  f.verdict = verdict;
  f.score = score;
  f.pids = {100};
  return f;
}

LogReport MakeLog(const std::string& path, const std::string& machine,
                  std::vector<Finding> findings) {
  LogReport log;
  log.path = path;
  log.format = LogFormat::kPdhCsv;
  log.summary.machines = {machine};
  log.analysis.processes_analysed = findings.size();
  log.analysis.findings = std::move(findings);
  return log;
}

// Cache leaks hardest but on one machine; OrderService leaks less steeply but on two (spelt
// differently on the second: image names are case-insensitive); w3wp is suspect on DB01; a
// system finding never joins a process's fleet count.
Report MakeFleetReport() {
  Report report;
  report.logs.push_back(
      MakeLog("case/db01/perf.csv", "DB01", {MakeFinding("DB01", "w3wp", Verdict::kSuspect, 0.4)}));
  report.logs.push_back(MakeLog("case/web01/DataCollector01.blg", "WEB01",
                                {MakeFinding("WEB01", "Cache", Verdict::kLeak, 0.99),
                                 MakeFinding("WEB01", "OrderService", Verdict::kLeak, 0.6)}));
  report.logs.back().parts = {"case/web01/DataCollector01.blg",
                              "case/web01/DataCollector01_000002.blg"};
  Finding system = MakeFinding("WEB02", "", Verdict::kLeak, 0.95);
  system.system = true;
  report.logs.push_back(MakeLog("case/web02/perf.csv", "WEB02",
                                {MakeFinding("WEB02", "orderservice", Verdict::kLeak, 0.55),
                                 MakeFinding("WEB02", "w3wp", Verdict::kLeak, 0.5), system}));
  LogReport failed;
  failed.path = "case/web03/cut.csv";
  failed.status = Status::ParseError("case/web03/cut.csv:82: unterminated quote");
  report.logs.push_back(failed);
  report.skipped.push_back({"case/notes.txt", "not a counter log"});
  return report;
}

TEST(FleetRanking, SameProcessLeakingOnSeveralMachinesRanksFirst) {
  const Report report = MakeFleetReport();
  const auto ranked = internal::RankFindings(report, false);
  // The system finding is not a process: it is not ranked (the System section has it).
  ASSERT_EQ(ranked.size(), 5u);
  for (const auto& r : ranked) EXPECT_FALSE(r.finding->system);
  EXPECT_EQ(ranked[0].finding->process, "OrderService");
  EXPECT_EQ(ranked[0].machines_leaking, 2u);
  EXPECT_EQ(ranked[1].finding->process, "orderservice");
  EXPECT_EQ(ranked[1].machines_leaking, 2u);
  // Score breaks the tie among single-machine leaks.
  EXPECT_EQ(ranked[2].finding->process, "Cache");
  EXPECT_EQ(ranked[2].machines_leaking, 1u);
  EXPECT_EQ(ranked[3].finding->process, "w3wp");
  // A suspect stays below every leak, but carries the fleet count of its image name.
  EXPECT_EQ(ranked[4].finding->verdict, Verdict::kSuspect);
  EXPECT_EQ(ranked[4].machines_leaking, 1u);
  for (std::size_t i = 0; i < ranked.size(); ++i) EXPECT_EQ(ranked[i].rank, i + 1);
}

TEST(FleetRanking, OneMachineKeepsTheScoreOrder) {
  Report report;
  report.logs.push_back(MakeLog("a.csv", "WEB01",
                                {MakeFinding("WEB01", "A", Verdict::kLeak, 0.5),
                                 MakeFinding("WEB01", "B", Verdict::kLeak, 0.9)}));
  const auto ranked = internal::RankFindings(report, false);
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].finding->process, "B");
  EXPECT_EQ(ranked[1].finding->process, "A");
}

TEST(FleetSummary, MatrixOfMachinesAndProcesses) {
  const internal::FleetSummary fleet = internal::ComputeFleet(MakeFleetReport());
  ASSERT_EQ(fleet.machines, (std::vector<std::string>{"DB01", "WEB01", "WEB02"}));
  ASSERT_EQ(fleet.processes.size(), 3u);
  EXPECT_EQ(fleet.processes[0].name, "OrderService");
  EXPECT_EQ(fleet.processes[0].machines_leaking, 2u);
  EXPECT_FALSE(fleet.processes[0].cells[0].has_value());
  EXPECT_EQ(fleet.processes[0].cells[1], Verdict::kLeak);
  EXPECT_EQ(fleet.processes[0].cells[2], Verdict::kLeak);
  // w3wp: leak on one machine and suspect on another outranks Cache, leak on one only.
  EXPECT_EQ(fleet.processes[1].name, "w3wp");
  EXPECT_EQ(fleet.processes[1].machines_leaking, 1u);
  EXPECT_EQ(fleet.processes[1].machines_suspect, 1u);
  EXPECT_EQ(fleet.processes[1].cells[0], Verdict::kSuspect);
  EXPECT_EQ(fleet.processes[2].name, "Cache");
}

TEST(FleetReport, JsonAddsFleetCountsSkippedAndPartsWithoutChangingScore) {
  const auto j = nlohmann::json::parse(RenderReport(MakeFleetReport(), ReportFormat::kJson));
  ASSERT_EQ(j["findings"].size(), 6u);
  EXPECT_EQ(j["findings"][0]["process"], "OrderService");
  EXPECT_EQ(j["findings"][0]["machines_leaking"], 2);
  EXPECT_NEAR(j["findings"][0]["score"].get<double>(), 0.6, 1e-12) << "score as analysed";
  ASSERT_EQ(j["skipped"].size(), 1u);
  EXPECT_EQ(j["skipped"][0]["path"], "case/notes.txt");
  EXPECT_EQ(j["skipped"][0]["reason"], "not a counter log");
  EXPECT_EQ(j["context"]["logs_skipped"], 1);
  EXPECT_EQ(j["logs"][1]["parts"].size(), 2u);
  EXPECT_EQ(j["logs"][0]["parts"], nlohmann::json::array({"case/db01/perf.csv"}));
  EXPECT_EQ(j["logs"][3]["status"], "error");
  EXPECT_THAT(j["logs"][3]["error"].get<std::string>(), HasSubstr("cut.csv:82"));
  EXPECT_EQ(j["fleet"]["machines"].size(), 3u);
  EXPECT_EQ(j["fleet"]["processes"][0]["machines_leaking"],
            nlohmann::json::array({"WEB01", "WEB02"}));
  EXPECT_EQ(j["fleet"]["processes"][1]["machines_suspect"], nlohmann::json::array({"DB01"}));
}

TEST(FleetReport, TextHasFleetBlockSkippedFilesPartsAndTotal) {
  const std::string text = RenderReport(MakeFleetReport(), ReportFormat::kText);
  EXPECT_THAT(text, HasSubstr("Fleet: 3 machines"));
  EXPECT_THAT(text, HasSubstr("OrderService leaks on 2 machines of this report."));
  EXPECT_THAT(text, HasSubstr("leak on 2 of 3 machines: WEB01, WEB02"));
  EXPECT_THAT(text, HasSubstr("leak on 1, suspect on 1 of 3 machines: WEB02, DB01 (suspect)"));
  EXPECT_THAT(text, HasSubstr("stitched from 2 files: case/web01/DataCollector01.blg"));
  EXPECT_THAT(text, HasSubstr("case/notes.txt: not a counter log"));
  EXPECT_THAT(text, HasSubstr("Failed 1 log:\n  case/web03/cut.csv:82: unterminated quote\n"));
  EXPECT_THAT(text, HasSubstr("3 logs analysed, 1 failed, 1 skipped; 3 machines"));
}

TEST(FleetReport, TextFleetBlockFitsTheWidth) {
  Report report = MakeFleetReport();
  // Many machines with long names: the machine list is cut, never wrapped past the width.
  for (int m = 0; m < 30; ++m) {
    const std::string machine = "VERY-LONG-MACHINE-NAME-" + std::to_string(m);
    report.logs.push_back(MakeLog("case/" + machine + ".csv", machine,
                                  {MakeFinding(machine, "OrderService", Verdict::kLeak, 0.7)}));
  }
  ReportOptions options;
  options.width = 80;
  std::ostringstream out;
  ASSERT_TRUE(MakeReporter(ReportFormat::kText, options)->Write(report, out).ok());
  std::istringstream lines(out.str());
  std::string line;
  bool fleet_row = false;
  while (std::getline(lines, line)) {
    EXPECT_LE(line.size(), 80u) << line;
    fleet_row |= line.find("leak on 32 of 33 machines:") != std::string::npos;
  }
  EXPECT_TRUE(fleet_row);
}

TEST(FleetReport, HtmlHasMatrixSkippedFilesAndParts) {
  const std::string html = RenderReport(MakeFleetReport(), ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("<h2>Fleet</h2>"));
  EXPECT_THAT(html, HasSubstr("OrderService leaks on 2 machines of this report."));
  EXPECT_THAT(html, HasSubstr("title=\"OrderService leaks on WEB02\">L</td>"));
  EXPECT_THAT(html, HasSubstr("title=\"w3wp is suspect on DB01\">S</td>"));
  EXPECT_THAT(html, HasSubstr("stitched from 2 files:"));
  EXPECT_THAT(html, HasSubstr("<h2>Skipped files</h2>"));
  EXPECT_THAT(html, HasSubstr("3 logs analysed, 1 failed, 1 skipped;"));
  // The fleet matrix comes before the findings table: it is the first thing to read.
  EXPECT_LT(html.find("<h2>Fleet</h2>"), html.find("<h2>Findings</h2>"));
}

TEST(FleetReport, HostileNamesAreEscapedInTheMatrix) {
  Report report = MakeFleetReport();
  report.logs.push_back(MakeLog("case/x.csv", "<b>M\"1",
                                {MakeFinding("<b>M\"1", "Evil<script>", Verdict::kLeak, 0.9)}));
  const std::string html = RenderReport(report, ReportFormat::kHtml);
  EXPECT_THAT(html, Not(HasSubstr("<script>x")));
  EXPECT_THAT(html, Not(HasSubstr("Evil<script>")));
  EXPECT_THAT(html, HasSubstr("Evil&lt;script&gt; leaks on &lt;b&gt;M&quot;1"));
  const std::string text = RenderReport(report, ReportFormat::kText);
  EXPECT_THAT(text, HasSubstr("Evil<script>"));  // plain text needs no escaping, only sanitising
}

TEST(FleetSummary, W3wpRowsAreToldApartByAppPool) {
  Report report;
  Finding orders1 = MakeFinding("WEB01", "w3wp", Verdict::kLeak, 0.7);
  orders1.app_pool = "OrdersApi";
  Finding default1 = MakeFinding("WEB01", "w3wp", Verdict::kSuspect, 0.3);
  default1.app_pool = "DefaultAppPool";
  Finding orders2 = MakeFinding("WEB02", "w3wp", Verdict::kLeak, 0.6);
  orders2.app_pool = "ordersapi";  // pool names are case-insensitive too
  report.logs.push_back(MakeLog("web01.csv", "WEB01", {orders1, default1}));
  report.logs.push_back(MakeLog("web02.csv", "WEB02", {orders2}));
  const internal::FleetSummary fleet = internal::ComputeFleet(report);
  ASSERT_EQ(fleet.processes.size(), 2u);
  EXPECT_EQ(fleet.processes[0].app_pool, "OrdersApi");
  EXPECT_EQ(fleet.processes[0].machines_leaking, 2u);
  EXPECT_EQ(internal::FleetLabel(fleet.processes[0]), "w3wp app pool OrdersApi");
  EXPECT_EQ(fleet.processes[1].app_pool, "DefaultAppPool");
  EXPECT_EQ(fleet.processes[1].machines_suspect, 1u);
  const auto j = nlohmann::json::parse(RenderReport(report, ReportFormat::kJson));
  EXPECT_EQ(j["fleet"]["processes"][0]["app_pool"], "OrdersApi");
  EXPECT_EQ(j["findings"][0]["machines_leaking"], 2);
  const std::vector<internal::RankedFinding> ranked = internal::RankFindings(report, false);
  EXPECT_EQ(internal::FleetNote(ranked[0]),
            "w3wp (app pool OrdersApi) leaks on 2 machines of this report.");
}

TEST(FleetReport, NoFleetBlockForOneMachine) {
  const Report report = testing::MakeGoldenReport();
  EXPECT_THAT(RenderReport(report, ReportFormat::kText), Not(HasSubstr("Fleet:")));
  EXPECT_THAT(RenderReport(report, ReportFormat::kHtml), Not(HasSubstr("<h2>Fleet</h2>")));
}

}  // namespace
}  // namespace perfleak

namespace perfleak {
namespace {

Finding WithLead(Finding f, const std::string& counter, const std::string& unit) {
  Evidence e;
  e.counter = counter;
  e.unit = unit;
  e.verdict = f.verdict;
  f.evidence.push_back(e);
  return f;
}

// A Private Bytes leak of svchost on one machine and a nonpaged-pool leak of another svchost
// are two problems, not "svchost on 2 machines"; Private Bytes and Working Set are one.
TEST(FleetRanking, SameImageLeakingDifferentResourcesIsNotOneFleetLeak) {
  Report report;
  report.logs.push_back(MakeLog(
      "a.csv", "WEB01",
      {WithLead(MakeFinding("WEB01", "svchost", Verdict::kLeak, 0.7), "Private Bytes", "bytes")}));
  report.logs.push_back(MakeLog("b.csv", "WEB02",
                                {WithLead(MakeFinding("WEB02", "svchost", Verdict::kLeak, 0.6),
                                          "Pool Nonpaged Bytes", "bytes")}));
  report.logs.push_back(MakeLog(
      "c.csv", "WEB03",
      {WithLead(MakeFinding("WEB03", "svchost", Verdict::kLeak, 0.5), "Working Set", "bytes")}));
  const auto ranked = internal::RankFindings(report, false);
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0].machines_leaking, 2u);  // WEB01 and WEB03: memory
  EXPECT_EQ(ranked[1].machines_leaking, 2u);
  EXPECT_EQ(ranked[2].machines_leaking, 1u);  // WEB02: pool
  EXPECT_EQ(ranked[2].finding->machine, "WEB02");
  const internal::FleetSummary fleet = internal::ComputeFleet(report);
  ASSERT_EQ(fleet.processes.size(), 2u);
  EXPECT_EQ(internal::FleetLabel(fleet.processes[0]), "svchost (memory)");
  EXPECT_EQ(internal::FleetLabel(fleet.processes[1]), "svchost (pool)");
  EXPECT_EQ(internal::FleetNote(ranked[0]), "svchost leaks memory on 2 machines of this report.");
  const auto j = nlohmann::json::parse(RenderReport(report, ReportFormat::kJson));
  EXPECT_EQ(j["fleet"]["processes"][1]["resource"], "pool");
}

}  // namespace
}  // namespace perfleak
