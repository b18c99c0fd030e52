// Batch analysis of a support-case folder: 50 machines x 4 logman roll-over parts = 200 small
// PDH-CSV logs (12 processes x 3 counters, 240 samples at 15 s each), read, stitched, analysed
// and thinned by RunBatch. Items = logs, bytes = file bytes; `peak_rss_mb` is the process's
// peak resident set so far (getrusage ru_maxrss), the figure the memory budget bounds.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "perfleak/batch.h"
#include "perfleak/counter_log.h"
#include "perfleak/time_format.h"
#include "perfleak/writer.h"

namespace {

namespace fs = std::filesystem;

constexpr int kMachines = 50;
constexpr int kPartsPerMachine = 4;
constexpr int kProcesses = 12;
constexpr std::size_t kSamplesPerPart = 240;
constexpr perfleak::Ticks kStartUtc = 1'795'190'400LL * perfleak::kTicksPerSecond;

perfleak::CounterPath ProcessPath(const std::string& machine, const std::string& instance,
                                  const std::string& counter) {
  perfleak::CounterPath path;
  path.machine = machine;
  path.object = "Process";
  path.instance = instance;
  path.has_instance = true;
  path.counter = counter;
  return path;
}

// One part of one machine's collection: flat processes with a little deterministic noise, and
// OrderService leaking 40 MB/h on every fifth machine (so the fleet ranking has work to do).
perfleak::CounterLog MakePart(int machine, int part) {
  perfleak::CounterLog log;
  const std::string name = "WEB" + std::to_string(100 + machine);
  const std::size_t first = static_cast<std::size_t>(part) * kSamplesPerPart;
  for (std::size_t i = 0; i < kSamplesPerPart; ++i) {
    const perfleak::Ticks utc =
        kStartUtc + static_cast<perfleak::Ticks>(first + i) * 15 * perfleak::kTicksPerSecond;
    log.time_utc.push_back(utc);
    log.time_local.push_back(utc);
  }
  for (int p = 0; p < kProcesses; ++p) {
    const std::string instance = p == 0 ? "OrderService" : "svc" + std::to_string(p);
    const bool leaks = p == 0 && machine % 5 == 0;
    perfleak::Column private_bytes, handles, pid;
    for (std::size_t i = 0; i < kSamplesPerPart; ++i) {
      const double hours = static_cast<double>(first + i) * 15.0 / 3600.0;
      const double noise =
          static_cast<double>(((first + i) * 7919 + static_cast<std::size_t>(p)) % 17);
      private_bytes.push_back(100e6 + 1e5 * noise + (leaks ? 40.0 * 1048576.0 * hours : 0.0));
      handles.push_back(500.0 + noise);
      pid.push_back(1000.0 + p);
    }
    log.paths.push_back(ProcessPath(name, instance, "Private Bytes"));
    log.columns.push_back(std::move(private_bytes));
    log.paths.push_back(ProcessPath(name, instance, "Handle Count"));
    log.columns.push_back(std::move(handles));
    log.paths.push_back(ProcessPath(name, instance, "ID Process"));
    log.columns.push_back(std::move(pid));
  }
  return log;
}

struct CaseFolder {
  CaseFolder() {
    root = (fs::temp_directory_path() / ("perfleak-batch-bench-" + std::to_string(::getpid())))
               .string();
    for (int m = 0; m < kMachines; ++m) {
      const std::string dir = root + "/web" + std::to_string(100 + m);
      fs::create_directories(dir);
      for (int part = 0; part < kPartsPerMachine; ++part) {
        const std::string file =
            dir + (part == 0 ? "/DataCollector01.csv"
                             : "/DataCollector01_00000" + std::to_string(part + 1) + ".csv");
        std::ofstream out(file, std::ios::binary);
        ok = ok && perfleak::WritePdhText(MakePart(m, part), out).ok() && out.good();
        out.close();
        bytes += fs::file_size(file);
      }
    }
  }
  ~CaseFolder() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  std::string root;
  std::uint64_t bytes = 0;
  bool ok = true;
};

const CaseFolder& Folder() {
  static const CaseFolder folder;
  return folder;
}

double PeakRssMb() {
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) return NAN;
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports kilobytes
}

void BM_BatchFolder200Logs(benchmark::State& state) {
  const CaseFolder& folder = Folder();
  if (!folder.ok) {
    state.SkipWithError("cannot write the benchmark folder");
    return;
  }
  perfleak::BatchOptions options;
  options.jobs = static_cast<std::size_t>(state.range(0));
  options.stitch = state.range(1) != 0;
  options.read.counter_patterns = perfleak::AnalysisCounterPatterns();
  std::size_t failed = 0, reports = 0;
  for (auto _ : state) {
    const perfleak::Report report = perfleak::RunBatch({folder.root}, options);
    failed = 0;
    for (const perfleak::LogReport& log : report.logs) failed += log.status.ok() ? 0 : 1;
    reports = report.logs.size();
    benchmark::DoNotOptimize(reports);
  }
  if (failed > 0) state.SkipWithError("some generated logs failed");
  const auto logs = static_cast<std::int64_t>(kMachines * kPartsPerMachine);
  state.SetItemsProcessed(state.iterations() * logs);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(folder.bytes));
  state.counters["timelines"] = static_cast<double>(reports);
  state.counters["peak_rss_mb"] = PeakRssMb();
}
// Args: jobs, stitch.
BENCHMARK(BM_BatchFolder200Logs)
    ->Args({1, 1})
    ->Args({2, 1})
    ->Args({2, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
