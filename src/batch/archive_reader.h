// ArchiveReader: one sequential pass through an archive with libarchive, from a file or from
// memory (an archive inside an archive). Members are read into memory, never to disk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "batch/archive_budget.h"
#include "perfleak/log_input.h"
#include "perfleak/status.h"

struct archive;

namespace perfleak::internal {

/// One entry of an archive, as its header says.
struct ArchiveEntry {
  std::size_t index = 0;  ///< ordinal among the archive's entries, 0 = first
  std::string name;       ///< as stored: raw, untrusted bytes
  bool regular = false;   ///< a regular file (not a folder, link or device)
  bool encrypted = false;
  std::int64_t header_offset = 0;  ///< byte of the entry's header in the archive
  std::int64_t size = -1;          ///< uncompressed bytes, -1 when the header does not say
};

class ArchiveReader {
 public:
  /// Opens the archive file `file`; `path` is its display path for messages. kIoError when it
  /// cannot be opened or its format is not one of zip, cab, 7z, tar, gzip, bzip2, xz.
  static Result<ArchiveReader> OpenFile(const std::string& file, std::string path);
  /// Opens an archive held in `data`, which must outlive the reader.
  static Result<ArchiveReader> OpenMemory(std::span<const std::byte> data, std::string path);

  ArchiveReader(ArchiveReader&&) noexcept;
  ArchiveReader& operator=(ArchiveReader&&) noexcept;
  ~ArchiveReader();

  /// Moves to the next entry (skipping what is left of the current one). False at the end;
  /// kIoError naming the archive and the byte when it is damaged there (nothing after it can
  /// be reached).
  Result<bool> Next(ArchiveEntry* entry);
  /// Moves to the entry `ref` names (its index, checked against its name). kIoError when the
  /// archive ends first or the entry there has another name (the archive changed).
  Status Seek(const ArchiveMemberRef& ref, ArchiveEntry* entry);
  /// Appends the current entry's data to `out`, at most `max_bytes` of it, counting what is
  /// inflated on `budget`; `member_path` names the member in messages. kIoError (archive byte
  /// and member header offsets) when the data is damaged or cut, kLimitExceeded from `budget`.
  Status Read(const ArchiveEntry& entry, std::string_view member_path, std::uint64_t max_bytes,
              InflateBudget* budget, std::vector<std::byte>* out);

  /// True for a plain compressed file (`log.csv.gz`): one entry whose header has no name.
  bool single_file() const { return single_file_; }
  const std::string& path() const { return path_; }

 private:
  ArchiveReader(archive* handle, std::string path, bool single_file);
  std::int64_t ArchiveByte() const;

  archive* a_ = nullptr;
  std::string path_;
  bool single_file_ = false;
  std::size_t next_index_ = 0;
};

}  // namespace perfleak::internal
