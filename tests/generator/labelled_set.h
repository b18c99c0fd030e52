// Scoring verdicts against a labelled set (generated or recorded logs with known leaks), beside
// PAL's endpoint-slope rule, as a per-pattern confusion table that tests pin as a golden.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "perfleak/analysis.h"
#include "perfleak/counter_log.h"
#include "perfleak/status.h"
#include "scenario_generator.h"

namespace perfleak::scenario {

/// Parses what LabelsToJson writes (`{"processes":[{process, instance, pids, expected,
/// pattern, counter}]}`); recorded sets use the same form. `name` is used in errors.
Result<std::vector<ProcessLabel>> ParseLabelsJson(std::string_view json, const std::string& name);

/// PAL's rule: per instance column (PAL knows no PIDs), average 30 equal time slices and flag
/// the instance when the slope between the first and last slice exceeds 100 MB/h of Private
/// Bytes, 100 handles/h or 100 threads/h.
bool PalFlags(const CounterLog& log, const std::string& instance);

/// The verdict a label gets: the highest verdict of the process findings that share one of its
/// PIDs (or, for a label without PIDs, its instance name).
Verdict PredictedVerdict(const LogAnalysis& analysis, const ProcessLabel& label);

/// A leak is the positive class: suspect and ok both count as "not called a leak".
struct Confusion {
  std::size_t tp = 0, fp = 0, fn = 0, tn = 0;
  void Add(bool expected, bool predicted);
  double Precision() const;
  double Recall() const;
  double F1() const;
};

struct PatternRow {
  bool leak = false;                      ///< what the pattern is, by construction
  std::array<std::size_t, 4> verdicts{};  ///< indexed by Verdict
  std::size_t pal_flagged = 0;
};

struct QualityTable {
  std::map<std::string, PatternRow> patterns;
  Confusion ours, pal;
  /// "log instance pattern: expected leak, got suspect", one per wrong call.
  std::vector<std::string> misses;
};

/// Adds one analysed log's labels to the table.
void ScoreLog(const std::string& log_name, const CounterLog& log, const LogAnalysis& analysis,
              const std::vector<ProcessLabel>& labels, QualityTable* table);

/// The table as fixed-width text: one row per pattern, the totals, PAL's totals and the misses.
std::string FormatQualityTable(const QualityTable& table);

}  // namespace perfleak::scenario
