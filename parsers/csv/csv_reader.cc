// PDH-CSV / PDH-TSV reader. Stage 1 counts the lines of per-thread byte ranges so every row has
// its slot; stage 2 reads each range line by line straight into the final column slots: a
// one-scan fast path for the usual all-quoted line of plain decimals, and the general
// tokenizer with std::from_chars for every other line. A mapped file's ranges are scanned
// through windows copied out of it (pread into a reused buffer), not through the mapping.
#include "csv/csv_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "common/counter_pattern_set.h"
#include "common/parallel_for_internal.h"
#include "common/time_zone_internal.h"
#include "csv/csv_number.h"
#include "csv/csv_tokenizer.h"
#include "csv/pdh_header.h"
#include "csv/text_encoding.h"
#include "perfleak/counter_path.h"
#include "perfleak/time_format.h"

namespace perfleak::csv {

namespace {

constexpr std::size_t kMaxRowWarnings = 20;
constexpr std::size_t kParallelThresholdBytes = 4u << 20;

std::string_view AsText(std::span<const std::byte> data) {
  return {reinterpret_cast<const char*>(data.data()), data.size()};
}

std::string Excerpt(std::string_view text, std::size_t max = 80) {
  std::string out;
  for (char c : text.substr(0, max)) out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
  if (text.size() > max) out += "...";
  return out;
}

std::string FormatGib(double gib) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", gib);
  return buf;
}

// Skips blank lines; returns the offset of the first non-blank line and counts the skipped.
std::size_t SkipBlankLines(std::string_view text, std::size_t* lines_skipped) {
  std::size_t pos = 0;
  *lines_skipped = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, eol == std::string_view::npos ? text.size() - pos : eol - pos);
    if (!StripCr(line).empty()) break;
    if (eol == std::string_view::npos) return text.size();
    pos = eol + 1;
    ++*lines_skipped;
  }
  return pos;
}

// MSVC's spellings of infinity and NaN (`1.#INF`, `-1.#IND`, `1.#QNAN`, with printf's
// trailing zeros: `1.#INF00`), which old PDH builds write for a counter with no value.
bool IsMsvcNonFinite(std::string_view s) {
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  if (s.substr(0, 3) != "1.#") return false;
  s.remove_prefix(3);
  std::size_t letters = 0;
  for (std::string_view word : {"INF", "IND", "QNAN", "SNAN"}) {
    if (s.substr(0, word.size()) == word) letters = word.size();
  }
  if (letters == 0) return false;
  return s.find_first_not_of('0', letters) == std::string_view::npos;
}

enum class CellValue : std::uint8_t {
  kBad,            // not a number: the row is malformed
  kNumber,         // a sample, or blank / a spelling of infinity or NaN (missing by design)
  kReadAsMissing,  // written as a number but kept as missing: out of range, an odd `.#`
};

// Numbers as PDH prints them, plus the missing-value forms: `" "`, empty, and the MSVC
// spellings of NaN and infinity, none of which is a sample. One leading `+` is allowed, a sign
// after it (`+-5`) is not. Cells that look like numbers but cannot be kept (`1e400`, `1e-400`,
// `1.#J`) are missing, and the caller counts them: they are not what the writer meant.
CellValue ParseValue(std::string_view s, double* out) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  *out = kMissing;
  if (s.empty() || IsMsvcNonFinite(s)) return CellValue::kNumber;
  if (s.front() == '+') {
    s.remove_prefix(1);
    if (s.empty() || s.front() == '-' || s.front() == '+') return CellValue::kBad;
  }
  double value = 0.0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec == std::errc::result_out_of_range) return CellValue::kReadAsMissing;
  if (ec == std::errc() && ptr == s.data() + s.size()) {
    // `inf`, `-nan(ind)` (newer MSVC): a writer's spelling of "no value", like 1.#INF.
    if (std::isfinite(value)) *out = value;
    return CellValue::kNumber;
  }
  if (s.find(".#") != std::string_view::npos) return CellValue::kReadAsMissing;
  return CellValue::kBad;
}

struct RowProblem {
  std::size_t line = 0;
  std::size_t byte_offset = 0;
  std::string message;
  std::string row;  // excerpt of the offending line
  bool limit = false;
};

enum class RowState : std::uint8_t { kOk, kBlank, kBad };

struct Chunk {
  std::size_t begin = 0, end = 0;  // byte range in the data region, whole lines
  std::size_t first_line = 0;      // 1-based line number of its first line
  std::size_t first_row = 0;       // slot of its first line in the output columns
  std::size_t lines = 0;
  std::optional<RowProblem> error;
  std::vector<RowProblem> skipped;
  std::size_t skipped_count = 0;
  std::size_t read_as_missing = 0;         // cells of good rows counted by CellValue
  std::optional<RowProblem> first_odd;     // the first of them
  std::optional<RowProblem> partial_last;  // the file's last line, cut short
  bool unreadable = false;                 // a copy of its bytes failed (the file shrank)
};

// memchr rather than std::count: lines of a wide log are tens of KB, and memchr's vector loop
// runs several times faster than the byte count g++ makes of std::count.
std::size_t CountLineEnds(std::string_view text) {
  std::size_t n = 0;
  const char* p = text.data();
  const char* const end = p + text.size();
  while (const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p))) {
    ++n;
    p = static_cast<const char*>(nl) + 1;
  }
  return n;
}

