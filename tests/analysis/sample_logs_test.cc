// Every committed sample log, read from disk as the CLI reads it, gets the labelled verdicts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "perfleak/analysis.h"
#include "perfleak/read_options.h"
#include "perfleak/reader.h"

namespace perfleak {
namespace {

TEST(SampleLogs, VerdictsMatchLabels) {
  const std::filesystem::path dir = std::filesystem::path(PERFLEAK_SOURCE_DIR) / "sample_logs";
  std::vector<std::filesystem::path> labels;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().string().ends_with(".labels.json")) labels.push_back(entry.path());
  }
  std::sort(labels.begin(), labels.end());
  ASSERT_GE(labels.size(), 3u);
  for (const auto& label_path : labels) {
    std::ifstream in(label_path);
    const auto j = nlohmann::json::parse(in);
    const std::string log_path = (dir / j["file"].get<std::string>()).string();
    EXPECT_LT(std::filesystem::file_size(log_path), 300u * 1024u) << log_path;
    ReadOptions ro;
    ro.counter_patterns = AnalysisCounterPatterns();
    const auto log = ReadLog(log_path, ro);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    const auto analysis = AnalyzeLog(*log);
    ASSERT_TRUE(analysis.ok());
    for (const auto& p : j["processes"]) {
      const auto pids = p["pids"].get<std::vector<std::int64_t>>();
      Verdict got = Verdict::kOk;
      for (const Finding& f : analysis->findings) {
        if (std::any_of(f.pids.begin(), f.pids.end(), [&](std::int64_t pid) {
              return std::find(pids.begin(), pids.end(), pid) != pids.end();
            })) {
          got = std::max(got, f.verdict);
        }
      }
      const bool leak_expected = p["expected"] == "leak";
      if (std::getenv("PERFLEAK_SAMPLE_VERBOSE") != nullptr) {
        std::printf("%s | %s | %s | %s | %s\n", j["file"].get<std::string>().c_str(),
                    p["instance"].get<std::string>().c_str(),
                    p["pattern"].get<std::string>().c_str(),
                    p["expected"].get<std::string>().c_str(), VerdictName(got));
      }
      EXPECT_EQ(got == Verdict::kLeak, leak_expected)
          << log_path << ": " << p["instance"] << " (" << p["pattern"] << ") got "
          << VerdictName(got);
    }
  }
}

}  // namespace
}  // namespace perfleak

namespace perfleak {
namespace {

LogAnalysis AnalyzeSample(const std::string& name, const AnalysisOptions& options = {}) {
  ReadOptions ro;
  ro.counter_patterns = AnalysisCounterPatterns();
  const auto log = ReadLog(std::string(PERFLEAK_SOURCE_DIR) + "/sample_logs/" + name, ro);
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  if (!log.ok()) return {};
  auto analysis = AnalyzeLog(*log, options);
  EXPECT_TRUE(analysis.ok());
  return analysis.ok() ? std::move(*analysis) : LogAnalysis{};
}

const Finding& Find(const LogAnalysis& a, std::string_view instance, bool system = false) {
  for (const Finding& f : a.findings) {
    if (f.instance == instance && f.system == system) return f;
  }
  ADD_FAILURE() << "no finding " << instance;
  static const Finding kNone;
  return kNone;
}

// app05's OrderService rises 25x to commit exhaustion on a near-perfect line, but its
// autocorrelation-corrected trend z (about 3.7) is under `low`'s 4.0: severity must keep it.
TEST(SampleLogs, LowSensitivityKeepsTheCommitEater) {
  const LogAnalysis low =
      AnalyzeSample("app05_incident.csv", AnalysisOptions::ForSensitivity(Sensitivity::kLow));
  const Finding& order = Find(low, "OrderService");
  EXPECT_EQ(order.verdict, Verdict::kLeak);
  EXPECT_LT(order.evidence.front().trend_z, 4.0) << "the test no longer exercises the severe path";
}

// sql02's Ssms is flat with spikes (first/last tenth medians 227.9 / 227.4 MB): a fitted line
// through the spikes is not growth the series shows.
TEST(SampleLogs, FlatSeriesWithSpikesIsNotSuspect) {
  const LogAnalysis a = AnalyzeSample("sql02_restarts.tsv");
  const Finding& ssms = Find(a, "Ssms");
  EXPECT_EQ(ssms.verdict, Verdict::kOk);
  for (const Evidence& e : ssms.evidence) EXPECT_LT(e.observed_change, 1024.0 * 1024.0);
}

// batch04 (38 min): commit drifts with an interval that includes zero, and the limit is two
// weeks away; web01 (8 min) is too short. Neither may print a time of exhaustion.
TEST(SampleLogs, NoForecastFromShortOrUncertainTrends) {
  for (const char* name : {"batch04_threads.csv", "web01_mixed.csv", "sql02_restarts.tsv"}) {
    const LogAnalysis a = AnalyzeSample(name);
    ASSERT_TRUE(a.system_memory.has_value()) << name;
    for (const SystemMemory& m : a.system_memory->machines) {
      ASSERT_TRUE(m.commit_exhaustion.has_value()) << name;
      EXPECT_NE(m.commit_exhaustion->status, ForecastStatus::kForecast) << name;
      EXPECT_FALSE(m.commit_exhaustion->exhaustion_utc.has_value()) << name;
    }
    for (const ExhaustionForecast& f : a.system_memory->process_exhaustion) {
      EXPECT_NE(f.status, ForecastStatus::kForecast) << name << " " << f.subject;
    }
  }
}

// app05: the commit forecast uses the system finding's own rate, its interval holds the
// estimate, and the system finding names OrderService as nearly all of the commit growth.
TEST(SampleLogs, CommitFindingIsApartWithOneRateAndItsContributor) {
  const LogAnalysis a = AnalyzeSample("app05_incident.csv");
  const Finding& memory = Find(a, "Memory", true);
  ASSERT_EQ(memory.verdict, Verdict::kLeak);
  const Evidence& commit = memory.evidence.front();
  ASSERT_EQ(commit.counter, "Committed Bytes");
  const ExhaustionForecast& f = *a.system_memory->machines.at(0).commit_exhaustion;
  EXPECT_EQ(f.status, ForecastStatus::kForecast);
  EXPECT_EQ(f.slope_per_hour, commit.slope_per_hour);
  EXPECT_LT(f.slope_low_per_hour, f.slope_high_per_hour);
  EXPECT_LT(*f.earliest_utc, *f.latest_utc);
  EXPECT_LE(*f.earliest_utc, *f.exhaustion_utc);
  EXPECT_LE(*f.exhaustion_utc, *f.latest_utc);
  ASSERT_TRUE(memory.contributors.has_value());
  ASSERT_FALSE(memory.contributors->growers.empty());
  EXPECT_EQ(memory.contributors->growers.front().instance, "OrderService");
  EXPECT_GT(memory.contributors->growers.front().share, 0.9);
  EXPECT_EQ(a.processes_analysed, 7u) << "Memory is not a process";
}

}  // namespace
}  // namespace perfleak
