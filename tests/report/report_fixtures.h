// Hand-made reports for the reporter tests and the report benchmark: small CounterLogs and
// the Findings an analysis would give for them, so that the reports are tested without
// depending on the analysis engine. Header-only because bench/report_bench.cc uses it too.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "perfleak/counter_log.h"
#include "perfleak/log_summary.h"
#include "perfleak/report.h"
#include "perfleak/status.h"
#include "support/counter_log_builder.h"

namespace perfleak::testing {

/// `report` in `format` with a fixed generation time (so outputs compare across runs);
/// `include_ok` as `--all`.
inline std::string RenderReport(const Report& report, ReportFormat format,
                                bool include_ok = false) {
  ReportOptions options;
  options.include_ok = include_ok;
  options.generated_utc = "2026-11-24T16:00:00Z";
  std::ostringstream out;
  const Status status = MakeReporter(format, options)->Write(report, out);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return out.str();
}

inline constexpr double kMiB = 1024.0 * 1024.0;
/// 2026-11-20T16:00:00Z.
inline constexpr Ticks kFixtureStartUtc = 1'795'190'400LL * kTicksPerSecond;
/// The fixture machine runs at UTC-8 (Pacific Standard Time).
inline constexpr Ticks kFixtureOffset = -8 * kTicksPerHour;

/// An empty log of `samples` samples every `interval_s` seconds from kFixtureStartUtc.
inline std::shared_ptr<CounterLog> MakeFixtureLog(std::size_t samples, std::int64_t interval_s) {
  auto log = std::make_shared<CounterLog>();
  log->source = "logs/web01.csv";
  log->format = LogFormat::kPdhCsv;
  log->time_zone.name = "Pacific Standard Time";
  log->time_zone.bias_minutes = 480;
  log->time_zone.has_bias = true;
  for (std::size_t i = 0; i < samples; ++i) {
    const Ticks utc = kFixtureStartUtc + static_cast<Ticks>(i) * interval_s * kTicksPerSecond;
    log->time_utc.push_back(utc);
    log->time_local.push_back(utc + kFixtureOffset);
  }
  return log;
}

/// Adds a `\\machine\Process(instance)\counter` column and returns its index.
inline std::size_t AddColumn(CounterLog* log, const std::string& machine,
                             const std::string& instance, std::uint32_t index,
                             const std::string& counter, std::vector<double> values) {
  return testing::AddColumn(
      log,
      testing::MakePath(machine, "Process", instance, counter,
                        index > 0 ? std::optional<std::uint32_t>(index) : std::nullopt),
      std::move(values));
}

inline Ticks SampleTime(const CounterLog& log, std::size_t idx) { return log.time_utc[idx]; }

/// The finding of the first log with this instance name (a test failure when there is none).
inline const Finding& FindingNamed(const Report& report, std::string_view instance) {
  for (const Finding& f : report.logs[0].analysis.findings) {
    if (f.instance == instance) return f;
  }
  ADD_FAILURE() << "no finding " << instance;
  return report.logs[0].analysis.findings.front();
}

/// A finding of APP07's `Legacy` (PIDs 100, 200) with one evidence of `counter`.
inline Finding OneEvidence(std::string counter, std::string unit, Verdict verdict) {
  Finding f;
  f.machine = "APP07";
  f.process = "Legacy";
  f.instance = "Legacy";
  f.pids = {100, 200};
  f.verdict = verdict;
  Evidence e;
  e.counter = std::move(counter);
  e.unit = std::move(unit);
  e.verdict = verdict;
  f.evidence.push_back(e);
  return f;
}

/// One leaking process over `samples` samples every `interval_s` seconds (Handle Count
/// rising by 3 a sample with a little noise): the sparse logs of a usual perfmon setup (8 h at
/// 5 min = 97 samples; PAL's sample log has 11).
inline Report MakeSparseReport(std::size_t samples, std::int64_t interval_s) {
  auto log = MakeFixtureLog(samples, interval_s);
  std::vector<double> handles(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    handles[i] = 800 + 3.0 * static_cast<double>(i) + static_cast<double>((i * 7) % 5);
  }
  const std::size_t column =
      AddColumn(log.get(), "WEB01", "OrderService", 0, "Handle Count", std::move(handles));
  LogReport entry;
  entry.path = "logs/sparse.csv";
  entry.format = LogFormat::kPdhCsv;
  entry.summary = Summarize(*log);
  entry.log = log;
  Finding f;
  f.machine = "WEB01";
  f.process = "OrderService";
  f.instance = "OrderService";
  f.pids = {4312};
  f.lifetimes = {{4312, 0, samples - 1}};
  f.verdict = Verdict::kLeak;
  f.score = 0.9;
  Evidence e;
  e.counter = "Handle Count";
  e.unit = "handles";
  e.column = column;
  e.verdict = Verdict::kLeak;
  e.score = 0.9;
  const double hours = static_cast<double>(interval_s) / 3600.0;
  e.slope_per_hour = 3.0 / hours;
  e.growth = 3.0 * static_cast<double>(samples - 1);
  e.start_level = 802;
  e.window_start_utc = SampleTime(*log, 0);
  e.window_end_utc = SampleTime(*log, samples - 1);
  e.fit_quality = 0.99;
  e.trend_z = 8;
  e.consistency = 1;
  e.method = "Theil-Sen slope over the whole log";
  e.trend = {{e.window_start_utc, e.window_end_utc, 802, 802 + e.growth}};
  f.evidence.push_back(e);
  entry.analysis.findings.push_back(f);
  entry.analysis.processes_analysed = 1;
  Report report;
  report.logs.push_back(std::move(entry));
  return report;
}

/// The golden case: WEB01 over 12 h at one-minute samples with
///  - OrderService#1: Private Bytes leak, restarted once (PID 4312 then 7720), growth after an
///    onset at 10:42 local;
///  - w3wp: Handle Count sawtooth whose lower envelope grows (suspect);
///  - `Evil<script>&"x"`: Thread Count suspect with a hostile name (escaping);
///  - svchost#3: flat Private Bytes (ok).
/// plus a second log that failed to parse.
inline Report MakeGoldenReport() {
  constexpr std::size_t kSamples = 720;
  auto log = MakeFixtureLog(kSamples, 60);
  const std::size_t restart = 300;
  const std::size_t onset = 162;  // 16:00Z + 162 min = 18:42Z = 10:42 local

  std::vector<double> order_private(kSamples);
  for (std::size_t i = 0; i < kSamples; ++i) {
    const double noise = static_cast<double>((i * 7919) % 13) * 0.05 * kMiB;
    if (i < restart) {
      const double grow = i > onset ? static_cast<double>(i - onset) * (44.0 / 60.0) * kMiB : 0.0;
      order_private[i] = 210 * kMiB + grow + noise;
    } else {
      order_private[i] =
          190 * kMiB + static_cast<double>(i - restart) * (44.0 / 60.0) * kMiB + noise;
    }
  }
  order_private[500] = 700 * kMiB;  // a one-sample spike the chart must keep visible
  order_private[501] = kMissing;
  std::vector<double> order_handles(kSamples);
  for (std::size_t i = 0; i < kSamples; ++i) {
    order_handles[i] = 812 + static_cast<double>(i % 5);
  }
  std::vector<double> w3wp_handles(kSamples);
  for (std::size_t i = 0; i < kSamples; ++i) {
    w3wp_handles[i] = 1500 + static_cast<double>(i % 20) * 30 + static_cast<double>(i) * 0.5;
  }
  std::vector<double> evil_threads(kSamples);
  for (std::size_t i = 0; i < kSamples; ++i) {
    evil_threads[i] = 40 + static_cast<double>(i / 30);
  }
  std::vector<double> svchost_private(kSamples);
  for (std::size_t i = 0; i < kSamples; ++i) {
    svchost_private[i] = 64 * kMiB + static_cast<double>(i % 7) * 0.1 * kMiB;
  }
  const std::size_t c_private =
      AddColumn(log.get(), "WEB01", "OrderService", 1, "Private Bytes", order_private);
  const std::size_t c_handles =
      AddColumn(log.get(), "WEB01", "OrderService", 1, "Handle Count", order_handles);
  const std::size_t c_w3wp = AddColumn(log.get(), "WEB01", "w3wp", 0, "Handle Count", w3wp_handles);
  const std::size_t c_evil =
      AddColumn(log.get(), "WEB01", "Evil<script>&\"x\"", 0, "Thread Count", evil_threads);
  const std::size_t c_svchost =
      AddColumn(log.get(), "WEB01", "svchost", 3, "Private Bytes", svchost_private);

  LogReport ok_log;
  ok_log.path = "logs/web01.csv";
  ok_log.format = LogFormat::kPdhCsv;
  ok_log.summary = Summarize(*log);
  ok_log.warnings = {"logs/web01.csv:3: 1 empty value read as missing (column 6)"};
  ok_log.log = log;

  const Ticks end = SampleTime(*log, kSamples - 1);
  Finding order;
  order.machine = "WEB01";
  order.process = "OrderService";
  order.instance = "OrderService#1";
  order.pids = {4312, 7720};
  order.lifetimes = {{4312, 0, restart - 1}, {7720, restart, kSamples - 1}};
  order.verdict = Verdict::kLeak;
  order.score = 0.97;
  {
    Evidence e;
    e.counter = "Private Bytes";
    e.unit = "bytes";
    e.column = c_private;
    e.verdict = Verdict::kLeak;
    e.score = 0.97;
    e.slope_per_hour = 44.0 * kMiB;
    e.growth = 412.0 * kMiB;
    e.observed_change = 0.95 * (412.0 * kMiB);
    e.start_level = 210.0 * kMiB;
    e.observed_start = e.start_level;
    e.observed_end = e.start_level + e.observed_change;
    e.peak = e.observed_end * 1.02;
    e.onset_utc = SampleTime(*log, onset);
    e.window_start_utc = SampleTime(*log, onset);
    e.window_end_utc = end;
    e.fit_quality = 0.94;
    e.trend_z = 11.2;
    e.consistency = 1.0;
    e.method = "Theil-Sen slope after the change point, per lifetime";
    e.trend = {{SampleTime(*log, onset), SampleTime(*log, restart - 1), 210 * kMiB,
                210 * kMiB + 137 * 44.0 / 60.0 * kMiB},
               {SampleTime(*log, restart), end, 190 * kMiB, 190 * kMiB + 419 * 44.0 / 60.0 * kMiB}};
    e.change_points = {SampleTime(*log, onset)};
    order.evidence.push_back(e);
    Evidence h;
    h.counter = "Handle Count";
    h.unit = "handles";
    h.column = c_handles;
    h.verdict = Verdict::kOk;
    h.score = 0.05;
    h.slope_per_hour = 0.1;
    h.growth = 1.0;
    h.observed_change = 0.95 * (1.0);
    h.start_level = 814;
    h.observed_start = h.start_level;
    h.observed_end = h.start_level + h.observed_change;
    h.peak = h.observed_end * 1.02;
    h.window_start_utc = SampleTime(*log, 0);
    h.window_end_utc = end;
    h.fit_quality = 0.01;
    h.trend_z = 0.3;
    h.consistency = 0.5;
    h.method = "Theil-Sen slope over the whole log";
    order.evidence.push_back(h);
  }

  Finding w3wp;
  w3wp.machine = "WEB01";
  w3wp.process = "w3wp";
  w3wp.instance = "w3wp";
  w3wp.pids = {5120};
  w3wp.lifetimes = {{5120, 0, kSamples - 1}};
  w3wp.verdict = Verdict::kSuspect;
  w3wp.score = 0.61;
  {
    Evidence e;
    e.counter = "Handle Count";
    e.unit = "handles";
    e.column = c_w3wp;
    e.verdict = Verdict::kSuspect;
    e.score = 0.61;
    e.slope_per_hour = 30;
    e.growth = 360;
    e.observed_change = 0.95 * (360);
    e.start_level = 1500;
    e.observed_start = e.start_level;
    e.observed_end = e.start_level + e.observed_change;
    e.peak = e.observed_end * 1.02;
    e.window_start_utc = SampleTime(*log, 0);
    e.window_end_utc = end;
    e.fit_quality = 0.88;
    e.trend_z = 6.1;
    e.consistency = 0.9;
    e.used_envelope = true;
    e.method = "Theil-Sen slope of the lower envelope";
    e.trend = {{SampleTime(*log, 0), end, 1500, 1860}};
    for (std::size_t i = 0; i < kSamples; i += 20) {
      e.envelope.push_back({SampleTime(*log, i), 1500 + static_cast<double>(i) * 0.5});
    }
    w3wp.evidence.push_back(e);
  }

  Finding evil;
  evil.machine = "WEB01";
  evil.process = "Evil<script>&\"x\"";
  evil.instance = "Evil<script>&\"x\"";
  evil.pids = {666};
  evil.lifetimes = {{666, 0, kSamples - 1}};
  evil.verdict = Verdict::kSuspect;
  evil.score = 0.45;
  {
    Evidence e;
    e.counter = "Thread Count";
    e.unit = "threads";
    e.column = c_evil;
    e.verdict = Verdict::kSuspect;
    e.score = 0.45;
    e.slope_per_hour = 2;
    e.growth = 23;
    e.observed_change = 0.95 * (23);
    e.start_level = 40;
    e.observed_start = e.start_level;
    e.observed_end = e.start_level + e.observed_change;
    e.peak = e.observed_end * 1.02;
    e.window_start_utc = SampleTime(*log, 0);
    e.window_end_utc = end;
    e.fit_quality = 0.97;
    e.trend_z = 9.0;
    e.consistency = 1.0;
    e.method = "Theil-Sen slope over the whole log";
    e.trend = {{SampleTime(*log, 0), end, 40, 63}};
    evil.evidence.push_back(e);
  }

  Finding svchost;
  svchost.machine = "WEB01";
  svchost.process = "svchost";
  svchost.instance = "svchost#3";
  svchost.pids = {1044};
  svchost.lifetimes = {{1044, 0, kSamples - 1}};
  svchost.verdict = Verdict::kOk;
  svchost.score = 0.02;
  {
    Evidence e;
    e.counter = "Private Bytes";
    e.unit = "bytes";
    e.column = c_svchost;
    e.verdict = Verdict::kOk;
    e.score = 0.02;
    e.slope_per_hour = 0.0;
    e.growth = 0.1 * kMiB;
    e.observed_change = 0.95 * (0.1 * kMiB);
    e.start_level = 64 * kMiB;
    e.observed_start = e.start_level;
    e.observed_end = e.start_level + e.observed_change;
    e.peak = e.observed_end * 1.02;
    e.window_start_utc = SampleTime(*log, 0);
    e.window_end_utc = end;
    e.fit_quality = 0.0;
    e.trend_z = 0.2;
    e.consistency = 0.4;
    e.method = "Theil-Sen slope over the whole log";
    svchost.evidence.push_back(e);
  }
  // Analysis order on purpose differs from the rank order: the report ranks.
  ok_log.analysis.findings = {svchost, evil, order, w3wp};
  ok_log.analysis.processes_analysed = 4;

  LogReport failed;
  failed.path = "logs/broken.blg";
  failed.format = LogFormat::kBlg;
  failed.status = Status::ParseError(
      "logs/broken.blg: record 12 at byte 40960: record length 9999999 exceeds the file; "
      "hint: the file was copied while perfmon was still writing it");

  Report report;
  report.logs.push_back(std::move(ok_log));
  report.logs.push_back(std::move(failed));
  return report;
}

/// A big log as a fleet collection gives: `processes` processes with four counters each
/// (Private Bytes, Virtual Bytes, Handle Count, Thread Count), one finding per process, about
/// one in twenty a leak and one in twenty a suspect.
inline Report MakeLargeReport(std::size_t processes, std::size_t samples) {
  auto log = MakeFixtureLog(samples, 15);
  LogReport lr;
  lr.path = "logs/fleet.blg";
  lr.format = LogFormat::kBlg;
  const Ticks end = log->time_utc.back();
  static const char* const kCounters[] = {"Private Bytes", "Virtual Bytes", "Handle Count",
                                          "Thread Count"};
  for (std::size_t p = 0; p < processes; ++p) {
    const std::string name = "proc" + std::to_string(p);
    const bool leak = p % 20 == 0;
    const bool suspect = p % 20 == 1;
    std::size_t first_column = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      std::vector<double> values(samples);
      for (std::size_t i = 0; i < samples; ++i) {
        const double wobble = static_cast<double>((i * 31 + p * 17 + k) % 23);
        const double growth = leak ? static_cast<double>(i) * 40000.0 : 0.0;
        values[i] = (k < 2 ? 50 * kMiB : 300.0) + wobble * (k < 2 ? 20000.0 : 1.0) + growth;
      }
      const std::size_t c =
          AddColumn(log.get(), "FLEET01", name, 0, kCounters[k], std::move(values));
      if (k == 0) first_column = c;
    }
    Finding f;
    f.machine = "FLEET01";
    f.process = name;
    f.instance = name;
    f.pids = {static_cast<std::int64_t>(1000 + p)};
    f.lifetimes = {{f.pids[0], 0, samples - 1}};
    f.verdict = leak ? Verdict::kLeak : suspect ? Verdict::kSuspect : Verdict::kOk;
    f.score = leak ? 0.9 : suspect ? 0.5 : 0.05;
    Evidence e;
    e.counter = "Private Bytes";
    e.unit = "bytes";
    e.column = first_column;
    e.verdict = f.verdict;
    e.score = f.score;
    e.slope_per_hour = leak ? 40000.0 * 240 : 0.0;
    e.growth = leak ? 40000.0 * static_cast<double>(samples) : 0.0;
    e.observed_change = 0.95 * (leak ? 40000.0 * static_cast<double>(samples) : 0.0);
    e.start_level = 50 * kMiB;
    e.observed_start = e.start_level;
    e.observed_end = e.start_level + e.observed_change;
    e.peak = e.observed_end * 1.02;
    e.window_start_utc = log->time_utc.front();
    e.window_end_utc = end;
    e.onset_utc = leak ? std::optional<Ticks>(log->time_utc[samples / 3]) : std::nullopt;
    e.method = "Theil-Sen slope over the whole log";
    e.trend = {{log->time_utc.front(), end, 50 * kMiB, 50 * kMiB + e.growth}};
    f.evidence.push_back(e);
    lr.analysis.findings.push_back(std::move(f));
  }
  lr.analysis.processes_analysed = processes;
  lr.summary = Summarize(*log);
  lr.log = std::move(log);
  Report report;
  report.logs.push_back(std::move(lr));
  return report;
}

}  // namespace perfleak::testing