// The lines of `text`: its line ends, plus a last line without one.
std::size_t CountLines(std::string_view text) {
  return CountLineEnds(text) + (!text.empty() && text.back() != '\n' ? 1 : 0);
}

std::span<std::byte> AsBytes(std::vector<char>& buffer, std::size_t from, std::size_t size) {
  return std::as_writable_bytes(std::span(buffer)).subspan(from, size);
}

class PdhTextReader {
 public:
  PdhTextReader(std::string_view name, const ReadOptions& options,
                const internal::InputCopier& copy, std::size_t copy_window)
      : name_(name),
        options_(options),
        copy_(copy),
        copy_window_(std::max<std::size_t>(copy_window, 1)) {}

  Result<CounterLog> Read(std::span<const std::byte> data);

 private:
  Status DecodeText(std::span<const std::byte> data);
  Status ParseHeader();
  // The end of the first `rows` lines after the header (ReadOptions::max_samples).
  std::size_t EndOfRows(std::size_t rows) const;
  // Read's steps, in order.
  std::vector<Chunk> SplitChunks() const;
  template <class F>
  Status ForEachChunk(std::vector<Chunk>& chunks, F&& fn) const;
  Result<std::size_t> CountRows(std::vector<Chunk>& chunks);
  // True when the text is scanned through copied windows (copy_ set, 8-bit text).
  bool CopiesText() const { return copy_ && owned_text_.empty(); }
  // Copies text_[offset, offset + size) into buffer[from...]; false (and the chunk marked
  // unreadable) when the file no longer holds those bytes.
  bool CopyText(std::size_t offset, std::size_t size, std::vector<char>& buffer, std::size_t from,
                Chunk* chunk) const;
  void CountChunkCopied(Chunk* chunk) const;
  Status CheckReadable(const std::vector<Chunk>& chunks) const;
  Status AllocateColumns(std::vector<Chunk>& chunks, std::size_t rows);
  Status ReportRowProblems(const std::vector<Chunk>& chunks);
  void CompactRows();
  void ParseChunk(Chunk* chunk);
  void ParseChunkCopied(Chunk* chunk);
  // Parses the chunk's lines in [begin, end), which hold its lines from *line_idx on and start
  // at text offset `offset`; a line is cut at `end` only at the chunk's end. Returns false
  // when the chunk must stop.
  bool ParseLines(const char* begin, const char* end, std::size_t offset, std::size_t* line_idx,
                  Chunk* chunk);
  const char* ParseLineFast(const char* p, const char* limit, std::size_t row);
  // Returns false when the chunk must stop (an error under the kError policy or a cap).
  // `unterminated`: the file's last line, without a line end (a cut file).
  bool ParseLineGeneral(std::string_view line, std::size_t row, std::size_t line_no,
                        std::size_t line_offset, bool unterminated, Chunk* chunk);
  void ConvertToUtc();
  void WarnReadAsMissing(const std::vector<Chunk>& chunks);
  void WarnNoZoneRules(const std::string& iana);
  // The file's byte for `offset` (BOM included) into text_: the same for 8-bit text; UTF-16
  // text was converted to UTF-8, so its UTF-16 code units are counted up to there.
  std::size_t FileByte(std::size_t offset) const;
  // `file:line: message (byte N)`, the form of every positioned error.
  Status HeaderError(std::size_t byte_offset, const std::string& message) const {
    return Status::ParseError(name_ + ":" + std::to_string(header_line_) + ": " + message +
                              " (byte " +
                              std::to_string(FileByte(text_base_offset_ + byte_offset)) + ")");
  }

  std::string name_;
  const ReadOptions& options_;
  const internal::InputCopier& copy_;
  const std::size_t copy_window_;
  std::string owned_text_;  // UTF-16 input converted to UTF-8
  std::string_view text_;
  std::size_t text_base_offset_ = 0;  // bytes before text_ in the file (BOM)
  TextEncoding encoding_ = TextEncoding::kUtf8;
  char delimiter_ = ',';
  std::size_t header_line_ = 1;
  std::size_t data_offset_ = 0;  // offset of the data region in text_
  std::size_t num_fields_ = 0;   // fields per row, timestamp included
  std::vector<std::string> header_fields_;
  std::vector<std::int32_t> field_to_column_;  // per field: output column or -1
  std::vector<double*> field_columns_;         // per field: its column's data or nullptr
  CounterLog log_;
  std::vector<RowState> row_state_;
};

std::size_t PdhTextReader::FileByte(std::size_t offset) const {
  if (encoding_ != TextEncoding::kUtf16Le || owned_text_.empty()) return offset;
  const std::string_view before = text_.substr(0, offset - text_base_offset_);
  std::size_t units = 0;
  for (const char c : before) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) != 0x80) units += byte >= 0xF0 ? 2 : 1;  // a 4-byte sequence: a pair
  }
  return text_base_offset_ + 2 * units;
}

