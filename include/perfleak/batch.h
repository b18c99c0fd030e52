// Batch analysis: files and folders of logs, roll-over parts stitched, in parallel, with
// bounded memory; one failed log never stops or changes the others.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "perfleak/analysis.h"
#include "perfleak/log_input.h"
#include "perfleak/read_options.h"
#include "perfleak/report.h"

namespace perfleak {

/// Progress of a batch. Phase one reads the files (files and bytes done out of the total);
/// phase two stitches and analyses the timelines (`analysing` set, timelines done of total).
struct BatchProgress {
  std::size_t files_done = 0, files_total = 0;
  std::uint64_t bytes_done = 0, bytes_total = 0;
  bool analysing = false;
  std::size_t timelines_done = 0, timelines_total = 0;
};

/// One of N deterministic parts of a run's inputs (`analyze --shard K/N`); count 0 or 1 = all.
struct Shard {
  std::size_t index = 1;  ///< 1..count
  std::size_t count = 0;
};
/// Parses "K/N" (1 <= K <= N <= 1,000,000); kInvalidArgument naming the text otherwise.
Result<Shard> ParseShard(std::string_view text);

struct BatchOptions {
  /// Globs on a file's name or its path relative to the folder given (`*.blg`,
  /// `web*/DataCollector01*`), and on an archive member's name, its path inside the archive
  /// (`TSS/Perfmon/*.blg`) or its full relative path (`case.zip!/TSS/*`); empty includes every
  /// file. Excludes win over includes; archives themselves are opened unless excluded.
  std::vector<std::string> include, exclude;
  bool stitch = true;  ///< join roll-over parts and consecutive logs of one collection
  /// Parts further apart than this are not stitched (seconds).
  double max_stitch_gap_s = 36.0 * 3600;
  std::size_t jobs = 0;  ///< logs analysed at once; 0 = hardware concurrency
  /// Analyse only this shard's part of the inputs: the logs whose machines (read from each
  /// log's counter list and first sample) hash to it, so the logs of one machine, and so every
  /// timeline stitching would join, stay in one shard; failed and skipped inputs by their path.
  /// The N shards' reports together hold exactly what the whole run's does (MergeReportParts).
  Shard shard;
  ReadOptions read;
  ArchiveOptions archive;  ///< depth and zip-bomb limits for case bundles
  AnalysisOptions analysis;
  /// Logs kept for report charts are thinned to about this many samples per column (min and
  /// max of each bucket, so spikes stay visible) and to the columns charts draw: each
  /// finding's LeadEvidence().
  std::size_t chart_points = 4000;
  /// False for a report without charts (text, JSON): LogReport::log then keeps the time axis
  /// and metadata (local times and the zone, which every report shows) but no column, and
  /// every Evidence::column is kColumnNotKept. Thinning the lead column of every analysed
  /// process was a tenth of the analysis of a 400-process log.
  bool chart_columns = true;
  /// Decoded columns kept in memory between reading and analysis; logs beyond it are read
  /// again when their turn comes, so memory stays bounded whatever the folder's size.
  std::size_t retain_bytes = std::size_t{1} << 30;
  /// Called from worker threads (serialised) after each file is read, once when analysis
  /// starts, and after each timeline is analysed.
  std::function<void(const BatchProgress&)> on_progress;
};

/// What a list of files and folders expands to.
struct BatchInputs {
  std::vector<LogInput> logs;         ///< files and archive members to read, sorted by path
  std::vector<SkippedInput> skipped;  ///< files in folders that are not counter logs
  /// Paths that do not exist or cannot be read; archive members that are encrypted, damaged
  /// or beyond the limits, and archives damaged past some point (message names the byte).
  std::vector<LogReport> failed;
  std::uint64_t total_bytes = 0;  ///< of `logs` (members: uncompressed)
  /// `tasklist /svc` exports (LooksLikeTasklistExport, by content): found in the folders (also
  /// listed in `skipped`), named on the command line (also in `skipped`), or lying directly
  /// in the folder of a log named on the command line. Sorted, distinct.
  std::vector<std::string> tasklists;
};

/// Expands folders recursively (sorted, deterministic), applies include/exclude, and sorts
/// out files whose content is not a counter log. Files named on the command line are always
/// taken as logs (so their errors are reported) unless their content is a `tasklist /svc`
/// export; inside folders, files with a log extension (.blg, .csv, .tsv, .etl, .log) that fail
/// detection are reported as failed, others (and tasklist exports) skipped.
/// Archives (zip, cab, 7z, tar, tar.gz/bz2/xz, .gz; told by content), named or found in a
/// folder, are listed like folders, archives inside them up to `options.archive.max_depth`;
/// `case.zip!/TSS/x.blg` names one member (or, ending in a folder, the logs under it).
BatchInputs DiscoverInputs(const std::vector<std::string>& paths, const BatchOptions& options);

/// Reads, stitches and analyses everything `paths` names. Never fails as a whole: every
/// problem is a failed LogReport or a skipped input in the result. The result is identical
/// whatever `jobs` is. The `tasklist /svc` exports of a log's case folder (the folder of each
/// of its parts, and a folder of `paths` holding it), and those named in `paths`, name the
/// services of its svchost findings (AttachHostedServices); their problems are warnings of
/// that log.
Report RunBatch(const std::vector<std::string>& paths, const BatchOptions& options);

/// The report shard `options.shard` would have given when its run failed as a whole (a worker
/// that died or raised): its inputs found and selected as RunBatch finds them, every log listed
/// as failed with `failure` (the message prefixed with the log's path). So a scheduler can
/// still merge the other shards into a report that names what was not analysed.
Report FailedShardReport(const std::vector<std::string>& paths, const BatchOptions& options,
                         const Status& failure);

}  // namespace perfleak
