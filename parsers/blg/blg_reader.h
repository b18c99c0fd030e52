// Internal entry points of the native .blg (ETL container + PDH events) reader.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>

#include "blg/etl.h"
#include "common/row_source_internal.h"
#include "perfleak/counter_log.h"
#include "perfleak/read_options.h"
#include "perfleak/reader.h"
#include "perfleak/status.h"

namespace perfleak::blg {

/// kBlg for an ETL file whose events come from the PDH provider, kEtlNotPdh for other ETW
/// traces, kUnknown otherwise (pre-ETL binary logs included: they have no known signature).
DetectedFormat Sniff(std::span<const std::byte> data);

/// Decodes a whole .blg: bytes in memory, or a file read through an InputCopier (EtlInput).
/// `name` is used in messages.
Result<CounterLog> ReadBlg(std::string_view name, EtlInput input, const ReadOptions& options);

/// The fewest data records ReadBlg gives a thread of its own: below it a range decodes faster
/// than threads start and join.
inline constexpr std::size_t kMinRecordsPerRange = 512;

/// How ReadBlgInRanges decoded a log, for tests: the number of ranges joined into the result
/// (1: one decode of all records), and whether a split decode was discarded for a sequential
/// one.
struct RangeDecodeInfo {
  std::size_t ranges = 1;
  bool fell_back = false;
};

/// ReadBlg with the smallest range of data records as a knob, so that tests split small logs.
/// With more than one thread (ReadOptions::num_threads) and at least twice
/// `min_records_per_range` data records, the records are decoded as contiguous ranges in
/// parallel and joined; the result is always what the one-thread decode gives (a log whose
/// ranges cannot be joined exactly, e.g. one that warns, is decoded again on one thread).
Result<CounterLog> ReadBlgInRanges(std::string_view name, EtlInput input,
                                   const ReadOptions& options, std::size_t min_records_per_range,
                                   RangeDecodeInfo* info = nullptr);

/// A .blg to be written as it is decoded (convert): reads it through once for its columns,
/// samples and warnings, keeping no value (in ranges on several threads as ReadBlgInRanges
/// decodes, `min_records_per_range` and `info` as there), and fails as ReadBlg fails; its
/// FillRows then
/// decodes the rows asked for, the same values ReadBlg gives. The input (its bytes, its
/// InputCopier) must outlive it. The memory does not bound the cells (no column is held);
/// ReadOptions::max_cells, given, does.
Result<std::unique_ptr<internal::RowSource>> OpenBlgRows(
    std::string_view name, EtlInput input, const ReadOptions& options,
    std::size_t min_records_per_range = kMinRecordsPerRange, RangeDecodeInfo* info = nullptr);

}  // namespace perfleak::blg
