#include "scenario_generator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "perfleak/writer.h"

namespace perfleak::scenario {
namespace {

std::string AsCsv(const Scenario& sc) {
  std::ostringstream out;
  EXPECT_TRUE(WritePdhText(sc.log, out).ok());
  return out.str();
}

TEST(ScenarioGenerator, SameSeedSameBytes) {
  ScenarioOptions o;
  o.seed = 17;
  o.max_samples = 500;
  EXPECT_EQ(AsCsv(GenerateScenario(o)), AsCsv(GenerateScenario(o)));
  ScenarioOptions other = o;
  other.seed = 18;
  EXPECT_NE(AsCsv(GenerateScenario(o)), AsCsv(GenerateScenario(other)));
}

TEST(ScenarioGenerator, SeedsCoverEveryPatternWithRealisticShape) {
  std::set<std::string> seen;
  bool duplicate_names = false, missing = false;
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    ScenarioOptions o;
    o.seed = seed;
    o.max_samples = 400;
    const Scenario sc = GenerateScenario(o);
    ASSERT_GE(sc.log.num_samples(), o.min_samples);
    ASSERT_LE(sc.log.num_samples(), o.max_samples);
    ASSERT_EQ(sc.log.paths.size(), sc.log.columns.size());
    for (const ProcessLabel& l : sc.labels) {
      seen.insert(l.pattern);
      ASSERT_FALSE(l.pids.empty());
      EXPECT_EQ(l.pattern == "restart_leak" ? 2u : 1u, l.pids.size()) << l.pattern;
      EXPECT_EQ(l.expected, IsLeakPattern(l.pattern) ? Verdict::kLeak : Verdict::kOk);
      bool column = false;
      for (const CounterPath& p : sc.log.paths) column |= p.InstanceWithIndex() == l.instance;
      EXPECT_TRUE(column) << l.instance;
    }
    for (const CounterPath& p : sc.log.paths) duplicate_names |= p.instance_index.has_value();
    for (const auto& c : sc.log.columns) {
      for (const double v : c) missing |= std::isnan(v);
    }
  }
  EXPECT_EQ(seen.size(), AllPatterns().size());
  EXPECT_TRUE(duplicate_names);
  EXPECT_TRUE(missing);
}

TEST(ScenarioGenerator, LabelsJsonNamesEveryProcess) {
  ScenarioOptions o;
  o.seed = 3;
  o.max_samples = 200;
  const Scenario sc = GenerateScenario(o);
  const auto j = nlohmann::json::parse(LabelsToJson(sc, "x.csv", 3));
  EXPECT_EQ(j["file"], "x.csv");
  ASSERT_EQ(j["processes"].size(), sc.labels.size());
  EXPECT_TRUE(j["processes"][0].contains("expected"));
  EXPECT_TRUE(j["processes"][0].contains("pids"));
}

TEST(ScenarioGenerator, WriteToMissingFolderNamesThePath) {
  ScenarioOptions o;
  o.max_samples = 120;
  const Status st = WriteScenario(GenerateScenario(o), "/nonexistent/dir", "x", false, 1);
  EXPECT_EQ(st.code(), StatusCode::kIoError);
  EXPECT_NE(st.message().find("/nonexistent/dir/x.csv"), std::string::npos);
}

}  // namespace
}  // namespace perfleak::scenario
