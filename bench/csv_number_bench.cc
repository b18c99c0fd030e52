// Decoding the cells of a wide PDH-CSV log alone (bytes/s of cell text): the reader's plain
// decimal path against std::from_chars, which it replaced for these spellings.
#include <benchmark/benchmark.h>

#include <charconv>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "csv/csv_number.h"

namespace {

// Cells as gen_wide_log writes them (byte counts, small counts, 17-digit percentages), each
// closed by the quote the reader stops at. Percentages start at 0.1 so that %.17g never
// writes an exponent, which is not a plain decimal.
struct Cells {
  std::string text;
  std::size_t count = 0;
};

const Cells& WideLogCells() {
  static const Cells cells = [] {
    Cells out;
    std::mt19937_64 rng(7);
    char buf[64];
    for (std::size_t i = 0; i < 1'000'000; ++i) {
      const std::uint64_t x = rng();
      switch (i % 4) {
        case 0:
          std::snprintf(buf, sizeof buf, "%llu\"",
                        static_cast<unsigned long long>(50'000'000 + x % 400'000'000));
          break;
        case 1:
          std::snprintf(buf, sizeof buf, "%llu\"", static_cast<unsigned long long>(200 + x % 50));
          break;
        default:
          std::snprintf(buf, sizeof buf, "%.17g\"",
                        static_cast<double>(10'000 + x % 10'000'000) / 99'991.0);
      }
      out.text += buf;
      ++out.count;
    }
    out.text += '\n';
    return out;
  }();
  return cells;
}

void BM_PlainDecimal(benchmark::State& state) {
  const Cells& cells = WideLogCells();
  const char* const limit = cells.text.data() + cells.text.size();
  for (auto _ : state) {
    double sum = 0;
    for (const char* p = cells.text.data(); *p != '\n'; ++p) {
      double value = 0;
      p = perfleak::csv::ParsePlainDecimal(p, limit, '"', &value);
      if (p == nullptr) {
        state.SkipWithError("a cell was not accepted");
        return;
      }
      sum += value;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * cells.text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * cells.count));
}
BENCHMARK(BM_PlainDecimal)->Unit(benchmark::kMillisecond);

void BM_FromCharsDecimal(benchmark::State& state) {
  const Cells& cells = WideLogCells();
  for (auto _ : state) {
    double sum = 0;
    for (const char* p = cells.text.data(); *p != '\n'; ++p) {
      double value = 0;
      const char* end = p;
      while (*end != '"') ++end;
      p = std::from_chars(p, end, value).ptr;
      sum += value;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * cells.text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * cells.count));
}
BENCHMARK(BM_FromCharsDecimal)->Unit(benchmark::kMillisecond);

}  // namespace
