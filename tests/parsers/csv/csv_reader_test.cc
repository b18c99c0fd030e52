#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "common/time_zone_internal.h"
#include "perfleak/reader.h"
#include "perfleak/time_format.h"
#include "perfleak/writer.h"
#include "test_util.h"

namespace perfleak {
namespace {

using ::perfleak::testing::AsBytes;
using ::testing::HasSubstr;

Result<CounterLog> ReadText(std::string_view text, const ReadOptions& options = {}) {
  return ReadLogFromBuffer("mem.csv", AsBytes(text), options);
}

const char* kHeader =
    "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\",\"\\\\M\\Process(a)\\Private "
    "Bytes\",\"\\\\M\\Memory\\Available MBytes\"\r\n";

TEST(CsvReader, ReadsBasicLogWithZoneAndBias) {
  auto log = ReadLog(testing::TestDataPath("csv/ok_basic.csv"));
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->format, LogFormat::kPdhCsv);
  EXPECT_EQ(log->num_counters(), 3u);
  EXPECT_EQ(log->num_samples(), 3u);
  EXPECT_EQ(log->time_zone.name, "Eastern Standard Time");
  EXPECT_EQ(log->time_zone.bias_minutes, 300);
  EXPECT_EQ(log->paths[1].InstanceWithIndex(), "svchost#1");
  EXPECT_EQ(FormatLocal(log->time_local[1]), "2026-01-15 10:00:15.000");
  EXPECT_EQ(FormatIsoUtc(log->time_utc[1]), "2026-01-15T15:00:15.000Z");
  EXPECT_EQ(log->columns[0][0], 1048576.0);
  EXPECT_EQ(log->columns[2][1], 2047.5);
}

TEST(CsvReader, MissingValueIsNaN) {
  auto log = ReadLog(testing::TestDataPath("csv/ok_basic.csv"));
  ASSERT_TRUE(log.ok());
  EXPECT_TRUE(std::isnan(log->columns[1][0])) << "\" \" is missing";
  EXPECT_TRUE(std::isnan(log->columns[0][2])) << "empty is missing";
}

TEST(CsvReader, LfAndCrlfGiveTheSameLog) {
  std::string crlf = std::string(kHeader) + "\"01/01/2026 00:00:00.000\",\"5\",\"6\"\r\n";
  std::string lf = crlf;
  for (std::size_t pos; (pos = lf.find("\r\n")) != std::string::npos;) lf.erase(pos, 1);
  auto a = ReadText(crlf);
  auto b = ReadText(lf);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->columns, b->columns);
  EXPECT_EQ(a->time_utc, b->time_utc);
}

TEST(CsvReader, Utf8BomIsSkipped) {
  std::string text =
      "\xEF\xBB\xBF" + std::string(kHeader) + "\"01/01/2026 00:00:00.000\",\"5\",\"6\"\r\n";
  auto log = ReadText(text);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->columns[0][0], 5.0);
}

// UTF-16LE with BOM, encoded by hand (BMP only).
std::string ToUtf16LeWithBom(const std::string& utf8) {
  std::u32string cps;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      cps += c;
      ++i;
    } else {
      cps += static_cast<char32_t>(((c & 0x1F) << 6) |
                                   (static_cast<unsigned char>(utf8[i + 1]) & 0x3F));
      i += 2;
    }
  }
  std::string bytes = "\xFF\xFE";
  for (char32_t cp : cps) {
    bytes += static_cast<char>(cp & 0xFF);
    bytes += static_cast<char>((cp >> 8) & 0xFF);
  }
  return bytes;
}

TEST(CsvReader, Utf16LeWithBomIsConverted) {
  const std::string utf8 =
      "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\M\\Процесс(a)\\x\"\r\n\"01/01/2026 "
      "00:00:00.000\",\"7\"\r\n";
  const std::string bytes = ToUtf16LeWithBom(utf8);
  auto log = ReadText(bytes);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->paths[0].object, "Процесс");
  EXPECT_EQ(log->columns[0][0], 7.0);
}

