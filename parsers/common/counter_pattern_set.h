// CounterPatternSet: the counter patterns a reader selects columns with, matched as one set.
#pragma once

#include <memory>
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
///
/// A set is shared by its copies, and the last list parsed is kept: a batch reads every log
/// with the same few hundred patterns, and parsing them for each small log was 2.7 % of the
/// CPU of a 1,000-log folder and a quarter of its page faults.
class CounterPatternSet {
 public:
  /// kInvalidArgument naming the first bad pattern. Thread-safe.
  static Result<CounterPatternSet> Parse(const std::vector<std::string>& texts);

  /// No patterns: every column is selected.
  bool empty() const { return sets_->counters.empty() && sets_->others.empty(); }
  bool Matches(const CounterPath& path) const;

 private:
  struct Sets {
    std::unordered_set<std::string> counters;  // X of each `*\X` (ASCII-lowercased), X plain
    std::vector<CounterPattern> suffixes;      // the same patterns, for counters with a `\`
    std::vector<CounterPattern> others;
  };
  static Result<std::shared_ptr<const Sets>> ParseSets(const std::vector<std::string>& texts);

  std::shared_ptr<const Sets> sets_ = std::make_shared<const Sets>();
};

}  // namespace perfleak::internal
