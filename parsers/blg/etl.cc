#include "blg/etl.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

#include "common/parallel_for_internal.h"

namespace perfleak::blg {

namespace {

// {933f3bb3-943e-490d-9ced-3cbb14c14479} in its on-disk (little-endian GUID) byte order.
constexpr std::array<unsigned char, 16> kPdhGuid = {0xb3, 0x3b, 0x3f, 0x93, 0x3e, 0x94, 0x0d, 0x49,
                                                    0x9c, 0xed, 0x3c, 0xbb, 0x14, 0xc1, 0x44, 0x79};

// TRACE_LOGFILE_HEADER follows the 32-byte SYSTEM_TRACE_HEADER of the first event.
constexpr std::size_t kLogfileHeaderOffset = kBufferHeaderSize + kSystemTraceHeaderSize;
constexpr std::uint32_t kMinBufferSize = 1024;
constexpr std::uint32_t kMaxBufferSize = 64u << 20;
// A record of more parts than this is corrupt: PDH splits at about 8 KB, and 65536 parts
// would be a 512 MiB sample.
constexpr std::uint32_t kMaxParts = 65536;

bool IsSystemHeaderType(std::uint8_t header_type) { return header_type == 1 || header_type == 2; }

bool IsPdhGuidAt(ByteView b, std::size_t off) {
  if (!b.Has(off, kPdhGuid.size())) return false;
  return std::memcmp(b.span().data() + off, kPdhGuid.data(), kPdhGuid.size()) == 0;
}

std::size_t Align8(std::size_t n) { return (n + 7) & ~std::size_t{7}; }

Result<LogfileHeader> DecodeLogfileHeader(std::string_view name, ByteView data,
                                          std::vector<std::string>& warnings) {
  LogfileHeader h;
  const std::size_t event_size = data.At<std::uint16_t>(kBufferHeaderSize + 4);
  const std::uint8_t header_type = data.At<std::uint8_t>(kBufferHeaderSize + 2);
  // The event's own Size bounds the structure; never read past it into the next event.
  auto ev = data.Sub(kBufferHeaderSize,
                     std::min<std::size_t>(event_size, data.size() - kBufferHeaderSize));
  if (!ev || ev->size() < kSystemTraceHeaderSize + 0x38) {
    return Status::ParseError(
        fmt::format("{}: ETL logfile-header event at byte 0x48 is {} bytes, too short for a "
                    "TRACE_LOGFILE_HEADER; hint: the file is damaged at its start",
                    name, event_size));
  }
  const ByteView l = *ev->Sub(kSystemTraceHeaderSize, ev->size() - kSystemTraceHeaderSize);
  h.buffer_size = l.At<std::uint32_t>(0x00);
  const std::uint32_t version = l.At<std::uint32_t>(0x04);
  h.os_major = static_cast<std::uint8_t>(version & 0xFF);
  h.os_minor = static_cast<std::uint8_t>((version >> 8) & 0xFF);
  h.os_build = l.At<std::uint32_t>(0x08);
  h.num_processors = l.At<std::uint32_t>(0x0C);
  h.end_time_utc = l.At<std::int64_t>(0x10);
  h.log_file_mode = l.At<std::uint32_t>(0x20);
  h.buffers_written = l.At<std::uint32_t>(0x24);
  h.pointer_size = l.At<std::uint32_t>(0x2C);
  h.events_lost = l.At<std::uint32_t>(0x30);
  h.cpu_mhz = l.At<std::uint32_t>(0x34);
  if (h.pointer_size != 4 && h.pointer_size != 8) {
    const std::uint32_t guessed = header_type == 2 ? 8 : 4;
    warnings.push_back(fmt::format(
        "{}: logfile header at byte 0x{:x} gives pointer size {}; using {} from the header type",
        name, kLogfileHeaderOffset + 0x2C, h.pointer_size, guessed));
    h.pointer_size = guessed;
  }
  // LoggerName and LogFileName are pointer-sized; TIME_ZONE_INFORMATION follows them, then
  // 4 bytes of padding that align the LARGE_INTEGERs.
  const std::size_t tz_off = 0x38 + 2 * std::size_t{h.pointer_size};
  if (auto tz_bytes = l.Sub(tz_off, TimeZoneInfo::kSize)) {
    h.time_zone = TimeZoneInfo::Decode(*tz_bytes);
  }
  const std::size_t after_tz = tz_off + TimeZoneInfo::kSize + 4;
  if (l.Has(after_tz, 32)) {
    h.perf_freq = l.At<std::int64_t>(after_tz + 8);
    h.start_time_utc = l.At<std::int64_t>(after_tz + 16);
    h.clock_type = l.At<std::uint32_t>(after_tz + 24);
    h.buffers_lost = l.At<std::uint32_t>(after_tz + 28);
  } else {
    warnings.push_back(fmt::format(
        "{}: logfile header event at byte 0x48 is cut short ({} bytes): no time zone or start "
        "time; times are taken as UTC",
        name, event_size));
  }
  return h;
}

// Session GUID (16) + part (u32, 1-based) + nparts (u32) open a PDH event's payload, then
// its chunk of the record.
constexpr std::size_t kFramingSize = 24;

// A PDH event found in a buffer, or (warning >= 0) a warning of the walk, in file order.
struct FoundEvent {
  std::uint8_t kind = 0;
  std::int64_t timestamp = 0;
  std::size_t offset = 0;  ///< of the event
  std::size_t payload_size = 0;
  std::uint32_t part = 0, nparts = 0;  ///< when payload_size >= kFramingSize
  Extent chunk;
  std::int64_t warning = -1;  ///< index in BufferWalk::warnings
};

struct BufferWalk {
  std::vector<FoundEvent> events;
  std::vector<std::string> warnings;
  Status status;  ///< a copy of the file that failed
  // A file read through an InputCopier: the buffers copied last, from window_offset.
  std::vector<std::byte> window;
  std::size_t window_offset = 0;

