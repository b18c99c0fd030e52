// perfleak_gen: writes labelled generated logs, `--out DIR --seed S [--count N] [--prefix P]
// [--tsv] [--min-samples N] [--max-samples N] [--min-processes N] [--max-processes N]
// [--patterns a,b,...] [--incident commit|pool] [--process-case NAME] [--interval SECONDS]
// [--version 1|2]`. `--process-case` writes one issue-17 case (process_generator.h). `--incident`
// writes a post-mortem log (incident_generator.h) instead of a mixed scenario.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "incident_generator.h"
#include "process_generator.h"
#include "scenario_generator.h"

namespace {

int Usage(const char* message) {
  std::fprintf(
      stderr,
      "perfleak_gen: %s\nusage: perfleak_gen --out DIR --seed S [--count N] "
      "[--prefix NAME] [--tsv] [--min-samples N] [--max-samples N] "
      "[--min-processes N] [--max-processes N] [--patterns a,b,...] "
      "[--incident commit|pool] [--process-case NAME] [--interval SECONDS] [--version 1|2]\n",
      message);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out, prefix = "scenario";
  std::uint64_t seed = 1;
  std::size_t count = 1;
  bool tsv = false;
  perfleak::scenario::ScenarioOptions options;
  std::string incident, process_case;
  double interval_s = 60.0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const auto number = [&](const char* v) { return v ? std::strtoull(v, nullptr, 10) : 0ULL; };
    if (arg == "--tsv") {
      tsv = true;
      continue;
    }
    const char* v = value();
    if (v == nullptr) return Usage(("missing value after " + std::string(arg)).c_str());
    if (arg == "--out")
      out = v;
    else if (arg == "--prefix")
      prefix = v;
    else if (arg == "--seed")
      seed = number(v);
    else if (arg == "--count")
      count = number(v);
    else if (arg == "--min-samples")
      options.min_samples = number(v);
    else if (arg == "--max-samples")
      options.max_samples = number(v);
    else if (arg == "--min-processes")
      options.min_processes = number(v);
    else if (arg == "--max-processes")
      options.max_processes = number(v);
    else if (arg == "--version")
      options.version = static_cast<int>(number(v));
    else if (arg == "--machine")
      options.machine = v;
    else if (arg == "--incident")
      incident = v;
    else if (arg == "--process-case")
      process_case = v;
    else if (arg == "--interval")
      interval_s = std::strtod(v, nullptr);
    else if (arg == "--patterns") {
      std::string list = v;
      std::size_t start = 0;
      while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        if (comma > start) options.patterns.push_back(list.substr(start, comma - start));
        start = comma + 1;
      }
    } else {
      return Usage(("unknown option " + std::string(arg)).c_str());
    }
  }
  if (out.empty()) return Usage("--out is required");
  if (options.min_samples > options.max_samples || options.min_processes > options.max_processes ||
      options.min_processes == 0 || options.version < 1 ||
      options.version > perfleak::scenario::kLatestVersion) {
    return Usage("minimums must not exceed maximums");
  }
  if (!process_case.empty()) {
    // One "know the process" case (process_generator.h), --max-samples samples.
    perfleak::scenario::ProcessCaseOptions po;
    bool known = false;
    for (int k = 0; k <= static_cast<int>(perfleak::scenario::ProcessCase::kProcessV2Restart);
         ++k) {
      const auto kind = static_cast<perfleak::scenario::ProcessCase>(k);
      if (process_case == perfleak::scenario::ProcessCaseName(kind)) {
        po.kind = kind;
        known = true;
      }
    }
    if (!known) return Usage("--process-case: unknown case");
    if (!(interval_s > 0.0)) return Usage("--interval must be > 0");
    po.seed = seed;
    po.samples = options.max_samples;
    po.interval_s = interval_s;
    po.machine = options.machine;
    const perfleak::Status st = perfleak::scenario::WriteScenario(
        perfleak::scenario::GenerateProcessCase(po), out, prefix, tsv, seed);
    if (!st.ok()) {
      std::fprintf(stderr, "perfleak_gen: %s\n", st.ToString().c_str());
      return 3;
    }
    return 0;
  }
  if (!incident.empty()) {
    if (incident != "commit" && incident != "pool")
      return Usage("--incident must be commit or pool");
    if (!(interval_s > 0.0)) return Usage("--interval must be > 0");
    perfleak::scenario::IncidentOptions io;
    io.seed = seed;
    io.kind = incident == "commit" ? perfleak::scenario::IncidentKind::kCommitEater
                                   : perfleak::scenario::IncidentKind::kPoolLeak;
    io.samples = options.max_samples;
    io.interval_s = interval_s;
    io.machine = options.machine;
    const auto scenario = perfleak::scenario::GenerateIncident(io);
    const perfleak::Status st = perfleak::scenario::WriteScenario(scenario, out, prefix, tsv, seed);
    if (!st.ok()) {
      std::fprintf(stderr, "perfleak_gen: %s\n", st.ToString().c_str());
      return 3;
    }
    return 0;
  }
  for (std::size_t k = 0; k < count; ++k) {
    options.seed = seed + k;
    const auto scenario = perfleak::scenario::GenerateScenario(options);
    const std::string name = count == 1 ? prefix : prefix + "_" + std::to_string(options.seed);
    const perfleak::Status st =
        perfleak::scenario::WriteScenario(scenario, out, name, tsv, options.seed);
    if (!st.ok()) {
      std::fprintf(stderr, "perfleak_gen: %s\n", st.ToString().c_str());
      return 3;
    }
  }
  return 0;
}
