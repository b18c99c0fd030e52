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
#include "perfleak/report_part.h"
#include "perfleak/time_format.h"
#include "progress_bar.h"
#include "read_flags.h"
#include "report_output.h"

namespace po = boost::program_options;

namespace perfleak::cli {

namespace {

// `--timings`: per log, reading throughput and analysis time; then the whole run.
void PrintTimings(const Report& report, std::chrono::steady_clock::time_point start,
                  std::chrono::steady_clock::time_point batch_done, std::ostream& err) {
  const auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
  double read_sum = 0.0, analysis_sum = 0.0;
  std::size_t timed = 0;
  for (const LogReport& entry : report.logs) {
    const LogTimings& t = entry.timings;
    if (t.bytes_read == 0 && t.read_seconds == 0.0) continue;  // failed before reading
    read_sum += t.read_seconds;
    analysis_sum += t.analysis_seconds;
    ++timed;
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
  // Summed from the unrounded times: a folder of small logs reads each in well under the
  // millisecond the lines above show.
  if (timed > 1) {
    err << fmt::format(
        "perfleak analyze: timings: summed over {} logs: reading {:.3f} s, analysis {:.3f} s "
        "(each log's own time; --jobs logs run side by side)\n",
        timed, read_sum, analysis_sum);
  }
  const auto now = std::chrono::steady_clock::now();
  err << fmt::format(
      "perfleak analyze: timings: total {:.3f} s (reading and analysis {:.3f} s, report {:.3f} "
      "s)\n",
      seconds(now - start), seconds(batch_done - start), seconds(now - batch_done));
}

// The flags of `analyze` beyond the report's and the reader's.
struct AnalyzeFlags {
  ReportFlags report;
  ReadFlags read;
  std::string sensitivity = "default", shard_text;
  bool all = false, no_stitch = false, quiet = false, timings = false;
  Count jobs;
  std::vector<std::string> include, exclude;
  FocusOptions focus;
  // Set by Check().
  Sensitivity preset = Sensitivity::kDefault;
  Shard shard;

  void Add(po::options_description& desc) {
    desc.add_options()("help,h", "show this help");
    report.Add(desc);
    desc.add_options()("all", po::bool_switch(&all), "also list the processes judged ok")(
        "sensitivity", po::value(&sensitivity)->default_value("default"),
        "detector preset: low (fewer, surer findings), default or high (more suspects)")(
        "include", po::value(&include)->composing(),
        "in folders, only files whose name or relative path matches this glob (repeatable)")(
        "exclude", po::value(&exclude)->composing(),
        "in folders, skip files matching this glob (repeatable)")(
        "no-stitch", po::bool_switch(&no_stitch),
        "analyse roll-over parts and consecutive logs of one collection separately")(
        "jobs,j", po::value(&jobs)->default_value(Count{}),
        "logs analysed in parallel (0 = all cores; cores left over go to each log's own "
        "threads)")("quiet,q", po::bool_switch(&quiet),
                    "no progress bar (it is drawn on stderr only when that is a terminal)")(
        "timings", po::bool_switch(&timings),
        "print on stderr where the time went: reading (MB/s) and analysis per log, each "
        "summed over the logs, and in total")(
        "shard", po::value(&shard_text),
        "K/N: analyse only the K-th of N parts of the inputs (the logs of one machine stay in "
        "one part) and write a report part (JSON) for `perfleak merge`, which writes the "
        "report of the whole run; --format and --fail-on then belong to merge");
    desc.add_options()(
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
    read.Add(desc);
  }

  std::optional<int> Usage(const std::string& message, std::ostream& err) const {
    err << "perfleak analyze: " << message << "\n";
    return kExitUsage;
  }

  std::optional<int> Check(const po::variables_map& vm, std::ostream& err) {
    if (auto exit = read.Check("analyze", err)) return exit;
    if (auto exit = report.Check("analyze", err)) return exit;
    auto sens = ParseSensitivity(sensitivity);
    if (!sens.ok()) return Usage(sens.status().message(), err);
    preset = *sens;
    for (const auto& [name, text] : {std::pair{"--from", &focus.from}, std::pair{"--to", &focus.to},
                                     std::pair{"--at", &focus.at}}) {
      if (text->empty()) continue;
      if (auto parsed = ParseTimeText(*text); !parsed.ok()) {
        return Usage(std::string(name) + ": " + parsed.status().message(), err);
      }
    }
    if (!(focus.run_up_hours > 0.0 && focus.run_up_hours < 1e5)) {
      return Usage("--run-up must be a number of hours > 0", err);
    }
    if (vm.count("shard") != 0) {
      auto parsed = ParseShard(shard_text);
      if (!parsed.ok()) return Usage(parsed.status().message(), err);
      shard = *parsed;
      for (const char* flag : {"format", "fail-on", "color"}) {
        if (!vm[flag].defaulted()) {
          return Usage(std::string("--") + flag +
                           " belongs to `perfleak merge`: a shard writes a report part (JSON)",
                       err);
        }
      }
    }
    return std::nullopt;
  }

  BatchOptions ToBatchOptions() const {
    BatchOptions batch;
    batch.read = read.ToOptions();
    batch.archive = read.ToArchiveOptions();
    batch.read.counter_patterns = AnalysisCounterPatterns();
    batch.analysis = AnalysisOptions::ForSensitivity(preset);
    batch.analysis.focus = focus;
    batch.analysis.memory.run_up_hours = focus.run_up_hours;
    batch.include = include;
    batch.exclude = exclude;
    batch.stitch = !no_stitch;
    batch.jobs = jobs.value;
    batch.shard = shard;
    return batch;
  }

  ReportRun ToRun() const {
    ReportRun run;
    // A process in focus is shown whatever its verdict.
    run.options.include_ok = all || !focus.process.empty();
    run.options.every_counter = !focus.process.empty();
    run.options.sensitivity = preset;
    run.focus = focus;
    return run;
  }
};

// `--shard K/N`: the part goes to -o (or stdout) as it is; what the run decides on the whole
// report (exit codes, --fail-on, logs outside the focus) is the merge's.
int WritePart(const ReportPart& part, const std::string& output, CliContext& ctx) {
  for (const LogReport& entry : part.report.logs) {
    if (!entry.status.ok()) ctx.err << "perfleak analyze: " << entry.status.message() << "\n";
  }
  const auto write = [&](std::ostream& out) { return WriteReportPart(part, out); };
  const bool to_stdout = output.empty() || output == "-";
  const Status written =
      to_stdout ? WriteOutputStream(ctx.out, write) : WriteOutputFile(output, write);
  if (!written.ok()) {
    ctx.err << "perfleak analyze: " << written.message() << "\n";
    return kExitInput;
  }
  ctx.err << fmt::format("perfleak analyze: shard {}/{}: {} logs, {} skipped{}\n", part.shard.index,
                         part.shard.count, part.report.logs.size(), part.report.skipped.size(),
                         to_stdout ? "" : "; part written to " + output);
  return kExitOk;
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
      "is a leak. A log (or focus window) under 2 h says so under its header: \"no leaks\" there\n"
      "rules out only fast growth. Caveats qualify a verdict: short_capture (window under 2 h:\n"
      "collect longer), warm_up, plateau, below_floor (a steady rise under the growth floor,\n"
      "4 MB or a quarter of a small process), thread_stacks (Virtual Bytes grows with Thread\n"
      "Count, which leads), address_space (Virtual Bytes alone in a 64-bit process: at most\n"
      "suspect), by_design (SQL Server's memory within its Target Server Memory: ok),\n"
      "beyond_target.\n"
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
  AnalyzeFlags flags;
  flags.Add(desc);
  po::variables_map vm;
  if (auto exit = ParseCommandLine("analyze", args, desc, &vm, ctx.out, ctx.err)) return *exit;
  if (auto exit = flags.Check(vm, ctx.err)) return *exit;
  const std::vector<std::string> inputs = vm["logs"].as<std::vector<std::string>>();

  BatchOptions batch = flags.ToBatchOptions();
  // Only the HTML report draws charts; a shard's part may become one at `perfleak merge`.
  batch.chart_columns = batch.shard.count != 0 || flags.report.report_format == ReportFormat::kHtml;
  std::optional<ProgressBar> bar;
  if (!flags.quiet && ::isatty(STDERR_FILENO) != 0 && &ctx.err == &std::cerr) {
    bar.emplace(ctx.err);
    batch.on_progress = [&bar](const BatchProgress& p) { bar->Update(p); };
  }
  const auto start = std::chrono::steady_clock::now();
  Report report = RunBatch(inputs, batch);
  const auto batch_done = std::chrono::steady_clock::now();
  bar.reset();
  if (batch.shard.count != 0) {
    const ReportRun run = flags.ToRun();
    ReportPart part{batch.shard, inputs,    RunSettings(batch, run.options),
                    run.options, run.focus, std::move(report)};
    return WritePart(part, flags.report.output, ctx);
  }
  return FinishReport(std::move(report), flags.ToRun(), flags.report, "analyze", ctx,
                      [&](const Report& written) {
                        if (flags.timings) PrintTimings(written, start, batch_done, ctx.err);
                      });
}

}  // namespace perfleak::cli
