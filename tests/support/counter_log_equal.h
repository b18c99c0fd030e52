// Whether two counter logs are the same in every field, values bit for bit: what the
// multi-threaded readers must give compared with their one-thread decode (tests and fuzzers).
#pragma once

#include <cstddef>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "perfleak/counter_log.h"
#include "perfleak/counter_path.h"

namespace perfleak::testing {

namespace counter_log_equal_detail {

template <typename T>
std::string VectorDifference(const char* what, const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) {
    return std::string(what) + ": " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) +
           " entries";
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!(a[i] == b[i])) return std::string(what) + ": entry " + std::to_string(i) + " differs";
  }
  return {};
}

// Bit for bit, so that NaN equals NaN (and a different NaN or -0.0 does not pass).
inline std::string ColumnDifference(std::size_t counter_idx, std::span<const double> a,
                                    std::span<const double> b) {
  const std::string where = "column " + std::to_string(counter_idx);
  if (a.size() != b.size()) {
    return where + ": " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) + " samples";
  }
  for (std::size_t sample_idx = 0; sample_idx < a.size(); ++sample_idx) {
    if (std::memcmp(&a[sample_idx], &b[sample_idx], sizeof(double)) != 0) {
      return where + " sample " + std::to_string(sample_idx) + ": " +
             std::to_string(a[sample_idx]) + " vs " + std::to_string(b[sample_idx]);
    }
  }
  return {};
}

}  // namespace counter_log_equal_detail

/// The first field in which `a` and `b` differ, described; empty when they are equal.
inline std::string CounterLogDifference(const CounterLog& a, const CounterLog& b) {
  namespace d = counter_log_equal_detail;
  if (a.source != b.source) return "source";
  if (a.format != b.format) return "format";
  const LogTimeZone& za = a.time_zone;
  const LogTimeZone& zb = b.time_zone;
  if (za.name != zb.name || za.bias_minutes != zb.bias_minutes || za.has_bias != zb.has_bias ||
      za.iana_name != zb.iana_name) {
    return "time_zone";
  }
  std::string diff = d::VectorDifference("time_utc", a.time_utc, b.time_utc);
  if (diff.empty()) diff = d::VectorDifference("time_local", a.time_local, b.time_local);
  if (diff.empty()) diff = d::VectorDifference("paths", a.paths, b.paths);
  if (diff.empty()) diff = d::VectorDifference("warnings", a.warnings, b.warnings);
  if (diff.empty()) diff = d::VectorDifference("metadata", a.metadata, b.metadata);
  if (!diff.empty()) return diff;
  if (a.columns.size() != b.columns.size()) return "column count";
  for (std::size_t counter_idx = 0; counter_idx < a.columns.size(); ++counter_idx) {
    diff = d::ColumnDifference(counter_idx, a.columns[counter_idx], b.columns[counter_idx]);
    if (!diff.empty()) return diff;
  }
  return {};
}

}  // namespace perfleak::testing
