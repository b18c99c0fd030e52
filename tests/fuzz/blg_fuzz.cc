// Fuzzes the .blg reader: sniffing and decoding arbitrary bytes must never crash, hang or read
// out of bounds, and a successful read must keep the CounterLog invariants.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "blg/blg_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  static_cast<void>(perfleak::blg::Sniff(bytes));
  perfleak::ReadOptions options;
  // Small caps so that a hostile input cannot make the fuzzer run out of memory legitimately.
  options.max_counters = 10'000;
  options.max_cells = 1'000'000;
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
  return 0;
}
