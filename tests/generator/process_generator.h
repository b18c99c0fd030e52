// Seeded "know the process" cases (issue 17): logs whose processes need more than the Process
// object to be judged right, with counter paths exactly as Windows writes them (.NET CLR
// Memory/Loading, W3SVC_W3WP, SQLServer:Memory Manager, Process V2). Opt-in: nothing of the
// scenario generator (GenerateScenario) or its quality sets changes.
#pragma once

#include <cstdint>
#include <string>

#include "scenario_generator.h"

namespace perfleak::scenario {

enum class ProcessCase {
  /// A .NET service whose managed heap explains its Private Bytes growth (`managed`).
  kManagedLeak,
  /// A .NET service whose Private Bytes grows under a flat managed heap (`native`).
  kNativeLeak,
  /// A .NET service loading assemblies it never unloads (`dynamic_assemblies`).
  kDynamicAssemblies,
  /// Two IIS workers: OrdersApi leaks on its managed heap, DefaultAppPool is flat. The .NET
  /// CLR Memory instances number the two the other way round from Process, and swap mid-log
  /// (a third worker came and went), so only the Process ID ties them.
  kTwoAppPools,
  /// SQL Server's buffer pool ramping to its Target Server Memory, then flat (`by_design`).
  kSqlToTarget,
  /// A named SQL Server instance growing past its target (`beyond_target`).
  kSqlPastTarget,
  /// Process V2 and Process both logged; OrderService restarts (a new PID) and leaks in both
  /// lifetimes: one finding, two lifetimes, each process counted once.
  kProcessV2Restart,
};

struct ProcessCaseOptions {
  ProcessCase kind = ProcessCase::kManagedLeak;
  std::uint64_t seed = 1;
  std::size_t samples = 480;  ///< 8 h at the default interval
  double interval_s = 60.0;
  std::string machine = "WEB01";
};

/// "managed_leak", "native_leak", ... (the ProcessLabel::pattern of the case's process).
const char* ProcessCaseName(ProcessCase kind);

/// Builds the case's log in memory (Eastern Standard Time, like the sample logs), with a few
/// flat bystanders (svchost, lsass); labels name the case's processes and their verdicts.
/// Deterministic for a seed on every platform.
Scenario GenerateProcessCase(const ProcessCaseOptions& options);

}  // namespace perfleak::scenario
