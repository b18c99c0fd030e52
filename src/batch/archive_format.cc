#include "batch/archive_format.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace perfleak::internal {

namespace {

bool StartsWith(std::span<const std::byte> head, std::string_view magic, std::size_t at = 0) {
  if (head.size() < at + magic.size()) return false;
  return std::equal(magic.begin(), magic.end(), head.begin() + static_cast<std::ptrdiff_t>(at),
                    [](char m, std::byte b) { return static_cast<std::byte>(m) == b; });
}

}  // namespace

bool LooksLikeArchive(std::span<const std::byte> head) {
  using namespace std::string_view_literals;
  static constexpr std::array kMagics = {
      "PK\x03\x04"sv,          // zip, first local file header
      "PK\x05\x06"sv,          // zip, empty (only the end of central directory)
      "PK\x07\x08"sv,          // zip, spanned marker
      "MSCF\0\0\0\0"sv,        // Microsoft cabinet
      "7z\xBC\xAF\x27\x1C"sv,  // 7-Zip
      "\x1F\x8B"sv,            // gzip
      "BZh"sv,                 // bzip2
      "\xFD"
      "7zXZ\0"sv,  // xz
  };
  for (std::string_view magic : kMagics) {
    if (StartsWith(head, magic)) return true;
  }
  return StartsWith(head, "ustar", 257);  // POSIX and GNU tar
}

bool LooksLikeCompressedStream(std::span<const std::byte> head) {
  using namespace std::string_view_literals;
  return StartsWith(head, "\x1F\x8B"sv) || StartsWith(head, "BZh"sv) ||
         StartsWith(head,
                    "\xFD"
                    "7zXZ\0"sv);
}

}  // namespace perfleak::internal
