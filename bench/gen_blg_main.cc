// Writes a large synthetic .blg for end-to-end measurements (python/bench, README figures):
//   perfleak_gen_blg OUT.blg [samples=10000] [instances=120]
// perfmon Data Collector Set style: `\Process(*)\*`, 12 raw counters per instance, one sample
// per second. The writer builds the file in memory (about 3x its size at peak).
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "support/blg_test_writer.h"

namespace bt = perfleak::blg::testing;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: perfleak_gen_blg OUT.blg [samples=10000] [instances=120]\n";
    return 2;
  }
  const long samples = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 10'000;
  const long instances = argc > 3 ? std::strtol(argv[3], nullptr, 10) : 120;
  constexpr std::int64_t kSecond = 10'000'000;
  constexpr std::int64_t kStart = bt::kUnixEpochAsFileTime + 16'000'000'000'000'000;
  constexpr std::uint32_t kCounters = 12;
  bt::BlgWriter w;
  std::vector<std::pair<std::uint32_t, std::string>> names = {{230, "Process"}};
  std::vector<bt::PerfCounterSpec> counters;
  for (std::uint32_t counter_idx = 0; counter_idx < kCounters; ++counter_idx) {
    const std::uint32_t title = 200 + 2 * counter_idx;
    names.emplace_back(title, "Counter " + std::to_string(counter_idx));
    counters.push_back({title, 0x00010100u, 8});  // PERF_COUNTER_LARGE_RAWCOUNT
  }
  w.AddNameTable(names);
  bt::EntrySpec e;
  e.flags = 0x10;
  e.type = 0x10;
  e.frequency = 0;
  e.object = "Process";
  e.instance = "*";
  e.counter = "*";
  w.AddEntry(e);
  for (long sample_idx = 0; sample_idx < samples; ++sample_idx) {
    std::vector<bt::PerfInstanceSpec> specs;
    for (long instance_idx = 0; instance_idx < instances; ++instance_idx) {
      std::vector<std::int64_t> values(kCounters);
      for (std::uint32_t c = 0; c < kCounters; ++c) {
        values[c] = 1000 * instance_idx + sample_idx * static_cast<long>(c);
      }
      specs.push_back({"proc" + std::to_string(instance_idx), values});
    }
    bt::ItemSpec item;
    item.kind = bt::ItemSpec::Kind::kPerfData;
    item.perf_data = bt::BuildPerfDataBlock(230, counters, specs,
                                            132'000'000'000'000'000 + sample_idx * kSecond);
    w.AddSample(kStart + sample_idx * kSecond, {item});
  }
  const std::string bytes = w.Finish();
  std::ofstream out(argv[1], std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::cerr << "cannot write " << argv[1] << "\n";
    return 3;
  }
  return 0;
}
