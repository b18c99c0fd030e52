#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <ostream>

#include "commands.h"
#include "exit_codes.h"
#include "output_file.h"
#include "perfleak/analysis.h"
#include "perfleak/batch.h"
#include "perfleak/log_summary.h"
#include "perfleak/memory_pressure.h"
#include "perfleak/reader.h"
#include "perfleak/report.h"
#include "perfleak/time_format.h"
#include "progress_bar.h"
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

// `--timings`: per log, reading throughput and analysis time; then the whole run.
void PrintTimings(const Report& report, std::chrono::steady_clock::time_point start,
                  std::chrono::steady_clock::time_point batch_done, std::ostream& err) {
  const auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
  for (const LogReport& entry : report.logs) {
    const LogTimings& t = entry.timings;
    if (t.bytes_read == 0 && t.read_seconds == 0.0) continue;  // failed before reading
    std::size_t counters = 0, processes = 0;
    for (const Finding& f : entry.analysis.findings) {
      counters += f.evidence.size();
      processes += f.system ? 0 : 1;
    }
    const double mb = static_cast<double>(t.bytes_read) / 1e6;
    err << fmt::format(
        "perfleak analyze: timings: {}: read {:.1f} MB in {:.3f} s ({:.0f} MB/s); analysed {} "
        "processes ({} counters) in {:.3f} s\n",
        entry.path, mb, t.read_seconds, t.read_seconds > 0.0 ? mb / t.read_seconds : 0.0, processes,
        counters, t.analysis_seconds);
  }
  const auto now = std::chrono::steady_clock::now();
  err << fmt::format(
      "perfleak analyze: timings: total {:.3f} s (reading and analysis {:.3f} s, report {:.3f} "
      "s)\n",
      seconds(now - start), seconds(batch_done - start), seconds(now - batch_done));
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
std::optional<int> SetAsideLogsOutsideFocus(Report* report, std::ostream& err) {
  const auto outside = [](const LogReport& entry) {
    return entry.status.code() == StatusCode::kOutOfRange;
  };
  const auto count = std::count_if(report->logs.begin(), report->logs.end(), outside);
  if (count == 0) return std::nullopt;
  if (count == static_cast<std::ptrdiff_t>(report->logs.size())) {
    for (const LogReport& entry : report->logs) {
      err << "perfleak analyze: " << entry.status.message() << "\n";
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
  std::sort(report->skipped.begin(), report->skipped.end(),
            [](const SkippedInput& a, const SkippedInput& b) { return a.path < b.path; });
  err << "perfleak analyze: " << count << " log" << (count == 1 ? "" : "s")
      << " outside the incident time, listed as not analysed\n";
  return std::nullopt;
}

}  // namespace

int RunAnalyze(const std::vector<std::string>& args, CliContext& ctx) {
  po::options_description desc(
      "Usage: perfleak analyze LOG|FOLDER... [options]\n"
      "Finds leaking processes: splits each process instance into lifetimes (ID Process\n"
      "changes = restart), fits robust trends (Theil-Sen, Huber IRLS) on the right signal\n"
      "(lower envelope of sawtooth series, the regime after the last change point) for Private\n"
      "Bytes, Virtual Bytes, Working Set, Handle Count, Thread Count and pool bytes, and ranks\n"
      "the instances as leak, suspect or ok with a score and the next diagnostic step.\n"
      "Folders are searched recursively for counter logs (by content, not by name); roll-over\n"
      "parts of one collection are stitched into one timeline; logs are analysed in parallel and\n"
      "a log that fails is listed in the report without stopping the others. With more than one\n"
      "machine the report adds a fleet summary (machines x leaking processes), and a process\n"
      "leaking on several machines ranks above one leaking on a single machine. A `tasklist\n"
      "/svc` export (text or CSV) beside a log, in a folder given, or named here is read, not\n"
      "analysed: it names the services of each svchost PID in the findings.\n"
      "Case bundles are read in place, never extracted: .zip, .cab, .7z, .tar, .tar.gz/.bz2/.xz\n"
      "and .gz (told by content), named or found in a folder, archives in archives to\n"
      "--archive-depth; a member is shown as case.zip!/TSS/Perfmon/DataCollector01.blg and the\n"
      "globs match member paths. Damaged or encrypted members are listed as failed; a member\n"
      "beyond --archive-max-bytes or --archive-max-ratio (a zip bomb) fails with \"limit\n"
      "exceeded\".\n"
      "Exit codes: 0 when at least one log was analysed (failed logs are listed on stderr with\n"
      "a warning line), 1 for findings at or above --fail-on, 2 usage error, 3 when no log\n"
      "could be read, 4 when logs were read but nothing could be judged (no Process or Memory\n"
      "counter, no sample, or too few samples for every process: the report says which and\n"
      "prints the logman command that collects what is needed).\n"
      "Verdicts: leak, suspect, ok, and not judged (too few samples; listed apart, never as ok).\n"
      "Growth that slows to a plateau is warm-up (ok, \"looks like warm-up\"), whatever the log's\n"
      "length; a rise that stopped late is at most suspect; a staircase that keeps stepping up\n"
      "is a leak. Caveats qualify a verdict: short_capture (window under 2 h: collect longer),\n"
      "warm_up, plateau, below_floor (a steady rise under the growth floor, 4 MB or a quarter\n"
      "of a small process), thread_stacks (Virtual Bytes grows with Thread Count, which leads),\n"
      "address_space (Virtual Bytes alone in a 64-bit process: at most suspect), by_design\n"
      "(SQL Server's memory within its Target Server Memory: ok), beyond_target.\n"
      "Growth figures are observed (median of the window's first and last tenth); the rate is\n"
      "the robust trend. Commit and kernel-pool findings are in the System section, apart from\n"
      "the process ranking. Forecasts appear only where the rate's 95 % interval excludes\n"
      "zero, the trend covers at least 30 min and the limit is within 4x that span.\n"
      "Post-mortem: with Memory counters in the log, the report gains a System memory section\n"
      "(commit against its limit, pressure episodes with the processes and kernel pools that\n"
      "grew before them, time to commit exhaustion). `--at TIME` analyses the run-up to an\n"
      "incident and names who consumed the memory, with each one's share of the growth.\n"
      "Times are the log's local time as it shows it (2026-11-20 03:12, 2026-11-20T03:12:00,\n"
      "11/20/2026 03:12:00) or ISO 8601 with a zone (2026-11-20T08:12:00Z, ...+02:00).\n\n"
      "Options");
  ReadFlags read_flags;
  std::string format = "text", output, fail_on = "none", sensitivity = "default", color = "auto";
  bool all = false, no_stitch = false, quiet = false, timings = false;
  Count jobs;
  std::vector<std::string> include, exclude;
  FocusOptions focus;
  desc.add_options()("help,h", "show this help")(
      "format,f", po::value(&format)->default_value("text"), "report format: text, json or html")(
      "output,o", po::value(&output),
      "write the report to this file (default: standard output); a write that fails, "
      "even at the final flush (a full disk), exits 3")("all", po::bool_switch(&all),
                                                        "also list the processes judged ok")(
      "fail-on", po::value(&fail_on)->default_value("none"),
      "exit with 1 when a finding is at or above: leak, suspect or none")(
      "sensitivity", po::value(&sensitivity)->default_value("default"),
      "detector preset: low (fewer, surer findings), default or high (more suspects)")(
      "color", po::value(&color)->default_value("auto"),
      "colour in the text report: auto (only on a terminal, honours NO_COLOR), always, never")(
      "include", po::value(&include)->composing(),
      "in folders, only files whose name or relative path matches this glob (repeatable)")(
      "exclude", po::value(&exclude)->composing(),
      "in folders, skip files matching this glob (repeatable)")(
      "no-stitch", po::bool_switch(&no_stitch),
      "analyse roll-over parts and consecutive logs of one collection separately")(
      "jobs,j", po::value(&jobs)->default_value(Count{}),
      "logs analysed in parallel (0 = all cores; cores left over go to each log's own threads)")(
      "quiet,q", po::bool_switch(&quiet),
      "no progress bar (it is drawn on stderr only when that is a terminal)")(
      "timings", po::bool_switch(&timings),
      "print on stderr where the time went: reading (MB/s) and analysis per log, and in total")(
      "process", po::value(&focus.process),
      "post-mortem: report only this process (image name with or without .exe, instance or "
      "PID) with all its counters and lifetimes; --fail-on judges only it; no match = exit 2")(
      "from", po::value(&focus.from), "post-mortem: analyse from this time (see above)")(
      "to", po::value(&focus.to), "post-mortem: analyse up to this time")(
      "at", po::value(&focus.at),
      "post-mortem: the incident time; analyses the run-up to it (from --from, else --run-up "
      "hours before) and ranks who grew")(
      "run-up", po::value(&focus.run_up_hours)->default_value(6.0),
      "hours before --at (and before each pressure peak) in which growth is attributed");
  read_flags.Add(desc);
  po::variables_map vm;
  if (auto exit = ParseCommandLine("analyze", args, desc, &vm, ctx.out, ctx.err)) return *exit;
  if (auto exit = read_flags.Check("analyze", ctx.err)) return *exit;
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

  for (const auto& [name, text] : {std::pair{"--from", &focus.from}, std::pair{"--to", &focus.to},
                                   std::pair{"--at", &focus.at}}) {
    if (text->empty()) continue;
    if (auto parsed = ParseTimeText(*text); !parsed.ok()) {
      ctx.err << "perfleak analyze: " << name << ": " << parsed.status().message() << "\n";
      return kExitUsage;
    }
  }
  if (!(focus.run_up_hours > 0.0 && focus.run_up_hours < 1e5)) {
    ctx.err << "perfleak analyze: --run-up must be a number of hours > 0\n";
    return kExitUsage;
  }

  BatchOptions batch;
  batch.read = read_flags.ToOptions();
  batch.archive = read_flags.ToArchiveOptions();
  batch.read.counter_patterns = AnalysisCounterPatterns();
  batch.analysis = AnalysisOptions::ForSensitivity(*sens);
  batch.analysis.focus = focus;
  batch.analysis.memory.run_up_hours = focus.run_up_hours;
  batch.include = include;
  batch.exclude = exclude;
  batch.stitch = !no_stitch;
  batch.jobs = jobs.value;
  std::optional<ProgressBar> bar;
  if (!quiet && ::isatty(STDERR_FILENO) != 0 && &ctx.err == &std::cerr) {
    bar.emplace(ctx.err);
    batch.on_progress = [&bar](const BatchProgress& p) { bar->Update(p); };
  }
  const auto start = std::chrono::steady_clock::now();
  Report report = RunBatch(vm["logs"].as<std::vector<std::string>>(), batch);
  const auto batch_done = std::chrono::steady_clock::now();
  bar.reset();
  std::size_t failed = 0;
  if (focus.HasWindow()) {
    // A focus time outside every log is the caller's mistake; outside some logs of a case
    // folder it only says that those logs do not cover the incident.
    if (const std::optional<int> exit = SetAsideLogsOutsideFocus(&report, ctx.err)) return *exit;
    for (const LogReport& entry : report.logs) {
      if (entry.status.code() == StatusCode::kInvalidArgument) {
        ctx.err << "perfleak analyze: " << entry.status.message() << "\n";
        return kExitUsage;
      }
    }
  }
  if (!focus.process.empty() && !MatchesAnyProcess(report)) {
    ctx.err << "perfleak analyze: --process " << focus.process
            << " matches no process in the logs analysed\n";
    for (const LogReport& entry : report.logs) {
      for (const std::string& w : entry.analysis.warnings) {
        if (w.find("--process") != std::string::npos) ctx.err << "  " << w << "\n";
      }
    }
    return kExitUsage;
  }
  for (const LogReport& entry : report.logs) {
    if (!entry.status.ok()) {
      ctx.err << "perfleak analyze: " << entry.status.message() << "\n";
      ++failed;
    }
  }

  ReportOptions report_options;
  // A process in focus is shown whatever its verdict.
  report_options.include_ok = all || !focus.process.empty();
  report_options.every_counter = !focus.process.empty();
  report_options.sensitivity = *sens;
  report_options.color = *color_mode;
  const bool to_stdout = output.empty() || output == "-";
  if (ctx.columns != 0 && (to_stdout || ctx.columns_from_env)) report_options.width = ctx.columns;
  report_options.color_enabled =
      *color_mode == ColorMode::kAlways ||
      (*color_mode == ColorMode::kAuto && output.empty() && ctx.out_is_tty && !ctx.no_color_env);
  auto reporter = MakeReporter(*report_format, report_options);
  if (!reporter) {
    ctx.err << "perfleak analyze: the " << format << " report is not available in this build\n";
    return kExitUsage;
  }
  const auto write = [&](std::ostream& out) { return reporter->Write(report, out); };
  const Status written =
      to_stdout ? WriteOutputStream(ctx.out, write) : WriteOutputFile(output, write);
  if (written.ok() && !to_stdout) {
    ctx.err << "perfleak analyze: report written to " << output << "\n";
  }
  if (!written.ok()) {
    ctx.err << "perfleak analyze: " << written.message() << "\n";
    return kExitInput;
  }
  if (timings) PrintTimings(report, start, batch_done, ctx.err);
  if (report.logs.empty()) {
    ctx.err << "perfleak analyze: no counter log found in the given paths\n";
    return kExitInput;
  }
  if (failed == report.logs.size()) return kExitInput;
  if (failed > 0)
    ctx.err << "perfleak analyze: warning: " << failed << " of " << report.logs.size()
            << " logs could not be read\n";
  if (!AnythingJudged(report)) {
    ctx.err << "perfleak analyze: nothing could be judged: no log has the Process or Memory "
               "counters perfleak needs with enough samples (see the report; exit code "
            << kExitNothingJudged << ")\n";
    return kExitNothingJudged;
  }
  if (fail_threshold) {
    for (const LogReport& entry : report.logs) {
      for (const Finding& f : entry.analysis.findings) {
        // With --process the verdict asked for is that process's, not the system's.
        if (f.system && !focus.process.empty()) continue;
        if (f.verdict >= *fail_threshold) return kExitFindings;
      }
    }
  }
  return kExitOk;
}

}  // namespace perfleak::cli