  void Warn(std::string message) {
    FoundEvent e;
    e.warning = static_cast<std::int64_t>(warnings.size());
    events.push_back(e);
    warnings.push_back(std::move(message));
  }
};

// Rebuilds PDH records from the (GUID, part, nparts, chunk) framing of PDH event payloads.
class RecordAssembler {
 public:
  RecordAssembler(std::string_view name, EtlContent& out) : name_(name), out_(out) {}

  // `e` as the walk found it: its payload's size and, when it holds the framing, the part
  // numbers and the chunk.
  void Add(const FoundEvent& e) {
    const std::size_t event_offset = e.offset;
    const std::uint32_t part = e.part, nparts = e.nparts;
    const std::uint8_t kind = e.kind;
    if (e.payload_size < kFramingSize) {
      Warn(
          fmt::format("PDH event at byte {} has a {}-byte payload, too short for its framing; "
                      "skipped",
                      event_offset, e.payload_size));
      Drop(event_offset);
      return;
    }
    if (part == 0 || nparts == 0 || part > nparts || nparts > kMaxParts) {
      Warn(fmt::format("PDH event at byte {} claims part {} of {}; skipped", event_offset, part,
                       nparts));
      Drop(event_offset);
      return;
    }
    if (part == 1) {
      Drop(event_offset);
      current_ = Pending{kind, e.timestamp, event_offset, nparts, {}};
    } else if (!current_ || part != current_->chunks.size() + 1 || nparts != current_->nparts ||
               kind != current_->kind) {
      Warn(
          fmt::format("PDH event at byte {} is part {} of {} of a record whose earlier parts are "
                      "missing; skipped",
                      event_offset, part, nparts));
      Drop(event_offset);
      return;
    }
    current_->chunks.push_back(e.chunk);
    if (part == nparts) Finish();
  }

  // Called at the end of input: an unfinished record was cut off.
  void Flush(std::size_t end_offset) {
    if (!current_) return;
    Warn(
        fmt::format("the last PDH record (starting at byte {}) is incomplete: {} of {} parts "
                    "before the end of the data at byte {}; dropped",
                    current_->offset, current_->chunks.size(), current_->nparts, end_offset));
    current_.reset();
  }

 private:
  struct Pending {
    std::uint8_t kind;
    std::int64_t timestamp;
    std::size_t offset;
    std::uint32_t nparts;
    std::vector<Extent> chunks;
  };

