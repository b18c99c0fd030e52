#include "report/finding_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report/report_fixtures.h"

namespace perfleak::internal {
namespace {

using perfleak::testing::kMiB;
using ::testing::HasSubstr;
using ::testing::Not;

using perfleak::testing::FindingNamed;
using perfleak::testing::OneEvidence;

TEST(FindingText, BytesUse1024BasedUnits) {
  EXPECT_EQ(FormatAmount(412 * kMiB, "bytes"), "412 MB");
  EXPECT_EQ(FormatAmount(1.5 * 1024 * kMiB, "bytes"), "1.5 GB");
  EXPECT_EQ(FormatAmount(512, "bytes"), "512 B");
  EXPECT_EQ(FormatAmount(2048, "bytes"), "2.0 KB");
  EXPECT_EQ(FormatRate(44 * kMiB, "bytes"), "44 MB/h");
}

TEST(FindingText, CountsNameTheirUnit) {
  EXPECT_EQ(FormatAmount(350, "handles"), "350 handles");
  EXPECT_EQ(FormatRate(12, "handles"), "12 handles/h");
  EXPECT_EQ(FormatRate(1.25, "threads"), "1.2 threads/h");
}

TEST(FindingText, HandleAndThreadAmountsAreWhole) {
  EXPECT_EQ(FormatAmount(5.5, "handles"), "6 handles");
  EXPECT_EQ(SignedAmount(5.4, "threads"), "+5 threads");
  EXPECT_EQ(FormatRate(0.5, "handles"), "0.5 handles/h");  // a rate may be fractional
}

TEST(FindingText, OneHandleOrThreadIsSingular) {
  EXPECT_EQ(SignedAmount(1.0, "handles"), "+1 handle");
  EXPECT_EQ(SignedAmount(-0.7, "threads"), "-1 thread");
  EXPECT_EQ(FormatAmount(1.4, "handles"), "1 handle");
  EXPECT_EQ(FormatAmount(0.4, "handles"), "0 handles");
  EXPECT_EQ(SignedAmount(2.0, "threads"), "+2 threads");
}

TEST(FindingText, CommitSharesAreNotSaidOfAPoolLead) {
  Finding system = OneEvidence("Pool Nonpaged Bytes", "bytes", Verdict::kLeak);
  system.system = true;
  system.evidence[0].observed_change = 14 * kMiB;
  Grower top;
  top.instance = "svchost#1";
  top.growth_bytes = 514 * kMiB;
  top.share = 0.65;
  system.contributors = Attribution{};
  system.contributors->growers.push_back(top);
  const std::string pool = FindingSummary(LogReport{}, system);
  EXPECT_THAT(pool, Not(HasSubstr("holds 65 % of that growth")));
  EXPECT_THAT(pool,
              HasSubstr("; of the growth of Committed Bytes, svchost#1 holds 65 % (+514 MB)"));
  system.evidence[0].counter = "Committed Bytes";
  EXPECT_THAT(FindingSummary(LogReport{}, system),
              HasSubstr("; svchost#1 holds 65 % of that growth (+514 MB)"));
}

TEST(FindingText, NonFiniteNumbersPrintAsNotAvailable) {
  EXPECT_EQ(FormatAmount(std::numeric_limits<double>::quiet_NaN(), "bytes"), "n/a");
  EXPECT_EQ(FormatRate(std::numeric_limits<double>::infinity(), "handles"), "n/a handles/h");
}

TEST(FindingText, SummaryNamesGrowthDurationRateOnsetAndRestarts) {
  const Report report = testing::MakeGoldenReport();
  const Finding& order = FindingNamed(report, "OrderService#1");
  EXPECT_EQ(FindingSummary(report.logs[0], order),
            "Private Bytes grew 391 MB in 9.3 h after 10:42 (trend 44 MB/h, peak 613 MB), across 1 "
            "restart");
}

TEST(FindingText, OnsetFallsBackToSummaryOffsetWithoutLog) {
  Report report = testing::MakeGoldenReport();
  report.logs[0].log.reset();
  const Finding& order = FindingNamed(report, "OrderService#1");
  EXPECT_THAT(FindingSummary(report.logs[0], order), HasSubstr("after 10:42"));
}

TEST(FindingText, LocalTimeUsesTheSampleLocalTime) {
  const Report report = testing::MakeGoldenReport();
  const LogReport& log = report.logs[0];
  const Ticks utc = log.log->time_utc[10];
  EXPECT_EQ(LocalTimeOf(log, utc), log.log->time_local[10]);
  // Between samples: the offset of the neighbouring sample.
  EXPECT_EQ(LocalTimeOf(log, utc + 5), log.log->time_local[10] + 5);
}

}  // namespace
}  // namespace perfleak::internal

