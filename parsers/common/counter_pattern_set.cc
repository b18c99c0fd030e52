#include "common/counter_pattern_set.h"

#include <algorithm>

#include "common/ascii_case_internal.h"

namespace perfleak::internal {

namespace {

// `*\X` with no wildcard or backslash in X: on a whole path it matches exactly the paths whose
// counter is X, or ends in `\X` (a counter name with a backslash, kept on the slow path).
bool IsCounterSuffix(std::string_view text) {
  return text.size() > 2 && text[0] == '*' && text[1] == '\\' &&
         text.find_first_of("*?\\", 2) == std::string_view::npos;
}

}  // namespace

Result<CounterPatternSet> CounterPatternSet::Parse(const std::vector<std::string>& texts) {
  CounterPatternSet set;
  for (const std::string& text : texts) {
    PERFLEAK_ASSIGN_OR_RETURN(CounterPattern pattern, CounterPattern::Parse(text));
    if (IsCounterSuffix(text)) {
      set.counters_.insert(AsciiLower(std::string_view(text).substr(2)));
      set.suffixes_.push_back(std::move(pattern));
    } else {
      set.others_.push_back(std::move(pattern));
    }
  }
  return set;
}

bool CounterPatternSet::Matches(const CounterPath& path) const {
  const auto matches = [&](const CounterPattern& p) { return p.Matches(path); };
  if (!counters_.empty()) {
    if (path.counter.find('\\') == std::string::npos) {
      if (counters_.count(AsciiLower(path.counter)) != 0) return true;
    } else if (std::any_of(suffixes_.begin(), suffixes_.end(), matches)) {
      return true;
    }
  }
  return std::any_of(others_.begin(), others_.end(), matches);
}

}  // namespace perfleak::internal
