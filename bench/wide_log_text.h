// A seeded, realistic wide PDH-CSV text (process counters, full-precision decimals, some " ")
// for reader benchmarks; built once per shape and cached.
#pragma once

#include <cstddef>
#include <string>

namespace perfleak::bench {

/// `counters` columns (7 per process: byte counts as integers, handles, threads, % time
/// with 17 significant digits) and `rows` samples at 15 s.
const std::string& WideLogText(std::size_t counters, std::size_t rows);

}  // namespace perfleak::bench
