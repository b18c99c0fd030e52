// Which bytes are an archive: by content (magic numbers), never by the file's name.
#pragma once

#include <cstddef>
#include <span>

namespace perfleak::internal {

/// True when `head` (the first bytes of a file or member) starts a zip, cab, 7z, tar, or a
/// gzip, bzip2 or xz stream (a compressed tar or a plain compressed file).
bool LooksLikeArchive(std::span<const std::byte> head);

/// True when `head` starts a gzip, bzip2 or xz stream: a compressed tar, or one compressed file.
bool LooksLikeCompressedStream(std::span<const std::byte> head);

}  // namespace perfleak::internal
