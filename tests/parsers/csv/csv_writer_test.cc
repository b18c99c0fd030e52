#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>

#include "perfleak/counter_log.h"
#include "perfleak/time_format.h"
#include "perfleak/writer.h"

namespace perfleak {
namespace {

// Wide enough that the rows are formatted in several blocks and rounds of blocks.
CounterLog WideLog(std::size_t counters, std::size_t rows) {
  CounterLog log;
  log.time_zone.name = "Pacific Standard Time";
  log.time_zone.bias_minutes = 480;
  log.time_zone.has_bias = true;
  for (std::size_t i = 0; i < rows; ++i) {
    log.time_local.push_back(static_cast<Ticks>(i) * 15 * kTicksPerSecond + 7);
  }
  log.time_utc = log.time_local;
  for (std::size_t c = 0; c < counters; ++c) {
    CounterPath path;
    path.machine = "WEB01";
    path.object = "Process";
    path.instance = "svc" + std::to_string(c);
    path.has_instance = true;
    path.counter = "Private \"Bytes\"";
    log.paths.push_back(path);
    std::vector<double> column(rows);
    for (std::size_t i = 0; i < rows; ++i) {
      const double v = static_cast<double>(c * 1000 + i);
      column[i] = (i + c) % 7 == 0 ? kMissing : (c % 2 == 0 ? v : v / 3.0);
    }
    log.columns.emplace_back(column.begin(), column.end());
  }
  return log;
}

// The writer's contract spelled out row by row, the way the first version wrote it.
std::string Reference(const CounterLog& log) {
  std::string out = "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\"";
  for (const CounterPath& p : log.paths) {
    std::string quoted;
    for (char ch : p.ToString()) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    out += ",\"" + quoted + "\"";
  }
  out += "\r\n";
  for (std::size_t i = 0; i < log.num_samples(); ++i) {
    out += "\"" + FormatPdhTimestamp(log.time_local[i]) + "\"";
    for (const auto& column : log.columns) out += ",\"" + FormatPdhNumber(column[i]) + "\"";
    out += "\r\n";
  }
  return out;
}

std::string Write(const CounterLog& log, std::size_t threads) {
  std::ostringstream out;
  WriteOptions options;
  options.num_threads = threads;
  EXPECT_TRUE(WritePdhText(log, out, options).ok());
  return out.str();
}

TEST(CsvWriter, OutputIsTheSameForAnyThreadCountAndMatchesTheRowByRowForm) {
  const CounterLog log = WideLog(2000, 301);  // ~87 rows a block: 4 blocks, 2 rounds of 3
  const std::string expected = Reference(log);
  EXPECT_EQ(Write(log, 1), expected);
  EXPECT_EQ(Write(log, 3), expected);
  EXPECT_EQ(Write(log, 0), expected);
}

TEST(CsvWriter, EmptyLogWritesTheHeaderOnly) {
  const CounterLog log = WideLog(3, 0);
  EXPECT_EQ(Write(log, 2), Reference(log));
}

TEST(CsvWriter, NumbersReadBackExactlyAndMissingIsABlank) {
  EXPECT_EQ(FormatPdhNumber(kMissing), " ");
  EXPECT_EQ(FormatPdhNumber(123456789.0), "123456789");
  EXPECT_EQ(FormatPdhNumber(-42.0), "-42");
  EXPECT_EQ(FormatPdhNumber(0.1), "0.1");
  EXPECT_EQ(FormatPdhNumber(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(FormatPdhNumber(1e300), "1e+300");
  for (const double v : {-1.2345678901234567e-300, 2.2250738585072014e-308, 123.45678901234567}) {
    EXPECT_EQ(std::strtod(FormatPdhNumber(v).c_str(), nullptr), v) << FormatPdhNumber(v);
  }
}

}  // namespace
}  // namespace perfleak
