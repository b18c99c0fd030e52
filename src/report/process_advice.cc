#include "report/process_advice.h"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "perfleak/ascii_case.h"

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

std::string HeapStepFor(ProcessClass cls, const std::string& pid) {
  switch (cls) {
    case ProcessClass::kServiceHost:
      // gflags /i works per image: it would turn on stack collection in every svchost. The
      // PID to trace is the service's new one, once it runs in its own host.
      return "Service heap: trace the heap of that service's own PID without gflags, "
             "`xperf -start HeapSession -heap -Pids NEW_PID -stackwalk HeapAlloc+HeapRealloc "
             "-BufferSize 1024 -MinBuffers 128 -MaxBuffers 1024`, let it grow, `xperf -stop "
             "HeapSession -d heap.etl`, and open heap.etl in WPA (Heap > Outstanding allocations "
             "by stack); never `gflags /i svchost.exe +ust`, which would apply to every svchost.";
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

std::string FirstStepFor(ProcessClass cls, const std::string& pid) {
  if (cls != ProcessClass::kServiceHost) return {};
  return fmt::format(
      "Shared service host: find which service grows first. `tasklist /svc /fi \"PID eq {0}\"` "
      "lists the services in PID {0}; move the suspect to its own host (`sc config NAME type= "
      "own`, then restart it) and watch which new PID keeps growing. Then, on that PID: ",
      pid);
}

}  // namespace perfleak::internal
