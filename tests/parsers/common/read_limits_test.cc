// The default cell cap comes from the machine, so a log too large for the host fails with the
// README's "limit exceeded" message before any column is allocated.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "common/read_limits_internal.h"
#include "perfleak/reader.h"
#include "test_util.h"

namespace perfleak::internal {
namespace {

using ::perfleak::testing::AsBytes;
using ::testing::HasSubstr;

constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;

TEST(ReadLimits, DefaultCapFitsInPhysicalMemory) {
  const std::uint64_t memory = PhysicalMemoryBytes();
  ASSERT_GT(memory, 0u);
  // The old fixed default (2^32 cells, 32 GiB) did not fit on a 16 GiB host.
  EXPECT_LE(EffectiveMaxCells(ReadOptions{}, 0) * sizeof(double), memory);
}

TEST(ReadLimits, AutoCapIsThreeQuartersOfMemoryLessTheFile) {
  // 16 GiB host, 4 GiB file: 12 - 4 = 8 GiB of doubles.
  EXPECT_EQ(AutoMaxCells(16 * kGiB, 4 * kGiB), 8 * kGiB / 8);
  EXPECT_EQ(AutoMaxCells(16 * kGiB, 0), 12 * kGiB / 8);
  // A file larger than memory still leaves the floor, so small projections read.
  EXPECT_EQ(AutoMaxCells(16 * kGiB, 64 * kGiB), std::size_t{1} << 20);
  EXPECT_EQ(AutoMaxCells(0, 0), std::size_t{1} << 32);
  ReadOptions explicit_cap;
  explicit_cap.max_cells = 123;
  EXPECT_EQ(EffectiveMaxCells(explicit_cap, 5 * kGiB), 123u);
}

TEST(ReadLimits, TooManyCellsIsLimitExceededWithTheFigures) {
  std::string text = "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\M\\Memory\\A\",\"\\\\M\\Memory\\B\"\r\n";
  for (int row = 0; row < 10; ++row) {
    text += "\"01/01/2026 00:00:" + std::to_string(10 + row) + ".000\",\"1\",\"2\"\r\n";
  }
  ReadOptions options;
  options.max_cells = 19;
  const auto log = ReadLogFromBuffer("big.csv", AsBytes(text), options);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kLimitExceeded);
  EXPECT_THAT(log.status().ToString(),
              HasSubstr("limit exceeded: big.csv: 2 counters x 10 rows need 0.0 GiB of columns, "
                        "over the cell cap of 19 cells"));
  options.max_cells = 20;
  EXPECT_TRUE(ReadLogFromBuffer("big.csv", AsBytes(text), options).ok());
}

}  // namespace
}  // namespace perfleak::internal