Status PdhTextReader::DecodeText(std::span<const std::byte> data) {
  const BomInfo bom = DetectBom(data);
  text_base_offset_ = bom.size;
  if (bom.encoding == TextEncoding::kUtf16Le) {
    encoding_ = TextEncoding::kUtf16Le;
    std::string_view raw = AsText(data.subspan(bom.size));
    if (raw.size() % 2 != 0) {
      log_.warnings.push_back(name_ +
                              ": UTF-16 text has an odd byte count; the last byte was dropped");
      raw.remove_suffix(1);
    }
    auto converted = ToUtf8(raw, TextEncoding::kUtf16Le);
    if (!converted.ok()) return Status::ParseError(name_ + ": " + converted.status().message());
    owned_text_ = std::move(converted).value();
    text_ = owned_text_;
  } else {
    text_ = AsText(data.subspan(bom.size));
  }
  return Status::OK();
}

std::size_t PdhTextReader::EndOfRows(std::size_t rows) const {
  std::size_t end = data_offset_;
  for (std::size_t k = 0; k < rows && end < text_.size(); ++k) {
    const std::size_t nl = text_.find('\n', end);
    end = nl == std::string_view::npos ? text_.size() : nl + 1;
  }
  return end;
}

Status PdhTextReader::ParseHeader() {
  std::size_t skipped = 0;
  const std::size_t start = SkipBlankLines(text_, &skipped);
  header_line_ = skipped + 1;
  if (start >= text_.size()) {
    return Status::ParseError(name_ +
                              ": holds only blank lines; hint: the file is empty or was cut");
  }
  std::size_t eol = text_.find('\n', start);
  if (eol == std::string_view::npos) eol = text_.size();
  std::string_view raw_header = StripCr(text_.substr(start, eol - start));
  data_offset_ = std::min(eol + 1, text_.size());

  std::string header_utf8;
  if (encoding_ == TextEncoding::kUtf16Le || IsValidUtf8(raw_header)) {
    header_utf8 = std::string(raw_header);
  } else {
    encoding_ = GuessAnsiCodePage(raw_header);
    auto converted = ToUtf8(raw_header, encoding_);
    if (!converted.ok()) {
      encoding_ =
          encoding_ == TextEncoding::kCp1251 ? TextEncoding::kCp1252 : TextEncoding::kCp1251;
      converted = ToUtf8(raw_header, encoding_);
    }
    if (!converted.ok()) {
      return HeaderError(start, "header is neither UTF-8 nor a known ANSI code page (" +
                                    converted.status().message() + ")");
    }
    header_utf8 = std::move(converted).value();
  }

  // The delimiter follows the first quoted cell.
  if (header_utf8.empty() || header_utf8[0] != '"') {
    return HeaderError(start, "header does not start with a quoted cell; hint: not a PDH text log");
  }
  const auto close = header_utf8.find('"', 1);
  if (close == std::string::npos) {
    return HeaderError(start, "unterminated quote in the header");
  }
  delimiter_ = (close + 1 < header_utf8.size() && header_utf8[close + 1] == '\t') ? '\t' : ',';

  std::size_t error_pos = 0;
  if (SplitLine(header_utf8, delimiter_, &header_fields_, &error_pos) != TokenizeError::kNone) {
    return HeaderError(start + error_pos, "malformed quoting in the header");
  }
  for (const std::string& f : header_fields_) {
    if (f.size() > options_.max_field_bytes) {
      return Status::LimitExceeded(name_ + ":" + std::to_string(header_line_) +
                                   ": a header cell of " + std::to_string(f.size()) +
                                   " bytes exceeds the field-size cap");
    }
  }
  num_fields_ = header_fields_.size();

  const PdhHeaderCell cell = ParsePdhHeaderCell(header_fields_[0]);
  log_.format = delimiter_ == '\t' ? LogFormat::kPdhTsv : LogFormat::kPdhCsv;
  log_.time_zone.name = cell.zone_name;
  log_.time_zone.bias_minutes = cell.bias_minutes;
  log_.time_zone.has_bias = cell.has_bias;
  if (!cell.has_prefix) {
    log_.warnings.push_back(name_ + ":" + std::to_string(header_line_) +
                            ": first header cell lacks the (PDH-CSV 4.0) prefix (\"" +
                            Excerpt(header_fields_[0]) + "\"); read as a damaged PDH text log");
  }
  if (!cell.has_bias) {
    log_.warnings.push_back(name_ + ":" + std::to_string(header_line_) +
                            ": no usable time-zone bias in header cell \"" +
                            Excerpt(header_fields_[0]) + "\"; local times are taken as UTC");
  }

  PERFLEAK_ASSIGN_OR_RETURN(const internal::CounterPatternSet patterns,
                            internal::CounterPatternSet::Parse(options_.counter_patterns));
  field_to_column_.assign(num_fields_, -1);
  for (std::size_t field_idx = 1; field_idx < num_fields_; ++field_idx) {
    auto path = CounterPath::Parse(header_fields_[field_idx]);
    if (!path.ok()) {
      log_.warnings.push_back(name_ + ":" + std::to_string(header_line_) + ": column " +
                              std::to_string(field_idx + 1) +
                              " skipped: " + path.status().message());
      continue;
    }
    if (!patterns.empty() && !patterns.Matches(*path)) continue;
    field_to_column_[field_idx] = static_cast<std::int32_t>(log_.paths.size());
    log_.paths.push_back(std::move(path).value());
  }
  if (log_.paths.size() > options_.max_counters) {
    return Status::LimitExceeded(
        name_ + ": " + std::to_string(log_.paths.size()) + " counters exceed the cap of " +
        std::to_string(options_.max_counters) + "; hint: select counters with --counters");
  }
  log_.metadata.emplace_back("encoding", TextEncodingName(encoding_));
  log_.metadata.emplace_back("header_cell", header_fields_[0]);
  return Status::OK();
}

