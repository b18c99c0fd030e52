// The golden-file comparison: a mismatch shows a unified diff, and PERFLEAK_UPDATE_GOLDEN=1
// names every file it rewrites with the diff instead of passing silently.
#include "test_util.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace perfleak::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(GoldenCompare, MismatchShowsAUnifiedDiff) {
  const std::string dir = MakeTempDir("perfleak-golden");
  const std::string path = dir + "/report.txt";
  WriteStringToFile(path, "a\nb\nc\nd\ne\nf\ng\nh\n");
  EXPECT_EQ(CompareWithGoldenFile(path, "a\nb\nc\nd\ne\nf\ng\nh\n"), "");
  const std::string message = CompareWithGoldenFile(path, "a\nb\nc\nD\ne\nf\ng\nh\n");
  EXPECT_THAT(message, HasSubstr("differs from " + path));
  EXPECT_THAT(message, HasSubstr("--- " + path +
                                 "\n+++ actual\n@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n"
                                 "+D\n e\n f\n g\n"));
  EXPECT_THAT(message, Not(HasSubstr(" h\n")));  // beyond the 3 lines of context
  std::filesystem::remove_all(dir);
}

TEST(GoldenCompare, UpdateNamesTheRewrittenFileAndShowsTheDiff) {
  const std::string dir = MakeTempDir("perfleak-golden");
  const std::string path = dir + "/report.json";
  WriteStringToFile(path, "{\n  \"x\": 1\n}\n");
  ::setenv("PERFLEAK_UPDATE_GOLDEN", "1", 1);
  ::testing::internal::CaptureStderr();
  const std::string same = CompareWithGoldenFile(path, "{\n  \"x\": 1\n}\n");
  const std::string changed = CompareWithGoldenFile(path, "{\n  \"x\": 2\n}\n");
  const std::string err = ::testing::internal::GetCapturedStderr();
  ::unsetenv("PERFLEAK_UPDATE_GOLDEN");
  EXPECT_EQ(same, "");
  EXPECT_EQ(changed, "");
  EXPECT_EQ(ReadFileToString(path), "{\n  \"x\": 2\n}\n");
  EXPECT_THAT(err, HasSubstr("PERFLEAK_UPDATE_GOLDEN: rewrote " + path));
  EXPECT_THAT(err, HasSubstr("-  \"x\": 1\n+  \"x\": 2\n"));
  EXPECT_EQ(err.find("rewrote"), err.rfind("rewrote")) << "the unchanged call rewrote nothing";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace perfleak::testing
