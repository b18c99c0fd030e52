// The real public .blg files of ../shared/corpus/real (skipped when the corpus is absent).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "blg/blg_reader.h"
#include "perfleak/reader.h"
#include "perfleak/time_format.h"
#include "perfleak/writer.h"
#include "test_util.h"

namespace perfleak::blg {
namespace {

using ::perfleak::testing::AsBytes;
using ::perfleak::testing::ReadFileToString;

// Minimal PDH text splitter for the reference files: every field is double-quoted.
std::vector<std::vector<std::string>> SplitPdhText(const std::string& text, char delim) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    for (char ch : line) {
      if (ch == '"') {
        quoted = !quoted;
      } else if (ch == delim && !quoted) {
        fields.push_back(field);
        field.clear();
      } else {
        field += ch;
      }
    }
    fields.push_back(field);
    rows.push_back(std::move(fields));
  }
  return rows;
}

Result<CounterLog> ReadReal(const std::string& path, const ReadOptions& options = {}) {
  const std::string bytes = ReadFileToString(path);
  return ReadBlg(path, AsBytes(bytes), options);
}

std::string Meta(const CounterLog& log, const std::string& key) {
  for (const auto& [k, v] : log.metadata) {
    if (k == key) return v;
  }
  return {};
}

// Acceptance test: the .blg converted to PDH text equals what Windows made from it.
void CompareWithWindowsExport(const std::string& blg, const std::string& reference, char delim) {
  const auto result = ReadReal(blg);
  ASSERT_TRUE(result.ok()) << result.status().message();
  const CounterLog& log = *result;
  std::ostringstream out;
  WriteOptions wo;
  wo.delimiter = delim;
  ASSERT_TRUE(WritePdhText(log, out, wo).ok());
  const auto ours = SplitPdhText(out.str(), delim);
  const auto want = SplitPdhText(ReadFileToString(reference), delim);
  ASSERT_EQ(ours.size(), want.size());
  ASSERT_EQ(ours[0].size(), want[0].size());
  // Header: the stored MUI zone name (@tzres.dll,-212) resolves to the display name Windows
  // writes, so the whole header row, zone cell included, is identical.
  for (std::size_t col = 0; col < want[0].size(); ++col) {
    EXPECT_EQ(ours[0][col], want[0][col]) << "column " << col;
  }
  std::size_t filled = 0;
  for (std::size_t row = 1; row < want.size(); ++row) {
    ASSERT_EQ(ours[row].size(), want[row].size()) << "row " << row;
    EXPECT_EQ(ours[row][0], want[row][0]) << "timestamp of row " << row;
    for (std::size_t col = 1; col < want[row].size(); ++col) {
      const std::string& w = want[row][col];
      const std::string& o = ours[row][col];
      if (w == " ") {
        EXPECT_EQ(o, " ") << "row " << row << " col " << col;
        continue;
      }
      ASSERT_NE(o, " ") << "row " << row << " col " << col << " want " << w;
      const double wv = std::stod(w);
      const double ov = std::stod(o);
      // Tolerance: 1e-12 relative (the brief's acceptance bound), absolute for zeros.
      EXPECT_NEAR(ov, wv, 1e-12 * std::max(1.0, std::fabs(wv))) << "row " << row << " col " << col;
      ++filled;
    }
  }
  EXPECT_EQ(filled, 242u);
}

TEST(BlgRealFiles, CounterSamplesMatchesWindowsCsv) {
  PERFLEAK_REAL_LOG_OR_SKIP(blg, "PowerShell__CounterSamples.blg");
  PERFLEAK_REAL_LOG_OR_SKIP(csv, "PowerShell__CounterSamples.csv");
  CompareWithWindowsExport(blg, csv, ',');
}

TEST(BlgRealFiles, CounterSamplesMatchesWindowsTsv) {
  PERFLEAK_REAL_LOG_OR_SKIP(blg, "PowerShell__CounterSamples.blg");
  PERFLEAK_REAL_LOG_OR_SKIP(tsv, "PowerShell__CounterSamples.tsv");
  CompareWithWindowsExport(blg, tsv, '\t');
}

