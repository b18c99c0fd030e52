// Hostile and broken inputs through the format dispatcher: every one ends with a log or with
// an error that names the file, never a crash, a hang or an out-of-bounds read (run this
// suite under ASan/UBSan, as scripts/test does).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "perfleak/reader.h"
#include "test_util.h"

namespace perfleak {
namespace {

using ::perfleak::testing::AsBytes;
using ::testing::HasSubstr;

const std::string kGood =
    "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\M\\Process(a)\\Private Bytes\",\"\\\\M\\Process(b#1)\\Handle "
    "Count\"\r\n"
    "\"01/01/2026 00:00:00.000\",\"100\",\" \"\r\n"
    "\"01/01/2026 00:00:15.000\",\"200\",\"12\"\r\n"
    "\"01/01/2026 00:00:30.000\",\"300\",\"13\"\r\n";

// The contract for any input: a log whose columns all have one value per sample, or an error
// naming the input.
void ExpectWellFormedOutcome(std::string_view bytes, const ReadOptions& options = {}) {
  auto log = ReadLogFromBuffer("hostile.csv", AsBytes(bytes), options);
  if (!log.ok()) {
    EXPECT_THAT(log.status().message(), HasSubstr("hostile.csv"));
    return;
  }
  ASSERT_EQ(log->time_local.size(), log->time_utc.size());
  ASSERT_EQ(log->paths.size(), log->columns.size());
  for (const auto& column : log->columns) ASSERT_EQ(column.size(), log->num_samples());
  for (const auto& column : log->columns) {
    for (double v : column) ASSERT_FALSE(std::isinf(v));
  }
}

// Windows 2000/XP binary .blg and NT4 .log files have no published signature
// (shared/docs/blg-format.md, section 3.1), so they cannot be told from other bytes: any binary
// file that is neither ETL nor PDH text is refused as not a counter log, with the relog hint.
TEST(HostileInput, BinaryLogOfAnUnknownKindIsRefusedWithTheRelogHint) {
  std::string legacy("\x01\x00\x00\x00\x4c\x00\x00\x00PDH legacy?", 19);
  legacy.append(4096, '\0');
  auto log = ReadLogFromBuffer("old.blg", AsBytes(legacy));
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kUnknownFormat);
  EXPECT_THAT(log.status().message(), HasSubstr("old.blg: not a counter log"));
  EXPECT_THAT(log.status().message(), HasSubstr("hint: export it with `relog LOG -f csv`"));
}

TEST(HostileInput, ZeroBytesAndNulBytes) {
  ExpectWellFormedOutcome(std::string(1, '\0'));
  ExpectWellFormedOutcome(std::string(70000, '\0'));
  std::string with_nul = kGood;
  with_nul[kGood.size() - 5] = '\0';
  ExpectWellFormedOutcome(with_nul);
}

TEST(HostileInput, RandomBytesNeverCrash) {
  std::mt19937_64 rng(20261124);
  for (std::size_t size : {1u, 2u, 7u, 64u, 4096u, 65536u, 200000u}) {
    std::string bytes(size, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() & 0xFF);
    ExpectWellFormedOutcome(bytes);
    // Random bytes behind a valid PDH header exercise the row decoder, not just detection.
    ExpectWellFormedOutcome(kGood.substr(0, kGood.find('\n') + 1) + bytes);
  }
}

TEST(HostileInput, CutAtEveryOffset) {
  ReadOptions skip;
  skip.invalid_rows = InvalidRowPolicy::kSkip;
  for (std::size_t cut = 0; cut <= kGood.size(); ++cut) {
    ExpectWellFormedOutcome(kGood.substr(0, cut));
    ExpectWellFormedOutcome(kGood.substr(0, cut), skip);
  }
}

// A text log cut mid-row (copied while perfmon still wrote it) reads like a cut .blg: every
// complete row, and a warning naming the partial last one. It used to fail whole (exit 3).
TEST(HostileInput, CutMidRowKeepsTheCompleteRowsAndNamesTheLastLine) {
  const std::string cut = kGood.substr(0, kGood.size() - 8);
  auto log = ReadLogFromBuffer("upload.csv", AsBytes(cut));
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->num_samples(), 2u);
  EXPECT_EQ(log->columns[0][1], 200.0);
  ASSERT_FALSE(log->warnings.empty());
  EXPECT_THAT(log->warnings.back(), HasSubstr("upload.csv:4: the file ends inside this row"));
  // Damage before the last line is still an error under the default policy.
  std::string damaged = kGood;
  damaged.insert(kGood.find("\"01/01/2026 00:00:15"), "\"01/01/2026 00:00:10.000\",\"1\"\r\n");
  EXPECT_FALSE(ReadLogFromBuffer("upload.csv", AsBytes(damaged)).ok());
  ReadOptions skip;
  skip.invalid_rows = InvalidRowPolicy::kSkip;
  auto partial = ReadLogFromBuffer("upload.csv", AsBytes(cut), skip);
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->num_samples(), 2u);
  EXPECT_THAT(partial->warnings.back(), HasSubstr("upload.csv:4: the file ends inside this row"));
}

TEST(HostileInput, EveryBitFlip) {
  std::size_t flips = 0;
  for (std::size_t byte = 0; byte < kGood.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = kGood;
      flipped[byte] = static_cast<char>(flipped[byte] ^ (1 << bit));
      ExpectWellFormedOutcome(flipped);
      ++flips;
    }
  }
  EXPECT_EQ(flips, 8 * kGood.size()) << "every bit of every byte";
}

TEST(HostileInput, RaggedRowsAndHugeRows) {
  std::string ragged = kGood + "\"01/01/2026 00:00:45.000\",\"1\",\"2\",\"3\",\"4\"\r\n";
  auto log = ReadLogFromBuffer("hostile.csv", AsBytes(ragged));
  ASSERT_FALSE(log.ok());
  EXPECT_THAT(log.status().message(), HasSubstr("hostile.csv:5: expected 3 fields, got 5"));
  std::string many_fields = kGood.substr(0, kGood.find('\n') + 1) + "\"01/01/2026 00:00:00.000\"" +
                            std::string(1 << 20, ',') + "\r\n";
  ExpectWellFormedOutcome(many_fields);
}

TEST(HostileInput, ImpossibleDatesAndTimes) {
  for (const char* ts :
       {"13/01/2026 00:00:00.000", "02/29/2026 00:00:00.000", "01/01/2026 24:00:00.000",
        "01/01/2026 00:60:00.000", "00/00/0000 00:00:00.000", "01/01/2026 00:00:00.", "x"}) {
    const std::string text =
        kGood.substr(0, kGood.find('\n') + 1) + "\"" + ts + "\",\"1\",\"2\"\r\n";
    auto log = ReadLogFromBuffer("hostile.csv", AsBytes(text));
    ASSERT_FALSE(log.ok()) << ts;
    EXPECT_THAT(log.status().message(), HasSubstr("hostile.csv:2: bad timestamp")) << ts;
  }
}

TEST(HostileInput, HeaderWithOnlyTheFirstCell) {
  ExpectWellFormedOutcome("\"(PDH-CSV 4.0) (UTC)(0)\"\r\n\"01/01/2026 00:00:00.000\"\r\n");
}

TEST(HostileInput, CounterCapProtectsMemory) {
  ReadOptions options;
  options.max_counters = 1;
  auto log = ReadLogFromBuffer("wide.csv", AsBytes(kGood), options);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kLimitExceeded);
  EXPECT_THAT(log.status().message(), HasSubstr("wide.csv: 2 counters exceed the cap of 1"));
}

}  // namespace
}  // namespace perfleak
