// ReadLog: open any supported counter log, detecting its format from the content.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "perfleak/counter_log.h"
#include "perfleak/read_options.h"
#include "perfleak/status.h"

namespace perfleak {

/// The detected kind of a byte buffer. Pre-Vista binary logs (Windows 2000/XP `.blg`, NT4
/// `.log`) have no published signature, so they are kUnknown (refused with the relog hint).
enum class DetectedFormat : std::uint8_t {
  kPdhCsv,
  kPdhTsv,
  kBlg,        ///< ETL container with PDH events (Vista+, also Server 2003 ETL writers)
  kEtlNotPdh,  ///< an ETW trace without the PDH provider
  kUnknown,
};

/// Looks at the first bytes (BOM, `"(PDH-CSV 4.0)`, ETL buffer header) and, for text with a
/// damaged first cell, at the shape of the second line.
DetectedFormat DetectFormat(std::span<const std::byte> head);

/// Reads the file at `path`. Fails with kIoError (missing, unreadable, a directory),
/// kUnknownFormat, kUnsupportedFormat, kParseError (with file, line/record and byte offset)
/// or kLimitExceeded. Non-fatal problems end up in CounterLog::warnings.
Result<CounterLog> ReadLog(const std::string& path, const ReadOptions& options = {});

/// Same as ReadLog, for bytes already in memory; `name` is used in messages.
Result<CounterLog> ReadLogFromBuffer(std::string_view name, std::span<const std::byte> data,
                                     const ReadOptions& options = {});

}  // namespace perfleak
