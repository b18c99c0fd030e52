// Internal entry point of the PDH-CSV / PDH-TSV reader.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string_view>

#include "common/input_copier_internal.h"
#include "perfleak/counter_log.h"
#include "perfleak/read_options.h"
#include "perfleak/status.h"

namespace perfleak::csv {

/// The window a thread copies a mapped file's text into: in the last-level cache, and large
/// enough that the copies are a few hundred system calls for a GB. A longer line doubles it.
inline constexpr std::size_t kCopyWindowBytes = std::size_t{2} << 20;

/// Reads a PDH-CSV or PDH-TSV log (any supported encoding). `name` is used in messages. The
/// delimiter and header form are sniffed from the content. When `copy` is set (`data` is a
/// file mapping), 8-bit text is scanned through windows of `copy_window` bytes it fills, and
/// `data` is read only for the header and the chunk boundaries: the mapping is never faulted
/// in. (Tests and the fuzzer make the window small to cut lines everywhere.)
Result<CounterLog> ReadPdhText(std::string_view name, std::span<const std::byte> data,
                               const ReadOptions& options, const internal::InputCopier& copy = {},
                               std::size_t copy_window = kCopyWindowBytes);

/// True when the bytes start like a PDH text log, including the damaged forms seen in the
/// wild (missing `(PDH-CSV 4.0)` prefix, as long as line 2 starts with a PDH timestamp).
/// Sets *tsv for tab-separated logs.
bool LooksLikePdhText(std::span<const std::byte> head, bool* tsv);

}  // namespace perfleak::csv
