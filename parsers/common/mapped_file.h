// MappedFile: read-only view of a whole file, memory-mapped where possible.
#pragma once

#include <atomic>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "perfleak/status.h"

namespace perfleak::internal {

/// Owns a read-only mapping of a file (or, for small files, pipes and special files, a heap
/// copy read with read()). The bytes returned by data() stay valid until the MappedFile is
/// destroyed or moved from; views into them (string_view, span) must not outlive it.
///
/// The mapping is guarded: a file cut shorter while mapped (a log copied while its collector
/// still writes it, a share that truncates) would raise SIGBUS on the first read past its new
/// end. A process-wide SIGBUS handler turns such a page into zeros instead and records it;
/// readers then see NUL bytes, and shrank() tells the caller to discard what they read.
class MappedFile {
 public:
  /// Regular files smaller than this are read into memory, not mapped.
  static constexpr std::size_t kReadBelowBytes = std::size_t{1} << 20;

  /// kIoError for a missing path, a directory, or a read failure; the message names the path.
  static Result<MappedFile> Open(const std::string& path);

  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::span<const std::byte> data() const { return {data_, size_}; }
  bool is_mapped() const { return mapped_; }

  /// Copies the file's bytes [offset, offset + out.size()) into `out` with pread, without
  /// touching the mapping: a reader that scans a large file through a reused buffer saves the
  /// page faults of mapping it in (dear on a paravirtualised VM) and keeps it out of its RSS.
  /// Safe from several threads. False when the file no longer holds those bytes (it was cut
  /// shorter) or cannot be read; shrank() then reports it. A file read into memory copies
  /// from there (false past its end).
  bool CopyOut(std::size_t offset, std::span<std::byte> out) const;
  std::size_t size() const { return size_; }

  /// True when a read of the mapping met a page the file no longer has (it was truncated
  /// while mapped); what was read from it is not the file's content.
  bool shrank() const;

 private:
  void Unmap();

  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false;
  int fd_ = -1;  // a mapped file's descriptor, for CopyOut
  mutable std::atomic<bool> copy_failed_{false};
  int guard_slot_ = -1;  // index in the SIGBUS guard's table of live mappings
  std::vector<std::byte> fallback_;
};

/// The error for a file that MappedFile::shrank() while `path` was read.
Status FileShrankError(const std::string& path);

}  // namespace perfleak::internal
