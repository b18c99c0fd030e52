#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <optional>
#include <random>
#include <vector>

#include "perfleak/analysis.h"

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
  CounterPath p;
  p.machine = "WEB01";
  p.object = std::move(object);
  p.instance = std::move(instance);
  p.has_instance = !p.instance.empty();
  p.instance_index = index;
  p.counter = std::move(counter);
  std::vector<double> column(log->num_samples());
  for (std::size_t i = 0; i < column.size(); ++i) column[i] = value(i);
  log->paths.push_back(p);
  log->columns.push_back(std::move(column));
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

TEST(AnalysisOptions, PresetsValidateAndOrder) {
  for (const Sensitivity s : {Sensitivity::kLow, Sensitivity::kDefault, Sensitivity::kHigh}) {
    EXPECT_TRUE(AnalysisOptions::ForSensitivity(s).Validate().ok());
  }
  EXPECT_GT(AnalysisOptions::ForSensitivity(Sensitivity::kLow).min_trend_z,
            AnalysisOptions::ForSensitivity(Sensitivity::kHigh).min_trend_z);
  AnalysisOptions bad;
  bad.min_consistency = 2.0;
  const Status st = bad.Validate();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("min_consistency"), std::string::npos);
  EXPECT_FALSE(AnalyzeLog(CounterLog{}, bad).ok());
}

TEST(AnalysisOptions, ParseSensitivityAndNames) {
  EXPECT_EQ(*ParseSensitivity("high"), Sensitivity::kHigh);
  const auto bad = ParseSensitivity("extreme");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'extreme'"), std::string::npos);
  EXPECT_STREQ(VerdictName(Verdict::kSuspect), "suspect");
  EXPECT_STREQ(SensitivityName(Sensitivity::kLow), "low");
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
