#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/parallel_for_internal.h"
#include "common/row_source_internal.h"
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

// The rows of a log held in columns. Each block is copied out of the columns row by row:
// reading one row across thousands of columns touches a page per column, and the TLB misses
// cost more than the formatting.
class ColumnRows final : public internal::RowSource {
 public:
  explicit ColumnRows(const CounterLog& log) : log_(log) {}
  const CounterLog& header() const override { return log_; }
  Status BeginRows(std::size_t) override { return Status::OK(); }
  Status FillRows(std::size_t, std::size_t begin, std::size_t end,
                  std::span<double> values) override {
    const std::size_t width = log_.columns.size();
    for (std::size_t c = 0; c < width; ++c) {
      const double* column = log_.columns[c].data() + begin;
      for (std::size_t r = 0; r < end - begin; ++r) values[r * width + c] = column[r];
    }
    return Status::OK();
  }

 private:
  const CounterLog& log_;
};

// Formats rows [begin, end) of `log`, whose values are `rows` (row-major), into `out`: cells
// are formatted in place, no string per cell.
void FormatRows(const CounterLog& log, std::span<const double> rows, std::size_t begin,
                std::size_t end, char delim, std::string_view eol, TextBlock* out) {
  constexpr std::size_t kMaxCell = 36;  // delimiter, quotes and 32 chars of number
  constexpr std::size_t kMaxTime = 64;  // a quoted PDH timestamp (25 bytes)
  const std::size_t width = log.paths.size(), height = end - begin;
  char* const first = out->Reserve(height * (kMaxTime + width * kMaxCell + eol.size()));
  char* p = first;
  for (std::size_t r = 0; r < height; ++r) {
    const std::string time = FormatPdhTimestamp(log.time_local[begin + r]);
    *p++ = '"';
    p = std::copy(time.begin(), time.end(), p);
    *p++ = '"';
    for (const double value : rows.subspan(r * width, width)) {
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

Status WritePdhText(const CounterLog& log, std::ostream& out, const WriteOptions& options) {
  ColumnRows rows(log);
  return internal::WritePdhRows(rows, out, options);
}

namespace internal {

std::unique_ptr<RowSource> RowsOfLog(const CounterLog& log) {
  return std::make_unique<ColumnRows>(log);
}

// Rows are formatted in blocks of about 2 MB of text, one block per thread at a time, and
// written in order: formatting is what costs (a .blg converts at the reader's speed only when
// every core formats), and the blocks bound the memory to a few MB per thread.
Status WritePdhRows(RowSource& source, std::ostream& out, const WriteOptions& options,
                    std::size_t rows_per_block) {
  const CounterLog& log = source.header();
  const char delim = options.delimiter;
  const std::string_view eol = options.crlf ? "\r\n" : "\n";
  out << HeaderLine(log, delim, eol);
  const std::size_t rows = log.time_local.size(), width = log.paths.size();
  if (rows_per_block == 0)
    rows_per_block = std::max<std::size_t>(1, (2u << 20) / (32 + width * 12));
  const std::size_t threads = WorkerCount(options.num_threads);
  const std::size_t slots = std::min(threads, rows / rows_per_block + 1);
  std::vector<TextBlock> blocks(slots);
  std::vector<std::vector<double>> values(slots);
  PERFLEAK_RETURN_NOT_OK(source.BeginRows(slots));
  for (std::size_t first = 0; first < rows; first += slots * rows_per_block) {
    std::vector<Status> filled(slots);
    const Status formatted = ParallelFor(slots, slots, [&](std::size_t k) {
      const std::size_t begin = std::min(rows, first + k * rows_per_block);
      const std::size_t end = std::min(rows, begin + rows_per_block);
      blocks[k].size = 0;
      if (begin == end) return;  // past the last row
      values[k].resize((end - begin) * width);
      filled[k] = source.FillRows(k, begin, end, values[k]);
      if (filled[k].ok()) FormatRows(log, values[k], begin, end, delim, eol, &blocks[k]);
    });
    PERFLEAK_RETURN_NOT_OK(formatted);
    for (std::size_t k = 0; k < slots; ++k) {
      PERFLEAK_RETURN_NOT_OK(filled[k]);
      out.write(blocks[k].data.get(), static_cast<std::streamsize>(blocks[k].size));
    }
    if (!out) return Status::IoError("write failed after " + std::to_string(first) + " rows");
  }
  out.flush();
  if (!out) return Status::IoError("write failed");
  return Status::OK();
}

}  // namespace internal

}  // namespace perfleak
