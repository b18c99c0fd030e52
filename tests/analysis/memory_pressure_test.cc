#include "analysis/memory_pressure.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "analysis/exhaustion.h"
#include "analysis/robust_trend.h"
#include "incident_generator.h"
#include "perfleak/analysis.h"
#include "perfleak/reader.h"
#include "perfleak/time_format.h"
#include "test_util.h"

namespace perfleak {
namespace {

using ::testing::HasSubstr;

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kGiB = 1024.0 * kMiB;
// 2026-11-20T08:00:00Z; the hand-made logs run at UTC-8 like the report fixtures.
constexpr Ticks kStart = 1'795'161'600LL * kTicksPerSecond;
constexpr Ticks kOffset = -8 * kTicksPerHour;

CounterLog MakeLog(std::size_t samples, std::int64_t interval_s) {
  CounterLog log;
  log.source = "hand.csv";
  for (std::size_t i = 0; i < samples; ++i) {
    const Ticks t = kStart + static_cast<Ticks>(i) * interval_s * kTicksPerSecond;
    log.time_utc.push_back(t);
    log.time_local.push_back(t + kOffset);
  }
  return log;
}

void AddSystem(CounterLog* log, const std::string& object, const std::string& counter,
               std::vector<double> values, const std::string& instance = "") {
  CounterPath p;
  p.machine = "HAND";
  p.object = object;
  p.counter = counter;
  if (!instance.empty()) {
    p.instance = instance;
    p.has_instance = true;
  }
  log->paths.push_back(p);
  log->columns.emplace_back(values.begin(), values.end());
}

void AddProcess(CounterLog* log, const std::string& image, std::uint32_t index,
                const std::string& counter, std::vector<double> values) {
  CounterPath p;
  p.machine = "HAND";
  p.object = "Process";
  p.instance = image;
  p.has_instance = true;
  if (index > 0) p.instance_index = index;
  p.counter = counter;
  log->paths.push_back(p);
  log->columns.emplace_back(values.begin(), values.end());
}

TEST(MemoryPressure, ParseTimeTextAcceptsLocalPdhAndZonedForms) {
  Ticks expected = 0;
  ASSERT_TRUE(CivilToTicks(2026, 11, 20, 3, 12, 0, 0, &expected));
  for (const char* text : {"2026-11-20 03:12", "2026-11-20T03:12:00", "11/20/2026 03:12",
                           "11/20/2026 03:12:00.000", " 2026-11-20 03:12 "}) {
    auto t = ParseTimeText(text);
    ASSERT_TRUE(t.ok()) << text << ": " << t.status().message();
    EXPECT_EQ(t->ticks, expected) << text;
    EXPECT_FALSE(t->has_zone) << text;
  }
  auto zoned = ParseTimeText("2026-11-20T05:12:00+02:00");
  ASSERT_TRUE(zoned.ok());
  EXPECT_TRUE(zoned->has_zone);
  EXPECT_EQ(zoned->ticks, expected);
  for (const char* bad : {"yesterday", "2026-13-20 03:12", "11/20/26 03:12", ""}) {
    auto t = ParseTimeText(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_THAT(t.status().message(), HasSubstr("expected the log's local time")) << bad;
  }
}

TEST(MemoryPressure, ResolveFocusPlacesLocalAndUtcTimesAndRejectsOutside) {
  const CounterLog log = MakeLog(121, 60);  // 00:00 .. 02:00 local, 08:00 .. 10:00 UTC
  FocusOptions focus;
  focus.from = "2026-11-20 00:30";
  focus.to = "2026-11-20T09:30:00Z";
  auto r = ResolveFocus(log, focus);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->begin, 30u);
  EXPECT_EQ(r->end, 91u);
  EXPECT_EQ(r->from_utc, kStart + 30 * 60 * kTicksPerSecond);

  focus = {};
  focus.at = "2026-11-21 01:00";
  auto outside = ResolveFocus(log, focus);
  ASSERT_FALSE(outside.ok());
  // Its own code, so a batch can tell "this log does not cover --at" from any other error.
  EXPECT_EQ(outside.status().code(), StatusCode::kOutOfRange);
  EXPECT_THAT(outside.status().message(), HasSubstr("--at 2026-11-21 01:00 is outside the log"));
  EXPECT_THAT(outside.status().message(), HasSubstr("hand.csv runs from 2026-11-20 00:00:00"));

  focus = {};
  focus.from = "2026-11-20 01:30";
  focus.to = "2026-11-20 00:30";
  auto reversed = ResolveFocus(log, focus);
  ASSERT_FALSE(reversed.ok());
  EXPECT_THAT(reversed.status().message(), HasSubstr("before it starts"));
}

TEST(MemoryPressure, AtWithoutFromAnalysesTheRunUpClippedToTheLog) {
  const CounterLog log = MakeLog(121, 60);
  FocusOptions focus;
  focus.at = "2026-11-20 01:40";
  focus.run_up_hours = 0.5;
  auto r = ResolveFocus(log, focus);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->begin, 70u);
  EXPECT_EQ(r->end, 101u);
  ASSERT_TRUE(r->at_utc.has_value());
  EXPECT_EQ(*r->at_utc, kStart + 100 * 60 * kTicksPerSecond);
  focus.run_up_hours = 6.0;
  r = ResolveFocus(log, focus);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->begin, 0u);
}

