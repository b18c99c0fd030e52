#include "batch/archive_reader.h"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <utility>

#include "batch/archive_format.h"

namespace perfleak::internal {

namespace {

// Reads of the archive file: large blocks, so a big zip is read with few system calls.
constexpr std::size_t kFileBlockBytes = std::size_t{1} << 20;
// Members are inflated in slices of this size, each counted on the budget before the next.
constexpr std::size_t kReadSliceBytes = std::size_t{1} << 20;
// A header's size is trusted for the first allocation only up to this; beyond, the buffer
// grows as the data really arrives (a lying header cannot reserve the limit at once).
constexpr std::uint64_t kMaxUpfrontReserve = std::uint64_t{1} << 30;

// Only formats and filters libarchive decodes in-process: never one that runs an external
// program (lzop, lrzip, grzip), and the raw format only for a compressed stream, where it
// stands for the one file inside (else it would take any damaged archive as one member).
archive* NewReader(bool compressed_stream) {
  archive* a = archive_read_new();
  if (a == nullptr) return nullptr;
  archive_read_support_format_zip(a);
  archive_read_support_format_cab(a);
  archive_read_support_format_7zip(a);
  archive_read_support_format_tar(a);
  archive_read_support_filter_gzip(a);
  archive_read_support_filter_bzip2(a);
  archive_read_support_filter_xz(a);
  if (compressed_stream) archive_read_support_format_raw(a);
  return a;
}

std::string ErrorText(archive* a) {
  const char* text = archive_error_string(a);
  return text != nullptr && *text != '\0' ? text : "unknown libarchive error";
}

bool MentionsEncryption(const std::string& text) {
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("passphrase") != std::string::npos ||
         lower.find("encrypt") != std::string::npos;
}

std::string DamageHint(const std::string& error) {
  return MentionsEncryption(error)
             ? "hint: the archive is encrypted; perfleak takes no passwords: extract it with its "
               "password and analyse the folder"
             : "hint: the archive may be truncated or damaged (copy it again); the members "
               "before this point are read";
}

std::array<std::byte, 8> FileHead(const std::string& file) {
  std::array<std::byte, 8> head{};
  std::ifstream in(file, std::ios::binary);
  in.read(reinterpret_cast<char*>(head.data()), head.size());
  return head;
}

}  // namespace

ArchiveReader::ArchiveReader(archive* handle, std::string path, bool single_file)
    : a_(handle), path_(std::move(path)), single_file_(single_file) {}

ArchiveReader::ArchiveReader(ArchiveReader&& other) noexcept
    : a_(std::exchange(other.a_, nullptr)),
      path_(std::move(other.path_)),
      single_file_(other.single_file_),
      next_index_(other.next_index_) {}

ArchiveReader& ArchiveReader::operator=(ArchiveReader&& other) noexcept {
  if (this == &other) return *this;
  if (a_ != nullptr) archive_read_free(a_);
  a_ = std::exchange(other.a_, nullptr);
  path_ = std::move(other.path_);
  single_file_ = other.single_file_;
  next_index_ = other.next_index_;
  return *this;
}

ArchiveReader::~ArchiveReader() {
  if (a_ != nullptr) archive_read_free(a_);
}

Result<ArchiveReader> ArchiveReader::OpenFile(const std::string& file, std::string path) {
  const bool compressed = LooksLikeCompressedStream(FileHead(file));
  archive* a = NewReader(compressed);
  if (a == nullptr) return Status::LimitExceeded(path + ": out of memory opening the archive");
  ArchiveReader reader(a, std::move(path), false);
  if (archive_read_open_filename(a, file.c_str(), kFileBlockBytes) != ARCHIVE_OK) {
    const std::string error = ErrorText(a);
    return Status::IoError(
        fmt::format("{}: cannot open the archive: {}; {}", reader.path_, error, DamageHint(error)));
  }
  reader.single_file_ = archive_format(a) == ARCHIVE_FORMAT_RAW;
  return reader;
}

Result<ArchiveReader> ArchiveReader::OpenMemory(std::span<const std::byte> data, std::string path) {
  archive* a = NewReader(LooksLikeCompressedStream(data));
  if (a == nullptr) return Status::LimitExceeded(path + ": out of memory opening the archive");
  ArchiveReader reader(a, std::move(path), false);
  // Handed over in blocks, so the bytes a member consumed can be told (the ratio limit).
  if (archive_read_open_memory2(a, data.data(), data.size(), kReadSliceBytes / 16) != ARCHIVE_OK) {
    const std::string error = ErrorText(a);
    return Status::IoError(
        fmt::format("{}: cannot open the archive: {}; {}", reader.path_, error, DamageHint(error)));
  }
  reader.single_file_ = archive_format(a) == ARCHIVE_FORMAT_RAW;
  return reader;
}

std::int64_t ArchiveReader::ArchiveByte() const { return archive_filter_bytes(a_, -1); }

Result<bool> ArchiveReader::Next(ArchiveEntry* entry) {
  archive_entry* header = nullptr;
  const int status = archive_read_next_header(a_, &header);
  if (status == ARCHIVE_EOF) return false;
  if (status < ARCHIVE_WARN) {
    const std::string error = ErrorText(a_);
    return Status::IoError(fmt::format("{}: damaged archive at byte {} (after {} entries): {}; {}",
                                       path_, ArchiveByte(), next_index_, error,
                                       DamageHint(error)));
  }
  // Format-specific readers set archive_format only once the first header is read.
  if (next_index_ == 0) single_file_ = archive_format(a_) == ARCHIVE_FORMAT_RAW;
  entry->index = next_index_++;
  const char* name = archive_entry_pathname(header);
  if (name == nullptr) name = archive_entry_pathname_utf8(header);
  entry->name = name != nullptr ? name : "";
  entry->regular = archive_entry_filetype(header) == AE_IFREG;
  entry->encrypted = archive_entry_is_encrypted(header) != 0;
  entry->header_offset = archive_read_header_position(a_);
  entry->size = archive_entry_size_is_set(header) != 0 ? archive_entry_size(header) : -1;
  return true;
}

Status ArchiveReader::Seek(const ArchiveMemberRef& ref, ArchiveEntry* entry) {
  while (true) {
    PERFLEAK_ASSIGN_OR_RETURN(const bool found, Next(entry));
    if (!found || entry->index > ref.index) break;
    if (entry->index < ref.index) continue;
    if (entry->name == ref.name) return Status::OK();
    break;
  }
  return Status::IoError(fmt::format(
      "{}: the member is no longer in the archive (it changed since it was listed)", path_));
}

Status ArchiveReader::Read(const ArchiveEntry& entry, std::string_view member_path,
                           std::uint64_t max_bytes, InflateBudget* budget,
                           std::vector<std::byte>* out) {
  if (entry.size > 0) {
    const auto expected = std::min<std::uint64_t>(
        {static_cast<std::uint64_t>(entry.size), max_bytes, kMaxUpfrontReserve});
    out->reserve(out->size() + static_cast<std::size_t>(expected));
  }
  const std::int64_t start = ArchiveByte();
  std::uint64_t produced = 0;
  while (produced < max_bytes) {
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(kReadSliceBytes, max_bytes - produced));
    const std::size_t before = out->size();
    out->resize(before + want);
    const la_ssize_t got = archive_read_data(a_, out->data() + before, want);
    out->resize(before + static_cast<std::size_t>(std::max<la_ssize_t>(got, 0)));
    if (got < 0) {
      const std::string error = ErrorText(a_);
      return Status::IoError(fmt::format(
          "{}: cannot read the member at archive byte {} (its header is at byte {}): {}; {}",
          member_path, ArchiveByte(), entry.header_offset, error, DamageHint(error)));
    }
    if (got == 0) break;
    produced += static_cast<std::uint64_t>(got);
    const auto consumed =
        static_cast<std::uint64_t>(std::max<std::int64_t>(0, ArchiveByte() - start));
    PERFLEAK_RETURN_NOT_OK(
        budget->Count(member_path, static_cast<std::uint64_t>(got), produced, consumed));
  }
  return Status::OK();
}

}  // namespace perfleak::internal
