// Every counter-type formula against values computed by hand from the documented formulas
// (MS Learn "Calculating Counter Values"; blg-format.md section 5).
#include "blg/counter_types.h"

#include <gtest/gtest.h>

namespace perfleak::blg {
namespace {

namespace ct = counter_type;

// Hand-computed expectations are exact decimal fractions; 1e-12 absolute covers rounding.
constexpr double kTol = 1e-12;

std::optional<double> Two(std::uint32_t type, std::int64_t freq, RawValue prev, RawValue cur) {
  return FormatCounterValue(type, freq, cur, prev);
}

TEST(CounterTypes, RawCountsNeedOneSample) {
  for (std::uint32_t t :
       {ct::kRawcount, ct::kLargeRawcount, ct::kRawcountHex, ct::kLargeRawcountHex}) {
    const auto v = FormatCounterValue(t, 0, RawValue{27443200, 0, 0}, std::nullopt);
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(*v, 27443200.0);
    EXPECT_FALSE(NeedsTwoSamples(t));
  }
}

TEST(CounterTypes, LargeRawcountKeepsBigValues) {
  // x64 _Total Virtual Bytes is about 2.4e14; a double holds it exactly.
  const auto v = FormatCounterValue(ct::kLargeRawcount, 0, RawValue{238000000000001, 0, 0}, {});
  EXPECT_EQ(*v, 238000000000001.0);
}

TEST(CounterTypes, RatesHaveNoValueAtFirstSample) {
  for (std::uint32_t t :
       {ct::kCounter, ct::kBulkCount, ct::k100nsTimer, ct::k100nsTimerInv, ct::kPrecision100nsTimer,
        ct::kAverageTimer, ct::kAverageBulk, ct::k100nsQueuelen, ct::kDelta}) {
    EXPECT_TRUE(NeedsTwoSamples(t));
    EXPECT_FALSE(FormatCounterValue(t, 10'000'000, RawValue{5, 10, 1}, std::nullopt).has_value());
  }
}

TEST(CounterTypes, CounterCounterIsEventsPerSecond) {
  // 300 events over 6,000,000 ticks at 2,000,000 Hz = 3 s -> 100 /s.
  EXPECT_NEAR(*Two(ct::kCounter, 2'000'000, {1000, 4'000'000, 0}, {1300, 10'000'000, 0}), 100.0,
              kTol);
  EXPECT_NEAR(*Two(ct::kBulkCount, 2'000'000, {0, 0, 0}, {7'000'000, 2'000'000, 0}), 7e6, kTol);
}

TEST(CounterTypes, RateWithNegativeDeltaOrZeroTimeHasNoValue) {
  EXPECT_FALSE(Two(ct::kCounter, 1000, {10, 0, 0}, {5, 1000, 0}).has_value());
  EXPECT_FALSE(Two(ct::kCounter, 1000, {10, 1000, 0}, {20, 1000, 0}).has_value());
  EXPECT_FALSE(Two(ct::kCounter, 0, {10, 0, 0}, {20, 1000, 0}).has_value());
}

TEST(CounterTypes, HundredNsTimerIsPercentBusy) {
  // 2,500,000 of 10,000,000 100-ns units busy = 25 %.
  EXPECT_NEAR(*Two(ct::k100nsTimer, 10'000'000, {0, 0, 0}, {2'500'000, 10'000'000, 0}), 25.0, kTol);
}

TEST(CounterTypes, HundredNsTimerInvIsPercentProcessorTime) {
  // Idle 8,437,500 of 10,000,360 (Tx sample, CPU 0): 100 * (1 - 8437500 / 10000360).
  EXPECT_NEAR(*Two(ct::k100nsTimerInv, 10'000'000, {0, 0, 0}, {8'437'500, 10'000'360, 0}),
              100.0 * (1.0 - 8437500.0 / 10000360.0), kTol);
}

TEST(CounterTypes, PercentTimersAreCappedTo0And100) {
  EXPECT_EQ(*Two(ct::k100nsTimer, 10'000'000, {0, 0, 0}, {11, 10, 0}), 100.0);
  EXPECT_EQ(*Two(ct::k100nsTimerInv, 10'000'000, {0, 0, 0}, {11, 10, 0}), 0.0);
}

TEST(CounterTypes, PrecisionTimerUsesTimestampCounter) {
  // % Disk Time: 95,048 busy over 30,030,236 ticks of the timestamp counter.
  EXPECT_NEAR(*Two(ct::kPrecision100nsTimer, 10'000'000, {554043229430, 131246703908743382, 0},
                   {554043324478, 131246703938773618, 0}),
              100.0 * 95048.0 / 30030236.0, kTol);
}

TEST(CounterTypes, ExactIntegerDeltaOnLargeClocks) {
  // 1.3e17 clocks: converting before subtracting would lose up to 16 ticks each.
  const auto v = Two(ct::k100nsTimerInv, 10'000'000, {4903144765625, 131246703908743382, 1},
                     {4903168515625, 131246703938773618, 1});
  // Windows' own CSV for this pair (PowerShell CounterSamples, row 2).
  EXPECT_NEAR(*v, 20.913042441624498, 1e-12);
}

TEST(CounterTypes, AverageTimerIsSecondsPerOperation) {
  // 500,000 ticks at 1,000,000 Hz over 50 operations = 0.01 s each.
  EXPECT_NEAR(*Two(ct::kAverageTimer, 1'000'000, {0, 0, 0}, {500'000, 50, 0}), 0.01, kTol);
  EXPECT_FALSE(Two(ct::kAverageTimer, 1'000'000, {0, 50, 0}, {500'000, 50, 0}).has_value());
}

TEST(CounterTypes, AverageBulkIsBytesPerOperation) {
  // blg-format.md 5: 492,544 bytes over 56 writes = 8795.428... bytes.
  EXPECT_NEAR(*Two(ct::kAverageBulk, 0, {1000, 10, 0}, {493544, 66, 0}), 492544.0 / 56.0, kTol);
}

TEST(CounterTypes, RawFractionIsPercentOfBase) {
  EXPECT_NEAR(*FormatCounterValue(ct::kRawFraction, 0, {869, 1000, 0}, std::nullopt), 86.9, kTol);
  EXPECT_FALSE(FormatCounterValue(ct::kRawFraction, 0, {869, 0, 0}, std::nullopt).has_value());
  EXPECT_NEAR(*FormatCounterValue(ct::kLargeRawFraction, 0, {1, 4, 0}, std::nullopt), 25.0, kTol);
}

TEST(CounterTypes, SampleFractionIsPercentOfBaseDelta) {
  EXPECT_NEAR(*Two(ct::kSampleFraction, 0, {10, 100, 0}, {40, 200, 0}), 30.0, kTol);
}

TEST(CounterTypes, QueueLengthIsAverageOverInterval) {
  // Integral 15,000,000 over 10,000,000 100-ns units = queue of 1.5.
  EXPECT_NEAR(*Two(ct::k100nsQueuelen, 10'000'000, {0, 0, 0}, {15'000'000, 10'000'000, 0}), 1.5,
              kTol);
  EXPECT_NEAR(*Two(ct::kLargeQueuelen, 1000, {0, 0, 0}, {300, 200, 0}), 1.5, kTol);
}

TEST(CounterTypes, ElapsedTimeIsSecondsSinceStart) {
  // Started at object time 100,000,000, now 460,000,000, at 10^7 per second: 36 s.
  EXPECT_NEAR(*FormatCounterValue(ct::kElapsedTime, 10'000'000, {100'000'000, 460'000'000, 0},
                                  std::nullopt),
              36.0, kTol);
}

TEST(CounterTypes, DeltaIsDifference) {
  EXPECT_NEAR(*Two(ct::kDelta, 0, {10, 0, 0}, {25, 0, 0}), 15.0, kTol);
  EXPECT_FALSE(Two(ct::kLargeDelta, 0, {25, 0, 0}, {10, 0, 0}).has_value());
}

TEST(CounterTypes, MultiTimerDividesByInstanceCount) {
  // Documented form 100 * (dN / (dD / F)) / B: dN = 3 over dD / F = 2000 / 1000 = 2 s is 1.5,
  // shared by B = 2 instances: 75 % (inverse: 100 * (2 - 1.5) / 2 = 25 %).
  EXPECT_NEAR(*Two(ct::kMultiTimer, 1000, {0, 0, 2}, {3, 2000, 2}), 75.0, kTol);
  EXPECT_NEAR(*Two(ct::kMultiTimerInv, 1000, {0, 0, 2}, {3, 2000, 2}), 25.0, kTol);
  EXPECT_NEAR(*Two(ct::k100nsMultiTimer, 0, {0, 0, 4}, {2, 1, 4}), 50.0, kTol);
}

TEST(CounterTypes, ScaleIsNotApplied) {
  // DefaultScale only affects graphs; the formula result is the CSV value (section 5 note).
  EXPECT_NEAR(*Two(ct::kCounter, 2630633, {0, 0, 0}, {1, 2630633 * 3, 0}), 1.0 / 3.0, kTol);
}

TEST(CounterTypes, HiddenTypes) {
  EXPECT_TRUE(IsHiddenCounterType(0x40030403));  // PERF_RAW_BASE
  EXPECT_TRUE(IsHiddenCounterType(0x40030500));  // PERF_LARGE_RAW_BASE
  EXPECT_TRUE(IsHiddenCounterType(0x42030500));  // PERF_COUNTER_MULTI_BASE
  EXPECT_TRUE(IsHiddenCounterType(ct::kNoData));
  EXPECT_FALSE(IsHiddenCounterType(ct::kAverageBulk));  // NOSHOW bit but a real counter
  EXPECT_FALSE(IsHiddenCounterType(ct::kLargeRawcount));
}

TEST(CounterTypes, UnknownTypeHasNoValue) {
  EXPECT_FALSE(IsSupportedCounterType(0x12345678));
  EXPECT_FALSE(Two(0x12345678, 1, {0, 0, 0}, {1, 1, 0}).has_value());
}

}  // namespace
}  // namespace perfleak::blg
