// The undocumented PDH wrapper inside .blg events, as observed in public samples
// (blg-format.md sections 3.5-3.9): the counter list (Class.Type 0x20), the name table
// (0x24) and the "BL"-framed sample records (0x22).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "blg/byte_view.h"
#include "perfleak/status.h"

namespace perfleak::blg {

inline constexpr std::uint16_t kBlSignature = 0x4C42;  ///< "BL"
inline constexpr std::uint16_t kBlSample = 0x0003;
inline constexpr std::uint16_t kBlSingle = 0x0103;
inline constexpr std::uint16_t kBlArray = 0x0203;
inline constexpr std::uint16_t kBlPerfData = 0x0503;

/// One logged counter path from the header record.
struct CounterListEntry {
  std::uint32_t flags = 0;  ///< bit 0x1: `*` instance (0x0203); bit 0x10: whole object (0x0503)
  std::uint32_t type = 0;   ///< PERF_* counter type (0x10 for whole-object entries)
  std::int64_t frequency = 0;
  std::int32_t default_scale = 0;
  std::string machine;  ///< without the leading `\\`
  std::string object;
  std::optional<std::string> instance;
  std::string parent;
  std::int32_t instance_index = 0;
  std::string counter;
};

/// Parses the header record: 8 bytes of [UNKNOWN] constants, then size-prefixed entries.
/// Fails when no entry can be read; a damaged tail is reported in `warning`.
Result<std::vector<CounterListEntry>> ParseCounterList(ByteView record, std::string* warning);

/// Adds the `index -> name` pairs of one name-table record (UTF-16 `\\MACHINE`, then
/// `index\0name\0` pairs, as the Perflib `Counter` registry value) to `names`.
void ParseNameTable(ByteView record, std::unordered_map<std::uint32_t, std::string>& names);

/// English names of a few well-known perflib indices, used when a log has no name table
/// (indices observed in the PAL sample's table; believed stable for base-OS objects).
const char* BuiltinCounterName(std::uint32_t index);

/// One "BL" sub-record: its kind and bytes (including the 8-byte BL header).
struct BlItem {
  std::uint16_t kind = 0;
  std::size_t offset = 0;  ///< inside the record
  ByteView bytes;
};

/// Splits a data record (BL 0x0003 container) into its sub-records. On damage returns the
/// items before it and sets `error` to a description naming the offset in the record. `items`
/// is cleared first; its storage is reused from call to call.
void SplitSampleInto(ByteView record, std::vector<BlItem>& items, std::string* error);

/// PDH_RAW_COUNTER of a BL 0x0103 item.
struct RawCounter {
  std::uint32_t status = 0;
  std::int64_t timestamp = 0;
  std::int64_t first = 0;
  std::int64_t second = 0;
  std::uint32_t multi_count = 0;
};
/// Inline: it runs once per single counter and sample, and a call returning the struct
/// through memory cost more than the decoding.
inline std::optional<RawCounter> DecodeSingle(const BlItem& item) {
  constexpr std::size_t kSingleSize = 44;
  const ByteView& b = item.bytes;
  if (b.size() < kSingleSize) return std::nullopt;
  RawCounter r;
  r.status = b.At<std::uint32_t>(8);
  r.timestamp = b.At<std::int64_t>(12);
  r.first = b.At<std::int64_t>(24);
  r.second = b.At<std::int64_t>(32);
  r.multi_count = b.At<std::uint32_t>(40);
  return r;
}

/// A BL 0x0203 item: packed PDH_RAW_COUNTER_ITEMs sharing one status and timestamp.
struct RawArrayItem {
  /// The instance name as stored: UTF-16LE code units up to (not including) the NUL. Kept raw
  /// so that a reader can recognise an unchanged instance list by its bytes, without decoding.
  ByteView raw_name;
  std::string Name() const { return raw_name.Utf16At(0); }
  std::int64_t first = 0;
  std::int64_t second = 0;
};
struct RawArray {
  std::uint32_t status = 0;
  std::uint32_t multi_count = 0;
  std::int64_t timestamp = 0;
  std::vector<RawArrayItem> items;
};
/// Decodes a BL 0x0103 item into `out`, whose item storage is reused from call to call; false
/// when the item is damaged.
bool DecodeArrayInto(const BlItem& item, RawArray& out);

}  // namespace perfleak::blg
