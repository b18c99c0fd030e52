// Fuzzes format detection and the PDH text reader with both row policies and a projection.
// Beyond "no crash, no hang", every read must keep the CounterLog invariants: a successful
// read has one value per sample in every column and UTC timestamps that never go backwards
// unless a warning says so; a failed read has a message naming the input. Reading the text
// through copied windows (a mapped file's path) must give the same log or the same error.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string_view>

#include "csv/csv_reader.h"
#include "perfleak/reader.h"
#include "support/counter_log_equal.h"

namespace {

constexpr std::string_view kName = "fuzz.csv";

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "csv fuzz invariant broken: %s\n", what);
  std::abort();
}

bool HasWarning(const perfleak::CounterLog& log, std::string_view text) {
  for (const std::string& w : log.warnings) {
    if (w.find(text) != std::string::npos) return true;
  }
  return false;
}

void Check(const perfleak::Result<perfleak::CounterLog>& log) {
  if (!log.ok()) {
    if (log.status().message().find(kName) == std::string::npos) Fail("error does not name input");
    return;
  }
  if (log->num_samples() == 0) Fail("a successful read without samples");
  if (log->time_local.size() != log->num_samples()) Fail("local and UTC columns differ");
  if (log->paths.size() != log->columns.size()) Fail("paths and columns differ");
  for (const auto& column : log->columns) {
    if (column.size() != log->num_samples()) Fail("column length is not the sample count");
  }
  bool backwards = false;
  for (std::size_t i = 1; i < log->num_samples(); ++i) {
    backwards = backwards || log->time_utc[i] < log->time_utc[i - 1];
  }
  if (backwards && !HasWarning(*log, "backwards")) Fail("timestamps go back without a warning");
  for (const std::string& w : log->warnings) {
    if (w.find(kName) == std::string::npos) Fail("a warning does not name the input");
  }
}

void CheckCopiedAlike(std::span<const std::byte> bytes, const perfleak::ReadOptions& options) {
  const perfleak::DetectedFormat format = perfleak::DetectFormat(bytes);
  if (format != perfleak::DetectedFormat::kPdhCsv && format != perfleak::DetectedFormat::kPdhTsv) {
    return;
  }
  const perfleak::internal::InputCopier copy = [&](std::size_t offset, std::span<std::byte> out) {
    if (offset > bytes.size() || out.size() > bytes.size() - offset) return false;
    std::memcpy(out.data(), bytes.data() + offset, out.size());
    return true;
  };
  const auto in_memory = perfleak::csv::ReadPdhText(kName, bytes, options);
  // Windows of 64 bytes cut lines anywhere, and any line longer doubles the buffer.
  const auto copied = perfleak::csv::ReadPdhText(kName, bytes, options, copy, 64);
  if (in_memory.ok() != copied.ok()) Fail("copied windows and memory disagree on success");
  if (!in_memory.ok()) {
    if (in_memory.status().ToString() != copied.status().ToString()) {
      Fail("copied windows and memory give different errors");
    }
  } else if (!perfleak::testing::CounterLogDifference(*in_memory, *copied).empty()) {
    Fail("copied windows and memory give different logs");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  perfleak::ReadOptions strict;
  strict.num_threads = 1;
  strict.max_field_bytes = 4096;
  strict.max_cells = 1'000'000;
  Check(perfleak::ReadLogFromBuffer(kName, bytes, strict));
  perfleak::ReadOptions lenient = strict;
  lenient.invalid_rows = perfleak::InvalidRowPolicy::kSkip;
  lenient.counter_patterns = {"\\Process(*)\\Private Bytes"};
  Check(perfleak::ReadLogFromBuffer(kName, bytes, lenient));
  lenient.num_threads = 2;
  CheckCopiedAlike(bytes, lenient);
  return 0;
}
