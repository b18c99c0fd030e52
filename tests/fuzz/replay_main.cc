// Replays saved fuzz inputs through a fuzz entry point, for builds without libFuzzer (g++).
// Usage: perfleak_replay_NAME DIR_OR_FILE... [--optional DIR_OR_FILE...]
// A required argument that is missing, or a required directory without a file, fails the run
// (exit 1): a replay of zero inputs would pass whatever the code does. Arguments after
// --optional (the shared real-log corpus, absent on some machines) may be missing.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void RunFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A copy of exactly the file's size, so ASan sees reads past the end.
  std::vector<std::uint8_t> exact(bytes.begin(), bytes.end());
  LLVMFuzzerTestOneInput(exact.empty() ? nullptr : exact.data(), exact.size());
}

// Returns the number of inputs replayed from `arg` (a file or a directory, recursively).
std::size_t RunPath(const std::filesystem::path& arg) {
  if (!std::filesystem::is_directory(arg)) {
    if (!std::filesystem::exists(arg)) return 0;
    RunFile(arg);
    return 1;
  }
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(arg)) {
    if (!entry.is_regular_file()) continue;
    RunFile(entry.path());
    ++count;
  }
  return count;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 0;
  bool optional = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--optional") == 0) {
      optional = true;
      continue;
    }
    const std::size_t n = RunPath(argv[i]);
    if (n == 0 && !optional) {
      std::fprintf(stderr, "replay: %s is missing or holds no input; nothing was tested\n",
                   argv[i]);
      return 1;
    }
    count += n;
  }
  if (count == 0) {
    std::fprintf(stderr, "replay: no input given\n");
    return 1;
  }
  std::printf("replayed %zu inputs\n", count);
  return 0;
}
