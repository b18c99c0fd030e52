// A mapped file's text is scanned through windows copied out of it (InputCopier), not through
// the mapping. The windows must give the log, the warnings and the errors that reading the
// same bytes in memory gives, whatever the lines' lengths against the window.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>

#include "csv/csv_reader.h"
#include "perfleak/reader.h"
#include "perfleak/time_format.h"
#include "support/counter_log_equal.h"
#include "test_util.h"

namespace perfleak::csv {
namespace {

using ::perfleak::testing::AsBytes;

// A log with every kind of line the reader meets: quoted (the fast path), unquoted and with
// read-as-missing cells (the general path), a bad row, a line longer than the 2 MB window
// (three cells of 900,000 spaces: missing values), and a last line cut without its line end.
std::string MixedLog(int rows) {
  std::string text =
      "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\",\"\\\\M\\Process(a)\\Private Bytes\","
      "\"\\\\M\\Process(a)\\% Processor Time\",\"\\\\M\\Memory\\Available MBytes\"\r\n";
  Ticks t0 = 0;
  CivilToTicks(2026, 1, 1, 0, 0, 0, 0, &t0);
  for (int row = 0; row < rows; ++row) {
    const std::string stamp = FormatPdhTimestamp(t0 + row * kTicksPerSecond);
    const std::string r = std::to_string(row);
    if (row == 7) {
      text += std::string("\"") + stamp + "\",\"" + std::string(900'000, ' ') + "\",\"" +
              std::string(900'000, ' ') + "\",\"" + std::string(900'000, ' ') + "\"\r\n";
    } else if (row % 97 == 5) {
      text += stamp + "," + r + ",1e400," + r + ".5\n";  // unquoted, one odd cell
    } else if (row == 1000) {
      text += std::string("\"") + stamp + "\",\"not a number\",\"1\",\"2\"\r\n";
    } else {
      text += std::string("\"") + stamp + "\",\"" + r + "123456\",\"12.345678901234567\",\"" +
              (row % 13 == 0 ? " " : r) + "\"\r\n";
    }
  }
  text += "\"" + FormatPdhTimestamp(t0 + rows * kTicksPerSecond) +
          "\",\"5\",\"6";  // cut while it was written
  return text;
}

// ReadPdhText is called as ReadLog calls it, with the cell cap resolved.
ReadOptions Options(std::size_t threads, InvalidRowPolicy invalid_rows) {
  ReadOptions options;
  options.num_threads = threads;
  options.invalid_rows = invalid_rows;
  options.max_cells = std::size_t{1} << 30;
  return options;
}

// Reads `text` through copied windows, counting the bytes copied; copies fail once
// `fail_after` bytes have been copied in all (both passes).
Result<CounterLog> ReadCopied(std::string_view text, const ReadOptions& options,
                              std::size_t* copied, std::size_t fail_after = SIZE_MAX,
                              std::size_t window = kCopyWindowBytes) {
  std::atomic<std::size_t> total{0};
  const internal::InputCopier copy = [&](std::size_t offset, std::span<std::byte> out) {
    if (offset + out.size() > text.size() || total.fetch_add(out.size()) >= fail_after) {
      return false;
    }
    std::memcpy(out.data(), text.data() + offset, out.size());
    return true;
  };
  auto log = ReadPdhText("mem.csv", AsBytes(text), options, copy, window);
  *copied = total;
  return log;
}

TEST(CsvCopiedWindows, GiveTheLogReadingTheBytesInMemoryGives) {
  const std::string text = MixedLog(60'000);
  ASSERT_GT(text.size(), 4u << 20);  // above the size the reader splits over threads
  for (const std::size_t threads : {1u, 3u}) {
    const ReadOptions options = Options(threads, InvalidRowPolicy::kSkip);
    const auto in_memory = ReadPdhText("mem.csv", AsBytes(text), options);
    ASSERT_TRUE(in_memory.ok()) << in_memory.status().ToString();
    EXPECT_EQ(in_memory->num_samples(), 60'000u - 1);  // the bad row; the cut one is dropped
    EXPECT_EQ(in_memory->warnings.size(), 3u) << "skipped row, read-as-missing, cut last line";
    for (const std::size_t window : {kCopyWindowBytes, std::size_t{4096}}) {
      std::size_t copied = 0;
      const auto windows = ReadCopied(text, options, &copied, SIZE_MAX, window);
      ASSERT_TRUE(windows.ok()) << windows.status().ToString();
      EXPECT_EQ(testing::CounterLogDifference(*in_memory, *windows), "")
          << threads << " threads, windows of " << window << " bytes";
      // Both passes copied the rows; the mapping was read for the header only.
      EXPECT_GE(copied, 2 * (text.size() - text.find('\n') - 1)) << threads << " threads";
    }
  }
}

// A UTF-8 byte-order mark puts the text 3 bytes into the file: every copy is offset by it.
TEST(CsvCopiedWindows, AByteOrderMarkOffsetsEveryCopy) {
  const std::string text = "\xEF\xBB\xBF" + MixedLog(3'000);
  const ReadOptions options = Options(2, InvalidRowPolicy::kSkip);
  const auto in_memory = ReadPdhText("mem.csv", AsBytes(text), options);
  ASSERT_TRUE(in_memory.ok()) << in_memory.status().ToString();
  std::size_t copied = 0;
  const auto windows = ReadCopied(text, options, &copied, SIZE_MAX, 4096);
  ASSERT_TRUE(windows.ok()) << windows.status().ToString();
  EXPECT_EQ(testing::CounterLogDifference(*in_memory, *windows), "");
  EXPECT_EQ(in_memory->num_samples(), 3'000u - 1);
}

TEST(CsvCopiedWindows, GiveTheErrorReadingTheBytesInMemoryGives) {
  const std::string text = MixedLog(3'000);
  for (const std::size_t threads : {1u, 2u}) {
    const ReadOptions options = Options(threads, InvalidRowPolicy::kError);
    const auto in_memory = ReadPdhText("mem.csv", AsBytes(text), options);
    std::size_t copied = 0;
    const auto windows = ReadCopied(text, options, &copied);
    ASSERT_FALSE(in_memory.ok());
    EXPECT_EQ(in_memory.status().ToString(), windows.status().ToString());
    EXPECT_NE(in_memory.status().message().find("mem.csv:1002: bad number"), std::string::npos)
        << in_memory.status().message();
  }
}

TEST(CsvCopiedWindows, ACopyThatFailsIsAnErrorNamingTheFile) {
  const std::string text = MixedLog(60'000);
  // In the count pass, at its end, and in the decoding pass.
  for (const std::size_t fail_after : {text.size() / 3, text.size() - 10, text.size() * 3 / 2}) {
    std::size_t copied = 0;
    const auto log = ReadCopied(text, Options(2, InvalidRowPolicy::kSkip), &copied, fail_after);
    ASSERT_FALSE(log.ok());
    EXPECT_EQ(log.status().code(), StatusCode::kIoError);
    EXPECT_NE(log.status().message().find("mem.csv: cannot read bytes"), std::string::npos)
        << log.status().message();
  }
}

// The real logs are under the 1 MiB above which ReadLog maps a file; read through windows
// here, each gives what reading its bytes gives (the UTF-16 ones are converted, not copied).
TEST(CsvCopiedWindows, RealLogsReadAlike) {
  PERFLEAK_REAL_LOG_OR_SKIP(sources, "SOURCES.md");
  std::size_t read = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(sources).parent_path())) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".csv" && ext != ".tsv") continue;
    const std::string text = perfleak::testing::ReadFileToString(entry.path().string());
    const ReadOptions options = Options(2, InvalidRowPolicy::kSkip);
    const auto in_memory = ReadPdhText("mem.csv", AsBytes(text), options);
    for (const std::size_t window : {kCopyWindowBytes, std::size_t{100}}) {
      std::size_t copied = 0;
      const auto windows = ReadCopied(text, options, &copied, SIZE_MAX, window);
      ASSERT_EQ(in_memory.ok(), windows.ok()) << entry.path();
      if (!in_memory.ok()) {
        EXPECT_EQ(in_memory.status().ToString(), windows.status().ToString()) << entry.path();
        continue;
      }
      EXPECT_EQ(testing::CounterLogDifference(*in_memory, *windows), "")
          << entry.path() << ", windows of " << window << " bytes";
      ++read;
    }
  }
  EXPECT_GE(read, 20u);
}

// The whole path: ReadLog maps a file of 1 MiB or more and hands the reader its pread.
TEST(CsvCopiedWindows, ReadLogOfAMappedFileEqualsReadingItsBytes) {
  const std::string dir = perfleak::testing::MakeTempDir("perfleak-copied");
  const std::string path = dir + "/log.csv";
  const std::string text = MixedLog(20'000);
  perfleak::testing::WriteStringToFile(path, text);
  ReadOptions options;
  options.invalid_rows = InvalidRowPolicy::kSkip;
  const auto from_file = ReadLog(path, options);
  const auto from_bytes = ReadLogFromBuffer(path, AsBytes(text), options);
  ASSERT_TRUE(from_file.ok()) << from_file.status().ToString();
  ASSERT_TRUE(from_bytes.ok()) << from_bytes.status().ToString();
  EXPECT_EQ(testing::CounterLogDifference(*from_file, *from_bytes), "");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace perfleak::csv
