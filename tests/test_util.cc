#include "test_util.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

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

namespace {

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::size_t len = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(0, len));
    text.remove_prefix(len);
  }
  return lines;
}

}  // namespace

std::string UnifiedDiff(std::string_view expected, std::string_view actual,
                        const std::string& expected_name, const std::string& actual_name) {
  const std::vector<std::string_view> a = SplitLines(expected), b = SplitLines(actual);
  // Common head and tail first; the changed middle gets an LCS table when it is small enough
  // (goldens differ in a few places), else it is shown as removed then added.
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) {
    ++tail;
  }
  const std::size_t n = a.size() - head - tail, m = b.size() - head - tail;
  // ops: ' ' same, '-' only in expected, '+' only in actual; with the line's index.
  std::vector<std::pair<char, std::size_t>> ops;
  for (std::size_t i = 0; i < head; ++i) ops.emplace_back(' ', i);
  if (n * m <= 4'000'000) {
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    const auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& {
      return lcs[i * (m + 1) + j];
    };
    for (std::size_t i = n; i-- > 0;) {
      for (std::size_t j = m; j-- > 0;) {
        at(i, j) = a[head + i] == b[head + j] ? at(i + 1, j + 1) + 1
                                              : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[head + i] == b[head + j]) {
        ops.emplace_back(' ', head + i);
        ++i;
        ++j;
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        ops.emplace_back('-', head + i++);  // removals first, as diff -u shows them
      } else {
        ops.emplace_back('+', head + j++);
      }
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) ops.emplace_back('-', head + i);
    for (std::size_t j = 0; j < m; ++j) ops.emplace_back('+', head + j);
  }
  for (std::size_t i = 0; i < tail; ++i) ops.emplace_back(' ', a.size() - tail + i);

  std::ostringstream out;
  out << "--- " << expected_name << "\n+++ " << actual_name << "\n";
  constexpr std::size_t kContext = 3, kMaxLines = 400;
  // An op is shown when a change is at most kContext ops away; each run of shown ops is a hunk.
  std::vector<bool> shown(ops.size(), false);
  for (std::size_t q = 0; q < ops.size(); ++q) {
    if (ops[q].first == ' ') continue;
    for (std::size_t r = q >= kContext ? q - kContext : 0;
         r < std::min(ops.size(), q + kContext + 1); ++r) {
      shown[r] = true;
    }
  }
  std::size_t printed = 0, a_line = 0, b_line = 0;
  for (std::size_t q = 0; q < ops.size() && printed < kMaxLines;) {
    if (!shown[q]) {
      a_line += ops[q].first != '+';
      b_line += ops[q].first != '-';
      ++q;
      continue;
    }
    std::size_t end = q, a_count = 0, b_count = 0;
    for (; end < ops.size() && shown[end]; ++end) {
      a_count += ops[end].first != '+';
      b_count += ops[end].first != '-';
    }
    out << "@@ -" << a_line + 1 << "," << a_count << " +" << b_line + 1 << "," << b_count
        << " @@\n";
    for (; q < end; ++q) {
      a_line += ops[q].first != '+';
      b_line += ops[q].first != '-';
      if (printed++ >= kMaxLines) continue;
      const std::string_view line = ops[q].first == '+' ? b[ops[q].second] : a[ops[q].second];
      out << ops[q].first << line;
      if (line.empty() || line.back() != '\n') out << "\n\\ No newline at end of file\n";
    }
  }
  if (printed >= kMaxLines) out << "... (diff cut at " << kMaxLines << " lines)\n";
  return out.str();
}

std::string CompareWithGoldenFile(const std::string& path, std::string_view actual) {
  if (const char* up = std::getenv("PERFLEAK_UPDATE_GOLDEN");
      up != nullptr && std::string(up) == "1") {
    const std::string before = fs::exists(path) ? ReadFileToString(path) : std::string();
    if (before == actual && fs::exists(path)) return {};
    fs::create_directories(fs::path(path).parent_path());
    WriteStringToFile(path, actual);
    // Named and shown on stderr: an update must be reviewed, not taken as a match.
    std::cerr << "PERFLEAK_UPDATE_GOLDEN: rewrote " << path << "\n"
              << UnifiedDiff(before, actual, path + " (before)", path + " (now)");
    return {};
  }
  if (!fs::exists(path))
    return "golden file missing: " + path + " (run with PERFLEAK_UPDATE_GOLDEN=1)";
  const std::string expected = ReadFileToString(path);
  if (expected == actual) return {};
  return "differs from " + path + "; rerun with PERFLEAK_UPDATE_GOLDEN=1 to accept:\n" +
         UnifiedDiff(expected, actual, path, "actual");
}

std::string CompareWithGolden(std::string_view golden_relative, std::string_view actual) {
  return CompareWithGoldenFile(GoldenPath(golden_relative), actual);
}

bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

}  // namespace perfleak::testing
