// Fuzzes the counter-path parser and pattern matcher: parse, print, reparse must agree.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "perfleak/counter_path.h"

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
  return 0;
}
