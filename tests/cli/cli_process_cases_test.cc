// Issue 17 end to end: each "know the process" case of the generator (process_generator.h),
// written as PDH-CSV text, read and analysed by the CLI, gives the right verdict, kind,
// explained share, names and next step in text and JSON (and HTML for the app pools).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "batch/fleet_folder.h"
#include "cli_run.h"
#include "process_generator.h"
#include "test_util.h"

namespace perfleak {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using scenario::ProcessCase;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

class ProcessCases : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir("perfleak-process-cases"); }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(ProcessCase kind) {
    scenario::ProcessCaseOptions o;
    o.kind = kind;
    const scenario::Scenario sc = scenario::GenerateProcessCase(o);
    const std::string path = (fs::path(dir_) / (std::string(ProcessCaseName(kind)) + ".csv"));
    testing::WriteStringToFile(path, testing::PdhText(sc.log));
    return path;
  }
  json Json(const std::string& path) {
    const cli::CliRun r = cli::RunPerfleak({"analyze", path, "--format", "json", "--all"});
    EXPECT_LE(r.code, 1) << r.err;
    return json::parse(r.out);
  }
  std::string Text(const std::string& path) {
    return cli::RunPerfleak({"analyze", path, "--color", "never"}).out;
  }
  static json FindingWithPid(const json& report, std::int64_t pid) {
    for (const json& f : report["findings"]) {
      for (const json& p : f["pids"]) {
        if (p == pid) return f;
      }
    }
    ADD_FAILURE() << "no finding with PID " << pid;
    return json::object();
  }

  static json EvidenceOf(const json& finding, const std::string& counter) {
    for (const json& e : finding["evidence"]) {
      if (e["counter"] == counter) return e;
    }
    ADD_FAILURE() << "no " << counter << " evidence in " << finding.dump();
    return json::object();
  }
  static double ExplainedShare(const json& finding) {
    const json pb = EvidenceOf(finding, "Private Bytes");
    if (!pb.contains("explained_by")) {
      ADD_FAILURE() << "no explained_by in " << pb.dump();
      return -1;
    }
    EXPECT_EQ(pb["explained_by"][0]["counter"], "# Bytes in all Heaps");
    return pb["explained_by"][0]["share"].get<double>();
  }

  std::string dir_;
};

TEST_F(ProcessCases, ManagedHeapLeak) {
  const std::string path = Write(ProcessCase::kManagedLeak);
  const json f = FindingWithPid(Json(path), 4100);
  EXPECT_EQ(f["verdict"], "leak");
  EXPECT_EQ(f["kind"], "managed");
  // The heap rises 430 MB of the 480 MB; tolerance: the sawtooth at the window's edges.
  EXPECT_NEAR(ExplainedShare(f), 430.0 / 480.0, 0.05);
  EXPECT_THAT(f["next_step"].get<std::string>(),
              AllOf(HasSubstr("dotnet-gcdump collect -p 4100"), Not(HasSubstr("gflags"))));
  EXPECT_THAT(Text(path), AllOf(HasSubstr("OrderService"), HasSubstr("dotnet-gcdump")));
  // The summary says how much of Private Bytes' growth the managed heap explains.
  EXPECT_THAT(
      f["summary"].get<std::string>(),
      ::testing::MatchesRegex(".*Private Bytes grew [0-9]+ MB; the .NET heap \\(# Bytes "
                              "in all Heaps, \\+[0-9]+ MB\\) explains [89][0-9] % of it.*"));
}

TEST_F(ProcessCases, NativeLeakUnderAFlatManagedHeap) {
  const std::string path = Write(ProcessCase::kNativeLeak);
  const json f = FindingWithPid(Json(path), 4100);
  EXPECT_EQ(f["verdict"], "leak");
  EXPECT_EQ(f["kind"], "native");
  EXPECT_LT(ExplainedShare(f), 0.2);
  EXPECT_THAT(f["next_step"].get<std::string>(), HasSubstr("umdh -p:4100"));
  EXPECT_THAT(Text(path), HasSubstr("gflags /i OrderService.exe +ust"));
  EXPECT_THAT(f["summary"].get<std::string>(), HasSubstr(": native memory, not the managed heap."));
}

