#include "report/process_advice.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report/finding_text.h"
#include "report/next_steps.h"
#include "report/ranking.h"
#include "report/report_fixtures.h"

namespace perfleak::internal {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

Finding Leaking(std::string process, std::string counter, std::string unit, std::int64_t pid) {
  Finding f;
  f.machine = "APP07";
  f.process = process;
  f.instance = std::move(process);
  f.pids = {pid};
  f.verdict = Verdict::kLeak;
  Evidence e;
  e.counter = std::move(counter);
  e.unit = std::move(unit);
  e.verdict = Verdict::kLeak;
  f.evidence.push_back(e);
  return f;
}

std::string Step(const Finding& f) {
  static const Report report = testing::MakeGoldenReport();
  return NextStep(report.logs[0], f);
}

TEST(ProcessAdvice, ImageNamesAreClassifiedWhateverTheirCaseOrExe) {
  EXPECT_EQ(ClassifyImage("svchost.exe"), ProcessClass::kServiceHost);
  EXPECT_EQ(ClassifyImage("SVCHOST"), ProcessClass::kServiceHost);
  EXPECT_EQ(ClassifyImage("MsMpEng"), ProcessClass::kProtected);
  EXPECT_EQ(ClassifyImage("lsass.EXE"), ProcessClass::kProtected);
  EXPECT_EQ(ClassifyImage("System"), ProcessClass::kKernel);
  EXPECT_EQ(ClassifyImage("Memory Compression"), ProcessClass::kKernel);
  EXPECT_EQ(ClassifyImage("sqlservr"), ProcessClass::kSqlServer);
  EXPECT_EQ(ClassifyImage("javaw"), ProcessClass::kJvm);
  EXPECT_EQ(ClassifyImage("node"), ProcessClass::kNode);
  EXPECT_EQ(ClassifyImage("python3"), ProcessClass::kPython);
  EXPECT_EQ(ClassifyImage("w3wp"), ProcessClass::kGeneric);
  EXPECT_EQ(ClassifyImage("svchostx"), ProcessClass::kGeneric);
  EXPECT_STREQ(ProcessClassName(ClassifyImage("sqlservr")), "sql_server");
}

TEST(ProcessAdvice, LeakingSvchostIsSplitFirstAndNeverGetsGflagsForEverySvchost) {
  const std::string step = Step(Leaking("svchost", "Private Bytes", "bytes", 1132));
  EXPECT_THAT(step, AllOf(HasSubstr("tasklist /svc /fi \"PID eq 1132\""),
                          HasSubstr("sc config NAME type= own"), HasSubstr("-Pids NEW_PID"),
                          Not(HasSubstr("Enable stack collection"))));
  // A handle leak in a svchost is split first too, then the handle recipe follows.
  const std::string handles = Step(Leaking("svchost", "Handle Count", "handles", 964));
  EXPECT_THAT(handles, AllOf(HasSubstr("tasklist /svc"), HasSubstr("!htrace")));
}

TEST(ProcessAdvice, ProtectedProcessesGetWhatWorksOnThemNotGflags) {
  const std::string defender = Step(Leaking("MsMpEng", "Private Bytes", "bytes", 4100));
  EXPECT_THAT(defender, AllOf(HasSubstr("Protected process"),
                              HasSubstr("New-MpPerformanceRecording"), Not(HasSubstr("umdh -p"))));
  const std::string lsass = Step(Leaking("lsass", "Handle Count", "handles", 700));
  EXPECT_THAT(lsass, AllOf(HasSubstr("tasklist /m /fi \"PID eq 700\""), Not(HasSubstr("!htrace"))));
}

TEST(ProcessAdvice, KernelProcessesPointAtPoolsNotUserHeaps) {
  EXPECT_THAT(Step(Leaking("System", "Private Bytes", "bytes", 4)),
              AllOf(HasSubstr("poolmon /b"), Not(HasSubstr("gflags"))));
  EXPECT_THAT(Step(Leaking("Memory Compression", "Working Set", "bytes", 2500)),
              HasSubstr("grows by design under memory pressure"));
}

TEST(ProcessAdvice, RuntimesGetTheirOwnHeapTools) {
  EXPECT_THAT(Step(Leaking("java", "Private Bytes", "bytes", 5100)),
              AllOf(HasSubstr("jcmd 5100 GC.class_histogram"), HasSubstr("GC.heap_dump")));
  EXPECT_THAT(Step(Leaking("node", "Private Bytes", "bytes", 5200)),
              HasSubstr("v8.writeHeapSnapshot()"));
  EXPECT_THAT(Step(Leaking("python", "Private Bytes", "bytes", 5300)),
              AllOf(HasSubstr("tracemalloc"), HasSubstr("UMDH on PID 5300")));
  EXPECT_THAT(Step(Leaking("sqlservr", "Private Bytes", "bytes", 5400)),
              AllOf(HasSubstr("grows by design"), HasSubstr("Target Server Memory (KB)")));
  // Only Private Bytes is the runtime's heap: a JVM leaking threads gets the thread recipe.
  EXPECT_THAT(Step(Leaking("java", "Thread Count", "threads", 5100)), HasSubstr("Thread leak"));
  EXPECT_THAT(Step(Leaking("OrderService", "Private Bytes", "bytes", 5500)),
              HasSubstr("umdh -p:5500"));
}

TEST(ProcessAdvice, SameRecipeIsReferredToAndDifferentOnesStayWhole) {
  const Report report = testing::MakeGoldenReport();
  const Finding a = Leaking("svchost", "Private Bytes", "bytes", 1132);
  const Finding b = Leaking("svchost", "Private Bytes", "bytes", 1068);
  const Finding c = Leaking("svchost", "Handle Count", "handles", 964);
  const std::vector<RankedFinding> ranked = {{1, 0, &report.logs[0], &a, 0},
                                             {2, 0, &report.logs[0], &b, 0},
                                             {3, 0, &report.logs[0], &c, 0}};
  const std::vector<std::string> steps = ReportNextSteps(ranked);
  EXPECT_THAT(steps[0], HasSubstr("xperf"));
  EXPECT_EQ(steps[1], "Shared service host: the steps under #1 above, for PID 1068.");
  EXPECT_THAT(steps[2], HasSubstr("!htrace"));
}

}  // namespace
}  // namespace perfleak::internal

