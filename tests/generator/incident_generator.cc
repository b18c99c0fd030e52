#include "incident_generator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <random>

#include "seeded_rng.h"

namespace perfleak::scenario {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kGiB = 1024.0 * kMiB;

struct Proc {
  std::string image;
  std::uint32_t index = 0;  // `#n`
  std::int64_t pid = 0;
  std::size_t begin = 0;  // first sample
  std::vector<double> private_bytes;
  Verdict expected = Verdict::kOk;
  std::string pattern = "flat";
};

}  // namespace

Scenario GenerateIncident(const IncidentOptions& options, IncidentTruth* truth) {
  SeededRng rng(options.seed);
  Scenario sc;
  CounterLog& log = sc.log;
  const std::size_t n = std::max<std::size_t>(options.samples, 60);
  // 2026-11-20T06:00:00Z; Eastern Standard Time like the other sample logs.
  const Ticks start = 1'795'154'400LL * kTicksPerSecond;
  log.source = "incident-" + std::to_string(options.seed);
  log.time_zone.name = "Eastern Standard Time";
  log.time_zone.bias_minutes = 300;
  log.time_zone.has_bias = true;
  for (std::size_t i = 0; i < n; ++i) {
    const Ticks t =
        start + static_cast<Ticks>(std::llround(static_cast<double>(i) * options.interval_s *
                                                static_cast<double>(kTicksPerSecond)));
    log.time_utc.push_back(t);
    log.time_local.push_back(t - 300LL * 60 * kTicksPerSecond);
  }
  const double limit = 16.0 * kGiB;
  const double os_commit = 2.5 * kGiB;
  const double ram_mb = 12.0 * 1024.0;
  const bool eater = options.kind == IncidentKind::kCommitEater;

  const std::array<std::pair<const char*, double>, 5> kStable = {{{"sqlservr", 1.6 * kGiB},
                                                                  {"svchost", 180 * kMiB},
                                                                  {"svchost", 95 * kMiB},
                                                                  {"w3wp", 620 * kMiB},
                                                                  {"MsMpEng", 240 * kMiB}}};
  std::vector<Proc> procs;
  std::int64_t pid = 1000;
  for (const auto& [image, level] : kStable) {
    Proc p;
    p.image = image;
    p.index = (!procs.empty() && procs.back().image == image) ? procs.back().index + 1 : 0;
    p.pid = pid += 124;
    for (std::size_t i = 0; i < n; ++i) {
      p.private_bytes.push_back(std::round(level * (1.0 + 0.004 * rng.Normal())));
    }
    procs.push_back(std::move(p));
  }
  // A batch job that starts in the run-up and holds a fixed amount: a grower from 0.
  {
    Proc p;
    p.image = "ReportJob";
    p.pid = pid += 124;
    p.begin = n * 3 / 4;
    for (std::size_t i = p.begin; i < n; ++i) {
      p.private_bytes.push_back(std::round(300 * kMiB * (1.0 + 0.004 * rng.Normal())));
    }
    procs.push_back(std::move(p));
  }
  double base = os_commit;
  for (const Proc& p : procs) {
    if (p.begin == 0) base += p.private_bytes.front();
  }
  // The eater: flat for the first third, then a straight climb that puts commit at 97 % of
  // the limit at 92 % of the log, then pinned there (allocations fail at the limit).
  const std::size_t climb_begin = n / 3, incident = n * 92 / 100;
  const double eater_start = 400 * kMiB;
  const double job = 300 * kMiB;
  const double eater_end = 0.975 * limit - base - job;
  if (eater) {
    Proc p;
    p.image = options.culprit;
    p.pid = pid += 124;
    p.expected = Verdict::kLeak;
    p.pattern = "commit_eater";
    for (std::size_t i = 0; i < n; ++i) {
      double v = eater_start;
      if (i >= climb_begin) {
        const double f = std::min(1.0, static_cast<double>(i - climb_begin) /
                                           static_cast<double>(incident - climb_begin));
        v = eater_start + f * (eater_end - eater_start);
      }
      p.private_bytes.push_back(std::round(v * (1.0 + 0.002 * rng.Normal())));
    }
    procs.push_back(std::move(p));
  }
  // Paged pool: 300 MB, or (pool leak) climbing to put commit at 97 % at the last sample.
  std::vector<double> pool_paged(n), pool_nonpaged(n), committed(n), available(n), paging(n);
  const double pool_start = 300 * kMiB;
  const double pool_end = 0.97 * limit - base - job;
  for (std::size_t i = 0; i < n; ++i) {
    const double f = static_cast<double>(i) / static_cast<double>(n - 1);
    pool_paged[i] = std::round((eater ? pool_start : pool_start + f * (pool_end - pool_start)) +
                               2 * kMiB * rng.Normal());
    pool_nonpaged[i] = std::round(120 * kMiB + 0.5 * kMiB * rng.Normal());
    double c = os_commit + (pool_paged[i] - pool_start);
    for (const Proc& p : procs) {
      if (i >= p.begin) c += p.private_bytes[i - p.begin];
    }
    committed[i] = std::round(std::min(c, 0.995 * limit) + 8 * kMiB * rng.Normal());
    const double used_mb = (c - pool_paged[i]) * 0.7 / kMiB + pool_paged[i] / kMiB;
    available[i] = std::max(60.0, std::floor(ram_mb - used_mb));
    paging[i] =
        std::clamp(100.0 * std::max(0.0, c - ram_mb * kMiB) / (limit - ram_mb * kMiB), 0.0, 100.0);
    paging[i] = std::round(paging[i] * 100.0) / 100.0;
  }

  for (const Proc& p : procs) {
    for (const char* counter : {"Private Bytes", "Working Set", "ID Process"}) {
      CounterPath path;
      path.machine = options.machine;
      path.object = "Process";
      path.instance = p.image;
      path.has_instance = true;
      if (p.index > 0) path.instance_index = p.index;
      path.counter = counter;
      std::vector<double> values(n, kMissing);
      for (std::size_t i = p.begin; i < n; ++i) {
        const double pb = p.private_bytes[i - p.begin];
        const std::string_view c = counter;
        values[i] = c == "ID Process" ? static_cast<double>(p.pid)
                                      : (c == "Working Set" ? std::round(pb * 0.7) : pb);
      }
      log.paths.push_back(path);
      log.columns.emplace_back(values.begin(), values.end());
    }
    ProcessLabel label;
    label.process = p.image;
    label.instance = p.index > 0 ? p.image + "#" + std::to_string(p.index) : p.image;
    label.pids = {p.pid};
    label.expected = p.expected;
    label.pattern = p.begin > 0 ? "starts_late" : p.pattern;
    label.counter = "Private Bytes";
    sc.labels.push_back(std::move(label));
  }
  const auto add_system = [&](const char* object, const char* instance, const char* counter,
                              std::vector<double> values) {
    CounterPath path;
    path.machine = options.machine;
    path.object = object;
    if (instance != nullptr) {
      path.instance = instance;
      path.has_instance = true;
    }
    path.counter = counter;
    log.paths.push_back(path);
    log.columns.emplace_back(values.begin(), values.end());
  };
  add_system("Memory", nullptr, "Committed Bytes", committed);
  add_system("Memory", nullptr, "Commit Limit", std::vector<double>(n, limit));
  add_system("Memory", nullptr, "Available MBytes", available);
  add_system("Memory", nullptr, "Pool Paged Bytes", pool_paged);
  add_system("Memory", nullptr, "Pool Nonpaged Bytes", pool_nonpaged);
  add_system("Paging File", "_Total", "% Usage", paging);
  if (truth != nullptr) {
    truth->commit_limit = limit;
    truth->culprit = eater ? options.culprit : "Pool Paged Bytes";
    truth->incident_sample = n - 1;
    for (std::size_t i = 0; i < n; ++i) {
      if (committed[i] >= 0.97 * limit) {
        truth->incident_sample = i;
        break;
      }
    }
    truth->incident_utc = log.time_utc[truth->incident_sample];
    truth->incident_local = log.time_local[truth->incident_sample];
  }
  return sc;
}

}  // namespace perfleak::scenario
