#include "report/process_advice.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <utility>

#include "common/ascii_case_internal.h"
#include "perfleak/time_format.h"

namespace perfleak::internal {

namespace {

// Image names (lower case, no `.exe`) and their class. Protected: processes Windows runs as
// protected (PPL) or as core system processes, where gflags, UMDH and user-mode debuggers are
// refused or unsafe. Kernel: processes that stand for kernel-side memory.
constexpr std::array<std::pair<std::string_view, ProcessClass>, 22> kKnownImages = {{
    {"svchost", ProcessClass::kServiceHost},
    {"lsass", ProcessClass::kProtected},
    {"csrss", ProcessClass::kProtected},
    {"smss", ProcessClass::kProtected},
    {"wininit", ProcessClass::kProtected},
    {"services", ProcessClass::kProtected},
    {"msmpeng", ProcessClass::kProtected},
    {"nissrv", ProcessClass::kProtected},
    {"mssense", ProcessClass::kProtected},
    {"sgrmbroker", ProcessClass::kProtected},
    {"system", ProcessClass::kKernel},
    {"registry", ProcessClass::kKernel},
    {"memory compression", ProcessClass::kKernel},
    {"memcompression", ProcessClass::kKernel},
    {"secure system", ProcessClass::kKernel},
    {"sqlservr", ProcessClass::kSqlServer},
    {"java", ProcessClass::kJvm},
    {"javaw", ProcessClass::kJvm},
    {"node", ProcessClass::kNode},
    {"python", ProcessClass::kPython},
    {"python3", ProcessClass::kPython},
    {"pythonw", ProcessClass::kPython},
}};

std::string LowerImage(std::string_view image) {
  std::string name = AsciiLower(image);
  if (name.size() > 4 && name.ends_with(".exe")) name.resize(name.size() - 4);
  return name;
}

std::string ProtectedStep(const Finding& finding, const std::string& pid) {
  const std::string name = LowerImage(finding.process);
  const std::string text = fmt::format(
      "Protected process: {} (PID {}) refuses gflags, UMDH and user-mode debuggers, so the usual "
      "heap and handle recipes do not work on it.",
      finding.process, pid);
  if (name == "lsass") {
    return text + fmt::format(
                      " LSASS grows with what is loaded into it and what it caches: list its "
                      "modules (`tasklist /m /fi \"PID eq {}\"`) for third-party authentication "
                      "packages, credential providers or security agents, check the "
                      "Kerberos/NTLM load, and for a dump follow Microsoft's LSASS memory "
                      "troubleshooting (a `procdump -ma` dump needs LSA protection, RunAsPPL, "
                      "switched off in a maintenance window).",
                      pid);
  }
  if (name == "msmpeng" || name == "nissrv" || name == "mssense") {
    return text +
           " For Microsoft Defender, record what it scans with `New-MpPerformanceRecording "
           "-RecordTo defender.etl` and read it with `Get-MpPerformanceReport` (exclusions for "
           "the hottest paths), and collect `MpCmdRun -GetFiles` (as administrator) for a "
           "Defender support case.";
  }
  return text +
         " Growth in a core system process usually comes from a driver, a hook or a "
         "third-party module loaded into it: check its handle and thread counts, list its "
         "modules, and get a full memory dump through support.";
}

std::string KernelStep(const Finding& finding) {
  const std::string name = LowerImage(finding.process);
  if (name == "memory compression" || name == "memcompression") {
    return "Memory Compression holds the compressed pages of other processes and grows by "
           "design under memory pressure: it is not the leak. Find the process or pool that "
           "pushes memory out (the other findings, the System memory section).";
  }
  if (name == "registry") {
    return "The Registry process holds the loaded hives: it grows when hives are loaded "
           "(user profiles logging on, a service loading its own hive) or a hive itself grows. "
           "Check loaded hives (`reg query HKU`) and the size of the hive files.";
  }
  return fmt::format(
      "{} stands for kernel-side memory, not a user-mode heap, so UMDH cannot see it: find "
      "the pool tag that grows with `poolmon /b` (twice, minutes apart), map it to its driver "
      "with `findstr /m /l /s TAG %SystemRoot%\\System32\\drivers\\*.sys`, or trace pool "
      "allocations with WPR (`wpr -start Pool`).",
      finding.process);
}

}  // namespace

ProcessClass ClassifyImage(std::string_view image) {
  const std::string name = LowerImage(image);
  for (const auto& [known, cls] : kKnownImages) {
    if (known == name) return cls;
  }
  return ProcessClass::kGeneric;
}

const char* ProcessClassName(ProcessClass cls) {
  switch (cls) {
    case ProcessClass::kGeneric:
      return "";
    case ProcessClass::kServiceHost:
      return "svchost";
    case ProcessClass::kProtected:
      return "protected";
    case ProcessClass::kKernel:
      return "kernel";
    case ProcessClass::kSqlServer:
      return "sql_server";
    case ProcessClass::kJvm:
      return "jvm";
    case ProcessClass::kNode:
      return "node";
    case ProcessClass::kPython:
      return "python";
  }
  return "";
}

std::string HeapStepFor(ProcessClass cls, const std::string& pid, bool own_host) {
  switch (cls) {
    case ProcessClass::kServiceHost:
      // gflags /i works per image: it would turn on stack collection in every svchost. The
      // PID to trace is the service's new one, once it runs in its own host.
      return fmt::format(
          "Service heap: trace the heap of {} without gflags, "
          "`xperf -start HeapSession -heap -Pids {} -stackwalk HeapAlloc+HeapRealloc "
          "-BufferSize 1024 -MinBuffers 128 -MaxBuffers 1024`, let it grow, `xperf -stop "
          "HeapSession -d heap.etl`, and open heap.etl in WPA (Heap > Outstanding allocations "
          "by stack); never `gflags /i svchost.exe +ust`, which would apply to every svchost.",
          own_host ? "PID " + pid : std::string("that service's own PID"),
          own_host ? pid : std::string("NEW_PID"));
    case ProcessClass::kSqlServer:
      return "SQL Server grows by design: its buffer pool fills up to the target memory, so "
             "rising Private Bytes alone is not a leak. Compare `\\SQLServer:Memory "
             "Manager\\Total Server Memory (KB)` with `Target Server Memory (KB)` "
             "(`\\MSSQL$NAME:Memory Manager` for a named instance) and check `max server "
             "memory` (`sp_configure`); growth beyond the target, or in `Stolen Server Memory "
             "(KB)`, is what to chase: `sys.dm_os_memory_clerks` ordered by pages_kb shows the "
             "clerk that grows.";
    case ProcessClass::kJvm:
      return fmt::format(
          "JVM: Private Bytes includes the Java heap the JVM commits in steps. See whether the "
          "heap holds it: `jcmd {0} GC.heap_info`; then `jcmd {0} GC.class_histogram` twice, "
          "an hour apart (the classes whose counts keep growing), and `jcmd {0} GC.heap_dump "
          "heap.hprof` for Eclipse MAT's leak suspects. Growth outside the heap (threads, "
          "direct buffers, JNI): `jcmd {0} VM.native_memory summary` with "
          "`-XX:NativeMemoryTracking=summary`, and UMDH for native libraries.",
          pid);
    case ProcessClass::kNode:
      return fmt::format(
          "Node.js: take two V8 heap snapshots an hour apart (`v8.writeHeapSnapshot()` in the "
          "app, or Chrome DevTools attached with `node --inspect`, PID {}) and compare them "
          "(Comparison view: the constructors whose count keeps growing; closures and Maps "
          "that are never cleared are the usual cause). If the JS heap "
          "(`process.memoryUsage().heapUsed`) is flat while Private Bytes grows, the leak is "
          "native (buffers, addons): UMDH.",
          pid);
    case ProcessClass::kPython:
      return fmt::format(
          "Python: start the process with `PYTHONTRACEMALLOC=25` (or `tracemalloc.start(25)`), "
          "take `tracemalloc.take_snapshot()` twice an hour apart and print "
          "`new.compare_to(old, 'traceback')[:10]`: the lines whose allocations keep growing. "
          "Growth that tracemalloc does not see is in C extensions: UMDH on PID {}.",
          pid);
    case ProcessClass::kGeneric:
    case ProcessClass::kProtected:
    case ProcessClass::kKernel:
      break;
  }
  return {};
}

std::string OverridingStepFor(ProcessClass cls, const Finding& finding, const std::string& pid) {
  if (cls == ProcessClass::kProtected) return ProtectedStep(finding, pid);
  if (cls == ProcessClass::kKernel) return KernelStep(finding);
  return {};
}

std::string KindStepFor(std::string_view kind, const std::string& pid) {
  if (kind == "managed") {
    return fmt::format(
        ".NET managed-heap leak: the CLR heap explains the growth, so UMDH would only show the "
        "GC's own allocations. Take two heap snapshots an hour apart, `dotnet-gcdump collect -p "
        "{0}` (.NET Core / 5+), and compare them in PerfView or Visual Studio (types whose "
        "count and size keep growing); for .NET Framework, a full dump (`procdump -ma {0}`) and "
        "`!dumpheap -stat`, then `!gcroot` on an instance of the growing type in WinDbg with "
        "SOS, shows who keeps it alive (static collections, event handlers, caches).",
        pid);
  }
  if (kind == "dynamic_assemblies") {
    return fmt::format(
        ".NET assemblies or appdomains keep loading: code generated at run time and never "
        "unloaded (XmlSerializer built with a non-default constructor, Regex with "
        "RegexOptions.Compiled per call, scripting or Razor compilation, appdomains created "
        "and not unloaded). In a dump (`procdump -ma {0}`), `!dumpdomain` lists the loaded "
        "assemblies: the many identical dynamic ones name the generator; cache the serializer "
        "or the compiled code, or use a collectible AssemblyLoadContext.",
        pid);
  }
  return {};
}

namespace {

// A private-memory limit (KB) that recycles a growing worker well before the peak it reached:
// half-way from where the growth started to its peak, at most 1.5x the start, in whole MB.
std::optional<std::int64_t> PrivateMemoryLimitKb(const Finding& finding) {
  for (const Evidence& e : finding.evidence) {
    if (e.counter != "Private Bytes" || !IsFlagged(e.verdict)) continue;
    const double start = e.observed_start, peak = e.peak;
    if (!(start > 0.0) || !(peak > start)) return std::nullopt;
    const double limit = std::min(1.5 * start, start + 0.5 * (peak - start));
    const double mb = std::ceil(limit / (1024.0 * 1024.0));
    return static_cast<std::int64_t>(mb) * 1024;
  }
  return std::nullopt;
}

}  // namespace

std::string SqlStolenMemoryStep(const std::string& pid) {
  return fmt::format(
      "SQL Server stolen memory: memory taken outside the buffer pool (plan cache, lock "
      "manager, memory grants, CLR, linked-server and OLE DB providers, extended procedures) "
      "keeps growing, which the buffer pool's target does not bound. Run `SELECT TOP 10 type, "
      "name, pages_kb FROM sys.dm_os_memory_clerks ORDER BY pages_kb DESC` twice an hour apart "
      "(and `DBCC MEMORYSTATUS`) to see the clerk that grows: CACHESTORE_SQLCP (ad hoc plans: "
      "`optimize for ad hoc workloads`, parameterize), OBJECTSTORE_LOCK_MANAGER (long "
      "transactions holding locks), MEMORYCLERK_SQLCLR (CLR objects), "
      "MEMORYCLERK_SQLQERESERVATIONS "
      "(grants); memory no clerk accounts for, in PID {0}, is a third-party DLL loaded into "
      "SQL Server (`sys.dm_os_loaded_modules`): a `procdump -ma {0}` dump for support.",
      pid);
}

std::string IisWorkerStepFor(const Finding& finding, const std::string& pid) {
  if (finding.system || LowerImage(finding.process) != "w3wp") return {};
  constexpr std::string_view kAppcmd = "%windir%\\system32\\inetsrv\\appcmd";
  // Several pools over the PIDs (joined with ", "): the last one is the latest worker's.
  const std::size_t comma = finding.app_pool.rfind(", ");
  const std::string pool = finding.app_pool.empty()     ? std::string()
                           : comma == std::string::npos ? finding.app_pool
                                                        : finding.app_pool.substr(comma + 2);
  std::string text =
      pool.empty()
          ? fmt::format(
                " IIS: find the app pool of worker PID {1} with `{0} list wp` (logging "
                "`\\W3SVC_W3WP(*)\\*` lets perfleak name it). To relieve the machine now, `{0} "
                "recycle apppool /apppool.name:POOL` starts a fresh worker",
                kAppcmd, pid)
          : fmt::format(
                " IIS: this worker serves app pool {1} (`{0} list wp` maps worker PIDs to pools "
                "on the machine). To relieve the machine now, `{0} recycle apppool "
                "/apppool.name:{1}` starts a fresh worker",
                kAppcmd, pool);
  if (const auto kb = PrivateMemoryLimitKb(finding)) {
    text += fmt::format(
        "; as a stopgap until the fix, let IIS recycle it on private memory, `{} set apppool "
        "{} /recycling.periodicRestart.privateMemory:{}` (KB: half-way from where this growth "
        "started to its peak)",
        kAppcmd, pool.empty() ? "POOL" : pool, *kb);
  }
  return text +
         ". Recycling hides the leak, it does not fix it: take the dump or trace above before "
         "a recycle discards the leaking process.";
}

const PidServices* ServicesOfLastPid(const Finding& finding) {
  if (!finding.services || finding.services->pids.empty()) return nullptr;
  const std::vector<PidServices>& pids = finding.services->pids;
  if (!finding.pids.empty()) {
    for (const PidServices& p : pids) {
      if (p.pid == finding.pids.back()) return &p;
    }
  }
  return &pids.back();
}

bool HostsSingleService(const Finding& finding) {
  const PidServices* p = ServicesOfLastPid(finding);
  return p != nullptr && p->names.size() == 1 && !finding.pids.empty() &&
         p->pid == finding.pids.back();
}

std::string ServiceList(const std::vector<std::string>& names, std::size_t max) {
  std::string out;
  const std::size_t shown = names.size() > max ? max - 1 : names.size();
  for (std::size_t i = 0; i < shown; ++i) out += (i == 0 ? "" : ", ") + names[i];
  if (shown < names.size()) out += fmt::format(", +{} more", names.size() - shown);
  return out;
}

namespace {

// Where the services come from, for the step: the export, and whether its time was checked.
std::string ServicesSource(const HostedServices& hosted, const std::string& pid) {
  const std::size_t slash = hosted.source.find_last_of("/\\");
  const std::string file =
      slash == std::string::npos ? hosted.source : hosted.source.substr(slash + 1);
  if (hosted.export_time_local) {
    return fmt::format("as `{}`, taken {} near this log, lists them", file,
                       FormatLocal(*hosted.export_time_local).substr(0, 16));
  }
  return fmt::format(
      "as `{}` lists them; the export has no time and PIDs are reused after a reboot, so "
      "confirm with `tasklist /svc /fi \"PID eq {}\"` on the machine",
      file, pid);
}

// `sc config A type= own` or `sc config B type= own` ..., at most three named.
std::string ScConfigLines(const std::vector<std::string>& names) {
  constexpr std::size_t kMax = 3;
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kMax; ++i) {
    out += fmt::format("{}`sc config {} type= own`", i == 0 ? "" : " or ", names[i]);
  }
  if (names.size() > kMax) out += fmt::format(" (or any other of the {})", names.size());
  return out;
}

}  // namespace

