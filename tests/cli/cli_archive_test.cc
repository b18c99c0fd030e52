// The CLI on case bundles: analyze, info and convert take archives (and one member by its
// `case.zip!/...` path); the archive limits are flags.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "batch/archive_fixtures.h"
#include "cli_run.h"
#include "exit_codes.h"
#include "perfleak/reader.h"
#include "perfleak/time_format.h"
#include "perfleak/writer.h"
#include "test_util.h"

namespace perfleak::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string GrowingCsv(const std::string& machine) {
  std::string text =
      "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\" + machine + "\\Process(app)\\Private Bytes\"\r\n";
  Ticks t0 = 0;
  CivilToTicks(2026, 1, 15, 10, 0, 0, 0, &t0);
  for (int i = 0; i < 60; ++i) {
    text += "\"" + FormatPdhTimestamp(t0 + i * 15 * kTicksPerSecond) + "\",\"" +
            std::to_string(1e8 + 2e6 * i) + "\"\r\n";
  }
  return text;
}

class CliArchive : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("perfleak-cli-archive");
    zip_ = dir_ + "/case-4711.zip";
    testing::WriteStringToFile(
        zip_, testing::WriteArchive({{"TSS/Perfmon/web01.csv", GrowingCsv("WEB01")},
                                     {"TSS/Perfmon/db01.csv", GrowingCsv("DB01")},
                                     {"TSS/readme.txt", "collected by TSS\n"}},
                                    testing::ArchiveKind::kZip));
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_, zip_;
};

TEST_F(CliArchive, AnalyzeJsonNamesEachMemberAndItsArchive) {
  const CliRun r = RunPerfleak({"analyze", zip_, "--format", "json", "--quiet"});
  ASSERT_NE(r.code, kExitInput) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["logs"].size(), 2u);
  EXPECT_EQ(j["logs"][0]["path"], zip_ + "!/TSS/Perfmon/db01.csv");
  EXPECT_EQ(j["logs"][0]["archive"], zip_);
  EXPECT_EQ(j["skipped"][0]["path"], zip_ + "!/TSS/readme.txt");
}

TEST_F(CliArchive, InfoListsTheLogsOfABundle) {
  const CliRun r = RunPerfleak({"info", zip_});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr(zip_ + "!/TSS/Perfmon/web01.csv\n"));
  EXPECT_THAT(r.out, HasSubstr(zip_ + "!/TSS/Perfmon/db01.csv\n"));
}

TEST_F(CliArchive, ConvertTakesOneMemberAndListsThemWhenTheArchiveHoldsSeveral) {
  const std::string out = dir_ + "/web01.csv";
  const CliRun one = RunPerfleak({"convert", zip_ + "!/TSS/Perfmon/web01.csv", "-o", out});
  EXPECT_EQ(one.code, kExitOk) << one.err;
  EXPECT_THAT(testing::ReadFileToString(out), HasSubstr("\\\\WEB01\\Process(app)\\Private Bytes"));
  const CliRun several = RunPerfleak({"convert", zip_, "-o", out});
  EXPECT_EQ(several.code, kExitInput);
  EXPECT_THAT(several.err, HasSubstr("holds 2 logs; convert one at a time"));
  EXPECT_THAT(several.err, HasSubstr("  " + zip_ + "!/TSS/Perfmon/db01.csv\n"));
}

// A .blg is decoded while it is written (LogToWrite), from a file and from an archive member:
// the text and the warnings must be those of the whole log read first. The copy cut inside its
// last buffer warns.
TEST_F(CliArchive, ConvertOfABlgFileOrMemberWritesWhatTheWholeLogGives) {
  std::string blg =
      testing::ReadFileToString(testing::TestDataPath("blg/synthetic_process_object.blg"));
  blg.resize(blg.size() - 1000);
  const std::string file = dir_ + "/cut.blg";
  testing::WriteStringToFile(file, blg);
  const std::string member_zip = dir_ + "/blg.zip";
  testing::WriteStringToFile(
      member_zip, testing::WriteArchive({{"Perfmon/cut.blg", blg}}, testing::ArchiveKind::kZip));
  for (const std::string& input : {file, member_zip + "!/Perfmon/cut.blg"}) {
    SCOPED_TRACE(input);
    const auto log =
        input == file ? ReadLog(file) : ReadLogFromBuffer(input, testing::AsBytes(blg));
    ASSERT_TRUE(log.ok()) << log.status().message();
    ASSERT_FALSE(log->warnings.empty());
    std::ostringstream expected;
    ASSERT_TRUE(WritePdhText(*log, expected).ok());
    const CliRun r = RunPerfleak({"convert", input, "-o", "-"});
    EXPECT_EQ(r.code, kExitOk) << r.err;
    EXPECT_EQ(r.out, expected.str());
    for (const std::string& w : log->warnings) {
      EXPECT_THAT(r.err, HasSubstr("perfleak convert: warning: " + w + "\n"));
    }
  }
}

TEST_F(CliArchive, ArchiveLimitsAreFlags) {
  EXPECT_EQ(RunPerfleak({"analyze", zip_, "--archive-depth", "0"}).code, kExitUsage);
  EXPECT_EQ(RunPerfleak({"info", zip_, "--archive-max-ratio", "0"}).code, kExitUsage);
  const CliRun tiny = RunPerfleak({"analyze", zip_, "--quiet", "--archive-max-bytes", "1000"});
  EXPECT_EQ(tiny.code, kExitInput);
  EXPECT_THAT(tiny.out, HasSubstr("web01.csv: limit exceeded: more"));
  EXPECT_THAT(tiny.out, HasSubstr("--archive-max-bytes BYTES"));
}

}  // namespace
}  // namespace perfleak::cli
