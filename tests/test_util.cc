#include "test_util.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace perfleak::testing {

namespace fs = std::filesystem;

std::string TestDataPath(std::string_view relative) {
  return std::string(PERFLEAK_TEST_DATA_DIR) + "/" + std::string(relative);
}

std::string GoldenPath(std::string_view relative) {
  return std::string(PERFLEAK_GOLDEN_DIR) + "/" + std::string(relative);
}

std::optional<std::string> SharedDir() {
  if (const char* env = std::getenv("PERFLEAK_SHARED_DIR"); env != nullptr && *env != '\0') {
    if (fs::is_directory(env)) return std::string(env);
    return std::nullopt;
  }
  const fs::path dflt = PERFLEAK_DEFAULT_SHARED_DIR;
  if (fs::is_directory(dflt / "corpus")) return fs::weakly_canonical(dflt).string();
  return std::nullopt;
}

std::optional<std::string> RealLogPath(std::string_view name) {
  auto dir = SharedDir();
  if (!dir) return std::nullopt;
  fs::path p = fs::path(*dir) / "corpus" / "real" / std::string(name);
  if (!fs::exists(p)) return std::nullopt;
  return p.string();
}

std::string ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteStringToFile(const std::string& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string MakeTempDir(std::string_view prefix) {
  static std::atomic<int> counter{0};
  fs::path p = fs::temp_directory_path() / (std::string(prefix) + "-" + std::to_string(::getpid()) +
                                            "-" + std::to_string(counter.fetch_add(1)));
  fs::remove_all(p);
  fs::create_directories(p);
  return p.string();
}

std::string CompareWithGolden(std::string_view golden_relative, std::string_view actual) {
  const std::string path = GoldenPath(golden_relative);
  if (const char* up = std::getenv("PERFLEAK_UPDATE_GOLDEN");
      up != nullptr && std::string(up) == "1") {
    fs::create_directories(fs::path(path).parent_path());
    WriteStringToFile(path, actual);
    return {};
  }
  if (!fs::exists(path))
    return "golden file missing: " + path + " (run with PERFLEAK_UPDATE_GOLDEN=1)";
  const std::string expected = ReadFileToString(path);
  if (expected == actual) return {};
  std::size_t line = 1, i = 0;
  for (; i < expected.size() && i < actual.size() && expected[i] == actual[i]; ++i) {
    if (expected[i] == '\n') ++line;
  }
  return "differs from " + path + " at line " + std::to_string(line) + " (byte " +
         std::to_string(i) + "); rerun with PERFLEAK_UPDATE_GOLDEN=1 to accept";
}

}  // namespace perfleak::testing
