// The batch runner and the reporters together: a generated support-case folder gives one
// complete report, and the same JSON whatever --jobs is.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "fleet_folder.h"
#include "perfleak/batch.h"
#include "perfleak/report.h"
#include "report/report_fixtures.h"

namespace perfleak {
namespace {

using testing::RenderReport;

using ::testing::HasSubstr;

class FleetBatch : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = testing::MakeFleetFolder(testing::MakeTempDir("perfleak-fleet"));
  }
  void TearDown() override { std::filesystem::remove_all(folder_.root); }
  Report Run(std::size_t jobs) const {
    BatchOptions options;
    options.jobs = jobs;
    options.read.counter_patterns = AnalysisCounterPatterns();
    return RunBatch({folder_.root}, options);
  }
  testing::FleetFolder folder_;
};

TEST_F(FleetBatch, JsonIsByteIdenticalWhateverTheJobs) {
  const Report one = Run(1);
  const Report four = Run(4);
  const std::string json = RenderReport(one, ReportFormat::kJson);
  EXPECT_EQ(json, RenderReport(four, ReportFormat::kJson));
  // The other formats too: they share the ranking, so a difference would show there first.
  EXPECT_EQ(RenderReport(one, ReportFormat::kText), RenderReport(four, ReportFormat::kText));
  EXPECT_EQ(RenderReport(one, ReportFormat::kHtml), RenderReport(four, ReportFormat::kHtml));
}

TEST_F(FleetBatch, OneReportListsEveryLogFailureAndSkippedFile) {
  const auto j = nlohmann::json::parse(RenderReport(Run(2), ReportFormat::kJson));
  std::size_t ok = 0, failed = 0, no_data = 0;
  for (const auto& log : j["logs"]) {
    const std::string path = log["path"];
    if (log["status"] == "ok") {
      ++ok;
      continue;
    }
    if (log["status"] == "no_data") {
      // The .blg cut in its first buffer reads fine but holds no sample: not a clean bill.
      ++no_data;
      EXPECT_THAT(log["reason"].get<std::string>(), HasSubstr("no sample"));
      EXPECT_THAT(log["collect_hint"].get<std::string>(), HasSubstr("logman create counter"));
      continue;
    }
    ++failed;
    const std::string error = log["error"];
    EXPECT_THAT(error, HasSubstr(path)) << "the error names the file";
    EXPECT_EQ(log["parts"], nlohmann::json::array({path}));
  }
  EXPECT_EQ(ok, folder_.good_logs);
  EXPECT_EQ(no_data, folder_.sampleless_logs);
  EXPECT_EQ(j["context"]["logs_no_data"], folder_.sampleless_logs);
  EXPECT_EQ(failed, folder_.broken_logs);
  EXPECT_EQ(j["context"]["logs_failed"], folder_.broken_logs);
  EXPECT_EQ(j["context"]["logs_skipped"], folder_.foreign);
  ASSERT_EQ(j["skipped"].size(), folder_.foreign);
  for (const auto& s : j["skipped"]) {
    EXPECT_FALSE(s["path"].get<std::string>().empty());
    EXPECT_EQ(s["reason"], "not a counter log");
  }

  bool stitched = false;
  for (const auto& log : j["logs"]) {
    if (log["parts"].size() == 2) {
      stitched = true;
      EXPECT_THAT(log["parts"][1].get<std::string>(), HasSubstr("DataCollector01_000002.csv"));
    }
  }
  EXPECT_TRUE(stitched) << "the roll-over pair of web01 is one timeline";

  // The same generated leak on WEB01, WEB02 (same seed): the fleet summary ranks it on both.
  ASSERT_FALSE(j["findings"].empty());
  EXPECT_GE(j["findings"][0]["machines_leaking"].get<std::size_t>(), 2u);
  ASSERT_FALSE(j["fleet"]["processes"].empty());
  EXPECT_GE(j["fleet"]["processes"][0]["machines_leaking"].size(), 2u);
}

TEST_F(FleetBatch, TextAndHtmlShowFailuresSkippedFilesAndJoinedParts) {
  const Report report = Run(2);
  const std::string text = RenderReport(report, ReportFormat::kText);
  EXPECT_THAT(text, HasSubstr("stitched from 2 files:"));
  EXPECT_THAT(text, HasSubstr("Skipped 2 files"));
  EXPECT_THAT(text, HasSubstr("notes.txt: not a counter log"));
  EXPECT_THAT(text, HasSubstr("Fleet: "));
  EXPECT_THAT(text, HasSubstr("4 logs analysed, 3 failed, 2 skipped, 1 without data;"));
  const std::string html = RenderReport(report, ReportFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("stitched from 2 files:"));
  EXPECT_THAT(html, HasSubstr("<h2>Skipped files</h2>"));
  EXPECT_THAT(html, HasSubstr("id=\"fleet\""));
  EXPECT_THAT(html, HasSubstr("4 logs analysed, 3 failed, 2 skipped, 1 without data;"));
  for (const LogReport& log : report.logs) {
    if (!log.status.ok()) {
      EXPECT_THAT(html, HasSubstr(log.path));
    }
  }
}

}  // namespace
}  // namespace perfleak
