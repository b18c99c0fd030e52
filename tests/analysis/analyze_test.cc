#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "perfleak/analysis.h"
#include "perfleak/time_format.h"
#include "support/counter_log_builder.h"

namespace perfleak {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;

CounterLog MakeLog(std::size_t n, double interval_s) {
  CounterLog log;
  log.source = "test.csv";
  for (std::size_t i = 0; i < n; ++i) {
    const auto t = static_cast<Ticks>(1'700'000'000LL * kTicksPerSecond +
                                      static_cast<Ticks>(static_cast<double>(i) * interval_s *
                                                         static_cast<double>(kTicksPerSecond)));
    log.time_utc.push_back(t);
    log.time_local.push_back(t);
  }
  return log;
}

void AddColumn(CounterLog* log, std::string object, std::string instance,
               std::optional<std::uint32_t> index, std::string counter,
               const std::function<double(std::size_t)>& value) {
  std::vector<double> column(log->num_samples());
  for (std::size_t i = 0; i < column.size(); ++i) column[i] = value(i);
  testing::AddColumn(
      log,
      testing::MakePath("WEB01", std::move(object), std::move(instance), std::move(counter), index),
      std::move(column));
}

double Noise(std::size_t i, double sd) {
  std::mt19937_64 rng(i * 7919 + 1);
  return sd * (static_cast<double>(rng() >> 11) * 0x1.0p-53 - 0.5) * 3.46;
}

const Finding* Find(const LogAnalysis& a, const std::string& instance) {
  for (const Finding& f : a.findings) {
    if (!f.system && f.instance == instance) return &f;
  }
  return nullptr;
}

void ExpectAllFinite(const LogAnalysis& a) {
  for (const Finding& f : a.findings) {
    EXPECT_TRUE(std::isfinite(f.score));
    for (const Evidence& e : f.evidence) {
      for (const double v : {e.score, e.slope_per_hour, e.growth, e.start_level, e.fit_quality,
                             e.trend_z, e.consistency}) {
        EXPECT_TRUE(std::isfinite(v)) << f.instance << " " << e.counter;
      }
      EXPECT_GE(e.score, 0.0);
      EXPECT_LE(e.score, 1.0);
    }
  }
}

TEST(AnalyzeLog, LinearLeakInTenMinuteLogIsLeak) {
  CounterLog log = MakeLog(120, 5.0);  // 10 minutes
  AddColumn(&log, "Process", "OrderService", std::nullopt, "Private Bytes", [](std::size_t i) {
    return 200 * kMiB + 0.5 * kMiB * static_cast<double>(i) + Noise(i, kMiB);
  });
  AddColumn(&log, "Process", "OrderService", std::nullopt, "ID Process",
            [](std::size_t) { return 4242.0; });
  AddColumn(&log, "Process", "lsass", std::nullopt, "Private Bytes",
            [](std::size_t i) { return 50 * kMiB + Noise(i, kMiB); });
  AddColumn(&log, "Process", "lsass", std::nullopt, "ID Process",
            [](std::size_t) { return 700.0; });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->processes_analysed, 2u);
  EXPECT_EQ(a->findings.front().instance, "OrderService");
  EXPECT_EQ(a->findings.front().verdict, Verdict::kLeak);
  const Evidence& e = a->findings.front().evidence.front();
  EXPECT_EQ(e.counter, "Private Bytes");
  EXPECT_EQ(e.unit, "bytes");
  EXPECT_NEAR(e.slope_per_hour, 0.5 * kMiB * 720.0, 0.05 * 0.5 * kMiB * 720.0);  // 5 %
  EXPECT_FALSE(e.trend.empty());
  EXPECT_FALSE(e.method.empty());
  EXPECT_TRUE(e.onset_utc.has_value());
  EXPECT_EQ(a->findings.front().pids, (std::vector<std::int64_t>{4242}));
  EXPECT_EQ(Find(*a, "lsass")->verdict, Verdict::kOk);
  ExpectAllFinite(*a);
}

TEST(AnalyzeLog, WarmupThenPlateauIsNotLeak) {
  CounterLog log = MakeLog(600, 60.0);
  AddColumn(&log, "Process", "sqlservr", std::nullopt, "Private Bytes", [](std::size_t i) {
    return 500 * kMiB + 800 * kMiB * (1.0 - std::exp(-static_cast<double>(i) / 40.0)) +
           Noise(i, 2 * kMiB);
  });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  EXPECT_NE(Find(*a, "sqlservr")->verdict, Verdict::kLeak);
}

