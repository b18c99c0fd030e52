// The words shared by every report format: human units, local times, the one-line summary of
// a finding and the next step an engineer should take. Text, JSON and HTML all call these so
// that the three formats never disagree.
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
/// What to do next, one paragraph with the commands to run; empty for `ok` findings, how to
/// collect a log that can be judged for `not_judged` ones.
std::string NextStep(const LogReport& log, const Finding& finding);

/// `OrderService#1`, or `System` for a system-wide finding without instance; a w3wp with
/// Finding::app_pool set reads `w3wp#1 (app pool OrdersApi)`, a svchost with
/// Finding::services `svchost#3 (PID 1234: Dnscache, LanmanWorkstation)`.
std::string DisplayName(const Finding& finding);

/// One finding in the report-wide ranking (rank 1 = most severe and most certain).
struct RankedFinding {
  std::size_t rank = 0;
  std::size_t log_index = 0;
  const LogReport* log = nullptr;
  const Finding* finding = nullptr;
  /// Distinct machines of the report on which a process of the same image name is `leak`;
  /// for a system-wide finding, 1 when it is itself a leak, else 0.
  std::size_t machines_leaking = 0;
};

/// The machine a finding belongs to: its own, else the log's first, else the log's path.
std::string FindingMachine(const LogReport& log, const Finding& finding);
/// The key findings are grouped by across machines: `process` in lower case (Windows names are
/// case-insensitive), a w3wp's app pool, and the resource leaked; empty for system findings.
std::string FleetKey(const Finding& finding);

/// Leak and suspect process findings of every analysed log (plus `ok` ones with include_ok;
/// never system findings or `not_judged` instances, which have sections of their own), ordered
/// by verdict, then by machines_leaking (the same process leaking on several machines is the
/// strongest signal in a fleet), then score, then log and analysis order so that the ranking
/// is stable.
std::vector<RankedFinding> RankFindings(const Report& report, bool include_ok);

/// NextStep() for each of `ranked` (same order), with each recipe (UMDH, !htrace, poolmon,
/// ...) given in full once per report, at its first finding; later findings that need the
/// same one refer to it by rank with their own image name and PID.
std::vector<std::string> ReportNextSteps(const std::vector<RankedFinding>& ranked);
/// NextStep() for a system finding (System section) when the process findings `above` (in the
/// order the report printed them) may already give its recipe in full: then it refers to the
/// first of them by rank ("Kernel pool growth: the steps under #3 above, on WEB01.").
std::string SystemNextStep(const LogReport& log, const Finding& finding,
                           const std::vector<RankedFinding>& above);

/// One process (image name) of the fleet matrix.
struct FleetProcess {
  std::string name;  ///< as the first finding of the ranking spells it
  /// The resource it leaks, the lead evidence's counter ("Private Bytes", "Handle Count"):
  /// one svchost leaking heap and another leaking pool are two rows, not one.
  std::string resource;
  /// A w3wp row's app pool (Finding::app_pool): each pool is its own row; empty otherwise.
  std::string app_pool;
  /// Per machine (index into FleetSummary::machines): the worst verdict of the process's
  /// instances there; absent = not flagged on that machine.
  std::vector<std::optional<Verdict>> cells;
  std::size_t machines_leaking = 0;
  std::size_t machines_suspect = 0;  ///< suspect but not leak
  double best_score = 0.0;
};

/// "svchost (memory)", "w3wp app pool OrdersApi (memory)": a fleet row's label.
std::string FleetLabel(const FleetProcess& process);

/// "svchost leaks on 3 machines of this report." when the image name leaks on more than one
/// machine, else empty.
std::string FleetNote(const RankedFinding& ranked);

/// Machines x leaking processes over the whole report, processes ranked by the number of
/// machines they leak on, then suspect on, then best score, then name.
struct FleetSummary {
  std::vector<std::string> machines;  ///< sorted
  std::vector<FleetProcess> processes;
};
FleetSummary ComputeFleet(const Report& report);

/// The figures of the report's summary block.
struct ReportTotals {
  std::size_t logs = 0;
  std::size_t logs_failed = 0;
  std::size_t skipped = 0;             ///< inputs that are not counter logs
  std::vector<std::string> machines;   ///< distinct, first-seen order
  std::size_t logs_no_data = 0;        ///< read, but nothing perfleak judges (not in `logs`)
  std::size_t processes_analysed = 0;  ///< judged process instances
  std::size_t not_judged = 0;          ///< process instances that could not be judged
  std::size_t leaks = 0;               ///< processes only
  std::size_t suspects = 0;
  std::size_t system_leaks = 0;  ///< system findings (commit, kernel pools)
  std::size_t system_suspects = 0;
};
ReportTotals ComputeTotals(const Report& report);

/// Reader and analysis warnings of a log, in that order, each once.
std::vector<std::string> AllWarnings(const LogReport& log);

/// The files a log was stitched from: LogReport::parts, or the log's own path when it was read
/// on its own.
std::vector<std::string> LogParts(const LogReport& log);

/// "2 logs analysed, 1 failed, 3 skipped; 2 machines, 40 processes: 1 leak, 0 suspects" (the
/// one-line total of every format).
std::string TotalsLine(const ReportTotals& totals);

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
/// The system findings of a log (commit, kernel pools).
std::vector<const Finding*> SystemFindings(const LogReport& log);

/// The generation time to print: options.generated_utc, else now in ISO 8601 UTC.
std::string GeneratedUtc(const ReportOptions& options);

}  // namespace perfleak::internal
