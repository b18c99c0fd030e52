// The report-wide ranking of findings, the fleet matrix (machines x leaking processes) and the
// report's totals.
#include "report/ranking.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "common/ascii_case_internal.h"
#include "report/finding_text.h"

namespace perfleak::internal {

std::string FindingMachine(const LogReport& log, const Finding& finding) {
  if (!finding.machine.empty()) return finding.machine;
  if (!log.summary.machines.empty()) return log.summary.machines.front();
  return log.path;
}

namespace {

// The resource fleet rows are told apart by: heap-like counters are one resource (a leak seen
// in Private Bytes on one machine and in Working Set on another is the same leak).
const char* FleetResource(const Finding& finding) {
  const Evidence* lead = LeadEvidence(finding);
  if (lead == nullptr) return "";
  if (lead->counter == "Stolen Server Memory") return "memory";
  switch (ClassifyCounter(lead->counter)) {
    case CounterKind::kPrivateBytes:
    case CounterKind::kWorkingSet:
    case CounterKind::kCommitted:
      return "memory";
    case CounterKind::kVirtualBytes:
      return "address space";
    case CounterKind::kHandles:
      return "handles";
    case CounterKind::kThreads:
      return "threads";
    case CounterKind::kPool:
      return "pool";
    case CounterKind::kOther:
      break;
  }
  return "other";
}

}  // namespace

std::string FleetKey(const Finding& finding) {
  if (finding.system) return {};
  const std::string resource = FleetResource(finding);
  // IIS workers by app pool: OrdersApi leaking on three web servers is one row, and another
  // pool's w3wp on the same machines another.
  const std::string pool =
      finding.app_pool.empty() ? "" : " [" + AsciiLower(finding.app_pool) + "]";
  return AsciiLower(finding.process) + pool + (resource.empty() ? "" : " / " + resource);
}

std::string FleetLabel(const FleetProcess& process) {
  const std::string name =
      process.app_pool.empty() ? process.name : process.name + " app pool " + process.app_pool;
  return process.resource.empty() ? name : name + " (" + process.resource + ")";
}

namespace {

// Image name -> distinct machines where it is `leak` (and where it is `suspect`).
struct FleetCounts {
  std::map<std::string, std::set<std::string>> leaking, suspect;
};

FleetCounts CountFleet(const Report& report) {
  FleetCounts counts;
  for (const LogReport& log : report.logs) {
    if (!log.status.ok()) continue;
    for (const Finding& f : log.analysis.findings) {
      if (!IsFlagged(f.verdict)) continue;
      const std::string key = FleetKey(f);
      if (key.empty()) continue;
      auto& target = f.verdict == Verdict::kLeak ? counts.leaking : counts.suspect;
      target[key].insert(FindingMachine(log, f));
    }
  }
  return counts;
}

}  // namespace

std::vector<RankedFinding> RankFindings(const Report& report, bool include_ok) {
  const FleetCounts fleet = CountFleet(report);
  std::vector<RankedFinding> ranked;
  for (std::size_t log_idx = 0; log_idx < report.logs.size(); ++log_idx) {
    const LogReport& log = report.logs[log_idx];
    if (!log.status.ok()) continue;
    for (const Finding& finding : log.analysis.findings) {
      // System findings have their own section; not-judged instances their own list.
      if (finding.system || finding.verdict == Verdict::kNotJudged) continue;
      if (finding.verdict == Verdict::kOk && !include_ok) continue;
      const auto it = fleet.leaking.find(FleetKey(finding));
      const std::size_t machines = it == fleet.leaking.end() ? 0 : it->second.size();
      ranked.push_back({0, log_idx, &log, &finding, machines});
    }
  }
  // stable_sort keeps log order, then the analysis's own order, for equal keys. The fleet
  // count comes before the score: one process leaking on three machines is a surer lead than
  // the steepest slope on one.
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const RankedFinding& a, const RankedFinding& b) {
                     if (a.finding->verdict != b.finding->verdict)
                       return a.finding->verdict > b.finding->verdict;
                     if (a.machines_leaking != b.machines_leaking)
                       return a.machines_leaking > b.machines_leaking;
                     const double sa = std::isfinite(a.finding->score) ? a.finding->score : 0.0;
                     const double sb = std::isfinite(b.finding->score) ? b.finding->score : 0.0;
                     return sa > sb;
                   });
  for (std::size_t i = 0; i < ranked.size(); ++i) ranked[i].rank = i + 1;
  return ranked;
}

