#include "perfleak/status.h"

#include <gtest/gtest.h>

#include <string>

namespace perfleak {
namespace {

TEST(Result, FromAnOkStatusIsAnInternalErrorNotASilentSuccess) {
  const Result<int> r(Status::OK());
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
  EXPECT_NE(r.status().ToString().find("internal error: Result built from an OK Status"),
            std::string::npos)
      << r.status().ToString();
}

TEST(Result, KeepsAFailedStatusAsGiven) {
  const Result<std::string> r(Status::ParseError("log.csv:3: bad row"));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kParseError);
  EXPECT_EQ(r.status().message(), "log.csv:3: bad row");
}

TEST(Result, HoldsAValue) {
  Result<std::string> r(std::string("x"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.status().ok());
  EXPECT_EQ(*r, "x");
  EXPECT_EQ(std::move(r).value(), "x");
}

// Report parts store the numeric code: the values are part of the format.
TEST(StatusCode, ValuesAreFixed) {
  EXPECT_EQ(static_cast<int>(StatusCode::kLimitExceeded), 6);
  EXPECT_EQ(static_cast<int>(StatusCode::kOutOfRange), 9);
  EXPECT_EQ(static_cast<int>(StatusCode::kInternal), 10);
}

}  // namespace
}  // namespace perfleak