std::string FirstStepFor(ProcessClass cls, const Finding& finding, const std::string& pid) {
  if (cls != ProcessClass::kServiceHost) return {};
  const PidServices* hosted = ServicesOfLastPid(finding);
  if (hosted == nullptr) {
    return fmt::format(
        "Shared service host: find which service grows first. `tasklist /svc /fi \"PID eq "
        "{0}\"` lists the services in PID {0}; move the suspect to its own host (`sc config "
        "NAME type= own`, then restart it) and watch which new PID keeps growing. Then, on that "
        "PID: ",
        pid);
  }
  const std::string in_pid = std::to_string(hosted->pid);
  const std::string source = ServicesSource(*finding.services, in_pid);
  if (HostsSingleService(finding)) {
    return fmt::format(
        "Service host of one service: PID {0} runs only {1} ({2}), so the growth is {1}'s and "
        "the host needs no splitting. On PID {0}: ",
        in_pid, hosted->names.front(), source);
  }
  const std::string which =
      in_pid == pid ? fmt::format("PID {}", pid)
                    : fmt::format("PID {} (an earlier PID of this svchost; the log last saw {})",
                                  in_pid, pid);
  return fmt::format(
      "Shared service host: {} hosts {} ({}). Find which service grows first: move one suspect "
      "at a time to its own host ({}, then restart that service) and watch which new PID keeps "
      "growing. Then, on that PID: ",
      which, ServiceList(hosted->names, 8), source, ScConfigLines(hosted->names));
}

}  // namespace perfleak::internal
