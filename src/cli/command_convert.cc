#include <boost/program_options.hpp>
#include <cctype>
#include <fstream>
#include <optional>
#include <ostream>

#include "commands.h"
#include "exit_codes.h"
#include "output_file.h"
#include "perfleak/batch.h"
#include "perfleak/reader.h"
#include "perfleak/writer.h"
#include "read_flags.h"

namespace po = boost::program_options;

namespace perfleak::cli {

namespace {
bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The one log `arg` names: a file, an archive holding one log, or `case.zip!/TSS/x.blg`.
// Prints why not (and, for an archive of several logs, their names) and returns nullopt.
std::optional<LogInput> OneInput(const std::string& arg, const ArchiveOptions& archive,
                                 std::ostream& err) {
  BatchOptions discovery;
  discovery.archive = archive;
  BatchInputs inputs = DiscoverInputs({arg}, discovery);
  if (inputs.logs.size() == 1) return std::move(inputs.logs.front());
  if (inputs.logs.empty() && inputs.failed.empty()) {
    // Nothing taken and nothing failed (a `tasklist /svc` export): read it as the log named,
    // so its error is the reader's.
    LogInput input;
    input.path = input.file = arg;
    return input;
  }
  for (const LogReport& failed : inputs.failed) {
    err << "perfleak convert: " << failed.status.message() << "\n";
  }
  if (inputs.logs.size() > 1) {
    err << "perfleak convert: " << arg << " holds " << inputs.logs.size()
        << " logs; convert one at a time, named like this:\n";
    for (const LogInput& input : inputs.logs) err << "  " << input.path << "\n";
  }
  return std::nullopt;
}
}  // namespace

int RunConvert(const std::vector<std::string>& args, CliContext& ctx) {
  po::options_description desc(
      "Usage: perfleak convert LOG -o OUT.csv|OUT.tsv [options]\n"
      "Writes a relog-style PDH-CSV or PDH-TSV: the (PDH-CSV 4.0) (zone)(bias) header cell,\n"
      "quoted values, \" \" for missing samples, local timestamps. A Linux replacement for\n"
      "`relog LOG -f csv -o OUT.csv`. The output format follows OUT's extension (.tsv = tabs)\n"
      "unless --format says otherwise; `-o -` writes to standard output.\n"
      "LOG may be an archive holding one log (.zip, .cab, .7z, .tar.gz, ...) or one member\n"
      "of an archive named as 'case.zip!/TSS/Perfmon/DataCollector01.blg'.\n"
      "A .blg is read through once for its counters, instances and warnings (errors show\n"
      "before anything is written), then decoded a block of rows at a time while it is\n"
      "written: its columns are never in memory, so a .blg larger than memory converts.\n\n"
      "Options");
  ReadFlags read_flags;
  std::string output, format;
  std::vector<std::string> counters;
  bool lf = false;
  desc.add_options()("help,h", "show this help")(
      "output,o", po::value(&output),
      "output file (required), or - for standard output; a write that fails, even at "
      "the final flush (a full disk), exits 3")(
      "format", po::value(&format), "csv or tsv (default: from the output file's extension)")(
      "counters", po::value(&counters)->multitoken(),
      "only counters matching these patterns, e.g. '\\Process(*)\\Private Bytes' '\\Memory\\*'")(
      "lf", po::bool_switch(&lf), "end lines with LF instead of PDH's CRLF");
  read_flags.Add(desc);
  po::variables_map vm;
  if (auto exit = ParseCommandLine("convert", args, desc, &vm, ctx.out, ctx.err)) return *exit;
  if (auto exit = read_flags.Check("convert", ctx.err)) return *exit;
  const auto logs = vm["logs"].as<std::vector<std::string>>();
  if (logs.size() != 1 || output.empty()) {
    ctx.err << "perfleak convert: give exactly one LOG and -o OUT\n" << desc << "\n";
    return kExitUsage;
  }
  if (format.empty()) {
    std::string lower = output;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (output == "-" || EndsWith(lower, ".csv")) {
      format = "csv";
    } else if (EndsWith(lower, ".tsv")) {
      format = "tsv";
    } else {
      ctx.err << "perfleak convert: cannot tell the format from the name " << output
              << " (convert writes PDH-CSV or PDH-TSV); name it .csv or .tsv, or give --format "
                 "csv|tsv\n";
      return kExitUsage;
    }
  }
  if (format != "csv" && format != "tsv") {
    ctx.err << "perfleak convert: --format must be csv or tsv\n";
    return kExitUsage;
  }
  ReadOptions read_options = read_flags.ToOptions();
  read_options.counter_patterns = counters;
  if (Status st = read_options.Validate(); !st.ok()) {
    ctx.err << "perfleak convert: " << st.message() << "\n";
    return kExitUsage;
  }
  auto input = OneInput(logs[0], read_flags.ToArchiveOptions(), ctx.err);
  if (!input) return kExitInput;
  auto log = OpenLogInputToWrite(*input, read_options, read_flags.ToArchiveOptions());
  if (!log.ok()) {
    ctx.err << "perfleak convert: " << log.status().message() << "\n";
    return ExitCodeFor(log.status());
  }
  for (const std::string& w : log->header().warnings) {
    ctx.err << "perfleak convert: warning: " << w << "\n";
  }
  WriteOptions write_options;
  write_options.delimiter = format == "tsv" ? '\t' : ',';
  write_options.crlf = !lf;
  write_options.num_threads = read_options.num_threads;
  const auto write = [&](std::ostream& out) { return log->Write(out, write_options); };
  const Status st =
      output == "-" ? WriteOutputStream(ctx.out, write) : WriteOutputFile(output, write);
  if (!st.ok()) {
    ctx.err << "perfleak convert: " << st.message() << "\n";
    return kExitInput;
  }
  return kExitOk;
}

}  // namespace perfleak::cli
