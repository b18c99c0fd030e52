// A seeded, realistic wide PDH-CSV (process counters as random walks, some leaking; byte
// counts as integers, percentages with 17 significant digits, " " for the first rate sample)
// for reader and end-to-end benchmarks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>

namespace perfleak::bench {

struct WideLogShape {
  std::size_t counters = 3200;  ///< 8 per process
  std::size_t rows = 20000;
  std::uint64_t seed = 42;
  int interval_s = 15;
};

/// Streams the log to `out` (constant memory whatever its size).
void WriteWideLog(const WideLogShape& shape, std::ostream& out);

/// The same text in memory, built once per (counters, rows) and cached.
const std::string& WideLogText(std::size_t counters, std::size_t rows);

}  // namespace perfleak::bench
