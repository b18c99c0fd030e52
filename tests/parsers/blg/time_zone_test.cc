// TIME_ZONE_INFORMATION transition rules and local -> UTC conversion.
#include "blg/time_zone.h"

#include <gtest/gtest.h>

#include "perfleak/time_format.h"

namespace perfleak::blg {
namespace {

Ticks Local(int y, int mo, int d, int h, int mi) {
  Ticks t = 0;
  EXPECT_TRUE(CivilToTicks(y, mo, d, h, mi, 0, 0, &t));
  return t;
}

TimeZoneInfo Pacific() {
  TimeZoneInfo tz;
  tz.bias = 480;
  tz.standard_name = "Pacific Standard Time";
  tz.daylight_name = "Pacific Daylight Time";
  tz.daylight_bias = -60;
  tz.standard_date = TransitionRule{0, 11, 0, 1, 2, 0, 0, 0};  // first Sunday of November
  tz.daylight_date = TransitionRule{0, 3, 0, 2, 2, 0, 0, 0};   // second Sunday of March
  return tz;
}

TEST(TimeZone, DayOfWeekInMonthRule) {
  // 2016: DST began Sunday 13 March, ended Sunday 6 November.
  EXPECT_EQ(*TransitionInYear(Pacific().daylight_date, 2016), Local(2016, 3, 13, 2, 0));
  EXPECT_EQ(*TransitionInYear(Pacific().standard_date, 2016), Local(2016, 11, 6, 2, 0));
}

TEST(TimeZone, LastWeekdayOfMonthRule) {
  // Week 5 means "last": the last Sunday of March 2021 is the 28th, of October the 31st.
  const TransitionRule march{0, 3, 0, 5, 1, 0, 0, 0};
  const TransitionRule october{0, 10, 0, 5, 2, 0, 0, 0};
  EXPECT_EQ(*TransitionInYear(march, 2021), Local(2021, 3, 28, 1, 0));
  EXPECT_EQ(*TransitionInYear(october, 2021), Local(2021, 10, 31, 2, 0));
  // February 2015 has exactly four Sundays; week 5 falls back to the 22nd.
  EXPECT_EQ(*TransitionInYear(TransitionRule{0, 2, 0, 5, 0, 0, 0, 0}, 2015),
            Local(2015, 2, 22, 0, 0));
}

TEST(TimeZone, AbsoluteRuleAppliesToItsYearOnly) {
  const TransitionRule rule{2021, 3, 0, 14, 2, 0, 0, 0};
  EXPECT_EQ(*TransitionInYear(rule, 2021), Local(2021, 3, 14, 2, 0));
  EXPECT_FALSE(TransitionInYear(rule, 2022).has_value());
}

TEST(TimeZone, MalformedRuleIsIgnored) {
  EXPECT_FALSE(TransitionInYear(TransitionRule{0, 13, 0, 1, 0, 0, 0, 0}, 2020).has_value());
  EXPECT_FALSE(TransitionInYear(TransitionRule{0, 3, 9, 1, 0, 0, 0, 0}, 2020).has_value());
  EXPECT_FALSE(TransitionInYear(TransitionRule{0, 3, 0, 0, 0, 0, 0, 0}, 2020).has_value());
}

TEST(TimeZone, NorthernHemisphereBias) {
  const TimeZoneInfo tz = Pacific();
  EXPECT_EQ(tz.BiasAt(Local(2016, 11, 26, 13, 46)), 480);
  EXPECT_EQ(tz.BiasAt(Local(2016, 7, 1, 12, 0)), 420);
  EXPECT_EQ(tz.BiasAt(Local(2016, 3, 13, 1, 59)), 480);
  EXPECT_EQ(tz.BiasAt(Local(2016, 3, 13, 3, 0)), 420);
  EXPECT_EQ(tz.BiasAt(Local(2016, 11, 6, 2, 0)), 480);
  EXPECT_EQ(tz.LocalToUtc(Local(2016, 7, 1, 12, 0)), Local(2016, 7, 1, 19, 0));
}

TEST(TimeZone, SouthernHemisphereBias) {
  // AUS Eastern: UTC+10, daylight from the first Sunday of October to the first of April.
  TimeZoneInfo tz;
  tz.bias = -600;
  tz.daylight_bias = -60;
  tz.standard_date = TransitionRule{0, 4, 0, 1, 3, 0, 0, 0};
  tz.daylight_date = TransitionRule{0, 10, 0, 1, 2, 0, 0, 0};
  EXPECT_EQ(tz.BiasAt(Local(2020, 1, 15, 12, 0)), -660);
  EXPECT_EQ(tz.BiasAt(Local(2020, 6, 15, 12, 0)), -600);
  EXPECT_EQ(tz.BiasAt(Local(2020, 12, 15, 12, 0)), -660);
  EXPECT_EQ(tz.LocalToUtc(Local(2020, 1, 15, 12, 0)), Local(2020, 1, 15, 1, 0));
}

TEST(TimeZone, NoDaylightRuleUsesStandardBias) {
  TimeZoneInfo tz;
  tz.bias = -330;  // India
  EXPECT_FALSE(tz.HasDaylightRule());
  EXPECT_EQ(tz.BiasAt(Local(2017, 9, 19, 9, 51)), -330);
}

TEST(TimeZone, DecodeRejectsShortInput) {
  const std::byte bytes[100] = {};
  EXPECT_FALSE(TimeZoneInfo::Decode(ByteView(std::span<const std::byte>(bytes))).has_value());
}

TEST(TimeZone, ResolvesKnownMuiNames) {
  EXPECT_EQ(ResolveMuiZoneName("@tzres.dll,-212").value_or(""), "Pacific Standard Time");
  EXPECT_FALSE(ResolveMuiZoneName("@tzres.dll,-999").has_value());
}

}  // namespace
}  // namespace perfleak::blg