// The common line: every field quoted, selected cells plain decimals or missing, nothing
// escaped. Tokenizing and decoding happen in one scan that also finds the line's end; any
// other shape returns nullptr and the general path reads the line again, with the same result
// or the same error as if the fast path did not exist. Returns the start of the next line.
// Precondition: a '\n' ends the line inside the text; every scan below stops at one.
const char* PdhTextReader::ParseLineFast(const char* p, const char* limit, std::size_t row) {
  auto find_quote = [limit](const char* s) { return FindQuoteOrNewline(s, limit); };
  const auto max_field = static_cast<std::ptrdiff_t>(options_.max_field_bytes);
  if (*p != '"') return nullptr;
  const char* close = find_quote(p + 1);
  if (*close != '"' || close - (p + 1) > max_field ||
      !ParsePdhTimestamp({p + 1, static_cast<std::size_t>(close - (p + 1))},
                         &log_.time_local[row])) {
    return nullptr;
  }
  p = close + 1;
  for (std::size_t field_idx = 1; field_idx < num_fields_; ++field_idx) {
    // p[0] is the delimiter, not '\n', so p[1] is inside the text; likewise after each quote.
    if (p[0] != delimiter_ || p[1] != '"') return nullptr;
    const char* const start = p + 2;
    double* const column = field_columns_[field_idx];
    if (column == nullptr) {
      close = find_quote(start);
      if (*close != '"') return nullptr;
    } else {
      double value;
      close = ParsePlainDecimal(start, limit, '"', &value);
      if (close == nullptr) {
        close = find_quote(start);
        // Cells read as missing are counted by the general path, once per line.
        if (*close != '"' || close[1] == '"' ||
            ParseValue({start, static_cast<std::size_t>(close - start)}, &value) !=
                CellValue::kNumber) {
          return nullptr;
        }
      }
      column[row] = value;
    }
    if (close[1] == '"' || close - start > max_field) return nullptr;
    p = close + 1;
  }
  if (*p == '\r') ++p;
  return *p == '\n' ? p + 1 : nullptr;
}

bool PdhTextReader::ParseLineGeneral(std::string_view line, std::size_t row, std::size_t line_no,
                                     std::size_t line_offset, bool unterminated, Chunk* chunk) {
  if (line.empty()) {
    row_state_[row] = RowState::kBlank;
    return true;
  }
  std::optional<RowProblem> problem;
  auto fail = [&](std::string message, std::size_t at, bool limit = false) {
    if (!problem) problem = RowProblem{line_no, line_offset + at, std::move(message), {}, limit};
    return false;
  };
  std::size_t fields = 0;
  std::size_t error_pos = 0;
  std::size_t odd = 0;
  std::optional<RowProblem> first_odd;
  const TokenizeError tok = TokenizeLine(
      line, delimiter_,
      [&](std::size_t field_idx, const FieldView& field) {
        fields = field_idx + 1;
        const std::size_t at = static_cast<std::size_t>(field.text.data() - line.data());
        if (field.text.size() > options_.max_field_bytes) {
          return fail("field " + std::to_string(field_idx + 1) + " is " +
                          std::to_string(field.text.size()) + " bytes, over the field-size cap",
                      at, true);
        }
        if (field_idx == 0) {
          if (!ParsePdhTimestamp(field.text, &log_.time_local[row])) {
            return fail(
                "bad timestamp \"" + Excerpt(field.text) + "\"; expected MM/DD/YYYY HH:MM:SS.mmm",
                at);
          }
          return true;
        }
        if (field_idx >= num_fields_) return true;  // counted, reported below
        double* const column = field_columns_[field_idx];
        if (column == nullptr) return true;
        const CellValue value = ParseValue(field.text, &column[row]);
        if (value == CellValue::kBad) {
          return fail("bad number \"" + Excerpt(field.text) + "\" in column \"" +
                          header_fields_[field_idx] + "\"",
                      at);
        }
        if (value == CellValue::kReadAsMissing && odd++ == 0) {
          first_odd = RowProblem{
              line_no,
              line_offset + at,
              "\"" + Excerpt(field.text) + "\" in column \"" + header_fields_[field_idx] + "\"",
              {},
              false};
        }
        return true;
      },
      &error_pos);
  if (tok == TokenizeError::kUnterminatedQuote) {
    fail("unterminated quote in field " + std::to_string(fields + 1), error_pos);
  } else if (tok == TokenizeError::kGarbageAfterQuote) {
    fail("unexpected text after a closing quote", error_pos);
  }
  if (!problem && fields != num_fields_) {
    fail("expected " + std::to_string(num_fields_) + " fields, got " + std::to_string(fields), 0);
  }
  if (!problem) {
    row_state_[row] = RowState::kOk;
    if (odd > 0 && chunk->read_as_missing == 0) chunk->first_odd = std::move(first_odd);
    chunk->read_as_missing += odd;
    return true;
  }
  problem->row = Excerpt(line);
  row_state_[row] = RowState::kBad;
  // A file cut while it was written (or copied) ends inside a row: that row is dropped with a
  // warning whatever the policy, as a .blg cut mid-buffer keeps its complete samples.
  if (unterminated && !problem->limit) {
    chunk->partial_last = std::move(problem);
    return true;
  }
  if (options_.invalid_rows == InvalidRowPolicy::kError || problem->limit) {
    chunk->error = std::move(problem);
    return false;
  }
  ++chunk->skipped_count;
  if (chunk->skipped.size() < kMaxRowWarnings) chunk->skipped.push_back(std::move(*problem));
  return true;
}

