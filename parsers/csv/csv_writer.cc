#include <algorithm>
#include <charconv>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "common/parallel_for_internal.h"
#include "perfleak/time_format.h"
#include "perfleak/writer.h"

namespace perfleak {

namespace {

// Writes value's PDH text at p (room for 32 chars) and returns its end.
char* FormatPdhNumberTo(double value, char* p) {
  if (std::isnan(value)) {
    *p = ' ';
    return p + 1;
  }
  // Integral values up to 2^63 print as integers, as PDH prints raw counts.
  if (std::fabs(value) < 9.2e18 && value == std::trunc(value)) {
    return std::to_chars(p, p + 32, static_cast<long long>(value)).ptr;
  }
  return std::to_chars(p, p + 32, value).ptr;
}

void AppendQuoted(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string HeaderLine(const CounterLog& log, char delim, std::string_view eol) {
  std::string header = delim == '\t' ? "(PDH-TSV 4.0)" : "(PDH-CSV 4.0)";
  if (!log.time_zone.name.empty() || log.time_zone.has_bias) {
    header += " (" + log.time_zone.name + ")";
    if (log.time_zone.has_bias) header += "(" + std::to_string(log.time_zone.bias_minutes) + ")";
  }
  std::string line;
  AppendQuoted(line, header);
  for (const CounterPath& path : log.paths) {
    line += delim;
    AppendQuoted(line, path.ToString());
  }
  line += eol;
  return line;
}

// Appends rows [begin, end) to out: cells are formatted in place, no string per cell. The
// block is first copied out of the columns row by row: reading one row across thousands of
// columns touches a page per column, and the TLB misses cost more than the formatting.
void AppendRows(const CounterLog& log, std::size_t begin, std::size_t end, char delim,
                std::string_view eol, std::string* out) {
  constexpr std::size_t kMaxCell = 36;  // delimiter, quotes and 32 chars of number
  const std::size_t width = log.columns.size(), height = end - begin;
  thread_local std::vector<double> rows;
  rows.resize(width * height);
  for (std::size_t c = 0; c < width; ++c) {
    const double* column = log.columns[c].data() + begin;
    for (std::size_t r = 0; r < height; ++r) rows[r * width + c] = column[r];
  }
  for (std::size_t r = 0; r < height; ++r) {
    AppendQuoted(*out, FormatPdhTimestamp(log.time_local[begin + r]));
    const std::size_t used = out->size();
    out->resize(used + width * kMaxCell + eol.size());
    char* p = out->data() + used;
    for (const double value : std::span<const double>(rows).subspan(r * width, width)) {
      *p++ = delim;
      *p++ = '"';
      p = FormatPdhNumberTo(value, p);
      *p++ = '"';
    }
    p = std::copy(eol.begin(), eol.end(), p);
    out->resize(static_cast<std::size_t>(p - out->data()));
  }
}

}  // namespace

std::string FormatPdhNumber(double value) {
  char buf[32];
  return std::string(buf, FormatPdhNumberTo(value, buf));
}

// Rows are formatted in blocks of about 2 MB of text, one block per thread at a time, and
// written in order: formatting is what costs (a .blg converts at the reader's speed only when
// every core formats), and the blocks bound the memory to a few MB per thread.
Status WritePdhText(const CounterLog& log, std::ostream& out, const WriteOptions& options) {
  const char delim = options.delimiter;
  const std::string_view eol = options.crlf ? "\r\n" : "\n";
  out << HeaderLine(log, delim, eol);
  const std::size_t rows = log.num_samples();
  const std::size_t row_bytes = 32 + log.columns.size() * 12;
  const std::size_t rows_per_block = std::max<std::size_t>(1, (2u << 20) / row_bytes);
  const std::size_t threads = internal::WorkerCount(options.num_threads);
  std::vector<std::string> blocks(std::min(threads, rows / rows_per_block + 1));
  for (std::size_t first = 0; first < rows; first += blocks.size() * rows_per_block) {
    const Status formatted =
        internal::ParallelFor(blocks.size(), blocks.size(), [&](std::size_t k) {
          const std::size_t begin = std::min(rows, first + k * rows_per_block);
          blocks[k].clear();
          AppendRows(log, begin, std::min(rows, begin + rows_per_block), delim, eol, &blocks[k]);
        });
    if (!formatted.ok()) return formatted;
    for (const std::string& block : blocks)
      out.write(block.data(), static_cast<std::streamsize>(block.size()));
    if (!out) return Status::IoError("write failed after " + std::to_string(first) + " rows");
  }
  out.flush();
  if (!out) return Status::IoError("write failed");
  return Status::OK();
}

}  // namespace perfleak