// "(byte N)" is where the bad cell is in the file, not in the UTF-8 text it was converted to
// (Cyrillic letters are 2 bytes in both here, ASCII 1 in UTF-8 and 2 in UTF-16).
TEST(CsvReader, Utf16ErrorGivesTheFileByteOffset) {
  const std::string utf8 =
      "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\M\\Процесс(a)\\x\"\r\n\"01/01/2026 "
      "00:00:00.000\",\"z7\"\r\n";
  const std::string bytes = ToUtf16LeWithBom(utf8);
  auto log = ReadText(bytes);
  ASSERT_FALSE(log.ok());
  const std::string message = log.status().message();
  const std::size_t at = message.find("(byte ");
  ASSERT_NE(at, std::string::npos) << message;
  const std::size_t byte = std::stoul(message.substr(at + 6));
  ASSERT_LT(byte + 1, bytes.size()) << message;
  EXPECT_EQ(bytes.substr(byte, 4), std::string("z\0"
                                               "7\0",
                                               4))
      << message;
}

TEST(CsvReader, Cp1251HeaderBecomesUtf8) {
  // "Процесс" in cp1251.
  std::string text =
      "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\M\\\xCF\xF0\xEE\xF6\xE5\xF1\xF1(a)\\x\"\r\n\"01/01/2026 "
      "00:00:00.000\",\"1\"\r\n";
  auto log = ReadText(text);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->paths[0].object, "Процесс");
}

TEST(CsvReader, Cp1252HeaderBecomesUtf8) {
  std::string text =
      "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\M\\Disco f\xEDsico(_Total)\\x\"\r\n\"01/01/2026 "
      "00:00:00.000\",\"1\"\r\n";
  auto log = ReadText(text);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->paths[0].object, "Disco físico");
}

TEST(CsvReader, TwentySignificantDigitsAndExponents) {
  std::string text = std::string(kHeader) +
                     "\"01/01/2026 00:00:00.000\",\"0.073354662110711080225\",\"1.5e+10\"\r\n";
  auto log = ReadText(text);
  ASSERT_TRUE(log.ok());
  EXPECT_NEAR(log->columns[0][0], 0.073354662110711080225, 1e-18);  // correctly rounded
  EXPECT_EQ(log->columns[1][0], 1.5e10);
}

TEST(CsvReader, TsvIsDetectedFromContent) {
  std::string text =
      "\"(PDH-TSV 4.0) (UTC)(0)\"\t\"\\\\M\\Memory\\x\"\n\"01/01/2026 00:00:00.000\"\t\"3\"\n";
  auto log = ReadText(text);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->format, LogFormat::kPdhTsv);
  EXPECT_EQ(log->columns[0][0], 3.0);
}

TEST(CsvReader, DamagedZoneCellWarnsAndAssumesUtc) {
  std::string text =
      "\"(PDH-CSV 4.0) (RTZ 2 (\",\"\\\\M\\Memory\\x\"\n\"01/01/2026 00:00:00.000\",\"3\"\n";
  auto log = ReadText(text);
  ASSERT_TRUE(log.ok());
  EXPECT_FALSE(log->time_zone.has_bias);
  EXPECT_EQ(log->time_utc[0], log->time_local[0]);
  ASSERT_FALSE(log->warnings.empty());
  EXPECT_THAT(log->warnings[0], HasSubstr("no usable time-zone bias"));
}

TEST(CsvReader, MissingPrefixIsReadAsDamagedCsv) {
  std::string text =
      "\"(Pacific Daylight Time)(420)\",\"\\\\M\\Memory\\x\"\n\"05/29/2008 11:36:51.794\",\"3\"\n";
  EXPECT_EQ(DetectFormat(AsBytes(text)), DetectedFormat::kPdhCsv);
  auto log = ReadText(text);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->time_zone.bias_minutes, 420);
  EXPECT_THAT(log->warnings[0], HasSubstr("lacks the (PDH-CSV 4.0) prefix"));
}

TEST(CsvReader, TypeperfHeaderWithoutZone) {
  std::string text = "\"(PDH-CSV 4.0)\",\"\\\\M\\Memory\\x\"\n\"01/01/2026 00:00:00.000\",\"3\"\n";
  auto log = ReadText(text);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->time_zone.name, "");
}

TEST(CsvReader, NegativeBiasGivesEarlierUtc) {
  std::string text =
      "\"(PDH-CSV 4.0) (India Standard Time)(-330)\",\"\\\\M\\Memory\\x\"\n\"09/19/2017 "
      "09:51:39.073\",\"0\"\n";
  auto log = ReadText(text);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(FormatIsoUtc(log->time_utc[0]), "2017-09-19T04:21:39.073Z");
}

