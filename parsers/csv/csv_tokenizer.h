// Splitting one PDH text line into fields. PDH quotes every field and never puts a line break
// inside one, so lines are framed by '\n' first and split here, quote-aware.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace perfleak::csv {

/// Why a line could not be split.
enum class TokenizeError : std::uint8_t { kNone, kUnterminatedQuote, kGarbageAfterQuote };

/// One field: `text` views the line (without the surrounding quotes). `escaped` is true when
/// the field held doubled quotes (`""`); Unescape() gives its real text.
struct FieldView {
  std::string_view text;
  bool escaped = false;
};

/// Removes the doubling of `""` inside a quoted field.
inline std::string Unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '"' && i + 1 < text.size() && text[i + 1] == '"') ++i;
  }
  return out;
}

/// The first '"' or '\n' at or after `p`; one must come before `limit`, the end of the
/// readable bytes. Eight bytes a step while eight are readable (the cells a projection skips
/// are most of a wide line's bytes, and a byte loop there was a fifth of the reader's time),
/// with the zero-byte test of Mycroft's "haszero" (Anderson, Bit Twiddling Hacks): its only
/// false hits are above a true one, so the lowest hit is exact.
inline const char* FindQuoteOrNewline(const char* p, const char* limit) {
  static_assert(std::endian::native == std::endian::little, "the lowest hit is the first byte");
  constexpr std::uint64_t kOnes = 0x0101010101010101u, kHighs = 0x8080808080808080u;
  for (; limit - p >= 8; p += 8) {
    std::uint64_t word;
    std::memcpy(&word, p, sizeof word);
    const std::uint64_t quotes = word ^ (kOnes * '"'), ends = word ^ (kOnes * '\n');
    const std::uint64_t hits = (((quotes - kOnes) & ~quotes) | ((ends - kOnes) & ~ends)) & kHighs;
    if (hits != 0) return p + std::countr_zero(hits) / 8;
  }
  while (*p != '"' && *p != '\n') ++p;
  return p;
}

/// Strips a trailing '\r' (CRLF files).
inline std::string_view StripCr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

/// Calls `on_field(index, FieldView)` for each field of `line`; stops early (returning kNone)
/// when on_field returns false. *error_pos receives the offset in `line` of a problem.
template <typename OnField>
TokenizeError TokenizeLine(std::string_view line, char delimiter, OnField&& on_field,
                           std::size_t* error_pos) {
  std::size_t pos = 0;
  std::size_t index = 0;
  const std::size_t n = line.size();
  for (;;) {
    FieldView field;
    if (pos < n && line[pos] == '"') {
      std::size_t start = pos + 1;
      std::size_t scan = start;
      for (;;) {
        const void* q = scan < n ? std::memchr(line.data() + scan, '"', n - scan) : nullptr;
        if (q == nullptr) {
          *error_pos = pos;
          return TokenizeError::kUnterminatedQuote;
        }
        const std::size_t qpos =
            static_cast<std::size_t>(static_cast<const char*>(q) - line.data());
        if (qpos + 1 < n && line[qpos + 1] == '"') {
          field.escaped = true;
          scan = qpos + 2;
          continue;
        }
        field.text = line.substr(start, qpos - start);
        pos = qpos + 1;
        break;
      }
      if (pos < n && line[pos] != delimiter) {
        *error_pos = pos;
        return TokenizeError::kGarbageAfterQuote;
      }
    } else {
      const void* d = pos < n ? std::memchr(line.data() + pos, delimiter, n - pos) : nullptr;
      const std::size_t end =
          d == nullptr ? n : static_cast<std::size_t>(static_cast<const char*>(d) - line.data());
      field.text = line.substr(pos, end - pos);
      pos = end;
    }
    if (!on_field(index++, field)) return TokenizeError::kNone;
    if (pos >= n) return TokenizeError::kNone;
    ++pos;  // the delimiter
    if (pos == n) {
      // A trailing delimiter means one more, empty field.
      on_field(index, FieldView{});
      return TokenizeError::kNone;
    }
  }
}

/// Convenience for the header and tests: all fields, unescaped.
inline TokenizeError SplitLine(std::string_view line, char delimiter, std::vector<std::string>* out,
                               std::size_t* error_pos) {
  out->clear();
  return TokenizeLine(
      line, delimiter,
      [&](std::size_t, const FieldView& f) {
        out->push_back(f.escaped ? Unescape(f.text) : std::string(f.text));
        return true;
      },
      error_pos);
}

}  // namespace perfleak::csv
