// ReadLogInput: a file through ReadLog, an archive member decoded from memory.
#include "perfleak/log_input.h"

#include <fmt/format.h>

#include <utility>
#include <vector>

#include "batch/archive_reader.h"
#include "batch/member_name.h"
#include "common/parallel_for_internal.h"
#include "perfleak/reader.h"
#include "perfleak/writer.h"

namespace perfleak {

Status ArchiveOptions::Validate() const {
  if (max_depth == 0 || max_bytes == 0 || !(max_ratio > 0.0)) {
    return Status::InvalidArgument(
        "archive limits must be positive (--archive-depth, --archive-max-bytes, "
        "--archive-max-ratio)");
  }
  return Status::OK();
}

namespace {

// The member's bytes, read through the archives it sits in (each held in memory while the
// next level is read from it).
Status ReadMemberBytes(const LogInput& input, const ArchiveOptions& options,
                       std::vector<std::byte>* out) {
  internal::InflateBudget budget(options, input.file);
  PERFLEAK_ASSIGN_OR_RETURN(internal::ArchiveReader reader,
                            internal::ArchiveReader::OpenFile(input.file, input.file));
  std::vector<std::vector<std::byte>> containers;
  std::string shown = input.file;
  for (std::size_t level = 0; level < input.members.size(); ++level) {
    const ArchiveMemberRef& ref = input.members[level];
    const bool last = level + 1 == input.members.size();
    internal::ArchiveEntry entry;
    PERFLEAK_RETURN_NOT_OK(reader.Seek(ref, &entry));
    shown = last ? input.path
                 : shown + "!/" +
                       (reader.single_file() ? internal::CompressedFileMemberName(shown)
                                             : internal::ShowMemberName(ref.name));
    if (entry.encrypted) {
      return Status::Unsupported(fmt::format(
          "{}: the member is encrypted; hint: perfleak takes no passwords: extract the bundle "
          "with its password and analyse the folder",
          shown));
    }
    std::vector<std::byte> data;
    PERFLEAK_RETURN_NOT_OK(reader.Read(entry, shown, options.max_bytes, &budget, &data));
    if (last) {
      *out = std::move(data);
      return Status::OK();
    }
    containers.push_back(std::move(data));  // moving a vector keeps its bytes where they are
    PERFLEAK_ASSIGN_OR_RETURN(reader,
                              internal::ArchiveReader::OpenMemory(containers.back(), shown));
  }
  return Status::InvalidArgument(input.path + ": not an archive member");
}

}  // namespace

namespace {

// The bytes of an archive member; exceptions (a member too large to hold) become a Status
// naming it.
Status ReadMember(const LogInput& input, const ArchiveOptions& archive,
                  std::vector<std::byte>* bytes) {
  PERFLEAK_RETURN_NOT_OK(archive.Validate());
  Status st;
  const Status thrown =
      internal::CaptureExceptions([&] { st = ReadMemberBytes(input, archive, bytes); });
  if (!thrown.ok()) return Status(thrown.code(), input.path + ": " + thrown.message());
  return st;
}

}  // namespace

Result<CounterLog> ReadLogInput(const LogInput& input, const ReadOptions& read,
                                const ArchiveOptions& archive) {
  if (input.members.empty()) return ReadLog(input.file, read);
  std::vector<std::byte> bytes;
  PERFLEAK_RETURN_NOT_OK(ReadMember(input, archive, &bytes));
  return ReadLogFromBuffer(input.path, bytes, read);
}

Result<LogToWrite> OpenLogInputToWrite(const LogInput& input, const ReadOptions& read,
                                       const ArchiveOptions& archive) {
  if (input.members.empty()) return LogToWrite::Open(input.file, read);
  std::vector<std::byte> bytes;
  PERFLEAK_RETURN_NOT_OK(ReadMember(input, archive, &bytes));
  return LogToWrite::FromBuffer(input.path, std::move(bytes), read);
}

}  // namespace perfleak
