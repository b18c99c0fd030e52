// Report parts as JSON: the Report model field by field, each struct listed once with
// PERFLEAK_PART_FIELDS so writing and reading cannot disagree on a field.
#include "perfleak/report_part.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <concepts>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <type_traits>

#include "csv/text_encoding.h"
#include "perfleak/version.h"

namespace perfleak {

namespace {

using Json = nlohmann::json;

// A field the reader found malformed: the exception carries where (`findings[2].evidence[0].
// column`), built up as it travels out of the nested Get calls.
struct PartError : std::runtime_error {
  explicit PartError(const std::string& message) : PartError("", message) {}
  PartError(std::string where_in, std::string detail_in)
      : std::runtime_error(where_in.empty() ? detail_in : where_in + ": " + detail_in),
        where(std::move(where_in)),
        detail(std::move(detail_in)) {}
  // The same error one level further out: `head` is a field name or "[i]".
  PartError Within(const std::string& head) const {
    const bool index = !where.empty() && where.front() == '[';
    return {head + (where.empty() || index ? "" : ".") + where, detail};
  }
  std::string where, detail;
};

// Reads one nested value, naming it (a field name, or an index as "[i]") in any error from
// within. The name is spelled out only on that path: reading a part calls this per value.
template <class F>
void Located(const char* field, std::size_t index, F&& read) {
  try {
    read();
  } catch (const PartError& e) {
    throw e.Within(field != nullptr ? field : "[" + std::to_string(index) + "]");
  } catch (const Json::exception& e) {
    throw PartError(field != nullptr ? field : "[" + std::to_string(index) + "]", e.what());
  }
}

// The struct overloads, declared before the templates that call them for nested fields.
#define PERFLEAK_PART_DECLARE(Type) \
  void Put(Json& j, const Type& v); \
  void Get(const Json& j, Type* v);
PERFLEAK_PART_DECLARE(LogTimeZone)
PERFLEAK_PART_DECLARE(CounterPath)
PERFLEAK_PART_DECLARE(CounterLog)
PERFLEAK_PART_DECLARE(LogSummary)
PERFLEAK_PART_DECLARE(Lifetime)
PERFLEAK_PART_DECLARE(TrendSegment)
PERFLEAK_PART_DECLARE(SignalPoint)
PERFLEAK_PART_DECLARE(Explanation)
PERFLEAK_PART_DECLARE(ExhaustionForecast)
PERFLEAK_PART_DECLARE(Evidence)
PERFLEAK_PART_DECLARE(PidServices)
PERFLEAK_PART_DECLARE(HostedServices)
PERFLEAK_PART_DECLARE(Grower)
PERFLEAK_PART_DECLARE(Attribution)
PERFLEAK_PART_DECLARE(Finding)
PERFLEAK_PART_DECLARE(NoData)
PERFLEAK_PART_DECLARE(PressureEpisode)
PERFLEAK_PART_DECLARE(MemoryPoint)
PERFLEAK_PART_DECLARE(SystemMemory)
PERFLEAK_PART_DECLARE(SystemMemoryAnalysis)
PERFLEAK_PART_DECLARE(ResolvedFocus)
PERFLEAK_PART_DECLARE(LogAnalysis)
PERFLEAK_PART_DECLARE(LogReport)
PERFLEAK_PART_DECLARE(SkippedInput)
PERFLEAK_PART_DECLARE(FocusOptions)
PERFLEAK_PART_DECLARE(Shard)
#undef PERFLEAK_PART_DECLARE

// The generic overloads, declared before any definition calls them for a nested field.
void Put(Json& j, const std::string& v);
void Get(const Json& j, std::string* v);
void Put(Json& j, double v);
void Get(const Json& j, double* v);
template <class T>
requires(std::integral<T> && !std::same_as<T, bool>) void Put(Json& j, T v);
template <class T>
requires(std::integral<T> && !std::same_as<T, bool>) void Get(const Json& j, T* v);
template <class E>
requires std::is_enum_v<E>
void Put(Json& j, E v);
template <class E>
requires std::is_enum_v<E>
void Get(const Json& j, E* v);
template <class T>
void Put(Json& j, const std::optional<T>& v);
template <class T>
void Get(const Json& j, std::optional<T>* v);
template <class T, class A>
void Put(Json& j, const std::vector<T, A>& v);
template <class T, class A>
void Get(const Json& j, std::vector<T, A>* v);
template <class A, class B>
void Put(Json& j, const std::pair<A, B>& v);
template <class A, class B>
void Get(const Json& j, std::pair<A, B>* v);

const Json& At(const Json& j, const char* key) {
  if (!j.is_object()) throw PartError(std::string("expected an object holding \"") + key + "\"");
  const auto it = j.find(key);
  if (it == j.end()) throw PartError(std::string("field \"") + key + "\" is missing");
  return *it;
}

constexpr char kHexDigits[] = "0123456789abcdef";

// Scalars. Strings that are not UTF-8 (a file name in another code page) cannot be JSON text:
// they travel as {"hex": ...} so the merged report shows the same bytes.
void Put(Json& j, const std::string& v) {
  if (csv::IsValidUtf8(v)) {
    j = v;
    return;
  }
  std::string hex;
  for (const unsigned char c : v) {
    hex += kHexDigits[c >> 4];
    hex += kHexDigits[c & 15];
  }
  j = Json{{"hex", hex}};
}

void Get(const Json& j, std::string* v) {
  if (!j.is_object()) {
    *v = j.get<std::string>();
    return;
  }
  const std::string hex = At(j, "hex").get<std::string>();
  const auto digit = [](char c) -> int {
    const char* p = std::find(kHexDigits, kHexDigits + 16, c);
    if (p == kHexDigits + 16) throw PartError("bad hex string");
    return static_cast<int>(p - kHexDigits);
  };
  if (hex.size() % 2 != 0) throw PartError("bad hex string");
  v->clear();
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    v->push_back(static_cast<char>(digit(hex[i]) * 16 + digit(hex[i + 1])));
  }
}

// JSON has no NaN or infinity; missing samples are NaN, so they are named.
void Put(Json& j, double v) {
  if (std::isfinite(v)) {
    j = v;
  } else {
    j = std::isnan(v) ? "NaN" : v > 0 ? "Inf" : "-Inf";
  }
}

void Get(const Json& j, double* v) {
  if (!j.is_string()) {
    *v = j.get<double>();
    return;
  }
  const std::string& s = j.get_ref<const std::string&>();
  if (s == "NaN") {
    *v = std::numeric_limits<double>::quiet_NaN();
  } else if (s == "Inf" || s == "-Inf") {
    *v = (s == "Inf" ? 1 : -1) * std::numeric_limits<double>::infinity();
  } else {
    throw PartError("\"" + s + "\" is not a number");
  }
}

void Put(Json& j, bool v) { j = v; }
void Get(const Json& j, bool* v) { *v = j.get<bool>(); }

template <class T>
requires(std::integral<T> && !std::same_as<T, bool>) void Put(Json& j, T v) { j = v; }
template <class T>
requires(std::integral<T> && !std::same_as<T, bool>) void Get(const Json& j, T* v) {
  if (!j.is_number_integer()) throw PartError("expected an integer");
  *v = j.get<T>();
}

// Enums as their value: parts are read only by the same version, which has the same enums.
template <class E>
requires std::is_enum_v<E>
void Put(Json& j, E v) { j = static_cast<std::int64_t>(v); }
template <class E>
requires std::is_enum_v<E>
void Get(const Json& j, E* v) { *v = static_cast<E>(j.get<std::int64_t>()); }

void Put(Json& j, const Status& v) {
  j = Json::array();
  Put(j.emplace_back(), v.code());
  Put(j.emplace_back(), v.message());
}
void Get(const Json& j, Status* v) {
  if (!j.is_array() || j.size() != 2) throw PartError("expected a status [code, message]");
  StatusCode code{};
  std::string message;
  Get(j[0], &code);
  Get(j[1], &message);
  *v = Status(code, std::move(message));
}

template <class T>
void Put(Json& j, const std::optional<T>& v) {
  if (v) {
    Put(j, *v);
  } else {
    j = nullptr;
  }
}
template <class T>
void Get(const Json& j, std::optional<T>* v) {
  if (j.is_null()) {
    v->reset();
    return;
  }
  T value{};
  Get(j, &value);
  *v = std::move(value);
}

template <class T, class A>
void Put(Json& j, const std::vector<T, A>& v) {
  j = Json::array();
  for (const T& e : v) Put(j.emplace_back(), e);
}
template <class T, class A>
void Get(const Json& j, std::vector<T, A>* v) {
  if (!j.is_array()) throw PartError("expected an array");
  v->clear();
  v->reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) {
    Located(nullptr, i, [&] { Get(j[i], &v->emplace_back()); });
  }
}