TEST_F(ProcessCases, DynamicAssemblyLeak) {
  const std::string path = Write(ProcessCase::kDynamicAssemblies);
  const json f = FindingWithPid(Json(path), 4700);
  EXPECT_EQ(f["verdict"], "leak");
  EXPECT_EQ(f["kind"], "dynamic_assemblies");
  EXPECT_THAT(f["next_step"].get<std::string>(),
              AllOf(HasSubstr("!dumpdomain"), HasSubstr("procdump -ma 4700")));
  EXPECT_THAT(Text(path), HasSubstr("Current Assemblies"));
}

TEST_F(ProcessCases, TwoAppPoolsInShuffledClrOrder) {
  const std::string path = Write(ProcessCase::kTwoAppPools);
  const json report = Json(path);
  const json orders = FindingWithPid(report, 4312);
  EXPECT_EQ(orders["verdict"], "leak");
  EXPECT_EQ(orders["app_pool"], "OrdersApi");
  EXPECT_EQ(orders["kind"], "managed");
  EXPECT_NEAR(ExplainedShare(orders), 450.0 / 480.0, 0.05);
  EXPECT_THAT(orders["next_step"].get<std::string>(),
              AllOf(HasSubstr("dotnet-gcdump collect -p 4312"),
                    HasSubstr("appcmd recycle apppool /apppool.name:OrdersApi"),
                    HasSubstr("/recycling.periodicRestart.privateMemory:"),
                    HasSubstr("Recycling hides the leak")));
  const json pool = FindingWithPid(report, 5120);
  EXPECT_EQ(pool["verdict"], "ok");
  EXPECT_EQ(pool["app_pool"], "DefaultAppPool");
  EXPECT_EQ(report["fleet"]["processes"][0]["app_pool"], "OrdersApi");
  EXPECT_THAT(Text(path), HasSubstr("w3wp (app pool OrdersApi)"));
  const std::string html = dir_ + "/pools.html";
  ASSERT_EQ(cli::RunPerfleak({"analyze", path, "--format", "html", "-o", html}).code, 0);
  EXPECT_THAT(testing::ReadFileToString(html), HasSubstr("w3wp (app pool OrdersApi)"));
}

TEST_F(ProcessCases, SqlServerRampingToItsTargetIsByDesign) {
  const std::string path = Write(ProcessCase::kSqlToTarget);
  const json f = FindingWithPid(Json(path), 2200);
  EXPECT_EQ(f["verdict"], "ok");
  EXPECT_THAT(f["caveats"], ::testing::Contains("by_design"));
  EXPECT_THAT(f["summary"].get<std::string>(), HasSubstr("buffer pool filling toward its 12 GB"));
  EXPECT_EQ(f["next_step"], "");
  EXPECT_THAT(Text(path), Not(HasSubstr("sqlservr")));  // nothing to act on
}

TEST_F(ProcessCases, NamedSqlInstanceGrowingPastItsTarget) {
  const std::string path = Write(ProcessCase::kSqlPastTarget);
  const json f = FindingWithPid(Json(path), 2200);
  EXPECT_EQ(f["verdict"], "leak");
  EXPECT_THAT(f["caveats"], ::testing::Contains("beyond_target"));
  EXPECT_THAT(f["summary"].get<std::string>(), HasSubstr("above its 6.0 GB target"));
  EXPECT_THAT(f["next_step"].get<std::string>(), HasSubstr("MSSQL$NAME:Memory Manager"));
  // Stolen memory is flat here: judged, not the lead.
  bool stolen = false;
  for (const json& e : f["evidence"]) {
    if (e["counter"] == "Stolen Server Memory") stolen = e["verdict"] == "ok";
  }
  EXPECT_TRUE(stolen);
}

TEST_F(ProcessCases, ProcessV2WithARestartIsOneFindingCountedOnce) {
  const std::string path = Write(ProcessCase::kProcessV2Restart);
  const json report = Json(path);
  const json f = FindingWithPid(report, 4100);
  EXPECT_EQ(f["verdict"], "leak");
  EXPECT_EQ(f["pids"], json::array({4100, 4500}));
  EXPECT_EQ(f["lifetimes"].size(), 2u);
  EXPECT_EQ(f["process"], "OrderService");
  // OrderService, two svchosts, lsass: Process and Process V2 both logged, each counted once.
  EXPECT_EQ(report["context"]["processes_analysed"], 4);
  EXPECT_THAT(cli::RunPerfleak({"info", path}).out, HasSubstr("5 instance(s)"));
  EXPECT_THAT(Text(path), HasSubstr("across 1 restart"));
}

}  // namespace
}  // namespace perfleak
