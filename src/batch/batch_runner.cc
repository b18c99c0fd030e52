// Batch runner: phase 1 reads every file in parallel (keeping decoded columns up to a memory
// budget), phase 2 groups the parts of each collection, stitches, analyses and thins each group
// in parallel, phase 3 orders the results by path so the report does not depend on timing.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "batch/chart_thinning_internal.h"
#include "batch/failed_log_report.h"
#include "batch/input_shard.h"
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
Status ThinReportLog(LogReport* entry, const CounterLog& log, std::size_t chart_points,
                     std::size_t threads) {
  std::vector<std::size_t> columns;
  for (const Finding& f : entry->analysis.findings) {
    if (const Evidence* lead = LeadEvidence(f)) columns.push_back(lead->column);
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
    thinned[k] = internal::ThinForCharts(log, slice, chart_points, nullptr);
  }));
  CounterLog thin = std::move(thinned[0]);
  for (std::size_t k = 1; k < slices; ++k) {
    for (CounterPath& p : thinned[k].paths) thin.paths.push_back(std::move(p));
    for (std::vector<double>& c : thinned[k].columns) thin.columns.push_back(std::move(c));
  }
  for (Finding& f : entry->analysis.findings) {
    const Evidence* lead = LeadEvidence(f);
    for (Evidence& e : f.evidence) {
      e.column =
          &e == lead
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
  ReadOptions read = options.read;
  if (read.num_threads == 0) read.num_threads = per_log(inputs.logs.size());

  std::vector<FileState> files(inputs.logs.size());
  std::atomic<std::size_t> retained{0};
  std::mutex progress_mu;
  BatchProgress progress;
  progress.files_total = files.size();
  progress.bytes_total = inputs.total_bytes;
  const Status read_all = internal::ParallelFor(files.size(), jobs, [&](std::size_t i) {
    FileState& file = files[i];
    file.input = inputs.logs[i];
    file.path = file.input.path;
    const Status thrown = internal::CaptureExceptions([&] {
      const auto start = std::chrono::steady_clock::now();
      auto log = ReadLogInput(file.input, read, options.archive);
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
        if (retained.fetch_add(bytes) + bytes <= options.retain_bytes) {
          file.log = std::move(log).value();
        } else {
          retained.fetch_sub(bytes);
        }
      }
      file.size = file.input.size;
      if (options.on_progress) {
        std::lock_guard<std::mutex> lock(progress_mu);
        ++progress.files_done;
        progress.bytes_done += file.size;
        options.on_progress(progress);
      }
    });
    if (!thrown.ok()) {
      file.log.reset();
      file.status = ForPath(file.path, thrown);
    }
  });
  for (std::size_t i = 0; i < files.size() && !read_all.ok(); ++i) {
    if (!files[i].path.empty()) continue;
    files[i].input = inputs.logs[i];
    files[i].path = files[i].input.path;
    files[i].status = ForPath(files[i].path, read_all);
  }

  // Groups of files that form one timeline, each ordered by time.
  std::vector<std::vector<std::size_t>> groups;
  std::map<std::string, std::vector<std::size_t>> by_key;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (!files[i].status.ok()) {
      report.logs.push_back(internal::FailedLogReport(files[i].input, files[i].status));
    } else if (options.stitch) {
      by_key[files[i].key].push_back(i);
    } else {
      groups.push_back({i});
    }
  }
  const auto max_gap =
      static_cast<Ticks>(options.max_stitch_gap_s * static_cast<double>(kTicksPerSecond));
  for (auto& [key, members] : by_key) {
    std::sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
      return files[a].first_utc != files[b].first_utc ? files[a].first_utc < files[b].first_utc
                                                      : files[a].path < files[b].path;
    });
    Ticks chain_end = 0;
    for (std::size_t idx : members) {
      if (groups.empty() || groups.back().empty() || files[groups.back().front()].key != key ||
          files[idx].first_utc - chain_end > max_gap) {
        groups.push_back({});
      }
      groups.back().push_back(idx);
      chain_end = std::max(chain_end, files[idx].last_utc);
    }
  }

  AnalysisOptions analysis = options.analysis;
  if (analysis.num_threads == 0) analysis.num_threads = per_log(groups.size());
  std::vector<std::vector<LogReport>> results(groups.size());
  progress.analysing = true;
  progress.timelines_total = groups.size();
  if (options.on_progress) options.on_progress(progress);
  const Status analyse_all = internal::ParallelFor(groups.size(), jobs, [&](std::size_t g) {
    const Status thrown = internal::CaptureExceptions([&] {
      std::vector<CounterLog> parts;
      LogTimings timings;
      for (std::size_t idx : groups[g]) {
        FileState& file = files[idx];
        timings.bytes_read += file.size;
        timings.read_seconds += file.read_seconds;
        if (file.log) {
          parts.push_back(std::move(*file.log));
          file.log.reset();
          continue;
        }
        const auto start = std::chrono::steady_clock::now();
        auto again = ReadLogInput(file.input, read, options.archive);
        timings.bytes_read += file.size;
        timings.read_seconds += SecondsSince(start);
        if (!again.ok()) {
          results[g].push_back(internal::FailedLogReport(file.input, again.status()));
          continue;
        }
        parts.push_back(std::move(again).value());
      }
      if (parts.empty()) return;
      const auto start = std::chrono::steady_clock::now();
      LogReport entry;
      auto stitched = StitchLogs(std::move(parts), &entry.parts);
      if (!stitched.ok()) {
        results[g].push_back(
            internal::FailedLogReport(files[groups[g].front()].input, stitched.status()));
        return;
      }
      const CounterLog& log = *stitched;
      entry.path = log.source;
      entry.archive = files[groups[g].front()].input.archive;
      entry.format = log.format;
      entry.summary = Summarize(log, analysis.num_threads);
      entry.warnings = log.warnings;
      auto analysed = AnalyzeLog(log, analysis);
      if (!analysed.ok()) {
        entry.status = analysed.status();
      } else {
        entry.analysis = std::move(analysed).value();
        if (!exports.paths.empty()) {
          AttachCaseServices(exports, entry.parts.empty() ? std::vector{entry.path} : entry.parts,
                             log, &entry);
        }
        entry.status = ThinReportLog(&entry, log, options.chart_points, analysis.num_threads);
      }
      entry.timings = timings;
      entry.timings.analysis_seconds = SecondsSince(start);
      results[g].push_back(std::move(entry));
    });
    if (!thrown.ok()) {
      const LogInput& input = files[groups[g].front()].input;
      results[g].clear();
      results[g].push_back(internal::FailedLogReport(input, ForPath(input.path, thrown)));
    }
    if (options.on_progress) {
      std::lock_guard<std::mutex> lock(progress_mu);
      ++progress.timelines_done;
      options.on_progress(progress);
    }
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
