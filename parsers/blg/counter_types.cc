#include "blg/counter_types.h"

#include <algorithm>

namespace perfleak::blg {

namespace ct = counter_type;

namespace {

// Deltas are taken in exact integer arithmetic before converting: the 100 ns clocks are about
// 1.3e17, where a double's spacing is 16 ticks, so converting first would cost 1e-6 relative
// (Windows' own CSV agrees with the integer delta to 2e-16). Only an overflowing difference
// (corrupt data) falls back to doubles.
double Delta(std::int64_t now, std::int64_t before) {
  std::int64_t diff = 0;
  if (__builtin_sub_overflow(now, before, &diff)) {
    return static_cast<double>(now) - static_cast<double>(before);
  }
  return static_cast<double>(diff);
}

// Percent timers: 100 * dN / dD, capped to 0..100 (PdhGetFormattedCounterValue caps unless
// PDH_FMT_NOCAP100 is given; relog does not give it).
std::optional<double> PercentTimer(const RawValue& cur, const RawValue& prev, bool inverse) {
  const double dn = Delta(cur.first, prev.first);
  const double dd = Delta(cur.second, prev.second);
  if (dn < 0 || dd <= 0) return std::nullopt;
  double value = 100.0 * dn / dd;
  if (inverse) value = 100.0 - value;
  return std::clamp(value, 0.0, 100.0);
}

// Multi timers: 100 * (dN / (dD / F)) / B (inverse: 100 * (B - dN / (dD / F)) / B), where
// B = MultiCount (instances timed, e.g. disks). 100 ns variants have no F.
std::optional<double> MultiTimer(const RawValue& cur, const RawValue& prev, double freq,
                                 bool inverse) {
  const double dn = Delta(cur.first, prev.first);
  const double dd = Delta(cur.second, prev.second);
  const double base = static_cast<double>(cur.multi_count);
  if (dn < 0 || dd <= 0 || base <= 0 || freq <= 0) return std::nullopt;
  const double busy = dn / (dd / freq);
  return inverse ? 100.0 * (base - busy) / base : 100.0 * busy / base;
}

}  // namespace

bool NeedsTwoSamples(std::uint32_t type) {
  switch (type) {
    case ct::kRawcountHex:
    case ct::kLargeRawcountHex:
    case ct::kRawcount:
    case ct::kLargeRawcount:
    case ct::kRawFraction:
    case ct::kLargeRawFraction:
    case ct::kElapsedTime:
      return false;
    default:
      return true;
  }
}

bool IsSupportedCounterType(std::uint32_t type) {
  switch (type) {
    case ct::kRawcountHex:
    case ct::kLargeRawcountHex:
    case ct::kRawcount:
    case ct::kLargeRawcount:
    case ct::kDelta:
    case ct::kLargeDelta:
    case ct::kCounter:
    case ct::kBulkCount:
    case ct::kSampleCounter:
    case ct::kTimer:
    case ct::kTimerInv:
    case ct::k100nsTimer:
    case ct::k100nsTimerInv:
    case ct::kObjTimeTimer:
    case ct::kPrecisionSystemTimer:
    case ct::kPrecision100nsTimer:
    case ct::kPrecisionObjectTimer:
    case ct::kMultiTimer:
    case ct::kMultiTimerInv:
    case ct::k100nsMultiTimer:
    case ct::k100nsMultiTimerInv:
    case ct::kRawFraction:
    case ct::kLargeRawFraction:
    case ct::kSampleFraction:
    case ct::kAverageTimer:
    case ct::kAverageBulk:
    case ct::kQueuelen:
    case ct::kLargeQueuelen:
    case ct::k100nsQueuelen:
    case ct::kObjTimeQueuelen:
    case ct::kElapsedTime:
      return true;
    default:
      return false;
  }
}

bool IsHiddenCounterType(std::uint32_t type) {
  if (type == ct::kNoData) return true;
  if ((type & ct::kTypeMask) == ct::kTypeText) return true;
  return (type & ct::kTypeMask) == ct::kTypeCounter &&
         (type & ct::kSubtypeMask) == ct::kSubtypeBase;
}

std::optional<double> FormatCounterValue(std::uint32_t type, std::int64_t frequency,
                                         const RawValue& cur,
                                         const std::optional<RawValue>& previous) {
  const double freq = static_cast<double>(frequency);
  switch (type) {
    case ct::kRawcountHex:
    case ct::kLargeRawcountHex:
    case ct::kRawcount:
    case ct::kLargeRawcount:
      return static_cast<double>(cur.first);
    case ct::kRawFraction:
    case ct::kLargeRawFraction:
      // 100 * N1 / B1.
      if (cur.second == 0) return std::nullopt;
      return 100.0 * static_cast<double>(cur.first) / static_cast<double>(cur.second);
    case ct::kElapsedTime:
      // (D1 - N1) / F: the start time N and the now-time D share the object time base.
      if (freq <= 0) return std::nullopt;
      return Delta(cur.second, cur.first) / freq;
    default:
      break;
  }
  if (!previous || !IsSupportedCounterType(type)) return std::nullopt;
  const RawValue& prev = *previous;
  const double dn = Delta(cur.first, prev.first);
  const double dd = Delta(cur.second, prev.second);
  switch (type) {
    case ct::kDelta:
    case ct::kLargeDelta:
      if (dn < 0) return std::nullopt;
      return dn;
    case ct::kCounter:
    case ct::kBulkCount:
    case ct::kSampleCounter:
      // dN / (dD / F): events per second.
      if (dn < 0 || dd <= 0 || freq <= 0) return std::nullopt;
      return dn / (dd / freq);
    // One call site per helper, so that the compiler inlines them (this runs per value).
    case ct::kTimer:
    case ct::k100nsTimer:
    case ct::kObjTimeTimer:
    case ct::kPrecisionSystemTimer:
    case ct::kPrecision100nsTimer:
    case ct::kPrecisionObjectTimer:
    case ct::kTimerInv:
    case ct::k100nsTimerInv:
      return PercentTimer(cur, prev, type == ct::kTimerInv || type == ct::k100nsTimerInv);
    case ct::kMultiTimer:
    case ct::kMultiTimerInv:
    case ct::k100nsMultiTimer:
    case ct::k100nsMultiTimerInv: {
      const bool per_100ns = type == ct::k100nsMultiTimer || type == ct::k100nsMultiTimerInv;
      const bool inverse = type == ct::kMultiTimerInv || type == ct::k100nsMultiTimerInv;
      return MultiTimer(cur, prev, per_100ns ? 1.0 : freq, inverse);
    }
    case ct::kSampleFraction:
      // 100 * dN / dB.
      if (dn < 0 || dd <= 0) return std::nullopt;
      return 100.0 * dn / dd;
    case ct::kAverageTimer:
      // (dN / F) / dB: seconds per operation.
      if (dn < 0 || dd <= 0 || freq <= 0) return std::nullopt;
      return (dn / freq) / dd;
    case ct::kAverageBulk:
      // dN / dB: e.g. bytes per transfer.
      if (dn < 0 || dd <= 0) return std::nullopt;
      return dn / dd;
    case ct::kQueuelen:
    case ct::kLargeQueuelen:
    case ct::k100nsQueuelen:
    case ct::kObjTimeQueuelen:
      // dN / dD: the queue-length integral over the interval, divided by the interval.
      if (dn < 0 || dd <= 0) return std::nullopt;
      return dn / dd;
    default:
      return std::nullopt;
  }
}

}  // namespace perfleak::blg
