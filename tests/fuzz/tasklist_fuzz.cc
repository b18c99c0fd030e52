// Fuzzes tasklist /svc sniffing and parsing. Beyond "no crash, no hang": an export that parses
// names the input in every warning, every process has an image and a PID that fits a DWORD,
// and no service name is empty; a failure names the input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>

#include "perfleak/tasklist.h"

namespace {

constexpr std::string_view kName = "fuzz_tasklist.txt";

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "tasklist fuzz invariant broken: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  (void)perfleak::LooksLikeTasklistExport(bytes);
  perfleak::TasklistLimits limits;
  limits.max_bytes = 1 << 20;
  limits.max_line_bytes = 512;
  limits.max_processes = 1000;
  const auto parsed = perfleak::ParseTasklistExport(kName, bytes, limits);
  if (!parsed.ok()) {
    if (parsed.status().message().find(kName) == std::string::npos)
      Fail("error does not name input");
    return 0;
  }
  if (parsed->processes.size() > limits.max_processes) Fail("more processes than the limit");
  for (const perfleak::TasklistProcess& p : parsed->processes) {
    if (p.image.empty()) Fail("a process without an image name");
    if (p.pid < 0 || p.pid > 0xFFFFFFFFll) Fail("a PID outside a DWORD");
    if (p.line == 0) Fail("a process without its line");
    for (const std::string& s : p.services) {
      if (s.empty()) Fail("an empty service name");
    }
  }
  for (const std::string& w : parsed->warnings) {
    if (w.find(kName) == std::string::npos) Fail("a warning does not name the input");
  }
  (void)perfleak::TimeInFileName(
      std::string_view(reinterpret_cast<const char*>(data), size < 256 ? size : 256));
  return 0;
}
