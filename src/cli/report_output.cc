#include "report_output.h"

#include <algorithm>

#include "exit_codes.h"
#include "output_file.h"

namespace po = boost::program_options;

namespace perfleak::cli {

namespace {

Result<ColorMode> ParseColor(const std::string& text) {
  if (text == "auto") return ColorMode::kAuto;
  if (text == "always") return ColorMode::kAlways;
  if (text == "never") return ColorMode::kNever;
  return Status::InvalidArgument("--color must be auto, always or never");
}

// True when some log judged at least one process or system counter: a report of nothing but
// `no_data` logs and not-judged instances must not exit 0, which reads as "no leaks".
bool AnythingJudged(const Report& report) {
  for (const LogReport& entry : report.logs) {
    if (!entry.status.ok() || entry.analysis.no_data) continue;
    for (const Finding& f : entry.analysis.findings) {
      if (f.verdict != Verdict::kNotJudged) return true;
    }
  }
  return false;
}

// With --process: whether some analysed log has a process finding left (the analysis keeps
// only the matching ones, and the system's).
bool MatchesAnyProcess(const Report& report) {
  for (const LogReport& entry : report.logs) {
    if (!entry.status.ok()) continue;
    for (const Finding& f : entry.analysis.findings) {
      if (!f.system) return true;
    }
  }
  // Nothing analysed at all is an input error, reported as such below.
  return std::none_of(report.logs.begin(), report.logs.end(),
                      [](const LogReport& entry) { return entry.status.ok(); });
}

// Logs that do not cover the focus window (kOutOfRange) move from the analysed logs to the
// list of files not analysed, with the reason. When no log covers it, the error of each is
// printed and the usage exit code returned.
std::optional<int> SetAsideLogsOutsideFocus(Report* report, const char* command,
                                            std::ostream& err) {
  const auto outside = [](const LogReport& entry) {
    return entry.status.code() == StatusCode::kOutOfRange;
  };
  const auto count = std::count_if(report->logs.begin(), report->logs.end(), outside);
  if (count == 0) return std::nullopt;
  if (count == static_cast<std::ptrdiff_t>(report->logs.size())) {
    for (const LogReport& entry : report->logs) {
      err << "perfleak " << command << ": " << entry.status.message() << "\n";
    }
    return kExitUsage;
  }
  std::vector<LogReport> kept;
  for (LogReport& entry : report->logs) {
    if (!outside(entry)) {
      kept.push_back(std::move(entry));
      continue;
    }
    report->skipped.push_back({entry.path, "outside the incident time: " + entry.status.message()});
  }
  report->logs = std::move(kept);
  std::stable_sort(report->skipped.begin(), report->skipped.end(),
                   [](const SkippedInput& a, const SkippedInput& b) { return a.path < b.path; });
  err << "perfleak " << command << ": " << count << " log" << (count == 1 ? "" : "s")
      << " outside the incident time, listed as not analysed\n";
  return std::nullopt;
}

// The decisions on the whole report before it is written; an exit code when it is not.
std::optional<int> CheckWholeReport(Report* report, const FocusOptions& focus, const char* command,
                                    std::ostream& err) {
  if (focus.HasWindow()) {
    // A focus time outside every log is the caller's mistake; outside some logs of a case
    // folder it only says that those logs do not cover the incident.
    if (const std::optional<int> exit = SetAsideLogsOutsideFocus(report, command, err)) {
      return exit;
    }
    for (const LogReport& entry : report->logs) {
      if (entry.status.code() == StatusCode::kInvalidArgument) {
        err << "perfleak " << command << ": " << entry.status.message() << "\n";
        return kExitUsage;
      }
    }
  }
  if (!focus.process.empty() && !MatchesAnyProcess(*report)) {
    err << "perfleak " << command << ": --process " << focus.process
        << " matches no process in the logs analysed\n";
    for (const LogReport& entry : report->logs) {
      for (const std::string& w : entry.analysis.warnings) {
        if (w.find("--process") != std::string::npos) err << "  " << w << "\n";
      }
    }
    return kExitUsage;
  }
  return std::nullopt;
}

// The exit code of a written report.
int ExitCode(const Report& report, const ReportFlags& flags, const FocusOptions& focus,
             const char* command, std::ostream& err) {
  const auto failed = static_cast<std::size_t>(std::count_if(
      report.logs.begin(), report.logs.end(), [](const LogReport& e) { return !e.status.ok(); }));
  if (report.logs.empty()) {
    err << "perfleak " << command << ": no counter log found in the given paths\n";
    return kExitInput;
  }
  if (failed == report.logs.size()) return kExitInput;
  if (failed > 0)
    err << "perfleak " << command << ": warning: " << failed << " of " << report.logs.size()
        << " logs could not be read\n";
  if (!AnythingJudged(report)) {
    err << "perfleak " << command
        << ": nothing could be judged: no log has the Process or Memory counters perfleak needs "
           "with enough samples (see the report; exit code "
        << kExitNothingJudged << ")\n";
    return kExitNothingJudged;
  }
  if (flags.fail_threshold) {
    for (const LogReport& entry : report.logs) {
      for (const Finding& f : entry.analysis.findings) {
        // With --process the verdict asked for is that process's, not the system's.
        if (f.system && !focus.process.empty()) continue;
        if (f.verdict >= *flags.fail_threshold) return kExitFindings;
      }
    }
  }
  return kExitOk;
}

}  // namespace

void ReportFlags::Add(po::options_description& desc) {
  desc.add_options()("format,f", po::value(&format)->default_value("text"),
                     "report format: text, json or html")(
      "output,o", po::value(&output),
      "write the report to this file (default: standard output); a write that fails, even at "
      "the final flush (a full disk), exits 3")(
      "fail-on", po::value(&fail_on)->default_value("none"),
      "exit with 1 when a finding is at or above: leak, suspect or none")(
      "color", po::value(&color)->default_value("auto"),
      "colour in the text report: auto (only on a terminal, honours NO_COLOR), always, never");
}

std::optional<int> ReportFlags::Check(const char* command, std::ostream& err) {
  auto parsed_format = ParseReportFormat(format);
  auto parsed_color = ParseColor(color);
  for (const Status& st : {parsed_format.status(), parsed_color.status()}) {
    if (!st.ok()) {
      err << "perfleak " << command << ": " << st.message() << "\n";
      return kExitUsage;
    }
  }
  report_format = *parsed_format;
  color_mode = *parsed_color;
  if (fail_on == "leak") {
    fail_threshold = Verdict::kLeak;
  } else if (fail_on == "suspect") {
    fail_threshold = Verdict::kSuspect;
  } else if (fail_on != "none") {
    err << "perfleak " << command << ": --fail-on must be leak, suspect or none\n";
    return kExitUsage;
  }
  return std::nullopt;
}

int FinishReport(Report report, const ReportRun& run, const ReportFlags& flags, const char* command,
                 CliContext& ctx, const std::function<void(const Report&)>& after_write) {
  if (auto exit = CheckWholeReport(&report, run.focus, command, ctx.err)) return *exit;
  for (const LogReport& entry : report.logs) {
    if (!entry.status.ok())
      ctx.err << "perfleak " << command << ": " << entry.status.message() << "\n";
  }
  ReportOptions options = run.options;
  const bool to_stdout = flags.ToStdout();
  if (ctx.columns != 0 && (to_stdout || ctx.columns_from_env)) options.width = ctx.columns;
  options.color_enabled = flags.color_mode == ColorMode::kAlways ||
                          (flags.color_mode == ColorMode::kAuto && flags.output.empty() &&
                           ctx.out_is_tty && !ctx.no_color_env);
  auto reporter = MakeReporter(flags.report_format, options);
  const auto write = [&](std::ostream& out) { return reporter->Write(report, out); };
  const Status written =
      to_stdout ? WriteOutputStream(ctx.out, write) : WriteOutputFile(flags.output, write);
  if (!written.ok()) {
    ctx.err << "perfleak " << command << ": " << written.message() << "\n";
    return kExitInput;
  }
  if (!to_stdout)
    ctx.err << "perfleak " << command << ": report written to " << flags.output << "\n";
  if (after_write) after_write(report);
  return ExitCode(report, flags, run.focus, command, ctx.err);
}

}  // namespace perfleak::cli