  void Drop(std::size_t next_offset) {
    if (!current_) return;
    Warn(fmt::format("PDH record at byte {} dropped: only {} of {} parts before byte {}",
                     current_->offset, current_->chunks.size(), current_->nparts, next_offset));
    current_.reset();
  }

  void Finish() {
    PdhRecord rec;
    rec.kind = current_->kind;
    rec.timestamp = current_->timestamp;
    rec.file_offset = current_->offset;
    rec.ordinal = out_.records.size() + 1;
    if (current_->chunks.size() == 1) {
      rec.bytes = current_->chunks.front();
    } else {
      rec.first_part = out_.parts.size();
      rec.num_parts = current_->chunks.size();
      out_.parts.insert(out_.parts.end(), current_->chunks.begin(), current_->chunks.end());
    }
    out_.records.push_back(rec);
    current_.reset();
  }

  void Warn(std::string msg) { out_.warnings.push_back(fmt::format("{}: {}", name_, msg)); }

  std::string_view name_;
  EtlContent& out_;
  std::optional<Pending> current_;
};

// Copies `extent` of a file into `out`, or says which bytes it could not read.
Status CopyExtent(std::string_view name, const internal::InputCopier& copy, Extent extent,
                  std::vector<std::byte>& out) {
  out.resize(extent.size);
  if (copy(extent.offset, out)) return Status::OK();
  return Status::IoError(fmt::format(
      "{}: cannot read bytes {} to {} of the file; hint: it may have been cut shorter while it "
      "was read; copy it again once the collector has stopped writing it",
      name, extent.offset, extent.offset + extent.size));
}

// Walks the events of one buffer, validating every length.
struct BufferWalker {
  std::string_view name;
  EtlInput input;
  std::size_t bs;
  bool cut;
  std::size_t num_buffers;

  void Walk(std::size_t buffer_idx, BufferWalk& out) const {
    const std::size_t base = buffer_idx * bs;
    const std::size_t size = std::min(bs, input.data.size() - base);
    if (size < kBufferHeaderSize) return;
    const std::optional<ByteView> buf = Buffer(base, size, out);
    if (buf) WalkEvents(buffer_idx, *buf, out);
  }

 private:
  // The buffer's bytes: the input's, or from the walk's window of the file, copied again
  // (a few buffers at a time) when the buffer is not in it.
  std::optional<ByteView> Buffer(std::size_t base, std::size_t size, BufferWalk& out) const {
    if (input.copy == nullptr) return *input.data.Sub(base, size);
    std::vector<std::byte>& window = out.window;
    if (base < out.window_offset || base + size > out.window_offset + window.size()) {
      const std::size_t want = std::max(bs, input.window_bytes / bs * bs);
      const Extent extent{base, std::min(want, input.data.size() - base)};
      out.status = CopyExtent(name, *input.copy, extent, window);
      if (!out.status.ok()) return std::nullopt;
      out.window_offset = base;
    }
    return ByteView(std::span<const std::byte>(window).subspan(base - out.window_offset, size));
  }

  void WalkEvents(std::size_t buffer_idx, ByteView buf, BufferWalk& out) const {
    const std::size_t base = buffer_idx * bs;
    std::size_t end = buf.At<std::uint32_t>(0x30);
    if (end < kBufferHeaderSize || end > bs) {
      out.Warn(
          fmt::format("{}: buffer {} (byte {}) gives {} as its end of data; events are read "
                      "until the first invalid one",
                      name, buffer_idx, base, end));
      end = bs;
    }
    end = std::min(end, buf.size());
    std::size_t p = kBufferHeaderSize;
    while (p + 8 <= end) {
      if (buf.At<std::uint32_t>(p) == 0xFFFFFFFFu) break;
      const std::uint8_t header_type = buf.At<std::uint8_t>(p + 2);
      const std::uint8_t marker_flags = buf.At<std::uint8_t>(p + 3);
      const std::size_t size =
          IsSystemHeaderType(header_type) ? buf.At<std::uint16_t>(p + 4) : buf.At<std::uint16_t>(p);
      if ((marker_flags & 0x80) == 0 || size < 8 || size > end - p) {
        // At the cut the last event is simply incomplete; anywhere else it is damage.
        if (!(cut && buffer_idx == num_buffers - 1 && size >= 8 && (marker_flags & 0x80) != 0)) {
          out.Warn(fmt::format(
              "{}: corrupt event header at byte {} (buffer {}, size {}, flags 0x{:02x}); the rest "
              "of the buffer is skipped",
              name, base + p, buffer_idx, size, marker_flags));
        }
        break;
      }
      if (!IsSystemHeaderType(header_type) && size >= kEventTraceHeaderSize &&
          IsPdhGuidAt(buf, p + 24)) {
        out.events.push_back(Found(buf, base, p, size));
      }
      p += Align8(size);
    }
  }

