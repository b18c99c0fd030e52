// Quality of `leak` verdicts on the RECORDED set: real runtimes (JVM, CPython, node, C with
// glibc, SQLite) leaking or not by construction, sampled from /proc into PDH-CSV by
// tools/record/record_proc.py (tests/data/recorded/README.md). The set is never used to tune
// the detector; its per-pattern table, beside PAL's rule, is pinned as a reviewed golden.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "labelled_set.h"
#include "perfleak/analysis.h"
#include "perfleak/read_options.h"
#include "perfleak/reader.h"
#include "test_util.h"

namespace perfleak {
namespace {

struct RecordedLog {
  std::string name;  // file name, as the golden's wrong calls name it
  std::string csv_path;
  std::string labels_path;
};

std::vector<RecordedLog> RecordedLogs() {
  const std::filesystem::path dir = testing::TestDataPath("recorded");
  std::vector<RecordedLog> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::filesystem::path& p = entry.path();
    if (p.extension() != ".csv") continue;
    std::filesystem::path labels = p;
    labels.replace_extension(".labels.json");
    out.push_back({p.filename().string(), p.string(), labels.string()});
  }
  std::sort(out.begin(), out.end(),
            [](const RecordedLog& a, const RecordedLog& b) { return a.name < b.name; });
  return out;
}

Result<CounterLog> ReadRecorded(const RecordedLog& r) {
  ReadOptions ro;
  ro.counter_patterns = AnalysisCounterPatterns();
  return ReadLog(r.csv_path, ro);
}

std::vector<scenario::ProcessLabel> LabelsOf(const RecordedLog& r) {
  const auto labels =
      scenario::ParseLabelsJson(testing::ReadFileToString(r.labels_path), r.labels_path);
  EXPECT_TRUE(labels.ok()) << labels.status().ToString();
  return labels.ok() ? *labels : std::vector<scenario::ProcessLabel>{};
}

// Every PID in the log's ID Process columns.
std::set<std::int64_t> LoggedPids(const CounterLog& log) {
  std::set<std::int64_t> pids;
  for (std::size_t c = 0; c < log.num_counters(); ++c) {
    if (log.paths[c].object != "Process" || log.paths[c].counter != "ID Process") continue;
    for (double v : log.column(c))
      if (std::isfinite(v)) pids.insert(static_cast<std::int64_t>(v));
  }
  return pids;
}

TEST(RecordedSet, EveryLabelParsesAndNamesAPidOfItsLog) {
  const std::vector<RecordedLog> logs = RecordedLogs();
  ASSERT_GE(logs.size(), 1u) << testing::TestDataPath("recorded") << " holds no recorded log";
  for (const RecordedLog& r : logs) {
    ASSERT_TRUE(std::filesystem::exists(r.labels_path)) << r.csv_path << " has no labels file";
    const auto log = ReadRecorded(r);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    EXPECT_TRUE(log->warnings.empty()) << r.csv_path << ": " << log->warnings.front();
    const std::set<std::int64_t> pids = LoggedPids(*log);
    const std::vector<scenario::ProcessLabel> labels = LabelsOf(r);
    EXPECT_FALSE(labels.empty()) << r.labels_path;
    for (const scenario::ProcessLabel& label : labels) {
      EXPECT_FALSE(label.pids.empty()) << r.labels_path << ": " << label.instance;
      for (std::int64_t pid : label.pids)
        EXPECT_TRUE(pids.count(pid)) << r.labels_path << ": " << label.instance << " names pid "
                                     << pid << ", which no ID Process column of the log holds";
    }
  }
}

TEST(LeakQuality, RecordedSetMatchesItsReviewedTable) {
  scenario::QualityTable table;
  for (const RecordedLog& r : RecordedLogs()) {
    const auto log = ReadRecorded(r);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    const auto analysis = AnalyzeLog(*log);
    ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
    scenario::ScoreLog(r.name, *log, *analysis, LabelsOf(r), &table);
  }
  const std::string text = scenario::FormatQualityTable(table);
  std::printf("%s", text.c_str());
  ASSERT_GT(table.ours.tp + table.ours.fn + table.ours.fp + table.ours.tn, 0u);
  // The table of the detector as it is, not a target: a change shows as a diff to review.
  EXPECT_EQ(testing::CompareWithGolden("quality/recorded.txt", text), "");
}

}  // namespace
}  // namespace perfleak
