// Analysis cost per series: the estimators and the whole per-series judgement for n = 1e3,
// 1e4, 1e5 samples. Theil-Sen and Mann-Kendall are O(n log n), PELT O(n) after aggregation;
// the reported complexity (BigO) should read NlgN or N, never N^2.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "analysis/change_point.h"
#include "analysis/robust_trend.h"
#include "analysis/series_judge.h"
#include "analysis/trend_test.h"

namespace {

struct Series {
  std::vector<double> hours, values;
};

enum SeriesKind { kSawtoothLeak = 0, kLateOnset = 1, kSteady = 2 };

// A slow leak in noise with a sawtooth (envelope path), a leak that starts at 40 % of the log
// (PELT onset windows), or a steady process that only wanders (what most series of a log are).
Series MakeSeries(std::size_t n, int kind = kSawtoothLeak, std::uint64_t seed = 42) {
  std::mt19937_64 rng(seed);
  Series s;
  double wander = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double u = static_cast<double>(i) / static_cast<double>(n);
    s.hours.push_back(static_cast<double>(i) / 60.0);
    const double noise = static_cast<double>(rng() % 10'000) / 10'000.0 - 0.5;
    if (kind == kLateOnset) {
      s.values.push_back(5e8 + 4e8 * std::max(0.0, u - 0.4) + 5e6 * noise);
    } else if (kind == kSteady) {
      wander = 0.9 * wander + 2e6 * noise;
      s.values.push_back(3e8 + wander + 1e6 * noise);
    } else {
      s.values.push_back(5e8 + 2e8 * u + 5e6 * noise + 1e8 * std::fmod(u * 20.0, 1.0));
    }
  }
  return s;
}

// Eight series with different noise taken in turn: the same series every iteration would let
// the branch predictor learn its comparisons, and branchy code would look faster than it is.
std::vector<Series> ManySeries(std::size_t n, int kind = kSawtoothLeak) {
  std::vector<Series> out;
  for (std::uint64_t seed = 42; seed < 50; ++seed) out.push_back(MakeSeries(n, kind, seed));
  return out;
}

void BM_TheilSen(benchmark::State& state) {
  const std::vector<Series> series = ManySeries(static_cast<std::size_t>(state.range(0)));
  std::size_t k = 0;
  for (auto _ : state) {
    const Series& s = series[k++ % series.size()];
    benchmark::DoNotOptimize(perfleak::internal::TheilSen(s.hours, s.values));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_TheilSen)->RangeMultiplier(10)->Range(1000, 100'000)->Complexity(benchmark::oNLogN);
// The sizes the detector fits: lifetimes are reduced to AnalysisOptions::max_points (256)
// block medians, and windows after change points are shorter.
BENCHMARK(BM_TheilSen)->Name("BM_TheilSenBlockMedians")->Arg(64)->Arg(128)->Arg(256);

void BM_MannKendall(benchmark::State& state) {
  const std::vector<Series> series = ManySeries(static_cast<std::size_t>(state.range(0)));
  std::size_t k = 0;
  for (auto _ : state) {
    const Series& s = series[k++ % series.size()];
    benchmark::DoNotOptimize(perfleak::internal::MannKendall(s.values, s.hours, 0.0));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_MannKendall)->RangeMultiplier(10)->Range(1000, 100'000)->Complexity(benchmark::oNLogN);
// At the detector's sizes every pair is compared instead (branch-free, vectorised).
BENCHMARK(BM_MannKendall)->Name("BM_MannKendallBlockMedians")->Arg(256);

void BM_PeltLinear(benchmark::State& state) {
  const std::vector<Series> series = ManySeries(static_cast<std::size_t>(state.range(0)));
  std::size_t k = 0;
  for (auto _ : state) {
    const Series& s = series[k++ % series.size()];
    benchmark::DoNotOptimize(perfleak::internal::PeltLinear(s.hours, s.values));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_PeltLinear)->RangeMultiplier(10)->Range(1000, 100'000)->Complexity(benchmark::oN);
BENCHMARK(BM_PeltLinear)->Name("BM_PeltLinearBlockMedians")->Arg(256);

// Everything the detector does for one counter of one lifetime (no thinning); the argument
// after n selects the sawtooth (0), late-onset (1) or steady (2) series. n = 96 is a log of
// 8 hours at 5 minutes, the folder benchmark's logs.
void BM_JudgeSeries(benchmark::State& state) {
  const std::vector<Series> series =
      ManySeries(static_cast<std::size_t>(state.range(0)), static_cast<int>(state.range(1)));
  perfleak::AnalysisOptions options;
  options.max_points = 0;
  std::size_t k = 0;
  for (auto _ : state) {
    const Series& s = series[k++ % series.size()];
    benchmark::DoNotOptimize(perfleak::internal::JudgeSeries(
        s.hours, s.values, perfleak::internal::UnitKind::kBytes, options));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_JudgeSeries)->ArgsProduct({{96, 256, 1000, 10'000, 100'000}, {0, 1, 2}});

}  // namespace
