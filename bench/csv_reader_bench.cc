// PDH-CSV reader throughput on a generated wide log (bytes/s of input, samples/s = cells/s).
#include <benchmark/benchmark.h>

#include <span>
#include <string>

#include "perfleak/analysis.h"
#include "perfleak/reader.h"
#include "wide_log_text.h"

namespace {

void ReadWide(benchmark::State& state, const perfleak::ReadOptions& options) {
  const auto counters = static_cast<std::size_t>(state.range(0));
  const auto rows = static_cast<std::size_t>(state.range(1));
  const std::string& text = perfleak::bench::WideLogText(counters, rows);
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(text.data()),
                                         text.size());
  std::size_t cells = 0;
  for (auto _ : state) {
    auto log = perfleak::ReadLogFromBuffer("bench.csv", bytes, options);
    if (!log.ok()) {
      state.SkipWithError(log.status().message().c_str());
      return;
    }
    cells = log->num_counters() * log->num_samples();
    benchmark::DoNotOptimize(log->columns.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * cells));
  state.counters["MB"] = static_cast<double>(text.size()) / 1e6;
}

void BM_CsvReadAllColumns(benchmark::State& state) {
  perfleak::ReadOptions options;
  options.num_threads = static_cast<std::size_t>(state.range(2));
  ReadWide(state, options);
}
BENCHMARK(BM_CsvReadAllColumns)
    ->Args({3200, 2000, 1})
    ->Args({3200, 2000, 2})
    ->Args({1000, 20000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Projection: the analysis loads a handful of the columns; the others are only framed.
void BM_CsvReadProjected(benchmark::State& state) {
  perfleak::ReadOptions options;
  options.num_threads = static_cast<std::size_t>(state.range(2));
  options.counter_patterns = {"\\Process(*)\\Private Bytes", "\\Process(*)\\Handle Count"};
  ReadWide(state, options);
}
BENCHMARK(BM_CsvReadProjected)->Args({3200, 2000, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

// What `perfleak analyze` reads: the analysis counters, 7 of each process's 8 columns. The
// 20,000-row case is the log BM_AnalyzeParsedLog analyses, for setting one against the other.
void BM_CsvReadAnalysisCounters(benchmark::State& state) {
  perfleak::ReadOptions options;
  options.num_threads = static_cast<std::size_t>(state.range(2));
  options.counter_patterns = perfleak::AnalysisCounterPatterns();
  ReadWide(state, options);
}
BENCHMARK(BM_CsvReadAnalysisCounters)
    ->Args({3200, 2000, 1})
    ->Args({3200, 2000, 2})
    ->Args({3200, 20000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