TEST(MemoryPressure, TheilSenIntervalContainsTheSlopeAndWidensWithNoise) {
  std::vector<double> x, clean, noisy;
  for (int i = 0; i < 200; ++i) {
    x.push_back(i * 0.1);
    clean.push_back(5.0 + 2.0 * i * 0.1);
    noisy.push_back(5.0 + 2.0 * i * 0.1 + ((i * 7919) % 13 - 6) * 0.5);
  }
  const internal::SlopeInterval a = internal::TheilSenInterval(x, clean, 0.95);
  EXPECT_NEAR(a.slope, 2.0, 1e-9);  // exact line: every pair slope is 2
  EXPECT_NEAR(a.low, 2.0, 1e-9);
  EXPECT_NEAR(a.high, 2.0, 1e-9);
  const internal::SlopeInterval b = internal::TheilSenInterval(x, noisy, 0.95);
  EXPECT_NEAR(b.slope, 2.0, 0.1);  // tolerance: noise of +-3 over a 20-unit x range
  EXPECT_LT(b.low, b.slope);
  EXPECT_GT(b.high, b.slope);
  EXPECT_LT(b.low, 2.0);
  EXPECT_GT(b.high, 2.0);
  EXPECT_NEAR(internal::NormalQuantileTwoSided(0.95), 1.959964, 1e-5);
}

// Commit rises past 90 % at sample 40, dips for one sample to 89 % (same episode), falls
// back at 80; Available MBytes never falls below the floor.
CounterLog CommitEpisodeLog() {
  CounterLog log = MakeLog(120, 60);
  std::vector<double> committed(120), limit(120, 10 * kGiB), available(120, 4000.0);
  for (std::size_t i = 0; i < 120; ++i) {
    const double ratio = (i >= 40 && i < 80) ? (i == 60 ? 0.89 : 0.95) : 0.5;
    committed[i] = ratio * 10 * kGiB;
  }
  committed[70] = 0.97 * 10 * kGiB;
  AddSystem(&log, "Memory", "Committed Bytes", committed);
  AddSystem(&log, "Memory", "Commit Limit", limit);
  AddSystem(&log, "Memory", "Available MBytes", available);
  return log;
}

TEST(MemoryPressure, CommitEpisodeHasStartEndPeakAndIgnoresAShortDip) {
  const CounterLog log = CommitEpisodeLog();
  auto r = internal::AnalyzeSystemMemory(log, internal::ProcessColumns::Build(log), {},
                                         MemoryPressureOptions{}, std::nullopt);
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->episodes.size(), 1u);
  const PressureEpisode& e = r->episodes[0];
  EXPECT_EQ(e.kind, PressureKind::kCommit);
  EXPECT_EQ(e.start_utc, log.time_utc[40]);
  EXPECT_EQ(e.end_utc, log.time_utc[79]);
  EXPECT_EQ(e.peak_utc, log.time_utc[70]);
  EXPECT_NEAR(e.peak_value, 0.97, 1e-12);
  EXPECT_FALSE(e.ongoing);
  ASSERT_EQ(r->machines.size(), 1u);
  EXPECT_NEAR(*r->machines[0].commit_peak_ratio, 0.97, 1e-12);
  EXPECT_NEAR(*r->machines[0].available_min_mb, 4000.0, 1e-12);
}

