// Reports: one Reporter interface, one implementation per output format.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "perfleak/analysis.h"
#include "perfleak/counter_log.h"
#include "perfleak/log_summary.h"
#include "perfleak/status.h"

namespace perfleak {

/// Where the time went for one log (`analyze --timings`). Never written into a report: it
/// varies from run to run and reports are reproducible.
struct LogTimings {
  std::uint64_t bytes_read = 0;   ///< file bytes read, every part and any second read included
  double read_seconds = 0.0;      ///< reading (summed over parts, wall time of each read)
  double analysis_seconds = 0.0;  ///< stitching, analysis and keeping the report's columns
};

/// One input log as the report sees it: either analysed, or failed with its error.
struct LogReport {
  std::string path;
  /// For a log read from an archive member (`path` is then `case.zip!/TSS/x.blg`), the archive
  /// as shown (`case.zip`, nested `case.zip!/inner.zip`); empty for a file.
  std::string archive;
  std::optional<LogFormat> format;  ///< absent when the format could not be detected
  Status status;                    ///< not OK = the log failed; message names file and place
  LogSummary summary;
  /// The reader's warnings (stitching included); the analysis's are in analysis.warnings.
  std::vector<std::string> warnings;
  /// The log kept for charts (HTML); may be null when the caller released it. RunBatch keeps
  /// it thinned: each finding's LeadEvidence() column, at about BatchOptions::chart_points
  /// samples (Evidence::column indexes it; other evidence holds kColumnNotKept).
  std::shared_ptr<const CounterLog> log;
  LogAnalysis analysis;
  /// The files joined into this timeline (roll-over parts), in time order; empty or one
  /// element when the log was read on its own.
  std::vector<std::string> parts;
  LogTimings timings;
};

/// A file found in an input folder that is not a counter log (listed, never analysed).
struct SkippedInput {
  std::string path;
  std::string reason;
};

struct ReportOptions {
  bool include_ok = false;  ///< `--all`
  Sensitivity sensitivity = Sensitivity::kDefault;
  /// ANSI colours in the text report; the CLI decides from `--color`, the TTY and NO_COLOR.
  bool color_enabled = false;
  std::size_t width = 100;  ///< text report width in columns
  /// Under each finding, every judged counter and every lifetime (`analyze --process`).
  bool every_counter = false;
  /// Overrides the generation time (golden tests); empty = now.
  std::string generated_utc;
};

struct Report {
  std::vector<LogReport> logs;  ///< sorted by path, whatever the order of analysis
  std::vector<SkippedInput> skipped;
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  /// Writes the whole report; kIoError when the stream fails.
  virtual Status Write(const Report& report, std::ostream& out) = 0;
};

enum class ReportFormat : std::uint8_t { kText, kJson, kHtml };
Result<ReportFormat> ParseReportFormat(std::string_view text);

std::unique_ptr<Reporter> MakeReporter(ReportFormat format, const ReportOptions& options);

}  // namespace perfleak
