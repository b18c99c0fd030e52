// Issue 17, "know the process": Process V2 identity, .NET CLR managed vs native growth, IIS app
// pools. The fixtures' counter paths are spelled exactly as Windows writes them.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "analysis/process_kind_fixtures.h"
#include "perfleak/analysis.h"

namespace perfleak {
namespace {

using testing::Add;
using testing::AddClr;
using testing::AddLoading;
using testing::AddProcess;
using testing::Constant;
using testing::Heap;
using testing::kMiB;
using testing::Linear;
using testing::MakeLog;
using testing::MakeTwoAppPoolLog;
using testing::Noise;

const Finding* FindPid(const LogAnalysis& a, std::int64_t pid) {
  for (const Finding& f : a.findings) {
    if (!f.system && std::find(f.pids.begin(), f.pids.end(), pid) != f.pids.end()) return &f;
  }
  return nullptr;
}

const Evidence* FindCounter(const Finding& f, std::string_view counter) {
  for (const Evidence& e : f.evidence) {
    if (e.counter == counter) return &e;
  }
  return nullptr;
}

TEST(ProcessKind, ManagedHeapLeakIsExplainedByTheHeapAndKindManaged) {
  CounterLog log = MakeLog();
  // Private Bytes grows 1 MiB a sample, of which the heap grows 0.9 MiB.
  AddProcess(&log, "OrderService", 4100, Linear(400 * kMiB, 1.0 * kMiB, 2 * kMiB));
  AddClr(&log, "OrderService", Constant(4100), Heap(150 * kMiB, 0.9 * kMiB));
  AddLoading(&log, "OrderService", Constant(180));
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  const Finding* f = FindPid(*a, 4100);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->verdict, Verdict::kLeak);
  EXPECT_EQ(f->kind, "managed");
  EXPECT_TRUE(f->app_pool.empty());
  const Evidence* pb = FindCounter(*f, "Private Bytes");
  ASSERT_NE(pb, nullptr);
  ASSERT_EQ(pb->explained_by.size(), 3u);
  EXPECT_EQ(pb->explained_by[0].counter, "# Bytes in all Heaps");
  EXPECT_NEAR(pb->explained_by[0].share, 0.9, 0.05);  // tolerance: edge medians of a sawtooth
  EXPECT_EQ(pb->explained_by[1].counter, "Gen 2 heap size");
  EXPECT_NEAR(pb->explained_by[1].share, 0.63, 0.05);
  EXPECT_EQ(pb->explained_by[2].counter, "Large Object Heap size");
  const Evidence* heap = FindCounter(*f, "# Bytes in all Heaps");
  ASSERT_NE(heap, nullptr);
  EXPECT_EQ(heap->verdict, Verdict::kLeak);
  EXPECT_EQ(heap->unit, "bytes");
  const Evidence* assemblies = FindCounter(*f, "Current Assemblies");
  ASSERT_NE(assemblies, nullptr);
  EXPECT_EQ(assemblies->verdict, Verdict::kOk);
  EXPECT_EQ(assemblies->unit, "assemblies");
}

TEST(ProcessKind, RisingPrivateBytesOverFlatManagedHeapIsNative) {
  CounterLog log = MakeLog();
  AddProcess(&log, "ReportSvc", 5200, Linear(300 * kMiB, 0.8 * kMiB, 2 * kMiB));
  AddClr(&log, "ReportSvc", Constant(5200), Heap(120 * kMiB, 0.0));
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  const Finding* f = FindPid(*a, 5200);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->verdict, Verdict::kLeak);
  EXPECT_EQ(f->kind, "native");
  const Evidence* pb = FindCounter(*f, "Private Bytes");
  ASSERT_NE(pb, nullptr);
  ASSERT_FALSE(pb->explained_by.empty());
  EXPECT_NEAR(pb->explained_by[0].share, 0.0, 0.05);
  EXPECT_EQ(FindCounter(*f, "# Bytes in all Heaps")->verdict, Verdict::kOk);
}