void PdhTextReader::ParseChunk(Chunk* chunk) {
  if (CopiesText()) {
    ParseChunkCopied(chunk);
    return;
  }
  std::size_t line_idx = 0;
  ParseLines(text_.data() + chunk->begin, text_.data() + chunk->end, chunk->begin, &line_idx,
             chunk);
}

// Windows of whole lines: each copy fills the buffer behind the part line the last one left,
// and a line longer than the buffer doubles it.
void PdhTextReader::ParseChunkCopied(Chunk* chunk) {
  std::vector<char> buffer(copy_window_);
  std::size_t offset = chunk->begin;  // text offset of buffer[0]
  std::size_t held = 0;               // bytes in the buffer
  std::size_t line_idx = 0;
  while (line_idx < chunk->lines && offset + held < chunk->end) {
    if (held == buffer.size()) buffer.resize(2 * buffer.size());
    const std::size_t size = std::min(buffer.size() - held, chunk->end - (offset + held));
    if (!CopyText(offset + held, size, buffer, held, chunk)) return;
    held += size;
    std::size_t whole = held;
    if (offset + held < chunk->end) {
      const void* nl = memrchr(buffer.data(), '\n', held);
      if (nl == nullptr) continue;
      whole = static_cast<std::size_t>(static_cast<const char*>(nl) - buffer.data()) + 1;
    }
    if (!ParseLines(buffer.data(), buffer.data() + whole, offset, &line_idx, chunk)) return;
    std::memmove(buffer.data(), buffer.data() + whole, held - whole);
    offset += whole;
    held -= whole;
  }
}

bool PdhTextReader::ParseLines(const char* begin, const char* end, std::size_t offset,
                               std::size_t* line_idx, Chunk* chunk) {
  // Lines starting before fast_end end in '\n', which the fast path needs; only a last line
  // without one (a cut file) is left to the general path.
  const char* fast_end = end;
  if (end != begin && end[-1] != '\n') {
    const void* nl = memrchr(begin, '\n', static_cast<std::size_t>(end - begin));
    fast_end = nl == nullptr ? begin : static_cast<const char*>(nl) + 1;
  }
  const char* p = begin;
  for (; *line_idx < chunk->lines && p != end; ++*line_idx) {
    const std::size_t row = chunk->first_row + *line_idx;
    if (p < fast_end) {
      if (const char* next = ParseLineFast(p, end, row)) {
        row_state_[row] = RowState::kOk;
        p = next;
        continue;
      }
    }
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    const char* const eol = nl == nullptr ? end : static_cast<const char*>(nl);
    const std::string_view line = StripCr({p, static_cast<std::size_t>(eol - p)});
    const std::size_t line_offset =
        text_base_offset_ + offset + static_cast<std::size_t>(p - begin);
    if (!ParseLineGeneral(line, row, chunk->first_line + *line_idx, line_offset, nl == nullptr,
                          chunk)) {
      return false;
    }
    p = eol == end ? end : eol + 1;
  }
  return true;
}

// One warning for the cells that were written as numbers but are kept as missing, naming the
// first: a silent gap would look like the collector missed a sample.
void PdhTextReader::WarnReadAsMissing(const std::vector<Chunk>& chunks) {
  std::size_t count = 0;
  const RowProblem* first = nullptr;
  for (const Chunk& c : chunks) {
    if (first == nullptr && c.first_odd) first = &*c.first_odd;
    count += c.read_as_missing;
  }
  if (first == nullptr) return;
  log_.warnings.push_back(name_ + ":" + std::to_string(first->line) + ": " + std::to_string(count) +
                          " cell(s) written as numbers were read as missing (out of range or "
                          "an unknown .# spelling), the first " +
                          first->message + " (byte " +
                          std::to_string(FileByte(first->byte_offset)) + ")");
}

