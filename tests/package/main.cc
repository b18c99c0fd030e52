// A consumer of the installed package, as a user of the library would write one: a log read
// from a buffer, analysed, and reported as text and JSON, through the umbrella header alone.
#include <perfleak/perfleak.h>

#include <cstdio>
#include <sstream>
#include <string>

namespace {

// Five hours of one-minute samples: `leaky` grows 1 MB a minute, `steady` stays flat.
std::string SyntheticCsv() {
  std::string csv =
      "\"(PDH-CSV 4.0) (Coordinated Universal Time)(0)\","
      "\"\\\\WEB01\\Process(leaky)\\Private Bytes\",\"\\\\WEB01\\Process(steady)\\Private "
      "Bytes\"\r\n";
  for (int minute = 0; minute < 300; ++minute) {
    char row[128];
    std::snprintf(row, sizeof row, "\"11/20/2026 %02d:%02d:00.000\",\"%d\",\"%d\"\r\n",
                  8 + minute / 60, minute % 60, 100'000'000 + minute * 1'048'576, 50'000'000);
    csv += row;
  }
  return csv;
}

int Fail(const char* what, const perfleak::Status& status) {
  std::fprintf(stderr, "%s: %s\n", what, status.ToString().c_str());
  return 1;
}

}  // namespace

int main() {
  const std::string csv = SyntheticCsv();
  auto log = perfleak::ReadLogFromBuffer(
      "web01.csv", {reinterpret_cast<const std::byte*>(csv.data()), csv.size()});
  if (!log.ok()) return Fail("read", log.status());
  auto analysis = perfleak::AnalyzeLog(*log);
  if (!analysis.ok()) return Fail("analyse", analysis.status());

  perfleak::LogReport entry;
  entry.path = "web01.csv";
  entry.format = log->format;
  entry.summary = perfleak::Summarize(*log);
  entry.analysis = std::move(analysis).value();
  perfleak::Report report;
  report.logs.push_back(std::move(entry));

  perfleak::ReportOptions options;
  options.generated_utc = "2026-11-20T13:00:00Z";
  std::ostringstream text, json;
  const perfleak::Status text_status =
      perfleak::MakeReporter(perfleak::ReportFormat::kText, options)->Write(report, text);
  if (!text_status.ok()) return Fail("text report", text_status);
  const perfleak::Status json_status =
      perfleak::MakeReporter(perfleak::ReportFormat::kJson, options)->Write(report, json);
  if (!json_status.ok()) return Fail("JSON report", json_status);

  bool leaky_leaks = false;
  for (const perfleak::Finding& f : report.logs[0].analysis.findings) {
    leaky_leaks |= f.process == "leaky" && f.verdict == perfleak::Verdict::kLeak;
  }
  if (!leaky_leaks || text.str().find("leaky") == std::string::npos ||
      json.str().find("\"schema_version\"") == std::string::npos) {
    std::fprintf(stderr, "unexpected report:\n%s\n", text.str().c_str());
    return 1;
  }
  std::printf("perfleak %s consumer: %zu findings\n%s", perfleak::kVersion,
              report.logs[0].analysis.findings.size(), text.str().c_str());
  return 0;
}