TEST(ProcessKind, GrowingAssembliesAreADynamicAssemblyLeak) {
  CounterLog log = MakeLog();
  AddProcess(&log, "RulesEngine", 6300, Linear(500 * kMiB, 0.4 * kMiB, 2 * kMiB));
  AddClr(&log, "RulesEngine", Constant(6300), Heap(200 * kMiB, 0.1 * kMiB));
  AddLoading(&log, "RulesEngine",
             [](std::size_t i) { return 240.0 + 2.0 * static_cast<double>(i); });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  const Finding* f = FindPid(*a, 6300);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->kind, "dynamic_assemblies");
  const Evidence* assemblies = FindCounter(*f, "Current Assemblies");
  ASSERT_NE(assemblies, nullptr);
  EXPECT_EQ(assemblies->verdict, Verdict::kLeak);
  EXPECT_NEAR(assemblies->observed_change, 2.0 * 599, 0.1 * 2.0 * 599);  // 10 %: edge medians
}

// MakeTwoAppPoolLog: CLR instances numbered apart from Process, swapped half way.
TEST(ProcessKind, TwoAppPoolsMatchTheirClrInstancesByProcessIdNotName) {
  const CounterLog log = MakeTwoAppPoolLog();
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  const Finding* orders = FindPid(*a, 4312);
  ASSERT_NE(orders, nullptr);
  EXPECT_EQ(orders->instance, "w3wp");
  EXPECT_EQ(orders->app_pool, "OrdersApi");
  EXPECT_EQ(orders->verdict, Verdict::kLeak);
  EXPECT_EQ(orders->kind, "managed");
  const Evidence* pb = FindCounter(*orders, "Private Bytes");
  ASSERT_NE(pb, nullptr);
  ASSERT_FALSE(pb->explained_by.empty());
  EXPECT_NEAR(pb->explained_by[0].share, 0.95, 0.03);  // tolerance: sawtooth edge medians
  // Edge medians 539 samples apart; matched by name, the heap would jump from the other pool's
  // at sample 280 and rise about 700 MiB.
  EXPECT_NEAR(pb->explained_by[0].change, 0.95 * kMiB * 539, 0.03 * 0.95 * kMiB * 539);
  EXPECT_EQ(FindCounter(*orders, "# Bytes in all Heaps")->verdict, Verdict::kLeak);
  const Finding* other = FindPid(*a, 5120);
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->app_pool, "DefaultAppPool");
  EXPECT_EQ(other->verdict, Verdict::kOk);
  EXPECT_TRUE(other->kind.empty());
  EXPECT_EQ(FindCounter(*other, "# Bytes in all Heaps")->verdict, Verdict::kOk);
}

TEST(ProcessKind, ClrGlobalInstanceAndLogsWithoutClrAddNoEvidence) {
  CounterLog log = MakeLog();
  AddProcess(&log, "OrderService", 4100, Linear(400 * kMiB, 1.0 * kMiB, 2 * kMiB));
  AddClr(&log, "_Global_", Constant(0), Heap(150 * kMiB, 0.9 * kMiB));
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  const Finding* f = FindPid(*a, 4100);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->verdict, Verdict::kLeak);
  EXPECT_EQ(FindCounter(*f, "# Bytes in all Heaps"), nullptr);
  EXPECT_TRUE(FindCounter(*f, "Private Bytes")->explained_by.empty());
  EXPECT_TRUE(f->kind.empty());
}

// A service restarted half way: Process V2 names each run by its PID, and the log also holds
// the Process object for the same processes.
TEST(ProcessKind, ProcessV2RestartIsOneFindingWithTwoLifetimesCountedOnce) {
  CounterLog log = MakeLog();
  const auto run = [](bool second) {
    return [second](std::size_t i) {
      if ((i >= 300) != second) return kMissing;
      return 200 * kMiB + 1.5 * kMiB * static_cast<double>(i % 300) + Noise(i, kMiB);
    };
  };
  for (const auto& [instance, second] :
       {std::pair{"OrderService:1000", false}, std::pair{"OrderService:2000", true}}) {
    Add(&log, std::string("\\\\WEB01\\Process V2(") + instance + ")\\Private Bytes", run(second));
    Add(&log, std::string("\\\\WEB01\\Process V2(") + instance + ")\\Thread Count",
        [second](std::size_t i) { return (i >= 300) != second ? kMissing : 40.0; });
  }
  Add(&log, "\\\\WEB01\\Process(OrderService)\\Private Bytes",
      [&](std::size_t i) { return i < 300 ? run(false)(i) : run(true)(i); });
  Add(&log, "\\\\WEB01\\Process(OrderService)\\ID Process",
      [](std::size_t i) { return i < 300 ? 1000.0 : 2000.0; });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->processes_analysed, 1u);
  const Finding* f = FindPid(*a, 1000);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->process, "OrderService");
  EXPECT_EQ(f->instance, "OrderService:1000");
  EXPECT_EQ(f->pids, (std::vector<std::int64_t>{1000, 2000}));
  ASSERT_EQ(f->lifetimes.size(), 2u);
  EXPECT_EQ(f->lifetimes[0].last_sample, 299u);
  EXPECT_EQ(f->lifetimes[1].first_sample, 300u);
  EXPECT_EQ(f->verdict, Verdict::kLeak);
  EXPECT_EQ(f->evidence.front().trend.size(), 2u);
}

