// Growth a process makes by design, judged against the target it grows toward: SQL Server's
// buffer pool fills up to `Target Server Memory`, so Private Bytes rising while `Total Server
// Memory` stays within the target is not a leak; growth beyond the target is.
#pragma once

#include <optional>
#include <string_view>

#include "perfleak/analysis.h"

namespace perfleak::internal {

/// For a sqlservr finding whose Private Bytes (or Working Set) is flagged, reads the
/// machine's `\SQLServer:Memory Manager` (or `\MSSQL$NAME:Memory Manager`) counters over the
/// evidence's window. Total within `target_slack` of Target at the window's end: the verdict
/// becomes `ok` with the `by_design` caveat. Total beyond the target: the verdict stands, with
/// the `beyond_target` caveat. Several SQL Server instances on one machine cannot be matched
/// to their processes (the counters carry no PID): those findings are left alone. The target
/// becomes the evidence's `limit` (bytes). Call before the finding's verdict is concluded.
void JudgeByDesignGrowth(const CounterLog& log, Finding* finding, double target_slack = 0.05);

/// The evidence name of SQL Server's `Stolen Server Memory (KB)`, judged in bytes.
inline constexpr std::string_view kSqlStolenServerMemory = "Stolen Server Memory";

/// The `Stolen Server Memory (KB)` column of `machine`'s SQL Server instance (`\SQLServer:` or
/// `\MSSQL$NAME:Memory Manager`), or nullopt without one or with several instances on that
/// machine (the counters carry no PID to tell their processes apart).
std::optional<std::size_t> SqlStolenMemoryColumn(const CounterLog& log, std::string_view machine);

}  // namespace perfleak::internal
