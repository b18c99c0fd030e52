#include "report/chart.h"

#include <gtest/gtest.h>

#include <algorithm>
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

std::size_t CountChar(std::string_view text, char c) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), c));
}

// The `d` of the first path with class `cls` in `svg`.
std::string PathData(const std::string& svg, std::string_view cls) {
  const std::size_t at = svg.find("class=\"" + std::string(cls) + "\" d=\"");
  if (at == std::string::npos) return {};
  const std::size_t begin = svg.find("d=\"", at) + 3;
  return svg.substr(begin, svg.find('"', begin) - begin);
}

// A leak finding over `samples` samples every `interval_s` seconds, one column rising.
struct SparseCase {
  LogReport log;
  Finding finding;
};

SparseCase MakeSparseCase(std::size_t samples, std::int64_t interval_s) {
  SparseCase c;
  auto counters = std::make_shared<CounterLog>();
  std::vector<double> values;
  for (std::size_t i = 0; i < samples; ++i) {
    const Ticks t = static_cast<Ticks>(i) * interval_s * kTicksPerSecond;
    counters->time_utc.push_back(t);
    counters->time_local.push_back(t);
    values.push_back(100.0 + static_cast<double>(i) + static_cast<double>(i % 3));
  }
  counters->paths.push_back(CounterPath{});
  counters->columns.emplace_back(values.begin(), values.end());
  c.log.log = counters;
  c.finding.verdict = Verdict::kLeak;
  c.finding.lifetimes.push_back({std::nullopt, 0, samples - 1});
  Evidence e;
  e.counter = "Handle Count";
  e.unit = "handles";
  e.column = 0;
  e.verdict = Verdict::kLeak;
  c.finding.evidence.push_back(e);
  return c;
}

TEST(Chart, SplitAtGapsKeepsASparseLogInOneRun) {
  std::vector<Ticks> times;
  for (Ticks i = 0; i < 97; ++i) times.push_back(i * 300);
  const std::vector<double> values(97, 1.0);
  const std::vector<SampleRun> runs = SplitAtGaps(times, values, 0, 97);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].begin, 0u);
  EXPECT_EQ(runs[0].end, 97u);
}

TEST(Chart, SplitAtGapsBreaksWhereSamplesAreMissingInTime) {
  // Samples every 60 s, a stopped collector for an hour after sample 9, and 9 empty cells
  // after sample 29; one empty cell (sample 40) is not a gap.
  std::vector<Ticks> times;
  for (Ticks i = 0; i < 60; ++i) times.push_back(i * 60 + (i >= 10 ? 3600 : 0));
  std::vector<double> values(60, 5.0);
  for (std::size_t i = 30; i < 39; ++i) values[i] = std::numeric_limits<double>::quiet_NaN();
  values[40] = std::numeric_limits<double>::quiet_NaN();
  const std::vector<SampleRun> runs = SplitAtGaps(times, values, 0, 60);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].end, 10u);
  EXPECT_EQ(runs[1].begin, 10u);
  EXPECT_EQ(runs[1].end, 30u);
  EXPECT_EQ(runs[2].begin, 39u);
  EXPECT_EQ(runs[2].end, 60u);
  EXPECT_TRUE(SplitAtGaps(times, std::vector<double>(60, std::nan("")), 0, 60).empty());
}

TEST(Chart, DetailChartDrawsTheLineOfA97SampleLog) {
  // 8 h at 5 min: samples are ~7 px apart, which must not break the line.
  const SparseCase c = MakeSparseCase(97, 300);
  std::string why;
  const std::string svg = RenderDetailChart(c.log, c.finding, c.finding.evidence[0], &why);
  ASSERT_FALSE(svg.empty()) << why;
  const std::string d = PathData(svg, "series");
  EXPECT_EQ(CountChar(d, 'M'), 1u) << d;
  EXPECT_GE(CountChar(d, 'L'), 96u);
}

TEST(Chart, SparklineDrawsTheLineOfAn11SampleLog) {
  const SparseCase c = MakeSparseCase(11, 15);
  const std::string svg = RenderSparkline(c.log, c.finding, c.finding.evidence[0]);
  const std::string d = PathData(svg, "s-leak");
  EXPECT_EQ(CountChar(d, 'M'), 1u) << svg;
  EXPECT_EQ(CountChar(d, 'L'), 10u) << svg;
}

TEST(Chart, DetailChartDrawsTheEnvelopeTheAnalysisJudged) {
  SparseCase c = MakeSparseCase(97, 300);
  Evidence& e = c.finding.evidence[0];
  e.used_envelope = true;
  std::string why;
  // No envelope from the analysis: none is made up.
  EXPECT_EQ(RenderDetailChart(c.log, c.finding, e, &why).find("class=\"envelope\""),
            std::string::npos);
  const Ticks step = 300 * kTicksPerSecond;
  e.envelope = {{0, 100.0},
                {48 * step, 120.0},
                {48 * step, std::nan("")},
                {60 * step, 150.0},
                {96 * step, 190.0}};
  const std::string svg = RenderDetailChart(c.log, c.finding, e, &why);
  const std::string d = PathData(svg, "envelope");
  EXPECT_EQ(CountChar(d, 'M'), 2u) << "the NaN point between lifetimes breaks it: " << d;
  EXPECT_EQ(CountChar(d, 'L'), 2u) << d;
  EXPECT_NE(svg.find("lower envelope judged"), std::string::npos);
}

TEST(Chart, OnlyChangePointsThatStartAJudgedWindowAreShown) {
  SparseCase c = MakeSparseCase(97, 300);
  Evidence& e = c.finding.evidence[0];
  const Ticks step = 300 * kTicksPerSecond;
  for (Ticks k = 1; k <= 40; ++k) e.change_points.push_back(k * 2 * step);  // a sawtooth's
  e.trend = {{20 * step, 96 * step, 100, 200}};
  std::string why;
  const std::string svg = RenderDetailChart(c.log, c.finding, e, &why);
  const auto count = [&](std::string_view needle) {
    std::size_t n = 0;
    for (std::size_t at = svg.find(needle); at != std::string::npos;
         at = svg.find(needle, at + 1)) {
      ++n;
    }
    return n;
  };
  EXPECT_EQ(count("<line class=\"cp\" "), 2u) << "the window's start and the legend's key";
  EXPECT_EQ(count("<line class=\"cp cp-more\" "), 39u);
  EXPECT_NE(svg.find("show 39 more change points"), std::string::npos);
}

}  // namespace
}  // namespace perfleak::internal
