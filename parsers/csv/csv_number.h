// Decoding of the plain decimals PDH writes (`123456`, `-3`, `12.345678901234567`) while the
// field is being scanned. std::from_chars was the largest single cost of reading a wide log;
// almost every cell is a short integer or decimal that needs neither its generality nor a call.
#pragma once

#include <fast_float/fast_float.h>

#include <cstddef>
#include <cstdint>

namespace perfleak::csv {

namespace decimal_detail {

// Powers of ten that a double holds exactly: with a mantissa below 2^53 one IEEE division by
// one of these is correctly rounded (Clinger's fast path).
inline constexpr double kExactPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
inline constexpr std::uint64_t kMaxExactMantissa = std::uint64_t{1} << 53;
// Beyond this many characters the general parser decides: it is the one that knows when a
// value underflows (a long run of fraction zeros), which this path must not guess.
inline constexpr std::ptrdiff_t kMaxPlainDecimalChars = 64;

inline bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

// Appends the digits at `p` to `*mantissa` (wrapping past 19 digits) and returns the first
// non-digit. Eight at a time while eight bytes are readable: the digit-by-digit loop is one
// long dependency chain, and its exit branch mispredicts on every cell of varying width.
inline const char* GatherDigits(const char* p, const char* limit, std::uint64_t* mantissa) {
  std::uint64_t m = *mantissa;
  while (limit - p >= 8 && fast_float::is_made_of_eight_digits_fast(p)) {
    m = m * 100'000'000 + fast_float::parse_eight_digits_unrolled(p);
    p += 8;
  }
  while (IsDigit(*p)) m = m * 10 + static_cast<std::uint64_t>(*p++ - '0');
  *mantissa = m;
  return p;
}

// Up to 19 digits already gathered into `mantissa`: fast_float's Eisel-Lemire step on them,
// without reading the text again: the steps fast_float::from_chars takes after its own digit
// scan. False in the rare cases that need the digits themselves.
inline bool MantissaToDouble(bool negative, std::uint64_t mantissa, std::int64_t exponent10,
                             double* out) {
  using Format = fast_float::binary_format<double>;
  const fast_float::adjusted_mantissa am = fast_float::compute_float<Format>(exponent10, mantissa);
  if (am.power2 < 0) return false;
  double value = 0;
  fast_float::to_float(negative, am, value);
  *out = value;
  return true;
}

// Any length: fast_float's complete parser. Out of line: inlined into the field loop it made
// g++ spill and reload the exponent through a mismatched store, a store-forwarding stall on
// every long decimal.
[[gnu::noinline]] inline bool ParseLongDecimal(const char* first, const char* last, double* out) {
  double value = 0;
  const auto result = fast_float::from_chars(first, last, value);
  if (result.ec != std::errc() || result.ptr != last) return false;
  *out = value;
  return true;
}

}  // namespace decimal_detail

/// Decodes a plain decimal, `-?[0-9]+(\.[0-9]+)?`, starting at `p` and ending right before a
/// `terminator` byte. Returns the terminator's address and stores the value, bit-identical to
/// std::from_chars (both correctly rounded); returns nullptr, storing nothing, for any other
/// spelling (`+`, exponents, `.5`, `5.`, spaces, `1.#INF`, `nan`, over 64 characters), which
/// the caller hands to the general parser.
/// Preconditions: [p, limit) is readable, and a byte that is not a digit, '-' or '.' follows
/// `p` before `limit` (a line ends in '\n'), so no scan runs past the buffer.
inline const char* ParsePlainDecimal(const char* p, const char* limit, char terminator,
                                     double* out) {
  using decimal_detail::GatherDigits;
  const char* const first = p;
  const bool negative = *p == '-';
  if (negative) ++p;
  const char* const digits = p;
  // Wraps for more than 19 digits; such numbers take fast_float below, which re-reads them.
  std::uint64_t mantissa = 0;
  p = GatherDigits(p, limit, &mantissa);
  if (p == digits) return nullptr;
  std::ptrdiff_t fraction_digits = 0;
  if (*p == '.') {
    const char* const fraction = ++p;
    p = GatherDigits(p, limit, &mantissa);
    fraction_digits = p - fraction;
    if (fraction_digits == 0) return nullptr;
  }
  if (*p != terminator) return nullptr;
  const std::ptrdiff_t significant = (p - digits) - (fraction_digits > 0 ? 1 : 0);
  if (significant <= 19) {
    if (mantissa <= decimal_detail::kMaxExactMantissa && fraction_digits <= 22) {
      double value = static_cast<double>(mantissa);
      if (fraction_digits > 0) value /= decimal_detail::kExactPowersOfTen[fraction_digits];
      *out = negative ? -value : value;
      return p;
    }
    // 17-significant-digit values (percentages) land here; still correctly rounded.
    if (decimal_detail::MantissaToDouble(negative, mantissa, -fraction_digits, out)) return p;
  }
  if (p - first > decimal_detail::kMaxPlainDecimalChars) return nullptr;
  if (!decimal_detail::ParseLongDecimal(first, p, out)) return nullptr;
  return p;
}

}  // namespace perfleak::csv
