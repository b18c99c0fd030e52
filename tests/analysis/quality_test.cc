// Quality of `leak` verdicts on the generated labelled set, against PAL's endpoint-slope rule,
// pinned as reviewed per-pattern confusion tables (tests/golden/quality/), one per generator
// version. The detector is tuned on seeds 1..80 only (PERFLEAK_QUALITY_SEED and
// PERFLEAK_QUALITY_LOGS move a run for experiments, which then only prints); the scoring
// seeds (version 1 from 100001, version 2 from 200001) are never used to tune.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "labelled_set.h"
#include "perfleak/analysis.h"
#include "scenario_generator.h"
#include "test_util.h"

namespace perfleak {
namespace {

std::size_t EnvOr(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? static_cast<std::size_t>(std::strtoull(v, nullptr, 10)) : fallback;
}

scenario::QualityTable ScoreGeneratedSet(int version, std::size_t base, std::size_t logs) {
  scenario::QualityTable table;
  for (std::size_t k = 0; k < logs; ++k) {
    scenario::ScenarioOptions options;
    options.version = version;
    options.seed = base + k;
    options.min_samples = 100;
    options.max_samples = 1200;
    options.min_processes = 8;
    options.max_processes = 14;
    const scenario::Scenario sc = scenario::GenerateScenario(options);
    const auto analysis = AnalyzeLog(sc.log);
    EXPECT_TRUE(analysis.ok()) << analysis.status().ToString();
    if (!analysis.ok()) continue;
    scenario::ScoreLog("seed-" + std::to_string(options.seed), sc.log, *analysis, sc.labels,
                       &table);
  }
  return table;
}

// Scores `logs` logs of a generator version from `base` and compares the table with its golden
// unless the environment moved the run (then it only prints).
void ExpectReviewedTable(int version, std::size_t default_base, std::size_t default_logs) {
  const std::size_t base = EnvOr("PERFLEAK_QUALITY_SEED", default_base);
  const std::size_t logs = EnvOr("PERFLEAK_QUALITY_LOGS", default_logs);
  const scenario::QualityTable table = ScoreGeneratedSet(version, base, logs);
  const std::string text = scenario::FormatQualityTable(table);
  std::printf("generator version %d, seeds %zu..%zu\n%s", version, base, base + logs - 1,
              text.c_str());
  EXPECT_GT(table.ours.F1(), table.pal.F1());
  if (base != default_base || logs != default_logs)
    GTEST_SKIP() << "experiment run: the table is not pinned";
  // Every verdict of every pattern is pinned: a change shows as a diff to review, not as a
  // figure that stays above a distant floor.
  EXPECT_EQ(
      testing::CompareWithGolden("quality/generated_v" + std::to_string(version) + ".txt", text),
      "");
}

TEST(LeakQuality, GeneratedV1SetMatchesItsReviewedTable) { ExpectReviewedTable(1, 100001, 60); }

// Version 2 adds the hard cases (short captures, slow warm-ups, plateaus, managed-heap
// staircases, small leaks, address-space reservations). Tuning uses its seeds 1..80; these
// scoring seeds never.
TEST(LeakQuality, GeneratedV2SetMatchesItsReviewedTable) { ExpectReviewedTable(2, 200001, 80); }

}  // namespace
}  // namespace perfleak
