#include "csv/csv_number.h"

#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

namespace perfleak::csv {
namespace {

// The fast path must agree with std::from_chars to the bit, or the reader's output would
// depend on which path a line took.
void ExpectSameAsFromChars(const std::string& text) {
  const std::string quoted = text + "\"";
  double fast = -1;
  const char* end = ParsePlainDecimal(quoted.data(), quoted.data() + quoted.size(), '"', &fast);
  ASSERT_EQ(end, quoted.data() + text.size()) << "not accepted: " << text;
  double reference = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), reference);
  ASSERT_EQ(ec, std::errc()) << text;
  ASSERT_EQ(ptr, text.data() + text.size()) << text;
  EXPECT_EQ(std::bit_cast<std::uint64_t>(fast), std::bit_cast<std::uint64_t>(reference)) << text;
}

bool Accepted(const std::string& text) {
  const std::string quoted = text + "\"\n";
  double value = 12345;
  const char* end = ParsePlainDecimal(quoted.data(), quoted.data() + quoted.size(), '"', &value);
  if (end == nullptr) {
    EXPECT_EQ(value, 12345) << "stored a value for rejected " << text;
  }
  return end != nullptr;
}

TEST(CsvNumber, EdgeCasesMatchFromChars) {
  for (const char* text : {
           "0",
           "-0",
           "0.0",
           "-0.000",
           "7",
           "-7",
           "00042",
           "1048576",
           "2047.5",
           "0.1",
           "-0.1",
           "9007199254740992",                // 2^53, the last exact mantissa
           "9007199254740993",                // 2^53 + 1: a tie, rounds to even
           "9007199254740995",                // tie, rounds up
           "18446744073709551615",            // 2^64 - 1, 20 digits
           "123456789012345678901234567890",  // more digits than a uint64 holds
           "12.345678901234567",              // what %.17g prints for percentages
           "99.999999999999986",
           "0.073354662110711080225",
           "-3.0000000000000004",
           "0.0000000000000000000001",   // 22 fraction digits, exact power of ten
           "0.00000000000000000000001",  // 23: past the exact powers
           "1.7976931348623157",         // long mantissa
           "4503599627370496.5",         // 2^52 + 0.5
           "0.30000000000000004",
           "2.2250738585072014",
       }) {
    SCOPED_TRACE(text);
    ExpectSameAsFromChars(text);
  }
}

TEST(CsvNumber, OtherSpellingsAreLeftToTheGeneralParser) {
  for (const char* text :
       {"",          " ",       "+1",    "-",    "-.5",    ".5",      "5.",      "1e5",
        "1E-3",      "1.5e+10", " 1",    "1 ",   "1.#INF", "-1.#IND", "1.#QNAN", "nan",
        "-nan(ind)", "inf",     "1.2.3", "12,5", "0x10",   "--1",     "1-",      "\"\""}) {
    EXPECT_FALSE(Accepted(text)) << text;
  }
  // Long enough that only the general parser may judge underflow.
  EXPECT_FALSE(Accepted("0." + std::string(400, '0') + "1"));
  EXPECT_FALSE(Accepted(std::string(65, '1')));
  EXPECT_TRUE(Accepted(std::string(64, '1')));
}

TEST(CsvNumber, StopsAtTheTerminatorOnly) {
  const std::string tab = "123\t";
  double value = 0;
  EXPECT_EQ(ParsePlainDecimal(tab.data(), tab.data() + tab.size(), '\t', &value), tab.data() + 3);
  EXPECT_EQ(value, 123);
  const std::string wrong = "123\t";
  EXPECT_EQ(ParsePlainDecimal(wrong.data(), wrong.data() + wrong.size(), '"', &value), nullptr);
}

TEST(CsvNumber, RandomNumbersMatchFromChars) {
  std::mt19937_64 rng(20261124);
  char buf[64];
  for (int i = 0; i < 200000; ++i) {
    const std::uint64_t x = rng();
    int n = 0;
    switch (i % 5) {
      case 0:  // integers of every width
        n = std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(x >> (x % 64)));
        break;
      case 1:  // 17 significant digits, the round-trip form
        n = std::snprintf(buf, sizeof buf, "%.17g",
                          static_cast<double>(x % 100'000'000) / 99'991.0);
        break;
      case 2:  // short decimals
        n = std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(x % 7),
                          static_cast<double>(x % 1'000'000) / 1000.0);
        break;
      case 3:  // negative, varied magnitude, up to 25 significant digits
        n = std::snprintf(buf, sizeof buf, "-%.*f", static_cast<int>(x % 26),
                          std::ldexp(static_cast<double>(x >> 11), -static_cast<int>(x % 80)));
        break;
      default:  // random digit strings around the 2^53 and 19-digit limits
        n = std::snprintf(buf, sizeof buf, "%llu.%llu",
                          static_cast<unsigned long long>(x % 100'000'000'000ULL),
                          static_cast<unsigned long long>((x >> 20) % 10'000'000'000ULL));
    }
    const std::string text(buf, static_cast<std::size_t>(n));
    if (text.find_first_of("eE") != std::string::npos) continue;  // %g chose an exponent
    ExpectSameAsFromChars(text);
    if (HasFailure()) break;
  }
}

}  // namespace
}  // namespace perfleak::csv