TEST(AnalyzeLog, LateOnsetLeakReportsOnset) {
  CounterLog log = MakeLog(800, 30.0);
  AddColumn(&log, "Process", "w3wp", std::nullopt, "Private Bytes", [](std::size_t i) {
    return 300 * kMiB + (i >= 500 ? 1.0 * kMiB * static_cast<double>(i - 500) : 0.0) +
           Noise(i, kMiB);
  });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  const Finding* f = Find(*a, "w3wp");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->verdict, Verdict::kLeak);
  const Evidence& e = f->evidence.front();
  ASSERT_TRUE(e.onset_utc.has_value());
  const double onset_sample =
      static_cast<double>(*e.onset_utc - log.time_utc[0]) / (30.0 * kTicksPerSecond);
  EXPECT_NEAR(onset_sample, 500.0, 40.0);  // tolerance: one PELT block plus noise
  EXPECT_FALSE(e.change_points.empty());
}

TEST(AnalyzeLog, RestartSplitsLifetimesByPid) {
  CounterLog log = MakeLog(400, 60.0);
  AddColumn(&log, "Process", "w3wp", std::nullopt, "Private Bytes", [](std::size_t i) {
    const double age = static_cast<double>(i < 200 ? i : i - 200);
    return 100 * kMiB + 2 * kMiB * age + Noise(i, kMiB);
  });
  AddColumn(&log, "Process", "w3wp", std::nullopt, "ID Process",
            [](std::size_t i) { return i < 200 ? 1000.0 : 2000.0; });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  const Finding* f = Find(*a, "w3wp");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->pids, (std::vector<std::int64_t>{1000, 2000}));
  ASSERT_EQ(f->lifetimes.size(), 2u);
  EXPECT_EQ(f->lifetimes[0].last_sample, 199u);
  EXPECT_EQ(f->lifetimes[1].first_sample, 200u);
  EXPECT_EQ(f->verdict, Verdict::kLeak);
  EXPECT_EQ(f->evidence.front().trend.size(), 2u);
}

TEST(AnalyzeLog, FollowsPidWhenInstanceNumberMoves) {
  // svchost (pid 10) exits at 100; svchost#1 (pid 20, leaking) then shows as `svchost`.
  CounterLog log = MakeLog(300, 60.0);
  const auto pid_col0 = [](std::size_t i) { return i < 100 ? 10.0 : 20.0; };
  const auto pid_col1 = [](std::size_t i) { return i < 100 ? 20.0 : kMissing; };
  const auto leak = [](std::size_t i) {
    return 100 * kMiB + kMiB * static_cast<double>(i) + Noise(i, kMiB);
  };
  const auto flat = [](std::size_t i) { return 80 * kMiB + Noise(i, kMiB); };
  AddColumn(&log, "Process", "svchost", std::nullopt, "ID Process", pid_col0);
  AddColumn(&log, "Process", "svchost", std::nullopt, "Private Bytes",
            [&](std::size_t i) { return i < 100 ? flat(i) : leak(i); });
  AddColumn(&log, "Process", "svchost", 1, "ID Process", pid_col1);
  AddColumn(&log, "Process", "svchost", 1, "Private Bytes",
            [&](std::size_t i) { return i < 100 ? leak(i) : kMissing; });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  const Finding* moved = Find(*a, "svchost#1");
  ASSERT_NE(moved, nullptr);
  EXPECT_EQ(moved->pids, (std::vector<std::int64_t>{20}));
  EXPECT_EQ(moved->lifetimes.front().last_sample, 299u);
  EXPECT_EQ(moved->verdict, Verdict::kLeak);
  EXPECT_EQ(Find(*a, "svchost")->verdict, Verdict::kOk);
}

TEST(AnalyzeLog, WithoutPidDropToMissingSplitsLifetimes) {
  CounterLog log = MakeLog(300, 60.0);
  AddColumn(&log, "Process", "java", std::nullopt, "Private Bytes", [](std::size_t i) {
    if (i >= 140 && i < 145) return kMissing;
    return 100 * kMiB + Noise(i, kMiB);
  });
  AddColumn(&log, "Process", "other", std::nullopt, "Private Bytes",
            [](std::size_t) { return 10 * kMiB; });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  const Finding* f = Find(*a, "java");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->lifetimes.size(), 2u);
  EXPECT_FALSE(f->lifetimes[0].pid.has_value());
  EXPECT_EQ(f->lifetimes[0].last_sample, 139u);
  EXPECT_EQ(f->lifetimes[1].first_sample, 145u);
}

