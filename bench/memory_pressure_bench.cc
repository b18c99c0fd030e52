// Post-mortem cost: the system memory analysis (episodes, attribution of 40 processes and two
// pools per episode and for the incident, exhaustion forecasts) over logs of 1e3..1e5 samples,
// and the Theil-Sen interval on its own. Expected O(n log n) (Theil-Sen) plus O(n x columns).
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "analysis/exhaustion.h"
#include "analysis/memory_pressure.h"
#include "support/counter_log_builder.h"

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

void AddColumn(perfleak::CounterLog* log, const std::string& object, const std::string& instance,
               const std::string& counter, std::vector<double> values) {
  perfleak::testing::AddColumn(log, perfleak::testing::MakePath("BENCH", object, instance, counter),
                               std::move(values));
}

// 40 processes (one eats commit, one restarts half-way), Memory counters with commit crossing
// 90 % of the limit at 70 % of the log and hovering around it.
perfleak::CounterLog MakeIncidentLog(std::size_t n) {
  std::mt19937_64 rng(7);
  const auto noise = [&] { return static_cast<double>(rng() % 1000) / 1000.0 - 0.5; };
  perfleak::CounterLog log;
  log.source = "bench";
  for (std::size_t i = 0; i < n; ++i) {
    const perfleak::Ticks t = 1'795'161'600LL * perfleak::kTicksPerSecond +
                              static_cast<perfleak::Ticks>(i) * 15 * perfleak::kTicksPerSecond;
    log.time_utc.push_back(t);
    log.time_local.push_back(t);
  }
  std::vector<double> committed(n, 0.0);
  for (int p = 0; p < 40; ++p) {
    std::vector<double> pb(n), id(n);
    for (std::size_t i = 0; i < n; ++i) {
      const double u = static_cast<double>(i) / static_cast<double>(n);
      pb[i] = (p == 0 ? 200 * kMiB + u * 8000 * kMiB : 100 * kMiB + 2 * kMiB * noise());
      id[i] = (p == 1 && u > 0.5) ? 9000.0 : 1000.0 + p;
      committed[i] += pb[i];
    }
    AddColumn(&log, "Process", "proc" + std::to_string(p), "Private Bytes", std::move(pb));
    AddColumn(&log, "Process", "proc" + std::to_string(p), "ID Process", std::move(id));
  }
  std::vector<double> limit(n, 14000 * kMiB), pool(n);
  for (std::size_t i = 0; i < n; ++i) {
    committed[i] += 2000 * kMiB;
    pool[i] = 300 * kMiB + kMiB * noise();
  }
  AddColumn(&log, "Memory", "", "Committed Bytes", std::move(committed));
  AddColumn(&log, "Memory", "", "Commit Limit", std::move(limit));
  AddColumn(&log, "Memory", "", "Pool Paged Bytes", pool);
  AddColumn(&log, "Memory", "", "Pool Nonpaged Bytes", std::move(pool));
  return log;
}

void BM_SystemMemoryAnalysis(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const perfleak::CounterLog log = MakeIncidentLog(n);
  perfleak::MemoryPressureOptions options;
  options.run_up_hours = 1e4;  // the whole log: the worst case
  for (auto _ : state) {
    auto r = perfleak::internal::AnalyzeSystemMemory(
        log, perfleak::internal::ProcessColumns::Build(log), {}, options, log.time_utc.back());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_SystemMemoryAnalysis)
    ->RangeMultiplier(10)
    ->Range(1000, 100'000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity();

void BM_TheilSenInterval(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(3);
  std::vector<double> x(n), y(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = static_cast<double>(i) / 240.0;
    y[i] = 3.0 * x[i] + static_cast<double>(rng() >> 11) * 0x1.0p-53 * 10.0;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(perfleak::internal::TheilSenInterval(x, y, 0.95));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_TheilSenInterval)
    ->RangeMultiplier(10)
    ->Range(1000, 100'000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity();

}  // namespace