TEST(MemoryPressure, LowAvailableAndFullPagingFileAreEpisodes) {
  CounterLog log = MakeLog(60, 60);
  std::vector<double> available(60, 3000.0), paging(60, 40.0);
  for (std::size_t i = 30; i < 60; ++i) {
    available[i] = 50.0;
    paging[i] = 95.0;
  }
  AddSystem(&log, "Memory", "Available MBytes", available);
  AddSystem(&log, "Paging File", "% Usage", paging, "_Total");
  auto r = internal::AnalyzeSystemMemory(log, internal::ProcessColumns::Build(log), {},
                                         MemoryPressureOptions{}, std::nullopt);
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->episodes.size(), 2u);
  for (const PressureEpisode& e : r->episodes) {
    EXPECT_EQ(e.start_utc, log.time_utc[30]);
    EXPECT_TRUE(e.ongoing);
  }
  EXPECT_NE(r->episodes[0].kind, r->episodes[1].kind);
}

// A grows 1 GB; B appears half-way with 500 MB (a new PID counts from 0); C is stable; D
// exits (negative growth is not counted); the paged pool grows 500 MB.
CounterLog AttributionLog() {
  constexpr std::size_t n = 100;
  CounterLog log = MakeLog(n, 60);
  std::vector<double> a(n), b(n, kMissing), b_id(n, kMissing), c(n, 300 * kMiB), d(n, kMissing),
      d_id(n, kMissing), pool(n), committed(n), limit(n, 32 * kGiB);
  for (std::size_t i = 0; i < n; ++i) {
    const double f = static_cast<double>(i) / (n - 1);
    a[i] = 200 * kMiB + f * kGiB;
    if (i >= 50) {
      b[i] = 500 * kMiB;
      b_id[i] = 4242;
    }
    if (i < 40) {
      d[i] = 700 * kMiB;
      d_id[i] = 77;
    }
    pool[i] = 200 * kMiB + f * 500 * kMiB;
    committed[i] = 4 * kGiB + f * 2 * kGiB;
  }
  AddProcess(&log, "OrderService", 0, "Private Bytes", a);
  AddProcess(&log, "OrderService", 0, "ID Process", std::vector<double>(n, 1000.0));
  AddProcess(&log, "ReportJob", 0, "Private Bytes", b);
  AddProcess(&log, "ReportJob", 0, "ID Process", b_id);
  AddProcess(&log, "sqlservr", 0, "Private Bytes", c);
  AddProcess(&log, "sqlservr", 0, "ID Process", std::vector<double>(n, 900.0));
  AddProcess(&log, "Setup", 0, "Private Bytes", d);
  AddProcess(&log, "Setup", 0, "ID Process", d_id);
  AddSystem(&log, "Memory", "Pool Paged Bytes", pool);
  AddSystem(&log, "Memory", "Committed Bytes", committed);
  AddSystem(&log, "Memory", "Commit Limit", limit);
  return log;
}

TEST(MemoryPressure, AttributionRanksProcessesAndPoolsWithShares) {
  const CounterLog log = AttributionLog();
  AnalysisOptions options;
  options.num_threads = 1;
  options.focus.at = FormatIsoUtc(log.time_utc.back());
  auto analysis = AnalyzeLog(log, options);
  ASSERT_TRUE(analysis.ok()) << analysis.status().message();
  ASSERT_TRUE(analysis->system_memory.has_value());
  ASSERT_EQ(analysis->system_memory->incident.size(), 1u);
  const Attribution& at = analysis->system_memory->incident[0];
  ASSERT_EQ(at.growers.size(), 3u);
  // Robust levels are medians of the first and last 10 samples of a straight line, so the
  // growth is 90/99 of the planted one; tolerance 1 MB for that and rounding.
  const double line = 90.0 / 99.0;
  EXPECT_EQ(at.growers[0].instance, "OrderService");
  EXPECT_NEAR(at.growers[0].growth_bytes, line * kGiB, 1 * kMiB);
  EXPECT_FALSE(at.growers[0].appeared);
  EXPECT_EQ(at.growers[1].instance, "ReportJob");
  EXPECT_TRUE(at.growers[1].appeared);
  EXPECT_NEAR(at.growers[1].growth_bytes, 500 * kMiB, 1e-3);
  EXPECT_EQ(at.growers[1].pids, std::vector<std::int64_t>{4242});
  EXPECT_TRUE(at.growers[2].kernel_pool);
  EXPECT_EQ(at.growers[2].instance, "Pool Paged Bytes");
  EXPECT_NEAR(at.growers[2].growth_bytes, line * 500 * kMiB, 1 * kMiB);
  const double total = line * kGiB + 500 * kMiB + line * 500 * kMiB;
  EXPECT_NEAR(at.total_growth_bytes, total, 2 * kMiB);
  EXPECT_NEAR(at.growers[0].share, line * kGiB / total, 1e-3);
  double shares = 0.0;
  for (const Grower& g : at.growers) shares += g.share;
  EXPECT_NEAR(shares, 1.0, 1e-9);
  ASSERT_TRUE(at.has_commit_growth);
  EXPECT_NEAR(at.commit_growth_bytes, line * 2 * kGiB, 2 * kMiB);
}

