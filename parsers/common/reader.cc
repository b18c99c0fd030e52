#include "perfleak/reader.h"

#include <unistd.h>

#include <algorithm>
#include <optional>

#include "blg/blg_reader.h"
#include "common/counter_pattern_set.h"
#include "common/mapped_file.h"
#include "common/parallel_for_internal.h"
#include "common/read_limits_internal.h"
#include "csv/csv_reader.h"

namespace perfleak {

Status ReadOptions::Validate() const {
  // The set the readers parse anyway (kept for the next log of a batch), not each pattern again.
  PERFLEAK_RETURN_NOT_OK(internal::CounterPatternSet::Parse(counter_patterns).status());
  if (max_counters == 0 || max_field_bytes == 0) {
    return Status::InvalidArgument("read limits must be positive");
  }
  return Status::OK();
}

namespace internal {

std::uint64_t PhysicalMemoryBytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return 0;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
}

std::size_t AutoMaxCells(std::uint64_t physical_bytes, std::uint64_t input_bytes) {
  constexpr std::uint64_t kFloor = std::uint64_t{1} << 20;
  if (physical_bytes == 0) return std::size_t{1} << 32;
  const std::uint64_t usable = physical_bytes / 4 * 3;
  const std::uint64_t for_columns = usable > input_bytes ? usable - input_bytes : 0;
  return static_cast<std::size_t>(std::max(kFloor, for_columns / sizeof(double)));
}

std::size_t EffectiveMaxCells(const ReadOptions& options, std::uint64_t input_bytes) {
  return options.max_cells != 0 ? options.max_cells
                                : AutoMaxCells(PhysicalMemoryBytes(), input_bytes);
}

}  // namespace internal

DetectedFormat DetectFormat(std::span<const std::byte> head) {
  bool tsv = false;
  if (csv::LooksLikePdhText(head, &tsv))
    return tsv ? DetectedFormat::kPdhTsv : DetectedFormat::kPdhCsv;
  return blg::Sniff(head);
}

namespace {

// The one dispatch by content. `copy` is set when `data` is a file mapping whose bytes can
// also be copied out (pread) instead of faulted in.
Result<CounterLog> DispatchBytes(std::string_view name, std::span<const std::byte> data,
                                 const ReadOptions& options, const internal::InputCopier& copy) {
  PERFLEAK_RETURN_NOT_OK(options.Validate());
  if (data.empty()) {
    return Status::UnknownFormat(std::string(name) +
                                 ": file is empty (0 bytes); hint: the upload or copy may have "
                                 "been cut short");
  }
  switch (DetectFormat(data)) {
    case DetectedFormat::kPdhCsv:
    case DetectedFormat::kPdhTsv:
      return csv::ReadPdhText(name, data, options, copy);
    case DetectedFormat::kBlg:
      return blg::ReadBlg(name, blg::EtlInput(data, copy ? &copy : nullptr), options);
    case DetectedFormat::kEtlNotPdh:
      return Status::UnknownFormat(std::string(name) +
                                   ": an ETW trace (.etl) without performance-counter events, not "
                                   "a counter log");
    case DetectedFormat::kUnknown:
      break;
  }
  return Status::UnknownFormat(
      std::string(name) +
      ": not a counter log (expected a binary .blg or a PDH-CSV/TSV text log starting with "
      "\"(PDH-CSV 4.0)\"); hint: export it with `relog LOG -f csv`");
}

// No exception crosses the API: an allocation that fails while reading (a column of a huge
// log) is a kLimitExceeded naming the file, never std::terminate.
Result<CounterLog> ReadBytes(std::string_view name, std::span<const std::byte> data,
                             const ReadOptions& options, const internal::InputCopier& copy) {
  ReadOptions resolved = options;
  resolved.max_cells = internal::EffectiveMaxCells(options, data.size());
  std::optional<Result<CounterLog>> result;
  const Status thrown = internal::CaptureExceptions(
      [&] { result.emplace(DispatchBytes(name, data, resolved, copy)); });
  if (!thrown.ok()) return Status(thrown.code(), std::string(name) + ": " + thrown.message());
  return std::move(*result);
}

}  // namespace

Result<CounterLog> ReadLogFromBuffer(std::string_view name, std::span<const std::byte> data,
                                     const ReadOptions& options) {
  return ReadBytes(name, data, options, {});
}

Result<CounterLog> ReadLog(const std::string& path, const ReadOptions& options) {
  PERFLEAK_ASSIGN_OR_RETURN(internal::MappedFile file, internal::MappedFile::Open(path));
  internal::InputCopier copy;
  if (file.is_mapped()) {
    copy = [&file](std::size_t offset, std::span<std::byte> out) {
      return file.CopyOut(offset, out);
    };
  }
  auto log = ReadBytes(path, file.data(), options, copy);
  if (file.shrank()) return internal::FileShrankError(path);
  return log;
}

}  // namespace perfleak
