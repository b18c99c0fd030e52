#include "perfleak/reader.h"

#include "blg/blg_reader.h"
#include "common/mapped_file.h"
#include "csv/csv_reader.h"

namespace perfleak {

Status ReadOptions::Validate() const {
  for (const std::string& p : counter_patterns) {
    auto parsed = CounterPattern::Parse(p);
    if (!parsed.ok()) return parsed.status();
  }
  if (max_counters == 0 || max_field_bytes == 0 || max_cells == 0) {
    return Status::InvalidArgument("read limits must be positive");
  }
  return Status::OK();
}

DetectedFormat DetectFormat(std::span<const std::byte> head) {
  bool tsv = false;
  if (csv::LooksLikePdhText(head, &tsv))
    return tsv ? DetectedFormat::kPdhTsv : DetectedFormat::kPdhCsv;
  return blg::Sniff(head);
}

namespace {

// The one dispatch by content. `release` is set when `data` is a file mapping whose decoded
// pages may be dropped as the reader goes.
Result<CounterLog> ReadBytes(std::string_view name, std::span<const std::byte> data,
                             const ReadOptions& options, const csv::InputReleaser& release) {
  PERFLEAK_RETURN_NOT_OK(options.Validate());
  if (data.empty()) {
    return Status::UnknownFormat(std::string(name) +
                                 ": file is empty (0 bytes); hint: the upload or copy may have "
                                 "been cut short");
  }
  switch (DetectFormat(data)) {
    case DetectedFormat::kPdhCsv:
    case DetectedFormat::kPdhTsv:
      return csv::ReadPdhText(name, data, options, release);
    case DetectedFormat::kBlg:
      return blg::ReadBlg(name, data, options);
    case DetectedFormat::kEtlNotPdh:
      return Status::UnknownFormat(std::string(name) +
                                   ": an ETW trace (.etl) without performance-counter events, not "
                                   "a counter log");
    case DetectedFormat::kLegacyBinary:
      return Status::Unsupported(
          std::string(name) +
          ": a pre-Vista binary perfmon log (Windows 2000/XP or NT4 format), which perfleak "
          "cannot decode; hint: on Windows run `relog " +
          std::string(name) + " -f csv -o log.csv` and analyse the CSV");
    case DetectedFormat::kUnknown:
      break;
  }
  return Status::UnknownFormat(
      std::string(name) +
      ": not a counter log (expected a binary .blg or a PDH-CSV/TSV text log starting with "
      "\"(PDH-CSV 4.0)\"); hint: export it with `relog LOG -f csv`");
}

}  // namespace

Result<CounterLog> ReadLogFromBuffer(std::string_view name, std::span<const std::byte> data,
                                     const ReadOptions& options) {
  return ReadBytes(name, data, options, {});
}

Result<CounterLog> ReadLog(const std::string& path, const ReadOptions& options) {
  PERFLEAK_ASSIGN_OR_RETURN(internal::MappedFile file, internal::MappedFile::Open(path));
  csv::InputReleaser release;
  if (file.is_mapped()) {
    release = [&file](std::size_t begin, std::size_t end) { file.Release(begin, end); };
  }
  return ReadBytes(path, file.data(), options, release);
}

}  // namespace perfleak
