#include "csv/text_encoding.h"

#include <gtest/gtest.h>

#include "csv/pdh_header.h"

namespace perfleak::csv {
namespace {

TEST(TextEncoding, GuessesCyrillicAndWestEuropean) {
  EXPECT_EQ(GuessAnsiCodePage(
                "\\\\DESKTOP\\\xCF\xF0\xEE\xF6\xE5\xF1\xF1(Idle)\\% \xE7\xE0\xE3\xF0\xF3\xE7"),
            TextEncoding::kCp1251);
  EXPECT_EQ(GuessAnsiCodePage("\\\\GI-AN\\Disco f\xEDsico(_Total)\\% de tiempo inactivo"),
            TextEncoding::kCp1252);
}

TEST(TextEncoding, ValidatesUtf8) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("Процесс"));
  EXPECT_FALSE(IsValidUtf8("\xCF\xF0"));
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));
}

// RFC 3629: overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8
// (a header holding them is a code-page header, not a UTF-8 one).
TEST(TextEncoding, RejectsOverlongsSurrogatesAndBeyondUnicode) {
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x9F\xBF"));      // overlong U+07FF
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xED\xBF\xBF"));      // surrogate U+DFFF
  EXPECT_FALSE(IsValidUtf8("\xF0\x8F\xBF\xBF"));  // overlong U+FFFF
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_TRUE(IsValidUtf8("\xE0\xA0\x80"));       // U+0800
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));       // U+D7FF
  EXPECT_TRUE(IsValidUtf8("\xEE\x80\x80"));       // U+E000
  EXPECT_TRUE(IsValidUtf8("\xF0\x90\x80\x80"));   // U+10000
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));   // U+10FFFF
}

TEST(PdhHeaderCell, ParsesEveryRealForm) {
  auto full = ParsePdhHeaderCell("(PDH-CSV 4.0) (Eastern Daylight Time)(240)");
  EXPECT_TRUE(full.has_prefix);
  EXPECT_EQ(full.zone_name, "Eastern Daylight Time");
  EXPECT_EQ(full.bias_minutes, 240);
  auto negative = ParsePdhHeaderCell("(PDH-TSV 4.0) (Hora de verano romance)(-120)");
  EXPECT_TRUE(negative.tsv_prefix);
  EXPECT_EQ(negative.bias_minutes, -120);
  auto damaged = ParsePdhHeaderCell("(PDH-CSV 4.0) (RTZ 2 (");
  EXPECT_FALSE(damaged.has_bias);
  EXPECT_EQ(damaged.zone_name, "RTZ 2 (");
  auto no_prefix = ParsePdhHeaderCell("(Pacific Daylight Time)(420)");
  EXPECT_FALSE(no_prefix.has_prefix);
  EXPECT_EQ(no_prefix.zone_name, "Pacific Daylight Time");
  EXPECT_EQ(no_prefix.bias_minutes, 420);
  auto bare = ParsePdhHeaderCell("(PDH-CSV 4.0)");
  EXPECT_TRUE(bare.has_prefix);
  EXPECT_FALSE(bare.has_bias);
  auto name_only = ParsePdhHeaderCell("(PDH-CSV 4.0) (UTC)");
  EXPECT_EQ(name_only.zone_name, "UTC");
}

}  // namespace
}  // namespace perfleak::csv
