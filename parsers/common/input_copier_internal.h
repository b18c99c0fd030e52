// InputCopier: how a reader copies a large file's bytes out with pread instead of faulting its
// mapping in (MappedFile::CopyOut). On a paravirtualised VM, faulting a GB of mapping in costs
// four times copying it through a reused buffer, and the copied file never counts against the
// process's memory.
#pragma once

#include <cstddef>
#include <functional>
#include <span>

namespace perfleak::internal {

/// Copies the input's bytes [offset, offset + out.size()) into `out`; false when it cannot
/// (the file was cut shorter while it was read). Must be safe to call from several threads.
using InputCopier = std::function<bool(std::size_t offset, std::span<std::byte> out)>;

}  // namespace perfleak::internal
