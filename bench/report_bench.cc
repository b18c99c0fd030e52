// Report rendering throughput for a fleet-size log: 1,250 processes x 4 counters = 5,000
// counters over 12 h at 15 s (2,880 samples). Bytes processed = bytes of report written.
#include <benchmark/benchmark.h>

#include <sstream>

#include "../tests/report/report_fixtures.h"  // shared with the tests; header-only
#include "perfleak/report.h"

namespace {

const perfleak::Report& FleetReport() {
  static const perfleak::Report report = perfleak::testing::MakeLargeReport(1250, 2880);
  return report;
}

void RenderReport(benchmark::State& state, perfleak::ReportFormat format, bool include_ok) {
  const perfleak::Report& report = FleetReport();
  perfleak::ReportOptions options;
  options.include_ok = include_ok;
  options.generated_utc = "2026-11-24T16:00:00Z";
  const auto reporter = perfleak::MakeReporter(format, options);
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::ostringstream out;
    if (!reporter->Write(report, out).ok()) state.SkipWithError("report failed");
    bytes = out.str().size();
    benchmark::DoNotOptimize(bytes);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["output_bytes"] = static_cast<double>(bytes);
}

void BM_HtmlReport5000Counters(benchmark::State& state) {
  RenderReport(state, perfleak::ReportFormat::kHtml, state.range(0) != 0);
}
BENCHMARK(BM_HtmlReport5000Counters)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_JsonReport5000Counters(benchmark::State& state) {
  RenderReport(state, perfleak::ReportFormat::kJson, true);
}
BENCHMARK(BM_JsonReport5000Counters)->Unit(benchmark::kMillisecond);

void BM_TextReport5000Counters(benchmark::State& state) {
  RenderReport(state, perfleak::ReportFormat::kText, true);
}
BENCHMARK(BM_TextReport5000Counters)->Unit(benchmark::kMillisecond);

}  // namespace
