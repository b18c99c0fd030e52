// `perfleak merge PART...`: the report parts of a sharded run (`analyze --shard K/N`) joined
// into the report one run over all the inputs writes.
#include <boost/program_options.hpp>

#include "commands.h"
#include "exit_codes.h"
#include "perfleak/report_part.h"
#include "read_flags.h"
#include "report_output.h"

namespace po = boost::program_options;

namespace perfleak::cli {

int RunMerge(const std::vector<std::string>& args, CliContext& ctx) {
  po::options_description desc(
      "Usage: perfleak merge PART.json... [options]\n"
      "Joins the report parts of a sharded run (`perfleak analyze INPUTS --shard K/N -o\n"
      "PART.json`, run once for each K of N, anywhere) into the report one `perfleak analyze\n"
      "INPUTS` writes: the same ranking, fleet summary, totals, failed and skipped logs; the\n"
      "JSON is byte for byte the single run's apart from generated_utc. The parts must be the\n"
      "N shards of one run, each once (same inputs and options, same perfleak version); a\n"
      "missing or repeated shard, or a part of another run, is refused (exit 2). Exit codes as\n"
      "for analyze: 0, 1 for findings at or above --fail-on, 2 usage error, 3 when no log could\n"
      "be read or a part cannot be read, 4 when nothing could be judged.\n\n"
      "Options");
  ReportFlags flags;
  desc.add_options()("help,h", "show this help");
  flags.Add(desc);
  po::variables_map vm;
  if (auto exit = ParseCommandLine("merge", args, desc, &vm, ctx.out, ctx.err)) return *exit;
  if (auto exit = flags.Check("merge", ctx.err)) return *exit;
  const std::vector<std::string> names = vm["logs"].as<std::vector<std::string>>();
  std::vector<ReportPart> parts;
  for (const std::string& name : names) {
    auto part = ReadReportPart(name);
    if (!part.ok()) {
      ctx.err << "perfleak merge: " << part.status().message() << "\n";
      return kExitInput;
    }
    parts.push_back(std::move(part).value());
  }
  auto merged = MergeReportParts(std::move(parts), names);
  if (!merged.ok()) {
    ctx.err << "perfleak merge: " << merged.status().message() << "\n";
    return kExitUsage;
  }
  const ReportRun run{merged->report_options, merged->focus};
  return FinishReport(std::move(merged->report), run, flags, "merge", ctx);
}

}  // namespace perfleak::cli
