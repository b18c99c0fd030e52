#include <boost/program_options.hpp>
#include <fstream>
#include <memory>
#include <ostream>

#include "commands.h"
#include "exit_codes.h"
#include "perfleak/analysis.h"
#include "perfleak/log_summary.h"
#include "perfleak/reader.h"
#include "perfleak/report.h"
#include "read_flags.h"

namespace po = boost::program_options;

namespace perfleak::cli {

namespace {

Result<ColorMode> ParseColor(const std::string& text) {
  if (text == "auto") return ColorMode::kAuto;
  if (text == "always") return ColorMode::kAlways;
  if (text == "never") return ColorMode::kNever;
  return Status::InvalidArgument("--color must be auto, always or never");
}

LogReport AnalyzeOne(const std::string& path, const ReadOptions& read_options,
                     const AnalysisOptions& analysis_options) {
  LogReport entry;
  entry.path = path;
  auto log = ReadLog(path, read_options);
  if (!log.ok()) {
    entry.status = log.status();
    return entry;
  }
  entry.format = log->format;
  entry.summary = Summarize(*log);
  entry.warnings = log->warnings;
  auto shared = std::make_shared<const CounterLog>(std::move(log).value());
  auto analysis = AnalyzeLog(*shared, analysis_options);
  if (!analysis.ok()) {
    entry.status = analysis.status();
    return entry;
  }
  entry.analysis = std::move(analysis).value();
  for (const std::string& w : entry.analysis.warnings) entry.warnings.push_back(w);
  entry.log = std::move(shared);
  return entry;
}

}  // namespace

int RunAnalyze(const std::vector<std::string>& args, CliContext& ctx) {
  po::options_description desc(
      "Usage: perfleak analyze LOG... [options]\n"
      "Finds leaking processes: splits each process instance into lifetimes (ID Process\n"
      "changes = restart), fits robust trends (Theil-Sen, Huber IRLS) on the right signal\n"
      "(lower envelope of sawtooth series, the regime after the last change point) for Private\n"
      "Bytes, Virtual Bytes, Working Set, Handle Count, Thread Count and pool bytes, and ranks\n"
      "the instances as leak, suspect or ok with a score and the next diagnostic step.\n\n"
      "Options");
  ReadFlags read_flags;
  std::string format = "text", output, fail_on = "none", sensitivity = "default", color = "auto";
  bool all = false;
  desc.add_options()("help,h", "show this help")(
      "format,f", po::value(&format)->default_value("text"), "report format: text, json or html")(
      "output,o", po::value(&output), "write the report to this file (default: standard output)")(
      "all", po::bool_switch(&all), "also list the processes judged ok")(
      "fail-on", po::value(&fail_on)->default_value("none"),
      "exit with 1 when a finding is at or above: leak, suspect or none")(
      "sensitivity", po::value(&sensitivity)->default_value("default"),
      "detector preset: low (fewer, surer findings), default or high (more suspects)")(
      "color", po::value(&color)->default_value("auto"),
      "colour in the text report: auto (only on a terminal, honours NO_COLOR), always, never");
  read_flags.Add(desc);
  po::variables_map vm;
  if (!ParseCommandLine(args, desc, "logs", &vm, ctx.err)) return kExitUsage;
  if (vm.count("help")) {
    ctx.out << desc << "\n";
    return kExitOk;
  }
  if (!vm.count("logs")) {
    ctx.err << "perfleak analyze: no log given\n" << desc << "\n";
    return kExitUsage;
  }
  auto report_format = ParseReportFormat(format);
  auto sens = ParseSensitivity(sensitivity);
  auto color_mode = ParseColor(color);
  for (const Status& st : {report_format.status(), sens.status(), color_mode.status()}) {
    if (!st.ok()) {
      ctx.err << "perfleak analyze: " << st.message() << "\n";
      return kExitUsage;
    }
  }
  std::optional<Verdict> fail_threshold;
  if (fail_on == "leak") {
    fail_threshold = Verdict::kLeak;
  } else if (fail_on == "suspect") {
    fail_threshold = Verdict::kSuspect;
  } else if (fail_on != "none") {
    ctx.err << "perfleak analyze: --fail-on must be leak, suspect or none\n";
    return kExitUsage;
  }

  ReadOptions read_options = read_flags.ToOptions();
  read_options.counter_patterns = AnalysisCounterPatterns();
  const AnalysisOptions analysis_options = AnalysisOptions::ForSensitivity(*sens);

  Report report;
  std::size_t failed = 0;
  for (const std::string& path : vm["logs"].as<std::vector<std::string>>()) {
    report.logs.push_back(AnalyzeOne(path, read_options, analysis_options));
    if (!report.logs.back().status.ok()) {
      ctx.err << "perfleak analyze: " << report.logs.back().status.message() << "\n";
      ++failed;
    }
  }

  ReportOptions report_options;
  report_options.include_ok = all;
  report_options.sensitivity = *sens;
  report_options.color = *color_mode;
  report_options.color_enabled =
      *color_mode == ColorMode::kAlways ||
      (*color_mode == ColorMode::kAuto && output.empty() && ctx.out_is_tty && !ctx.no_color_env);
  auto reporter = MakeReporter(*report_format, report_options);
  if (!reporter) {
    ctx.err << "perfleak analyze: the " << format << " report is not available in this build\n";
    return kExitUsage;
  }
  Status written;
  if (output.empty() || output == "-") {
    written = reporter->Write(report, ctx.out);
  } else {
    std::ofstream file(output, std::ios::binary);
    if (!file) {
      ctx.err << "perfleak analyze: cannot create " << output << "\n";
      return kExitInput;
    }
    written = reporter->Write(report, file);
    if (written.ok()) ctx.err << "perfleak analyze: report written to " << output << "\n";
  }
  if (!written.ok()) {
    ctx.err << "perfleak analyze: " << written.message() << "\n";
    return kExitInput;
  }
  if (failed == report.logs.size()) return kExitInput;
  if (failed > 0)
    ctx.err << "perfleak analyze: warning: " << failed << " of " << report.logs.size()
            << " logs could not be read\n";
  if (fail_threshold) {
    for (const LogReport& entry : report.logs) {
      for (const Finding& f : entry.analysis.findings) {
        if (f.verdict >= *fail_threshold) return kExitFindings;
      }
    }
  }
  return kExitOk;
}

}  // namespace perfleak::cli