template <class A, class B>
void Put(Json& j, const std::pair<A, B>& v) {
  j = Json::array();
  Put(j.emplace_back(), v.first);
  Put(j.emplace_back(), v.second);
}
template <class A, class B>
void Get(const Json& j, std::pair<A, B>* v) {
  if (!j.is_array() || j.size() != 2) throw PartError("expected a pair");
  Get(j[0], &v->first);
  Get(j[1], &v->second);
}

// The log a report keeps for charts; null when released.
void Put(Json& j, const std::shared_ptr<const CounterLog>& v) {
  if (v) {
    Put(j, *v);
  } else {
    j = nullptr;
  }
}
void Get(const Json& j, std::shared_ptr<const CounterLog>* v) {
  if (j.is_null()) {
    v->reset();
    return;
  }
  CounterLog log;
  Get(j, &log);
  *v = std::make_shared<const CounterLog>(std::move(log));
}

// Each struct once: the fields written and read, as an array in this order (names would be
// most of a part's bytes and of its parsing time: a part is read only by the same version, which
// has the same fields). A field left out here would not survive the merge;
// tests/cli/cli_merge_test.cc compares merged reports with unsharded ones.
const Json& Field(const Json& j, std::size_t i, const char* name) {
  if (!j.is_array()) throw PartError("expected an array of fields");
  if (i >= j.size()) throw PartError(std::string("field \"") + name + "\" is missing");
  return j[i];
}
#define PERFLEAK_PUT_FIELD(f) Put(j.emplace_back(), v.f);
#define PERFLEAK_GET_FIELD(f) Located(#f, 0, [&, i = i++] { Get(Field(j, i, #f), &v->f); });
#define PERFLEAK_PART_FIELDS(Type, ...)                                        \
  void Put(Json& j, const Type& v) {                                           \
    j = Json::array();                                                         \
    NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(PERFLEAK_PUT_FIELD, __VA_ARGS__)) \
  }                                                                            \
  void Get(const Json& j, Type* v) {                                           \
    std::size_t i = 0;                                                         \
    NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(PERFLEAK_GET_FIELD, __VA_ARGS__)) \
  }

