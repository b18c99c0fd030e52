// The whole `analyze` pipeline on a generated wide log (400 processes x 8 counters): reading
// with the analysis's projection, then the analysis, and the analysis alone on a parsed log.
// Bytes/s are of the input text; samples/s count the cells of the projected columns.
#include <benchmark/benchmark.h>

#include <span>
#include <string>

#include "perfleak/analysis.h"
#include "perfleak/reader.h"
#include "wide_log_text.h"

namespace {

std::span<const std::byte> Bytes(const std::string& text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

perfleak::ReadOptions AnalysisRead(std::size_t threads) {
  perfleak::ReadOptions options;
  options.num_threads = threads;
  options.counter_patterns = perfleak::AnalysisCounterPatterns();
  return options;
}

// Arguments: counters, rows, threads (reader and analysis).
void BM_AnalyzePipeline(benchmark::State& state) {
  const auto threads = static_cast<std::size_t>(state.range(2));
  const std::string& text = perfleak::bench::WideLogText(static_cast<std::size_t>(state.range(0)),
                                                         static_cast<std::size_t>(state.range(1)));
  perfleak::AnalysisOptions analysis;
  analysis.num_threads = threads;
  std::size_t cells = 0;
  for (auto _ : state) {
    auto log = perfleak::ReadLogFromBuffer("bench.csv", Bytes(text), AnalysisRead(threads));
    if (!log.ok()) {
      state.SkipWithError(log.status().message().c_str());
      return;
    }
    auto result = perfleak::AnalyzeLog(*log, analysis);
    if (!result.ok()) {
      state.SkipWithError(result.status().message().c_str());
      return;
    }
    cells = log->num_counters() * log->num_samples();
    benchmark::DoNotOptimize(result->findings.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * cells));
}
BENCHMARK(BM_AnalyzePipeline)
    ->Args({3200, 2000, 1})
    ->Args({3200, 2000, 2})
    ->Args({3200, 20000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The analysis stage alone: its time set against BM_CsvReadProjected-like parsing is the
// "analysis no slower than parsing" target.
void BM_AnalyzeParsedLog(benchmark::State& state) {
  const auto threads = static_cast<std::size_t>(state.range(2));
  const std::string& text = perfleak::bench::WideLogText(static_cast<std::size_t>(state.range(0)),
                                                         static_cast<std::size_t>(state.range(1)));
  auto log = perfleak::ReadLogFromBuffer("bench.csv", Bytes(text), AnalysisRead(threads));
  if (!log.ok()) {
    state.SkipWithError(log.status().message().c_str());
    return;
  }
  perfleak::AnalysisOptions analysis;
  analysis.num_threads = threads;
  for (auto _ : state) {
    auto result = perfleak::AnalyzeLog(*log, analysis);
    benchmark::DoNotOptimize(result->findings.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(
      static_cast<std::int64_t>(state.iterations() * log->num_counters() * log->num_samples()));
}
BENCHMARK(BM_AnalyzeParsedLog)
    ->Args({3200, 2000, 1})
    ->Args({3200, 20000, 1})
    ->Args({3200, 20000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