TEST(AnalyzeLog, HandleLeakOnlyAndExcludesTotalAndIdle) {
  CounterLog log = MakeLog(200, 10.0);
  AddColumn(&log, "Process", "spoolsv", std::nullopt, "Handle Count", [](std::size_t i) {
    return std::round(400.0 + 5.0 * static_cast<double>(i) + Noise(i, 3));
  });
  AddColumn(&log, "Process", "spoolsv", std::nullopt, "Private Bytes",
            [](std::size_t i) { return 30 * kMiB + Noise(i, kMiB); });
  AddColumn(&log, "Process", "_Total", std::nullopt, "Handle Count",
            [](std::size_t i) { return 1000.0 + static_cast<double>(i) * 100; });
  AddColumn(&log, "Process", "Idle", std::nullopt, "Handle Count",
            [](std::size_t i) { return static_cast<double>(i) * 100; });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->processes_analysed, 1u);
  ASSERT_EQ(a->findings.front().instance, "spoolsv");
  EXPECT_EQ(a->findings.front().verdict, Verdict::kLeak);
  EXPECT_EQ(a->findings.front().evidence.front().counter, "Handle Count");
  EXPECT_EQ(a->findings.front().evidence.front().unit, "handles");
}

TEST(AnalyzeLog, LocalizedCounterNames) {
  CounterLog log = MakeLog(200, 10.0);
  AddColumn(&log, "Proceso", "OrderService", std::nullopt, "Bytes privados", [](std::size_t i) {
    return 100 * kMiB + kMiB * static_cast<double>(i) + Noise(i, kMiB);
  });
  AddColumn(&log, "Proceso", "OrderService", std::nullopt, "Id. de proceso",
            [](std::size_t) { return 42.0; });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->processes_analysed, 1u);
  EXPECT_EQ(a->findings.front().verdict, Verdict::kLeak);
  EXPECT_EQ(a->findings.front().evidence.front().counter, "Private Bytes");
}

TEST(AnalyzeLog, VirtualBytesOf32BitProcessGetsLimitAndExhaustion) {
  CounterLog log = MakeLog(300, 60.0);
  AddColumn(&log, "Process", "legacy32", std::nullopt, "Virtual Bytes", [](std::size_t i) {
    return std::round((900 * kMiB + 2 * kMiB * static_cast<double>(i)) / 65536) * 65536;
  });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  const Evidence& e = a->findings.front().evidence.front();
  EXPECT_EQ(e.verdict, Verdict::kLeak);
  ASSERT_TRUE(e.limit.has_value());
  EXPECT_EQ(*e.limit, 2.0 * 1024 * kMiB);
  ASSERT_TRUE(e.forecast.has_value());
  ASSERT_EQ(e.forecast->status, ForecastStatus::kForecast);
  // 2048 - 1498 MiB left at 120 MiB/h: about 4.6 h after the end.
  const double hours =
      static_cast<double>(*e.forecast->exhaustion_utc - log.time_utc.back()) / kTicksPerHour;
  EXPECT_NEAR(hours, 550.0 / 120.0, 0.2);  // tolerance: fit noise from rounding
}

TEST(AnalyzeLog, SystemFindingUsesCommitLimit) {
  CounterLog log = MakeLog(300, 60.0);
  AddColumn(&log, "Memory", "", std::nullopt, "Committed Bytes", [](std::size_t i) {
    return 4096 * kMiB + 10 * kMiB * static_cast<double>(i) + Noise(i, 5 * kMiB);
  });
  AddColumn(&log, "Memory", "", std::nullopt, "Commit Limit",
            [](std::size_t) { return 16384 * kMiB; });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->findings.size(), 1u);
  const Finding& f = a->findings.front();
  EXPECT_TRUE(f.system);
  EXPECT_EQ(f.verdict, Verdict::kLeak);
  ASSERT_TRUE(f.evidence.front().limit.has_value());
  ASSERT_TRUE(f.evidence.front().forecast.has_value());
  EXPECT_TRUE(f.evidence.front().forecast->exhaustion_utc.has_value());
}

