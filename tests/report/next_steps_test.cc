// The next step of each kind of finding, and each recipe given once per report.
#include "report/next_steps.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report/finding_text.h"
#include "report/report_fixtures.h"

namespace perfleak::internal {
namespace {

using perfleak::testing::FindingNamed;
using perfleak::testing::kMiB;
using perfleak::testing::OneEvidence;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(NextSteps, WorkingSetAloneGetsItsOwnAdviceNotUmdh) {
  const Finding f = OneEvidence("Working Set", "bytes", Verdict::kSuspect);
  const std::string step = NextStep(LogReport{}, f);
  EXPECT_THAT(step, HasSubstr("Working-set growth without Private Bytes growth"));
  EXPECT_THAT(step, HasSubstr("RAMMap"));
  EXPECT_THAT(step, HasSubstr("vmmap -p 200"));
  EXPECT_THAT(step, Not(HasSubstr("UMDH")));
  Finding both = f;
  both.evidence.insert(both.evidence.begin(), both.evidence[0]);
  both.evidence[1].counter = "Private Bytes";
  EXPECT_THAT(NextStep(LogReport{}, both), HasSubstr("UMDH"));
}

TEST(NextSteps, EachRecipeIsWrittenOnceAndThenReferredTo) {
  Report report;
  report.logs.emplace_back();
  std::vector<Finding>& findings = report.logs[0].analysis.findings;
  for (int k = 0; k < 3; ++k) {
    Finding f = OneEvidence("Private Bytes", "bytes", Verdict::kLeak);
    f.process = f.instance = "App" + std::to_string(k);
    f.pids = {1000 + k};
    f.score = 0.9 - 0.1 * k;
    findings.push_back(f);
  }
  findings.push_back(OneEvidence("Handle Count", "handles", Verdict::kSuspect));
  const std::vector<RankedFinding> ranked = RankFindings(report, false);
  const std::vector<std::string> steps = ReportNextSteps(ranked);
  ASSERT_EQ(steps.size(), 4u);
  std::size_t full = 0;
  for (const std::string& step : steps) full += step.find("umdh -p:") != std::string::npos;
  EXPECT_EQ(full, 1u) << "the UMDH recipe once per report";
  EXPECT_THAT(steps[0], HasSubstr("gflags /i App0.exe +ust"));
  EXPECT_EQ(steps[1],
            "User-mode heap leak: the UMDH steps under #1 above, with `gflags /i App1.exe +ust` "
            "and PID 1001.");
  EXPECT_THAT(steps[2], HasSubstr("under #1 above, with `gflags /i App2.exe +ust` and PID 1002"));
  EXPECT_THAT(steps[3], HasSubstr("!htrace"));  // a different recipe, in full
}

TEST(NextSteps, SystemSectionRefersToARecipeGivenAbove) {
  Report report;
  report.logs.emplace_back();
  report.logs[0].analysis.findings.push_back(
      OneEvidence("Pool Nonpaged Bytes", "bytes", Verdict::kLeak));
  Finding system = OneEvidence("Pool Nonpaged Bytes", "bytes", Verdict::kLeak);
  system.system = true;
  system.process = system.instance = "";
  system.pids.clear();
  const std::vector<RankedFinding> ranked = RankFindings(report, false);
  ASSERT_EQ(ranked.size(), 1u);
  const std::string full = NextStep(report.logs[0], system);
  ASSERT_THAT(full, HasSubstr("poolmon /b"));
  EXPECT_EQ(SystemNextStep(report.logs[0], system, {}), full) << "no recipe above: in full";
  EXPECT_EQ(SystemNextStep(report.logs[0], system, ranked),
            "Kernel pool growth: the steps under #1 above, on APP07.");
  // A different recipe above is no reference.
  report.logs[0].analysis.findings[0] = OneEvidence("Handle Count", "handles", Verdict::kLeak);
  EXPECT_EQ(SystemNextStep(report.logs[0], system, RankFindings(report, false)), full);
}

TEST(NextSteps, PrivateBytesLeadsToUmdhWithImageAndLastPid) {
  const Report report = testing::MakeGoldenReport();
  const std::string step = NextStep(report.logs[0], FindingNamed(report, "OrderService#1"));
  EXPECT_THAT(step, HasSubstr("gflags /i OrderService.exe +ust"));
  EXPECT_THAT(step, HasSubstr("umdh -p:7720 -f:umdh1.txt"));
  EXPECT_THAT(step, HasSubstr("umdh -p:7720 -f:umdh2.txt"));
  EXPECT_THAT(step, HasSubstr("umdh umdh1.txt umdh2.txt"));
  EXPECT_THAT(step, Not(HasSubstr("4312")));
}

TEST(NextSteps, HandleCountLeadsToHtrace) {
  const Report report = testing::MakeGoldenReport();
  const std::string step = NextStep(report.logs[0], FindingNamed(report, "w3wp"));
  EXPECT_THAT(step, HasSubstr("!htrace"));
  EXPECT_THAT(step, HasSubstr("Process Explorer"));
}

TEST(NextSteps, ThreadCountLeadsToThreadStacks) {
  const Finding f = OneEvidence("Thread Count", "threads", Verdict::kSuspect);
  const std::string step = NextStep(LogReport{}, f);
  EXPECT_THAT(step, HasSubstr("!uniqstack"));
  EXPECT_THAT(step, HasSubstr("WPR"));
}

TEST(NextSteps, PoolLeadsToPoolmonByTag) {
  Finding f = OneEvidence("Pool Nonpaged Bytes", "bytes", Verdict::kLeak);
  f.system = true;
  const std::string step = NextStep(LogReport{}, f);
  EXPECT_THAT(step, HasSubstr("poolmon /b"));
  EXPECT_THAT(step, HasSubstr("on APP07"));
  EXPECT_THAT(step, HasSubstr("findstr"));
}

TEST(NextSteps, VirtualBytesOnlyLeadsToAddressSpaceWithLimit) {
  Finding f = OneEvidence("Virtual Bytes", "bytes", Verdict::kLeak);
  f.evidence[0].limit = 2.0 * 1024 * kMiB;
  const std::string step = NextStep(LogReport{}, f);
  EXPECT_THAT(step, HasSubstr("VMMap"));
  EXPECT_THAT(step, HasSubstr("vmmap -p 200"));
  EXPECT_THAT(step, HasSubstr("32-bit"));
  EXPECT_THAT(step, HasSubstr("2.0 GB"));
}

TEST(NextSteps, VirtualBytesWithPrivateBytesIsAHeapLeak) {
  Finding f = OneEvidence("Virtual Bytes", "bytes", Verdict::kLeak);
  Evidence p;
  p.counter = "Private Bytes";
  p.unit = "bytes";
  p.verdict = Verdict::kSuspect;
  f.evidence.push_back(p);
  EXPECT_THAT(NextStep(LogReport{}, f), HasSubstr("gflags /i Legacy.exe +ust"));
}

TEST(NextSteps, SystemCommitLeadsToFindingTheCommitter) {
  Finding f = OneEvidence("Committed Bytes", "bytes", Verdict::kLeak);
  f.system = true;
  f.process.clear();
  f.instance.clear();
  EXPECT_THAT(NextStep(LogReport{}, f), HasSubstr("find the committer"));
  EXPECT_EQ(DisplayName(f), "System");
}

TEST(NextSteps, OkHasNoNextStep) {
  const Report report = testing::MakeGoldenReport();
  EXPECT_EQ(NextStep(report.logs[0], FindingNamed(report, "svchost#3")), "");
}

}  // namespace
}  // namespace perfleak::internal
