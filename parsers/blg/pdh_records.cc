#include "blg/pdh_records.h"

#include <fmt/format.h>

#include <charconv>

namespace perfleak::blg {

namespace {

constexpr std::size_t kEntryFixedSize = 0x34;
constexpr std::size_t kArrayHeaderSize = 32;
constexpr std::size_t kArrayItemSize = 24;

}  // namespace

Result<std::vector<CounterListEntry>> ParseCounterList(ByteView record, std::string* warning) {
  std::vector<CounterListEntry> out;
  std::size_t p = 8;
  while (p + kEntryFixedSize <= record.size()) {
    const std::uint32_t size = record.At<std::uint32_t>(p);
    if (size == 0) break;
    if (size < kEntryFixedSize || size > record.size() - p) {
      *warning = fmt::format(
          "counter-list entry {} at offset {} of the header record has size "
          "{}; the entries after it are ignored",
          out.size() + 1, p, size);
      break;
    }
    const ByteView e = *record.Sub(p, size);
    CounterListEntry c;
    c.flags = e.At<std::uint32_t>(0x04);
    c.type = e.At<std::uint32_t>(0x0C);
    c.frequency = e.At<std::int64_t>(0x10);
    c.default_scale = e.At<std::int32_t>(0x18);
    c.instance_index = e.At<std::int32_t>(0x2C);
    const ByteView strings = *e.Sub(kEntryFixedSize, size - kEntryFixedSize);
    auto str = [&](std::size_t field) -> std::optional<std::string> {
      const std::int32_t off = e.At<std::int32_t>(field);
      if (off < 0 || static_cast<std::size_t>(off) >= strings.size()) return std::nullopt;
      return strings.Utf16At(static_cast<std::size_t>(off));
    };
    std::string machine = str(0x1C).value_or("");
    if (machine.starts_with("\\\\")) machine.erase(0, 2);
    c.machine = std::move(machine);
    c.object = str(0x20).value_or("");
    c.instance = str(0x24);
    c.parent = str(0x28).value_or("");
    c.counter = str(0x30).value_or("");
    out.push_back(std::move(c));
    p += size;
  }
  if (out.empty()) {
    return Status::ParseError(
        fmt::format("the counter-list (header) record of {} bytes holds no "
                    "readable counter path",
                    record.size()));
  }
  return out;
}

void ParseNameTable(ByteView record, std::unordered_map<std::uint32_t, std::string>& names) {
  std::vector<std::string> tokens;
  std::size_t unit = 0;
  const std::size_t units = record.size() / 2;
  while (unit < units) {
    std::string s = record.Utf16At(2 * unit, units - unit);
    // Advance past the string and its NUL (the UTF-8 length is not the UTF-16 length).
    std::size_t end = unit;
    while (end < units && record.At<std::uint16_t>(2 * end) != 0) ++end;
    unit = end + 1;
    tokens.push_back(std::move(s));
  }
  for (std::size_t i = 0; i + 1 < tokens.size();) {
    std::uint32_t index = 0;
    const std::string& t = tokens[i];
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), index);
    if (!t.empty() && ec == std::errc() && ptr == t.data() + t.size()) {
      names.emplace(index, tokens[i + 1]);
      i += 2;
    } else {
      ++i;
    }
  }
}

const char* BuiltinCounterName(std::uint32_t index) {
  switch (index) {
    case 4:
      return "Memory";
    case 174:
      return "Virtual Bytes";
    case 180:
      return "Working Set";
    case 186:
      return "Private Bytes";
    case 230:
      return "Process";
    case 238:
      return "Processor";
    case 784:
      return "ID Process";
    case 952:
      return "Handle Count";
    case 1478:
      return "Working Set - Private";
    default:
      return nullptr;
  }
}

void SplitSampleInto(ByteView record, std::vector<BlItem>& items, std::string* error) {
  items.clear();
  if (record.At<std::uint16_t>(0) != kBlSignature || record.At<std::uint16_t>(2) != kBlSample ||
      record.size() < 8) {
    *error = "no BL 0x0003 sample container at offset 0";
    return;
  }
  const std::uint32_t length = record.At<std::uint32_t>(4);
  if (length < 8 || length > record.size()) {
    *error =
        fmt::format("sample container length {} outside the {}-byte record", length, record.size());
    return;
  }
  std::size_t p = 8;
  while (p + 8 <= length) {
    const std::uint16_t sig = record.At<std::uint16_t>(p);
    const std::uint16_t kind = record.At<std::uint16_t>(p + 2);
    const std::uint32_t item_length = record.At<std::uint32_t>(p + 4);
    if (sig != kBlSignature || item_length < 8 || item_length > length - p) {
      *error = fmt::format("sub-record {} at offset {} has signature 0x{:04x} and length {}",
                           items.size() + 1, p, sig, item_length);
      return;
    }
    items.push_back(BlItem{kind, p, *record.Sub(p, item_length)});
    p += item_length;
  }
}

bool DecodeArrayInto(const BlItem& item, RawArray& a) {
  const ByteView& b = item.bytes;
  if (b.size() < kArrayHeaderSize) return false;
  const std::uint32_t count = b.At<std::uint32_t>(12);
  if (count > (b.size() - kArrayHeaderSize) / kArrayItemSize) return false;
  a.status = b.At<std::uint32_t>(16);
  a.multi_count = b.At<std::uint32_t>(20);
  a.timestamp = b.At<std::int64_t>(24);
  a.items.resize(count);
  const ByteView payload = *b.Sub(8, b.size() - 8);  // name offsets count from here
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::size_t at = kArrayHeaderSize + kArrayItemSize * i;
    RawArrayItem& it = a.items[i];
    it.raw_name = ByteView();
    const std::uint32_t name_offset = b.At<std::uint32_t>(at);
    if (name_offset < payload.size()) {
      // Whole code units up to the NUL or the end, as Utf16At would read them.
      const std::size_t avail = (payload.size() - name_offset) / 2;
      std::size_t units = 0;
      while (units < avail && payload.At<std::uint16_t>(name_offset + 2 * units) != 0) ++units;
      it.raw_name = *payload.Sub(name_offset, 2 * units);
    }
    it.first = b.At<std::int64_t>(at + 8);
    it.second = b.At<std::int64_t>(at + 16);
  }
  return true;
}

}  // namespace perfleak::blg