TEST(CsvReader, ShortRowErrorNamesFileLineByteAndHint) {
  auto log = ReadLog(testing::TestDataPath("csv/bad_short_row.csv"));
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kParseError);
  const std::string msg = log.status().message();
  EXPECT_THAT(msg, HasSubstr("bad_short_row.csv:3: expected 3 fields, got 2"));
  EXPECT_THAT(msg, HasSubstr("(byte 151)"));
  EXPECT_THAT(msg, HasSubstr("--skip-bad-rows"));
}

TEST(CsvReader, SkipBadRowsCountsAndWarns) {
  ReadOptions options;
  options.invalid_rows = InvalidRowPolicy::kSkip;
  auto log = ReadLog(testing::TestDataPath("csv/bad_short_row.csv"), options);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->num_samples(), 1u);
  ASSERT_EQ(log->warnings.size(), 1u);
  EXPECT_THAT(log->warnings[0], HasSubstr(":3: skipped row: expected 3 fields, got 2"));
}

TEST(CsvReader, ImpossibleDateIsAnError) {
  auto log = ReadLog(testing::TestDataPath("csv/bad_impossible_date.csv"));
  ASSERT_FALSE(log.ok());
  EXPECT_THAT(log.status().message(),
              HasSubstr("bad_impossible_date.csv:2: bad timestamp \"02/30/2026"));
}

TEST(CsvReader, UnterminatedQuoteIsAnError) {
  auto log = ReadLog(testing::TestDataPath("csv/bad_unterminated_quote.csv"));
  ASSERT_FALSE(log.ok());
  EXPECT_THAT(log.status().message(), HasSubstr(":2: unterminated quote"));
}

TEST(CsvReader, NonLogCsvIsRejectedWithHint) {
  auto log = ReadLog(testing::TestDataPath("csv/bad_not_a_log.csv"));
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kUnknownFormat);
  EXPECT_THAT(log.status().message(), HasSubstr("bad_not_a_log.csv: not a counter log"));
}

TEST(CsvReader, HeaderOnlyLogIsAnError) {
  auto log = ReadText(kHeader);
  ASSERT_FALSE(log.ok());
  EXPECT_THAT(log.status().message(),
              HasSubstr("mem.csv:2: the log has a header but no data rows"));
}

TEST(CsvReader, EmptyAndMissingFilesAreClearErrors) {
  auto empty = ReadText("");
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(), HasSubstr("mem.csv: file is empty"));
  auto missing = ReadLog("/nonexistent/x.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kIoError);
  EXPECT_THAT(missing.status().message(), HasSubstr("/nonexistent/x.csv: cannot open"));
  auto dir = ReadLog(testing::TestDataPath("csv"));
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(dir.status().message(), HasSubstr("is a directory"));
}

TEST(CsvReader, ProjectionLoadsOnlyMatchingColumns) {
  ReadOptions options;
  options.counter_patterns = {"\\Process(*)\\Private Bytes"};
  auto log = ReadLog(testing::TestDataPath("csv/ok_basic.csv"), options);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->num_counters(), 1u);
  EXPECT_EQ(log->paths[0].counter, "Private Bytes");
  EXPECT_EQ(log->columns[0][1], 1049600.0);
}

TEST(CsvReader, OversizedFieldHitsTheCap) {
  std::string text = std::string(kHeader) + "\"01/01/2026 00:00:00.000\",\"" +
                     std::string(5 << 20, '1') + "\",\"6\"\r\n";
  auto log = ReadText(text);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kLimitExceeded);
  EXPECT_THAT(log.status().message(), HasSubstr("mem.csv:2: field 2 is 5242880 bytes"));
}

TEST(CsvReader, BackwardsTimestampsWarn) {
  std::string text =
      std::string(kHeader) +
      "\"01/01/2026 01:30:00.000\",\"1\",\"1\"\r\n\"01/01/2026 01:00:00.000\",\"1\",\"1\"\r\n";
  auto log = ReadText(text);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->warnings.size(), 1u);
  EXPECT_THAT(log->warnings[0], HasSubstr("timestamps go backwards 1 time"));
}