PERFLEAK_PART_FIELDS(LogTimeZone, name, bias_minutes, has_bias, iana_name)
PERFLEAK_PART_FIELDS(CounterPath, machine, object, parent, instance, instance_index, counter,
                     has_instance)
PERFLEAK_PART_FIELDS(CounterLog, source, format, time_zone, time_utc, time_local, paths, columns,
                     warnings, metadata)
PERFLEAK_PART_FIELDS(LogSummary, machines, objects, samples, counters, process_instances,
                     median_interval_s, first_utc, last_utc, first_local, last_local, missing_cells)
PERFLEAK_PART_FIELDS(Lifetime, pid, first_sample, last_sample, first_utc, last_utc)
PERFLEAK_PART_FIELDS(TrendSegment, t0, t1, v0, v1)
PERFLEAK_PART_FIELDS(SignalPoint, t, v)
PERFLEAK_PART_FIELDS(Explanation, counter, change, share)
PERFLEAK_PART_FIELDS(ExhaustionForecast, machine, subject, counter, pids, slope_per_hour,
                     slope_low_per_hour, slope_high_per_hour, headroom_bytes, limit_bytes, from_utc,
                     window_hours, status, exhaustion_utc, earliest_utc, latest_utc)
PERFLEAK_PART_FIELDS(Evidence, counter, unit, column, column_scale, verdict, score, slope_per_hour,
                     slope_low_per_hour, slope_high_per_hour, growth, start_level, observed_start,
                     observed_end, observed_change, peak, onset_utc, window_start_utc,
                     window_end_utc, fit_quality, trend_z, consistency, used_envelope, envelope,
                     method, trend, change_points, caveats, growth_end_utc, floor, limit, forecast,
                     explained_by)