TEST(AnalyzeLog, DegenerateLogsGiveDefinedResults) {
  {
    const auto a = AnalyzeLog(CounterLog{});
    ASSERT_TRUE(a.ok());
    EXPECT_TRUE(a->findings.empty());
    ASSERT_TRUE(a->no_data.has_value());
    EXPECT_NE(a->no_data->reason.find("no sample"), std::string::npos);
    EXPECT_NE(a->no_data->collect_hint.find("logman create counter"), std::string::npos);
  }
  CounterLog log = MakeLog(2, 1.0);
  AddColumn(&log, "Process", "two", std::nullopt, "Private Bytes",
            [](std::size_t i) { return static_cast<double>(i); });
  AddColumn(&log, "Process", "nan", std::nullopt, "Private Bytes",
            [](std::size_t) { return kMissing; });
  ASSERT_TRUE(AnalyzeLog(log).ok());
  CounterLog big = MakeLog(100, 1.0);
  AddColumn(&big, "Process", "huge", std::nullopt, "Private Bytes",
            [](std::size_t) { return 1e18; });
  AddColumn(&big, "Process", "hugeramp", std::nullopt, "Private Bytes",
            [](std::size_t i) { return 1e18 + 1e15 * static_cast<double>(i); });
  AddColumn(&big, "Process", "const", std::nullopt, "Handle Count",
            [](std::size_t) { return 5.0; });
  // The clock steps back 30 s at sample 50 (as a DST fall-back written as UTC would).
  for (std::size_t i = 50; i < big.num_samples(); ++i) big.time_utc[i] -= 30 * kTicksPerSecond;
  const auto a = AnalyzeLog(big);
  ASSERT_TRUE(a.ok());
  ExpectAllFinite(*a);
  EXPECT_EQ(Find(*a, "huge")->verdict, Verdict::kOk);
  EXPECT_EQ(Find(*a, "hugeramp")->verdict, Verdict::kLeak);
}

TEST(AnalyzeLog, SameResultWhateverTheThreadCount) {
  CounterLog log = MakeLog(500, 30.0);
  for (int p = 0; p < 12; ++p) {
    AddColumn(&log, "Process", "svc", static_cast<std::uint32_t>(p), "Private Bytes",
              [p](std::size_t i) {
                return 100 * kMiB + (p % 3 == 0 ? 0.3 * kMiB * static_cast<double>(i) : 0.0) +
                       Noise(i * 13 + static_cast<std::size_t>(p), kMiB);
              });
  }
  AnalysisOptions one, many;
  one.num_threads = 1;
  many.num_threads = 4;
  const auto a = AnalyzeLog(log, one), b = AnalyzeLog(log, many);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->findings.size(), b->findings.size());
  for (std::size_t k = 0; k < a->findings.size(); ++k) {
    EXPECT_EQ(a->findings[k].instance, b->findings[k].instance);
    EXPECT_EQ(a->findings[k].score, b->findings[k].score);
  }
}

TEST(AnalysisCounterPatterns, CoverEnglishAndLocalizedNames) {
  const auto patterns = AnalysisCounterPatterns();
  const auto has = [&](const std::string& p) {
    return std::find(patterns.begin(), patterns.end(), p) != patterns.end();
  };
  EXPECT_TRUE(has("*\\Private Bytes"));
  EXPECT_TRUE(has("*\\ID Process"));
  EXPECT_TRUE(has("*\\Commit Limit"));
  EXPECT_TRUE(has("*\\Bytes privados"));
  for (const std::string& p : patterns) EXPECT_TRUE(CounterPattern::Parse(p).ok()) << p;
}

}  // namespace
}  // namespace perfleak

