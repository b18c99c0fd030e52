// Batch runner: phase 1 reads every file in parallel (keeping decoded columns up to a memory
// budget), phase 2 groups the parts of each collection, stitches, analyses and thins each group
// in parallel, phase 3 orders the results by path so the report does not depend on timing.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "batch/chart_thinning_internal.h"
#include "batch/failed_log_report.h"
#include "batch/input_shard.h"
#include "batch/timelines.h"
#include "common/parallel_for_internal.h"
#include "perfleak/batch.h"
#include "perfleak/log_stitch.h"
#include "perfleak/log_summary.h"
#include "perfleak/reader.h"
#include "perfleak/tasklist.h"

namespace perfleak {

namespace {

struct FileState {
  LogInput input;
  std::string path;  // input.path, set once the file's turn has come
  Status status;
  std::optional<CounterLog> log;  // kept from phase 1 while the memory budget allows
  std::string key;
  Ticks first_utc = 0, last_utc = 0;
  std::uint64_t size = 0;
  double read_seconds = 0.0;
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::size_t ColumnBytes(const CounterLog& log) {
  return (log.num_counters() * sizeof(double) + 2 * sizeof(Ticks)) * log.num_samples();
}

// Keeps only what the report needs of an analysed log: the columns charts draw (each finding's
// lead evidence), thinned. Every evidence column would be five times the work and the memory
// a batch holds until the report is written, for series nothing draws. Lifetimes keep the
// analysed log's indices and their exact times (charts place them by time).
Status ThinReportLog(LogReport* entry, const CounterLog& log, const BatchOptions& options,
                     std::size_t threads) {
  std::vector<std::size_t> columns;
  for (const Finding& f : entry->analysis.findings) {
    const Evidence* lead = LeadEvidence(f);
    if (lead != nullptr && options.chart_columns) columns.push_back(lead->column);
  }
  std::sort(columns.begin(), columns.end());
  columns.erase(std::unique(columns.begin(), columns.end()), columns.end());
  // Thinned in column slices side by side (a wide log has thousands of evidence columns),
  // then the slices' columns are joined in order.
  const std::size_t slices =
      std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(1, columns.size()));
  std::vector<CounterLog> thinned(slices);
  PERFLEAK_RETURN_NOT_OK(internal::ParallelFor(slices, slices, [&](std::size_t k) {
    const std::vector<std::size_t> slice(
        columns.begin() + static_cast<std::ptrdiff_t>(columns.size() * k / slices),
        columns.begin() + static_cast<std::ptrdiff_t>(columns.size() * (k + 1) / slices));
    thinned[k] = internal::ThinForCharts(log, slice, options.chart_points, nullptr);
  }));
  CounterLog thin = std::move(thinned[0]);
  for (std::size_t k = 1; k < slices; ++k) {
    for (CounterPath& p : thinned[k].paths) thin.paths.push_back(std::move(p));
    for (Column& c : thinned[k].columns) thin.columns.push_back(std::move(c));
  }
  for (Finding& f : entry->analysis.findings) {
    const Evidence* lead = LeadEvidence(f);
    for (Evidence& e : f.evidence) {
      e.column =
          &e == lead && options.chart_columns
              ? static_cast<std::size_t>(
                    std::lower_bound(columns.begin(), columns.end(), e.column) - columns.begin())
              : kColumnNotKept;
    }
  }
  entry->log = std::make_shared<const CounterLog>(std::move(thin));
  return Status::OK();
}

// A failure thrown inside one log's work (out of memory) becomes that log's error.
Status ForPath(const std::string& path, const Status& thrown) {
  return Status(thrown.code(), path + ": " + thrown.message());
}

// The `tasklist /svc` exports of the inputs, each read once; a failed read keeps its error.
struct CaseExports {
  std::vector<std::string> paths;
  std::vector<std::optional<TasklistExport>> parsed;
  std::vector<Status> errors;
  std::vector<std::filesystem::path> folders;  // each export's folder, lexically normal
  std::vector<bool> named;                     // named on the command line: applies to all
  std::vector<std::filesystem::path> roots;    // folders named on the command line
};

std::filesystem::path FolderOf(const std::string& path) {
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  return (folder.empty() ? std::filesystem::path(".") : folder).lexically_normal();
}

CaseExports ReadCaseExports(const std::vector<std::string>& tasklists,
                            const std::vector<std::string>& args) {
  CaseExports out;
  for (const std::string& arg : args) {
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      out.roots.push_back(std::filesystem::path(arg).lexically_normal());
    }
  }
  for (const std::string& path : tasklists) {
    out.paths.push_back(path);
    auto parsed = ReadTasklistExport(path);
    out.errors.push_back(parsed.status());
    out.parsed.push_back(parsed.ok() ? std::optional(std::move(parsed).value()) : std::nullopt);
    out.folders.push_back(FolderOf(path));
    out.named.push_back(std::find(args.begin(), args.end(), path) != args.end());
  }
  return out;
}

// A path inside `root` (lexically: `root` names a folder of the command line).
bool Inside(const std::filesystem::path& path, const std::filesystem::path& root) {
  const std::filesystem::path rel = path.lexically_normal().lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

// Names the services of the log's svchost findings from the exports of its case folder: the
// folder of each of its parts, a folder of the command line holding it, or named there.
void AttachCaseServices(const CaseExports& exports, const std::vector<std::string>& parts,
                        const CounterLog& log, LogReport* entry) {
  std::vector<TasklistExport> relevant;
  for (std::size_t k = 0; k < exports.paths.size(); ++k) {
    const bool applies =
        exports.named[k] || std::any_of(parts.begin(), parts.end(), [&](const std::string& p) {
          if (FolderOf(p) == exports.folders[k]) return true;
          return std::any_of(exports.roots.begin(), exports.roots.end(), [&](const auto& root) {
            return root == exports.folders[k] && Inside(p, root);
          });
        });
    if (!applies) continue;
    if (!exports.parsed[k]) {
      entry->analysis.warnings.push_back(exports.errors[k].message() +
                                         "; its services are not named");
      continue;
    }
    relevant.push_back(*exports.parsed[k]);
  }
  for (std::string& w : AttachHostedServices(relevant, log, &entry->analysis)) {
    entry->analysis.warnings.push_back(std::move(w));
  }
}

// What the phases of one RunBatch call share.
struct BatchRun {
  const BatchOptions& options;
  const CaseExports& exports;
  ReadOptions read;
  AnalysisOptions analysis;
  std::mutex progress_mu;
  BatchProgress progress;

  void Progress(const std::function<void(BatchProgress&)>& update) {
    if (!options.on_progress) return;
    std::lock_guard<std::mutex> lock(progress_mu);
    update(progress);
    options.on_progress(progress);
  }
};

// Phase 1 for one file: read it, note its collection key and time range, and keep its columns
// while the memory budget (`retained`, bytes kept so far) allows.
void ReadFile(BatchRun& run, std::atomic<std::size_t>& retained, FileState& file) {
  const auto start = std::chrono::steady_clock::now();
  auto log = ReadLogInput(file.input, run.read, run.options.archive);
  file.read_seconds = SecondsSince(start);
  if (!log.ok()) {
    file.status = log.status();
  } else {
    // A log without samples (a roll-over file cut right after its header) has no place in
    // a timeline: it stays on its own and its report says there is nothing to analyse.
    if (log->time_utc.empty()) {
      file.key = "\x01no samples\x01" + file.path;
    } else {
      file.key = CollectionKey(*log);
      file.first_utc = log->time_utc.front();
      file.last_utc = log->time_utc.back();
    }
    const std::size_t bytes = ColumnBytes(*log);
    if (retained.fetch_add(bytes) + bytes <= run.options.retain_bytes) {
      file.log = std::move(log).value();
    } else {
      retained.fetch_sub(bytes);
    }
  }
  file.size = file.input.size;
  run.Progress([&](BatchProgress& p) {
    ++p.files_done;
    p.bytes_done += file.size;
  });
}

std::vector<FileState> ReadFiles(BatchRun& run, const std::vector<LogInput>& inputs,
                                 std::size_t jobs) {
  std::vector<FileState> files(inputs.size());
  std::atomic<std::size_t> retained{0};
  const Status read_all = internal::ParallelFor(files.size(), jobs, [&](std::size_t i) {
    FileState& file = files[i];
    file.input = inputs[i];
    file.path = file.input.path;
    const Status thrown = internal::CaptureExceptions([&] { ReadFile(run, retained, file); });
    if (!thrown.ok()) {
      file.log.reset();
      file.status = ForPath(file.path, thrown);
    }
  });
  for (std::size_t i = 0; i < files.size() && !read_all.ok(); ++i) {
    if (!files[i].path.empty()) continue;
    files[i].input = inputs[i];
    files[i].path = files[i].input.path;
    files[i].status = ForPath(files[i].path, read_all);
  }
  return files;
}

// The logs of one timeline in time order: kept from phase 1, else read again. A part that
// cannot be read again becomes a failed entry of `reports`.
std::vector<CounterLog> TimelineParts(const BatchRun& run, const std::vector<std::size_t>& group,
                                      std::vector<FileState>& files, LogTimings* timings,
                                      std::vector<LogReport>* reports) {
  std::vector<CounterLog> parts;
  for (std::size_t idx : group) {
    FileState& file = files[idx];
    timings->bytes_read += file.size;
    timings->read_seconds += file.read_seconds;
    if (file.log) {
      parts.push_back(std::move(*file.log));
      file.log.reset();
      continue;
    }
    const auto start = std::chrono::steady_clock::now();
    auto again = ReadLogInput(file.input, run.read, run.options.archive);
    timings->bytes_read += file.size;
    timings->read_seconds += SecondsSince(start);
    if (!again.ok()) {
      reports->push_back(internal::FailedLogReport(file.input, again.status()));
      continue;
    }
    parts.push_back(std::move(again).value());
  }
  return parts;
}

// Phase 2 for one timeline: stitch its parts, analyse, name svchost services, thin for charts.
std::vector<LogReport> AnalyseTimeline(const BatchRun& run, const std::vector<std::size_t>& group,
                                       std::vector<FileState>& files) {
  std::vector<LogReport> reports;
  LogTimings timings;
  std::vector<CounterLog> parts = TimelineParts(run, group, files, &timings, &reports);
  if (parts.empty()) return reports;
  const auto start = std::chrono::steady_clock::now();
  const LogInput& first = files[group.front()].input;
  LogReport entry;
  auto stitched = StitchLogs(std::move(parts), &entry.parts);
  if (!stitched.ok()) {
    reports.push_back(internal::FailedLogReport(first, stitched.status()));
    return reports;
  }
  const CounterLog& log = *stitched;
  entry.path = log.source;
  entry.archive = first.archive;
  entry.format = log.format;
  entry.summary = Summarize(log, run.analysis.num_threads);
  entry.warnings = log.warnings;
  auto analysed = AnalyzeLog(log, run.analysis);
  if (!analysed.ok()) {
    entry.status = analysed.status();
  } else {
    entry.analysis = std::move(analysed).value();
    if (!run.exports.paths.empty()) {
      AttachCaseServices(run.exports, entry.parts.empty() ? std::vector{entry.path} : entry.parts,
                         log, &entry);
    }
    entry.status = ThinReportLog(&entry, log, run.options, run.analysis.num_threads);
  }
  entry.timings = timings;
  entry.timings.analysis_seconds = SecondsSince(start);
  reports.push_back(std::move(entry));
  return reports;
}

// The readable files grouped into timelines; the unreadable ones go to `report` as failed.
std::vector<std::vector<std::size_t>> Timelines(const BatchOptions& options,
                                                std::vector<FileState>& files, Report* report) {
  std::vector<internal::TimelineFile> spans(files.size());
  std::vector<std::size_t> readable;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (!files[i].status.ok()) {
      report->logs.push_back(internal::FailedLogReport(files[i].input, files[i].status));
      continue;
    }
    spans[i] = {std::move(files[i].key), files[i].path, files[i].first_utc, files[i].last_utc};
    readable.push_back(i);
  }
  const auto max_gap =
      static_cast<Ticks>(options.max_stitch_gap_s * static_cast<double>(kTicksPerSecond));
  return internal::GroupTimelines(spans, readable, options.stitch, max_gap);
}

}  // namespace