PERFLEAK_PART_FIELDS(PidServices, pid, names)
PERFLEAK_PART_FIELDS(HostedServices, source, export_time_local, pids)
PERFLEAK_PART_FIELDS(Grower, machine, process, instance, kernel_pool, pids, appeared, start_bytes,
                     end_bytes, growth_bytes, share)
PERFLEAK_PART_FIELDS(Attribution, machine, from_utc, to_utc, total_growth_bytes,
                     commit_growth_bytes, has_commit_growth, growers)
PERFLEAK_PART_FIELDS(Finding, machine, process, instance, system, pids, lifetimes, verdict, score,
                     evidence, reason, caveats, contributors, kind, app_pool, services)
PERFLEAK_PART_FIELDS(NoData, reason, collect_hint)
PERFLEAK_PART_FIELDS(PressureEpisode, machine, kind, start_utc, end_utc, ongoing, peak_utc,
                     peak_value, threshold, run_up)
PERFLEAK_PART_FIELDS(MemoryPoint, utc, committed, limit)
PERFLEAK_PART_FIELDS(SystemMemory, machine, commit_limit_bytes, committed_last_bytes,
                     committed_peak_bytes, commit_peak_ratio, commit_peak_utc, available_min_mb,
                     pool_paged_peak_bytes, pool_nonpaged_peak_bytes, paging_file_peak_percent,
                     commit_exhaustion, chart)
PERFLEAK_PART_FIELDS(SystemMemoryAnalysis, window_from_utc, window_to_utc, machines, episodes,
                     incident_utc, incident, process_exhaustion)
PERFLEAK_PART_FIELDS(ResolvedFocus, begin, end, from_utc, to_utc, at_utc)
PERFLEAK_PART_FIELDS(LogAnalysis, findings, processes_analysed, processes_not_judged, no_data,
                     caveats, warnings, system_memory, focus)
// LogReport::timings is left out: it varies from run to run and no report shows it.
PERFLEAK_PART_FIELDS(LogReport, path, archive, format, status, summary, warnings, log, analysis,
                     parts)
PERFLEAK_PART_FIELDS(SkippedInput, path, reason)
PERFLEAK_PART_FIELDS(FocusOptions, from, to, at, process, run_up_hours)
PERFLEAK_PART_FIELDS(Shard, index, count)
#undef PERFLEAK_PART_FIELDS
#undef PERFLEAK_GET_FIELD
#undef PERFLEAK_PUT_FIELD

constexpr const char* kPartKey = "perfleak_report_part";

// The part's first line: everything but the logs, which follow one per line (so neither the
// writer nor the reader holds more than one log's JSON at a time).
Json HeaderJson(const ReportPart& part) {
  Json j;
  j[kPartKey] = {{"format", kReportPartFormat}, {"version", kVersion}};
  Put(j["shard"], part.shard);
  Put(j["inputs"], part.inputs);
  Put(j["settings"], part.settings);
  Json& options = j["report_options"];
  Put(options["include_ok"], part.report_options.include_ok);
  Put(options["every_counter"], part.report_options.every_counter);
  Put(options["sensitivity"], part.report_options.sensitivity);
  Put(j["focus"], part.focus);
  Put(j["skipped"], part.report.skipped);
  Put(j["logs"], part.report.logs.size());
  return j;
}

Status CheckPartHeader(const std::string& path, const Json& j) {
  const auto it = j.is_object() ? j.find(kPartKey) : j.end();
  if (it == j.end()) {
    const bool report = j.is_object() && j.contains("schema_version") && j.contains("findings");
    return Status::Unsupported(
        path + (report
                    ? ": a perfleak report, not a report part; hint: write parts with "
                      "`perfleak analyze ... --shard K/N -o PART.json`"
                    : ": not a perfleak report part (no \"" + std::string(kPartKey) + "\" field)"));
  }
  const Json& header = *it;
  const int format = header.value("format", 0);
  const std::string version = header.value("version", std::string("?"));
  if (format != kReportPartFormat || version != kVersion) {
    return Status::Unsupported(path + ": a report part of perfleak " + version + " (part format " +
                               std::to_string(format) + "); this is perfleak " + kVersion +
                               " (part format " + std::to_string(kReportPartFormat) +
                               "); hint: run every shard and the merge with the same perfleak");
  }
  return Status::OK();
}

