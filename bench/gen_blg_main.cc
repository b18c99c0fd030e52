// Writes a large synthetic .blg for end-to-end measurements (scripts/bench, python/bench, README
// figures):
//   perfleak_gen_blg OUT.blg [samples=10000] [instances=120] [seed=42]
// perfmon Data Collector Set style: `\Process(*)\*`, one sample about every second. Like the
// logs customers send, not cleaner: the Process object's counter types (100 ns CPU timers,
// per-second counts and byte rates, which PDH cooks into fractions; raw byte, handle and thread
// counts with their real magnitudes), sample intervals that jitter by milliseconds (so rates
// are never whole), a third of the instances named svchost (numbered #1, #2, ... by PDH), and
// processes that exit and start during the log (the instance list changes, later svchost
// instances are renumbered). The writer builds the file in memory (about 3x its size at peak).
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "support/blg_test_writer.h"

namespace bt = perfleak::blg::testing;

namespace {

constexpr std::int64_t kSecond = 10'000'000;  // 100 ns units
constexpr std::uint32_t k100nsTimer = 0x20510500, kCounter = 0x10410400, kBulkCount = 0x10410500;
constexpr std::uint32_t kRawcount = 0x00010000, kLargeRawcount = 0x00010100;

struct CounterKind {
  const char* name;
  std::uint32_t type, size;
};
// Twelve of the Process object's counters, in its order.
constexpr CounterKind kCounters[] = {{"% Processor Time", k100nsTimer, 8},
                                     {"% User Time", k100nsTimer, 8},
                                     {"% Privileged Time", k100nsTimer, 8},
                                     {"Virtual Bytes", kLargeRawcount, 8},
                                     {"Page Faults/sec", kCounter, 4},
                                     {"Working Set", kLargeRawcount, 8},
                                     {"Private Bytes", kLargeRawcount, 8},
                                     {"Thread Count", kRawcount, 4},
                                     {"ID Process", kRawcount, 4},
                                     {"Handle Count", kRawcount, 4},
                                     {"IO Read Operations/sec", kBulkCount, 8},
                                     {"IO Data Bytes/sec", kBulkCount, 8}};
constexpr std::size_t kNumCounters = std::size(kCounters);

// One running process: its name, PID and the state its counters advance from.
struct Process {
  std::string name;
  std::int64_t pid = 0;
  std::int64_t user = 0, kernel = 0, faults = 0, reads = 0, bytes = 0;
  double private_bytes = 0, working_set = 0, virtual_bytes = 0;
  std::int64_t handles = 0, threads = 0;
};

class ProcessTable {
 public:
  ProcessTable(long instances, std::uint64_t seed) : rng_(seed) {
    for (long i = 0; i < instances; ++i) processes_.push_back(Start());
  }

  // About every five minutes a process exits and another starts in a random place of the list (PDH
  // lists instances in the order the system reports them, not sorted).
  void Churn() {
    if (rng_() % 300 != 0 || processes_.empty()) return;
    processes_.erase(processes_.begin() + static_cast<long>(rng_() % processes_.size()));
    processes_.insert(processes_.begin() + static_cast<long>(rng_() % processes_.size()), Start());
  }

  // Advances every process by `elapsed` (100 ns) and returns the instances of the sample.
  std::vector<bt::PerfInstanceSpec> Sample(std::int64_t elapsed) {
    std::vector<bt::PerfInstanceSpec> specs;
    specs.reserve(processes_.size());
    for (Process& p : processes_) specs.push_back({p.name, Advance(p, elapsed)});
    return specs;
  }

 private:
  Process Start() {
    Process p;
    p.name = rng_() % 3 == 0 ? "svchost" : "proc" + std::to_string(next_name_++);
    p.pid = 4 * static_cast<std::int64_t>(1000 + rng_() % 60000);
    p.private_bytes = 2e7 + static_cast<double>(rng_() % 500'000'000);
    p.working_set = 0.8 * p.private_bytes;
    p.virtual_bytes = 2.2e12 + static_cast<double>(rng_() % 1'000'000'000);
    p.handles = 100 + static_cast<std::int64_t>(rng_() % 2000);
    p.threads = 4 + static_cast<std::int64_t>(rng_() % 60);
    return p;
  }

  double Uniform() { return static_cast<double>(rng_() % 1'000'000) / 1e6; }

  std::vector<std::int64_t> Advance(Process& p, std::int64_t elapsed) {
    const auto share = [&](double busy) {
      return static_cast<std::int64_t>(busy * static_cast<double>(elapsed));
    };
    p.user += share(0.05 * Uniform());
    p.kernel += share(0.02 * Uniform());
    p.faults += static_cast<std::int64_t>(rng_() % 200);
    p.reads += static_cast<std::int64_t>(rng_() % 50);
    p.bytes += static_cast<std::int64_t>(rng_() % 2'000'000);
    // Memory wanders in pages; handle and thread counts step by a few.
    p.private_bytes =
        std::max(1e6, p.private_bytes + 4096.0 * (static_cast<double>(rng_() % 201) - 100));
    p.working_set =
        std::max(1e6, p.working_set + 4096.0 * (static_cast<double>(rng_() % 201) - 100));
    p.virtual_bytes += 65536.0 * (static_cast<double>(rng_() % 3) - 1);
    p.handles = std::max<std::int64_t>(10, p.handles + static_cast<std::int64_t>(rng_() % 5) - 2);
    p.threads = std::max<std::int64_t>(1, p.threads + static_cast<std::int64_t>(rng_() % 3) - 1);
    return {p.user + p.kernel,
            p.user,
            p.kernel,
            static_cast<std::int64_t>(p.virtual_bytes),
            p.faults,
            static_cast<std::int64_t>(p.working_set),
            static_cast<std::int64_t>(p.private_bytes),
            p.threads,
            p.pid,
            p.handles,
            p.reads,
            p.bytes};
  }

  std::mt19937_64 rng_;
  std::vector<Process> processes_;
  long next_name_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: perfleak_gen_blg OUT.blg [samples=10000] [instances=120] [seed=42]\n";
    return 2;
  }
  const long samples = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 10'000;
  const long instances = argc > 3 ? std::strtol(argv[3], nullptr, 10) : 120;
  const auto seed = static_cast<std::uint64_t>(argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 42);
  constexpr std::int64_t kStart = bt::kUnixEpochAsFileTime + 16'000'000'000'000'000;
  bt::BlgWriter w;
  std::vector<std::pair<std::uint32_t, std::string>> names = {{230, "Process"}};
  std::vector<bt::PerfCounterSpec> counters;
  for (std::uint32_t c = 0; c < kNumCounters; ++c) {
    const std::uint32_t title = 200 + 2 * c;
    names.emplace_back(title, kCounters[c].name);
    counters.push_back({title, kCounters[c].type, kCounters[c].size});
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
  ProcessTable table(instances, seed);
  std::mt19937_64 jitter(seed + 1);
  std::int64_t perf_time = 132'000'000'000'000'000, local = kStart;
  for (long sample_idx = 0; sample_idx < samples; ++sample_idx) {
    // A second give or take a few milliseconds, as the collector's timer fires.
    const std::int64_t elapsed = kSecond + static_cast<std::int64_t>(jitter() % 80'001) - 40'000;
    perf_time += elapsed;
    local += elapsed;
    table.Churn();
    bt::ItemSpec item;
    item.kind = bt::ItemSpec::Kind::kPerfData;
    item.perf_data = bt::BuildPerfDataBlock(230, counters, table.Sample(elapsed), perf_time);
    w.AddSample(local, {item});
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