namespace perfleak {
namespace {

bool HasCaveat(const Finding& f, const std::string& code) {
  return std::find(f.caveats.begin(), f.caveats.end(), code) != f.caveats.end();
}

void AddProcess(CounterLog* log, const std::string& name, double pid, const std::string& counter,
                const std::function<double(std::size_t)>& value) {
  AddColumn(log, "Process", name, std::nullopt, counter, value);
  AddColumn(log, "Process", name, std::nullopt, "ID Process", [pid](std::size_t) { return pid; });
}

// The case: the customer restarted the service, then logged for 30 minutes at 15 s.
TEST(WarmUpOrLeak, ThirtyMinuteSaturatingWarmUpIsNotLeakWhileLinearLeakInTheSameLogIs) {
  CounterLog log = MakeLog(121, 15.0);
  AddProcess(&log, "CacheSvc", 100, "Private Bytes", [](std::size_t i) {
    const double minutes = static_cast<double>(i) * 0.25;
    return 300 * kMiB + 600 * kMiB * (1.0 - std::exp(-minutes / 20.0)) + Noise(i, 3 * kMiB);
  });
  AddProcess(&log, "OrderSvc", 200, "Private Bytes", [](std::size_t i) {
    return 200 * kMiB + 0.8 * kMiB * static_cast<double>(i) + Noise(i, 3 * kMiB);
  });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  const Finding* warm = Find(*a, "CacheSvc");
  const Finding* leak = Find(*a, "OrderSvc");
  EXPECT_NE(warm->verdict, Verdict::kLeak);
  EXPECT_TRUE(HasCaveat(*warm, "warm_up"));
  EXPECT_TRUE(HasCaveat(*warm, "short_capture"));
  EXPECT_EQ(leak->verdict, Verdict::kLeak);
  EXPECT_TRUE(HasCaveat(*leak, "short_capture"));
  EXPECT_FALSE(HasCaveat(*leak, "warm_up"));
  EXPECT_EQ(a->findings.front().instance, "OrderSvc");
}

TEST(WarmUpOrLeak, RiseThenPlateauIsOkWithWhereItLevelledOff) {
  // 1.24 -> 2.19 GB in 10 min, then flat for 27 min, at 15 s.
  CounterLog log = MakeLog(149, 15.0);
  AddProcess(&log, "w3wp", 300, "Private Bytes", [](std::size_t i) {
    const double minutes = static_cast<double>(i) * 0.25;
    return 1270 * kMiB + 970 * kMiB * std::min(minutes, 10.0) / 10.0 + Noise(i, 4 * kMiB);
  });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  const Finding* f = Find(*a, "w3wp");
  EXPECT_EQ(f->verdict, Verdict::kOk);
  EXPECT_TRUE(HasCaveat(*f, "warm_up"));
  EXPECT_TRUE(HasCaveat(*f, "plateau"));
  const Evidence* e = LeadEvidence(*f);
  ASSERT_TRUE(e->growth_end_utc.has_value());
  const double minutes =
      static_cast<double>(*e->growth_end_utc - log.time_utc.front()) / (60.0 * kTicksPerSecond);
  EXPECT_NEAR(minutes, 10.0, 2.0);  // tolerance: the plateau grid is 1/32 of the samples
}

// A managed heap committed in irregular steps, with flats of up to a fifth of the log, dips
// when the collector gives memory back, and the last step in the final fifth: it keeps
// stepping up, so it is a leak.
TEST(WarmUpOrLeak, ManagedStaircaseThatKeepsSteppingUpIsLeak) {
  CounterLog log = MakeLog(240, 60.0);  // 4 h
  const std::vector<std::pair<std::size_t, double>> steps = {
      {15, 20}, {30, 35}, {45, 15}, {95, 40}, {110, 10}, {150, 30}, {165, 20}, {215, 35}};
  AddProcess(&log, "java", 400, "Private Bytes", [&](std::size_t i) {
    double v = 300 * kMiB;
    for (const auto& [at, mb] : steps) v += i >= at ? mb * kMiB : 0.0;
    if (i >= 120 && i < 135) v -= 12 * kMiB;  // the collector shrinks the heap for a while
    return v + Noise(i, 0.5 * kMiB);
  });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  const Finding* f = Find(*a, "java");
  EXPECT_EQ(f->verdict, Verdict::kLeak);
  EXPECT_FALSE(HasCaveat(*f, "plateau"));
}

TEST(WarmUpOrLeak, AddressSpaceOnlyGrowthOfA64BitProcessIsAtMostSuspect) {
  CounterLog log = MakeLog(480, 60.0);  // 8 h; arenas of 64 MB reserved in bursts
  AddProcess(&log, "worker", 500, "Virtual Bytes", [](std::size_t i) {
    return 6144 * kMiB + 64 * kMiB * static_cast<double>(i / 30);  // above 4 GB: 64-bit
  });
  AddColumn(&log, "Process", "worker", std::nullopt, "Private Bytes",
            [](std::size_t i) { return 80 * kMiB + Noise(i, 0.5 * kMiB); });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  const Finding* f = Find(*a, "worker");
  EXPECT_LE(f->verdict, Verdict::kSuspect);
  EXPECT_TRUE(HasCaveat(*f, "address_space"));
  EXPECT_EQ(LeadEvidence(*f)->counter, "Virtual Bytes");
  EXPECT_FALSE(LeadEvidence(*f)->limit.has_value());
}

TEST(WarmUpOrLeak, ThreadLeakLeadsWithThreadCountNotItsStacks) {
  CounterLog log = MakeLog(480, 60.0);
  AddProcess(&log, "svc", 600, "Thread Count",
             [](std::size_t i) { return 20.0 + static_cast<double>(i / 4); });
  AddColumn(&log, "Process", "svc", std::nullopt, "Virtual Bytes",
            [](std::size_t i) { return 400 * kMiB + kMiB * static_cast<double>(i / 4); });
  AddColumn(&log, "Process", "svc", std::nullopt, "Private Bytes",
            [](std::size_t i) { return 60 * kMiB + Noise(i, 0.3 * kMiB); });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  const Finding* f = Find(*a, "svc");
  EXPECT_EQ(f->verdict, Verdict::kLeak);
  EXPECT_EQ(LeadEvidence(*f)->counter, "Thread Count");
  EXPECT_TRUE(HasCaveat(*f, "thread_stacks"));
  EXPECT_EQ(f->evidence.front().counter, "Thread Count");
}

// A small embedded-database heap: +50 % of 8 MB over 20 h on a straight line.
TEST(WarmUpOrLeak, CleanLineOfASmallProcessIsLeakBelowTheFixedFloor) {
  CounterLog log = MakeLog(241, 300.0);
  AddProcess(&log, "sqlhost", 700, "Private Bytes", [](std::size_t i) {
    return 8 * kMiB + 4 * kMiB * static_cast<double>(i) / 240.0 + Noise(i, 0.02 * kMiB);
  });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(Find(*a, "sqlhost")->verdict, Verdict::kLeak);
}

TEST(WarmUpOrLeak, SteadyRiseUnderTheFloorIsOkAndSaysSo) {
  // 100 MB process, +3 MB over 10 h with noise too large for a clean line.
  CounterLog log = MakeLog(600, 60.0);
  AddProcess(&log, "agent", 800, "Private Bytes", [](std::size_t i) {
    return 100 * kMiB + 3 * kMiB * static_cast<double>(i) / 600.0 + Noise(i, 1.5 * kMiB);
  });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  const Finding* f = Find(*a, "agent");
  EXPECT_EQ(f->verdict, Verdict::kOk);
  EXPECT_TRUE(HasCaveat(*f, "below_floor"));
  EXPECT_EQ(LeadEvidence(*f)->floor, 4 * kMiB);
}

}  // namespace
}  // namespace perfleak

