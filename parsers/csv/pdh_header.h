// The first cell of a PDH text log: `(PDH-CSV 4.0) (<zone name>)(<bias minutes>)`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace perfleak::csv {

struct PdhHeaderCell {
  bool has_prefix = false;  ///< `(PDH-CSV 4.0)` or `(PDH-TSV 4.0)` present
  bool tsv_prefix = false;
  std::string zone_name;
  std::int32_t bias_minutes = 0;
  bool has_bias = false;
};

/// Tolerates every form seen in real logs: the full cell, the TSV prefix, a missing zone
/// (typeperf), a zone damaged by code-page conversion (`(RTZ 2 (`) and a missing prefix.
PdhHeaderCell ParsePdhHeaderCell(std::string_view cell);

}  // namespace perfleak::csv
