#include "batch/member_name.h"

#include <gtest/gtest.h>

namespace perfleak::internal {
namespace {

TEST(ShowMemberName, ControlCharactersBecomeQuestionMarks) {
  EXPECT_EQ(ShowMemberName("a\x1b[31mb\r\n\x7f.csv"), "a?[31mb???.csv");
  EXPECT_EQ(ShowMemberName("c1\xC2\x9B"
                           "x.csv"),
            "c1?x.csv");
}

TEST(ShowMemberName, BytesThatAreNotUtf8BecomeReplacementCharacters) {
  EXPECT_EQ(ShowMemberName("caf\xe9.csv"), "caf\xEF\xBF\xBD.csv");
  EXPECT_EQ(ShowMemberName("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD") << "an overlong '/'";
  EXPECT_EQ(ShowMemberName("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD")
      << "a surrogate";
  EXPECT_EQ(ShowMemberName("Проц\xD0"), "Проц\xEF\xBF\xBD") << "a sequence cut at the end";
  EXPECT_EQ(ShowMemberName("日本.blg"), "日本.blg");
}

TEST(ShowMemberName, LeadingSlashesGoAndDotDotStays) {
  EXPECT_EQ(ShowMemberName("/abs/x.blg"), "abs/x.blg");
  EXPECT_EQ(ShowMemberName("./TSS/x.blg"), "TSS/x.blg");
  EXPECT_EQ(ShowMemberName("../../x.blg"), "../../x.blg");
  EXPECT_EQ(ShowMemberName(""), "(unnamed)");
}

TEST(CompressedFileMemberName, DropsTheCompressionSuffix) {
  EXPECT_EQ(CompressedFileMemberName("case/web01.csv.gz"), "web01.csv");
  EXPECT_EQ(CompressedFileMemberName("a.zip!/logs/x.blg.XZ"), "x.blg");
  EXPECT_EQ(CompressedFileMemberName("blob"), "blob.data");
}

}  // namespace
}  // namespace perfleak::internal