// The zone is known but this machine has no rules for it (no tzdata): UTC follows the header's
// single bias, which is wrong by the DST shift after a change. Where the local clock shows the
// change (a step back, or a jump of an hour more than the interval before), that is the first
// time named; else the warning gives the log's range.
void PdhTextReader::WarnNoZoneRules(const std::string& iana) {
  const std::vector<Ticks>& t = log_.time_local;
  std::string place;
  for (std::size_t i = 2; i < t.size() && place.empty(); ++i) {
    const Ticks step = t[i] - t[i - 1], before = t[i - 1] - t[i - 2];
    const Ticks extra = step - before;
    if (step < 0 || (extra > 59 * 60 * kTicksPerSecond && extra < 61 * 60 * kTicksPerSecond)) {
      place = "from " + FormatLocal(t[i]) + " (local), where the clock changes,";
    }
  }
  if (place.empty() && !t.empty()) {
    place = "after a daylight-saving change between " + FormatLocal(t.front()) + " and " +
            FormatLocal(t.back()) + " (local), if there is one,";
  }
  log_.warnings.push_back(name_ + ": no rules for time zone " + iana +
                          " on this machine (the tz database, Debian package tzdata, is "
                          "missing); UTC uses the header's bias of " +
                          std::to_string(log_.time_zone.bias_minutes) +
                          " minutes throughout, so UTC times " + place +
                          " may be off by the daylight-saving shift");
}

// UTC from the zone's DST rules when the Windows zone name is known, else from the header's
// single bias (PDH text logs record only the bias in effect at the start).
void PdhTextReader::ConvertToUtc() {
  const LogTimeZone& tz = log_.time_zone;
  if (tz.has_bias) {
    if (auto iana = internal::WindowsZoneToIana(tz.name)) {
      bool zone_missing = false;
      if (auto utc = internal::LocalToUtc(*iana, log_.time_local, tz.bias_minutes, &zone_missing)) {
        log_.time_utc = std::move(*utc);
        log_.time_zone.iana_name = *iana;
      } else if (zone_missing) {
        WarnNoZoneRules(*iana);
      }
    }
  }
  if (log_.time_utc.empty()) {
    const Ticks offset =
        tz.has_bias ? static_cast<Ticks>(tz.bias_minutes) * 60 * kTicksPerSecond : 0;
    log_.time_utc.resize(log_.time_local.size());
    for (std::size_t i = 0; i < log_.time_local.size(); ++i)
      log_.time_utc[i] = log_.time_local[i] + offset;
  }
  std::size_t backwards = 0, offset_changes = 0;
  for (std::size_t i = 1; i < log_.time_utc.size(); ++i) {
    if (log_.time_utc[i] < log_.time_utc[i - 1]) ++backwards;
    if (log_.time_utc[i] - log_.time_local[i] != log_.time_utc[i - 1] - log_.time_local[i - 1])
      ++offset_changes;
  }
  if (offset_changes > 0) {
    log_.warnings.push_back(name_ +
                            ": the UTC offset changes during the log (daylight saving time); UTC "
                            "times follow the rules of " +
                            log_.time_zone.iana_name);
  }
  if (backwards > 0) {
    log_.warnings.push_back(
        name_ + ": timestamps go backwards " + std::to_string(backwards) +
        " time(s) (clock change or DST fall-back); samples are kept in file order");
  }
}

// The data rows split at line ends into one chunk per thread (one for a small file).
std::vector<Chunk> PdhTextReader::SplitChunks() const {
  const std::string_view region = text_.substr(data_offset_);
  std::size_t threads = internal::WorkerCount(options_.num_threads);
  if (region.size() < kParallelThresholdBytes) threads = 1;
  std::vector<Chunk> chunks;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < threads && begin < region.size(); ++i) {
    std::size_t end = (i + 1 == threads) ? region.size() : region.size() * (i + 1) / threads;
    if (end < begin) end = begin;
    if (end < region.size()) {
      const std::size_t nl = region.find('\n', end);
      end = nl == std::string_view::npos ? region.size() : nl + 1;
    }
    Chunk chunk;
    chunk.begin = data_offset_ + begin;
    chunk.end = data_offset_ + end;
    chunks.push_back(chunk);
    begin = end;
  }
  return chunks;
}

// Runs `fn` on every chunk, one thread each. Out of memory in a chunk (its columns) comes back
// as a Status naming the file.
template <class F>
Status PdhTextReader::ForEachChunk(std::vector<Chunk>& chunks, F&& fn) const {
  const Status s =
      internal::ParallelFor(chunks.size(), chunks.size(), [&](std::size_t i) { fn(&chunks[i]); });
  return s.ok() ? s : Status(s.code(), name_ + ": " + s.message());
}

bool PdhTextReader::CopyText(std::size_t offset, std::size_t size, std::vector<char>& buffer,
                             std::size_t from, Chunk* chunk) const {
  if (copy_(text_base_offset_ + offset, AsBytes(buffer, from, size))) return true;
  chunk->unreadable = true;
  return false;
}

void PdhTextReader::CountChunkCopied(Chunk* chunk) const {
  std::vector<char> buffer(copy_window_);
  char last = '\n';
  for (std::size_t at = chunk->begin; at < chunk->end; at += buffer.size()) {
    const std::size_t size = std::min(buffer.size(), chunk->end - at);
    if (!CopyText(at, size, buffer, 0, chunk)) return;
    chunk->lines += CountLineEnds({buffer.data(), size});
    last = buffer[size - 1];
  }
  if (last != '\n') ++chunk->lines;
}