TEST(BlgRealFiles, CounterSamplesMetadataAndTimeZone) {
  PERFLEAK_REAL_LOG_OR_SKIP(blg, "PowerShell__CounterSamples.blg");
  const auto result = ReadReal(blg);
  ASSERT_TRUE(result.ok()) << result.status().message();
  const CounterLog& log = *result;
  EXPECT_EQ(log.format, LogFormat::kBlg);
  EXPECT_EQ(log.num_samples(), 25u);
  EXPECT_EQ(log.num_counters(), 10u);
  EXPECT_EQ(log.time_zone.name, "Pacific Standard Time");
  EXPECT_EQ(Meta(log, "time_zone_stored_name"), "@tzres.dll,-212");
  EXPECT_EQ(log.time_zone.bias_minutes, 480);
  EXPECT_TRUE(log.time_zone.has_bias);
  EXPECT_EQ(Meta(log, "os_build"), "14393");
  EXPECT_EQ(Meta(log, "pointer_size"), "8");
  EXPECT_EQ(Meta(log, "log_file_mode"), "0x30020801");
  // November in Pacific time is standard time: UTC = local + 8 h.
  EXPECT_EQ(log.time_utc[0] - log.time_local[0], 8 * kTicksPerHour);
  EXPECT_EQ(FormatIsoUtc(log.time_utc[0]), "2016-11-26T21:46:30.874Z");
  EXPECT_TRUE(log.warnings.empty()) << log.warnings.front();
}

TEST(BlgRealFiles, CounterPatternsSkipColumns) {
  PERFLEAK_REAL_LOG_OR_SKIP(blg, "PowerShell__CounterSamples.blg");
  ReadOptions options;
  options.counter_patterns = {"\\network interface(isatap*)\\*", "\\memory\\*"};
  const auto result = ReadReal(blg, options);
  ASSERT_TRUE(result.ok()) << result.status().message();
  ASSERT_EQ(result->num_counters(), 4u);
  EXPECT_EQ(result->paths[0].instance, "isatap.{ea2a01ef-c879-4737-9677-c2fbbc1b5af4}");
  EXPECT_EQ(result->paths[3].counter, "cache faults/sec");
}

TEST(BlgRealFiles, CapsFailWithLimitExceeded) {
  PERFLEAK_REAL_LOG_OR_SKIP(blg, "PowerShell__CounterSamples.blg");
  ReadOptions options;
  options.max_counters = 3;
  auto result = ReadReal(blg, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kLimitExceeded);
  EXPECT_NE(result.status().message().find("max_counters"), std::string::npos);
  options = {};
  options.max_cells = 100;
  result = ReadReal(blg, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kLimitExceeded);
  EXPECT_NE(result.status().message().find("max_cells"), std::string::npos);
}

TEST(BlgRealFiles, PalProcessObjectsMatchProbe) {
  PERFLEAK_REAL_LOG_OR_SKIP(blg, "PAL__SampleLog.blg");
  const auto result = ReadReal(blg);
  ASSERT_TRUE(result.ok()) << result.status().message();
  const CounterLog& log = *result;
  EXPECT_EQ(log.num_samples(), 11u);
  EXPECT_EQ(Meta(log, "os_build"), "6000");
  EXPECT_EQ(Meta(log, "pointer_size"), "4");
  EXPECT_EQ(Meta(log, "name_table_entries"), "1839");
  // August in US Eastern time is daylight time: UTC = local + 4 h.
  EXPECT_EQ(log.time_zone.bias_minutes, 240);
  EXPECT_EQ(log.time_utc[0] - log.time_local[0], 4 * kTicksPerHour);
  std::map<std::string, std::vector<double>> private_bytes;
  std::size_t svchost = 0;
  for (std::size_t i = 0; i < log.num_counters(); ++i) {
    const CounterPath& p = log.paths[i];
    if (p.object == "Process" && p.counter == "Private Bytes") {
      private_bytes[p.InstanceWithIndex()] =
          std::vector<double>(log.columns[i].begin(), log.columns[i].end());
      if (p.instance == "svchost") ++svchost;
    }
    if (p.counter == "% Processor Time") {
      for (double v : log.columns[i]) {
        if (!std::isnan(v)) {
          EXPECT_GE(v, 0.0) << p.ToString();
          EXPECT_LE(v, 100.0) << p.ToString();
        }
      }
    }
  }
  EXPECT_EQ(private_bytes.size(), 57u);
  EXPECT_EQ(svchost, 13u);
  ASSERT_TRUE(private_bytes.count("SearchIndexer"));
  // From `blg_probe.py PAL__SampleLog.blg series Process "Private Bytes"`.
  EXPECT_EQ(private_bytes["SearchIndexer"].front(), 27443200.0);
  EXPECT_EQ(private_bytes["SearchIndexer"].back(), 27820032.0);
  ASSERT_TRUE(private_bytes.count("svchost#12"));
}

