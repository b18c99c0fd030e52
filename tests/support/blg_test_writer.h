// Test-only writer of synthetic .blg files (ETL buffers with PDH events), laid out as
// ../shared/docs/blg-format.md describes and the reader expects. Header-only so the benchmark
// and fuzz seed generator can share it. Not a product feature: it writes what the reader
// reads, so it checks consistency, while the real files check truth.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace perfleak::blg::testing {

class Bytes {
 public:
  std::vector<unsigned char> data;
  std::size_t size() const { return data.size(); }
  template <typename T>
  void Put(T v) {
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      data.push_back(static_cast<unsigned char>(static_cast<std::uint64_t>(v) >> (8 * i)));
    }
  }
  template <typename T>
  void PutAt(std::size_t off, T v) {
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      data[off + i] = static_cast<unsigned char>(static_cast<std::uint64_t>(v) >> (8 * i));
    }
  }
  void Append(const Bytes& b) { data.insert(data.end(), b.data.begin(), b.data.end()); }
  void Zeros(std::size_t n) { data.insert(data.end(), n, 0); }
  void PadTo(std::size_t multiple) {
    while (data.size() % multiple != 0) data.push_back(0);
  }
  // ASCII only: the tests' names are ASCII.
  void Utf16(std::string_view s, bool nul = true) {
    for (char c : s) Put<std::uint16_t>(static_cast<std::uint16_t>(static_cast<unsigned char>(c)));
    if (nul) Put<std::uint16_t>(0);
  }
};

inline constexpr std::int64_t kUnixEpochAsFileTime = 116'444'736'000'000'000;

struct EntrySpec {
  std::uint32_t flags = 0;  // 0 single, 1 wildcard array, 0x10 whole object
  std::uint32_t type = 0x00010000;
  std::int64_t frequency = 10'000'000;
  std::int32_t scale = 0;
  std::string machine = "\\\\TESTBOX";
  std::string object = "Memory";
  std::optional<std::string> instance;
  std::string counter = "Available Bytes";
};

// A wildcard array entry: `\\TESTBOX\object(*)\counter`, one counter over every instance.
inline EntrySpec WildcardArrayEntry(std::string object, std::string counter, std::uint32_t type) {
  EntrySpec e;
  e.flags = 1;
  e.type = type;
  e.object = std::move(object);
  e.instance = "*";
  e.counter = std::move(counter);
  return e;
}

struct ArrayItemSpec {
  std::string name;
  std::int64_t first = 0;
  std::int64_t second = 0;
};

// One sub-record of a sample.
struct ItemSpec {
  enum class Kind { kSingle, kArray, kPerfData } kind = Kind::kSingle;
  std::uint32_t status = 0;
  std::int64_t first = 0;
  std::int64_t second = 0;
  std::uint32_t multi = 1;
  std::vector<ArrayItemSpec> items;
  Bytes perf_data;  // a PERF_DATA_BLOCK
};

