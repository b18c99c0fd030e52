// Raw PDH counter values to formatted values, one pure function per counter-type family.
//
// Formulas: Microsoft Learn "Calculating Counter Values" / Windows Server 2003 Deployment Kit
// "Counter Types" (the same table as ../shared/docs/blg-format.md section 5). Subscript 0 is
// the previous sample, 1 the current one; N = counter data, D = time, B = base, F = frequency.
#pragma once

#include <cstdint>
#include <optional>

namespace perfleak::blg {

/// winperf.h counter types the reader formats. Values are the documented PERF_* constants.
namespace counter_type {
inline constexpr std::uint32_t kRawcountHex = 0x00000000;
inline constexpr std::uint32_t kLargeRawcountHex = 0x00000100;
inline constexpr std::uint32_t kRawcount = 0x00010000;
inline constexpr std::uint32_t kLargeRawcount = 0x00010100;
inline constexpr std::uint32_t kDelta = 0x00400400;
inline constexpr std::uint32_t kLargeDelta = 0x00400500;
inline constexpr std::uint32_t kCounter = 0x10410400;
inline constexpr std::uint32_t kBulkCount = 0x10410500;
inline constexpr std::uint32_t kSampleCounter = 0x00410400;
inline constexpr std::uint32_t kTimer = 0x20410500;
inline constexpr std::uint32_t kTimerInv = 0x21410500;
inline constexpr std::uint32_t k100nsTimer = 0x20510500;
inline constexpr std::uint32_t k100nsTimerInv = 0x21510500;
inline constexpr std::uint32_t kObjTimeTimer = 0x20610500;
inline constexpr std::uint32_t kPrecisionSystemTimer = 0x20470500;
inline constexpr std::uint32_t kPrecision100nsTimer = 0x20570500;
inline constexpr std::uint32_t kPrecisionObjectTimer = 0x20670500;
inline constexpr std::uint32_t kMultiTimer = 0x22410500;
inline constexpr std::uint32_t kMultiTimerInv = 0x23410500;
inline constexpr std::uint32_t k100nsMultiTimer = 0x22510500;
inline constexpr std::uint32_t k100nsMultiTimerInv = 0x23510500;
inline constexpr std::uint32_t kRawFraction = 0x20020400;
inline constexpr std::uint32_t kLargeRawFraction = 0x20020500;
inline constexpr std::uint32_t kSampleFraction = 0x20C20400;
inline constexpr std::uint32_t kAverageTimer = 0x30020400;
inline constexpr std::uint32_t kAverageBulk = 0x40020500;
inline constexpr std::uint32_t kQueuelen = 0x00450400;
inline constexpr std::uint32_t kLargeQueuelen = 0x00450500;
inline constexpr std::uint32_t k100nsQueuelen = 0x00550500;
inline constexpr std::uint32_t kObjTimeQueuelen = 0x00650500;
inline constexpr std::uint32_t kElapsedTime = 0x30240500;
inline constexpr std::uint32_t kNoData = 0x40000200;

/// winperf.h field masks.
inline constexpr std::uint32_t kSizeMask = 0x00000300;  ///< PERF_SIZE_DWORD/LARGE/ZERO/VARIABLE
inline constexpr std::uint32_t kSizeLarge = 0x00000100;
inline constexpr std::uint32_t kTypeMask = 0x00000C00;  ///< NUMBER, COUNTER, TEXT, ZERO
inline constexpr std::uint32_t kTypeCounter = 0x00000400;
inline constexpr std::uint32_t kTypeText = 0x00000800;
inline constexpr std::uint32_t kSubtypeMask = 0x000F0000;
inline constexpr std::uint32_t kSubtypeBase = 0x00030000;
inline constexpr std::uint32_t kSubtypePrecision = 0x00070000;
inline constexpr std::uint32_t kTimerMask = 0x00300000;  ///< TICK, 100NS, OBJECT
inline constexpr std::uint32_t kTimer100ns = 0x00100000;
inline constexpr std::uint32_t kTimerObject = 0x00200000;
}  // namespace counter_type

/// One raw sample of one counter, as in PDH_RAW_COUNTER: `first` is N; `second` is D for
/// time-based types and B for fractions and averages; `multi_count` is B of multi timers.
struct RawValue {
  std::int64_t first = 0;
  std::int64_t second = 0;
  std::uint32_t multi_count = 0;
};

/// True for the raw-count types, whose formatted value is N1 itself (as FormatCounterValue
/// gives it); lets callers skip the general formatter for the most common types.
inline bool IsRawCountType(std::uint32_t type) {
  return type == counter_type::kRawcount || type == counter_type::kLargeRawcount ||
         type == counter_type::kRawcountHex || type == counter_type::kLargeRawcountHex;
}

/// True for types that need two samples (rates, deltas, averages); their first sample has no
/// value, as relog writes `" "` there.
bool NeedsTwoSamples(std::uint32_t type);

/// True for the types FormatCounterValue knows.
bool IsSupportedCounterType(std::uint32_t type);

/// True for base, no-data and text types, which PDH never shows as a counter of their own.
bool IsHiddenCounterType(std::uint32_t type);

/// The formatted value of `current` for a counter of `type` with time base `frequency` (ticks
/// per second), given the previous sample (nullopt for the first). Returns nullopt where PDH
/// yields no value: first sample of a two-sample type, negative or zero deltas, zero base or
/// frequency, an unsupported type. Percent timers are capped to 0..100 as PDH does without
/// PDH_FMT_NOCAP100. DefaultScale is not applied: relog and CSV values are unscaled.
std::optional<double> FormatCounterValue(std::uint32_t type, std::int64_t frequency,
                                         const RawValue& current,
                                         const std::optional<RawValue>& previous);

}  // namespace perfleak::blg
