#include <fmt/format.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cstring>
#include <ostream>
#include <thread>

#include "commands.h"
#include "exit_codes.h"
#include "perfleak/batch.h"
#include "perfleak/counter_path.h"
#include "perfleak/log_summary.h"
#include "perfleak/reader.h"
#include "perfleak/time_format.h"
#include "read_flags.h"

namespace po = boost::program_options;

namespace perfleak::cli {

namespace {

void PrintSummary(const CounterLog& log, std::ostream& out) {
  const LogSummary s = Summarize(log, std::max(1u, std::thread::hardware_concurrency()));
  auto row = [&](const char* key, const std::string& value) {
    out << fmt::format("  {:<14}{}\n", std::string(key) + (std::strlen(key) >= 14 ? " " : ""),
                       value);
  };
  std::string format = LogFormatName(log.format);
  for (const auto& [k, v] : log.metadata) {
    if (k == "encoding") format += " (" + v + ")";
  }
  out << log.source << "\n";
  row("format", format);
  row("machines",
      s.machines.empty() ? "(none named)" : fmt::format("{}", fmt::join(s.machines, ", ")));
  std::string zone = log.time_zone.name.empty() ? "(not recorded)" : log.time_zone.name;
  if (log.time_zone.has_bias) {
    const int bias = log.time_zone.bias_minutes;
    zone += fmt::format(" (UTC{}{:02}:{:02})", bias > 0 ? "-" : "+", std::abs(bias) / 60,
                        std::abs(bias) % 60);
  }
  if (log.format == LogFormat::kBlg && log.time_zone.has_bias) {
    zone += ", DST rules from the log header";
  } else if (!log.time_zone.iana_name.empty()) {
    zone += ", DST rules of " + log.time_zone.iana_name;
  }
  row("time zone", zone);
  row("first sample", FormatLocal(s.first_local) + " local, " + FormatIsoUtc(s.first_utc));
  row("last sample", FormatLocal(s.last_local) + " local, " + FormatIsoUtc(s.last_utc));
  row("samples", fmt::format("{} (median interval {})", s.samples,
                             s.samples >= 2 ? FormatDuration(s.median_interval_s) : "n/a"));
  row("duration", FormatDuration(static_cast<double>(s.last_utc - s.first_utc) / kTicksPerSecond));
  row("counters", fmt::format("{} in {} object(s): {}", s.counters, s.objects.size(),
                              fmt::join(s.objects, ", ")));
  row("processes", fmt::format("{} instance(s)", s.process_instances));
  const double cells = static_cast<double>(s.samples) * static_cast<double>(s.counters);
  row("missing",
      fmt::format("{} of {} cells ({:.1f}%)", s.missing_cells, static_cast<std::size_t>(cells),
                  cells > 0 ? 100.0 * static_cast<double>(s.missing_cells) / cells : 0.0));
  for (const auto& [k, v] : log.metadata) {
    if (k != "encoding" && k != "header_cell") row(k.c_str(), v);
  }
  for (const std::string& w : log.warnings) out << "  warning: " << w << "\n";
}

}  // namespace

int RunInfo(const std::vector<std::string>& args, CliContext& ctx) {
  po::options_description desc(
      "Usage: perfleak info [options] LOG|FOLDER...\n"
      "Prints format, machines, first/last sample (local and UTC), samples, median interval,\n"
      "counters, objects and process instances of each log (.blg, PDH-CSV or PDH-TSV).\n"
      "Folders and archives (.zip, .cab, .7z, .tar.gz, ...; members shown as\n"
      "case.zip!/TSS/x.blg) are searched recursively for counter logs, as `analyze` does.\n\n"
      "Options");
  ReadFlags read_flags;
  std::string counters_pattern;
  desc.add_options()("help,h", "show this help")(
      "counters", po::value(&counters_pattern)->implicit_value("*"),
      "list the counter paths (those matching PATTERN, e.g. '\\Process(*)\\Private Bytes')");
  read_flags.Add(desc);
  po::variables_map vm;
  if (auto exit = ParseCommandLine("info", args, desc, &vm, ctx.out, ctx.err)) return *exit;
  if (auto exit = read_flags.Check("info", ctx.err)) return *exit;
  std::optional<CounterPattern> pattern;
  if (vm.count("counters")) {
    auto parsed = CounterPattern::Parse(counters_pattern);
    if (!parsed.ok()) {
      ctx.err << "perfleak info: " << parsed.status().message() << "\n";
      return kExitUsage;
    }
    pattern = std::move(parsed).value();
  }
  int failures = 0;
  bool first = true;
  // Folders are expanded as `analyze` expands them (recursively, by content).
  BatchOptions discovery;
  discovery.archive = read_flags.ToArchiveOptions();
  const BatchInputs inputs = DiscoverInputs(vm["logs"].as<std::vector<std::string>>(), discovery);
  for (const LogReport& failed : inputs.failed) {
    ctx.err << "perfleak info: " << failed.status.message() << "\n";
    ++failures;
  }
  for (const LogInput& input : inputs.logs) {
    auto log = ReadLogInput(input, read_flags.ToOptions(), discovery.archive);
    if (!log.ok()) {
      ctx.err << "perfleak info: " << log.status().message() << "\n";
      ++failures;
      continue;
    }
    if (!first) ctx.out << "\n";
    first = false;
    PrintSummary(*log, ctx.out);
    if (pattern) {
      ctx.out << "  counter paths:\n";
      std::size_t listed = 0;
      for (const CounterPath& p : log->paths) {
        if (!pattern->Matches(p)) continue;
        ctx.out << "    " << p.ToString() << "\n";
        ++listed;
      }
      if (listed == 0) {
        // Localized logs name objects in their language; say which ones this log has.
        const LogSummary s = Summarize(*log);
        ctx.out << fmt::format("    (none matches {}; the log's objects are: {})\n",
                               counters_pattern, fmt::join(s.objects, ", "));
      }
    }
  }
  return failures > 0 ? kExitInput : kExitOk;
}

}  // namespace perfleak::cli
