// A seeded wide PDH-CSV as relog writes them, for reader and end-to-end benchmarks: byte
// counts as integers, rates and percentages with 17 significant digits (" " on a process's
// first sample), some processes leaking, processes that exit (" " for the rest of the log) or
// start late (" " before), and `svchost#n` instances renumbered when one of them exits.
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
  std::string machine = "WEB01";
};

/// Streams the log to `out` (constant memory whatever its size).
void WriteWideLog(const WideLogShape& shape, std::ostream& out);

/// The same text in memory, built once per (counters, rows) and cached.
const std::string& WideLogText(std::size_t counters, std::size_t rows);

}  // namespace perfleak::bench