namespace perfleak {
namespace {

// SQL Server's buffer pool growing for 8 h, Total Server Memory following Private Bytes, with
// the given target (KB).
CounterLog SqlServerLog(double target_gb) {
  CounterLog log = MakeLog(480, 60.0);
  const auto private_bytes = [](std::size_t i) {
    return 2048 * kMiB + 16 * kMiB * static_cast<double>(i) + Noise(i, 4 * kMiB);
  };
  AddProcess(&log, "sqlservr", 2200, "Private Bytes", private_bytes);
  AddColumn(&log, "SQLServer:Memory Manager", "", std::nullopt, "Total Server Memory (KB)",
            [&](std::size_t i) { return (private_bytes(i) - 300 * kMiB) / 1024; });
  AddColumn(&log, "SQLServer:Memory Manager", "", std::nullopt, "Target Server Memory (KB)",
            [=](std::size_t) { return target_gb * 1024 * 1024; });
  return log;
}

TEST(ByDesignGrowth, SqlServerFillingTowardItsTargetIsOk) {
  const auto a = AnalyzeLog(SqlServerLog(12.0));
  ASSERT_TRUE(a.ok());
  const Finding* f = Find(*a, "sqlservr");
  EXPECT_EQ(f->verdict, Verdict::kOk);
  EXPECT_TRUE(HasCaveat(*f, "by_design"));
  ASSERT_TRUE(LeadEvidence(*f)->limit.has_value());
  EXPECT_DOUBLE_EQ(*LeadEvidence(*f)->limit, 12.0 * 1024 * kMiB);
}

TEST(ByDesignGrowth, SqlServerGrowingPastItsTargetStaysALeak) {
  const auto a = AnalyzeLog(SqlServerLog(6.0));
  ASSERT_TRUE(a.ok());
  const Finding* f = Find(*a, "sqlservr");
  EXPECT_EQ(f->verdict, Verdict::kLeak);
  EXPECT_TRUE(HasCaveat(*f, "beyond_target"));
}

TEST(ByDesignGrowth, TheReaderLoadsTheMemoryManagerCounters) {
  const std::vector<std::string> patterns = AnalysisCounterPatterns();
  EXPECT_NE(std::find(patterns.begin(), patterns.end(), "*\\Target Server Memory (KB)"),
            patterns.end());
  EXPECT_NE(std::find(patterns.begin(), patterns.end(), "*\\Stolen Server Memory (KB)"),
            patterns.end());
}

// A named instance filling toward its target while its stolen memory (outside the buffer
// pool) grows 2 MB a minute: the buffer pool is by design, the stolen memory is not.
CounterLog SqlNamedInstanceLog(double stolen_mb_per_sample) {
  CounterLog log = SqlServerLog(12.0);
  for (CounterPath& p : log.paths) {
    if (p.object == "SQLServer:Memory Manager") p.object = "MSSQL$SALES:Memory Manager";
  }
  AddColumn(&log, "MSSQL$SALES:Memory Manager", "", std::nullopt, "Stolen Server Memory (KB)",
            [=](std::size_t i) {
              return (400 * kMiB + stolen_mb_per_sample * kMiB * static_cast<double>(i) +
                      Noise(i, kMiB)) /
                     1024;
            });
  return log;
}

const Evidence* FindEvidenceOf(const Finding& f, std::string_view counter) {
  for (const Evidence& e : f.evidence) {
    if (e.counter == counter) return &e;
  }
  return nullptr;
}

TEST(ByDesignGrowth, StolenServerMemoryGrowingIsALeakOfItsOwnInANamedInstance) {
  const auto a = AnalyzeLog(SqlNamedInstanceLog(2.0));
  ASSERT_TRUE(a.ok());
  const Finding* f = Find(*a, "sqlservr");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->verdict, Verdict::kLeak);
  const Evidence* lead = LeadEvidence(*f);
  ASSERT_NE(lead, nullptr);
  EXPECT_EQ(lead->counter, "Stolen Server Memory");
  EXPECT_EQ(lead->unit, "bytes");
  EXPECT_DOUBLE_EQ(lead->column_scale, 1024.0);
  // 2 MB a minute, judged in bytes (the counter is in KB): 432 samples lie between the
  // medians of the window's first and last 48 (ObserveWindow); tolerance: the noise.
  EXPECT_NEAR(lead->observed_change, 2.0 * kMiB * 432, 0.02 * 2.0 * kMiB * 432);
  // The buffer pool itself stays by design.
  const Evidence* pb = FindEvidenceOf(*f, "Private Bytes");
  ASSERT_NE(pb, nullptr);
  EXPECT_EQ(pb->verdict, Verdict::kOk);
  EXPECT_NE(std::find(pb->caveats.begin(), pb->caveats.end(), "by_design"), pb->caveats.end());
}

TEST(ByDesignGrowth, FlatStolenServerMemoryLeavesTheBufferPoolByDesign) {
  const auto a = AnalyzeLog(SqlNamedInstanceLog(0.0));
  ASSERT_TRUE(a.ok());
  const Finding* f = Find(*a, "sqlservr");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->verdict, Verdict::kOk);
  EXPECT_TRUE(HasCaveat(*f, "by_design"));
  const Evidence* stolen = FindEvidenceOf(*f, "Stolen Server Memory");
  ASSERT_NE(stolen, nullptr);
  EXPECT_EQ(stolen->verdict, Verdict::kOk);
}