TEST(CsvReader, ParallelDecodeMatchesSerial) {
  std::string text = kHeader;
  Ticks t = 0;
  ASSERT_TRUE(CivilToTicks(2026, 1, 1, 0, 0, 0, 0, &t));
  for (int row = 0; row < 120000; ++row) {
    text += "\"" + FormatPdhTimestamp(t + row * kTicksPerSecond) + "\",\"" +
            std::to_string(row * 3) + "\",\"" +
            (row % 7 == 0 ? std::string(" ") : std::to_string(row * 0.25)) + "\"\r\n";
  }
  ASSERT_GT(text.size(), 4u << 20) << "must exceed the parallel threshold";
  ReadOptions serial, parallel;
  serial.num_threads = 1;
  parallel.num_threads = 3;
  auto a = ReadText(text, serial);
  auto b = ReadText(text, parallel);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->time_utc, b->time_utc);
  ASSERT_EQ(a->num_samples(), 120000u);
  for (std::size_t c = 0; c < 2; ++c) {
    for (std::size_t i = 0; i < a->num_samples(); ++i) {
      const double x = a->columns[c][i], y = b->columns[c][i];
      ASSERT_TRUE((std::isnan(x) && std::isnan(y)) || x == y) << "column " << c << " row " << i;
    }
  }
}

// A log of 9.6 MB of columns gets them from one arena (ColumnArena, huge pages), on every
// thread count; a bad row skipped in the middle compacts them in place.
TEST(CsvReader, LargeLogColumnsShareOneArena) {
  constexpr int kCounters = 20, kRows = 60000, kBadRow = 30000;
  std::string text = "\"(PDH-CSV 4.0)\"";
  for (int c = 0; c < kCounters; ++c) text += ",\"\\\\M\\Memory\\C" + std::to_string(c) + "\"";
  text += "\r\n";
  Ticks t = 0;
  ASSERT_TRUE(CivilToTicks(2026, 1, 1, 0, 0, 0, 0, &t));
  for (int row = 0; row < kRows; ++row) {
    text += "\"" + FormatPdhTimestamp(t + row * kTicksPerSecond) + "\"";
    for (int c = 0; c < (row == kBadRow ? 1 : kCounters); ++c)
      text += ",\"" + std::to_string(row * kCounters + c) + "\"";
    text += "\r\n";
  }
  for (const std::size_t threads : {1u, 3u}) {
    ReadOptions options;
    options.num_threads = threads;
    options.invalid_rows = InvalidRowPolicy::kSkip;
    const auto log = ReadText(text, options);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    ASSERT_EQ(log->num_counters(), static_cast<std::size_t>(kCounters));
    ASSERT_EQ(log->num_samples(), static_cast<std::size_t>(kRows - 1));
    const ColumnArena* arena = log->columns[0].get_allocator().arena().get();
    ASSERT_NE(arena, nullptr);
    for (int c = 0; c < kCounters; ++c) {
      const Column& column = log->columns[static_cast<std::size_t>(c)];
      EXPECT_EQ(column.get_allocator().arena().get(), arena) << c;
      ASSERT_EQ(column.size(), static_cast<std::size_t>(kRows - 1));
      for (int row = 0; row < kRows - 1; ++row) {
        const int file_row = row < kBadRow ? row : row + 1;
        ASSERT_EQ(column[static_cast<std::size_t>(row)], file_row * kCounters + c)
            << "column " << c << " row " << row << ", " << threads << " threads";
      }
    }
  }
  // A small log's columns are on the heap.
  const auto small = ReadText(std::string(kHeader) + "\"01/01/2026 00:00:00.000\",\"1\",\"2\"\r\n");
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->columns[0].get_allocator().arena(), nullptr);
}

