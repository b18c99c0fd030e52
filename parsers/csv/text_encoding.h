// Text encodings of PDH logs: UTF-8 (with or without BOM), UTF-16LE with BOM, ANSI code pages.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "perfleak/status.h"

namespace perfleak::csv {

enum class TextEncoding : std::uint8_t { kUtf8, kUtf16Le, kCp1252, kCp1251 };

/// "utf-8", "utf-16le", "cp1252", "cp1251".
const char* TextEncodingName(TextEncoding encoding);

/// The byte-order mark at the start, if any, and its size.
struct BomInfo {
  TextEncoding encoding = TextEncoding::kUtf8;
  std::size_t size = 0;
};
BomInfo DetectBom(std::span<const std::byte> data);

/// True when `text` is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

/// Picks the ANSI code page of text that is not valid UTF-8: Cyrillic text is mostly high
/// bytes (cp1251), West-European text has isolated accented letters among ASCII (cp1252).
TextEncoding GuessAnsiCodePage(std::string_view text);

/// Converts `text` from `from` to UTF-8 with glibc iconv. kParseError (with the byte offset)
/// for input that is not valid in `from`.
Result<std::string> ToUtf8(std::string_view text, TextEncoding from);

}  // namespace perfleak::csv
