// The words shared by every report format: human units, local times, the one-line summary of
// a finding. Text, JSON and HTML all call these so that the three formats never disagree; the
// next steps are in next_steps.h, the ranking, fleet and totals in ranking.h.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "perfleak/analysis.h"
#include "perfleak/memory_pressure.h"
#include "perfleak/report.h"

namespace perfleak::internal {

/// What a counter measures, for choosing units and the next step.
enum class CounterKind {
  kPrivateBytes,
  kWorkingSet,
  kVirtualBytes,
  kHandles,
  kThreads,
  kPool,
  kCommitted,
  kOther
};

CounterKind ClassifyCounter(std::string_view counter);

/// `412 MB`, `1.5 GB`, `350 handles`, `12 threads`; bytes are 1024-based.
std::string FormatAmount(double value, std::string_view unit);
/// `+412 MB`, `-3 handles`; `n/a` when not finite.
std::string SignedAmount(double value, std::string_view unit);
/// `44 MB/h`, `12 handles/h`.
std::string FormatRate(double per_hour, std::string_view unit);
/// Local wall-clock time of the log for a UTC instant: the sample's own local time when the
/// log is at hand and has that instant, else the log's UTC-local offset at its start.
Ticks LocalTimeOf(const LogReport& log, Ticks utc);
/// `2026-11-20 10:42` (local, minutes).
std::string FormatLocalMinutes(Ticks local);
/// `10:42` when the log spans less than a day, else `11-20 10:42`.
std::string FormatLocalShort(const LogReport& log, Ticks local);

/// "Private Bytes grew 412 MB in 9.3 h after 10:42 (trend 44 MB/h, peak 1.2 GB), across 2
/// restarts": the observed change over the judged window, the fitted rate beside it.
std::string FindingSummary(const LogReport& log, const Finding& finding);
/// `OrderService#1`, or `System` for a system-wide finding without instance; a w3wp with
/// Finding::app_pool set reads `w3wp#1 (app pool OrdersApi)`, a svchost with
/// Finding::services `svchost#3 (PID 1234: Dnscache, LanmanWorkstation)`.
std::string DisplayName(const Finding& finding);

/// Reader and analysis warnings of a log, in that order, each once.
std::vector<std::string> AllWarnings(const LogReport& log);

/// The files a log was stitched from: LogReport::parts, or the log's own path when it was read
/// on its own.
std::vector<std::string> LogParts(const LogReport& log);

/// `97 %`, `<1 %` for a share in 0..1.
std::string Percent(double share);
/// `OrderService`, `kernel Pool Paged Bytes`.
std::string GrowerLabel(const Grower& grower);
/// A forecast instant for a sentence: `07:09 (in 11 min)` on the day of `from_utc` (where the
/// forecast starts), else with the date, `2026-12-04 07:09 (in 14 d)`.
std::string ForecastTime(const LogReport& log, Ticks utc, Ticks from_utc);

/// The process instances of a log that were not judged, in analysis order.
std::vector<const Finding*> NotJudgedFindings(const LogReport& log);
/// "55 processes, every one in the log, have too few samples to judge (e.g. svchost: 11
/// samples (10 min); at least 12 are needed to judge a trend)."; empty when there are none.
std::string NotJudgedSentence(const LogReport& log);
/// The sentence for the log's caveats (LogAnalysis::caveats): "Short capture: the log spans
/// only 7 min, too short for a slow leak ... to show, ..."; empty when it has none.
std::string LogCaveatSentence(const LogReport& log);
/// The system findings of a log (commit, kernel pools).
std::vector<const Finding*> SystemFindings(const LogReport& log);

/// The generation time to print: options.generated_utc, else now in ISO 8601 UTC.
std::string GeneratedUtc(const ReportOptions& options);

}  // namespace perfleak::internal