ReportPart PartFromHeader(const Json& j) {
  ReportPart part;
  Get(At(j, "shard"), &part.shard);
  Get(At(j, "inputs"), &part.inputs);
  Get(At(j, "settings"), &part.settings);
  const Json& options = At(j, "report_options");
  Get(At(options, "include_ok"), &part.report_options.include_ok);
  Get(At(options, "every_counter"), &part.report_options.every_counter);
  Get(At(options, "sensitivity"), &part.report_options.sensitivity);
  Get(At(j, "focus"), &part.focus);
  Get(At(j, "skipped"), &part.report.skipped);
  return part;
}

// One log line; an error names the entry (by its path, LogReport's first field).
void GetLog(const Json& j, std::size_t index, LogReport* log) {
  const bool named = j.is_array() && !j.empty() && j[0].is_string();
  const auto head = [&] {
    return "log " + std::to_string(index + 1) + (named ? " (" + j[0].get<std::string>() + ")" : "");
  };
  try {
    Get(j, log);
  } catch (const PartError& e) {
    throw PartError(head(), e.what());
  } catch (const Json::exception& e) {
    throw PartError(head(), e.what());
  }
}

Status Cut(const std::string& name, std::size_t byte) {
  return Status::ParseError(name + ": not JSON at byte " + std::to_string(byte) +
                            "; hint: the part may be cut (a shard that did not finish)");
}

// Parses one line of the part; `offset` is the line's place in the part, for the message.
Result<Json> ParseLine(std::string_view line, std::size_t offset, const std::string& name) {
  Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_discarded()) return j;
  try {  // again for the error's byte offset (only on this failure path)
    j = Json::parse(line);
  } catch (const Json::parse_error& e) {
    return Cut(name, offset + e.byte);
  }
  return Cut(name, offset + line.size());
}

// A first line that is not a part's header: a full report (many lines), another JSON
// document, or not JSON at all.
Status NotAPart(std::string_view text, const Status& first_line, const std::string& name) {
  Json whole = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (whole.is_discarded()) return first_line;
  const Status header = CheckPartHeader(name, whole);
  return header.ok() ? first_line : header;
}

}  // namespace

Status WriteReportPart(const ReportPart& part, std::ostream& out) {
  out << HeaderJson(part).dump() << '\n';
  for (const LogReport& log : part.report.logs) {
    Json j;
    Put(j, log);
    out << j.dump() << '\n';
  }
  out.flush();
  return out ? Status::OK() : Status::IoError("writing the report part failed");
}

Result<ReportPart> ReadReportPart(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IoError(path + ": read failed");
  return ParseReportPart(text.str(), path);
}

Result<ReportPart> ParseReportPart(std::string_view text, const std::string& name) {
  std::size_t end = std::min(text.find('\n'), text.size());
  auto header = ParseLine(text.substr(0, end), 0, name);
  if (!header.ok()) return NotAPart(text, header.status(), name);
  PERFLEAK_RETURN_NOT_OK(CheckPartHeader(name, *header));
  try {
    ReportPart part = PartFromHeader(*header);
    std::size_t logs = 0;
    Get(At(*header, "logs"), &logs);
    for (std::size_t i = 0; i < logs; ++i) {
      const std::size_t start = end + 1;
      if (start >= text.size()) {
        return Status::ParseError(name + ": cut after " + std::to_string(i) + " of " +
                                  std::to_string(logs) + " logs (it ends at byte " +
                                  std::to_string(text.size()) +
                                  "); hint: the part may be cut (a shard that did not finish)");
      }
      end = std::min(text.find('\n', start), text.size());
      auto line = ParseLine(text.substr(start, end - start), start, name);
      if (!line.ok()) return line.status();
      GetLog(*line, i, &part.report.logs.emplace_back());
    }
    if (end + 1 < text.size()) {
      return Status::ParseError(name + ": malformed report part: more lines than the " +
                                std::to_string(logs) + " logs its header announces (byte " +
                                std::to_string(end + 2) + ")");
    }
    return part;
  } catch (const std::exception& e) {
    return Status::ParseError(name + ": malformed report part: " + e.what());
  }
}

