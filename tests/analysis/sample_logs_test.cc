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
