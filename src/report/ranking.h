// The report-wide ranking of findings, the fleet matrix (machines x leaking processes) and the
// report's totals: the order and the figures every format shows.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "perfleak/analysis.h"
#include "perfleak/report.h"

namespace perfleak::internal {

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

/// "2 logs analysed, 1 failed, 3 skipped; 2 machines, 40 processes: 1 leak, 0 suspects" (the
/// one-line total of every format).
std::string TotalsLine(const ReportTotals& totals);

}  // namespace perfleak::internal