// svchost (PID 500) exits at sample 30 and PDH moves svchost#1 (PID 600) into the `svchost`
// column; PID 600 grows 400 MB over the whole window and must be one grower, not "appeared".
TEST(MemoryPressure, AttributionFollowsAPidAcrossRenumberedColumns) {
  constexpr std::size_t n = 60;
  CounterLog log = MakeLog(n, 60);
  std::vector<double> col0(n), id0(n), col1(n, kMissing), id1(n, kMissing);
  for (std::size_t i = 0; i < n; ++i) {
    const double pid600 = 100 * kMiB + 400 * kMiB * static_cast<double>(i) / (n - 1);
    if (i < 30) {
      col0[i] = 50 * kMiB;
      id0[i] = 500;
      col1[i] = pid600;
      id1[i] = 600;
    } else {
      col0[i] = pid600;
      id0[i] = 600;
    }
  }
  AddProcess(&log, "svchost", 0, "Private Bytes", col0);
  AddProcess(&log, "svchost", 0, "ID Process", id0);
  AddProcess(&log, "svchost", 1, "Private Bytes", col1);
  AddProcess(&log, "svchost", 1, "ID Process", id1);
  AddSystem(&log, "Memory", "Committed Bytes", std::vector<double>(n, 4 * kGiB));
  AnalysisOptions options;
  options.num_threads = 1;
  options.focus.at = FormatIsoUtc(log.time_utc.back());
  auto analysis = AnalyzeLog(log, options);
  ASSERT_TRUE(analysis.ok()) << analysis.status().message();
  const Attribution& at = analysis->system_memory->incident.at(0);
  ASSERT_EQ(at.growers.size(), 1u);
  EXPECT_EQ(at.growers[0].pids, std::vector<std::int64_t>{600});
  EXPECT_FALSE(at.growers[0].appeared);
  // Medians of the first and last 6 samples of the line: 54/59 of the planted growth.
  EXPECT_NEAR(at.growers[0].growth_bytes, 400 * kMiB * 54.0 / 59.0, 1 * kMiB);
  EXPECT_NEAR(at.growers[0].share, 1.0, 1e-12);
}

// Commit rises 2 GiB in 99 min, linearly, from 4 GiB; with a 7 GiB limit the planted line
// reaches it 148.5 min after the first sample, 49.5 min after the last.
TEST(MemoryPressure, ExhaustionForecastMatchesThePlantedLine) {
  CounterLog log = AttributionLog();
  for (double& v : log.columns.back()) v = 7 * kGiB;
  auto analysis = AnalyzeLog(log);
  ASSERT_TRUE(analysis.ok()) << analysis.status().message();
  ASSERT_TRUE(analysis->system_memory.has_value());
  ASSERT_TRUE(analysis->system_memory->machines[0].commit_exhaustion.has_value());
  const ExhaustionForecast& f = *analysis->system_memory->machines[0].commit_exhaustion;
  ASSERT_EQ(f.status, ForecastStatus::kForecast);
  EXPECT_NEAR(f.slope_per_hour, 2 * kGiB * 60.0 / 99.0, 1.0);
  ASSERT_TRUE(f.exhaustion_utc && f.earliest_utc && f.latest_utc);
  EXPECT_LE(*f.earliest_utc, *f.exhaustion_utc);
  EXPECT_LE(*f.exhaustion_utc, *f.latest_utc);
  const double minutes =
      static_cast<double>(*f.exhaustion_utc - log.time_utc.back()) / (60.0 * kTicksPerSecond);
  EXPECT_NEAR(minutes, 49.5, 1.0);
}

