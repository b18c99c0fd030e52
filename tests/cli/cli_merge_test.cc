// `analyze --shard K/N` + `perfleak merge`: the parts of a run merge into exactly the report of
// one unsharded run (JSON byte for byte apart from generated_utc, text and HTML alike), each
// input lands in one shard, and parts that are not the N shards of one run are refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "cli_run.h"
#include "perfleak/batch.h"
#include "perfleak/report_part.h"
#include "test_util.h"

namespace perfleak::cli {
namespace {

std::string WithoutGenerated(const std::string& report) {
  return std::regex_replace(report, std::regex("[Gg]enerated[^\n]*"), "");
}

// Runs `analyze inputs... --shard k/n -o part` for every k and returns the part paths.
std::vector<std::string> WriteParts(const std::vector<std::string>& inputs,
                                    const std::vector<std::string>& flags, std::size_t n,
                                    const std::string& dir) {
  std::vector<std::string> parts;
  for (std::size_t k = 1; k <= n; ++k) {
    std::vector<std::string> args = {"analyze"};
    args.insert(args.end(), inputs.begin(), inputs.end());
    args.insert(args.end(), flags.begin(), flags.end());
    parts.push_back(dir + "/part" + std::to_string(k) + ".json");
    args.insert(args.end(),
                {"--shard", std::to_string(k) + "/" + std::to_string(n), "-o", parts.back()});
    const CliRun run = RunPerfleak(args);
    EXPECT_EQ(run.code, 0) << run.err;
  }
  return parts;
}

void ExpectMergeEqualsSingleRun(const std::vector<std::string>& inputs,
                                const std::vector<std::string>& flags) {
  const std::string dir = testing::MakeTempDir("perfleak-merge");
  for (const std::size_t n : {1, 2, 3, 7}) {
    const std::vector<std::string> parts = WriteParts(inputs, flags, n, dir);
    for (const char* format : {"json", "text", "html"}) {
      std::vector<std::string> single = {"analyze"};
      single.insert(single.end(), inputs.begin(), inputs.end());
      single.insert(single.end(), flags.begin(), flags.end());
      single.insert(single.end(), {"--format", format, "--color", "never"});
      std::vector<std::string> merge = {"merge"};
      merge.insert(merge.end(), parts.begin(), parts.end());
      merge.insert(merge.end(), {"--format", format, "--color", "never"});
      const CliRun whole = RunPerfleak(single), merged = RunPerfleak(merge);
      EXPECT_EQ(merged.code, whole.code) << merged.err;
      const std::string expected = WithoutGenerated(whole.out);
      const std::string actual = WithoutGenerated(merged.out);
      EXPECT_TRUE(actual == expected)
          << format << " report of " << n << " shards differs from the single run's:\n"
          << testing::UnifiedDiff(expected, actual, "single run", "merged");
    }
  }
}

std::string Sample(const std::string& name) {
  return std::string(PERFLEAK_SOURCE_DIR) + "/" + name;
}

TEST(CliMergeTest, ShardsOfSampleLogsMergeIntoTheSingleRunsReport) {
  ExpectMergeEqualsSingleRun({Sample("sample_logs")}, {});
  ExpectMergeEqualsSingleRun({Sample("sample_logs")}, {"--all", "--sensitivity", "high"});
}

TEST(CliMergeTest, ShardsWithServicesAndFailuresMergeIntoTheSingleRunsReport) {
  // tests/data holds logs that fail, tasklist exports, .NET and w3wp cases and skipped files.
  ExpectMergeEqualsSingleRun({Sample("tests/data/issue_17"), Sample("tests/data/csv")}, {});
}

TEST(CliMergeTest, ShardsOfTheRealCorpusMergeIntoTheSingleRunsReport) {
  const auto shared = testing::SharedDir();
  if (!shared) GTEST_SKIP() << "shared corpus not found (../shared or PERFLEAK_SHARED_DIR)";
  ExpectMergeEqualsSingleRun({*shared + "/corpus/real"}, {"--all"});
}

TEST(CliMergeTest, EveryLogIsInExactlyOneShard) {
  const std::string dir = testing::MakeTempDir("perfleak-merge");
  const std::vector<std::string> parts = WriteParts({Sample("sample_logs")}, {}, 4, dir);
  std::multiset<std::string> in_parts;
  for (const std::string& part : parts) {
    auto read = ReadReportPart(part);
    ASSERT_TRUE(read.ok()) << read.status().message();
    for (const LogReport& log : read->report.logs) in_parts.insert(log.path);
  }
  const Report whole = RunBatch({Sample("sample_logs")}, BatchOptions{});
  std::multiset<std::string> in_whole;
  for (const LogReport& log : whole.logs) in_whole.insert(log.path);
  EXPECT_EQ(in_parts, in_whole);
}

TEST(CliMergeTest, RefusesAMissingOrRepeatedShard) {
  const std::string dir = testing::MakeTempDir("perfleak-merge");
  const std::vector<std::string> parts = WriteParts({Sample("sample_logs")}, {}, 3, dir);
  CliRun run = RunPerfleak({"merge", parts[0], parts[2]});
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("shard 2 of 3 is missing"), std::string::npos) << run.err;
  run = RunPerfleak({"merge", parts[0], parts[1], parts[1], parts[2]});
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("shard 2/3 is given twice"), std::string::npos) << run.err;
}

