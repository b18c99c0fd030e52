// Report parts: what one shard of a run (`analyze --shard K/N`) found, written as JSON for
// `perfleak merge`, read back without loss, and merged into the report one run over all the
// inputs would have written.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "perfleak/batch.h"
#include "perfleak/focus.h"
#include "perfleak/report.h"
#include "perfleak/status.h"

namespace perfleak {

/// Bumped whenever the part's layout or the Report model it holds changes; a part written with
/// another layout or another perfleak version is refused (the model is not a stable contract).
inline constexpr int kReportPartFormat = 3;

struct ReportPart {
  Shard shard;
  /// What makes two parts parts of one run, compared as written: the inputs given (paths as on
  /// the command line) and every setting that changes the result (`--sensitivity=high`, ...).
  std::vector<std::string> inputs;
  std::vector<std::string> settings;
  /// The report settings the run was given (include_ok, every_counter, sensitivity); output
  /// settings (format, width, colour) are the merge's own.
  ReportOptions report_options;
  /// The post-mortem focus, for what the merge decides on the whole (a time no log covers, a
  /// process no log has).
  FocusOptions focus;
  /// The shard's logs (thinned for charts, as RunBatch keeps them) and skipped inputs.
  Report report;
};

/// Writes `part` as one JSON document. Every number round-trips exactly (NaN and infinities as
/// strings), strings that are not UTF-8 as hex, so a merged report is the unsharded one.
/// kIoError when the stream fails.
Status WriteReportPart(const ReportPart& part, std::ostream& out);

/// Reads a part written by WriteReportPart. kParseError naming `path` (and the place: the JSON
/// byte offset, the log entry and field) for a file that is not a part; kUnsupportedFormat for
/// a part of another perfleak version or part format, or a full report given instead of a part.
Result<ReportPart> ReadReportPart(const std::string& path);

/// As ReadReportPart, from the part's text; `name` stands for the part in the messages (a path,
/// a worker's task).
Result<ReportPart> ParseReportPart(std::string_view text, const std::string& name);

/// The settings of a run that change what it finds or reports, as text (ReportPart::settings):
/// every shard of one run must be given the same. Options that change only speed or output
/// (jobs, threads, format) are left out.
std::vector<std::string> RunSettings(const BatchOptions& batch, const ReportOptions& report);

/// Joins the parts of one run into the whole: logs and skipped inputs in the order one
/// unsharded run gives them (by path). kInvalidArgument when the parts are not exactly the N
/// shards of one run: different inputs or settings, a shard missing or given twice. `names`
/// (the parts' paths, for the messages) is parallel to `parts`.
Result<ReportPart> MergeReportParts(std::vector<ReportPart> parts,
                                    const std::vector<std::string>& names);

}  // namespace perfleak