namespace perfleak::internal {
namespace {

// A Private Bytes finding over the golden report's log, from sample `begin` to `end`, with
// `caveats` and the growth stopping at sample `stop`.
Finding ShapedFinding(const LogReport& log, Verdict verdict, std::vector<std::string> caveats,
                      std::size_t begin, std::size_t stop, std::size_t end) {
  Finding f = OneEvidence("Private Bytes", "bytes", verdict);
  Evidence& e = f.evidence.front();
  e.window_start_utc = log.log->time_utc[begin];
  e.window_end_utc = log.log->time_utc[end];
  e.growth_end_utc = log.log->time_utc[stop];
  e.observed_change = 908 * kMiB;
  e.floor = 4 * kMiB;
  e.caveats = caveats;
  f.caveats = std::move(caveats);
  return f;
}

TEST(FindingText, EarlyPlateauIsDescribedAsWarmUpWithWhereItFlattened) {
  const Report report = testing::MakeGoldenReport();
  const LogReport& log = report.logs[0];
  const Finding f = ShapedFinding(log, Verdict::kOk, {"warm_up", "plateau"}, 0, 10, 40);
  const std::string since = FormatLocalShort(log, log.log->time_local[10]);
  const std::string summary = FindingSummary(log, f);
  EXPECT_THAT(summary, ::testing::StartsWith("Private Bytes rose 908 MB in the first "));
  EXPECT_THAT(summary, ::testing::EndsWith(", flat since " + since + ": looks like warm-up."));
}

TEST(FindingText, LatePlateauSaysTheGrowthStopped) {
  const Report report = testing::MakeGoldenReport();
  const Finding f = ShapedFinding(report.logs[0], Verdict::kSuspect, {"plateau"}, 0, 30, 40);
  EXPECT_THAT(FindingSummary(report.logs[0], f), HasSubstr("then stayed flat for"));
  EXPECT_THAT(FindingSummary(report.logs[0], f), HasSubstr("growth that stopped"));
}

TEST(FindingText, RiseUnderTheFloorNamesTheFloor) {
  const Report report = testing::MakeGoldenReport();
  Finding f = ShapedFinding(report.logs[0], Verdict::kOk, {"below_floor"}, 0, 0, 40);
  f.evidence.front().observed_change = 3 * kMiB;
  EXPECT_THAT(FindingSummary(report.logs[0], f),
              HasSubstr("grew 3.0 MB in 40 min on a steady line, below the 4.0 MB growth floor"));
}

TEST(FindingText, ShortCaptureAdvisesALongerCollection) {
  const Report report = testing::MakeGoldenReport();
  const Finding f = ShapedFinding(report.logs[0], Verdict::kLeak, {"short_capture"}, 0, 0, 2);
  const std::string summary = FindingSummary(report.logs[0], f);
  EXPECT_THAT(summary, HasSubstr("Private Bytes grew 908 MB"));
  EXPECT_THAT(summary, HasSubstr("Short capture ("));
  EXPECT_THAT(summary, HasSubstr("collect a few hours"));
}

TEST(FindingText, ThreadStacksAndAddressSpaceAreExplained) {
  const Report report = testing::MakeGoldenReport();
  Finding threads = ShapedFinding(report.logs[0], Verdict::kLeak, {"thread_stacks"}, 0, 0, 40);
  threads.evidence.front().counter = "Thread Count";
  threads.evidence.front().unit = "threads";
  Evidence vb = threads.evidence.front();
  vb.counter = "Virtual Bytes";
  vb.unit = "bytes";
  vb.verdict = Verdict::kSuspect;
  vb.observed_change = 120 * kMiB;
  threads.evidence.push_back(vb);
  EXPECT_THAT(FindingSummary(report.logs[0], threads),
              HasSubstr("Virtual Bytes grew 120 MB with it: thread stacks"));
  Finding reserve = ShapedFinding(report.logs[0], Verdict::kSuspect, {"address_space"}, 0, 0, 40);
  reserve.evidence.front().counter = "Virtual Bytes";
  EXPECT_THAT(FindingSummary(report.logs[0], reserve), HasSubstr("address space reserved"));
}

}  // namespace
}  // namespace perfleak::internal