// The same rise against a 32 GiB limit: 26 GiB left at 1.2 GiB/h is 21 h away, far beyond 4x
// the 99 minutes observed, so there is no forecast, and it says why.
TEST(MemoryPressure, NoForecastBeyondTheHorizon) {
  auto analysis = AnalyzeLog(AttributionLog());
  ASSERT_TRUE(analysis.ok());
  const auto& f = analysis->system_memory->machines[0].commit_exhaustion;
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->status, ForecastStatus::kBeyondHorizon);
  EXPECT_FALSE(f->exhaustion_utc.has_value());
}

TEST(MemoryPressure, FlatCommitHasNoExhaustion) {
  CounterLog log = MakeLog(60, 60);
  AddSystem(&log, "Memory", "Committed Bytes", std::vector<double>(60, 4 * kGiB));
  AddSystem(&log, "Memory", "Commit Limit", std::vector<double>(60, 16 * kGiB));
  auto analysis = AnalyzeLog(log);
  ASSERT_TRUE(analysis.ok());
  const auto& r = analysis->system_memory;
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->machines[0].commit_exhaustion.has_value());
  EXPECT_EQ(r->machines[0].commit_exhaustion->status, ForecastStatus::kNotRising);
  EXPECT_FALSE(r->machines[0].commit_exhaustion->exhaustion_utc.has_value());
  EXPECT_TRUE(r->episodes.empty());
}

TEST(MemoryPressure, LogWithoutMemoryCountersHasNoSystemSection) {
  CounterLog log = MakeLog(30, 60);
  AddProcess(&log, "a", 0, "Private Bytes", std::vector<double>(30, kMiB));
  auto analysis = AnalyzeLog(log);
  ASSERT_TRUE(analysis.ok());
  EXPECT_FALSE(analysis->system_memory.has_value());
}

TEST(MemoryPressure, ProcessFocusKeepsThatProcessAndTheSystem) {
  const CounterLog log = AttributionLog();
  AnalysisOptions options;
  options.num_threads = 1;
  options.focus.process = "4242";
  auto analysis = AnalyzeLog(log, options);
  ASSERT_TRUE(analysis.ok());
  std::size_t processes = 0;
  for (const Finding& f : analysis->findings) {
    if (f.system) continue;
    ++processes;
    EXPECT_EQ(f.process, "ReportJob");
  }
  EXPECT_EQ(processes, 1u);
  options.focus.process = "nosuch";
  analysis = AnalyzeLog(log, options);
  ASSERT_TRUE(analysis.ok());
  ASSERT_FALSE(analysis->warnings.empty());
  EXPECT_THAT(analysis->warnings.back(), HasSubstr("--process nosuch matches no process"));
}

TEST(MemoryPressure, FocusWindowKeepsLifetimesInWholeLogSamples) {
  const CounterLog log = AttributionLog();
  AnalysisOptions options;
  options.num_threads = 1;
  options.focus.from = FormatIsoUtc(log.time_utc[20]);
  auto analysis = AnalyzeLog(log, options);
  ASSERT_TRUE(analysis.ok()) << analysis.status().message();
  ASSERT_TRUE(analysis->focus.has_value());
  EXPECT_EQ(analysis->focus->begin, 20u);
  for (const Finding& f : analysis->findings) {
    for (const Lifetime& life : f.lifetimes) EXPECT_GE(life.first_sample, 20u) << f.instance;
  }
  EXPECT_EQ(analysis->system_memory->window_from_utc, log.time_utc[20]);
}