TEST(ByDesignGrowth, TwoInstancesOnOneMachineAreNotGuessed) {
  CounterLog log = SqlNamedInstanceLog(2.0);
  AddColumn(&log, "SQLServer:Memory Manager", "", std::nullopt, "Stolen Server Memory (KB)",
            [](std::size_t) { return 100.0 * 1024; });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok());
  const Finding* f = Find(*a, "sqlservr");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(FindEvidenceOf(*f, "Stolen Server Memory"), nullptr);
  EXPECT_FALSE(HasCaveat(*f, "by_design"));
}

TEST(CollectHint, AddsTheObjectsThatExplainWhatTheLogShows) {
  EXPECT_EQ(CollectHint(),
            "logman create counter perfleak -c \"\\Process(*)\\*\" \"\\Memory\\*\" -si 00:01:00 -f "
            "bincirc -max 1024");
  const CollectObjects sql = CollectObjectsFor(SqlNamedInstanceLog(0.0));
  EXPECT_FALSE(sql.dotnet);
  EXPECT_EQ(sql.sql_memory_manager, "MSSQL$SALES:Memory Manager");
  EXPECT_THAT(CollectHint(sql), ::testing::HasSubstr("\"\\MSSQL$SALES:Memory Manager\\*\" -si"));
  const CollectObjects w3wp = CollectObjectsForProcess("w3wp.exe");
  EXPECT_TRUE(w3wp.dotnet && w3wp.iis);
  // The README's line, word for word.
  EXPECT_THAT(
      CollectHint(w3wp),
      ::testing::HasSubstr("\"\\Process(*)\\*\" \"\\Memory\\*\" \"\\.NET CLR Memory(*)\\*\" "
                           "\"\\.NET CLR Loading(*)\\*\" \"\\W3SVC_W3WP(*)\\*\" -si"));
  EXPECT_EQ(CollectObjectsForProcess("sqlservr").sql_memory_manager, "SQLServer:Memory Manager");
}

}  // namespace
}  // namespace perfleak

