// Fuzzes the .blg reader: sniffing and decoding arbitrary bytes must never crash, hang or read
// out of bounds, a successful read must keep the CounterLog invariants, and decoding the data
// records as ranges on two threads must give exactly the one-thread result (or its error).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "blg/blg_reader.h"
#include "support/counter_log_equal.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  static_cast<void>(perfleak::blg::Sniff(bytes));
  perfleak::ReadOptions options;
  // Small caps so that a hostile input cannot make the fuzzer run out of memory legitimately.
  options.max_counters = 10'000;
  options.max_cells = 1'000'000;
  options.num_threads = 1;
  const auto log = perfleak::blg::ReadBlg("fuzz.blg", bytes, options);
  if (log.ok()) {
    if (log->time_utc.size() != log->time_local.size()) std::abort();
    if (log->paths.size() != log->columns.size()) std::abort();
    for (const auto& column : log->columns) {
      if (column.size() != log->num_samples()) std::abort();
    }
  } else if (log.status().message().empty()) {
    std::abort();
  }
  // Ranges of one record: every data record after the first starts a range.
  options.num_threads = 2;
  const auto split = perfleak::blg::ReadBlgInRanges("fuzz.blg", bytes, options, 1);
  if (split.ok() != log.ok()) std::abort();
  if (!log.ok()) {
    if (split.status().ToString() != log.status().ToString()) std::abort();
  } else if (!perfleak::testing::CounterLogDifference(*log, *split).empty()) {
    std::abort();
  }
  return 0;
}