std::vector<std::string> RunSettings(const BatchOptions& batch, const ReportOptions& report) {
  const auto globs = [](const std::vector<std::string>& v) {
    std::string text;
    for (const std::string& g : v) text += g + "\n";
    return text;
  };
  const FocusOptions& focus = batch.analysis.focus;
  const auto flag = [](bool b) { return std::string(b ? "true" : "false"); };
  return {std::string("sensitivity=") + SensitivityName(report.sensitivity),
          "include_ok=" + flag(report.include_ok),
          "every_counter=" + flag(report.every_counter),
          "include=" + globs(batch.include),
          "exclude=" + globs(batch.exclude),
          "stitch=" + flag(batch.stitch),
          "process=" + focus.process,
          "from=" + focus.from,
          "to=" + focus.to,
          "at=" + focus.at,
          "run_up=" + fmt::format("{}", focus.run_up_hours),
          "skip_bad_rows=" + flag(batch.read.invalid_rows == InvalidRowPolicy::kSkip),
          "archive_depth=" + std::to_string(batch.archive.max_depth),
          "archive_max_bytes=" + std::to_string(batch.archive.max_bytes),
          "archive_max_ratio=" + fmt::format("{}", batch.archive.max_ratio)};
}

namespace {

Status SameRun(const ReportPart& a, const std::string& a_name, const ReportPart& b,
               const std::string& b_name) {
  const auto differ = [&](const std::string& what) {
    return Status::InvalidArgument(b_name + " is not a part of the run " + a_name +
                                   " belongs to: " + what +
                                   " differ; hint: merge the parts of one run, each shard "
                                   "given the same inputs and options");
  };
  if (a.shard.count != b.shard.count) {
    return differ("the shard counts (" + std::to_string(a.shard.count) + " and " +
                  std::to_string(b.shard.count) + ")");
  }
  if (a.inputs != b.inputs) return differ("the inputs");
  if (a.settings != b.settings) return differ("the options");
  return Status::OK();
}

}  // namespace

Result<ReportPart> MergeReportParts(std::vector<ReportPart> parts,
                                    const std::vector<std::string>& names) {
  if (parts.empty()) return Status::InvalidArgument("no report part to merge");
  const auto name = [&](std::size_t i) {
    return i < names.size() ? names[i] : "part " + std::to_string(i + 1);
  };
  std::map<std::size_t, std::size_t> by_index;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    PERFLEAK_RETURN_NOT_OK(SameRun(parts[0], name(0), parts[i], name(i)));
    const auto [it, fresh] = by_index.emplace(parts[i].shard.index, i);
    if (!fresh) {
      return Status::InvalidArgument("shard " + std::to_string(parts[i].shard.index) + "/" +
                                     std::to_string(parts[i].shard.count) + " is given twice (" +
                                     name(it->second) + " and " + name(i) + ")");
    }
  }
  const std::size_t count = std::max<std::size_t>(1, parts[0].shard.count);
  std::string missing;
  for (std::size_t k = 1; k <= count; ++k) {
    if (!by_index.contains(k)) missing += (missing.empty() ? "" : ", ") + std::to_string(k);
  }
  if (!missing.empty()) {
    return Status::InvalidArgument("shard " + missing + " of " + std::to_string(count) +
                                   " is missing; hint: a report needs every part of the run");
  }
  ReportPart merged = std::move(parts[0]);
  merged.shard = Shard{};
  for (std::size_t i = 1; i < parts.size(); ++i) {
    for (LogReport& log : parts[i].report.logs) merged.report.logs.push_back(std::move(log));
    for (SkippedInput& s : parts[i].report.skipped) merged.report.skipped.push_back(std::move(s));
  }
  std::stable_sort(merged.report.logs.begin(), merged.report.logs.end(),
                   [](const LogReport& a, const LogReport& b) { return a.path < b.path; });
  std::stable_sort(merged.report.skipped.begin(), merged.report.skipped.end(),
                   [](const SkippedInput& a, const SkippedInput& b) { return a.path < b.path; });
  return merged;
}

}  // namespace perfleak
