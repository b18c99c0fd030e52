#include <charconv>
#include <cmath>
#include <string>

#include "perfleak/time_format.h"
#include "perfleak/writer.h"

namespace perfleak {

std::string FormatPdhNumber(double value) {
  if (std::isnan(value)) return " ";
  char buf[64];
  // Integral values up to 2^63 print as integers, as PDH prints raw counts.
  if (std::fabs(value) < 9.2e18 && value == std::trunc(value)) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(value));
    return std::string(buf, end);
  }
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, end);
}

namespace {

void AppendQuoted(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

Status WritePdhText(const CounterLog& log, std::ostream& out, const WriteOptions& options) {
  const char delim = options.delimiter;
  const char* eol = options.crlf ? "\r\n" : "\n";
  std::string line;
  std::string header = delim == '\t' ? "(PDH-TSV 4.0)" : "(PDH-CSV 4.0)";
  if (!log.time_zone.name.empty() || log.time_zone.has_bias) {
    header += " (" + log.time_zone.name + ")";
    if (log.time_zone.has_bias) header += "(" + std::to_string(log.time_zone.bias_minutes) + ")";
  }
  AppendQuoted(line, header);
  for (const CounterPath& path : log.paths) {
    line += delim;
    AppendQuoted(line, path.ToString());
  }
  line += eol;
  out << line;
  for (std::size_t sample_idx = 0; sample_idx < log.num_samples(); ++sample_idx) {
    line.clear();
    AppendQuoted(line, FormatPdhTimestamp(log.time_local[sample_idx]));
    for (const auto& column : log.columns) {
      line += delim;
      line += '"';
      line += FormatPdhNumber(column[sample_idx]);
      line += '"';
    }
    line += eol;
    out << line;
    if (!out) return Status::IoError("write failed after " + std::to_string(sample_idx) + " rows");
  }
  out.flush();
  if (!out) return Status::IoError("write failed");
  return Status::OK();
}

}  // namespace perfleak
