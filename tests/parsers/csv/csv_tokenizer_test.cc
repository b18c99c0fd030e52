// FindQuoteOrNewline against the byte loop it replaces, at every offset and length, so each
// position of the hit in the 8-byte word and the tail without a whole word are covered.
#include "csv/csv_tokenizer.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace perfleak::csv {
namespace {

const char* ByteLoop(const char* p) {
  while (*p != '"' && *p != '\n') ++p;
  return p;
}

TEST(FindQuoteOrNewline, FindsWhatTheByteLoopFinds) {
  std::mt19937 rng(7);
  // Bytes around the targets too: '!' and '#' differ from '"' by one bit, '\v' from '\n';
  // 0x80+ bytes have the high bit the test looks at.
  const std::string alphabet = std::string("0123456789.!#\v\t ,\x80\xa2\xff") + '\0';
  for (int trial = 0; trial < 20000; ++trial) {
    const std::size_t size = 1 + rng() % 40;
    std::string text(size, 'x');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    text[rng() % size] = rng() % 2 ? '"' : '\n';
    // The readable end: at the last target or anywhere after it.
    const std::size_t last = text.find_last_of("\"\n");
    const std::size_t limit = last + 1 + rng() % (size - last);
    for (std::size_t start = 0; start <= last; ++start) {
      if (ByteLoop(text.data() + start) > text.data() + last) continue;
      ASSERT_EQ(FindQuoteOrNewline(text.data() + start, text.data() + limit),
                ByteLoop(text.data() + start))
          << "trial " << trial << ", start " << start << ", limit " << limit;
    }
  }
}

TEST(FindQuoteOrNewline, StopsAtTheFirstOfManyHitsInAWord) {
  const std::string text = "ab\"\"\n\n\"x\n";
  for (std::size_t start = 0; start < text.size(); ++start) {
    EXPECT_EQ(FindQuoteOrNewline(text.data() + start, text.data() + text.size()),
              ByteLoop(text.data() + start))
        << start;
  }
}

}  // namespace
}  // namespace perfleak::csv