Report RunBatch(const std::vector<std::string>& paths, const BatchOptions& options) {
  BatchInputs inputs = DiscoverInputs(paths, options);
  if (const Status sharded = internal::SelectShard(options, &inputs); !sharded.ok()) {
    Report failed;
    failed.logs.push_back(internal::FailedLogReport(paths.empty() ? "" : paths.front(), sharded));
    return failed;
  }
  const CaseExports exports = ReadCaseExports(inputs.tasklists, paths);
  Report report;
  report.skipped = std::move(inputs.skipped);
  report.logs = std::move(inputs.failed);

  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t jobs = options.jobs != 0 ? options.jobs : cores;
  // Cores not taken by logs running side by side go to each log's own reader and analysis
  // threads: one large log gets them all, a folder of many logs one each (nested pools of
  // full size would oversubscribe).
  const auto per_log = [&](std::size_t logs) {
    return std::max<std::size_t>(1, cores / std::clamp<std::size_t>(logs, 1, jobs));
  };
  BatchRun run{options, exports, options.read, options.analysis, {}, {}};
  if (run.read.num_threads == 0) run.read.num_threads = per_log(inputs.logs.size());
  run.progress.files_total = inputs.logs.size();
  run.progress.bytes_total = inputs.total_bytes;
  std::vector<FileState> files = ReadFiles(run, inputs.logs, jobs);

  const std::vector<std::vector<std::size_t>> groups = Timelines(options, files, &report);
  if (run.analysis.num_threads == 0) run.analysis.num_threads = per_log(groups.size());
  std::vector<std::vector<LogReport>> results(groups.size());
  run.Progress([&](BatchProgress& p) {
    p.analysing = true;
    p.timelines_total = groups.size();
  });
  const Status analyse_all = internal::ParallelFor(groups.size(), jobs, [&](std::size_t g) {
    const Status thrown =
        internal::CaptureExceptions([&] { results[g] = AnalyseTimeline(run, groups[g], files); });
    if (!thrown.ok()) {
      const LogInput& input = files[groups[g].front()].input;
      results[g].clear();
      results[g].push_back(internal::FailedLogReport(input, ForPath(input.path, thrown)));
    }
    run.Progress([](BatchProgress& p) { ++p.timelines_done; });
  });
  for (std::size_t g = 0; g < groups.size() && !analyse_all.ok(); ++g) {
    if (!results[g].empty()) continue;
    const LogInput& input = files[groups[g].front()].input;
    results[g].push_back(internal::FailedLogReport(input, ForPath(input.path, analyse_all)));
  }
  for (auto& group_reports : results) {
    for (LogReport& r : group_reports) report.logs.push_back(std::move(r));
  }
  std::sort(report.logs.begin(), report.logs.end(),
            [](const LogReport& a, const LogReport& b) { return a.path < b.path; });
  return report;
}

}  // namespace perfleak
