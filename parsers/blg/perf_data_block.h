// Decoding of winperf.h PERF_DATA_BLOCK blobs (BL kind 0x0503): objects, counter
// definitions, instances and counter blocks, with every length checked (MS Learn winperf.h;
// blg-format.md section 4).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "blg/byte_view.h"
#include "blg/counter_types.h"
#include "perfleak/status.h"

namespace perfleak::blg {

struct PerfCounterDef {
  std::uint32_t title_index = 0;
  std::int32_t default_scale = 0;
  std::uint32_t type = 0;
  std::uint32_t size = 0;
  std::uint32_t offset = 0;
};

struct PerfInstance {
  /// The name as stored: UTF-16LE code units, NameLength bounded, read up to a NUL by Name().
  /// Kept raw so that a reader can recognise an unchanged instance list by its bytes.
  ByteView raw_name;
  std::uint32_t parent_object_title = 0;
  std::uint32_t parent_instance = 0;
  ByteView counter_block;  ///< the PERF_COUNTER_BLOCK, ByteLength bytes
  std::string Name() const { return raw_name.Utf16At(0); }
};

struct PerfObject {
  std::uint32_t title_index = 0;
  std::int64_t perf_time = 0;
  std::int64_t perf_freq = 0;
  bool has_instances = false;  ///< false: NumInstances == PERF_NO_INSTANCES, one counter block
  std::vector<PerfCounterDef> counters;
  std::vector<PerfInstance> instances;  ///< one unnamed entry when !has_instances
};

struct PerfDataBlock {
  std::int64_t perf_time = 0;
  std::int64_t perf_freq = 0;
  std::int64_t perf_time_100ns = 0;  ///< UTC FILETIME
  std::vector<PerfObject> objects;
};

/// Decodes the block at the start of `bytes`. The error message names the structure and its
/// offset inside the block; the caller adds the file and record.
Result<PerfDataBlock> DecodePerfDataBlock(ByteView bytes);
/// As DecodePerfDataBlock, into `out`, whose vectors are reused from call to call.
Status DecodePerfDataBlockInto(ByteView bytes, PerfDataBlock& out);

/// The PDH raw value (N, D or B, multi count) and time base of counter `counter_idx` of
/// `object` for `instance`, derived as PDH does from a block: D and F from the type's timer
/// bits, B (or the precision timestamp) from the next counter definition. nullopt when the
/// counter data lies outside its counter block.
std::optional<RawValue> RawFromBlock(const PerfDataBlock& block, const PerfObject& object,
                                     const PerfInstance& instance, std::size_t counter_idx,
                                     std::int64_t* frequency);

}  // namespace perfleak::blg
