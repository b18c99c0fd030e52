// The cell cap a read uses when ReadOptions::max_cells is 0 (the default): derived from the
// machine's memory and the input, so a log too large for the host fails with the documented
// "limit exceeded" message before its columns are allocated, not with an allocation failure.
#pragma once

#include <cstddef>
#include <cstdint>

#include "perfleak/read_options.h"

namespace perfleak::internal {

/// Physical memory of this machine in bytes (sysconf), 0 when unknown.
std::uint64_t PhysicalMemoryBytes();

/// Counters x samples that fit in 3/4 of `physical_bytes` less the input's own
/// `input_bytes` (a mapped file's pages, or its UTF-8 copy), at 8 bytes a cell; at least
/// 1 Mi cells, so a small log always reads. With `physical_bytes` 0 (unknown): 2^32 cells.
std::size_t AutoMaxCells(std::uint64_t physical_bytes, std::uint64_t input_bytes);

/// `options.max_cells`, or AutoMaxCells for this machine when it is 0.
std::size_t EffectiveMaxCells(const ReadOptions& options, std::uint64_t input_bytes);

}  // namespace perfleak::internal