std::string FleetNote(const RankedFinding& ranked) {
  if (ranked.machines_leaking < 2) return {};
  const std::string resource = FleetResource(*ranked.finding);
  const Finding& f = *ranked.finding;
  return fmt::format("{}{} leaks {}on {} machines of this report.", f.process,
                     f.app_pool.empty() ? "" : " (app pool " + f.app_pool + ")",
                     resource.empty() ? "" : resource + " ", ranked.machines_leaking);
}

FleetSummary ComputeFleet(const Report& report) {
  FleetSummary fleet;
  std::set<std::string> machines;
  for (const LogReport& log : report.logs) {
    if (!log.status.ok()) continue;
    for (const std::string& m : log.summary.machines) machines.insert(m);
    for (const Finding& f : log.analysis.findings) machines.insert(FindingMachine(log, f));
  }
  fleet.machines.assign(machines.begin(), machines.end());
  std::map<std::string, std::size_t> row_of;
  for (const RankedFinding& r : RankFindings(report, false)) {
    const std::string key = FleetKey(*r.finding);
    if (key.empty()) continue;
    auto [it, added] = row_of.emplace(key, fleet.processes.size());
    if (added) {
      FleetProcess row;
      row.name = r.finding->process;
      row.resource = FleetResource(*r.finding);
      row.app_pool = r.finding->app_pool;
      row.cells.resize(fleet.machines.size());
      fleet.processes.push_back(std::move(row));
    }
    FleetProcess& row = fleet.processes[it->second];
    const std::string machine = FindingMachine(*r.log, *r.finding);
    const auto col = static_cast<std::size_t>(
        std::lower_bound(fleet.machines.begin(), fleet.machines.end(), machine) -
        fleet.machines.begin());
    std::optional<Verdict>& cell = row.cells[col];
    if (!cell || *cell < r.finding->verdict) cell = r.finding->verdict;
    if (std::isfinite(r.finding->score))
      row.best_score = std::max(row.best_score, r.finding->score);
  }
  for (FleetProcess& row : fleet.processes) {
    for (const std::optional<Verdict>& cell : row.cells) {
      if (cell == Verdict::kLeak) ++row.machines_leaking;
      if (cell == Verdict::kSuspect) ++row.machines_suspect;
    }
  }
  std::stable_sort(fleet.processes.begin(), fleet.processes.end(),
                   [](const FleetProcess& a, const FleetProcess& b) {
                     if (a.machines_leaking != b.machines_leaking)
                       return a.machines_leaking > b.machines_leaking;
                     if (a.machines_suspect != b.machines_suspect)
                       return a.machines_suspect > b.machines_suspect;
                     if (a.best_score != b.best_score) return a.best_score > b.best_score;
                     return a.name < b.name;
                   });
  return fleet;
}

ReportTotals ComputeTotals(const Report& report) {
  ReportTotals totals;
  totals.logs = report.logs.size();
  totals.skipped = report.skipped.size();
  for (const LogReport& log : report.logs) {
    if (!log.status.ok()) {
      ++totals.logs_failed;
      continue;
    }
    for (const std::string& machine : log.summary.machines) {
      if (std::find(totals.machines.begin(), totals.machines.end(), machine) ==
          totals.machines.end()) {
        totals.machines.push_back(machine);
      }
    }
    if (log.analysis.no_data) ++totals.logs_no_data;
    totals.processes_analysed += log.analysis.processes_analysed;
    totals.not_judged += log.analysis.processes_not_judged;
    for (const Finding& finding : log.analysis.findings) {
      std::size_t* leaks = finding.system ? &totals.system_leaks : &totals.leaks;
      std::size_t* suspects = finding.system ? &totals.system_suspects : &totals.suspects;
      if (finding.verdict == Verdict::kLeak) ++*leaks;
      if (finding.verdict == Verdict::kSuspect) ++*suspects;
    }
  }
  return totals;
}

std::string TotalsLine(const ReportTotals& t) {
  const auto plural = [](std::size_t n, std::string_view word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
  };
  std::string text =
      fmt::format("{} analysed, {} failed, {} skipped",
                  plural(t.logs - t.logs_failed - t.logs_no_data, "log"), t.logs_failed, t.skipped);
  if (t.logs_no_data > 0) text += fmt::format(", {} without data", t.logs_no_data);
  text += fmt::format("; {}, {} processes judged: {}, {}", plural(t.machines.size(), "machine"),
                      t.processes_analysed, plural(t.leaks, "leak"), plural(t.suspects, "suspect"));
  if (t.not_judged > 0) text += fmt::format("; {} not judged", t.not_judged);
  if (t.system_leaks + t.system_suspects > 0) {
    text += fmt::format("; system: {}, {}", plural(t.system_leaks, "leak"),
                        plural(t.system_suspects, "suspect"));
  }
  return text;
}

}  // namespace perfleak::internal
