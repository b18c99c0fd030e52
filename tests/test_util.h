// Helpers shared by the tests: paths to fixtures and to the shared real-log corpus.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace perfleak::testing {

/// `tests/data/<relative>`.
std::string TestDataPath(std::string_view relative);

/// `tests/golden/<relative>`.
std::string GoldenPath(std::string_view relative);

/// The shared corpus folder: $PERFLEAK_SHARED_DIR, else `../shared` beside the source tree.
/// nullopt when it is absent (tests then skip with a message).
std::optional<std::string> SharedDir();

/// `<shared>/corpus/real/<name>`, or nullopt when the corpus is absent.
std::optional<std::string> RealLogPath(std::string_view name);

std::string ReadFileToString(const std::string& path);
void WriteStringToFile(const std::string& path, std::string_view content);

inline std::span<const std::byte> AsBytes(std::string_view s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

/// A fresh empty directory under the system temp dir, unique per call.
std::string MakeTempDir(std::string_view prefix);

/// Compares `actual` with the golden file. Returns an empty string on match, else the path and
/// a unified diff (expected -> actual). With PERFLEAK_UPDATE_GOLDEN=1 it rewrites a file that
/// differs instead, and names it with the diff on stderr.
std::string CompareWithGolden(std::string_view golden_relative, std::string_view actual);
/// CompareWithGolden for a golden file at `path`.
std::string CompareWithGoldenFile(const std::string& path, std::string_view actual);

/// A unified diff of two texts by lines, 3 lines of context, at most 400 lines.
std::string UnifiedDiff(std::string_view expected, std::string_view actual,
                        const std::string& expected_name, const std::string& actual_name);

/// Whether the run is CI's (`CI=true`): there, a tool or data file the setup installs must be
/// present, so a test that would skip fails instead.
bool InCi();

}  // namespace perfleak::testing

/// Skips the test with `message` (a stream expression), or fails it under CI=true, where
/// scripts/setup has installed what it needs and a skip would hide a broken setup.
#define PERFLEAK_SKIP_UNLESS_CI(message)                                      \
  do {                                                                        \
    if (::perfleak::testing::InCi())                                          \
      FAIL() << "CI=true, but " << message << " (scripts/setup installs it)"; \
    GTEST_SKIP() << message;                                                  \
  } while (false)

/// Skips the current test, with a message, when the shared real-log corpus is absent.
#define PERFLEAK_REAL_LOG_OR_SKIP(var, name)                                       \
  const auto var##_opt = ::perfleak::testing::RealLogPath(name);                   \
  if (!var##_opt)                                                                  \
    GTEST_SKIP() << "shared corpus not found (../shared or PERFLEAK_SHARED_DIR); " \
                    "skipping test that needs "                                    \
                 << (name);                                                        \
  const std::string var = *var##_opt
