// The synthetic .blg fixtures and fuzz seeds checked in under tests/data, made by the test
// writer. One definition serves the tool that rewrites them (perfleak_write_blg_fixtures) and
// the test that checks the checked-in files are what it makes.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "perfleak/time_format.h"
#include "support/blg_test_writer.h"

namespace perfleak::blg::testing {

inline constexpr std::int64_t kFixtureSecond = 10'000'000;

/// 2021-MM-DD HH:00:SS local as a FILETIME (0 for an impossible date).
inline std::int64_t LocalFileTime(int month, int day, int hour, int second = 0) {
  Ticks t = 0;
  if (!CivilToTicks(2021, month, day, hour, 0, second, 0, &t)) return 0;
  return t + kUnixEpochAsFileTime;
}

inline ItemSpec Single(std::int64_t first, std::int64_t second = 0, std::uint32_t status = 0) {
  ItemSpec s;
  s.first = first;
  s.second = second;
  s.status = status;
  return s;
}

inline ItemSpec Array(std::vector<ArrayItemSpec> items) {
  ItemSpec s;
  s.kind = ItemSpec::Kind::kArray;
  s.items = std::move(items);
  return s;
}

inline ItemSpec PerfData(Bytes block) {
  ItemSpec s;
  s.kind = ItemSpec::Kind::kPerfData;
  s.perf_data = std::move(block);
  return s;
}

inline EntrySpec ProcessObjectEntry() {
  EntrySpec e;
  e.flags = 0x10;
  e.type = 0x10;
  e.frequency = 0;
  e.object = "Process";
  e.instance = "*";
  e.counter = "*";
  return e;
}

inline std::vector<PerfCounterSpec> ProcessCounters() {
  return {{186, 0x00010100, 8},  // Private Bytes, PERF_COUNTER_LARGE_RAWCOUNT
          {952, 0x00010000, 4},  // Handle Count, PERF_COUNTER_RAWCOUNT
          {6, 0x20510500, 8}};   // % Processor Time, PERF_100NSEC_TIMER
}

/// Each fixture as (path relative to tests/data, bytes).
inline std::vector<std::pair<std::string, std::string>> SyntheticBlgFixtures() {
  std::vector<std::pair<std::string, std::string>> out;
  const std::int64_t t = LocalFileTime(1, 5, 10);
  const std::int64_t second = kFixtureSecond;
  auto small = [](std::uint32_t pointer_size, std::uint32_t mode) {
    WriterOptions o;
    o.buffer_size = 1024;  // small buffers keep fuzz inputs short
    o.max_chunk = 200;
    o.pointer_size = pointer_size;
    o.log_file_mode = mode;
    return o;
  };
  {
    BlgWriter w(small(8, 1));
    EntrySpec rate;
    rate.type = 0x10410400;
    rate.frequency = 1000;
    w.AddEntry(EntrySpec{});
    w.AddEntry(rate);
    for (int s = 0; s < 4; ++s) w.AddSample(t + s * second, {Single(s), Single(s * 7, s * 1000)});
    out.emplace_back("fuzz/blg/seed_single_counters.blg", w.Finish());
  }
  {
    BlgWriter w(small(4, 2));
    w.AddEntry(WildcardArrayEntry("Processor", "% Processor Time", 0x21510500));
    for (int s = 0; s < 6; ++s) {
      w.AddSample(
          t + s * second,
          {Array({{"0", s * 5'000'000, s * second}, {"_Total", s * 4'000'000, s * second}})});
    }
    out.emplace_back("fuzz/blg/seed_wildcard_circular_32bit.blg", w.Finish());
  }
  {
    BlgWriter w(small(8, 1));
    w.AddNameTable({{230, "Process"}, {186, "Private Bytes"}, {952, "Handle Count"}});
    w.AddEntry(ProcessObjectEntry());
    for (int s = 0; s < 3; ++s) {
      w.AddSample(t + s * second,
                  {PerfData(BuildPerfDataBlock(230, ProcessCounters(),
                                               {{"svchost", {1000 + s, 10, s * 1'000'000}},
                                                {"svchost", {2000, 20, s * 2'000'000}}},
                                               132'000'000'000'000'000 + s * second))});
    }
    const std::string bytes = w.Finish();
    out.emplace_back("fuzz/blg/seed_process_object.blg", bytes);
    out.emplace_back("blg/synthetic_process_object.blg", bytes);
  }
  return out;
}

}  // namespace perfleak::blg::testing
