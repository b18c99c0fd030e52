// Fuzzes format detection and the PDH text reader with both row policies and a projection.
#include <cstddef>
#include <cstdint>
#include <span>

#include "perfleak/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  perfleak::ReadOptions strict;
  strict.num_threads = 1;
  strict.max_field_bytes = 4096;
  static_cast<void>(perfleak::ReadLogFromBuffer("fuzz.csv", bytes, strict));
  perfleak::ReadOptions lenient = strict;
  lenient.invalid_rows = perfleak::InvalidRowPolicy::kSkip;
  lenient.counter_patterns = {"\\Process(*)\\Private Bytes"};
  static_cast<void>(perfleak::ReadLogFromBuffer("fuzz.csv", bytes, lenient));
  return 0;
}
