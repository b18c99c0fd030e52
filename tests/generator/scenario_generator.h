// Seeded generator of labelled PDH logs with every leak and non-leak pattern the analysis
// must tell apart, mixed in one log (tests, quality figures, sample_logs/).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "perfleak/analysis.h"
#include "perfleak/counter_log.h"
#include "perfleak/status.h"

namespace perfleak::scenario {

/// What one generated process is and what the analysis should say about it.
struct ProcessLabel {
  std::string process;              ///< image name (`svchost`)
  std::string instance;             ///< column of its first sample (`svchost#2`)
  std::vector<std::int64_t> pids;   ///< in time order (two for a restart)
  Verdict expected = Verdict::kOk;  ///< kLeak or kOk
  std::string pattern;              ///< `linear`, `warmup`, ...
  std::string counter;              ///< the counter that carries the pattern
};

struct Scenario {
  CounterLog log;
  std::vector<ProcessLabel> labels;
};

/// Generator versions: a version's logs never change, so its pinned quality table stays
/// meaningful. 1: the original patterns. 2: adds the hard cases (kLeakPatternsV2 and
/// kOkPatternsV2 in the source) and short captures.
inline constexpr int kLatestVersion = 2;

struct ScenarioOptions {
  int version = 1;
  std::uint64_t seed = 1;
  std::size_t min_samples = 100;
  std::size_t max_samples = 10'000;
  std::size_t min_processes = 10;
  std::size_t max_processes = 20;
  /// Share of processes given a leak pattern.
  double leak_share = 0.35;
  /// Rate of whole-row and of single-cell missing samples.
  double missing_rows = 0.004;
  double missing_cells = 0.002;
  /// Restrict patterns to this list (names as in ProcessLabel::pattern); empty = all.
  std::vector<std::string> patterns;
  std::string machine = "WEB01";
  /// Version 2: share of logs that are short captures (20-60 min at 1-15 s).
  double short_capture_share = 0.4;
};

/// Every pattern name of a generator version, leaks first.
std::vector<std::string> AllPatterns(int version = 1);
bool IsLeakPattern(const std::string& pattern);

/// Builds one log in memory. Deterministic for a seed on every platform (own Box-Muller).
Scenario GenerateScenario(const ScenarioOptions& options);

/// `{"seed":..., "file":..., "processes":[{process, instance, pids, expected, pattern,
/// counter}]}`.
std::string LabelsToJson(const Scenario& scenario, const std::string& file_name,
                         std::uint64_t seed);

/// Writes `<dir>/<name>.csv` (or `.tsv`) and `<dir>/<name>.labels.json`.
Status WriteScenario(const Scenario& scenario, const std::string& dir, const std::string& name,
                     bool tsv, std::uint64_t seed);

}  // namespace perfleak::scenario
