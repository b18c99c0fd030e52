#include "blg/counter_types.h"

namespace perfleak::blg {

namespace ct = counter_type;

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

}  // namespace perfleak::blg
