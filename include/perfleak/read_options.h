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

/// Options for reading any log format. Plain data; a default-constructed one has the documented
/// defaults.
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
  /// Counters x samples (8 bytes each). 0, the default, derives the cap from this machine:
  /// 3/4 of physical memory less the input's size, at least 2^20 cells, so a log too large
  /// for the host fails with kLimitExceeded before its columns are allocated.
  std::size_t max_cells = 0;
  /// Reads only the first this many samples (rows of a text log, data records of a `.blg`) and
  /// stops: a quick look at a log's machines and counters (`analyze --shard` partitions by
  /// them). 0, the default, reads every sample.
  std::size_t max_samples = 0;

  /// kInvalidArgument when a pattern does not parse or max_counters / max_field_bytes is zero.
  Status Validate() const;
};

}  // namespace perfleak
