#include "analysis/by_design.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "analysis/counter_names.h"
#include "analysis/robust_trend.h"
#include "analysis/series_judge.h"
#include "common/ascii_case_internal.h"

namespace perfleak::internal {

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// One SQL Server instance's memory manager counters (`\SQLServer:Memory Manager` for the
// default instance, `\MSSQL$NAME:Memory Manager` for a named one).
struct SqlMemory {
  std::string machine, object;
  std::size_t total = kNone, target = kNone, stolen = kNone;
};

bool IsSqlMemoryManager(std::string_view object) {
  const std::string lower = AsciiLower(object);
  return lower.ends_with(":memory manager") &&
         (lower.starts_with("sqlserver:") || lower.starts_with("mssql$"));
}

std::vector<SqlMemory> FindSqlMemory(const CounterLog& log) {
  std::vector<SqlMemory> out;
  for (std::size_t c = 0; c < log.num_counters(); ++c) {
    const CounterPath& p = log.paths[c];
    if (!IsSqlMemoryManager(p.object)) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const SqlMemory& m) {
      return EqualsIgnoreAsciiCase(m.machine, p.machine) &&
             EqualsIgnoreAsciiCase(m.object, p.object);
    });
    if (it == out.end()) it = out.insert(out.end(), SqlMemory{p.machine, p.object});
    if (EqualsIgnoreAsciiCase(p.counter, "Total Server Memory (KB)")) it->total = c;
    if (EqualsIgnoreAsciiCase(p.counter, "Target Server Memory (KB)")) it->target = c;
    if (EqualsIgnoreAsciiCase(p.counter, "Stolen Server Memory (KB)")) it->stolen = c;
  }
  return out;
}

// The finite values of `column` between two UTC times, in time order.
std::vector<double> Between(const CounterLog& log, std::size_t column, Ticks from, Ticks to) {
  const auto begin = std::lower_bound(log.time_utc.begin(), log.time_utc.end(), from);
  const auto end = std::upper_bound(begin, log.time_utc.end(), to);
  std::vector<double> values;
  for (auto it = begin; it != end; ++it) {
    const double v = log.columns[column][static_cast<std::size_t>(it - log.time_utc.begin())];
    if (std::isfinite(v)) values.push_back(v);
  }
  return values;
}

bool IsMemoryEvidence(const Evidence& e) {
  return e.counter == kPrivateBytes || e.counter == kWorkingSet;
}

// Judges one flagged memory evidence of sqlservr against its instance's target.
void JudgeAgainstTarget(const CounterLog& log, const SqlMemory& sql, double slack, Evidence* e) {
  const std::vector<double> total = Between(log, sql.total, e->window_start_utc, e->window_end_utc);
  const std::vector<double> target =
      Between(log, sql.target, e->window_start_utc, e->window_end_utc);
  if (total.size() < 3 || target.size() < 3) return;
  const ObservedLevels t = ObserveWindow(total, 0.1);
  const double goal = ObserveWindow(target, 0.1).end;
  if (!(goal > 0.0) || !(t.change() > 0.0)) return;
  e->limit = goal * 1024.0;  // the target, in bytes, is the level this growth aims at
  if (t.end > goal * (1.0 + slack)) {
    e->caveats.emplace_back("beyond_target");
    return;
  }
  e->caveats.emplace_back("by_design");
  e->onset_utc.reset();  // no leak starts here
  CapEvidence(Verdict::kOk,
              "SQL Server's Total Server Memory stays within its Target Server Memory", e);
}

}  // namespace

std::optional<std::size_t> SqlStolenMemoryColumn(const CounterLog& log, std::string_view machine) {
  std::optional<std::size_t> column;
  std::size_t instances = 0;
  for (const SqlMemory& m : FindSqlMemory(log)) {
    if (!EqualsIgnoreAsciiCase(m.machine, machine)) continue;
    ++instances;
    if (m.stolen != kNone) column = m.stolen;
  }
  return instances == 1 ? column : std::nullopt;
}

void JudgeByDesignGrowth(const CounterLog& log, Finding* f, double target_slack) {
  if (f->system || !EqualsIgnoreAsciiCase(f->process, "sqlservr")) return;
  const std::vector<SqlMemory> sql = FindSqlMemory(log);
  const SqlMemory* match = nullptr;
  std::size_t instances = 0;
  for (const SqlMemory& m : sql) {
    if (!EqualsIgnoreAsciiCase(m.machine, f->machine)) continue;
    ++instances;
    match = &m;
  }
  // No PID in these counters: several instances are ambiguous.
  if (instances != 1 || match->total == kNone || match->target == kNone) return;
  for (Evidence& e : f->evidence) {
    if (IsFlagged(e.verdict) && IsMemoryEvidence(e)) {
      JudgeAgainstTarget(log, *match, target_slack, &e);
    }
  }
}

}  // namespace perfleak::internal