// PERF_DATA_BLOCK builder: one object, counters as (title, type, size), instances with
// values per counter.
struct PerfCounterSpec {
  std::uint32_t title = 0;
  std::uint32_t type = 0x00010100;
  std::uint32_t size = 8;
};
struct PerfInstanceSpec {
  std::string name;
  std::vector<std::int64_t> values;
};
inline Bytes BuildPerfDataBlock(std::uint32_t object_title,
                                const std::vector<PerfCounterSpec>& counters,
                                const std::vector<PerfInstanceSpec>& instances,
                                std::int64_t perf_time_100ns, bool single_instance = false) {
  // Counter block layout: ByteLength dword, then values at 8-aligned offsets.
  std::vector<std::uint32_t> offsets;
  std::uint32_t block_len = 8;
  for (std::size_t i = 0; i < counters.size(); ++i) {
    offsets.push_back(block_len);
    block_len += 8;
  }
  Bytes obj;
  const std::uint32_t def_len = 0x40 + 0x28 * static_cast<std::uint32_t>(counters.size());
  obj.Put<std::uint32_t>(0);  // TotalByteLength, patched
  obj.Put<std::uint32_t>(def_len);
  obj.Put<std::uint32_t>(0x40);
  obj.Put<std::uint32_t>(object_title);
  obj.Put<std::uint32_t>(0);
  obj.Put<std::uint32_t>(object_title + 1);
  obj.Put<std::uint32_t>(0);
  obj.Put<std::uint32_t>(100);  // detail level
  obj.Put<std::uint32_t>(static_cast<std::uint32_t>(counters.size()));
  obj.Put<std::int32_t>(0);
  obj.Put<std::int32_t>(single_instance ? -1 : static_cast<std::int32_t>(instances.size()));
  obj.Put<std::uint32_t>(0);
  obj.Put<std::int64_t>(perf_time_100ns);  // object PerfTime (elapsed-time base)
  obj.Put<std::int64_t>(10'000'000);
  for (std::size_t i = 0; i < counters.size(); ++i) {
    obj.Put<std::uint32_t>(0x28);
    obj.Put<std::uint32_t>(counters[i].title);
    obj.Put<std::uint32_t>(0);
    obj.Put<std::uint32_t>(counters[i].title + 1);
    obj.Put<std::uint32_t>(0);
    obj.Put<std::int32_t>(0);
    obj.Put<std::uint32_t>(100);
    obj.Put<std::uint32_t>(counters[i].type);
    obj.Put<std::uint32_t>(counters[i].size);
    obj.Put<std::uint32_t>(offsets[i]);
  }
  auto counter_block = [&](const std::vector<std::int64_t>& values) {
    Bytes b;
    b.Put<std::uint32_t>(block_len);
    b.Put<std::uint32_t>(0);
    for (std::size_t i = 0; i < counters.size(); ++i) {
      const std::int64_t v = i < values.size() ? values[i] : 0;
      if (counters[i].size == 4) {
        b.Put<std::uint32_t>(static_cast<std::uint32_t>(v));
        b.Put<std::uint32_t>(0);
      } else {
        b.Put<std::int64_t>(v);
      }
    }
    return b;
  };
  for (const auto& inst : instances) {
    if (!single_instance) {
      Bytes name;
      name.Utf16(inst.name);
      name.PadTo(8);
      const std::uint32_t name_len = static_cast<std::uint32_t>(inst.name.size() * 2 + 2);
      obj.Put<std::uint32_t>(static_cast<std::uint32_t>(0x18 + name.size()));
      obj.Put<std::uint32_t>(0);
      obj.Put<std::uint32_t>(0);
      obj.Put<std::int32_t>(-1);
      obj.Put<std::uint32_t>(0x18);
      obj.Put<std::uint32_t>(name_len);
      obj.Append(name);
    }
    obj.Append(counter_block(inst.values));
    if (single_instance) break;
  }
  obj.PutAt<std::uint32_t>(0, static_cast<std::uint32_t>(obj.size()));
  Bytes block;
  block.Utf16("PERF", false);
  block.Put<std::uint32_t>(1);  // LittleEndian
  block.Put<std::uint32_t>(1);
  block.Put<std::uint32_t>(1);
  block.Put<std::uint32_t>(static_cast<std::uint32_t>(0x58 + obj.size()));
  block.Put<std::uint32_t>(0x58);
  block.Put<std::uint32_t>(1);
  block.Put<std::int32_t>(0);
  block.Zeros(16 + 4);                              // SystemTime + pad
  block.Put<std::int64_t>(perf_time_100ns / 1000);  // PerfTime (QPC)
  block.Put<std::int64_t>(10'000);                  // PerfFreq
  block.Put<std::int64_t>(perf_time_100ns);
  block.Put<std::uint32_t>(0);
  block.Put<std::uint32_t>(0);
  block.Append(obj);
  return block;
}

struct WriterOptions {
  std::uint32_t buffer_size = 65536;
  std::uint32_t pointer_size = 8;
  std::uint32_t log_file_mode = 0x00000001;
  std::uint32_t os_build = 9200;
  std::int32_t bias = 480;
  std::string standard_name = "Pacific Standard Time";
  std::string daylight_name = "Pacific Daylight Time";
  bool dst_rules = true;         // US rules since 2007
  std::size_t max_chunk = 8000;  // PDH splits records at about 8 KB
  // Circular: write the data buffers rotated by this many positions in the file, with their
  // SequenceNumbers kept, as a wrapped bincirc log would be.
  std::size_t rotate_buffers = 0;
};

class BlgWriter {
 public:
  explicit BlgWriter(WriterOptions options = {}) : o_(options) {}

  void AddEntry(const EntrySpec& e) { entries_.push_back(e); }
  void AddNameTable(const std::vector<std::pair<std::uint32_t, std::string>>& names) {
    Bytes r;
    r.Utf16("\\\\TESTBOX");
    for (const auto& [index, name] : names) {
      r.Utf16(std::to_string(index));
      r.Utf16(name);
    }
    AddRecord(0x24, 0, r);
  }
  // `local_filetime`: the sample time as a local FILETIME.
  void AddSample(std::int64_t local_filetime, const std::vector<ItemSpec>& items) {
    if (!header_written_) WriteHeaderRecord();
    Bytes r;
    r.Put<std::uint16_t>(0x4C42);
    r.Put<std::uint16_t>(0x0003);
    r.Put<std::uint32_t>(0);
    for (const ItemSpec& it : items) {
      Bytes s;
      switch (it.kind) {
        case ItemSpec::Kind::kSingle:
          s.Put<std::uint16_t>(0x4C42);
          s.Put<std::uint16_t>(0x0103);
          s.Put<std::uint32_t>(48);
          s.Put<std::uint32_t>(it.status);
          s.Put<std::int64_t>(local_filetime);
          s.Put<std::uint32_t>(0);
          s.Put<std::int64_t>(it.first);
          s.Put<std::int64_t>(it.second);
          s.Put<std::uint32_t>(it.multi);
          s.Put<std::uint32_t>(0);
          break;
        case ItemSpec::Kind::kArray: {
          Bytes names;
          std::vector<std::uint32_t> name_offsets;
          const std::size_t names_start = 24 + 24 * it.items.size();
          for (const auto& a : it.items) {
            name_offsets.push_back(static_cast<std::uint32_t>(names_start + names.size()));
            names.Utf16(a.name);
          }
          names.PadTo(8);
          const auto len = static_cast<std::uint32_t>(8 + names_start + names.size());
          s.Put<std::uint16_t>(0x4C42);
          s.Put<std::uint16_t>(0x0203);
          s.Put<std::uint32_t>(len);
          s.Put<std::uint32_t>(len - 8);
          s.Put<std::uint32_t>(static_cast<std::uint32_t>(it.items.size()));
          s.Put<std::uint32_t>(it.status);
          s.Put<std::uint32_t>(it.multi);
          s.Put<std::int64_t>(local_filetime);
          for (std::size_t i = 0; i < it.items.size(); ++i) {
            s.Put<std::uint32_t>(name_offsets[i]);
            s.Put<std::uint32_t>(0);
            s.Put<std::int64_t>(it.items[i].first);
            s.Put<std::int64_t>(it.items[i].second);
          }
          s.Append(names);
          break;
        }
        case ItemSpec::Kind::kPerfData:
          s.Put<std::uint16_t>(0x4C42);
          s.Put<std::uint16_t>(0x0503);
          s.Put<std::uint32_t>(static_cast<std::uint32_t>(8 + it.perf_data.size()));
          s.Append(it.perf_data);
          break;
      }
      r.Append(s);
    }
    r.PutAt<std::uint32_t>(4, static_cast<std::uint32_t>(r.size()));
    AddRecord(0x22, local_filetime, r);
  }

  std::string Finish() {
    if (!header_written_) WriteHeaderRecord();
    FlushBuffer();
    // Buffer 0: the logfile header event.
    Bytes first = LogfileHeaderBuffer();
    std::vector<Bytes> data = buffers_;
    if (o_.rotate_buffers > 0 && !data.empty()) {
      std::rotate(data.begin(),
                  data.begin() + static_cast<std::ptrdiff_t>(o_.rotate_buffers % data.size()),
                  data.end());
    }
    std::string out(first.data.begin(), first.data.end());
    for (const Bytes& b : data) out.append(b.data.begin(), b.data.end());
    return out;
  }

 private:
  void WriteHeaderRecord() {
    header_written_ = true;
    Bytes r;
    r.Put<std::uint32_t>(0x6FF);
    r.Put<std::uint32_t>(0x20008);
    for (const EntrySpec& e : entries_) {
      Bytes strings;
      auto add = [&](const std::optional<std::string>& s) -> std::int32_t {
        if (!s) return -1;
        const auto off = static_cast<std::int32_t>(strings.size());
        strings.Utf16(*s);
        return off;
      };
      const std::int32_t mo = add(e.machine);
      const std::int32_t oo = add(e.object);
      const std::int32_t io = add(e.instance);
      const std::int32_t co = add(e.counter);
      strings.PadTo(8);
      Bytes entry;
      entry.Put<std::uint32_t>(static_cast<std::uint32_t>(0x38 + strings.size()));
      entry.Put<std::uint32_t>(e.flags);
      entry.Put<std::uint32_t>(0);
      entry.Put<std::uint32_t>(e.type);
      entry.Put<std::int64_t>(e.frequency);
      entry.Put<std::int32_t>(e.scale);
      entry.Put<std::int32_t>(mo);
      entry.Put<std::int32_t>(oo);
      entry.Put<std::int32_t>(io);
      entry.Put<std::int32_t>(-1);
      entry.Put<std::int32_t>(0);
      entry.Put<std::int32_t>(co);
      entry.Append(strings);
      entry.Zeros(4);  // keeps entries 8-aligned (0x34 + 4)
      r.Append(entry);
    }
    AddRecord(0x20, 0, r);
  }

  void AddRecord(std::uint8_t kind, std::int64_t ts, const Bytes& record) {
    const std::size_t nparts =
        std::max<std::size_t>(1, (record.size() + o_.max_chunk - 1) / o_.max_chunk);
    for (std::size_t part = 0; part < nparts; ++part) {
      const std::size_t begin = part * o_.max_chunk;
      const std::size_t end = std::min(record.size(), begin + o_.max_chunk);
      Bytes ev;
      const std::size_t size = 48 + 24 + (end - begin);
      ev.Put<std::uint16_t>(static_cast<std::uint16_t>(size));
      ev.Put<std::uint8_t>(o_.pointer_size == 8 ? 0x14 : 0x0A);
      ev.Put<std::uint8_t>(0xC0);
      ev.Put<std::uint8_t>(kind);
      ev.Put<std::uint8_t>(0);
      ev.Put<std::uint16_t>(60);
      ev.Put<std::uint32_t>(1);
      ev.Put<std::uint32_t>(2);
      ev.Put<std::int64_t>(ts);
      static constexpr unsigned char kGuid[16] = {0xb3, 0x3b, 0x3f, 0x93, 0x3e, 0x94, 0x0d, 0x49,
                                                  0x9c, 0xed, 0x3c, 0xbb, 0x14, 0xc1, 0x44, 0x79};
      ev.data.insert(ev.data.end(), kGuid, kGuid + 16);
      ev.Zeros(8);
      ev.Zeros(16);  // session GUID
      ev.Put<std::uint32_t>(static_cast<std::uint32_t>(part + 1));
      ev.Put<std::uint32_t>(static_cast<std::uint32_t>(nparts));
      ev.data.insert(ev.data.end(), record.data.begin() + static_cast<std::ptrdiff_t>(begin),
                     record.data.begin() + static_cast<std::ptrdiff_t>(end));
      ev.PadTo(8);
      AddEvent(ev);
    }
  }

  void AddEvent(const Bytes& ev) {
    if (current_.size() + ev.size() > o_.buffer_size) FlushBuffer();
    if (current_.size() == 0) current_.Zeros(0x48);
    current_.Append(ev);
  }

  Bytes BufferHeader(std::size_t filled, std::int64_t seq) const {
    Bytes h;
    h.Put<std::uint32_t>(o_.buffer_size);
    h.Put<std::uint32_t>(static_cast<std::uint32_t>(filled));
    h.Put<std::uint32_t>(static_cast<std::uint32_t>(filled));
    h.Put<std::int32_t>(0);
    h.Put<std::int64_t>(0);
    h.Put<std::int64_t>(seq);
    h.Zeros(8);
    h.Put<std::uint32_t>(0x00110800);
    h.Put<std::uint32_t>(3);
    h.Put<std::uint32_t>(static_cast<std::uint32_t>(filled));
    h.Zeros(0x48 - h.size());
    return h;
  }

  void FlushBuffer() {
    if (current_.size() == 0) return;
    const std::size_t filled = current_.size();
    Bytes hdr = BufferHeader(filled, static_cast<std::int64_t>(buffers_.size() + 1));
    std::copy(hdr.data.begin(), hdr.data.end(), current_.data.begin());
    current_.data.resize(o_.buffer_size, 0xFF);
    buffers_.push_back(current_);
    current_ = Bytes();
  }

  Bytes LogfileHeaderBuffer() const {
    Bytes l;  // TRACE_LOGFILE_HEADER
    l.Put<std::uint32_t>(o_.buffer_size);
    l.Put<std::uint32_t>(0x00000206);  // version 6.2
    l.Put<std::uint32_t>(o_.os_build);
    l.Put<std::uint32_t>(2);
    l.Put<std::int64_t>(0);  // EndTime
    l.Put<std::uint32_t>(156250);
    l.Put<std::uint32_t>(0);
    l.Put<std::uint32_t>(o_.log_file_mode);
    l.Put<std::uint32_t>(static_cast<std::uint32_t>(buffers_.size() + 1));
    l.Put<std::uint32_t>(1);
    l.Put<std::uint32_t>(o_.pointer_size);
    l.Put<std::uint32_t>(0);
    l.Put<std::uint32_t>(2800);
    l.Zeros(2 * o_.pointer_size);
    // TIME_ZONE_INFORMATION.
    l.Put<std::int32_t>(o_.bias);
    Bytes name;
    name.Utf16(o_.standard_name);
    name.data.resize(64, 0);
    l.Append(name);
    auto rule = [&](std::uint16_t month, std::uint16_t week) {
      l.Put<std::uint16_t>(0);
      l.Put<std::uint16_t>(o_.dst_rules ? month : 0);
      l.Put<std::uint16_t>(0);
      l.Put<std::uint16_t>(week);
      l.Put<std::uint16_t>(2);
      l.Zeros(6);
    };
    rule(11, 1);
    l.Put<std::int32_t>(0);
    Bytes dname;
    dname.Utf16(o_.daylight_name);
    dname.data.resize(64, 0);
    l.Append(dname);
    rule(3, 2);
    l.Put<std::int32_t>(-60);
    l.Zeros(4);
    l.Put<std::int64_t>(0);          // BootTime
    l.Put<std::int64_t>(2'000'000);  // PerfFreq
    l.Put<std::int64_t>(0);          // StartTime
    l.Put<std::uint32_t>(2);         // clock type: system time
    l.Put<std::uint32_t>(0);         // BuffersLost
    l.Utf16("perfleak test");
    l.PadTo(8);
    Bytes ev;  // SYSTEM_TRACE_HEADER
    ev.Put<std::uint16_t>(2);
    ev.Put<std::uint8_t>(o_.pointer_size == 8 ? 2 : 1);
    ev.Put<std::uint8_t>(0xC0);
    ev.Put<std::uint16_t>(static_cast<std::uint16_t>(32 + l.size()));
    ev.Put<std::uint16_t>(0);
    ev.Zeros(24);
    ev.Append(l);
    Bytes buf = BufferHeader(0x48 + ev.size(), 0);
    buf.Append(ev);
    buf.data.resize(o_.buffer_size, 0xFF);
    return buf;
  }

  WriterOptions o_;
  std::vector<EntrySpec> entries_;
  std::vector<Bytes> buffers_;
  Bytes current_;
  bool header_written_ = false;
};

}  // namespace perfleak::blg::testing
