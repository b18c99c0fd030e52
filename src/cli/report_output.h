// What `analyze` and `merge` do with a finished Report: the report flags (--format, -o,
// --fail-on, --color), the decisions made on the whole report (logs outside the focus, a
// process no log has), the report written, and the exit code.
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "commands.h"
#include "perfleak/analysis.h"
#include "perfleak/focus.h"
#include "perfleak/report.h"

namespace perfleak::cli {

/// `--color`: the text report's ANSI colours, resolved into ReportOptions::color_enabled.
enum class ColorMode : std::uint8_t { kAuto, kAlways, kNever };

struct ReportFlags {
  std::string format = "text", output, fail_on = "none", color = "auto";
  // Set by Check().
  ReportFormat report_format = ReportFormat::kText;
  std::optional<Verdict> fail_threshold;
  ColorMode color_mode = ColorMode::kAuto;

  void Add(boost::program_options::options_description& desc);
  /// Parses the values; prints the usage error and returns kExitUsage when one is invalid.
  std::optional<int> Check(const char* command, std::ostream& err);
  bool ToStdout() const { return output.empty() || output == "-"; }
};

/// How the run behind a report was asked for: the report settings that are the run's
/// (include_ok, every_counter, sensitivity) and the post-mortem focus.
struct ReportRun {
  ReportOptions options;
  FocusOptions focus;
};

/// Decides on the whole report (logs outside the focus set aside, --process matching no
/// process: exit 2), writes it as `flags` ask, calls `after_write` (timings) and returns the
/// exit code (exit_codes.h): failures, nothing judged, findings at or above --fail-on.
int FinishReport(Report report, const ReportRun& run, const ReportFlags& flags, const char* command,
                 CliContext& ctx, const std::function<void(const Report&)>& after_write = {});

}  // namespace perfleak::cli