// The memory attribution reads the same object: with Process and Process V2 both logged, the
// service is one grower, under its image name, with both PIDs.
TEST(ProcessKind, ProcessV2AndProcessAreAttributedOnce) {
  CounterLog log = MakeLog();
  for (const auto& [instance, pid] :
       {std::pair{"OrderService:1000", 1000.0}, std::pair{"OrderService:2000", 2000.0}}) {
    Add(&log, std::string("\\\\WEB01\\Process V2(") + instance + ")\\Private Bytes",
        [pid](std::size_t i) {
          return (i >= 300) != (pid > 1500.0) ? kMissing
                                              : 200 * kMiB + 1.5 * kMiB * static_cast<double>(i);
        });
  }
  Add(&log, "\\\\WEB01\\Process(OrderService)\\Private Bytes",
      [](std::size_t i) { return 200 * kMiB + 1.5 * kMiB * static_cast<double>(i); });
  Add(&log, "\\\\WEB01\\Process(OrderService)\\ID Process",
      [](std::size_t i) { return i < 300 ? 1000.0 : 2000.0; });
  Add(&log, "\\\\WEB01\\Memory\\Committed Bytes", Linear(4096 * kMiB, 1.5 * kMiB, kMiB));
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  const Finding* system = nullptr;
  for (const Finding& f : a->findings) {
    if (f.system) system = &f;
  }
  ASSERT_NE(system, nullptr);
  ASSERT_TRUE(system->contributors.has_value());
  std::size_t growers = 0;
  for (const Grower& g : system->contributors->growers) {
    if (g.kernel_pool) continue;
    ++growers;
    EXPECT_EQ(g.process, "OrderService");
    EXPECT_EQ(g.pids, (std::vector<std::int64_t>{1000, 2000}));
  }
  EXPECT_EQ(growers, 1u);
}

TEST(ProcessKind, ProcessV2WithoutRestartKeepsOverlappingProcessesApart) {
  CounterLog log = MakeLog();
  Add(&log, "\\\\WEB01\\Process V2(svchost:812)\\Private Bytes",
      Linear(40 * kMiB, 0.5 * kMiB, kMiB));
  Add(&log, "\\\\WEB01\\Process V2(svchost:1204)\\Private Bytes", Linear(60 * kMiB, 0.0, kMiB));
  Add(&log, "\\\\WEB01\\Process V2(Idle:0)\\Private Bytes", Constant(60 * 1024));
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->processes_analysed, 2u);
  ASSERT_NE(FindPid(*a, 812), nullptr);
  EXPECT_EQ(FindPid(*a, 812)->verdict, Verdict::kLeak);
  EXPECT_EQ(FindPid(*a, 812)->process, "svchost");
  ASSERT_NE(FindPid(*a, 1204), nullptr);
  EXPECT_EQ(FindPid(*a, 1204)->verdict, Verdict::kOk);
  EXPECT_NE(FindPid(*a, 812), FindPid(*a, 1204));
}

TEST(ProcessKind, KindShareThresholdsAreValidated) {
  AnalysisOptions options;
  options.native_max_share = 0.7;
  EXPECT_FALSE(options.Validate().ok());
  options = AnalysisOptions{};
  options.managed_min_share = 1.5;
  EXPECT_FALSE(options.Validate().ok());
}

}  // namespace
}  // namespace perfleak
