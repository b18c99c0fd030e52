#include "csv/pdh_header.h"

#include <charconv>

namespace perfleak::csv {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

PdhHeaderCell ParsePdhHeaderCell(std::string_view cell) {
  PdhHeaderCell out;
  std::string_view rest = Trim(cell);
  for (std::string_view prefix :
       {std::string_view("(PDH-CSV 4.0)"), std::string_view("(PDH-TSV 4.0)")}) {
    if (rest.substr(0, prefix.size()) == prefix) {
      out.has_prefix = true;
      out.tsv_prefix = prefix[5] == 'T';
      rest = Trim(rest.substr(prefix.size()));
      break;
    }
  }
  if (rest.empty()) return out;
  // The bias is the last parenthesised group when it holds an integer.
  std::string_view name_part = rest;
  if (rest.back() == ')') {
    const auto open = rest.rfind('(');
    if (open != std::string_view::npos) {
      std::string_view digits = rest.substr(open + 1, rest.size() - open - 2);
      std::int32_t bias = 0;
      const char* first = digits.data();
      const char* last = digits.data() + digits.size();
      if (!digits.empty() && digits.front() == '+') ++first;
      auto [ptr, ec] = std::from_chars(first, last, bias);
      // Real biases lie within +-14 h; anything else is not a bias.
      if (ec == std::errc() && ptr == last && first != last && bias >= -14 * 60 &&
          bias <= 14 * 60) {
        out.bias_minutes = bias;
        out.has_bias = true;
        name_part = Trim(rest.substr(0, open));
      }
    }
  }
  if (!name_part.empty() && name_part.front() == '(') {
    name_part.remove_prefix(1);
    if (!name_part.empty() && name_part.back() == ')') name_part.remove_suffix(1);
  }
  out.zone_name = std::string(name_part);
  return out;
}

}  // namespace perfleak::csv
