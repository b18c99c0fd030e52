// The ETL container of a Vista+ .blg: fixed-size ETW buffers (WMI_BUFFER_HEADER), the
// logfile-header event (TRACE_LOGFILE_HEADER) and the PDH provider's events, reassembled into
// PDH records. Layout: ../shared/docs/blg-format.md sections 3.1-3.4 (documented ETW
// structures and Geoff Chappell's public notes; byte observations in the public samples).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "blg/byte_view.h"
#include "blg/time_zone.h"
#include "common/input_copier_internal.h"
#include "perfleak/status.h"

namespace perfleak::blg {

inline constexpr std::size_t kBufferHeaderSize = 0x48;
inline constexpr std::size_t kSystemTraceHeaderSize = 32;
inline constexpr std::size_t kEventTraceHeaderSize = 48;
inline constexpr std::uint32_t kModeCircular = 0x00000002;    ///< EVENT_TRACE_FILE_MODE_CIRCULAR
inline constexpr std::uint32_t kModeCompressed = 0x04000000;  ///< EVENT_TRACE_COMPRESSED_MODE

/// The fewest buffers (64 KB each, typically) ScanEtl gives a thread: 16 MB.
inline constexpr std::size_t kMinBuffersPerSlice = 256;

/// PDH event Class.Type values seen in .blg files (blg-format.md 3.4).
enum class PdhRecordKind : std::uint8_t {
  kHeader = 0x20,
  kData = 0x22,
  kCatalog = 0x23,
  kNameTable = 0x24,
};

/// The fields of TRACE_LOGFILE_HEADER a reader uses.
struct LogfileHeader {
  std::uint32_t buffer_size = 0;
  std::uint8_t os_major = 0, os_minor = 0;
  std::uint32_t os_build = 0;
  std::uint32_t num_processors = 0;
  std::int64_t end_time_utc = 0;  ///< FILETIME
  std::uint32_t log_file_mode = 0;
  std::uint32_t buffers_written = 0;
  std::uint32_t pointer_size = 0;
  std::uint32_t events_lost = 0;
  std::uint32_t cpu_mhz = 0;
  std::optional<TimeZoneInfo> time_zone;
  std::int64_t perf_freq = 0;
  std::int64_t start_time_utc = 0;  ///< FILETIME
  std::uint32_t clock_type = 0;     ///< ReservedFlags: 1 QPC, 2 system time, 3 CPU cycles
  std::uint32_t buffers_lost = 0;
};

/// Bytes [offset, offset + size) of the input.
struct Extent {
  std::size_t offset = 0;
  std::size_t size = 0;
};

/// One PDH record: where its event's chunk lies, or (split over several events) the range of
/// its chunks in EtlContent::parts; RecordReader gives the bytes either way.
struct PdhRecord {
  std::uint8_t kind = 0;
  std::int64_t timestamp = 0;   ///< event TimeStamp of the first part: LOCAL FILETIME
  std::size_t file_offset = 0;  ///< byte offset of the first event, for messages
  std::size_t ordinal = 0;      ///< 1-based position among PDH records, for messages
  Extent bytes;                 ///< the record when it came in one event
  std::size_t first_part = 0;   ///< else its chunks: parts[first_part, first_part + num_parts)
  std::size_t num_parts = 0;
};

/// The PDH records of a file, in time order, plus what the container said about itself.
struct EtlContent {
  LogfileHeader header;
  std::vector<PdhRecord> records;
  std::vector<std::string> warnings;
  std::size_t num_buffers = 0;
  /// The chunks of records split over several events. They are joined only when decoded, into
  /// a buffer reused per record: joining them all up front copied the whole log into memory
  /// that was cold again by the time it was decoded.
  std::vector<Extent> parts;
};

/// How much of a file read through an InputCopier is copied at a time.
inline constexpr std::size_t kWindowBytes = std::size_t{2} << 20;

/// The input of ScanEtl and RecordReader: the bytes in memory, or a file read through `copy`
/// (then `data` is its mapping, for the few bytes read before the buffers: the logfile header,
/// a circular log's sequence numbers). Copying a large file in windows into a reused buffer
/// saves faulting its mapping in, which on a paravirtualised VM costs four times the copy, and
/// keeps the file out of the process's memory.
struct EtlInput {
  // Not explicit: bytes in memory are an input.
  EtlInput(std::span<const std::byte> bytes, const internal::InputCopier* file_copy = nullptr,
           std::size_t window = kWindowBytes)
      : data(bytes), copy(file_copy), window_bytes(window) {}

  ByteView data;
  const internal::InputCopier* copy = nullptr;
  std::size_t window_bytes = kWindowBytes;  ///< tests pass small windows
};

/// Gives the bytes of records, one at a time: views of the input in memory, or (a file read
/// through an InputCopier) out of a window of the file copied into a buffer it reuses. A split
/// record's chunks are joined into another reused buffer. Not thread-safe: one per thread.
class RecordReader {
 public:
  RecordReader(std::string_view name, EtlInput input) : name_(name), input_(input) {}

  /// The bytes of `rec`, valid until the next call; kIoError naming the file and the bytes
  /// when the file no longer holds them.
  Result<ByteView> Read(const EtlContent& etl, const PdhRecord& rec);

 private:
  Result<ByteView> Bytes(const Extent& extent);

  std::string_view name_;
  EtlInput input_;
  std::vector<std::byte> window_;
  std::size_t window_offset_ = 0;
  std::vector<std::byte> joined_;
};

/// True when the bytes start like an ETL file: a sane BufferSize, a SYSTEM_TRACE_HEADER with
/// HookId 0 at 0x48 and TRACE_LOGFILE_HEADER.BufferSize equal to the first dword.
bool LooksLikeEtl(ByteView data);

/// True when the PDH provider GUID {933f3bb3-943e-490d-9ced-3cbb14c14479} occurs in the bytes.
bool ContainsPdhGuid(ByteView data);

/// Walks every buffer (ordered by SequenceNumber for circular logs), validates every length,
/// and reassembles PDH records. Damage is reported in `warnings` naming the byte offset;
/// fails only when the logfile header itself is unusable or the buffers are compressed. The
/// buffers are walked in slices of at least `min_buffers_per_slice` (tests pass small ones) on
/// up to `threads` threads; the result is the same for any count.
Result<EtlContent> ScanEtl(std::string_view name, EtlInput input, std::size_t threads = 1,
                           std::size_t min_buffers_per_slice = kMinBuffersPerSlice);

}  // namespace perfleak::blg
