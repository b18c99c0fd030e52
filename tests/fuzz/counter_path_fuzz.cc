// Fuzzes the counter-path parser and pattern matchers: parse, print, reparse must agree, and
// the pattern set must match exactly what its patterns match one by one.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/counter_pattern_set.h"
#include "perfleak/counter_path.h"

namespace {

// The set's fast path for `*\X` patterns against the generic matcher, on the fuzzed path.
void CheckSetAgreesWithPatterns(const std::vector<std::string>& texts,
                                const perfleak::CounterPath& path) {
  auto set = perfleak::internal::CounterPatternSet::Parse(texts);
  if (!set.ok()) return;
  bool any = false;
  for (const std::string& text : texts) {
    auto pattern = perfleak::CounterPattern::Parse(text);
    if (!pattern.ok()) std::abort();  // the set parsed it
    any = any || pattern->Matches(path);
  }
  if (set->Matches(path) != any) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = perfleak::CounterPath::Parse(text);
  if (parsed.ok()) {
    const std::string printed = parsed->ToString();
    if (printed != text) std::abort();
    auto again = perfleak::CounterPath::Parse(printed);
    if (!again.ok() || !(*again == *parsed)) std::abort();
  }
  auto pattern = perfleak::CounterPattern::Parse(text);
  if (pattern.ok() && parsed.ok()) static_cast<void>(pattern->Matches(*parsed));
  if (parsed.ok()) {
    const std::string& counter = parsed->counter;
    CheckSetAgreesWithPatterns({"*\\" + counter, std::string(text)}, *parsed);
    CheckSetAgreesWithPatterns({"*\\" + counter.substr(counter.size() / 2)}, *parsed);
    CheckSetAgreesWithPatterns({"*\\Private Bytes", "\\Process(*)\\*"}, *parsed);
  }
  return 0;
}