// Counts each chunk's lines and numbers its rows; returns the total.
Result<std::size_t> PdhTextReader::CountRows(std::vector<Chunk>& chunks) {
  PERFLEAK_RETURN_NOT_OK(ForEachChunk(chunks, [&](Chunk* c) {
    if (CopiesText()) {
      CountChunkCopied(c);
    } else {
      c->lines = CountLines(text_.substr(c->begin, c->end - c->begin));
    }
  }));
  PERFLEAK_RETURN_NOT_OK(CheckReadable(chunks));
  std::size_t total_lines = 0;
  for (Chunk& c : chunks) {
    c.first_row = total_lines;
    c.first_line = header_line_ + 1 + total_lines;
    total_lines += c.lines;
  }
  return total_lines;
}

// A copy that failed: the file shrank while it was read (ReadLog says so, naming the file).
Status PdhTextReader::CheckReadable(const std::vector<Chunk>& chunks) const {
  for (const Chunk& c : chunks) {
    if (c.unreadable) {
      return Status::IoError(name_ + ": cannot read bytes " +
                             std::to_string(text_base_offset_ + c.begin) + " to " +
                             std::to_string(text_base_offset_ + c.end) +
                             " of the file; hint: it may have been cut shorter while it was read");
    }
  }
  return Status::OK();
}

// Allocates the time column and the NaN-filled counter columns for `rows` rows, within the
// cell cap.
Status PdhTextReader::AllocateColumns(std::vector<Chunk>& chunks, std::size_t rows) {
  if (rows > 0 && log_.paths.size() > options_.max_cells / rows) {
    const double gib = static_cast<double>(log_.paths.size()) * static_cast<double>(rows) * 8.0 /
                       static_cast<double>(1u << 30);
    return Status::LimitExceeded(
        name_ + ": " + std::to_string(log_.paths.size()) + " counters x " + std::to_string(rows) +
        " rows need " + FormatGib(gib) + " GiB of columns, over the cell cap of " +
        std::to_string(options_.max_cells) +
        " cells (default: 3/4 of this machine's memory less the file); hint: select fewer "
        "counters with --counters");
  }
  log_.time_local.assign(rows, 0);
  // Filling the columns is their first touch: in huge pages from one arena (ColumnArena), and
  // spread over the threads instead of one thread copying a template column into all of them.
  const ColumnAllocator<double> arena(
      ColumnArena::ForBytes(log_.paths.size() * rows * sizeof(double)));
  log_.columns.clear();
  log_.columns.reserve(log_.paths.size());
  // One by one: a copy of a column would get the heap (select_on_container_copy_construction).
  for (std::size_t col = 0; col < log_.paths.size(); ++col) log_.columns.emplace_back(arena);
  const std::size_t num_chunks = chunks.size();
  PERFLEAK_RETURN_NOT_OK(ForEachChunk(chunks, [&](Chunk* c) {
    const auto part = static_cast<std::size_t>(c - chunks.data());
    const std::size_t n = log_.columns.size();
    for (std::size_t col = n * part / num_chunks; col < n * (part + 1) / num_chunks; ++col)
      log_.columns[col].assign(rows, kMissing);
  }));
  field_columns_.assign(num_fields_, nullptr);
  for (std::size_t field_idx = 0; field_idx < num_fields_; ++field_idx) {
    if (field_to_column_[field_idx] >= 0)
      field_columns_[field_idx] =
          log_.columns[static_cast<std::size_t>(field_to_column_[field_idx])].data();
  }
  row_state_.assign(rows, RowState::kBlank);
  return Status::OK();
}

// The chunks' problems in file order: the first bad row is the error (kError policy); skipped
// rows and a cut last row are warnings.
Status PdhTextReader::ReportRowProblems(const std::vector<Chunk>& chunks) {
  std::size_t skipped = 0;
  for (const Chunk& c : chunks) {
    if (c.error) {
      const RowProblem& e = *c.error;
      std::string hint = e.limit
                             ? "hint: the file is not a sane counter log"
                             : "hint: the file may be truncated, damaged or two logs concatenated; "
                               "--skip-bad-rows skips such rows";
      return Status(e.limit ? StatusCode::kLimitExceeded : StatusCode::kParseError,
                    name_ + ":" + std::to_string(e.line) + ": " + e.message + " (byte " +
                        std::to_string(FileByte(e.byte_offset)) + "); row: \"" + e.row + "\"; " +
                        hint);
    }
    for (const RowProblem& p : c.skipped) {
      log_.warnings.push_back(name_ + ":" + std::to_string(p.line) + ": skipped row: " + p.message +
                              " (byte " + std::to_string(FileByte(p.byte_offset)) + "); row: \"" +
                              p.row + "\"");
    }
    if (c.partial_last) {
      const RowProblem& p = *c.partial_last;
      log_.warnings.push_back(name_ + ":" + std::to_string(p.line) +
                              ": the file ends inside this row (" + p.message + ", byte " +
                              std::to_string(FileByte(p.byte_offset)) + "; row: \"" + p.row +
                              "\"); it was dropped and every complete row before it read; "
                              "hint: the file was cut, e.g. copied while the collector was "
                              "still writing it");
    }
    skipped += c.skipped_count;
  }
  if (skipped > kMaxRowWarnings) {
    log_.warnings.push_back(name_ + ": " + std::to_string(skipped) + " bad rows skipped in all");
  }
  return Status::OK();
}

