#include "csv/text_encoding.h"

#include <iconv.h>

#include <cerrno>
#include <cstring>

namespace perfleak::csv {

const char* TextEncodingName(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kUtf8:
      return "utf-8";
    case TextEncoding::kUtf16Le:
      return "utf-16le";
    case TextEncoding::kCp1252:
      return "cp1252";
    case TextEncoding::kCp1251:
      return "cp1251";
  }
  return "utf-8";
}

BomInfo DetectBom(std::span<const std::byte> data) {
  auto at = [&](std::size_t i) { return static_cast<unsigned char>(data[i]); };
  if (data.size() >= 3 && at(0) == 0xEF && at(1) == 0xBB && at(2) == 0xBF) {
    return {TextEncoding::kUtf8, 3};
  }
  if (data.size() >= 2 && at(0) == 0xFF && at(1) == 0xFE) return {TextEncoding::kUtf16Le, 2};
  return {};
}

bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
    } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
      len = 4;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    // The second byte's range rules out overlong forms (E0 80..9F, F0 80..8F), UTF-16
    // surrogates (ED A0..BF) and code points above U+10FFFF (F4 90..BF): RFC 3629, section 4.
    const auto second = static_cast<unsigned char>(text[i + 1]);
    if ((c == 0xE0 && second < 0xA0) || (c == 0xED && second > 0x9F) ||
        (c == 0xF0 && second < 0x90) || (c == 0xF4 && second > 0x8F)) {
      return false;
    }
    i += len;
  }
  return true;
}

TextEncoding GuessAnsiCodePage(std::string_view text) {
  std::size_t high = 0, ascii_letters = 0;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0xC0) {
      ++high;
    } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
      ++ascii_letters;
    }
  }
  // Machine names and English counter names are ASCII even in Russian logs, but localized
  // object and counter names make Cyrillic letters a large share; Spanish or French text
  // rarely has more than one accented letter in ten.
  return high * 3 > ascii_letters ? TextEncoding::kCp1251 : TextEncoding::kCp1252;
}

Result<std::string> ToUtf8(std::string_view text, TextEncoding from) {
  if (from == TextEncoding::kUtf8) return std::string(text);
  const char* name = from == TextEncoding::kUtf16Le  ? "UTF-16LE"
                     : from == TextEncoding::kCp1251 ? "CP1251"
                                                     : "CP1252";
  iconv_t cd = ::iconv_open("UTF-8", name);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return Status::IoError(std::string("iconv cannot convert from ") + name);
  }
  std::string out;
  out.resize(text.size() * 2 + 16);
  char* in_ptr = const_cast<char*>(text.data());
  std::size_t in_left = text.size();
  char* out_ptr = out.data();
  std::size_t out_left = out.size();
  while (in_left > 0) {
    const std::size_t rc = ::iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    if (rc != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) {
      const std::size_t used = out.size() - out_left;
      out.resize(out.size() * 2);
      out_ptr = out.data() + used;
      out_left = out.size() - used;
      continue;
    }
    const std::size_t offset = text.size() - in_left;
    ::iconv_close(cd);
    return Status::ParseError("invalid " + std::string(TextEncodingName(from)) + " text at byte " +
                              std::to_string(offset));
  }
  ::iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

}  // namespace perfleak::csv