TEST(MemoryPressure, GeneratedCommitEaterIsNamedWithItsShare) {
  scenario::IncidentTruth truth;
  scenario::IncidentOptions io;
  io.seed = 3;
  const scenario::Scenario sc = scenario::GenerateIncident(io, &truth);
  AnalysisOptions options;
  options.num_threads = 1;
  options.focus.at = FormatLocal(truth.incident_local).substr(0, 16);
  auto analysis = AnalyzeLog(sc.log, options);
  ASSERT_TRUE(analysis.ok()) << analysis.status().message();
  const SystemMemoryAnalysis& sm = *analysis->system_memory;
  ASSERT_EQ(sm.incident.size(), 1u);
  const Attribution& at = sm.incident[0];
  ASSERT_GE(at.growers.size(), 2u);
  EXPECT_EQ(at.growers[0].process, "OrderService");
  EXPECT_GT(at.growers[0].share, 0.9);
  EXPECT_EQ(at.growers[1].process, "ReportJob");
  EXPECT_TRUE(at.growers[1].appeared);
  // The stable processes' jitter stays under the floor and is not listed.
  for (const Grower& g : at.growers) EXPECT_NE(g.process, "sqlservr");
  // The whole log: a commit episode whose run-up names OrderService too.
  options.focus = {};
  analysis = AnalyzeLog(sc.log, options);
  ASSERT_TRUE(analysis.ok());
  bool commit_episode = false;
  for (const PressureEpisode& e : analysis->system_memory->episodes) {
    if (e.kind != PressureKind::kCommit) continue;
    commit_episode = true;
    EXPECT_GE(e.peak_value, 0.97);
    ASSERT_FALSE(e.run_up.growers.empty());
    EXPECT_EQ(e.run_up.growers[0].process, "OrderService");
  }
  EXPECT_TRUE(commit_episode);
  bool forecast = false;
  for (const ExhaustionForecast& f : analysis->system_memory->process_exhaustion) {
    if (f.subject == "OrderService") forecast = f.exhaustion_utc.has_value();
  }
  EXPECT_TRUE(forecast);
}

TEST(MemoryPressure, GeneratedPoolLeakNamesThePagedPool) {
  scenario::IncidentTruth truth;
  scenario::IncidentOptions io;
  io.seed = 4;
  io.kind = scenario::IncidentKind::kPoolLeak;
  const scenario::Scenario sc = scenario::GenerateIncident(io, &truth);
  AnalysisOptions options;
  options.num_threads = 1;
  options.focus.at = FormatIsoUtc(truth.incident_utc);
  auto analysis = AnalyzeLog(sc.log, options);
  ASSERT_TRUE(analysis.ok()) << analysis.status().message();
  const Attribution& at = analysis->system_memory->incident.at(0);
  ASSERT_FALSE(at.growers.empty());
  EXPECT_TRUE(at.growers[0].kernel_pool);
  EXPECT_EQ(at.growers[0].instance, "Pool Paged Bytes");
  EXPECT_GT(at.growers[0].share, 0.9);
  for (const Finding& f : analysis->findings) {
    if (!f.system) {
      EXPECT_NE(f.verdict, Verdict::kLeak) << f.instance;
    }
  }
  EXPECT_FALSE(analysis->system_memory->episodes.empty());
}

TEST(MemoryPressure, RealPalSampleHasASaneSystemSectionWithoutEpisodes) {
  PERFLEAK_REAL_LOG_OR_SKIP(path, "PAL__SampleLog.blg");
  ReadOptions read;
  read.counter_patterns = AnalysisCounterPatterns();
  auto log = ReadLog(path, read);
  ASSERT_TRUE(log.ok()) << log.status().message();
  auto analysis = AnalyzeLog(*log);
  ASSERT_TRUE(analysis.ok());
  ASSERT_TRUE(analysis->system_memory.has_value());
  const SystemMemoryAnalysis& sm = *analysis->system_memory;
  EXPECT_TRUE(sm.episodes.empty());
  ASSERT_EQ(sm.machines.size(), 1u);
  const SystemMemory& m = sm.machines[0];
  ASSERT_TRUE(m.commit_limit_bytes && m.committed_peak_bytes && m.commit_peak_ratio);
  EXPECT_GT(*m.commit_peak_ratio, 0.1);
  EXPECT_LT(*m.commit_peak_ratio, 0.9);
  EXPECT_LE(*m.committed_peak_bytes, *m.commit_limit_bytes);
  ASSERT_TRUE(m.available_min_mb.has_value());
  EXPECT_GT(*m.available_min_mb, 0.0);
  EXPECT_FALSE(m.chart.empty());
  if (m.commit_exhaustion) {
    EXPECT_TRUE(std::isfinite(m.commit_exhaustion->slope_per_hour));
    EXPECT_TRUE(std::isfinite(m.commit_exhaustion->headroom_bytes));
  }
}

}  // namespace
}  // namespace perfleak
