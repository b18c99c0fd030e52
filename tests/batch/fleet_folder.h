// A generated support-case folder for the batch report and CLI tests: machines in sub-folders,
// a roll-over pair, CSV, TSV and BLG logs side by side, and broken and foreign files among them.
// Header-only because tests/batch and tests/cli both use it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <sstream>
#include <string>

#include "perfleak/counter_log.h"
#include "perfleak/time_format.h"
#include "perfleak/writer.h"
#include "scenario_generator.h"
#include "test_util.h"

namespace perfleak::testing {

/// A small PDH-CSV: `rows` samples at 15 s from `start_minute` past 10:00 of 2026-01-15 (UTC),
/// one process counter growing 1000 bytes a sample from `base`.
inline std::string SmallCsv(int start_minute, int rows, const std::string& machine = "WEB01",
                            double base = 1e6) {
  std::string text =
      "\"(PDH-CSV 4.0) (UTC)(0)\",\"\\\\" + machine + "\\Process(app)\\Private Bytes\"\r\n";
  Ticks t0 = 0;
  CivilToTicks(2026, 1, 15, 10, 0, 0, 0, &t0);
  for (int i = 0; i < rows; ++i) {
    const Ticks t = t0 + (start_minute * 60 + i * 15) * kTicksPerSecond;
    text += "\"" + FormatPdhTimestamp(t) + "\",\"" + std::to_string(base + 1000.0 * i) + "\"\r\n";
  }
  return text;
}

/// Samples [first, last) of `log`, every column.
inline CounterLog SliceSamples(const CounterLog& log, std::size_t first, std::size_t last) {
  CounterLog part = log;
  const auto cut = [&](auto& v) {
    v.assign(v.begin() + static_cast<std::ptrdiff_t>(first),
             v.begin() + static_cast<std::ptrdiff_t>(last));
  };
  cut(part.time_utc);
  cut(part.time_local);
  for (auto& column : part.columns) cut(column);
  return part;
}

inline std::string PdhText(const CounterLog& log, char delimiter = ',') {
  std::ostringstream out;
  WriteOptions options;
  options.delimiter = delimiter;
  if (!WritePdhText(log, out, options).ok()) return {};
  return out.str();
}

inline scenario::Scenario SmallScenario(std::uint64_t seed, const std::string& machine) {
  scenario::ScenarioOptions o;
  o.seed = seed;
  o.machine = machine;
  o.min_samples = 240;
  o.max_samples = 300;
  o.min_processes = 6;
  o.max_processes = 8;
  // The same leak pattern on every machine, so that the fleet summary has something to rank.
  o.leak_share = 0.5;
  return scenario::GenerateScenario(o);
}

/// What MakeFleetFolder wrote.
struct FleetFolder {
  std::string root;
  std::size_t good_logs = 0;  ///< timelines that analyse (a roll-over pair counts once)
  /// Files that read but hold no samples (a .blg cut inside its first data buffer): listed
  /// as analysed with a warning, since the reader keeps what precedes a cut.
  std::size_t sampleless_logs = 0;
  std::size_t broken_logs = 0;  ///< files that fail to read
  std::size_t foreign = 0;      ///< files that are not counter logs (skipped)
};

/// `<root>/case42/{web01,web02,db01,app01}/...`: web01 a roll-over pair of PDH-CSV parts,
/// web02 a PDH-TSV (same scenario as web01, so the same processes leak on both), db01 the
/// synthetic .blg fixture, app01 a CSV; broken/: a CSV with a damaged row, an empty CSV and a
/// .blg of garbage (failing), and a .blg cut in its first buffer (no samples); foreign: a text note
/// and a JSON file.
inline FleetFolder MakeFleetFolder(const std::string& root) {
  namespace fs = std::filesystem;
  FleetFolder folder;
  folder.root = root;
  const std::string base = root + "/case42";
  for (const char* sub : {"web01", "web02", "db01", "app01", "broken"}) {
    fs::create_directories(base + "/" + sub);
  }
  const scenario::Scenario web01 = SmallScenario(5, "WEB01");
  const std::size_t half = web01.log.num_samples() / 2;
  WriteStringToFile(base + "/web01/DataCollector01.csv", PdhText(SliceSamples(web01.log, 0, half)));
  WriteStringToFile(base + "/web01/DataCollector01_000002.csv",
                    PdhText(SliceSamples(web01.log, half, web01.log.num_samples())));
  WriteStringToFile(base + "/web02/DataCollector01.tsv",
                    PdhText(SmallScenario(5, "WEB02").log, '\t'));
  const std::string app01 = PdhText(SmallScenario(7, "APP01").log);
  WriteStringToFile(base + "/app01/perf.csv", app01);
  const std::string blg = ReadFileToString(TestDataPath("blg/synthetic_process_object.blg"));
  WriteStringToFile(base + "/db01/DataCollector01.blg", blg);
  folder.good_logs = 4;

  // A row a third of the way in cut short and the next one written after it: a cut at the
  // very end would be read (its complete rows kept, with a warning).
  const std::size_t third = app01.find('\n', app01.size() / 3) + 1;
  WriteStringToFile(base + "/broken/damaged.csv", app01.substr(0, third) + app01.substr(third, 30) +
                                                      "\r\n" + app01.substr(third));
  WriteStringToFile(base + "/broken/empty.csv", "");
  WriteStringToFile(base + "/broken/cut.blg", blg.substr(0, 1500));
  WriteStringToFile(base + "/broken/garbage.blg", std::string(5000, '\x5a'));
  folder.broken_logs = 3;
  folder.sampleless_logs = 1;

  WriteStringToFile(base + "/notes.txt", "customer says it slows down at night\n");
  WriteStringToFile(base + "/web01/settings.json", "{\"collector\": \"DataCollector01\"}\n");
  folder.foreign = 2;
  return folder;
}

}  // namespace perfleak::testing
