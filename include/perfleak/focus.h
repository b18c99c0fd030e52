// Post-mortem focus: which part of a log, and which process, to analyse (`--from`, `--to`,
// `--at`, `--process`), and where the times the user gave fall in a log.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "perfleak/counter_log.h"
#include "perfleak/status.h"

namespace perfleak {

/// Where to look: parsed from `--from`, `--to`, `--at`, `--process`. Times are text as the
/// user wrote them: the log's local time (`2026-11-20 03:12`, `2026-11-20T03:12:00`,
/// `11/20/2026 03:12:00`) or ISO 8601 with a zone (`...Z`, `+02:00`). Empty = not set.
struct FocusOptions {
  std::string from, to, at;
  /// Image name (`OrderService`), instance (`svchost#1`) or PID; empty = every process.
  std::string process;
  /// `--at` without `--from` analyses this many hours before the incident.
  double run_up_hours = 6.0;

  bool HasWindow() const { return !from.empty() || !to.empty() || !at.empty(); }
};

/// A time the user gave, parsed but not yet placed in a log.
struct TimeText {
  Ticks ticks = 0;
  bool has_zone = false;  ///< true: ticks is UTC; false: a local wall-clock time
};

/// Parses the accepted time spellings (see FocusOptions); kInvalidArgument with the accepted
/// forms otherwise.
Result<TimeText> ParseTimeText(std::string_view text);

/// The analysed window of one log, in samples [begin, end) and UTC.
struct ResolvedFocus {
  std::size_t begin = 0, end = 0;
  Ticks from_utc = 0, to_utc = 0;
  std::optional<Ticks> at_utc;
};

/// Places the focus times in `log`: local times are matched against time_local (the last
/// sample at or before the time, so the log's own offset and DST apply), zoned ones against
/// time_utc. kInvalidArgument naming the log's range when a time is outside it or from > to.
Result<ResolvedFocus> ResolveFocus(const CounterLog& log, const FocusOptions& focus);

}  // namespace perfleak
