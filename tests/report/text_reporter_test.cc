#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "perfleak/report.h"
#include "report/report_fixtures.h"
#include "test_util.h"

namespace perfleak {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string RenderText(const Report& report, ReportOptions options) {
  options.generated_utc = "2026-11-24T16:00:00Z";
  std::ostringstream out;
  const Status status = MakeReporter(ReportFormat::kText, options)->Write(report, out);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return out.str();
}

std::size_t Columns(std::string_view line) {
  std::size_t n = 0;
  for (char c : line) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

// A short log's caveat sits under its header, where "no leaks" will be read.
TEST(TextReporter, ShortCaptureLogSaysSoUnderItsHeader) {
  Report report = testing::MakeSparseReport(40, 60);
  const std::string plain = RenderText(report, {});
  EXPECT_THAT(plain, Not(HasSubstr("caveat")));
  report.logs[0].analysis.caveats = {"short_capture"};
  const std::string text = RenderText(report, {});
  EXPECT_THAT(text, HasSubstr("  caveat  Short capture: the log spans only 39 min, too short for "
                              "a slow leak"));
  EXPECT_LT(text.find("caveat"), text.find("Samples") + 200) << text;
}

TEST(TextReporter, MatchesGolden) {
  const std::string text = RenderText(testing::MakeGoldenReport(), {});
  EXPECT_EQ(testing::CompareWithGolden("report_basic.txt", text), "");
}

TEST(TextReporter, NamesTheAppPoolOfAnIisWorker) {
  Report report = testing::MakeGoldenReport();
  Finding& f = report.logs[0].analysis.findings[2];
  ASSERT_EQ(f.instance, "OrderService#1");
  EXPECT_THAT(RenderText(report, {}), Not(HasSubstr("(app pool")));
  f.app_pool = "OrdersApi";
  EXPECT_THAT(RenderText(report, {}), HasSubstr("OrderService#1 (app pool OrdersApi)"));
}

TEST(TextReporter, AllAddsOkFindings) {
  ReportOptions options;
  options.include_ok = true;
  const std::string text = RenderText(testing::MakeGoldenReport(), options);
  EXPECT_EQ(testing::CompareWithGolden("report_all.txt", text), "");
  EXPECT_THAT(text, HasSubstr("svchost#3"));
  EXPECT_THAT(RenderText(testing::MakeGoldenReport(), {}), Not(HasSubstr("svchost#3")));
}

TEST(TextReporter, FitsOneHundredColumns) {
  ReportOptions options;
  options.include_ok = true;
  std::istringstream lines(RenderText(testing::MakeGoldenReport(), options));
  std::string line;
  std::size_t count = 0;
  while (std::getline(lines, line)) {
    EXPECT_LE(Columns(line), 100u) << line;
    ++count;
  }
  EXPECT_GT(count, 20u);
}

TEST(TextReporter, ColourOnlyWhenEnabled) {
  ReportOptions options;
  EXPECT_THAT(RenderText(testing::MakeGoldenReport(), options), Not(HasSubstr("\x1b[")));
  options.color_enabled = true;
  const std::string coloured = RenderText(testing::MakeGoldenReport(), options);
  EXPECT_THAT(coloured, HasSubstr("\x1b[1;31mLEAK"));
}

TEST(TextReporter, ShowsHeaderWithLocalAndUtcTimes) {
  const std::string text = RenderText(testing::MakeGoldenReport(), {});
  EXPECT_THAT(text, HasSubstr("Machine   WEB01"));
  EXPECT_THAT(text, HasSubstr("2026-11-20 08:00:00 .. 2026-11-20 19:59:00"));
  EXPECT_THAT(text, HasSubstr("2026-11-20T16:00:00Z .. 2026-11-21T03:59:00Z"));
  EXPECT_THAT(text, HasSubstr("720 every 60 s"));
}

TEST(TextReporter, FailedLogShowsItsErrorAndKeepsTheOthers) {
  const std::string text = RenderText(testing::MakeGoldenReport(), {});
  EXPECT_THAT(text, HasSubstr("== logs/broken.blg (blg)"));
  EXPECT_THAT(text, HasSubstr("record 12 at byte 40960"));
  EXPECT_THAT(text, HasSubstr("OrderService#1"));
}

TEST(TextReporter, ControlCharactersInNamesAreNeutralised) {
  Report report = testing::MakeGoldenReport();
  report.logs[0].analysis.findings[1].instance = "bad\x1b[2Jname";
  const std::string text = RenderText(report, {});
  EXPECT_THAT(text, Not(HasSubstr("\x1b")));
  EXPECT_THAT(text, HasSubstr("bad?[2Jname"));
}

TEST(TextReporter, NarrowWidthStillFits) {
  ReportOptions options;
  options.width = 80;
  std::istringstream lines(RenderText(testing::MakeGoldenReport(), options));
  std::string line;
  while (std::getline(lines, line)) EXPECT_LE(Columns(line), 80u) << line;
}

TEST(TextReporter, LongMessagesWrapAndLongNamesNeverCut) {
  Report report = testing::MakeGoldenReport();
  report.logs[0].warnings.push_back(
      "logs/web01.csv: no Process or Memory counter the analysis uses in the columns "
      "\\\\WEB01\\Processor(_Total)\\% Processor Time and 12 more; text log starting at line 1");
  for (Finding& f : report.logs[0].analysis.findings) {
    if (f.instance == "OrderService#1") f.instance = "OrderServiceWorkerHost#1";
  }
  for (const std::size_t width : {80u, 100u}) {
    ReportOptions options;
    options.width = width;
    const std::string text = RenderText(report, options);
    // Every word is there, in order, once the wrapping is undone.
    std::string joined;
    std::istringstream words(text);
    for (std::string word; words >> word;) joined += word + " ";
    EXPECT_THAT(joined, HasSubstr("Processor Time and 12 more; text log starting at line 1"))
        << width;
    EXPECT_THAT(joined, HasSubstr("the file was copied while perfmon was still writing it"));
    EXPECT_THAT(text, HasSubstr("OrderServiceWorkerHost#1")) << width;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      EXPECT_LE(Columns(line), width) << line;
      EXPECT_EQ(line.find('~'), std::string::npos) << line;
    }
  }
  // At 80 columns the long name takes its row's line and the fields continue under their
  // columns on the next one.
  ReportOptions narrow;
  narrow.width = 80;
  const std::string text = RenderText(report, narrow);
  EXPECT_THAT(text, HasSubstr("  1 LEAK    OrderServiceWorkerHost#1\n"));
  EXPECT_THAT(text, HasSubstr("                    Private Bytes"));
}

TEST(TextReporter, EmptyReportSaysSo) {
  const std::string text = RenderText(Report{}, {});
  EXPECT_THAT(text, HasSubstr("0 logs analysed, 0 failed, 0 skipped"));
}

}  // namespace
}  // namespace perfleak
