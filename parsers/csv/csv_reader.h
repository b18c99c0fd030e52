// Internal entry point of the PDH-CSV / PDH-TSV reader.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string_view>

#include "perfleak/counter_log.h"
#include "perfleak/read_options.h"
#include "perfleak/status.h"

namespace perfleak::csv {

/// Called with byte ranges [begin, end) of the input that the reader no longer needs.
using InputReleaser = std::function<void(std::size_t begin, std::size_t end)>;

/// Reads a PDH-CSV or PDH-TSV log held in memory (any supported encoding). `name` is used
/// in messages. The delimiter and header form are sniffed from the content. When `release`
/// is set (a file mapping), consumed input ranges are passed to it as decoding proceeds.
Result<CounterLog> ReadPdhText(std::string_view name, std::span<const std::byte> data,
                               const ReadOptions& options, const InputReleaser& release = {});

/// True when the bytes start like a PDH text log, including the damaged forms seen in the
/// wild (missing `(PDH-CSV 4.0)` prefix, as long as line 2 starts with a PDH timestamp).
/// Sets *tsv for tab-separated logs.
bool LooksLikePdhText(std::span<const std::byte> head, bool* tsv);

}  // namespace perfleak::csv
