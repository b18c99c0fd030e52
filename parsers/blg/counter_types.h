// Raw PDH counter values to formatted values, one pure function per counter-type family.
//
// Formulas: Microsoft Learn "Calculating Counter Values" / Windows Server 2003 Deployment Kit
// "Counter Types" (the same table as ../shared/docs/blg-format.md section 5). Subscript 0 is
// the previous sample, 1 the current one; N = counter data, D = time, B = base, F = frequency.
#pragma once

#include <algorithm>
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

/// True for types that need two samples (rates, deltas, averages); their first sample has no
/// value, as relog writes `" "` there.
bool NeedsTwoSamples(std::uint32_t type);

/// True for the types FormatCounterValue knows.
bool IsSupportedCounterType(std::uint32_t type);

/// True for base, no-data and text types, which PDH never shows as a counter of their own.
bool IsHiddenCounterType(std::uint32_t type);

// Inline: it runs once per value, and a call per value cost as much as the arithmetic.
namespace detail {

// Deltas are taken in exact integer arithmetic before converting: the 100 ns clocks are about
// 1.3e17, where a double's spacing is 16 ticks, so converting first would cost 1e-6 relative
// (Windows' own CSV agrees with the integer delta to 2e-16). Only an overflowing difference
// (corrupt data) falls back to doubles.
inline double Delta(std::int64_t now, std::int64_t before) {
  std::int64_t diff = 0;
  if (__builtin_sub_overflow(now, before, &diff)) {
    return static_cast<double>(now) - static_cast<double>(before);
  }
  return static_cast<double>(diff);
}

// Percent timers: 100 * dN / dD, capped to 0..100 (PdhGetFormattedCounterValue caps unless
// PDH_FMT_NOCAP100 is given; relog does not give it).
inline bool PercentTimer(const RawValue& cur, const RawValue& prev, bool inverse, double& out) {
  const double dn = Delta(cur.first, prev.first);
  const double dd = Delta(cur.second, prev.second);
  if (dn < 0 || dd <= 0) return false;
  double value = 100.0 * dn / dd;
  if (inverse) value = 100.0 - value;
  out = std::clamp(value, 0.0, 100.0);
  return true;
}

// Multi timers: 100 * (dN / (dD / F)) / B (inverse: 100 * (B - dN / (dD / F)) / B), where
// B = MultiCount (instances timed, e.g. disks). 100 ns variants have no F.
inline bool MultiTimer(const RawValue& cur, const RawValue& prev, double freq, bool inverse,
                       double& out) {
  const double dn = Delta(cur.first, prev.first);
  const double dd = Delta(cur.second, prev.second);
  const double base = static_cast<double>(cur.multi_count);
  if (dn < 0 || dd <= 0 || base <= 0 || freq <= 0) return false;
  const double busy = dn / (dd / freq);
  out = inverse ? 100.0 * (base - busy) / base : 100.0 * busy / base;
  return true;
}

}  // namespace detail

/// As FormatCounterValue (below), without the optional: the value goes to `out`, which is
/// left untouched when there is none. Returning std::optional<double> made GCC build it in
/// memory and reload it, a store-forwarding stall per value.
inline bool FormatCounterValueInto(std::uint32_t type, std::int64_t frequency, const RawValue& cur,
                                   const std::optional<RawValue>& previous, double& out) {
  namespace ct = counter_type;
  const double freq = static_cast<double>(frequency);
  switch (type) {
    case ct::kRawcountHex:
    case ct::kLargeRawcountHex:
    case ct::kRawcount:
    case ct::kLargeRawcount:
      out = static_cast<double>(cur.first);
      return true;
    case ct::kRawFraction:
    case ct::kLargeRawFraction:
      // 100 * N1 / B1.
      if (cur.second == 0) return false;
      out = 100.0 * static_cast<double>(cur.first) / static_cast<double>(cur.second);
      return true;
    case ct::kElapsedTime:
      // (D1 - N1) / F: the start time N and the now-time D share the object time base.
      if (freq <= 0) return false;
      out = detail::Delta(cur.second, cur.first) / freq;
      return true;
    default:
      break;
  }
  // Unsupported types need no check here: they fall to the default of the switch below.
  if (!previous) return false;
  const RawValue& prev = *previous;
  const double dn = detail::Delta(cur.first, prev.first);
  const double dd = detail::Delta(cur.second, prev.second);
  switch (type) {
    case ct::kDelta:
    case ct::kLargeDelta:
      if (dn < 0) return false;
      out = dn;
      return true;
    case ct::kCounter:
    case ct::kBulkCount:
    case ct::kSampleCounter:
      // dN / (dD / F): events per second.
      if (dn < 0 || dd <= 0 || freq <= 0) return false;
      out = dn / (dd / freq);
      return true;
    // One call site per helper, so that the compiler inlines them (this runs per value).
    case ct::kTimer:
    case ct::k100nsTimer:
    case ct::kObjTimeTimer:
    case ct::kPrecisionSystemTimer:
    case ct::kPrecision100nsTimer:
    case ct::kPrecisionObjectTimer:
    case ct::kTimerInv:
    case ct::k100nsTimerInv:
      return detail::PercentTimer(cur, prev, type == ct::kTimerInv || type == ct::k100nsTimerInv,
                                  out);
    case ct::kMultiTimer:
    case ct::kMultiTimerInv:
    case ct::k100nsMultiTimer:
    case ct::k100nsMultiTimerInv: {
      const bool per_100ns = type == ct::k100nsMultiTimer || type == ct::k100nsMultiTimerInv;
      const bool inverse = type == ct::kMultiTimerInv || type == ct::k100nsMultiTimerInv;
      return detail::MultiTimer(cur, prev, per_100ns ? 1.0 : freq, inverse, out);
    }
    case ct::kSampleFraction:
      // 100 * dN / dB.
      if (dn < 0 || dd <= 0) return false;
      out = 100.0 * dn / dd;
      return true;
    case ct::kAverageTimer:
      // (dN / F) / dB: seconds per operation.
      if (dn < 0 || dd <= 0 || freq <= 0) return false;
      out = (dn / freq) / dd;
      return true;
    case ct::kAverageBulk:
      // dN / dB: e.g. bytes per transfer.
      if (dn < 0 || dd <= 0) return false;
      out = dn / dd;
      return true;
    case ct::kQueuelen:
    case ct::kLargeQueuelen:
    case ct::k100nsQueuelen:
    case ct::kObjTimeQueuelen:
      // dN / dD: the queue-length integral over the interval, divided by the interval.
      if (dn < 0 || dd <= 0) return false;
      out = dn / dd;
      return true;
    default:
      return false;
  }
}

/// The formatted value of `current` for a counter of `type` with time base `frequency` (ticks
/// per second), given the previous sample (nullopt for the first). Returns nullopt where PDH
/// yields no value: first sample of a two-sample type, negative or zero deltas, zero base or
/// frequency, an unsupported type. Percent timers are capped to 0..100 as PDH does without
/// PDH_FMT_NOCAP100. DefaultScale is not applied: relog and CSV values are unscaled.
inline std::optional<double> FormatCounterValue(std::uint32_t type, std::int64_t frequency,
                                                const RawValue& current,
                                                const std::optional<RawValue>& previous) {
  double v = 0;
  if (!FormatCounterValueInto(type, frequency, current, previous, v)) return std::nullopt;
  return v;
}

}  // namespace perfleak::blg
