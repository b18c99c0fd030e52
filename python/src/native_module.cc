// perfleak._native: the thin C++ side of the Python package. It exposes two things only:
// a decoded log (Log), whose columns are NumPy arrays borrowing the reader's own buffers, and
// an analysis (NativeReport), which hands out the reports the C++ reporters write. The
// Python model of the analysis is the JSON report itself (perfleak/_report.py parses it), so
// it follows the JSON contract without a field-by-field binding to keep in step.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "perfleak/analysis.h"
#include "perfleak/batch.h"
#include "perfleak/counter_log.h"
#include "perfleak/memory_pressure.h"
#include "perfleak/reader.h"
#include "perfleak/report.h"
#include "perfleak/report_part.h"
#include "perfleak/time_format.h"
#include "perfleak/version.h"

namespace py = pybind11;

namespace perfleak::python {
namespace {

// A failed Status on its way to Python; the translator below turns it into the exception
// perfleak._errors.error_for() picks (LogError, FileNotFoundError-like, ValueError, ...).
struct StatusError : std::exception {
  StatusError(Status s, std::string p) : status(std::move(s)), path(std::move(p)) {}
  const char* what() const noexcept override { return status.message().c_str(); }
  Status status;
  std::string path;
};

const char* CodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kIoError:
      return "io_error";
    case StatusCode::kParseError:
      return "parse_error";
    case StatusCode::kUnsupportedFormat:
      return "unsupported_format";
    case StatusCode::kUnknownFormat:
      return "unknown_format";
    case StatusCode::kLimitExceeded:
      return "limit_exceeded";
    case StatusCode::kOutOfRange:
      return "out_of_range";
    case StatusCode::kInternal:
      return "internal";
  }
  return "unknown";
}

void ThrowIfFailed(const Status& status, const std::string& path) {
  if (!status.ok()) throw StatusError(status, path);
}

// A 1-D NumPy view of `size` elements at `data`, owned by `owner` (kept alive as the array's
// base): no copy, and the log outlives every array taken from it.
template <typename T>
py::array_t<T> BorrowedArray(const T* data, std::size_t size, const py::object& owner) {
  return py::array_t<T>({static_cast<py::ssize_t>(size)}, {static_cast<py::ssize_t>(sizeof(T))},
                        data, owner);
}

std::shared_ptr<CounterLog> ReadLogForPython(const std::string& path,
                                             const std::vector<std::string>& counters,
                                             bool skip_bad_rows, std::size_t threads) {
  ReadOptions options;
  options.counter_patterns = counters;
  options.invalid_rows = skip_bad_rows ? InvalidRowPolicy::kSkip : InvalidRowPolicy::kError;
  options.num_threads = threads;
  ThrowIfFailed(options.Validate(), path);
  std::optional<Result<CounterLog>> result;
  {
    py::gil_scoped_release release;
    result.emplace(ReadLog(path, options));
  }
  ThrowIfFailed(result->status(), path);
  return std::make_shared<CounterLog>(std::move(*result).value());
}

// `parent/instance#n` as the path writes it; empty for counters without an instance.
std::string InstanceText(const CounterPath& p) {
  if (!p.has_instance) return {};
  std::string text = p.parent.empty() ? std::string() : p.parent + "/";
  return text + p.InstanceWithIndex();
}

py::dict TimeZoneDict(const LogTimeZone& tz) {
  py::dict d;
  d["name"] = tz.name;
  d["bias_minutes"] = tz.bias_minutes;
  d["has_bias"] = tz.has_bias;
  d["iana_name"] = tz.iana_name.empty() ? py::object(py::none()) : py::str(tz.iana_name);
  return d;
}

