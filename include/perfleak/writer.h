// Writing a CounterLog back out as relog-style PDH-CSV or PDH-TSV.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>

#include "perfleak/counter_log.h"
#include "perfleak/status.h"

namespace perfleak {

struct WriteOptions {
  char delimiter = ',';  ///< ',' for PDH-CSV, '\t' for PDH-TSV
  bool crlf = true;      ///< PDH writes CRLF line ends
  /// Threads that format rows (0 = all cores); the output is the same for any count.
  std::size_t num_threads = 0;
};

/// Writes the header cell `(PDH-CSV 4.0) (<zone>)(<bias>)` (TSV form for a tab), quoted
/// paths, local timestamps `MM/DD/YYYY HH:MM:SS.mmm`, `" "` for missing values and numbers
/// that read back to the same double. Fails with kIoError when the stream fails.
Status WritePdhText(const CounterLog& log, std::ostream& out, const WriteOptions& options = {});

/// Formats a double the way the round trip needs: integers without a decimal point, other
/// values in the shortest form that reads back exactly.
std::string FormatPdhNumber(double value);

}  // namespace perfleak
