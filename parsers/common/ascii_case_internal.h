// ASCII letter-case folding: how perfleak compares counter, object, machine and process names
// (PDH itself ignores case; non-ASCII letters of localized names are compared as written).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace perfleak {

/// 'A'..'Z' to 'a'..'z'; every other byte (UTF-8 included) unchanged.
constexpr char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// `s` with its ASCII letters lowered.
inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

/// Equal ignoring ASCII letter case.
inline bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return AsciiLower(x) == AsciiLower(y);
         });
}

}  // namespace perfleak