void BindLog(py::module_& m) {
  py::class_<CounterLog, std::shared_ptr<CounterLog>>(
      m, "Log",
      "One decoded counter log in columns. Arrays returned by time_utc, time_local, columns "
      "and column() borrow the log's memory (no copy) and keep the log alive.")
      .def_property_readonly("source", [](const CounterLog& l) { return l.source; })
      .def_property_readonly("format", [](const CounterLog& l) { return LogFormatName(l.format); })
      .def_property_readonly("time_zone",
                             [](const CounterLog& l) { return TimeZoneDict(l.time_zone); })
      .def_property_readonly("warnings", [](const CounterLog& l) { return l.warnings; })
      .def_property_readonly("metadata", [](const CounterLog& l) { return l.metadata; })
      .def("__repr__",
           [](const CounterLog& l) {
             return "<perfleak.Log " + std::string(LogFormatName(l.format)) + " '" + l.source +
                    "': " + std::to_string(l.num_samples()) + " samples x " +
                    std::to_string(l.num_counters()) + " counters>";
           })
      .def_property_readonly("num_samples", &CounterLog::num_samples)
      .def_property_readonly("num_counters", &CounterLog::num_counters)
      .def_property_readonly(
          "time_utc",
          [](const py::object& self) {
            const auto& l = self.cast<const CounterLog&>();
            return BorrowedArray(l.time_utc.data(), l.time_utc.size(), self);
          },
          "int64 ticks of 100 ns since 1970-01-01 UTC, one per sample (borrowed).")
      .def_property_readonly(
          "time_local",
          [](const py::object& self) {
            const auto& l = self.cast<const CounterLog&>();
            return BorrowedArray(l.time_local.data(), l.time_local.size(), self);
          },
          "int64 ticks of the writer's wall-clock time, same units (borrowed).")
      .def_property_readonly(
          "paths",
          [](const CounterLog& l) {
            std::vector<std::string> out;
            out.reserve(l.paths.size());
            for (const CounterPath& p : l.paths) out.push_back(p.ToString());
            return out;
          },
          "Full counter paths as PDH writes them, one per column.")
      .def_property_readonly(
          "path_parts",
          [](const CounterLog& l) {
            py::list out;
            for (const CounterPath& p : l.paths) {
              out.append(py::make_tuple(p.machine, p.object, InstanceText(p), p.counter));
            }
            return out;
          },
          "(machine, object, instance, counter) per column; instance is `parent/name#n`.")
      .def(
          "column",
          [](const py::object& self, std::size_t counter_idx) {
            const auto& l = self.cast<const CounterLog&>();
            if (counter_idx >= l.columns.size()) throw py::index_error("column index out of range");
            const Column& c = l.columns[counter_idx];
            return BorrowedArray(c.data(), c.size(), self);
          },
          py::arg("counter_idx"), "float64 values of one counter, NaN = missing (borrowed).")
      .def_property_readonly("columns", [](const py::object& self) {
        const auto& l = self.cast<const CounterLog&>();
        py::list out;
        for (const Column& c : l.columns) {
          out.append(BorrowedArray(c.data(), c.size(), self));
        }
        return out;
      });
  m.def("read_log", &ReadLogForPython, py::arg("path"), py::arg("counters"),
        py::arg("skip_bad_rows"), py::arg("threads"),
        "Reads a .blg, PDH-CSV or PDH-TSV log (the GIL is released while reading).");
}

// An analysed batch and the options its reports are written with. The generation time is
// fixed when the analysis runs, so the JSON, text and HTML of one analysis agree.
struct NativeReport {
  Report report;
  ReportOptions options;

  std::string Write(ReportFormat format, std::size_t width) const {
    ReportOptions o = options;
    o.width = width;
    std::unique_ptr<Reporter> reporter = MakeReporter(format, o);
    std::ostringstream out;
    Status status;
    {
      py::gil_scoped_release release;
      status = reporter->Write(report, out);
    }
    ThrowIfFailed(status, "");
    return std::move(out).str();
  }

  void WriteHtml(const std::string& path) const {
    std::string html = Write(ReportFormat::kHtml, options.width);
    std::ofstream file(path, std::ios::binary);
    file.write(html.data(), static_cast<std::streamsize>(html.size()));
    if (!file) ThrowIfFailed(Status::IoError("cannot write " + path), path);
  }
};

struct AnalyzeArgs {
  std::vector<std::string> paths;
  std::string sensitivity = "default";
  FocusOptions focus;
  std::vector<std::string> include, exclude;
  std::size_t jobs = 0;
  bool include_ok = false;
  bool stitch = true;
  bool skip_bad_rows = false;
  std::size_t threads = 0;
  Shard shard;
};

// Checks what the CLI checks before it analyses (the same messages); kInvalidArgument.
Status ValidateFocus(const FocusOptions& focus) {
  for (const auto& [name, text] :
       {std::pair{"from_", &focus.from}, std::pair{"to", &focus.to}, std::pair{"at", &focus.at}}) {
    if (text->empty()) continue;
    if (auto parsed = ParseTimeText(*text); !parsed.ok()) {
      return Status::InvalidArgument(std::string(name) + ": " + parsed.status().message());
    }
  }
  if (!(focus.run_up_hours > 0.0 && focus.run_up_hours < 1e5)) {
    return Status::InvalidArgument("run_up must be a number of hours > 0");
  }
  return Status::OK();
}