namespace perfleak::internal {
namespace {

TEST(ProcessAdvice, ManagedLeakGetsAHeapDumpNotUmdh) {
  Finding f = Leaking("w3wp", "Private Bytes", "bytes", 4312);
  f.kind = "managed";
  EXPECT_THAT(Step(f), AllOf(HasSubstr("dotnet-gcdump collect -p 4312"), HasSubstr("!gcroot"),
                             Not(HasSubstr("gflags"))));
  f.kind = "dynamic_assemblies";
  EXPECT_THAT(Step(f), AllOf(HasSubstr("!dumpdomain"), HasSubstr("AssemblyLoadContext")));
  f.kind = "native";  // the managed heap is flat: the native recipe
  EXPECT_THAT(Step(f), HasSubstr("umdh -p:4312"));
}

}  // namespace
}  // namespace perfleak::internal

namespace perfleak::internal {
namespace {

Finding SvchostWithServices(std::vector<std::string> names, bool timed) {
  Finding f = Leaking("svchost", "Private Bytes", "bytes", 1234);
  f.instance = "svchost#3";
  HostedServices hosted;
  hosted.source = "case/WEB01/tasklist_svc.txt";
  if (timed) hosted.export_time_local = 1'700'000'000LL * kTicksPerSecond;
  hosted.pids.push_back(PidServices{1234, std::move(names)});
  f.services = hosted;
  return f;
}

TEST(ProcessAdvice, SvchostStepNamesItsServicesInTheScConfigLines) {
  const Finding f = SvchostWithServices({"Dnscache", "LanmanWorkstation"}, false);
  const std::string step = Step(f);
  EXPECT_THAT(step, AllOf(HasSubstr("PID 1234 hosts Dnscache, LanmanWorkstation"),
                          HasSubstr("`sc config Dnscache type= own` or `sc config "
                                    "LanmanWorkstation type= own`"),
                          Not(HasSubstr("sc config NAME")), HasSubstr("-Pids NEW_PID"),
                          // No time in the export: its word, and how to confirm it.
                          HasSubstr("as `tasklist_svc.txt` lists them; the export has no time"),
                          HasSubstr("tasklist /svc /fi \"PID eq 1234\"")));
  EXPECT_EQ(DisplayName(f), "svchost#3 (PID 1234: Dnscache, LanmanWorkstation)");
  const Finding timed = SvchostWithServices({"Dnscache", "LanmanWorkstation"}, true);
  EXPECT_THAT(Step(timed), AllOf(HasSubstr("taken 2023-11-14 22:13 near this log"),
                                 Not(HasSubstr("has no time"))));
}

TEST(ProcessAdvice, ManyServicesAreCutInNamesButNotInJsonTerms) {
  const Finding f = SvchostWithServices(
      {"BITS", "CryptSvc", "Dnscache", "gpsvc", "LanmanWorkstation", "NlaSvc"}, false);
  EXPECT_EQ(DisplayName(f), "svchost#3 (PID 1234: BITS, CryptSvc, Dnscache, +3 more)");
  EXPECT_THAT(Step(f), HasSubstr("`sc config BITS type= own` or `sc config CryptSvc type= own` or "
                                 "`sc config Dnscache type= own` (or any other of the 6)"));
}

TEST(ProcessAdvice, ASingleServiceHostIsNotSplitAndIsTracedUnderItsOwnPid) {
  const std::string step = Step(SvchostWithServices({"Dnscache"}, false));
  EXPECT_THAT(step, AllOf(HasSubstr("PID 1234 runs only Dnscache"), HasSubstr("-Pids 1234"),
                          Not(HasSubstr("NEW_PID")), Not(HasSubstr("type= own"))));
}

TEST(ProcessAdvice, W3wpGetsAppcmdToMapRecycleAndCapItsPool) {
  Finding f = Leaking("w3wp", "Private Bytes", "bytes", 4312);
  f.app_pool = "OrdersApi";
  f.evidence[0].observed_start = 600 * 1024.0 * 1024.0;
  f.evidence[0].peak = 1200 * 1024.0 * 1024.0;
  const std::string step = Step(f);
  EXPECT_THAT(step, AllOf(HasSubstr("umdh -p:4312"), HasSubstr("serves app pool OrdersApi"),
                          HasSubstr("%windir%\\system32\\inetsrv\\appcmd list wp"),
                          HasSubstr("appcmd recycle apppool /apppool.name:OrdersApi"),
                          // half-way from 600 MB to the 1200 MB peak: 900 MB = 921600 KB
                          HasSubstr("appcmd set apppool OrdersApi "
                                    "/recycling.periodicRestart.privateMemory:921600"),
                          HasSubstr("Recycling hides the leak, it does not fix it")));
  // Without W3SVC_W3WP the pool is found on the machine; a handle leak gets no memory limit.
  Finding handles = Leaking("w3wp", "Handle Count", "handles", 5120);
  EXPECT_THAT(Step(handles),
              AllOf(HasSubstr("!htrace"), HasSubstr("find the app pool of worker PID 5120"),
                    HasSubstr("/apppool.name:POOL"), Not(HasSubstr("privateMemory"))));
  EXPECT_THAT(Step(Leaking("OrderService", "Private Bytes", "bytes", 1)), Not(HasSubstr("appcmd")));
}

TEST(ProcessAdvice, SqlStolenMemoryLeadsToTheMemoryClerks) {
  const std::string step = Step(Leaking("sqlservr", "Stolen Server Memory", "bytes", 2200));
  EXPECT_THAT(step, AllOf(HasSubstr("SQL Server stolen memory"),
                          HasSubstr("sys.dm_os_memory_clerks"), Not(HasSubstr("grows by design"))));
}

}  // namespace
}  // namespace perfleak::internal