  // The PDH event of `size` bytes at `p` in the buffer at `base`.
  static FoundEvent Found(ByteView buf, std::size_t base, std::size_t p, std::size_t size) {
    FoundEvent e;
    e.kind = buf.At<std::uint8_t>(p + 4);
    e.timestamp = buf.At<std::int64_t>(p + 16);
    e.offset = base + p;
    e.payload_size = size - kEventTraceHeaderSize;
    if (e.payload_size >= kFramingSize) {
      const std::size_t payload = p + kEventTraceHeaderSize;
      e.part = buf.At<std::uint32_t>(payload + 16);
      e.nparts = buf.At<std::uint32_t>(payload + 20);
      e.chunk = Extent{base + payload + kFramingSize, e.payload_size - kFramingSize};
    }
    return e;
  }
};

}  // namespace

Result<ByteView> RecordReader::Bytes(const Extent& extent) {
  if (input_.copy == nullptr) return *input_.data.Sub(extent.offset, extent.size);
  if (extent.offset < window_offset_ ||
      extent.offset + extent.size > window_offset_ + window_.size()) {
    const std::size_t want = std::max(input_.window_bytes, extent.size);
    const Extent copy{extent.offset, std::min(want, input_.data.size() - extent.offset)};
    PERFLEAK_RETURN_NOT_OK(CopyExtent(name_, *input_.copy, copy, window_));
    window_offset_ = extent.offset;
  }
  return ByteView(
      std::span<const std::byte>(window_).subspan(extent.offset - window_offset_, extent.size));
}

Result<ByteView> RecordReader::Read(const EtlContent& etl, const PdhRecord& rec) {
  if (rec.num_parts == 0) return Bytes(rec.bytes);
  const std::span<const Extent> parts(etl.parts.data() + rec.first_part, rec.num_parts);
  std::size_t total = 0;
  for (const Extent& c : parts) total += c.size;
  joined_.resize(total);
  std::size_t at = 0;
  for (const Extent& c : parts) {
    PERFLEAK_ASSIGN_OR_RETURN(const ByteView chunk, Bytes(c));
    if (c.size > 0) std::memcpy(joined_.data() + at, chunk.span().data(), c.size);
    at += c.size;
  }
  return ByteView(std::span<const std::byte>(joined_));
}

bool LooksLikeEtl(ByteView data) {
  if (!data.Has(kLogfileHeaderOffset, 4)) return false;
  const std::uint32_t buffer_size = data.At<std::uint32_t>(0);
  if (buffer_size < kMinBufferSize || buffer_size > kMaxBufferSize || buffer_size % 8 != 0) {
    return false;
  }
  const std::uint8_t header_type = data.At<std::uint8_t>(kBufferHeaderSize + 2);
  const std::uint8_t marker_flags = data.At<std::uint8_t>(kBufferHeaderSize + 3);
  const std::uint16_t hook_id = data.At<std::uint16_t>(kBufferHeaderSize + 6);
  return IsSystemHeaderType(header_type) && (marker_flags & 0x80) != 0 && hook_id == 0 &&
         data.At<std::uint32_t>(kLogfileHeaderOffset) == buffer_size;
}

bool ContainsPdhGuid(ByteView data) {
  const auto* first = reinterpret_cast<const unsigned char*>(data.span().data());
  const auto* last = first + data.size();
  const std::boyer_moore_horspool_searcher searcher(kPdhGuid.begin(), kPdhGuid.end());
  return std::search(first, last, searcher) != last;
}

Result<EtlContent> ScanEtl(std::string_view name, EtlInput input, std::size_t threads,
                           std::size_t min_buffers_per_slice) {
  const ByteView data = input.data;
  if (!LooksLikeEtl(data)) {
    return Status::ParseError(fmt::format(
        "{}: no ETL logfile header at byte 0x48 (first dword {}); hint: not a Vista+ binary "
        "perfmon log",
        name, data.Load<std::uint32_t>(0).value_or(0)));
  }
  EtlContent out;
  PERFLEAK_ASSIGN_OR_RETURN(out.header, DecodeLogfileHeader(name, data, out.warnings));
  const LogfileHeader& h = out.header;
  if ((h.log_file_mode & kModeCompressed) != 0) {
    return Status::Unsupported(fmt::format(
        "{}: the ETL buffers are compressed (LogFileMode 0x{:08x} has "
        "EVENT_TRACE_COMPRESSED_MODE); perfleak cannot decompress them; hint: on Windows run "
        "`relog {} -f bin -o plain.blg` or `relog {} -f csv -o log.csv`",
        name, h.log_file_mode, name, name));
  }
  const std::size_t bs = h.buffer_size;
  const std::size_t num_buffers = (data.size() + bs - 1) / bs;
  out.num_buffers = num_buffers;

  std::vector<std::size_t> order(num_buffers);
  std::iota(order.begin(), order.end(), std::size_t{0});
  if ((h.log_file_mode & kModeCircular) != 0 && num_buffers > 2) {
    // A circular log reuses buffers, so file order is not time order. Buffer 0 keeps the
    // logfile header; the rest go by SequenceNumber, which ETW increments per flushed buffer.
    std::stable_sort(order.begin() + 1, order.end(), [&](std::size_t a, std::size_t b) {
      return data.Load<std::int64_t>(a * bs + 0x18).value_or(INT64_MAX) <
             data.Load<std::int64_t>(b * bs + 0x18).value_or(INT64_MAX);
    });
  }

  const bool cut = data.size() % bs != 0;
  if (cut) {
    out.warnings.push_back(fmt::format(
        "{}: the file is {} bytes, not a whole number of {}-byte buffers: it was cut inside "
        "buffer {} (byte {}); the samples before the cut are read",
        name, data.size(), bs, num_buffers - 1, (num_buffers - 1) * bs));
  } else if (h.buffers_written > num_buffers && (h.log_file_mode & kModeCircular) == 0) {
    out.warnings.push_back(fmt::format(
        "{}: the header says {} buffers were written but the file holds {}: it was cut at byte "
        "{}",
        name, h.buffers_written, num_buffers, data.size()));
  }
  // The buffers are walked in slices side by side (first touching a mapped file's pages is
  // most of the walk's time, and two threads fault them in faster than one), then what each
  // slice found is replayed in order, so records and warnings are those of one walk.
  const std::size_t slices =
      std::clamp<std::size_t>(num_buffers / std::max<std::size_t>(min_buffers_per_slice, 1), 1,
                              std::max<std::size_t>(threads, 1));
  std::vector<BufferWalk> walks(slices);
  const BufferWalker walker{name, input, bs, cut, num_buffers};
  const Status walked = internal::ParallelFor(slices, slices, [&](std::size_t k) {
    const std::size_t first = num_buffers * k / slices, last = num_buffers * (k + 1) / slices;
    for (std::size_t i = first; i < last && walks[k].status.ok(); ++i)
      walker.Walk(order[i], walks[k]);
    walks[k].window = {};
  });
  if (!walked.ok()) return Status(walked.code(), fmt::format("{}: {}", name, walked.message()));
  RecordAssembler assembler(name, out);
  for (const BufferWalk& walk : walks) {
    PERFLEAK_RETURN_NOT_OK(walk.status);
    for (const FoundEvent& e : walk.events) {
      if (e.warning >= 0) {
        out.warnings.push_back(walk.warnings[static_cast<std::size_t>(e.warning)]);
      } else {
        assembler.Add(e);
      }
    }
  }
  assembler.Flush(data.size());
  return out;
}

}  // namespace perfleak::blg