std::string NowUtc() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  const Ticks ticks =
      std::chrono::duration_cast<std::chrono::duration<Ticks, std::ratio<1, kTicksPerSecond>>>(
          since_epoch)
          .count();
  return FormatIsoUtc(ticks, false);
}

// The options are built exactly as `perfleak analyze` builds them (command_analyze.cc), so the
// reports are the CLI's.
BatchOptions ToBatchOptions(const AnalyzeArgs& args, Sensitivity sensitivity) {
  BatchOptions batch;
  batch.read.invalid_rows = args.skip_bad_rows ? InvalidRowPolicy::kSkip : InvalidRowPolicy::kError;
  batch.read.num_threads = args.threads;
  batch.read.counter_patterns = AnalysisCounterPatterns();
  batch.analysis = AnalysisOptions::ForSensitivity(sensitivity);
  batch.analysis.focus = args.focus;
  batch.analysis.memory.run_up_hours = args.focus.run_up_hours;
  batch.include = args.include;
  batch.exclude = args.exclude;
  batch.stitch = args.stitch;
  batch.jobs = args.jobs;
  batch.shard = args.shard;
  return batch;
}

ReportOptions ToReportOptions(const AnalyzeArgs& args, Sensitivity sensitivity) {
  ReportOptions options;
  // A process in focus is shown whatever its verdict, with every counter.
  options.include_ok = args.include_ok || !args.focus.process.empty();
  options.every_counter = !args.focus.process.empty();
  options.sensitivity = sensitivity;
  return options;
}

Sensitivity CheckedSensitivity(const AnalyzeArgs& args) {
  auto sensitivity = ParseSensitivity(args.sensitivity);
  ThrowIfFailed(sensitivity.status(), "");
  ThrowIfFailed(ValidateFocus(args.focus), "");
  return *sensitivity;
}

// What the CLI decides on the whole report: a focus time outside every log is the caller's
// mistake, not the logs' (exit 2 there, an exception here); outside only some of them, those
// are listed as failed with the reason.
std::shared_ptr<NativeReport> Finish(Report report, const ReportOptions& options,
                                     const FocusOptions& focus) {
  const auto outside = [](const LogReport& entry) {
    return entry.status.code() == StatusCode::kOutOfRange;
  };
  const auto& logs = report.logs;
  if (focus.HasWindow() && !logs.empty() && std::all_of(logs.begin(), logs.end(), outside)) {
    ThrowIfFailed(logs.front().status, logs.front().path);
  }
  for (const LogReport& entry : logs) {
    if (focus.HasWindow() && entry.status.code() == StatusCode::kInvalidArgument) {
      ThrowIfFailed(entry.status, entry.path);
    }
  }
  auto native = std::make_shared<NativeReport>();
  native->report = std::move(report);
  native->options = options;
  native->options.generated_utc = NowUtc();
  return native;
}

std::shared_ptr<NativeReport> Analyze(const AnalyzeArgs& args) {
  const Sensitivity sensitivity = CheckedSensitivity(args);
  const BatchOptions batch = ToBatchOptions(args, sensitivity);
  Report report;
  {
    py::gil_scoped_release release;
    report = RunBatch(args.paths, batch);
  }
  return Finish(std::move(report), ToReportOptions(args, sensitivity), args.focus);
}

// One shard of a run as a report part (JSON text, as `analyze --shard` writes it). With
// `failure` set, the part of a shard whose run failed: its logs listed as failed with it.
std::string AnalyzePart(const AnalyzeArgs& args, const std::optional<std::string>& failure) {
  const Sensitivity sensitivity = CheckedSensitivity(args);
  const BatchOptions batch = ToBatchOptions(args, sensitivity);
  const ReportOptions options = ToReportOptions(args, sensitivity);
  ReportPart part{batch.shard, args.paths, RunSettings(batch, options), options, args.focus, {}};
  std::ostringstream out;
  {
    py::gil_scoped_release release;
    part.report = failure ? FailedShardReport(args.paths, batch, Status::IoError(*failure))
                          : RunBatch(args.paths, batch);
    ThrowIfFailed(WriteReportPart(part, out), "");
  }
  return std::move(out).str();
}

