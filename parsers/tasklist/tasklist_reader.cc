// `tasklist /svc` exports, table or CSV. Two stages as for the logs: the bytes are decoded
// to UTF-8 lines (encoding detected), then the lines are framed by the layout (the table's
// `===` rule gives its column widths; CSV fields are split quote-aware) and decoded into
// processes. Every cut is bounds-checked against the line; a row that does not fit is a
// warning naming file and line, never an error for the whole file.
#include <algorithm>
#include <array>
#include <charconv>
#include <string>

#include "common/ascii_case_internal.h"
#include "common/mapped_file.h"
#include "csv/text_encoding.h"
#include "perfleak/tasklist.h"
#include "perfleak/time_format.h"

namespace perfleak {

const TasklistProcess* TasklistExport::Find(std::int64_t pid) const {
  for (const TasklistProcess& p : processes) {
    if (p.pid == pid) return &p;
  }
  return nullptr;
}

namespace {

using csv::TextEncoding;

// The third column's header in the languages Windows ships tasklist in (the ones seen in
// support cases), and the `/m` header that has the same shape but lists modules.
constexpr std::array<std::string_view, 10> kServicesHeaders = {
    "services", "dienste", "servicios", "servizi",  "serviços",
    "usługi",   "Службы",  "služby",    "tjänster", "szolgáltatások"};
constexpr std::array<std::string_view, 6> kModulesHeaders = {"modules", "module", "módulos",
                                                             "moduli",  "Модули", "moduły"};
// What tasklist writes for a process without services.
constexpr std::array<std::string_view, 6> kNone = {"n/a",        "nicht zutreffend", "n/d",
                                                   "sans objet", "no aplicable",     "Н/Д"};

template <std::size_t N>
bool IsOneOf(std::string_view text, const std::array<std::string_view, N>& words) {
  // AsciiLower leaves non-ASCII letters alone: the lists hold those as Windows writes them
  // (Cyrillic capitalised), ASCII ones in lower case.
  const std::string lower = AsciiLower(text);
  return std::find(words.begin(), words.end(), lower) != words.end();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// UTF-16LE without a BOM: ASCII text has a zero in every odd byte.
bool LooksLikeUtf16WithoutBom(std::span<const std::byte> data) {
  const std::size_t n = std::min<std::size_t>(data.size(), 512) & ~std::size_t{1};
  if (n < 8) return false;
  std::size_t odd_zero = 0, even_zero = 0;
  for (std::size_t i = 0; i < n; i += 2) {
    even_zero += data[i] == std::byte{0} ? 1 : 0;
    odd_zero += data[i + 1] == std::byte{0} ? 1 : 0;
  }
  return odd_zero * 10 >= (n / 2) * 8 && even_zero * 10 < (n / 2) * 2;
}

struct Decoded {
  std::string text;
  TextEncoding encoding = TextEncoding::kUtf8;
};

// The bytes as UTF-8. `lenient` (sniffing a head cut anywhere): a text that cannot be
// converted keeps its ASCII bytes and turns the others into '?'.
Result<Decoded> Decode(std::span<const std::byte> data, bool lenient) {
  Decoded out;
  const csv::BomInfo bom = csv::DetectBom(data);
  std::span<const std::byte> body = data.subspan(bom.size);
  const bool utf16 =
      bom.size > 0 ? bom.encoding == TextEncoding::kUtf16Le : LooksLikeUtf16WithoutBom(data);
  std::string_view raw(reinterpret_cast<const char*>(body.data()), body.size());
  if (utf16) {
    out.encoding = TextEncoding::kUtf16Le;
    raw = raw.substr(0, raw.size() & ~std::size_t{1});
  } else if (csv::IsValidUtf8(raw)) {
    out.text = std::string(raw);
    return out;
  } else {
    out.encoding = csv::GuessAnsiCodePage(raw);
  }
  auto converted = csv::ToUtf8(raw, out.encoding);
  if (converted.ok()) {
    out.text = std::move(converted).value();
    return out;
  }
  if (!lenient) return converted.status();
  const std::size_t step = utf16 ? 2 : 1;
  for (std::size_t i = 0; i + step <= raw.size(); i += step) {
    const auto c = static_cast<unsigned char>(raw[i]);
    const bool ascii = c < 0x80 && (!utf16 || raw[i + 1] == '\0');
    out.text.push_back(ascii ? static_cast<char>(c) : '?');
  }
  return out;
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = text.find('\n', begin);
    std::string_view line = text.substr(begin, end == std::string_view::npos ? end : end - begin);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    begin = end + 1;
  }
  return lines;
}

// The table's rule: groups of '=' separated by spaces. Returns the character column where
// each group starts and ends (exclusive); empty when the line is not a rule.
std::vector<std::pair<std::size_t, std::size_t>> RuleColumns(std::string_view line) {
  std::vector<std::pair<std::size_t, std::size_t>> groups;
  std::size_t i = 0;
  while (i < line.size()) {
    if (line[i] == ' ') {
      ++i;
      continue;
    }
    if (line[i] != '=') return {};
    const std::size_t begin = i;
    while (i < line.size() && line[i] == '=') ++i;
    groups.emplace_back(begin, i);
  }
  return groups;
}

// The byte offset of character column `column` in a UTF-8 line (the table is laid out in
// characters), clamped to the line's end.
std::size_t ByteOfColumn(std::string_view line, std::size_t column) {
  std::size_t chars = 0, i = 0;
  while (i < line.size() && chars < column) {
    const auto c = static_cast<unsigned char>(line[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
    i += std::min(len, line.size() - i);
    ++chars;
  }
  return i;
}

// The line cut at character columns `a` <= `b`: [0, a), [a, b), [b, end).
std::array<std::string_view, 3> CutAt(std::string_view line, std::size_t a, std::size_t b) {
  const std::size_t ba = ByteOfColumn(line, a);
  const std::size_t bb = std::max(ba, ByteOfColumn(line, b));
  return {line.substr(0, ba), line.substr(ba, bb - ba), line.substr(bb)};
}

std::optional<std::int64_t> ParsePid(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > 0xFFFFFFFFll) {
    return std::nullopt;
  }
  return value;
}

std::vector<std::string> SplitServices(std::string_view value) {
  std::vector<std::string> out;
  value = Trim(value);
  if (value.empty() || IsOneOf(value, kNone)) return out;
  std::size_t begin = 0;
  while (begin <= value.size()) {
    const std::size_t comma = value.find(',', begin);
    const std::string_view name =
        Trim(value.substr(begin, comma == std::string_view::npos ? comma : comma - begin));
    if (!name.empty() && !IsOneOf(name, kNone)) out.emplace_back(name);
    if (comma == std::string_view::npos) break;
    begin = comma + 1;
  }
  return out;
}

// A row's text quoted for a message, cut to keep the message one readable line.
std::string Quoted(std::string_view text) {
  constexpr std::size_t kMax = 60;
  std::string out = "\"" + std::string(text.substr(0, kMax));
  if (text.size() > kMax) out += "...";
  return out + "\"";
}

// Why a row has no process: no image name, no PID, or a PID that is not a number.
std::string RowProblem(std::string_view image, std::string_view pid_text) {
  if (image.empty()) return "no image name";
  if (pid_text.empty()) return "no PID";
  return "PID " + Quoted(pid_text) + " is not a number";
}

class Builder {
 public:
  Builder(std::string_view path, const TasklistLimits& limits) : limits_(limits) {
    out_.path = std::string(path);
  }

  void Warn(std::size_t line, const std::string& what) {
    ++warnings_;
    if (warnings_ <= limits_.max_warnings) {
      out_.warnings.push_back(out_.path + ":" + std::to_string(line) + ": " + what);
    }
  }

  // False once max_processes is reached (the rest is dropped with one warning).
  bool Add(TasklistProcess p) {
    if (out_.processes.size() >= limits_.max_processes) {
      if (!dropped_)
        Warn(p.line, "more than " + std::to_string(limits_.max_processes) +
                         " processes; the rest of the file is not read");
      dropped_ = true;
      return false;
    }
    const TasklistProcess* seen = out_.Find(p.pid);
    if (seen != nullptr && !EqualsIgnoreAsciiCase(seen->image, p.image)) {
      Warn(p.line, "PID " + std::to_string(p.pid) + " is listed again (as " + p.image + ", line " +
                       std::to_string(seen->line) + " has " + seen->image + "); the first is used");
    }
    out_.processes.push_back(std::move(p));
    return true;
  }

  TasklistProcess* Last() { return out_.processes.empty() ? nullptr : &out_.processes.back(); }

  TasklistExport Finish() {
    if (warnings_ > limits_.max_warnings) {
      out_.warnings.push_back(out_.path + ": " + std::to_string(warnings_ - limits_.max_warnings) +
                              " more rows skipped");
    }
    return std::move(out_);
  }

  TasklistExport& out() { return out_; }

 private:
  const TasklistLimits& limits_;
  TasklistExport out_;
  std::size_t warnings_ = 0;
  bool dropped_ = false;
};

// Where a table starts: the header line's index and the rule's three columns.
struct TableLayout {
  std::size_t header = 0;
  std::array<std::size_t, 3> starts{};
};

enum class HeaderKind { kServices, kModules, kUnknown };

HeaderKind ClassifyThirdHeader(std::string_view text) {
  if (IsOneOf(text, kServicesHeaders)) return HeaderKind::kServices;
  if (IsOneOf(text, kModulesHeaders)) return HeaderKind::kModules;
  return HeaderKind::kUnknown;
}

// The first `Image Name  PID  Services` header over a three-group rule within the first
// lines (an SDP file may have a title above it).
std::optional<TableLayout> FindTable(const std::vector<std::string_view>& lines,
                                     HeaderKind* third) {
  constexpr std::size_t kSearchLines = 40;
  for (std::size_t i = 1; i < lines.size() && i < kSearchLines; ++i) {
    const auto groups = RuleColumns(lines[i]);
    if (groups.size() != 3) continue;
    const std::string_view header = lines[i - 1];
    const auto cells = CutAt(header, groups[1].first, groups[2].first);
    if (!EqualsIgnoreAsciiCase(Trim(cells[1]), "PID") || Trim(cells[0]).empty()) continue;
    *third = ClassifyThirdHeader(Trim(cells[2]));
    return TableLayout{i - 1, {groups[0].first, groups[1].first, groups[2].first}};
  }
  return std::nullopt;
}

// Rows of the table from the line after its rule to the first blank line.
void ParseTable(const std::vector<std::string_view>& lines, const TableLayout& layout,
                const TasklistLimits& limits, Builder* b) {
  for (std::size_t i = layout.header + 2; i < lines.size(); ++i) {
    const std::size_t line_no = i + 1;
    const std::string_view line = lines[i];
    if (Trim(line).empty()) break;
    if (line.size() > limits.max_line_bytes) {
      b->Warn(line_no, "line of " + std::to_string(line.size()) + " bytes; row skipped");
      continue;
    }
    const auto cells = CutAt(line, layout.starts[1], layout.starts[2]);
    const std::string_view image = Trim(cells[0]), pid_text = Trim(cells[1]);
    const std::string_view services = Trim(cells[2]);
    if (image.empty() && pid_text.empty()) {
      // A continuation line: more services of the row above.
      TasklistProcess* last = b->Last();
      if (last == nullptr) {
        b->Warn(line_no, "services " + Quoted(services) + " without a process row above");
        continue;
      }
      for (std::string& s : SplitServices(services)) last->services.push_back(std::move(s));
      continue;
    }
    const std::optional<std::int64_t> pid = ParsePid(pid_text);
    if (!pid || image.empty()) {
      b->Warn(line_no, RowProblem(image, pid_text) + " in row " + Quoted(Trim(line)) +
                           "; row skipped (hint: the columns follow the === rule above)");
      continue;
    }
    if (!b->Add(TasklistProcess{std::string(image), *pid, SplitServices(services), line_no})) {
      return;
    }
  }
}

// One CSV line split into fields (RFC 4180 quotes, `""` inside quotes); nullopt when a quote
// is not closed.
std::optional<std::vector<std::string>> SplitCsv(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c != '"') {
        fields.back().push_back(c);
      } else if (i + 1 < line.size() && line[i + 1] == '"') {
        fields.back().push_back('"');
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back().push_back(c);
    }
  }
  if (quoted) return std::nullopt;
  return fields;
}

// A CSV export: its first non-blank line is a header (second field `PID`) or, with `/nh`, the
// first process (`System Idle Process`, PID 0). Returns the index of the first data line.
std::optional<std::size_t> FindCsv(const std::vector<std::string_view>& lines, HeaderKind* third) {
  std::size_t first = 0;
  while (first < lines.size() && Trim(lines[first]).empty()) ++first;
  if (first >= lines.size() || !Trim(lines[first]).starts_with('"')) return std::nullopt;
  const auto fields = SplitCsv(Trim(lines[first]));
  if (!fields || fields->size() != 3) return std::nullopt;
  if (EqualsIgnoreAsciiCase(Trim((*fields)[1]), "PID")) {
    *third = ClassifyThirdHeader(Trim((*fields)[2]));
    return first + 1;
  }
  // `/nh`: no header; tasklist always lists the idle process (PID 0) first.
  const std::optional<std::int64_t> pid = ParsePid(Trim((*fields)[1]));
  if (pid != 0) return std::nullopt;
  *third = HeaderKind::kUnknown;
  return first;
}

void ParseCsv(const std::vector<std::string_view>& lines, std::size_t first,
              const TasklistLimits& limits, Builder* b) {
  for (std::size_t i = first; i < lines.size(); ++i) {
    const std::size_t line_no = i + 1;
    const std::string_view line = Trim(lines[i]);
    if (line.empty()) continue;
    if (line.size() > limits.max_line_bytes) {
      b->Warn(line_no, "line of " + std::to_string(line.size()) + " bytes; row skipped");
      continue;
    }
    const auto fields = SplitCsv(line);
    if (!fields) {
      b->Warn(line_no, "unterminated quote in row " + Quoted(line) + "; row skipped");
      continue;
    }
    if (fields->size() != 3) {
      b->Warn(line_no, "expected 3 fields (image, PID, services), got " +
                           std::to_string(fields->size()) + " in row " + Quoted(line) +
                           "; row skipped");
      continue;
    }
    const std::string_view image = Trim((*fields)[0]), pid_text = Trim((*fields)[1]);
    const std::optional<std::int64_t> pid = ParsePid(pid_text);
    if (!pid || image.empty()) {
      b->Warn(line_no, RowProblem(image, pid_text) + " in row " + Quoted(line) + "; row skipped");
      continue;
    }
    if (!b->Add(TasklistProcess{std::string(image), *pid, SplitServices((*fields)[2]), line_no})) {
      return;
    }
  }
}

// An export whose third column was not named in a language we know: `/m` lists DLLs there,
// `/svc` service names, which never hold a dot.
bool ServicesByContent(const TasklistExport& parsed) {
  bool any = false;
  for (const TasklistProcess& p : parsed.processes) {
    for (const std::string& s : p.services) {
      if (s.find('.') != std::string::npos) return false;
      any = true;
    }
  }
  return any;
}

struct Layout {
  TasklistFormat format = TasklistFormat::kTable;
  std::optional<TableLayout> table;
  std::size_t csv_first = 0;
  HeaderKind third = HeaderKind::kUnknown;
};

std::optional<Layout> FindLayout(const std::vector<std::string_view>& lines) {
  Layout layout;
  if ((layout.table = FindTable(lines, &layout.third))) return layout;
  if (const auto first = FindCsv(lines, &layout.third)) {
    layout.format = TasklistFormat::kCsv;
    layout.csv_first = *first;
    return layout;
  }
  return std::nullopt;
}

void ParseRows(const std::vector<std::string_view>& lines, const Layout& layout,
               const TasklistLimits& limits, Builder* b) {
  b->out().format = layout.format;
  if (layout.format == TasklistFormat::kTable) {
    ParseTable(lines, *layout.table, limits, b);
  } else {
    ParseCsv(lines, layout.csv_first, limits, b);
  }
}

// `digits` at `pos` as a number (the caller checked they are digits).
int Num(std::string_view s, std::size_t pos, std::size_t len) {
  int v = 0;
  for (std::size_t i = pos; i < pos + len; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<Ticks> TimeInFileName(std::string_view name) {
  // Maximal runs of digits; a date and a time are runs next to each other with one separator.
  struct Run {
    std::size_t pos, len;
  };
  std::vector<Run> runs;
  for (std::size_t i = 0; i < name.size();) {
    if (!IsDigit(name[i])) {
      ++i;
      continue;
    }
    const std::size_t begin = i;
    while (i < name.size() && IsDigit(name[i])) ++i;
    runs.push_back({begin, i - begin});
  }
  const auto make = [](int y, int mo, int d, int h, int mi, int s) -> std::optional<Ticks> {
    Ticks t = 0;
    if (y < 2000 || y > 2099 || !CivilToTicks(y, mo, d, h, mi, s, 0, &t)) return std::nullopt;
    return t;
  };
  const auto adjacent = [&](std::size_t k) {
    return k + 1 < runs.size() && runs[k].pos + runs[k].len + 1 == runs[k + 1].pos;
  };
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const Run& r = runs[k];
    std::optional<Ticks> t;
    if (r.len == 14) {  // 20261120101500
      t = make(Num(name, r.pos, 4), Num(name, r.pos + 4, 2), Num(name, r.pos + 6, 2),
               Num(name, r.pos + 8, 2), Num(name, r.pos + 10, 2), Num(name, r.pos + 12, 2));
    } else if ((r.len == 8 || r.len == 6) && adjacent(k) &&
               (runs[k + 1].len == 6 || runs[k + 1].len == 4)) {  // 20261120_101500, 261120-1015
      const Run& n = runs[k + 1];
      const int year = r.len == 8 ? Num(name, r.pos, 4) : 2000 + Num(name, r.pos, 2);
      const std::size_t md = r.pos + (r.len == 8 ? 4 : 2);
      t = make(year, Num(name, md, 2), Num(name, md + 2, 2), Num(name, n.pos, 2),
               Num(name, n.pos + 2, 2), n.len == 6 ? Num(name, n.pos + 4, 2) : 0);
    } else if (r.len == 4 && k + 5 < runs.size() && adjacent(k) && adjacent(k + 1) &&
               adjacent(k + 2) && adjacent(k + 3) && adjacent(k + 4) && runs[k + 1].len == 2 &&
               runs[k + 2].len == 2 && runs[k + 3].len == 2 && runs[k + 4].len == 2 &&
               runs[k + 5].len == 2) {  // 2026-11-20_10-15-00
      t = make(Num(name, r.pos, 4), Num(name, runs[k + 1].pos, 2), Num(name, runs[k + 2].pos, 2),
               Num(name, runs[k + 3].pos, 2), Num(name, runs[k + 4].pos, 2),
               Num(name, runs[k + 5].pos, 2));
    }
    if (t) return t;
  }
  return std::nullopt;
}

bool LooksLikeTasklistExport(std::span<const std::byte> head) {
  // Only whole lines: a head cut inside a character would not decode.
  std::size_t end = head.size();
  while (end > 0 && head[end - 1] != std::byte{'\n'}) --end;
  if (end == 0) end = head.size();
  auto decoded = Decode(head.first(end), true);
  if (!decoded.ok()) return false;
  const std::vector<std::string_view> lines = SplitLines(decoded->text);
  const std::optional<Layout> layout = FindLayout(lines);
  if (!layout || layout->third == HeaderKind::kModules) return false;
  if (layout->third == HeaderKind::kServices) return true;
  TasklistLimits limits;
  Builder b("", limits);
  ParseRows(lines, *layout, limits, &b);
  return ServicesByContent(b.out());
}

Result<TasklistExport> ParseTasklistExport(std::string_view path, std::span<const std::byte> data,
                                           const TasklistLimits& limits) {
  const std::string name(path);
  if (data.size() > limits.max_bytes) {
    return Status::LimitExceeded(name + ": " + std::to_string(data.size()) +
                                 " bytes is too large for a tasklist /svc export (limit " +
                                 std::to_string(limits.max_bytes) + ")");
  }
  auto decoded = Decode(data, false);
  if (!decoded.ok()) {
    return Status::ParseError(name + ": cannot decode the text (" + decoded.status().message() +
                              ")");
  }
  const std::vector<std::string_view> lines = SplitLines(decoded->text);
  const std::optional<Layout> layout = FindLayout(lines);
  if (!layout) {
    return Status::ParseError(
        name +
        ":1: not a tasklist /svc export: no `Image Name  PID  Services` header over a === rule "
        "and no CSV header \"Image Name\",\"PID\",\"Services\"; hint: export it with "
        "`tasklist /svc > tasklist.txt` or `tasklist /svc /fo csv > tasklist.csv`");
  }
  if (layout->third == HeaderKind::kModules) {
    return Status::ParseError(
        name + ":" + std::to_string(layout->table ? layout->table->header + 1 : layout->csv_first) +
        ": a tasklist /m export (modules), not tasklist /svc (services)");
  }
  Builder b(path, limits);
  b.out().encoding = csv::TextEncodingName(decoded->encoding);
  ParseRows(lines, *layout, limits, &b);
  if (layout->third == HeaderKind::kUnknown && !ServicesByContent(b.out()) &&
      !b.out().processes.empty()) {
    return Status::ParseError(name +
                              ": the third column holds no service names (a dot in a name: "
                              "modules?); not read as a tasklist /svc export");
  }
  const std::size_t slash = name.find_last_of("/\\");
  b.out().time_local = TimeInFileName(slash == std::string::npos ? name : name.substr(slash + 1));
  return b.Finish();
}

Result<TasklistExport> ReadTasklistExport(const std::string& path, const TasklistLimits& limits) {
  PERFLEAK_ASSIGN_OR_RETURN(internal::MappedFile file, internal::MappedFile::Open(path));
  if (file.size() > limits.max_bytes) {
    return Status::LimitExceeded(path + ": " + std::to_string(file.size()) +
                                 " bytes is too large for a tasklist /svc export (limit " +
                                 std::to_string(limits.max_bytes) + ")");
  }
  auto parsed = ParseTasklistExport(path, file.data(), limits);
  if (file.shrank()) return Status::IoError(path + ": the file shrank while it was read");
  return parsed;
}

}  // namespace perfleak