// Quoted lines take the reader's one-scan fast path; the same cells unquoted take the general
// tokenizer. Every spelling must decode to the same bits either way.
// Cells written as numbers that cannot be kept (overflow, underflow, an odd `.#` spelling)
// were dropped silently; now they are missing with one warning that counts them and names the
// first. The documented non-finite spellings stay silent.
TEST(CsvReader, CellsReadAsMissingAreCountedWithTheFirstPlace) {
  const std::string text = std::string(kHeader) +
                           "\"01/01/2026 00:00:00.000\",\"1.#INF\",\"-1.#IND\"\r\n"
                           "\"01/01/2026 00:00:15.000\",\"1.#QNAN0\",\"1e400\"\r\n"
                           "\"01/01/2026 00:00:30.000\",\"1e-400\",\"1.#J\"\r\n";
  auto log = ReadText(text);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  for (const auto& column : log->columns) {
    for (double v : column) EXPECT_TRUE(std::isnan(v));
  }
  ASSERT_EQ(log->warnings.size(), 1u) << ::testing::PrintToString(log->warnings);
  EXPECT_THAT(log->warnings[0],
              HasSubstr("mem.csv:3: 3 cell(s) written as numbers were read as missing"));
  EXPECT_THAT(log->warnings[0], HasSubstr("the first \"1e400\" in column"));
  EXPECT_THAT(log->warnings[0], HasSubstr("Available MBytes\" (byte "));
  auto clean =
      ReadText(std::string(kHeader) + "\"01/01/2026 00:00:00.000\",\"1.#INF\",\"-1.#IND00\"\r\n");
  ASSERT_TRUE(clean.ok());
  EXPECT_TRUE(clean->warnings.empty()) << clean->warnings[0];
}

TEST(CsvReader, PlusFollowedBySignIsABadNumber) {
  auto log = ReadText(std::string(kHeader) + "\"01/01/2026 00:00:00.000\",\"+-5\",\"1\"\r\n");
  ASSERT_FALSE(log.ok()) << "+-5 read as " << log->columns[0][0];
  EXPECT_THAT(log.status().message(), HasSubstr("mem.csv:2: bad number \"+-5\""));
  EXPECT_TRUE(ReadText(std::string(kHeader) + "\"01/01/2026 00:00:00.000\",\"+5\",\"1\"\r\n").ok());
}

TEST(CsvReader, FastAndGeneralPathsDecodeAlike) {
  const std::vector<std::string> cells = {"1",
                                          "-2",
                                          "+3",
                                          "1.5e+10",
                                          "12.345678901234567",
                                          "",
                                          " ",
                                          "1.#INF",
                                          "-1.#IND",
                                          "-nan(ind)",
                                          " 7 ",
                                          "0.073354662110711080225",
                                          "-0",
                                          "18446744073709551615",
                                          "1e-400",
                                          "9007199254740993",
                                          "0.30000000000000004",
                                          "1.#QNAN",
                                          "4e400",
                                          "00012.50"};
  std::string header = "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\"";
  for (int c = 0; c < 5; ++c)
    header += ",\"\\\\M\\Process(p" + std::to_string(c) + ")\\Private Bytes\"";
  std::string quoted = header + "\r\n", plain = header + "\r\n";
  std::size_t k = 0;
  for (int row = 0; row < 60; ++row) {
    const std::string ts =
        "01/01/2026 00:00:" + std::string(row < 10 ? "0" : "") + std::to_string(row) + ".000";
    quoted += "\"" + ts + "\"";
    plain += ts;
    for (int c = 0; c < 5; ++c, k = (k * 7 + 3) % cells.size()) {
      quoted += ",\"" + cells[k] + "\"";
      plain += "," + cells[k];
    }
    quoted += "\r\n";
    plain += "\r\n";
  }
  for (const auto& patterns :
       {std::vector<std::string>{}, std::vector<std::string>{"\\Process(p1)\\*", "*(p3)\\*"}}) {
    ReadOptions options;
    options.counter_patterns = patterns;
    auto fast = ReadText(quoted, options);
    auto general = ReadText(plain, options);
    ASSERT_TRUE(fast.ok()) << fast.status().ToString();
    ASSERT_TRUE(general.ok()) << general.status().ToString();
    EXPECT_EQ(fast->time_local, general->time_local);
    ASSERT_EQ(fast->num_counters(), general->num_counters());
    ASSERT_EQ(fast->num_samples(), 60u);
    for (std::size_t c = 0; c < fast->num_counters(); ++c) {
      for (std::size_t i = 0; i < fast->num_samples(); ++i) {
        EXPECT_EQ(std::bit_cast<std::uint64_t>(fast->columns[c][i]),
                  std::bit_cast<std::uint64_t>(general->columns[c][i]))
            << "column " << c << " row " << i;
      }
    }
  }
}

