// LogInput: one log to read, a file or a member of an archive (a case bundle: .zip, .cab, .7z,
// .tar, .tar.gz/.bz2/.xz, plain .gz), and the limits that keep hostile archives harmless.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "perfleak/counter_log.h"
#include "perfleak/read_options.h"
#include "perfleak/status.h"
#include "perfleak/writer.h"

namespace perfleak {

/// Limits for reading archives. Members are decoded from memory, never extracted to disk; a
/// member is read whole into one buffer, so these bound the memory a bundle can take.
struct ArchiveOptions {
  /// Archives inside archives are opened up to this depth: 1 = only archives on disk, 2 = a
  /// zip inside a zip (the default). Deeper archives are listed as failed.
  std::size_t max_depth = 2;
  /// Uncompressed bytes read from one archive in one pass (listing its members, or reading one
  /// member together with the archives it sits in). `--archive-max-bytes`.
  std::uint64_t max_bytes = std::uint64_t{16} << 30;
  /// A member that inflates to more than this many times its compressed size is stopped (a
  /// zip bomb). Checked once the member is past 64 MiB, so small, very regular logs never trip
  /// it. `--archive-max-ratio`.
  double max_ratio = 1000.0;

  /// kInvalidArgument when max_depth, max_bytes or max_ratio is not positive.
  Status Validate() const;
};

/// One member on the way into nested archives: its ordinal among the archive's entries (0 =
/// first) and its name as stored (raw bytes, untrusted).
struct ArchiveMemberRef {
  std::size_t index = 0;
  std::string name;
};

/// A log found by DiscoverInputs: a file, or a member of an archive.
struct LogInput {
  /// As shown everywhere (text, JSON `logs[].path`, HTML): the file's path, or for a member
  /// `case-4711.zip!/TSS/Perfmon/DataCollector01.blg` (nested: `a.zip!/b.zip!/x.blg`), with
  /// control characters shown as `?` and bytes that are not UTF-8 as U+FFFD.
  std::string path;
  /// The file on disk (for a member, the outermost archive).
  std::string file;
  /// The way to the member, outermost archive first; empty for a plain file.
  std::vector<ArchiveMemberRef> members;
  /// For a member, the archive holding it as shown (`a.zip` or `a.zip!/b.zip`); else empty.
  std::string archive;
  /// Bytes to decode: the file's size, or a member's uncompressed size (0 when unknown).
  std::uint64_t size = 0;

  friend bool operator==(const LogInput& a, const LogInput& b) { return a.path == b.path; }
  friend auto operator<=>(const LogInput& a, const LogInput& b) { return a.path <=> b.path; }
};

/// Reads one input: a file with ReadLog, a member by opening its archive(s) and decoding the
/// member from memory. Fails as ReadLog does (messages name `input.path`), and for members
/// with kIoError when the archive is damaged at the member (archive byte offset and member
/// header offset in the message), kUnsupportedFormat for an encrypted member, and
/// kLimitExceeded ("limit exceeded", naming the member) beyond `archive`'s limits.
Result<CounterLog> ReadLogInput(const LogInput& input, const ReadOptions& read,
                                const ArchiveOptions& archive = {});

/// Opens one input to be written as PDH text (LogToWrite: a file with LogToWrite::Open, a
/// member from its bytes). Fails as ReadLogInput does.
Result<LogToWrite> OpenLogInputToWrite(const LogInput& input, const ReadOptions& read,
                                       const ArchiveOptions& archive = {});

}  // namespace perfleak
