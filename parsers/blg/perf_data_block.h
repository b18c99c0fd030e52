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
/// offset inside the block; the caller adds the file and record. `out`'s vectors are reused
/// from call to call.
Status DecodePerfDataBlockInto(ByteView bytes, PerfDataBlock& out);

/// What RawFromBlock derives from a counter's definitions and the block's times alone, worked
/// out once per object and block rather than once per instance.
struct CounterPlan {
  enum class Base : std::uint8_t {
    kNone,    ///< no base
    kSecond,  ///< the next counter's data is B (or the precision timestamp)
    kMulti,   ///< the next counter's data is the multi count
    kAbsent,  ///< a base is needed but no counter follows: no value
  };
  std::uint32_t offset = 0;
  std::uint32_t size = 0;  ///< 4 or 8
  std::uint32_t next_offset = 0;
  std::uint32_t next_size = 0;
  Base base = Base::kNone;
  bool hidden = false;  ///< IsHiddenCounterType
  std::int64_t second = 0;
  std::int64_t frequency = 0;
};

/// One plan per counter of `object`, into `plans` (storage reused).
void PlanCounters(const PerfDataBlock& block, const PerfObject& object,
                  std::vector<CounterPlan>& plans);

namespace detail {
inline std::optional<std::int64_t> LoadCounterData(ByteView block, std::uint32_t offset,
                                                   std::uint32_t size) {
  if (size == 8) return block.Load<std::int64_t>(offset);
  if (size == 4) {
    if (auto v = block.Load<std::uint32_t>(offset)) return static_cast<std::int64_t>(*v);
  }
  return std::nullopt;
}
}  // namespace detail

/// RawFromBlock for a planned counter. Inline: it runs once per instance and counter.
inline std::optional<RawValue> RawFromPlan(const CounterPlan& plan, const PerfInstance& instance,
                                           std::int64_t* frequency) {
  const auto n = detail::LoadCounterData(instance.counter_block, plan.offset, plan.size);
  if (!n) return std::nullopt;
  RawValue raw;
  raw.first = *n;
  raw.second = plan.second;
  *frequency = plan.frequency;
  switch (plan.base) {
    case CounterPlan::Base::kNone:
      return raw;
    case CounterPlan::Base::kAbsent:
      return std::nullopt;
    case CounterPlan::Base::kSecond:
    case CounterPlan::Base::kMulti:
      break;
  }
  const auto b = detail::LoadCounterData(instance.counter_block, plan.next_offset, plan.next_size);
  if (!b) return std::nullopt;
  if (plan.base == CounterPlan::Base::kMulti) {
    raw.multi_count = static_cast<std::uint32_t>(*b);
  } else {
    raw.second = *b;
  }
  return raw;
}

/// The PDH raw value (N, D or B, multi count) and time base of counter `counter_idx` of
/// `object` for `instance`, derived as PDH does from a block: D and F from the type's timer
/// bits, B (or the precision timestamp) from the next counter definition. nullopt when the
/// counter data lies outside its counter block.
std::optional<RawValue> RawFromBlock(const PerfDataBlock& block, const PerfObject& object,
                                     const PerfInstance& instance, std::size_t counter_idx,
                                     std::int64_t* frequency);

}  // namespace perfleak::blg
