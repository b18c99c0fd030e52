#include "blg/perf_data_block.h"

#include <fmt/format.h>

#include <algorithm>

namespace perfleak::blg {

namespace ct = counter_type;

namespace {

constexpr std::size_t kDataBlockHeaderMin = 0x58;
constexpr std::size_t kObjectHeaderSize = 0x40;
constexpr std::size_t kCounterDefSize = 0x28;
constexpr std::size_t kInstanceDefSize = 0x18;
constexpr std::int32_t kNoInstances = -1;

Status Bad(std::string msg) { return Status::ParseError("PERF_DATA_BLOCK: " + std::move(msg)); }

std::uint32_t DataSize(const PerfCounterDef& def) {
  if (def.size == 4 || def.size == 8) return def.size;
  return (def.type & ct::kSizeMask) == ct::kSizeLarge ? 8 : 4;
}

bool UsesBaseAsSecond(std::uint32_t type) {
  switch (type) {
    case ct::kRawFraction:
    case ct::kLargeRawFraction:
    case ct::kSampleFraction:
    case ct::kAverageTimer:
    case ct::kAverageBulk:
      return true;
    default:
      return false;
  }
}

bool IsMultiTimer(std::uint32_t type) {
  return type == ct::kMultiTimer || type == ct::kMultiTimerInv || type == ct::k100nsMultiTimer ||
         type == ct::k100nsMultiTimerInv;
}

Status DecodeObject(ByteView obj, std::size_t obj_off, PerfObject& o) {
  const std::uint32_t definition_length = obj.At<std::uint32_t>(4);
  const std::uint32_t header_length = obj.At<std::uint32_t>(8);
  o.title_index = obj.At<std::uint32_t>(0x0C);
  const std::uint32_t num_counters = obj.At<std::uint32_t>(0x20);
  const std::int32_t num_instances = obj.At<std::int32_t>(0x28);
  o.perf_time = obj.At<std::int64_t>(0x30);
  o.perf_freq = obj.At<std::int64_t>(0x38);
  o.has_instances = false;
  o.counters.clear();
  o.instances.clear();
  if (header_length < kObjectHeaderSize - 0x10 || definition_length < header_length ||
      definition_length > obj.size()) {
    return Bad(
        fmt::format("object at +{} has HeaderLength {} / DefinitionLength {} outside its "
                    "{} bytes",
                    obj_off, header_length, definition_length, obj.size()));
  }
  // Counter definitions: each advances by its own ByteLength, inside DefinitionLength.
  if (num_counters > (definition_length - header_length) / kCounterDefSize) {
    return Bad(fmt::format("object at +{} claims {} counters in {} bytes of definitions", obj_off,
                           num_counters, definition_length - header_length));
  }
  o.counters.reserve(num_counters);
  std::size_t q = header_length;
  for (std::uint32_t i = 0; i < num_counters; ++i) {
    const std::uint32_t byte_length = obj.At<std::uint32_t>(q);
    if (byte_length < kCounterDefSize || byte_length > definition_length - q) {
      return Bad(fmt::format("counter definition {} at +{} has ByteLength {}", i, obj_off + q,
                             byte_length));
    }
    PerfCounterDef d;
    d.title_index = obj.At<std::uint32_t>(q + 4);
    d.default_scale = obj.At<std::int32_t>(q + 0x14);
    d.type = obj.At<std::uint32_t>(q + 0x1C);
    d.size = obj.At<std::uint32_t>(q + 0x20);
    d.offset = obj.At<std::uint32_t>(q + 0x24);
    o.counters.push_back(d);
    q += byte_length;
  }
  std::size_t p = definition_length;
  // An optional rather than a Result, and the message built apart: this runs for every
  // instance of every sample. `instance` < 0 names the single instance.
  auto counter_block_at = [&](std::size_t off) -> std::optional<ByteView> {
    const auto len = obj.Load<std::uint32_t>(off);
    if (!len || *len < 4 || *len > obj.size() - off) return std::nullopt;
    return obj.Sub(off, *len);
  };
  auto bad_counter_block = [&](std::size_t off, std::int32_t instance) {
    const std::string what =
        instance < 0 ? "the single instance" : fmt::format("instance {}", instance);
    return Bad(fmt::format("counter block of {} at +{} has ByteLength {} beyond the object", what,
                           obj_off + off, obj.Load<std::uint32_t>(off).value_or(0)));
  };
  if (num_instances == kNoInstances || num_instances == 0) {
    o.has_instances = false;
    if (num_instances == 0) return Status::OK();
    const auto block = counter_block_at(p);
    if (!block) return bad_counter_block(p, -1);
    o.instances.push_back(PerfInstance{ByteView(), 0, 0, *block});
    return Status::OK();
  }
  if (num_instances < 0 ||
      static_cast<std::size_t>(num_instances) > (obj.size() - p) / (kInstanceDefSize + 4)) {
    return Bad(fmt::format("object at +{} claims {} instances in {} bytes", obj_off, num_instances,
                           obj.size() - p));
  }
  o.has_instances = true;
  o.instances.reserve(static_cast<std::size_t>(num_instances));
  for (std::int32_t i = 0; i < num_instances; ++i) {
    const auto byte_length = obj.Load<std::uint32_t>(p);
    if (!byte_length || *byte_length < kInstanceDefSize || *byte_length > obj.size() - p) {
      return Bad(fmt::format("instance {} at +{} has ByteLength {} beyond the object", i,
                             obj_off + p, byte_length.value_or(0)));
    }
    PerfInstance inst;
    inst.parent_object_title = obj.At<std::uint32_t>(p + 4);
    inst.parent_instance = obj.At<std::uint32_t>(p + 8);
    const std::uint32_t name_offset = obj.At<std::uint32_t>(p + 0x10);
    const std::uint32_t name_length = obj.At<std::uint32_t>(p + 0x14);
    // The name lies inside the instance definition; NameLength counts bytes with the NUL.
    if (name_offset >= kInstanceDefSize && name_offset <= *byte_length) {
      const std::size_t units = std::min<std::size_t>(name_length, *byte_length - name_offset) / 2;
      inst.raw_name = *obj.Sub(p + name_offset, 2 * units);
    }
    const auto block = counter_block_at(p + *byte_length);
    if (!block) return bad_counter_block(p + *byte_length, i);
    inst.counter_block = *block;
    p += *byte_length + inst.counter_block.size();
    o.instances.push_back(std::move(inst));
  }
  return Status::OK();
}

}  // namespace

Status DecodePerfDataBlockInto(ByteView b, PerfDataBlock& out) {
  static constexpr char16_t kSig[] = u"PERF";
  for (std::size_t i = 0; i < 4; ++i) {
    if (b.Load<std::uint16_t>(2 * i) != static_cast<std::uint16_t>(kSig[i])) {
      return Bad("no \"PERF\" signature at +0");
    }
  }
  if (!b.Has(0, kDataBlockHeaderMin)) return Bad("header cut short");
  const std::uint32_t total = b.At<std::uint32_t>(0x14);
  const std::uint32_t header_length = b.At<std::uint32_t>(0x18);
  const std::uint32_t num_objects = b.At<std::uint32_t>(0x1C);
  if (total > b.size() || header_length < kDataBlockHeaderMin || header_length > total) {
    return Bad(fmt::format("TotalByteLength {} / HeaderLength {} do not fit the {} bytes given",
                           total, header_length, b.size()));
  }
  out.perf_time = b.At<std::int64_t>(0x38);
  out.perf_freq = b.At<std::int64_t>(0x40);
  out.perf_time_100ns = b.At<std::int64_t>(0x48);
  if (num_objects > (total - header_length) / kObjectHeaderSize) {
    return Bad(fmt::format("claims {} objects in {} bytes", num_objects, total - header_length));
  }
  // resize, not clear: the objects' own vectors keep their capacity for the next block.
  out.objects.resize(num_objects);
  std::size_t p = header_length;
  for (std::uint32_t i = 0; i < num_objects; ++i) {
    const auto obj_total = b.Load<std::uint32_t>(p);
    if (!obj_total || *obj_total < kObjectHeaderSize || *obj_total > total - p) {
      return Bad(fmt::format("object {} at +{} has TotalByteLength {} beyond the block", i, p,
                             obj_total.value_or(0)));
    }
    PERFLEAK_RETURN_NOT_OK(DecodeObject(*b.Sub(p, *obj_total), p, out.objects[i]));
    p += *obj_total;
  }
  return Status::OK();
}

namespace {

CounterPlan PlanCounter(const PerfDataBlock& block, const PerfObject& object,
                        std::size_t counter_idx) {
  const PerfCounterDef& def = object.counters[counter_idx];
  CounterPlan plan;
  plan.offset = def.offset;
  plan.size = DataSize(def);
  plan.hidden = IsHiddenCounterType(def.type);
  switch (def.type & ct::kTimerMask) {
    case ct::kTimer100ns:
      plan.second = block.perf_time_100ns;
      plan.frequency = 10'000'000;
      break;
    case ct::kTimerObject:
      plan.second = object.perf_time;
      plan.frequency = object.perf_freq;
      break;
    default:
      plan.second = block.perf_time;
      plan.frequency = block.perf_freq;
      break;
  }
  // The base (or, for precision timers, the timestamp) is the counter defined right after.
  const bool precision = (def.type & ct::kSubtypeMask) == ct::kSubtypePrecision;
  if (UsesBaseAsSecond(def.type) || IsMultiTimer(def.type) || precision) {
    if (counter_idx + 1 >= object.counters.size()) {
      plan.base = CounterPlan::Base::kAbsent;
    } else {
      const PerfCounterDef& next = object.counters[counter_idx + 1];
      plan.next_offset = next.offset;
      plan.next_size = DataSize(next);
      plan.base = IsMultiTimer(def.type) ? CounterPlan::Base::kMulti : CounterPlan::Base::kSecond;
    }
  }
  return plan;
}

}  // namespace

void PlanCounters(const PerfDataBlock& block, const PerfObject& object,
                  std::vector<CounterPlan>& plans) {
  plans.clear();
  for (std::size_t c = 0; c < object.counters.size(); ++c) {
    plans.push_back(PlanCounter(block, object, c));
  }
}

std::optional<RawValue> RawFromBlock(const PerfDataBlock& block, const PerfObject& object,
                                     const PerfInstance& instance, std::size_t counter_idx,
                                     std::int64_t* frequency) {
  return RawFromPlan(PlanCounter(block, object, counter_idx), instance, frequency);
}

}  // namespace perfleak::blg
