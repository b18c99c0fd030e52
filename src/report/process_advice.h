// What perfleak knows about a process from its image name, and the next step that works for
// it: a shared service host is split before it is traced, a protected process rejects gflags
// and debuggers, the kernel's own processes are not user heaps, SQL Server grows by design,
// and a runtime's heap has its own tools. The table is in process_advice.cc and the README.
#pragma once

#include <string>
#include <string_view>

#include "perfleak/analysis.h"

namespace perfleak::internal {

enum class ProcessClass {
  kGeneric,      ///< native code: UMDH, !htrace, as the resource says
  kServiceHost,  ///< svchost: several services in one PID
  kProtected,    ///< PPL/system processes that refuse gflags and user-mode debuggers
  kKernel,       ///< System, Registry, Memory Compression: kernel-side memory
  kSqlServer,    ///< sqlservr: the buffer pool grows by design up to its target
  kJvm,          ///< java, javaw
  kNode,         ///< node
  kPython,       ///< python, python3, pythonw, py
};

/// The class of an image name (`svchost`, `svchost.exe`, `MsMpEng`; ASCII case ignored).
ProcessClass ClassifyImage(std::string_view image);

/// "svchost", "protected", "kernel", "sql_server", "jvm", "node", "python", or "" (generic).
const char* ProcessClassName(ProcessClass cls);

/// The next step for a heap (Private Bytes) finding of a known process, or "" when the
/// generic heap recipe (UMDH) applies. `pid` is the last PID the log saw. `own_host`: a
/// svchost known to host a single service, traced under its own PID (no NEW_PID).
std::string HeapStepFor(ProcessClass cls, const std::string& pid, bool own_host = false);

/// A step that replaces whatever the resource would suggest (protected and kernel processes
/// refuse the usual tools), or "".
std::string OverridingStepFor(ProcessClass cls, const Finding& finding, const std::string& pid);

/// The step for a .NET leak by Finding::kind: `managed` (the managed heap explains the growth:
/// a heap dump, not UMDH), `dynamic_assemblies` (assemblies or appdomains keep loading);
/// "" for `native` or no kind (the resource's own recipe applies).
std::string KindStepFor(std::string_view kind, const std::string& pid);

/// What to do first for a shared service host, before the resource's own step; "" otherwise.
/// With Finding::services, it names the PID's services (from the tasklist export, and says
/// where they come from) in the `sc config NAME type= own` lines; a host of a single service
/// is not split.
std::string FirstStepFor(ProcessClass cls, const Finding& finding, const std::string& pid);

/// The step when SQL Server's `Stolen Server Memory` (memory outside the buffer pool) leads:
/// not by design, so the memory clerks that grow are the lead.
std::string SqlStolenMemoryStep(const std::string& pid);

/// For a w3wp finding: the IIS part appended to its next step: `appcmd list wp` to map the
/// worker's PID to its app pool, `appcmd recycle apppool` to relieve the machine now, and for
/// memory growth private-memory recycling as a stopgap, each said to hide the leak, not fix it
/// (take the dump or trace first: a recycle discards the leaking process). "" otherwise.
std::string IisWorkerStepFor(const Finding& finding, const std::string& pid);

/// The services Finding::services lists for the finding's last PID, else for the latest of its
/// PIDs that has some; null without any.
const PidServices* ServicesOfLastPid(const Finding& finding);

/// True when the finding's last PID is known (from a tasklist export) to host one service.
bool HostsSingleService(const Finding& finding);

/// `Dnscache, LanmanWorkstation`; past `max` names, `BITS, Dnscache, gpsvc, +9 more`.
std::string ServiceList(const std::vector<std::string>& names, std::size_t max = 4);

}  // namespace perfleak::internal
