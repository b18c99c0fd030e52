#include "report/chart.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace perfleak::internal {
namespace {

TEST(Chart, MinMaxDownsampleKeepsASingleSpike) {
  std::vector<Ticks> times(10000);
  std::vector<double> values(10000, 1.0);
  for (std::size_t i = 0; i < times.size(); ++i) times[i] = static_cast<Ticks>(i);
  values[4321] = 99.0;
  const auto buckets = MinMaxDownsample(times, values, 0, values.size(), 0, 9999, 100);
  ASSERT_EQ(buckets.size(), 100u);
  double top = 0;
  for (const MinMaxBucket& b : buckets) top = std::max(top, b.max);
  EXPECT_EQ(top, 99.0);
  EXPECT_EQ(buckets[43].max, 99.0);
}

TEST(Chart, MinMaxDownsampleSkipsMissingAndKeepsOrder) {
  const std::vector<Ticks> times = {0, 1, 2, 3};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> values = {5.0, nan, 1.0, nan};
  const auto buckets = MinMaxDownsample(times, values, 0, 4, 0, 3, 1);
  ASSERT_EQ(buckets.size(), 1u);
  EXPECT_EQ(buckets[0].min, 1.0);
  EXPECT_EQ(buckets[0].max, 5.0);
  EXPECT_FALSE(buckets[0].min_first);
  EXPECT_TRUE(MinMaxDownsample(times, values, 3, 4, 0, 3, 4).empty());
}

TEST(Chart, RollingMinimumIsCentredAndSkipsNaN) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> values = {5, 3, nan, 4, 9, 8, 7};
  const std::vector<double> m = RollingMinimum(values, 3);
  const std::vector<double> expected = {3, 3, 3, 4, 4, 7, 7};
  ASSERT_EQ(m.size(), expected.size());
  for (std::size_t i = 0; i < m.size(); ++i) EXPECT_EQ(m[i], expected[i]) << "at " << i;
}

TEST(Chart, NiceTicksAreRoundSteps) {
  const std::vector<double> ticks = NiceTicks(3.2, 47.9, 5);
  ASSERT_FALSE(ticks.empty());
  EXPECT_NEAR(ticks.front(), 10.0, 1e-9);  // step 10: exact to rounding
  EXPECT_NEAR(ticks.back(), 40.0, 1e-9);
  EXPECT_TRUE(NiceTicks(std::nan(""), 1, 5).empty());
}

TEST(Chart, HtmlEscapeCoversMarkupCharacters) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(Chart, DetailChartExplainsAMissingLog) {
  LogReport log;
  Finding f;
  Evidence e;
  std::string why;
  EXPECT_EQ(RenderDetailChart(log, f, e, &why), "");
  EXPECT_NE(why.find("not kept in memory"), std::string::npos);
}

TEST(Chart, DetailChartRejectsAColumnOutOfRange) {
  LogReport log;
  auto c = std::make_shared<CounterLog>();
  c->time_utc = {0, 1};
  c->time_local = {0, 1};
  log.log = c;
  Finding f;
  Evidence e;
  e.column = 7;
  std::string why;
  EXPECT_EQ(RenderDetailChart(log, f, e, &why), "");
  EXPECT_NE(why.find("not in the log"), std::string::npos);
  EXPECT_EQ(RenderSparkline(log, f, e), "");
}

}  // namespace
}  // namespace perfleak::internal
