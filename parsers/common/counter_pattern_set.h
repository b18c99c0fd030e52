// CounterPatternSet: the counter patterns a reader selects columns with, matched as one set.
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "perfleak/counter_path.h"
#include "perfleak/status.h"

namespace perfleak::internal {

/// Matches a path against many patterns at once, exactly as any_of(CounterPattern::Matches).
/// The analysis selects its counters with hundreds of `*\<counter>` patterns (every localized
/// spelling); glob-matching each against each column's whole path was a fifth of the work of a
/// batch of small logs. Those patterns become one hash lookup of the counter name; the rest are
/// matched one by one.
class CounterPatternSet {
 public:
  /// kInvalidArgument naming the first bad pattern.
  static Result<CounterPatternSet> Parse(const std::vector<std::string>& texts);

  /// No patterns: every column is selected.
  bool empty() const { return counters_.empty() && others_.empty(); }
  bool Matches(const CounterPath& path) const;

 private:
  std::unordered_set<std::string> counters_;  // X of each `*\X` (ASCII-lowercased), X plain
  std::vector<CounterPattern> suffixes_;      // the same patterns, for counters with a `\`
  std::vector<CounterPattern> others_;
};

}  // namespace perfleak::internal
