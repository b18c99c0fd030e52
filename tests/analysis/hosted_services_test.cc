// Services of svchost findings from tasklist /svc exports (AttachHostedServices): used only
// when the export is plausible for the log, since PIDs are reused after a reboot.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/process_kind_fixtures.h"
#include "perfleak/analysis.h"

namespace perfleak {
namespace {

using testing::Add;
using ::testing::AllOf;
using testing::Constant;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::kMiB;
using testing::Linear;
using testing::MakeLog;

void AddSvchost(CounterLog* log, const std::string& instance, double pid, double per_sample) {
  Add(log, "\\\\WEB01\\Process(" + instance + ")\\Private Bytes",
      Linear(60 * kMiB, per_sample * kMiB, 0.5 * kMiB));
  Add(log, "\\\\WEB01\\Process(" + instance + ")\\ID Process", Constant(pid));
}

// Three svchosts (1234 leaks) and lsass, as perfmon names them.
CounterLog ServiceHostLog() {
  CounterLog log = MakeLog();
  AddSvchost(&log, "svchost", 812, 0.0);
  AddSvchost(&log, "svchost#1", 1234, 0.5);
  AddSvchost(&log, "svchost#2", 1132, 0.0);
  Add(&log, "\\\\WEB01\\Process(lsass)\\Private Bytes", Constant(40 * kMiB));
  Add(&log, "\\\\WEB01\\Process(lsass)\\ID Process", Constant(688));
  return log;
}

TasklistExport Export(std::vector<TasklistProcess> processes, std::string path = "tasklist.txt") {
  TasklistExport e;
  e.path = std::move(path);
  e.processes = std::move(processes);
  return e;
}

TasklistExport SameBoot() {
  return Export({{"lsass.exe", 688, {"KeyIso", "SamSs"}, 8},
                 {"svchost.exe", 812, {"DcomLaunch", "PlugPlay"}, 9},
                 {"svchost.exe", 1132, {"Dnscache"}, 10},
                 {"svchost.exe", 1234, {"CryptSvc", "LanmanWorkstation"}, 11},
                 {"notepad.exe", 7000, {}, 12}});
}

const Finding* FindPid(const LogAnalysis& a, std::int64_t pid) {
  for (const Finding& f : a.findings) {
    if (!f.system && std::find(f.pids.begin(), f.pids.end(), pid) != f.pids.end()) return &f;
  }
  return nullptr;
}

LogAnalysis Analyse(const CounterLog& log) {
  auto a = AnalyzeLog(log);
  EXPECT_TRUE(a.ok());
  return a.ok() ? std::move(a).value() : LogAnalysis{};
}

TEST(HostedServices, AnExportOfTheSameBootNamesEachSvchostsServices) {
  const CounterLog log = ServiceHostLog();
  LogAnalysis a = Analyse(log);
  const std::vector<std::string> warnings = AttachHostedServices({SameBoot()}, log, &a);
  EXPECT_THAT(warnings, IsEmpty());
  const Finding* leak = FindPid(a, 1234);
  ASSERT_NE(leak, nullptr);
  EXPECT_EQ(leak->verdict, Verdict::kLeak);
  ASSERT_TRUE(leak->services.has_value());
  EXPECT_EQ(leak->services->source, "tasklist.txt");
  EXPECT_FALSE(leak->services->export_time_local.has_value());
  ASSERT_EQ(leak->services->pids.size(), 1u);
  EXPECT_EQ(leak->services->pids[0].pid, 1234);
  EXPECT_THAT(leak->services->pids[0].names, ElementsAre("CryptSvc", "LanmanWorkstation"));
  ASSERT_TRUE(FindPid(a, 1132)->services.has_value());
  EXPECT_THAT(FindPid(a, 1132)->services->pids[0].names, ElementsAre("Dnscache"));
  // Only svchost findings get services; lsass helped check the export, nothing more.
  EXPECT_FALSE(FindPid(a, 688)->services.has_value());
}

TEST(HostedServices, AnExportOfAnotherBootIsNotUsedAndTheReportSaysWhy) {
  const CounterLog log = ServiceHostLog();
  LogAnalysis a = Analyse(log);
  // After a reboot the same PIDs belong to other images.
  const TasklistExport other = Export({{"svchost.exe", 688, {"RpcSs"}, 4},
                                       {"explorer.exe", 812, {}, 5},
                                       {"svchost.exe", 1234, {"Themes"}, 6},
                                       {"conhost.exe", 1132, {}, 7}});
  const std::vector<std::string> warnings = AttachHostedServices({other}, log, &a);
  EXPECT_FALSE(FindPid(a, 1234)->services.has_value());
  EXPECT_THAT(warnings,
              ElementsAre(AllOf(HasSubstr("tasklist.txt: tasklist /svc export not used"),
                                HasSubstr("3 of the 4 processes"), HasSubstr("another boot"))));
}

TEST(HostedServices, TheExportsTimeMustBeNearTheLog) {
  const CounterLog log = ServiceHostLog();
  {
    LogAnalysis a = Analyse(log);
    TasklistExport during = SameBoot();
    during.time_local = log.time_local[100];
    EXPECT_THAT(AttachHostedServices({during}, log, &a), IsEmpty());
    ASSERT_TRUE(FindPid(a, 1234)->services.has_value());
    EXPECT_EQ(FindPid(a, 1234)->services->export_time_local, log.time_local[100]);
  }
  LogAnalysis a = Analyse(log);
  TasklistExport old = SameBoot();
  old.time_local = log.time_local.front() - 3 * 24 * kTicksPerHour;
  const std::vector<std::string> warnings = AttachHostedServices({old}, log, &a);
  EXPECT_FALSE(FindPid(a, 1234)->services.has_value());
  EXPECT_THAT(warnings, ElementsAre(AllOf(HasSubstr("not used"), HasSubstr(" d before the log"))));
}

TEST(HostedServices, TheBestOfSeveralExportsWinsAndItsRowWarningsAreKept) {
  const CounterLog log = ServiceHostLog();
  LogAnalysis a = Analyse(log);
  TasklistExport partial = Export({{"svchost.exe", 1234, {"Old"}, 3}}, "a_tasklist.txt");
  TasklistExport full = SameBoot();
  full.path = "WEB01_tasklist.txt";  // names the machine
  full.warnings = {"WEB01_tasklist.txt:12: no PID in row \"x\"; row skipped"};
  const std::vector<std::string> warnings = AttachHostedServices({partial, full}, log, &a);
  ASSERT_TRUE(FindPid(a, 1234)->services.has_value());
  EXPECT_EQ(FindPid(a, 1234)->services->source, "WEB01_tasklist.txt");
  EXPECT_THAT(warnings, ElementsAre(HasSubstr("WEB01_tasklist.txt:12")));
}

TEST(HostedServices, NoSvchostNoWork) {
  CounterLog log = MakeLog();
  Add(&log, "\\\\WEB01\\Process(lsass)\\Private Bytes", Constant(40 * kMiB));
  Add(&log, "\\\\WEB01\\Process(lsass)\\ID Process", Constant(688));
  LogAnalysis a = Analyse(log);
  TasklistExport bad = Export({}, "x.txt");
  bad.warnings = {"x.txt:3: oops"};
  EXPECT_THAT(AttachHostedServices({bad}, log, &a), IsEmpty());
}

}  // namespace
}  // namespace perfleak