TEST(BlgRealFiles, TxRawCountersDecode) {
  PERFLEAK_REAL_LOG_OR_SKIP(blg, "Tx__BasicPerfCounters.blg");
  const auto result = ReadReal(blg);
  ASSERT_TRUE(result.ok()) << result.status().message();
  const CounterLog& log = *result;
  EXPECT_EQ(log.num_samples(), 601u);
  ASSERT_EQ(log.num_counters(), 10u);
  EXPECT_EQ(log.paths[5].ToString(), "\\\\GEORGIS3\\Processor(0)\\% Processor Time");
  EXPECT_EQ(log.paths[9].instance, "_Total");
  for (std::size_t col = 5; col < 10; ++col) {
    EXPECT_TRUE(std::isnan(log.columns[col][0]));
    for (std::size_t s = 1; s < log.num_samples(); ++s) {
      EXPECT_GE(log.columns[col][s], 0.0);
      EXPECT_LE(log.columns[col][s], 100.0);
    }
  }
  // blg-format.md section 5: CPU 0 from samples 1 -> 2 is 100 * (1 - 8437500 / 10000360).
  EXPECT_NEAR(log.columns[5][1], 100.0 * (1.0 - 8437500.0 / 10000360.0), 1e-9);
  EXPECT_EQ(FormatLocal(log.time_local[0]), "2013-02-19 18:50:17.844");
  EXPECT_EQ(log.time_utc[0] - log.time_local[0], 8 * kTicksPerHour);
}

TEST(BlgRealFiles, BadCounterSamplesUnreachableMachinesAreMissing) {
  PERFLEAK_REAL_LOG_OR_SKIP(blg, "PowerShell__BadCounterSamples.blg");
  const auto result = ReadReal(blg);
  ASSERT_TRUE(result.ok()) << result.status().message();
  const CounterLog& log = *result;
  EXPECT_EQ(log.num_samples(), 275u);
  EXPECT_EQ(log.num_counters(), 26u);
  EXPECT_EQ(log.paths[0].machine, "s14185201");
  EXPECT_EQ(log.time_zone.name, "SA Eastern Standard Time");
  EXPECT_EQ(log.time_zone.bias_minutes, 180);
  std::size_t status_warnings = 0;
  for (const std::string& w : log.warnings) {
    if (w.find("PDH_CSTATUS_NO_MACHINE") != std::string::npos) ++status_warnings;
  }
  EXPECT_EQ(status_warnings, 5u);
  EXPECT_NE(log.warnings.front().find("sample 83"), std::string::npos) << log.warnings.front();
}

TEST(BlgRealFiles, CorruptBlgIsNotBinary) {
  PERFLEAK_REAL_LOG_OR_SKIP(path, "PowerShell__CorruptBlg.blg");
  const std::string bytes = ReadFileToString(path);
  EXPECT_EQ(Sniff(AsBytes(bytes)), DetectedFormat::kUnknown);
}

TEST(BlgRealFiles, RealBinaryLogsSniffAsBlg) {
  for (const char* name : {"PowerShell__CounterSamples.blg", "PAL__SampleLog.blg",
                           "Tx__BasicPerfCounters.blg", "PowerShell__BadCounterSamples.blg"}) {
    PERFLEAK_REAL_LOG_OR_SKIP(path, name);
    const std::string bytes = ReadFileToString(path);
    EXPECT_EQ(Sniff(AsBytes(bytes)), DetectedFormat::kBlg) << name;
  }
}

}  // namespace
}  // namespace perfleak::blg