// The parts of one run (JSON texts, in any order) joined into its report.
std::shared_ptr<NativeReport> MergeParts(const std::vector<std::string>& texts) {
  std::vector<ReportPart> parts;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    names.push_back("part " + std::to_string(i + 1));
    auto part = ParseReportPart(texts[i], names.back());
    ThrowIfFailed(part.status(), "");
    parts.push_back(std::move(part).value());
  }
  auto merged = MergeReportParts(std::move(parts), names);
  ThrowIfFailed(merged.status(), "");
  return Finish(std::move(merged->report), merged->report_options, merged->focus);
}

// The options of analyze() and analyze_part(), as perfleak/_analysis.py's analysis_options()
// builds them (every key present, already of the right Python type).
AnalyzeArgs ArgsFrom(std::vector<std::string> paths, const py::dict& o) {
  AnalyzeArgs args;
  args.paths = std::move(paths);
  args.sensitivity = o["sensitivity"].cast<std::string>();
  args.focus.from = o["from_"].cast<std::string>();
  args.focus.to = o["to"].cast<std::string>();
  args.focus.at = o["at"].cast<std::string>();
  args.focus.process = o["process"].cast<std::string>();
  args.focus.run_up_hours = o["run_up"].cast<double>();
  args.include = o["include"].cast<std::vector<std::string>>();
  args.exclude = o["exclude"].cast<std::vector<std::string>>();
  args.jobs = o["jobs"].cast<std::size_t>();
  args.include_ok = o["all"].cast<bool>();
  args.stitch = o["stitch"].cast<bool>();
  args.skip_bad_rows = o["skip_bad_rows"].cast<bool>();
  args.threads = o["threads"].cast<std::size_t>();
  return args;
}

void BindAnalysis(py::module_& m) {
  py::class_<NativeReport, std::shared_ptr<NativeReport>>(m, "NativeReport")
      .def("to_json", [](const NativeReport& r) { return r.Write(ReportFormat::kJson, 100); })
      .def(
          "to_text",
          [](const NativeReport& r, std::size_t width) {
            return r.Write(ReportFormat::kText, width);
          },
          py::arg("width") = 100)
      .def("to_html", &NativeReport::WriteHtml, py::arg("path"))
      .def_property_readonly("generated_utc",
                             [](const NativeReport& r) { return r.options.generated_utc; });
  m.def(
      "analyze",
      [](std::vector<std::string> paths, const py::dict& options) {
        return Analyze(ArgsFrom(std::move(paths), options));
      },
      py::arg("paths"), py::arg("options"),
      "Reads and analyses logs like `perfleak analyze` (the GIL is released meanwhile).");
  m.def(
      "analyze_part",
      [](std::vector<std::string> paths, std::size_t index, std::size_t count,
         const py::dict& options, std::optional<std::string> failure) {
        AnalyzeArgs args = ArgsFrom(std::move(paths), options);
        auto shard = ParseShard(std::to_string(index) + "/" + std::to_string(count));
        ThrowIfFailed(shard.status(), "");
        args.shard = *shard;
        return AnalyzePart(args, failure);
      },
      py::arg("paths"), py::arg("index"), py::arg("count"), py::arg("options"),
      py::arg("failure") = std::nullopt,
      "Shard index/count of the run as a report part (JSON, as `analyze --shard` writes); with "
      "`failure`, the part of a shard whose run failed (its logs listed as failed).");
  m.def(
      "check_options", [](const py::dict& options) { CheckedSensitivity(ArgsFrom({}, options)); },
      py::arg("options"), "Raises ValueError for options analyze() would refuse.");
  m.def("merge_parts", &MergeParts, py::arg("parts"),
        "The report parts of one run (JSON texts) merged into its report (as `perfleak merge`).");
}

void TranslateStatusError(std::exception_ptr pending) {
  try {
    if (pending) std::rethrow_exception(pending);
  } catch (const StatusError& e) {
    py::object exc = py::module_::import("perfleak._errors")
                         .attr("error_for")(CodeName(e.status.code()), e.status.message(), e.path);
    PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
  }
}

}  // namespace
}  // namespace perfleak::python

PYBIND11_MODULE(_native, m) {
  m.doc() = "perfleak's native reader and analysis (use the `perfleak` package instead).";
  m.attr("__version__") = perfleak::kVersion;
  py::register_exception_translator(&perfleak::python::TranslateStatusError);
  perfleak::python::BindLog(m);
  perfleak::python::BindAnalysis(m);
}
