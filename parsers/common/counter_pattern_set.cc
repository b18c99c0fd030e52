#include "common/counter_pattern_set.h"

#include <algorithm>
#include <mutex>

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

Result<std::shared_ptr<const CounterPatternSet::Sets>> CounterPatternSet::ParseSets(
    const std::vector<std::string>& texts) {
  auto sets = std::make_shared<Sets>();
  for (const std::string& text : texts) {
    PERFLEAK_ASSIGN_OR_RETURN(CounterPattern pattern, CounterPattern::Parse(text));
    if (IsCounterSuffix(text)) {
      sets->counters.insert(AsciiLower(std::string_view(text).substr(2)));
      sets->suffixes.push_back(std::move(pattern));
    } else {
      sets->others.push_back(std::move(pattern));
    }
  }
  return std::shared_ptr<const Sets>(std::move(sets));
}

Result<CounterPatternSet> CounterPatternSet::Parse(const std::vector<std::string>& texts) {
  static std::mutex mutex;
  static std::vector<std::string> last_texts;
  static std::shared_ptr<const Sets> last_sets;
  CounterPatternSet set;
  {
    const std::lock_guard<std::mutex> lock(mutex);
    if (last_sets != nullptr && last_texts == texts) {
      set.sets_ = last_sets;
      return set;
    }
  }
  PERFLEAK_ASSIGN_OR_RETURN(set.sets_, ParseSets(texts));
  const std::lock_guard<std::mutex> lock(mutex);
  last_texts = texts;
  last_sets = set.sets_;
  return set;
}

bool CounterPatternSet::Matches(const CounterPath& path) const {
  const auto matches = [&](const CounterPattern& p) { return p.Matches(path); };
  const Sets& sets = *sets_;
  if (!sets.counters.empty()) {
    if (path.counter.find('\\') == std::string::npos) {
      if (sets.counters.count(AsciiLower(path.counter)) != 0) return true;
    } else if (std::any_of(sets.suffixes.begin(), sets.suffixes.end(), matches)) {
      return true;
    }
  }
  return std::any_of(sets.others.begin(), sets.others.end(), matches);
}

}  // namespace perfleak::internal