namespace perfleak {
namespace {

bool ShortCaptureLog(const LogAnalysis& a) {
  return a.caveats == std::vector<std::string>{"short_capture"};
}

// "No leaks" in a log of a few minutes says little: a slow leak cannot show in it. The whole
// log carries the caveat below AnalysisOptions::short_capture_minutes (120), not from there on.
TEST(LogCaveats, ALogShorterThanTheShortCaptureSpanCarriesShortCapture) {
  for (const auto& [samples, is_short] :
       {std::pair<std::size_t, bool>{29, true}, {480, true}, {481, false}, {2000, false}}) {
    CounterLog log = MakeLog(samples, 15.0);  // 7 min, 119.75 min, 2 h, 8.3 h
    AddProcess(&log, "Flat", 100, "Private Bytes",
               [](std::size_t i) { return 300 * kMiB + Noise(i, kMiB); });
    const auto a = AnalyzeLog(log);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_EQ(Find(*a, "Flat")->verdict, Verdict::kOk) << samples;
    EXPECT_EQ(ShortCaptureLog(*a), is_short) << samples << " samples";
    EXPECT_EQ(a->caveats.empty(), !is_short) << samples << " samples";
  }
}

// The caveat qualifies verdicts: with every process too short to judge there are none.
TEST(LogCaveats, ALogWithNothingJudgedHasNoCaveat) {
  CounterLog log = MakeLog(6, 15.0);
  AddProcess(&log, "Brief", 100, "Private Bytes", [](std::size_t) { return 300 * kMiB; });
  const auto a = AnalyzeLog(log);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(Find(*a, "Brief")->verdict, Verdict::kNotJudged);
  EXPECT_TRUE(a->caveats.empty());
}

// A post-mortem focus is judged on its window, so a 30-minute window of a day's log is short.
TEST(LogCaveats, AShortFocusWindowOfALongLogCarriesShortCapture) {
  CounterLog log = MakeLog(1440, 60.0);
  AddProcess(&log, "Flat", 100, "Private Bytes",
             [](std::size_t i) { return 300 * kMiB + Noise(i, kMiB); });
  AnalysisOptions options;
  options.focus.from = FormatLocal(log.time_local[600]).substr(0, 16);
  options.focus.to = FormatLocal(log.time_local[630]).substr(0, 16);
  const auto focused = AnalyzeLog(log, options);
  ASSERT_TRUE(focused.ok()) << focused.status().ToString();
  EXPECT_TRUE(ShortCaptureLog(*focused));
  const auto whole = AnalyzeLog(log);
  ASSERT_TRUE(whole.ok());
  EXPECT_TRUE(whole->caveats.empty());
}

}  // namespace
}  // namespace perfleak
