#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
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

// A block of formatted rows. Its buffer is sized for the longest possible text and reused, not
// a std::string: growing a string zero-fills it, and at 36 bytes of room per cell that was
// 2.8 GB of memset for a 1 GB .blg.
struct TextBlock {
  std::unique_ptr<char[]> data;
  std::size_t capacity = 0, size = 0;

  char* Reserve(std::size_t bytes) {
    if (bytes > capacity) {
      data = std::make_unique_for_overwrite<char[]>(bytes);
      capacity = bytes;
    }
    return data.get();
  }
};

// Formats rows [begin, end) into `out`: cells are formatted in place, no string per cell. The
// block is first copied out of the columns row by row: reading one row across thousands of
// columns touches a page per column, and the TLB misses cost more than the formatting.
void FormatRows(const CounterLog& log, std::size_t begin, std::size_t end, char delim,
                std::string_view eol, TextBlock* out) {
  constexpr std::size_t kMaxCell = 36;  // delimiter, quotes and 32 chars of number
  constexpr std::size_t kMaxTime = 64;  // a quoted PDH timestamp (25 bytes)
  const std::size_t width = log.columns.size(), height = end - begin;
  thread_local std::vector<double> rows;
  rows.resize(width * height);
  for (std::size_t c = 0; c < width; ++c) {
    const double* column = log.columns[c].data() + begin;
    for (std::size_t r = 0; r < height; ++r) rows[r * width + c] = column[r];
  }
  char* const first = out->Reserve(height * (kMaxTime + width * kMaxCell + eol.size()));
  char* p = first;
  for (std::size_t r = 0; r < height; ++r) {
    const std::string time = FormatPdhTimestamp(log.time_local[begin + r]);
    *p++ = '"';
    p = std::copy(time.begin(), time.end(), p);
    *p++ = '"';
    for (const double value : std::span<const double>(rows).subspan(r * width, width)) {
      *p++ = delim;
      *p++ = '"';
      p = FormatPdhNumberTo(value, p);
      *p++ = '"';
    }
    p = std::copy(eol.begin(), eol.end(), p);
  }
  out->size = static_cast<std::size_t>(p - first);
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
  std::vector<TextBlock> blocks(std::min(threads, rows / rows_per_block + 1));
  for (std::size_t first = 0; first < rows; first += blocks.size() * rows_per_block) {
    const Status formatted =
        internal::ParallelFor(blocks.size(), blocks.size(), [&](std::size_t k) {
          const std::size_t begin = std::min(rows, first + k * rows_per_block);
          FormatRows(log, begin, std::min(rows, begin + rows_per_block), delim, eol, &blocks[k]);
        });
    if (!formatted.ok()) return formatted;
    for (const TextBlock& block : blocks)
      out.write(block.data.get(), static_cast<std::streamsize>(block.size));
    if (!out) return Status::IoError("write failed after " + std::to_string(first) + " rows");
  }
  out.flush();
  if (!out) return Status::IoError("write failed");
  return Status::OK();
}

}  // namespace perfleak