TEST(CliMergeTest, RefusesPartsOfAnotherRun) {
  const std::string dir = testing::MakeTempDir("perfleak-merge");
  const std::vector<std::string> a = WriteParts({Sample("sample_logs")}, {}, 2, dir + "/");
  std::filesystem::create_directory(dir + "/b");
  const std::vector<std::string> b =
      WriteParts({Sample("sample_logs")}, {"--sensitivity", "high"}, 2, dir + "/b");
  const CliRun run = RunPerfleak({"merge", a[0], b[1]});
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("is not a part of the run"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("the options differ"), std::string::npos) << run.err;
}

TEST(CliMergeTest, RefusesAFullReportACutPartAndAnotherVersion) {
  const std::string dir = testing::MakeTempDir("perfleak-merge");
  const CliRun report = RunPerfleak({"analyze", Sample("sample_logs"), "-f", "json"});
  testing::WriteStringToFile(dir + "/report.json", report.out);
  CliRun run = RunPerfleak({"merge", dir + "/report.json"});
  EXPECT_EQ(run.code, 3);
  EXPECT_NE(run.err.find("a perfleak report, not a report part"), std::string::npos) << run.err;

  const std::vector<std::string> parts = WriteParts({Sample("sample_logs")}, {}, 1, dir);
  const std::string text = testing::ReadFileToString(parts[0]);
  testing::WriteStringToFile(dir + "/cut.json", text.substr(0, text.size() / 2));
  run = RunPerfleak({"merge", dir + "/cut.json"});
  EXPECT_EQ(run.code, 3);
  EXPECT_NE(run.err.find("cut.json: not JSON at byte"), std::string::npos) << run.err;

  std::string other = text;
  other.replace(other.find("\"version\":\""), 11, "\"version\":\"9.");
  testing::WriteStringToFile(dir + "/other.json", other);
  run = RunPerfleak({"merge", dir + "/other.json"});
  EXPECT_EQ(run.code, 3);
  EXPECT_NE(run.err.find("a report part of perfleak 9."), std::string::npos) << run.err;
}

TEST(CliMergeTest, ShardFlagIsValidatedAndLeavesReportFlagsToMerge) {
  for (const char* bad : {"0/2", "3/2", "2", "a/b", "1/0"}) {
    const CliRun run = RunPerfleak({"analyze", Sample("sample_logs"), "--shard", bad});
    EXPECT_EQ(run.code, 2) << bad;
    EXPECT_NE(run.err.find("--shard must be K/N"), std::string::npos) << run.err;
  }
  const CliRun run =
      RunPerfleak({"analyze", Sample("sample_logs"), "--shard", "1/2", "--format", "html"});
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("--format belongs to `perfleak merge`"), std::string::npos) << run.err;
}

TEST(ParseShardTest, ReadsKOfN) {
  const auto shard = ParseShard("3/8");
  ASSERT_TRUE(shard.ok());
  EXPECT_EQ(shard->index, 3u);
  EXPECT_EQ(shard->count, 8u);
}

}  // namespace
}  // namespace perfleak::cli
