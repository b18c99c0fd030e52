// End to end: every log in sample_logs/ through `perfleak analyze --format json`, reading and
// analysis included, against a reviewed golden. A change of any state, verdict or number of
// these reports shows as a diff of tests/golden/e2e/.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "cli_run.h"
#include "test_util.h"

namespace perfleak::cli {
namespace {

// The report as the golden holds it: the generation time fixed and the checkout's path cut,
// so the golden does not depend on when or where the test runs.
std::string Stable(std::string json) {
  json = std::regex_replace(json, std::regex("\"generated_utc\": \"[^\"]*\""),
                            "\"generated_utc\": \"(fixed)\"");
  const std::string prefix = std::string(PERFLEAK_SOURCE_DIR) + "/";
  for (std::size_t pos = json.find(prefix); pos != std::string::npos; pos = json.find(prefix)) {
    json.erase(pos, prefix.size());
  }
  return json;
}

std::string SampleLog(const std::string& name) {
  return std::string(PERFLEAK_SOURCE_DIR) + "/sample_logs/" + name;
}

void ExpectGolden(const std::vector<std::string>& args, const std::string& golden,
                  int expected_code) {
  const CliRun r = RunPerfleak(args);
  EXPECT_EQ(r.code, expected_code) << r.err;
  EXPECT_EQ(testing::CompareWithGolden("e2e/" + golden, Stable(r.out)), "");
}

TEST(SampleLogGoldens, EveryLogMatchesItsReviewedJson) {
  const std::vector<std::string> names = {"app03_healthy.csv", "app05_incident.csv",
                                          "batch04_threads.csv", "sql02_restarts.tsv",
                                          "web01_mixed.csv"};
  std::size_t found = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(PERFLEAK_SOURCE_DIR) + "/sample_logs")) {
    const std::string ext = entry.path().extension().string();
    found += ext == ".csv" || ext == ".tsv" ? 1 : 0;
  }
  ASSERT_EQ(found, names.size()) << "a sample log was added or removed: give it a golden here";
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    ExpectGolden({"analyze", SampleLog(name), "--format", "json", "--all", "--quiet"},
                 name + ".json", 0);
  }
}

TEST(SampleLogGoldens, PostMortemRunUpMatchesItsReviewedJson) {
  ExpectGolden({"analyze", SampleLog("app05_incident.csv"), "--format", "json", "--quiet", "--at",
                "2026-11-20 06:30"},
               "app05_incident_at_0630.json", 0);
}

}  // namespace
}  // namespace perfleak::cli
