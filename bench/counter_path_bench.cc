// Counter-path parsing cost: paid once per column when a log header is read.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "perfleak/counter_path.h"

namespace {

void BM_CounterPathParse(benchmark::State& state) {
  std::vector<std::string> paths;
  for (int i = 0; i < 1000; ++i) {
    paths.push_back("\\\\WEB01\\Process(svchost#" + std::to_string(i) + ")\\Private Bytes");
  }
  std::size_t bytes = 0;
  for (const auto& p : paths) bytes += p.size();
  for (auto _ : state) {
    for (const auto& p : paths) benchmark::DoNotOptimize(perfleak::CounterPath::Parse(p));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * paths.size()));
}
BENCHMARK(BM_CounterPathParse);

}  // namespace
