#include "perfleak/time_format.h"

#include <gtest/gtest.h>

#include "common/time_format_internal.h"

namespace perfleak {
namespace {

TEST(TimeFormat, CivilRoundTrip) {
  Ticks t = 0;
  ASSERT_TRUE(CivilToTicks(2021, 9, 16, 7, 51, 58, 5'690'000, &t));
  EXPECT_EQ(FormatLocal(t), "2021-09-16 07:51:58.569");
  EXPECT_EQ(FormatPdhTimestamp(t), "09/16/2021 07:51:58.569");
  EXPECT_EQ(FormatIsoUtc(t), "2021-09-16T07:51:58.569Z");
}

TEST(TimeFormat, DurationsKeepTheIntervalASupportEngineerSet) {
  EXPECT_EQ(FormatDuration(15), "15 s");
  EXPECT_EQ(FormatDuration(90), "90 s");  // was "2 min"
  EXPECT_EQ(FormatDuration(150), "150 s");
  EXPECT_EQ(FormatDuration(120), "2 min");
  EXPECT_EQ(FormatDuration(300), "5 min");
  EXPECT_EQ(FormatDuration(1800), "30 min");
  EXPECT_EQ(FormatDuration(8 * 3600), "8.0 h");
}

TEST(TimeFormat, RejectsImpossibleDates) {
  Ticks t = 0;
  EXPECT_FALSE(CivilToTicks(2021, 2, 30, 0, 0, 0, 0, &t));
  EXPECT_FALSE(CivilToTicks(2021, 13, 1, 0, 0, 0, 0, &t));
  EXPECT_FALSE(CivilToTicks(2021, 1, 1, 24, 0, 0, 0, &t));
  EXPECT_TRUE(CivilToTicks(2024, 2, 29, 23, 59, 59, 0, &t));
}

TEST(TimeFormat, MillisecondRoundingCarries) {
  Ticks t = 0;
  ASSERT_TRUE(CivilToTicks(2021, 12, 31, 23, 59, 59, 9'999'000, &t));
  EXPECT_EQ(FormatPdhTimestamp(t), "01/01/2022 00:00:00.000");
}

TEST(TimeFormat, ParseIsoWithAndWithoutZone) {
  bool zone = false;
  auto utc = ParseIsoTime("2026-11-20T03:12:00Z", &zone);
  ASSERT_TRUE(utc.ok());
  EXPECT_TRUE(zone);
  EXPECT_EQ(FormatIsoUtc(*utc, false), "2026-11-20T03:12:00Z");
  auto off = ParseIsoTime("2026-11-20T03:12:00-05:00", &zone);
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(FormatIsoUtc(*off, false), "2026-11-20T08:12:00Z");
  auto local = ParseIsoTime("2026-11-20 03:12", &zone);
  ASSERT_TRUE(local.ok());
  EXPECT_FALSE(zone);
  EXPECT_FALSE(ParseIsoTime("yesterday", &zone).ok());
}

}  // namespace
}  // namespace perfleak

namespace perfleak {
namespace {

TEST(ParsePdhTimestamp, ReadsWhatPdhWritesAndNothingElse) {
  Ticks t = 0, expected = 0;
  ASSERT_TRUE(CivilToTicks(2026, 11, 20, 3, 12, 5, 1'234'567, &expected));
  ASSERT_TRUE(ParsePdhTimestamp("11/20/2026 03:12:05.1234567", &t));
  EXPECT_EQ(t, expected);
  ASSERT_TRUE(ParsePdhTimestamp("11/20/2026 03:12:05.123456789", &t));  // past 100 ns: dropped
  EXPECT_EQ(t, expected);
  ASSERT_TRUE(ParsePdhTimestamp("11/20/2026 03:12:05", &t));
  EXPECT_EQ(t, expected - 1'234'567);
  for (const char* bad : {"11/20/2026 03:12", "11/20/2026 03:12:05.", "2026-11-20 03:12:05",
                          "02/30/2026 03:12:05", "11/20/2026 24:00:00", "11/2O/2026 03:12:05"}) {
    EXPECT_FALSE(ParsePdhTimestamp(bad, &t)) << bad;
  }
}

// The user's PDH-ordered time (--from/--to/--at): what ParsePdhTimestamp reads, seconds
// optional, a trailing `.` ignored; nothing looser.
TEST(ParsePdhTimeText, SecondsOptionalOtherwiseStrict) {
  Ticks t = 0, expected = 0;
  ASSERT_TRUE(CivilToTicks(2026, 11, 20, 3, 12, 0, 0, &expected));
  ASSERT_TRUE(internal::ParsePdhTimeText("11/20/2026 03:12", &t));
  EXPECT_EQ(t, expected);
  ASSERT_TRUE(internal::ParsePdhTimeText("11/20/2026 03:12:00.", &t));
  EXPECT_EQ(t, expected);
  ASSERT_TRUE(internal::ParsePdhTimeText("11/20/2026 03:12:00.5", &t));
  EXPECT_EQ(t, expected + kTicksPerSecond / 2);
  for (const char* bad : {"11/20/2026 3:12", "11/2/2026 03:12", "11/20/2026 03:12.",
                          "11/20/2026 03:1", "2026-11-20 03:12", "11/20/2026 03:12:00Z"}) {
    EXPECT_FALSE(internal::ParsePdhTimeText(bad, &t)) << bad;
  }
}

}  // namespace
}  // namespace perfleak
