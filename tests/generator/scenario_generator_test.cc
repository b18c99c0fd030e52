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

// FNV-1a (Fowler, Noll, Vo), 64-bit: the same value with every standard library.
std::uint64_t Fnv1a(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
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

TEST(ScenarioGenerator, VersionOneIsUnchangedByLaterVersions) {
  // sample_logs/ and the pinned version-1 quality table are version 1: its bytes must not move
  // (the values were read off version 1 before version 2 existed).
  ScenarioOptions o;
  o.seed = 5;
  o.max_samples = 300;
  const Scenario sc = GenerateScenario(o);
  EXPECT_EQ(sc.log.num_samples(), 111u);
  ASSERT_FALSE(sc.labels.empty());
  EXPECT_EQ(sc.labels.front().pattern, "decline");
  EXPECT_EQ(Fnv1a(AsCsv(sc)), 0xceb46d74292b097dULL);
  EXPECT_EQ(AllPatterns(1).size(), 19u);
}

TEST(ScenarioGenerator, VersionTwoAddsHardCasesAndShortCaptures) {
  std::set<std::string> seen;
  std::size_t short_logs = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    ScenarioOptions o;
    o.version = 2;
    o.seed = seed;
    o.max_samples = 1200;
    const Scenario sc = GenerateScenario(o);
    const double minutes = static_cast<double>(sc.log.time_utc.back() - sc.log.time_utc.front()) /
                           (60.0 * kTicksPerSecond);
    if (minutes >= 19.0 && minutes <= 60.0) ++short_logs;
    for (const ProcessLabel& l : sc.labels) {
      seen.insert(l.pattern);
      EXPECT_EQ(l.expected, IsLeakPattern(l.pattern) ? Verdict::kLeak : Verdict::kOk);
    }
  }
  EXPECT_EQ(seen.size(), AllPatterns(2).size());
  EXPECT_GE(short_logs, 8u);
}

TEST(ScenarioGenerator, ManagedStaircaseKeepsSteppingToTheEnd) {
  ScenarioOptions o;
  o.version = 2;
  o.patterns = {"managed_staircase"};
  o.min_processes = o.max_processes = 6;
  o.missing_rows = o.missing_cells = 0.0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    o.seed = seed;
    const Scenario sc = GenerateScenario(o);
    for (std::size_t c = 0; c < sc.log.num_counters(); ++c) {
      if (sc.log.paths[c].counter != "Private Bytes") continue;
      const Column& y = sc.log.columns[c];
      const std::size_t n = y.size(), fifth = n / 5;
      // The last fifth is higher than the fifth before it: a step came late.
      double before = 0.0, last = 0.0;
      for (std::size_t i = n - 2 * fifth; i < n - fifth; ++i) before = std::max(before, y[i]);
      for (std::size_t i = n - fifth; i < n; ++i) last = std::max(last, y[i]);
      EXPECT_GT(last, before) << "seed " << seed << " column " << c;
    }
  }
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
