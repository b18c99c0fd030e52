// Fuzzes case bundles: the bytes are an archive file (zip, cab, 7z, tar, gzip/bzip2/xz, or
// anything else) handed to discovery and to the member reader, as `perfleak analyze` would.
// Beyond "no crash, no hang, no read out of bounds", every listed log and every failure must
// name the bundle, and reads stay within small limits (a bomb must stop, not exhaust memory).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "perfleak/batch.h"
#include "perfleak/log_input.h"

namespace {

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "archive fuzz invariant broken: %s: %s\n", what, detail.c_str());
  std::abort();
}

// Members are read from an archive file, so each input is written to one per process.
const std::string& BundlePath() {
  static const std::string path =
      (std::getenv("TMPDIR") != nullptr ? std::string(std::getenv("TMPDIR")) : "/tmp") +
      "/perfleak-fuzz-bundle-" + std::to_string(::getpid()) + ".zip";
  return path;
}

bool WriteBundle(const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(BundlePath().c_str(), "wb");
  if (f == nullptr) return false;
  const bool ok = size == 0 || std::fwrite(data, 1, size, f) == size;
  return std::fclose(f) == 0 && ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (!WriteBundle(data, size)) return 0;
  const std::string& bundle = BundlePath();
  perfleak::BatchOptions options;
  options.archive.max_bytes = std::uint64_t{64} << 20;
  options.archive.max_ratio = 100;
  const perfleak::BatchInputs inputs = perfleak::DiscoverInputs({bundle}, options);
  for (const perfleak::LogReport& failed : inputs.failed) {
    if (failed.status.message().find(bundle) == std::string::npos) {
      Fail("a failure does not name the bundle", failed.status.message());
    }
  }
  perfleak::ReadOptions read;
  read.max_counters = 10'000;
  read.max_cells = 1'000'000;
  read.num_threads = 1;
  for (const perfleak::LogInput& input : inputs.logs) {
    if (input.path.rfind(bundle, 0) != 0) Fail("a log is not shown under the bundle", input.path);
    const auto log = perfleak::ReadLogInput(input, read, options.archive);
    if (!log.ok() && log.status().message().find(bundle) == std::string::npos) {
      Fail("a read error does not name the bundle", log.status().message());
    }
    if (log.ok() && log->paths.size() != log->columns.size()) Fail("paths and columns", input.path);
  }
  std::remove(bundle.c_str());
  return 0;
}
