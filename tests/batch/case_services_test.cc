// tasklist /svc exports in a case folder name the services of svchost findings (RunBatch):
// found by content, read once, applied to the logs of their folder (and of the folder the
// command line named), never fatal to the analysis.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "analysis/process_kind_fixtures.h"
#include "batch/fleet_folder.h"
#include "perfleak/batch.h"
#include "test_util.h"

namespace perfleak {
namespace {

namespace fs = std::filesystem;
using testing::Add;
using testing::Constant;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::kMiB;
using testing::Linear;

// svchost PIDs 812, 1234 (leaking) and 1132 and lsass 688: the PIDs of the tasklist fixtures
// (tests/data/tasklist), so those are exports of this log's boot.
std::string ServiceHostCsv() {
  CounterLog log = testing::MakeLog();
  const auto svchost = [&](const std::string& instance, double pid, double per_sample) {
    Add(&log, "\\\\WEB01\\Process(" + instance + ")\\Private Bytes",
        Linear(60 * kMiB, per_sample * kMiB, 0.5 * kMiB));
    Add(&log, "\\\\WEB01\\Process(" + instance + ")\\ID Process", Constant(pid));
  };
  svchost("svchost", 812, 0.0);
  svchost("svchost#1", 1234, 0.5);
  svchost("svchost#2", 1132, 0.0);
  Add(&log, "\\\\WEB01\\Process(lsass)\\Private Bytes", Constant(40 * kMiB));
  Add(&log, "\\\\WEB01\\Process(lsass)\\ID Process", Constant(688));
  return testing::PdhText(log);
}

class CaseServices : public ::testing::Test {
 protected:
  void SetUp() override { root_ = testing::MakeTempDir("perfleak-case-services"); }
  void TearDown() override { fs::remove_all(root_); }

  std::string Write(const std::string& relative, const std::string& content) {
    const fs::path path = fs::path(root_) / relative;
    fs::create_directories(path.parent_path());
    testing::WriteStringToFile(path.string(), content);
    return path.string();
  }
  std::string Fixture(const std::string& name) {
    return testing::ReadFileToString(testing::TestDataPath("tasklist/" + name));
  }
  static const Finding* Svchost1234(const Report& report) {
    for (const LogReport& log : report.logs) {
      for (const Finding& f : log.analysis.findings) {
        if (!f.pids.empty() && f.pids.back() == 1234) return &f;
      }
    }
    return nullptr;
  }

  std::string root_;
};

TEST_F(CaseServices, AnExportBesideTheLogNamesTheServicesAndIsSkippedNotFailed) {
  Write("WEB01/perf.csv", ServiceHostCsv());
  const std::string tasklist = Write("WEB01/tasklist_svc.txt", Fixture("ok_table_utf16_bom.txt"));
  const Report report = RunBatch({root_}, {});
  ASSERT_EQ(report.logs.size(), 1u);
  ASSERT_TRUE(report.logs[0].status.ok()) << report.logs[0].status.message();
  ASSERT_EQ(report.skipped.size(), 1u);
  EXPECT_EQ(report.skipped[0].path, tasklist);
  EXPECT_THAT(report.skipped[0].reason, HasSubstr("tasklist /svc export"));
  const Finding* f = Svchost1234(report);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->verdict, Verdict::kLeak);
  ASSERT_TRUE(f->services.has_value());
  EXPECT_EQ(f->services->source, tasklist);
  EXPECT_THAT(f->services->pids[0].names, Contains("LanmanWorkstation"));
  // Every format names the services; JSON carries them whole.
  for (const ReportFormat format : {ReportFormat::kText, ReportFormat::kHtml}) {
    std::ostringstream out;
    ASSERT_TRUE(MakeReporter(format, {})->Write(report, out).ok());
    EXPECT_THAT(out.str(), HasSubstr("(PID 1234: CryptSvc, Dhcp, EventLog, +6 more)"));
    // The text report wraps its steps: only HTML keeps the command on one line.
    if (format == ReportFormat::kHtml) {
      EXPECT_THAT(out.str(), HasSubstr("sc config CryptSvc type= own"));
    }
  }
}

TEST_F(CaseServices, ACsvExportInTheRootFolderCountsForTheLogsBelowIt) {
  Write("WEB01/perf.csv", ServiceHostCsv());
  // A `.csv` that is not a counter log: without sniffing it would be a failed log.
  const std::string tasklist = Write("WEB01_tasklist.csv", Fixture("ok_svc.csv"));
  const Report report = RunBatch({root_}, {});
  ASSERT_EQ(report.logs.size(), 1u);
  const Finding* f = Svchost1234(report);
  ASSERT_NE(f, nullptr);
  ASSERT_TRUE(f->services.has_value());
  EXPECT_EQ(f->services->source, tasklist);
}

TEST_F(CaseServices, ALogNamedOnTheCommandLineFindsTheExportInItsFolder) {
  const std::string log = Write("WEB01/perf.csv", ServiceHostCsv());
  Write("WEB01/tasklist.txt", Fixture("ok_table_utf8.txt"));
  Write("WEB02/tasklist.txt", Fixture("ok_svc.csv"));  // another machine's folder: not used
  const Report report = RunBatch({log}, {});
  const Finding* f = Svchost1234(report);
  ASSERT_NE(f, nullptr);
  ASSERT_TRUE(f->services.has_value());
  EXPECT_THAT(f->services->source, HasSubstr("WEB01/tasklist.txt"));
  EXPECT_TRUE(report.skipped.empty());  // found beside the log, not an input
}

TEST_F(CaseServices, AnExportInASiblingFolderIsNotThisLogs) {
  Write("WEB01/perf.csv", ServiceHostCsv());
  Write("WEB02/tasklist.txt", Fixture("ok_table_utf8.txt"));
  const Report report = RunBatch({root_}, {});
  const Finding* f = Svchost1234(report);
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(f->services.has_value());
}

TEST_F(CaseServices, AMalformedExportIsAWarningNamingFileAndLine) {
  Write("WEB01/perf.csv", ServiceHostCsv());
  const std::string tasklist = Write("WEB01/tasklist.txt", Fixture("bad_rows.txt"));
  const Report report = RunBatch({root_}, {});
  ASSERT_EQ(report.logs.size(), 1u);
  ASSERT_TRUE(report.logs[0].status.ok());
  EXPECT_THAT(report.logs[0].analysis.warnings,
              Contains(HasSubstr(tasklist + ":10: PID \"8x12\" is not a number")));
  const Finding* f = Svchost1234(report);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->services.has_value());  // the good rows are used
}

TEST_F(CaseServices, AnExportNamedOnTheCommandLineAppliesAndIsListedAsSkipped) {
  const std::string log = Write("logs/perf.csv", ServiceHostCsv());
  const std::string tasklist = Write("exports/svc.txt", Fixture("ok_table_utf8.txt"));
  const Report report = RunBatch({log, tasklist}, {});
  ASSERT_EQ(report.logs.size(), 1u);  // never read as a log
  ASSERT_EQ(report.skipped.size(), 1u);
  EXPECT_EQ(report.skipped[0].path, tasklist);
  const Finding* f = Svchost1234(report);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->services.has_value());
}

}  // namespace
}  // namespace perfleak