// Drops blank and skipped rows, keeping the columns contiguous.
void PdhTextReader::CompactRows() {
  const bool compact = std::any_of(row_state_.begin(), row_state_.end(),
                                   [](RowState s) { return s != RowState::kOk; });
  if (!compact) return;
  std::size_t out = 0;
  for (std::size_t row = 0; row < row_state_.size(); ++row) {
    if (row_state_[row] != RowState::kOk) continue;
    if (out != row) {
      log_.time_local[out] = log_.time_local[row];
      for (auto& column : log_.columns) column[out] = column[row];
    }
    ++out;
  }
  log_.time_local.resize(out);
  // Not shrunk: the dropped rows are few, and an arena column would be copied, not shrunk.
  for (auto& column : log_.columns) column.resize(out);
}

Result<CounterLog> PdhTextReader::Read(std::span<const std::byte> data) {
  log_.source = name_;
  PERFLEAK_RETURN_NOT_OK(DecodeText(data));
  PERFLEAK_RETURN_NOT_OK(ParseHeader());
  if (options_.max_samples != 0) text_ = text_.substr(0, EndOfRows(options_.max_samples));
  std::vector<Chunk> chunks = SplitChunks();
  PERFLEAK_ASSIGN_OR_RETURN(const std::size_t rows, CountRows(chunks));
  PERFLEAK_RETURN_NOT_OK(AllocateColumns(chunks, rows));
  PERFLEAK_RETURN_NOT_OK(ForEachChunk(chunks, [&](Chunk* c) { ParseChunk(c); }));
  PERFLEAK_RETURN_NOT_OK(CheckReadable(chunks));
  PERFLEAK_RETURN_NOT_OK(ReportRowProblems(chunks));
  WarnReadAsMissing(chunks);
  CompactRows();
  if (log_.time_local.empty()) {
    return Status::ParseError(
        name_ + ":" + std::to_string(header_line_ + 1) +
        ": the log has a header but no data rows; hint: the collector may have "
        "stopped before its first sample");
  }
  ConvertToUtc();
  return std::move(log_);
}

// Narrow view of the first bytes for sniffing: UTF-16LE is reduced to its low bytes, which is
// enough to see ASCII structure (quotes, prefix, digits, delimiters).
// The first 64 KB of `head` as text: a view of it, or UTF-16's ASCII (else '?') copied into
// `utf16`. Not a copy for 8-bit text: every file of a folder is sniffed, and copying 64 KB each
// cost 3 % of a folder of small logs.
std::string_view SniffText(std::span<const std::byte> head, std::string* utf16) {
  const BomInfo bom = DetectBom(head);
  const std::size_t limit = std::min<std::size_t>(head.size(), 1 << 16);
  if (bom.encoding != TextEncoding::kUtf16Le) {
    return {reinterpret_cast<const char*>(head.data()) + bom.size, limit - bom.size};
  }
  for (std::size_t i = bom.size; i + 1 < limit; i += 2) {
    *utf16 += static_cast<char>(head[i + 1] == std::byte{0} ? static_cast<char>(head[i]) : '?');
  }
  return *utf16;
}

}  // namespace

bool LooksLikePdhText(std::span<const std::byte> head, bool* tsv) {
  std::string utf16;
  const std::string_view text = SniffText(head, &utf16);
  std::size_t skipped = 0;
  const std::size_t start = SkipBlankLines(text, &skipped);
  std::string_view rest = std::string_view(text).substr(start);
  for (std::string_view prefix :
       {std::string_view("\"(PDH-CSV 4.0)"), std::string_view("\"(PDH-TSV 4.0)")}) {
    if (rest.substr(0, prefix.size()) == prefix) {
      const auto close = rest.find('"', 1);
      *tsv = prefix[6] == 'T' || (close != std::string_view::npos && close + 1 < rest.size() &&
                                  rest[close + 1] == '\t');
      return true;
    }
  }
  // A damaged first cell: accept when the text has PDH's shape, a quoted header of counter
  // paths and a second line starting with a quoted PDH timestamp.
  if (rest.empty() || rest[0] != '"') return false;
  const auto close = rest.find('"', 1);
  const auto eol = rest.find('\n');
  if (close == std::string_view::npos || eol == std::string_view::npos || close > eol) return false;
  const char delim = close + 1 < rest.size() ? rest[close + 1] : '\0';
  if (delim != ',' && delim != '\t') return false;
  if (rest.substr(close + 2, 3) != "\"\\\\" && rest.substr(close + 2, 2) != "\"\\") return false;
  std::string_view line2 = rest.substr(eol + 1);
  Ticks ignored = 0;
  if (line2.size() < 21 || line2[0] != '"' ||
      !ParsePdhTimestamp(line2.substr(1, line2.find('"', 1) - 1), &ignored)) {
    return false;
  }
  *tsv = delim == '\t';
  return true;
}

Result<CounterLog> ReadPdhText(std::string_view name, std::span<const std::byte> data,
                               const ReadOptions& options, const internal::InputCopier& copy,
                               std::size_t copy_window) {
  PdhTextReader reader(name, options, copy, copy_window);
  return reader.Read(data);
}

}  // namespace perfleak::csv
