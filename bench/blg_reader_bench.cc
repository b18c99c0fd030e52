// Decoding speed of the native .blg reader on large synthetic logs (MB/s and samples/s).
#include <benchmark/benchmark.h>

#include <cstddef>
#include <span>
#include <string>

#include "blg/blg_reader.h"
#include "support/blg_test_writer.h"

namespace {

namespace bt = perfleak::blg::testing;

constexpr std::int64_t kSecond = 10'000'000;
constexpr std::int64_t kStart = bt::kUnixEpochAsFileTime + 16'000'000'000'000'000;

// typeperf/logman style: 20 single counters and a 16-instance `*` array per sample.
const std::string& RawCounterLog(int samples) {
  static const std::string log = [samples] {
    bt::BlgWriter w;
    for (int c = 0; c < 20; ++c) {
      bt::EntrySpec e;
      e.counter = "Counter " + std::to_string(c);
      e.type = c % 2 == 0 ? 0x00010100 : 0x10410500;
      w.AddEntry(e);
    }
    w.AddEntry(bt::WildcardArrayEntry("Processor", "% Processor Time", 0x21510500));
    for (int s = 0; s < samples; ++s) {
      std::vector<bt::ItemSpec> items(20);
      for (int c = 0; c < 20; ++c) {
        items[static_cast<std::size_t>(c)].first = s * (c + 1);
        items[static_cast<std::size_t>(c)].second = s * kSecond;
      }
      bt::ItemSpec array;
      array.kind = bt::ItemSpec::Kind::kArray;
      for (int i = 0; i < 16; ++i) {
        array.items.push_back({std::to_string(i), s * 3'000'000LL + i, s * kSecond});
      }
      items.push_back(array);
      w.AddSample(kStart + s * kSecond, items);
    }
    return w.Finish();
  }();
  return log;
}

// perfmon Data Collector Set style: `\Process(*)\*` with 120 instances x 12 counters.
const std::string& ProcessObjectLog(int samples) {
  static const std::string log = [samples] {
    bt::BlgWriter w;
    bt::EntrySpec e;
    e.flags = 0x10;
    e.object = "Process";
    e.instance = "*";
    e.counter = "*";
    w.AddEntry(e);
    std::vector<bt::PerfCounterSpec> counters;
    for (std::uint32_t c = 0; c < 12; ++c) {
      counters.push_back({200 + 2 * c, c % 3 == 0 ? 0x20510500u : 0x00010100u, 8});
    }
    for (int s = 0; s < samples; ++s) {
      std::vector<bt::PerfInstanceSpec> instances;
      for (int i = 0; i < 120; ++i) {
        std::vector<std::int64_t> values(12);
        for (int c = 0; c < 12; ++c) values[static_cast<std::size_t>(c)] = 1000LL * i + s * c;
        instances.push_back({i % 10 == 0 ? "svchost" : "proc" + std::to_string(i), values});
      }
      bt::ItemSpec item;
      item.kind = bt::ItemSpec::Kind::kPerfData;
      item.perf_data =
          bt::BuildPerfDataBlock(230, counters, instances, 132'000'000'000'000'000 + s * kSecond);
      w.AddSample(kStart + s * kSecond, {item});
    }
    return w.Finish();
  }();
  return log;
}

// state.range(0): ReadOptions::num_threads (1: one decode; more: ranges of data records).
void Decode(benchmark::State& state, const std::string& bytes) {
  const std::span<const std::byte> data(reinterpret_cast<const std::byte*>(bytes.data()),
                                        bytes.size());
  perfleak::ReadOptions options;
  options.num_threads = static_cast<std::size_t>(state.range(0));
  std::size_t samples = 0;
  for (auto _ : state) {
    auto log = perfleak::blg::ReadBlg("bench.blg", data, options);
    if (!log.ok()) {
      state.SkipWithError(log.status().message().c_str());
      return;
    }
    samples = log->num_samples();
    benchmark::DoNotOptimize(log->columns.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * samples));
  state.counters["file_MB"] = static_cast<double>(bytes.size()) / 1e6;
}

void BM_BlgDecodeRawCounters(benchmark::State& state) { Decode(state, RawCounterLog(50'000)); }
// Real time: with more than one thread the main thread's CPU time misses the other ranges.
BENCHMARK(BM_BlgDecodeRawCounters)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_BlgDecodeProcessObjects(benchmark::State& state) { Decode(state, ProcessObjectLog(2'000)); }
BENCHMARK(BM_BlgDecodeProcessObjects)
    ->Arg(1)
    ->Arg(2)
    ->Arg(4)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