TEST(CsvReader, UnusualLinesBetweenFastOnesReadAsBefore) {
  ReadOptions options;
  options.counter_patterns = {"\\Memory\\*"};
  const std::string text = std::string(kHeader) +
                           "\"01/01/2026 00:00:00.000\",\"1\",\"2\"\r\n"
                           "\r\n"                                            // blank: skipped
                           "\"01/01/2026 00:00:01.000\",\"a\"\"b\",\"3\"\n"  // escaped, unselected
                           "01/01/2026 00:00:02.000,x,\"4\"\r\n"             // unquoted cells
                           "\"01/01/2026 00:00:03.000\",\"5\",\"6\"";        // no final newline
  auto log = ReadText(text, options);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ASSERT_EQ(log->num_counters(), 1u);
  EXPECT_EQ(log->columns[0], (Column{2, 3, 4, 6}));
  EXPECT_EQ(FormatLocal(log->time_local[3]), "2026-01-01 00:00:03.000");
}

TEST(CsvReader, FastPathLeavesMalformedLinesToTheGeneralErrors) {
  const std::string ts = "\"01/01/2026 00:00:00.000\"";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {ts + ",\"1\",\"2\",\r\n", "mem.csv:2: expected 3 fields, got 4"},
      {ts + ",\"1\",\"2\",\"3\"\r\n", "mem.csv:2: expected 3 fields, got 4"},
      {ts + ",\"1\"x,\"2\"\r\n", "mem.csv:2: unexpected text after a closing quote (byte"},
      {ts + ",\"1\",\"2\r\n", "mem.csv:2: unterminated quote in field 3"},
      {ts + ",\"1\",\"2\"\r\r\n", "mem.csv:2: unexpected text after a closing quote"},
      {ts + ",\"12x\",\"2\"\r\n", "mem.csv:2: bad number \"12x\" in column"},
      {"\"01/01/2026 25:00:00.000\",\"1\",\"2\"\r\n", "mem.csv:2: bad timestamp"},
  };
  for (const auto& [row, message] : cases) {
    auto log = ReadText(std::string(kHeader) + row);
    ASSERT_FALSE(log.ok()) << row;
    EXPECT_THAT(log.status().message(), HasSubstr(message)) << row;
  }
}

TEST(CsvReader, FieldCapAppliesToColumnsOutsideTheProjection) {
  ReadOptions options;
  options.counter_patterns = {"\\Memory\\*"};
  options.max_field_bytes = 64;  // the header cells fit
  auto log = ReadText(std::string(kHeader) + "\"01/01/2026 00:00:00.000\",\"" +
                          std::string(65, '1') + "\",\"6\"\r\n",
                      options);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kLimitExceeded);
  EXPECT_THAT(log.status().message(), HasSubstr("mem.csv:2: field 2 is 65 bytes"));
}

TEST(CsvReader, ParallelErrorReportsTheEarliestBadLine) {
  std::string text = kHeader;
  for (int row = 0; row < 100000; ++row) {
    const bool bad = row == 70000 || row == 90000;
    text += "\"01/01/2026 00:00:00.000\",\"1\"" + std::string(bad ? "" : ",\"2\"") + "\r\n";
  }
  ReadOptions options;
  options.num_threads = 4;
  auto log = ReadText(text, options);
  ASSERT_FALSE(log.ok());
  EXPECT_THAT(log.status().message(), HasSubstr("mem.csv:70002: expected 3 fields, got 2"));
}

// The real logs of the shared corpus: every one loads with the right shape.
struct RealLogShape {
  const char* file;
  std::size_t counters;
  std::size_t samples;
  LogFormat format;
};

class RealCsvCorpus : public ::testing::TestWithParam<RealLogShape> {};

TEST_P(RealCsvCorpus, LoadsWithExpectedCountersAndSamples) {
  const RealLogShape& shape = GetParam();
  PERFLEAK_REAL_LOG_OR_SKIP(path, shape.file);
  auto log = ReadLog(path);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->num_counters(), shape.counters);
  EXPECT_EQ(log->num_samples(), shape.samples);
  EXPECT_EQ(log->format, shape.format);
}

