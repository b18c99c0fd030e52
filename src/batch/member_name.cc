#include "batch/member_name.h"

#include <array>
#include <cstdint>

namespace perfleak::internal {

namespace {

// Length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF), or 0.
std::size_t Utf8SequenceLength(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(s[i]); };
  const std::uint8_t b0 = byte(0);
  if (b0 < 0x80) return 1;
  std::size_t n = 0;
  std::uint8_t lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < n || byte(1) < lo || byte(1) > hi) return 0;
  for (std::size_t i = 2; i < n; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return n;
}

}  // namespace

std::string ShowMemberName(std::string_view name) {
  while (name.starts_with("/") || name.starts_with("./"))
    name.remove_prefix(name[0] == '/' ? 1 : 2);
  std::string out;
  out.reserve(name.size());
  while (!name.empty()) {
    const std::size_t n = Utf8SequenceLength(name);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      name.remove_prefix(1);
      continue;
    }
    const auto c = static_cast<unsigned char>(name[0]);
    if (n == 1 && (c < 0x20 || c == 0x7F)) {
      out += '?';
    } else if (n == 2 && c == 0xC2 && static_cast<unsigned char>(name[1]) < 0xA0) {
      out += '?';  // C1 controls (U+0080..U+009F) act on terminals too
    } else {
      out.append(name.substr(0, n));
    }
    name.remove_prefix(n);
  }
  return out.empty() ? std::string("(unnamed)") : out;
}

std::string MemberPath(std::string_view archive_path, std::string_view raw_member_name) {
  return std::string(archive_path) + "!/" + ShowMemberName(raw_member_name);
}

std::string CompressedFileMemberName(std::string_view archive_path) {
  std::string_view base = archive_path.substr(archive_path.find_last_of('/') + 1);
  static constexpr std::array<std::string_view, 6> kSuffixes = {".gz", ".bz2", ".xz",
                                                                ".GZ", ".BZ2", ".XZ"};
  for (std::string_view suffix : kSuffixes) {
    if (base.size() > suffix.size() && base.ends_with(suffix)) {
      return std::string(base.substr(0, base.size() - suffix.size()));
    }
  }
  return std::string(base) + ".data";
}

}  // namespace perfleak::internal
