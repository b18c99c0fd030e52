// Bounds-checked little-endian reads over an untrusted byte span, and UTF-16LE decoding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>

namespace perfleak::blg {

/// A view of untrusted bytes. Every read states its offset and fails (nullopt) instead of
/// touching memory outside the span, so a lying length field can never read out of bounds.
class ByteView {
 public:
  ByteView() = default;
  explicit ByteView(std::span<const std::byte> bytes) : bytes_(bytes) {}

  std::size_t size() const { return bytes_.size(); }
  std::span<const std::byte> span() const { return bytes_; }
  bool Has(std::size_t offset, std::size_t length) const {
    return offset <= bytes_.size() && length <= bytes_.size() - offset;
  }
  /// The sub-view [offset, offset + length), or an empty view when out of bounds.
  std::optional<ByteView> Sub(std::size_t offset, std::size_t length) const {
    if (!Has(offset, length)) return std::nullopt;
    return ByteView(bytes_.subspan(offset, length));
  }

  template <typename T>
  std::optional<T> Load(std::size_t offset) const {
    static_assert(std::is_integral_v<T>);
    if (!Has(offset, sizeof(T))) return std::nullopt;
    // memcpy + explicit little-endian decode: the data is unaligned and from another machine.
    unsigned char raw[sizeof(T)];
    std::memcpy(raw, bytes_.data() + offset, sizeof(T));
    std::uint64_t value = 0;
    for (std::size_t i = sizeof(T); i-- > 0;) value = (value << 8) | raw[i];
    return static_cast<T>(value);
  }
  /// Unchecked variants for offsets already validated with Has().
  template <typename T>
  T At(std::size_t offset) const {
    return Load<T>(offset).value_or(T{});
  }

  /// UTF-16LE text starting at `offset`, up to a NUL or `max_units` code units or the end of
  /// the view, converted to UTF-8 (unpaired surrogates become U+FFFD).
  std::string Utf16At(std::size_t offset, std::size_t max_units = SIZE_MAX) const;

 private:
  std::span<const std::byte> bytes_;
};

/// Appends the UTF-8 encoding of `code_point` to `out`.
void AppendUtf8(std::string& out, std::uint32_t code_point);

}  // namespace perfleak::blg
