#include "perfleak/log_summary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "perfleak/counter_log.h"

namespace perfleak {
namespace {

TEST(LogSummary, MissingCellsDoNotDependOnTheThreadCount) {
  CounterLog log;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t c = 0; c < 7; ++c) {
    std::vector<double> column(50, 1.0);
    for (std::size_t i = 0; i < c; ++i) column[i * 7] = kNaN;  // column c misses c cells
    log.columns.emplace_back(column.begin(), column.end());
    log.paths.push_back(CounterPath{});
  }
  log.time_utc.assign(50, 0);
  log.time_local.assign(50, 0);
  for (const std::size_t threads : {0u, 1u, 2u, 3u, 16u}) {
    EXPECT_EQ(Summarize(log, threads).missing_cells, 21u) << threads << " threads";
  }
}

TEST(LogSummary, EmptyLogOnManyThreads) {
  const LogSummary s = Summarize(CounterLog{}, 8);
  EXPECT_EQ(s.missing_cells, 0u);
  EXPECT_EQ(s.counters, 0u);
  EXPECT_EQ(s.samples, 0u);
}

TEST(LogSummary, ProcessAndProcessV2OfOneMachineCountEachProcessOnce) {
  CounterLog log;
  for (const char* path :
       {"\\\\WEB01\\Process(w3wp)\\Private Bytes", "\\\\WEB01\\Process(w3wp#1)\\Private Bytes",
        "\\\\WEB01\\Process(_Total)\\Private Bytes",
        "\\\\WEB01\\Process V2(w3wp:4312)\\Private Bytes",
        "\\\\WEB01\\Process V2(w3wp:5120)\\Private Bytes",
        "\\\\WEB01\\Process V2(_Total:0)\\Private Bytes",
        "\\\\WEB01\\Process V2(Idle:0)\\Private Bytes",
        // Another machine logging Process alone keeps its instances.
        "\\\\DB01\\Process(sqlservr)\\Private Bytes", "\\\\DB01\\Process(idle)\\Private Bytes"}) {
    auto parsed = CounterPath::Parse(path);
    ASSERT_TRUE(parsed.ok()) << path;
    log.paths.push_back(*parsed);
    log.columns.emplace_back();
  }
  EXPECT_EQ(Summarize(log).process_instances, 3u);  // w3wp:4312, w3wp:5120, sqlservr
}

}  // namespace
}  // namespace perfleak
