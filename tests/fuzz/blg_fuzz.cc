// Fuzzes the .blg reader: sniffing and decoding arbitrary bytes must never crash, hang or read
// out of bounds, a successful read must keep the CounterLog invariants, decoding the data
// records as ranges on two threads must give exactly the one-thread result (or its error), and
// so must the decode while writing (OpenBlgRows: the same header, rows of the same values in
// blocks of 3 on two slots) and the decode of the bytes read as a file is, through 100-byte
// windows copied out of it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "blg/blg_reader.h"
#include "support/counter_log_equal.h"

namespace {

// Aborts unless `rows` gives `log` but for its columns, and its values in blocks of 3 rows.
void CheckRows(const perfleak::CounterLog& log, perfleak::internal::RowSource& rows) {
  perfleak::CounterLog header = log;
  header.columns.clear();
  if (!perfleak::testing::CounterLogDifference(header, rows.header()).empty()) std::abort();
  if (!rows.BeginRows(2).ok()) std::abort();
  const std::size_t width = log.columns.size();
  std::vector<double> values;
  for (std::size_t begin = 0; begin < log.num_samples(); begin += 3) {
    const std::size_t end = std::min(log.num_samples(), begin + 3);
    values.assign((end - begin) * width, 0.0);
    if (!rows.FillRows(begin / 3 % 2, begin, end, values).ok()) std::abort();
    for (std::size_t r = begin; r < end; ++r) {
      for (std::size_t c = 0; c < width; ++c) {
        if (std::memcmp(&values[(r - begin) * width + c], &log.columns[c][r], sizeof(double)) !=
            0) {
          std::abort();
        }
      }
    }
  }
}

}  // namespace

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
  options.num_threads = 1;
  const perfleak::internal::InputCopier copy = [&](std::size_t offset, std::span<std::byte> out) {
    if (offset > size || out.size() > size - offset) return false;
    std::memcpy(out.data(), data + offset, out.size());
    return true;
  };
  const perfleak::blg::EtlInput file(bytes, &copy, 100);
  const auto copied = perfleak::blg::ReadBlg("fuzz.blg", file, options);
  if (copied.ok() != log.ok()) std::abort();
  if (!log.ok()) {
    if (copied.status().ToString() != log.status().ToString()) std::abort();
  } else if (!perfleak::testing::CounterLogDifference(*log, *copied).empty()) {
    std::abort();
  }
  const auto rows = perfleak::blg::OpenBlgRows("fuzz.blg", file, options);
  if (rows.ok() != log.ok()) std::abort();
  if (!log.ok()) {
    if (rows.status().ToString() != log.status().ToString()) std::abort();
  } else {
    CheckRows(*log, **rows);
  }
  return 0;
}
