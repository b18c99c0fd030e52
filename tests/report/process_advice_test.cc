#include "report/process_advice.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report/finding_text.h"
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
