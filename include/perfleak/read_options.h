// ReadOptions: what to load from a log and how strict to be.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "perfleak/status.h"

namespace perfleak {

/// What to do with a malformed data row (wrong field count, bad timestamp, bad number).
enum class InvalidRowPolicy : std::uint8_t {
  kError,  ///< stop with a parse error naming the row (default)
  kSkip,   ///< skip the row, count it, and add one warning per skipped row (up to a cap)
};

/// Options for reading any log format. Plain data; Defaults() gives the documented defaults.
struct ReadOptions {
  /// Counter patterns (see CounterPattern); empty loads every counter. Columns that match
  /// none are skipped while parsing, never materialised.
  std::vector<std::string> counter_patterns;
  InvalidRowPolicy invalid_rows = InvalidRowPolicy::kError;
  /// Threads used to decode large text logs; 0 = hardware concurrency.
  std::size_t num_threads = 0;
  /// Protective caps: a log beyond them fails with kLimitExceeded instead of exhausting memory.
  std::size_t max_counters = 1'000'000;
  std::size_t max_field_bytes = 1 << 20;
  std::size_t max_cells = std::size_t{4} << 30;  ///< counters x samples, i.e. 32 GiB of doubles

  static ReadOptions Defaults() { return {}; }
  /// kInvalidArgument when a pattern does not parse or a cap is zero.
  Status Validate() const;
};

}  // namespace perfleak
