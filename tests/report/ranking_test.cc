// The report-wide ranking and the totals line's figures.
#include "report/ranking.h"

#include <gtest/gtest.h>

#include "report/report_fixtures.h"

namespace perfleak::internal {
namespace {

TEST(Ranking, IsByVerdictThenScoreAndSkipsOk) {
  const Report report = testing::MakeGoldenReport();
  const std::vector<RankedFinding> ranked = RankFindings(report, false);
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0].finding->instance, "OrderService#1");
  EXPECT_EQ(ranked[1].finding->instance, "w3wp");
  EXPECT_EQ(ranked[2].rank, 3u);
  const std::vector<RankedFinding> all = RankFindings(report, true);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[3].finding->instance, "svchost#3");
}

TEST(Ranking, TotalsCountFailedLogsAndVerdicts) {
  const ReportTotals t = ComputeTotals(testing::MakeGoldenReport());
  EXPECT_EQ(t.logs, 2u);
  EXPECT_EQ(t.logs_failed, 1u);
  EXPECT_EQ(t.machines, std::vector<std::string>{"WEB01"});
  EXPECT_EQ(t.leaks, 1u);
  EXPECT_EQ(t.suspects, 2u);
}

}  // namespace
}  // namespace perfleak::internal