TEST_P(RealCsvCorpus, ConvertRoundTripsValuesAndTimes) {
  const RealLogShape& shape = GetParam();
  PERFLEAK_REAL_LOG_OR_SKIP(path, shape.file);
  auto log = ReadLog(path);
  ASSERT_TRUE(log.ok());
  std::ostringstream out;
  WriteOptions wo;
  wo.delimiter = shape.format == LogFormat::kPdhTsv ? '\t' : ',';
  ASSERT_TRUE(WritePdhText(*log, out, wo).ok());
  const std::string written = out.str();
  auto again = ReadLogFromBuffer("roundtrip", AsBytes(written));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  ASSERT_EQ(again->num_counters(), log->num_counters());
  ASSERT_EQ(again->num_samples(), log->num_samples());
  EXPECT_EQ(again->time_local, log->time_local);
  EXPECT_EQ(again->time_utc, log->time_utc);
  for (std::size_t c = 0; c < log->num_counters(); ++c) {
    EXPECT_EQ(again->paths[c].ToString(), log->paths[c].ToString());
    for (std::size_t i = 0; i < log->num_samples(); ++i) {
      const double x = log->columns[c][i], y = again->columns[c][i];
      if (std::isnan(x)) {
        EXPECT_TRUE(std::isnan(y));
      } else {
        EXPECT_NEAR(y, x, std::fabs(x) * 1e-9) << "column " << c << " row " << i;  // 1e-9 relative
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shared, RealCsvCorpus,
    ::testing::Values(
        RealLogShape{"memeData__DataCollector01.csv", 8, 208, LogFormat::kPdhCsv},
        RealLogShape{"memeData__DataCollector02.csv", 8, 30, LogFormat::kPdhCsv},
        RealLogShape{"memeData__DataCollector03.csv", 8, 26, LogFormat::kPdhCsv},
        RealLogShape{"PDH_Converter__DataCollector01.csv", 1104, 26, LogFormat::kPdhCsv},
        RealLogShape{"Narmadha6790-sample__DataCollector01.csv", 12, 21, LogFormat::kPdhCsv},
        RealLogShape{"CESPL__Practica2Pruebas_DataCollector01.tsv", 14, 965, LogFormat::kPdhTsv},
        RealLogShape{"CESPL__PruebasJuan_000002_DataCollector01.csv", 14, 42, LogFormat::kPdhCsv},
        RealLogShape{"PowerShell__CounterSamples.csv", 10, 25, LogFormat::kPdhCsv},
        RealLogShape{"PowerShell__CounterSamples.tsv", 10, 25, LogFormat::kPdhTsv},
        RealLogShape{"PowerShell__CorruptBlg.blg", 9, 500, LogFormat::kPdhCsv}),
    [](const ::testing::TestParamInfo<RealLogShape>& param_info) {
      std::string name = param_info.param.file;
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST(CsvReaderRealCorpus, RussianPathsComeOutAsUtf8) {
  PERFLEAK_REAL_LOG_OR_SKIP(path, "PDH_Converter__DataCollector01.csv");
  auto log = ReadLog(path);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->paths[0].object, "Процесс");
  EXPECT_EQ(log->paths[0].counter, "% загруженности процессора");
}

TEST(CsvWriter, FormatsNumbersForExactRoundTrip) {
  EXPECT_EQ(FormatPdhNumber(238132991823872.0), "238132991823872");
  EXPECT_EQ(FormatPdhNumber(0.1), "0.1");
  EXPECT_EQ(FormatPdhNumber(kMissing), " ");
  EXPECT_EQ(FormatPdhNumber(-3.0), "-3");
}

}  // namespace
}  // namespace perfleak

namespace perfleak {
namespace {

TEST(CsvReaderTimeZone, DstFallBackGivesMonotonicUtc) {
  // US Eastern, 2026-11-01: 01:00-02:00 local happens twice (EDT, then EST).
  std::string text = "\"(PDH-CSV 4.0) (Eastern Daylight Time)(240)\",\"\\\\M\\Memory\\x\"\n";
  for (const char* t :
       {"11/01/2026 00:30:00.000", "11/01/2026 01:30:00.000", "11/01/2026 01:00:00.000",
        "11/01/2026 01:30:00.000", "11/01/2026 02:30:00.000"}) {
    text += std::string("\"") + t + "\",\"1\"\n";
  }
  auto log = ReadLogFromBuffer("dst.csv", testing::AsBytes(text));
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->time_zone.iana_name, "America/New_York");
  EXPECT_EQ(FormatIsoUtc(log->time_utc[0]), "2026-11-01T04:30:00.000Z");
  EXPECT_EQ(FormatIsoUtc(log->time_utc[1]), "2026-11-01T05:30:00.000Z");  // EDT
  EXPECT_EQ(FormatIsoUtc(log->time_utc[2]), "2026-11-01T06:00:00.000Z");  // EST from here
  EXPECT_EQ(FormatIsoUtc(log->time_utc[3]), "2026-11-01T06:30:00.000Z");
  EXPECT_EQ(FormatIsoUtc(log->time_utc[4]), "2026-11-01T07:30:00.000Z");
  EXPECT_TRUE(std::is_sorted(log->time_utc.begin(), log->time_utc.end()));
  ASSERT_FALSE(log->warnings.empty());
  EXPECT_THAT(log->warnings[0], HasSubstr("UTC offset changes during the log"));
}

// Without tzdata the zone's rules are unknown and UTC keeps the start's bias: after the
// fall-back every UTC time is an hour early. That used to happen silently.
TEST(CsvReaderTimeZone, MissingTzDatabaseWarnsWhichTimesMayBeOff) {
  std::string text = "\"(PDH-CSV 4.0) (Eastern Daylight Time)(240)\",\"\\\\M\\Memory\\x\"\n";
  for (const char* t : {"11/01/2026 00:30:00.000", "11/01/2026 01:00:00.000",
                        "11/01/2026 01:30:00.000", "11/01/2026 01:00:00.000"}) {
    text += std::string("\"") + t + "\",\"1\"\n";
  }
  internal::simulate_missing_tzdb = true;
  auto log = ReadLogFromBuffer("dst.csv", testing::AsBytes(text));
  internal::simulate_missing_tzdb = false;
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->time_zone.iana_name, "");
  EXPECT_THAT(::testing::PrintToString(log->warnings),
              HasSubstr("dst.csv: no rules for time zone America/New_York on this machine"));
  EXPECT_THAT(::testing::PrintToString(log->warnings),
              HasSubstr("UTC times from 2026-11-01 01:00:00.000 (local), where the clock changes, "
                        "may be off"));
}

TEST(CsvReaderTimeZone, UnknownOrMismatchedZoneFallsBackToBias) {
  // A localized name cannot be mapped; a name whose rules disagree with the bias is not trusted.
  for (const char* cell : {"(Hora de verano romance)(-120)", "(Pacific Standard Time)(-120)"}) {
    std::string text = std::string("\"(PDH-CSV 4.0) ") + cell +
                       "\",\"\\\\M\\Memory\\x\"\n\"10/03/2022 09:20:10.614\",\"1\"\n";
    auto log = ReadLogFromBuffer("tz.csv", testing::AsBytes(text));
    ASSERT_TRUE(log.ok());
    EXPECT_EQ(log->time_zone.iana_name, "") << cell;
    EXPECT_EQ(FormatIsoUtc(log->time_utc[0]), "2022-10-03T07:20:10.614Z") << cell;
  }
}

// A 24 MB file on disk: ReadLog maps it and each of two threads copies its half out in a
// dozen 2 MB windows; the values are the in-memory read's, to the last row.
TEST(CsvReaderMappedFile, ManyWindowsPerThreadGiveTheInMemoryValues) {
  std::string text =
      "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\M\\Process(a)\\Private Bytes\",\"\\\\M\\Process(b)\\Handle "
      "Count\"\r\n";
  Ticks t0 = 0;
  ASSERT_TRUE(CivilToTicks(2026, 1, 1, 0, 0, 0, 0, &t0));
  for (int row = 0; row < 700000; ++row) {
    text += "\"" + FormatPdhTimestamp(t0 + row * kTicksPerSecond) + "\",\"" +
            std::to_string(row * 7) + "\",\"" + std::to_string(row % 1000) + "\"\r\n";
  }
  ASSERT_GT(text.size(), 24u << 20);
  const std::string dir = testing::MakeTempDir("perfleak-mapped");
  const std::string path = dir + "/big.csv";
  testing::WriteStringToFile(path, text);
  ReadOptions options;
  options.num_threads = 2;
  auto mapped = ReadLog(path, options);
  auto in_memory = ReadLogFromBuffer(path, testing::AsBytes(text), options);
  ASSERT_TRUE(mapped.ok() && in_memory.ok());
  EXPECT_EQ(mapped->time_utc, in_memory->time_utc);
  EXPECT_EQ(mapped->columns, in_memory->columns);
  EXPECT_EQ(mapped->columns[0][699999], 699999.0 * 7);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace perfleak
