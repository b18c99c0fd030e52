#include "scenario_generator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>

#include "perfleak/writer.h"

namespace perfleak::scenario {

namespace {

// Uniform and Gaussian draws built on mt19937_64 alone: the standard distributions differ
// between standard libraries, and generated files must be the same everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  double LogUniform(double lo, double hi) { return std::exp(Uniform(std::log(lo), std::log(hi))); }
  std::size_t Index(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(engine_() % n); }
  bool Chance(double p) { return Uniform() < p; }
  // Box-Muller (Box & Muller 1958), both values used.
  double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u1 = Uniform();
    while (u1 <= 0.0) u1 = Uniform();
    const double u2 = Uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = r * std::sin(2.0 * std::numbers::pi * u2);
    has_spare_ = true;
    return r * std::cos(2.0 * std::numbers::pi * u2);
  }

 private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

constexpr std::array<const char*, 10> kLeakPatterns = {
    "linear",      "late_onset",  "staircase",    "sawtooth_rising", "restart_leak",
    "handle_only", "thread_only", "virtual_only", "slow_noisy",      "pool_nonpaged"};
constexpr std::array<const char*, 9> kOkPatterns = {"flat",      "warmup",      "sawtooth_stable",
                                                    "step_once", "random_walk", "spikes",
                                                    "decline",   "exits",       "starts_late"};
// Version 2's hard cases, which real captures show and version 1 lacked: leaks of a few percent
// of the level, a managed heap committed in irregular steps with dips (it keeps stepping up),
// a thread leak whose stacks grow Virtual Bytes; warm-ups that saturate slowly within the
// capture, a rise then a plateau, a runtime's sawtooth that drops straight to a flat floor, and
// a 64-bit process reserving address space in bursts while its private bytes stay flat.
constexpr std::array<const char*, 3> kLeakPatternsV2 = {"small_leak", "managed_staircase",
                                                        "thread_leak"};
constexpr std::array<const char*, 4> kOkPatternsV2 = {"warmup_saturating", "rise_plateau",
                                                      "gc_sawtooth", "virtual_reserve"};

std::vector<std::string> PatternsOf(int version, bool leak) {
  std::vector<std::string> out;
  if (leak) {
    out.assign(kLeakPatterns.begin(), kLeakPatterns.end());
    if (version >= 2) out.insert(out.end(), kLeakPatternsV2.begin(), kLeakPatternsV2.end());
  } else {
    out.assign(kOkPatterns.begin(), kOkPatterns.end());
    if (version >= 2) out.insert(out.end(), kOkPatternsV2.begin(), kOkPatternsV2.end());
  }
  return out;
}

// Counter slots, in the analysis' order; kId is ID Process.
enum Slot : std::size_t { kPb, kVb, kWs, kHc, kTc, kPp, kPnp, kId, kSlots };
constexpr std::array<const char*, kSlots> kSlotNames = {
    "Private Bytes", "Virtual Bytes",    "Working Set",         "Handle Count",
    "Thread Count",  "Pool Paged Bytes", "Pool Nonpaged Bytes", "ID Process"};

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kGiB = 1024.0 * kMiB;

struct Proc {
  std::string image;
  std::int64_t pid = 0;
  std::size_t begin = 0, end = 0;                  // alive samples [begin, end)
  std::array<std::vector<double>, kSlots> series;  // indexed by sample - begin
  std::size_t label = 0;
};

double Frac(double v) { return v - std::floor(v); }

// The pattern's shape over one lifetime, u in [0, 1], as growth in units of `scale`.
struct Shape {
  std::string pattern;
  double scale = 0.0;
  double onset = 0.0, tau = 0.1, cycles = 10.0, amplitude = 0.0;
  std::vector<double> steps;                       // staircase step positions
  std::vector<std::pair<double, double>> spikes;   // position, width (u)
  std::vector<std::pair<double, double>> commits;  // managed heap: position, size (x scale)
  std::vector<std::array<double, 3>> dips;         // managed heap: from, to, depth (x scale)
  // A collection drops to the floor, which holds for the first sixth of the cycle, so every
  // cycle shows its floor even when sampled coarsely (no aliased, drifting minima).
  double Saw(double u) const {
    const double phase = Frac(u * cycles);
    return amplitude * std::max(0.0, (phase - 1.0 / 6.0) * 6.0 / 5.0);
  }
  double operator()(double u) const {
    if (pattern == "linear" || pattern == "restart_leak" || pattern == "handle_only" ||
        pattern == "thread_only" || pattern == "virtual_only" || pattern == "slow_noisy" ||
        pattern == "pool_nonpaged" || pattern == "small_leak" || pattern == "thread_leak") {
      return scale * u;
    }
    if (pattern == "late_onset") return scale * std::max(0.0, u - onset) / (1.0 - onset);
    if (pattern == "staircase") {
      double level = 0.0;
      for (double s : steps) level += u >= s ? 1.0 : 0.0;
      return scale * level / static_cast<double>(steps.size());
    }
    if (pattern == "sawtooth_rising") return scale * u + Saw(u);
    if (pattern == "sawtooth_stable") return Saw(u);
    if (pattern == "warmup" || pattern == "exits" || pattern == "starts_late") {
      return scale * (1.0 - std::exp(-u / tau));
    }
    if (pattern == "step_once") return u >= onset ? scale : 0.0;
    if (pattern == "managed_staircase" || pattern == "virtual_reserve") {
      double level = 0.0;
      for (const auto& [pos, size] : commits) level += u >= pos ? size : 0.0;
      for (const auto& [from, to, depth] : dips) level -= u >= from && u < to ? depth : 0.0;
      return scale * level;
    }
    if (pattern == "warmup_saturating") return scale * (1.0 - std::exp(-u / tau));
    if (pattern == "rise_plateau") return scale * std::min(1.0, u / onset);
    if (pattern == "gc_sawtooth") return amplitude * Frac(u * cycles);
    if (pattern == "decline") return -scale * u;
    if (pattern == "spikes") {
      for (const auto& [pos, width] : spikes) {
        if (u >= pos && u < pos + width) return amplitude;
      }
      return 0.0;
    }
    return 0.0;
  }
};

// A managed heap committed as live data grows: irregular steps (flats of up to a fifth of the
// log between them), bigger and rarer late, dips where the collector shrinks the heap for a
// while, and a step in the last fifth, so it keeps stepping up to the end.
void ManagedCommits(Rng* rng, Shape* shape) {
  const std::size_t k = 5 + rng->Index(8);
  std::vector<double> gaps(k);
  double total = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    gaps[i] = rng->Uniform(0.3, 1.0) * (1.0 + static_cast<double>(i) / static_cast<double>(k));
    total += gaps[i];
  }
  // Placed from the last step backwards, so it lands in the last fifth and no flat between
  // steps is longer than a fifth of the log.
  std::vector<double> pos(k);
  pos[k - 1] = rng->Uniform(0.82, 0.97);
  for (std::size_t i = k - 1; i > 0; --i)
    pos[i - 1] = std::max(pos[i] - gaps[i] / total * pos[k - 1], pos[i] - 0.2);
  double sum = 0.0, previous = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    const double size =
        rng->Uniform(0.5, 1.5) * (1.0 + static_cast<double>(i) / static_cast<double>(k));
    shape->commits.emplace_back(std::max(pos[i], 0.01), size);
    sum += size;
    if (i > 0 && rng->Chance(0.3)) {
      const double from = pos[i] - rng->Uniform(0.03, 0.08);
      shape->dips.push_back(
          {from, from + rng->Uniform(0.01, 0.03), previous * rng->Uniform(0.3, 0.7)});
    }
    previous = size;
  }
  for (auto& c : shape->commits) c.second /= sum;
  for (auto& d : shape->dips) d[2] /= sum;
}

struct ImagePool {
  std::vector<std::string> unique = {
      "w3wp",          "sqlservr",    "OrderService", "PaymentGateway", "InventorySync",
      "ReportWorker",  "lsass",       "spoolsv",      "MsMpEng",        "java",
      "node",          "BillingApi",  "explorer",     "CatalogIndexer", "MailRelay",
      "dotnet",        "ShippingSvc", "AuthBroker",   "CacheHost",      "EventCollector",
      "SearchService", "Ssms",        "WmiPrvSE",     "TaskScheduler",  "NotificationHub"};
};

}  // namespace

std::vector<std::string> AllPatterns(int version) {
  std::vector<std::string> out = PatternsOf(version, true);
  const std::vector<std::string> ok = PatternsOf(version, false);
  out.insert(out.end(), ok.begin(), ok.end());
  return out;
}

bool IsLeakPattern(const std::string& pattern) {
  const std::vector<std::string> leaks = PatternsOf(kLatestVersion, true);
  return std::find(leaks.begin(), leaks.end(), pattern) != leaks.end();
}

Scenario GenerateScenario(const ScenarioOptions& options) {
  Rng rng(options.seed * 0x9E3779B97F4A7C15ULL + 0x1234567ULL);
  Scenario sc;
  CounterLog& log = sc.log;
  auto n = static_cast<std::size_t>(std::llround(
      rng.LogUniform(static_cast<double>(std::max<std::size_t>(options.min_samples, 20)),
                     static_cast<double>(std::max(options.max_samples, options.min_samples)))));
  constexpr std::array<double, 10> kIntervals = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600};
  double interval_s = kIntervals[rng.Index(kIntervals.size())];
  if (options.version >= 2 && rng.Chance(options.short_capture_share)) {
    // "Restarted the service, then logged for half an hour": 20-60 min at 1-15 s.
    constexpr std::array<double, 5> kShort = {1, 2, 5, 10, 15};
    interval_s = kShort[rng.Index(kShort.size())];
    n = static_cast<std::size_t>(rng.Uniform(20, 60) * 60.0 / interval_s);
  }
  const Ticks start =
      (1'772'438'400LL + static_cast<Ticks>(rng.Index(400)) * 86'400) * kTicksPerSecond;
  log.source = "generated-" + std::to_string(options.seed);
  log.time_zone.name = "Eastern Standard Time";
  log.time_zone.bias_minutes = 300;
  log.time_zone.has_bias = true;
  for (std::size_t i = 0; i < n; ++i) {
    const Ticks t = start + static_cast<Ticks>(std::llround(static_cast<double>(i) * interval_s *
                                                            static_cast<double>(kTicksPerSecond)));
    log.time_utc.push_back(t);
    log.time_local.push_back(t - 300LL * 60 * kTicksPerSecond);
  }

  std::vector<std::string> patterns = options.patterns;
  const std::size_t count =
      options.min_processes +
      rng.Index(std::max(options.max_processes, options.min_processes) - options.min_processes + 1);
  ImagePool pool;
  for (std::size_t i = pool.unique.size(); i > 1; --i)
    std::swap(pool.unique[i - 1], pool.unique[rng.Index(i)]);
  std::size_t next_unique = 0;
  const std::size_t svchosts = std::min<std::size_t>(count / 3, 2 + rng.Index(4));

  std::vector<Proc> procs;
  std::int64_t next_pid = 400 + 4 * static_cast<std::int64_t>(rng.Index(200));
  for (std::size_t p = 0; p < count; ++p) {
    std::string pattern;
    if (!patterns.empty()) {
      pattern = patterns[rng.Index(patterns.size())];
    } else {
      const std::vector<std::string> pick =
          PatternsOf(options.version, rng.Chance(options.leak_share));
      pattern = pick[rng.Index(pick.size())];
    }
    std::string image;
    if (p < svchosts && pattern != "restart_leak") {
      image = "svchost";
    } else {
      image = pool.unique[next_unique++ % pool.unique.size()];
      if (next_unique > pool.unique.size()) image += std::to_string(next_unique);
    }
    const bool is32 =
        pattern == "virtual_only" || (pattern != "virtual_reserve" && rng.Chance(0.15));
    const double pb0 = rng.LogUniform(60 * kMiB, is32 ? 600 * kMiB : 1.5 * kGiB);
    const double ws0 = pb0 * rng.Uniform(0.6, 1.1);
    const double vb0 = is32 ? std::min(pb0 * rng.Uniform(1.3, 2.0), 1.3 * kGiB)
                            : 2.0 * 1024 * kGiB + pb0 * rng.Uniform(1.2, 2.0);
    const double hc0 = rng.Uniform(150, 3000);
    const double tc0 = rng.Uniform(8, 120);
    const double pp0 = rng.Uniform(80e3, 1.5e6);
    const double pnp0 = rng.Uniform(8e3, 300e3);
    double noise = rng.LogUniform(0.001, 0.02);

    Shape shape;
    shape.pattern = pattern;
    std::string counter = kSlotNames[kPb];
    const bool long_log = n >= 1000;
    if (pattern == "linear") shape.scale = pb0 * rng.Uniform(0.15, 2.0);
    if (pattern == "late_onset") {
      shape.scale = pb0 * rng.Uniform(0.15, 1.5);
      shape.onset = rng.Uniform(0.3, 0.6);
    }
    if (pattern == "staircase") {
      shape.scale = pb0 * rng.Uniform(0.2, 1.5);
      const std::size_t k = 6 + rng.Index(9);
      for (std::size_t s = 0; s < k; ++s) {
        shape.steps.push_back((static_cast<double>(s) + rng.Uniform(0.1, 0.9)) /
                              static_cast<double>(k));
      }
    }
    if (pattern == "sawtooth_rising" || pattern == "sawtooth_stable") {
      shape.scale = pattern == "sawtooth_rising" ? pb0 * rng.Uniform(0.2, 1.5) : 0.0;
      shape.amplitude = pb0 * rng.Uniform(0.2, 0.6);
      shape.cycles = std::min(rng.Uniform(5, 25), static_cast<double>(n) / 8.0);
    }
    if (pattern == "restart_leak") shape.scale = pb0 * rng.Uniform(0.3, 1.5);
    if (pattern == "handle_only") {
      shape.scale = std::max(300.0, hc0 * rng.Uniform(0.3, 3.0));
      counter = kSlotNames[kHc];
    }
    if (pattern == "thread_only") {
      shape.scale = std::max(40.0, tc0 * rng.Uniform(0.5, 2.0));
      counter = kSlotNames[kTc];
    }
    if (pattern == "virtual_only") {
      shape.scale = vb0 * rng.Uniform(0.2, 0.8);
      counter = kSlotNames[kVb];
    }
    if (pattern == "pool_nonpaged") {
      shape.scale = std::max(8 * kMiB, pnp0 * rng.Uniform(2.0, 10.0));
      counter = kSlotNames[kPnp];
    }
    if (pattern == "slow_noisy") {
      shape.scale = pb0 * (long_log ? rng.Uniform(0.08, 0.2) : rng.Uniform(0.15, 0.3));
      noise = rng.Uniform(0.01, 0.025);
    }
    if (pattern == "warmup" || pattern == "exits" || pattern == "starts_late") {
      shape.scale = pattern == "warmup" ? pb0 * rng.Uniform(0.2, 1.0) : pb0 * rng.Uniform(0.0, 0.3);
      shape.tau = rng.Uniform(0.03, 0.12);
    }
    if (pattern == "step_once") {
      shape.scale = pb0 * rng.Uniform(0.1, 0.6);
      shape.onset = rng.Uniform(0.2, 0.8);
    }
    if (pattern == "small_leak") {
      shape.scale = pb0 * rng.Uniform(0.03, 0.08);
      noise = rng.Uniform(0.002, 0.006);
    }
    if (pattern == "managed_staircase") {
      shape.scale = pb0 * rng.Uniform(0.5, 3.0);
      ManagedCommits(&rng, &shape);
    }
    if (pattern == "thread_leak") {
      shape.scale = std::max(40.0, tc0 * rng.Uniform(0.5, 3.0));
      counter = kSlotNames[kTc];
    }
    if (pattern == "warmup_saturating") {
      shape.scale = pb0 * rng.Uniform(0.3, 1.0);
      shape.tau = rng.Uniform(0.25, 0.7);
    }
    if (pattern == "rise_plateau") {
      shape.scale = pb0 * rng.Uniform(0.3, 1.0);
      shape.onset = rng.Uniform(0.1, 0.35);
    }
    if (pattern == "gc_sawtooth") {
      shape.amplitude = pb0 * rng.Uniform(0.2, 0.6);
      shape.cycles = std::min(rng.Uniform(5, 40), static_cast<double>(n) / 6.0);
    }
    if (pattern == "virtual_reserve") {
      // Bursts of short-lived threads make the allocator reserve 64 MB arenas.
      shape.scale = 64.0 * kMiB;
      const std::size_t k = 4 + rng.Index(9);
      for (std::size_t b = 0; b < k; ++b)
        shape.commits.emplace_back(rng.Uniform(0.02, 0.98), std::floor(rng.Uniform(1, 8)));
      counter = kSlotNames[kVb];
    }
    if (pattern == "decline") shape.scale = pb0 * rng.Uniform(0.1, 0.5);
    if (pattern == "spikes") {
      shape.amplitude = pb0 * rng.Uniform(0.5, 2.0);
      const std::size_t k = 3 + rng.Index(6);
      for (std::size_t s = 0; s < k; ++s) {
        shape.spikes.emplace_back(rng.Uniform(0.0, 0.98),
                                  rng.Uniform(1.0, 3.0) / static_cast<double>(n));
      }
    }

    // Lifetimes: most processes live through the log; some exit, start late or restart.
    std::vector<std::pair<std::size_t, std::size_t>> lives{{0, n}};
    if (pattern == "exits")
      lives = {{0, static_cast<std::size_t>(static_cast<double>(n) * rng.Uniform(0.3, 0.8))}};
    if (pattern == "starts_late")
      lives = {{static_cast<std::size_t>(static_cast<double>(n) * rng.Uniform(0.2, 0.6)), n}};
    if (pattern == "restart_leak") {
      const auto r = static_cast<std::size_t>(static_cast<double>(n) * rng.Uniform(0.4, 0.65));
      lives = {{0, r}, {std::min(n - 1, r + 1 + rng.Index(3)), n}};
    }

    ProcessLabel label;
    label.process = image;
    label.expected = IsLeakPattern(pattern) ? Verdict::kLeak : Verdict::kOk;
    label.pattern = pattern;
    label.counter = counter;
    sc.labels.push_back(label);

    // Random walk (Ornstein-Uhlenbeck) state for the bounded-wandering pattern.
    const double ou_sd = pb0 * rng.Uniform(0.03, 0.08);
    const double theta = 1.0 / (static_cast<double>(n) * rng.Uniform(0.02, 0.06));
    for (const auto& [b, e] : lives) {
      Proc proc;
      proc.image = image;
      proc.begin = b;
      proc.end = std::max(e, b + 1);
      proc.label = sc.labels.size() - 1;
      double ou = 0.0;
      const double len = static_cast<double>(proc.end - proc.begin);
      for (std::size_t i = proc.begin; i < proc.end; ++i) {
        const double u = len > 1 ? static_cast<double>(i - proc.begin) / (len - 1.0) : 0.0;
        const double g = shape(u);
        ou = ou * (1.0 - theta) + ou_sd * std::sqrt(2.0 * theta) * rng.Normal();
        double dpb = 0.0, dvb = 0.0, dhc = 0.0, dtc = 0.0, dpnp = 0.0;
        if (counter == kSlotNames[kPb]) dpb = g + (pattern == "random_walk" ? ou : 0.0);
        if (pattern == "handle_only") dhc = g;
        if (pattern == "thread_only" || pattern == "thread_leak") {
          dtc = std::floor(g);
          dpb = dtc * 64.0 * 1024.0;
        }
        // A thread reserves its stack (1 MB by default) in address space.
        if (pattern == "thread_leak") dvb = dtc * kMiB;
        if (pattern == "virtual_only" || pattern == "virtual_reserve") dvb = g;
        if (pattern == "pool_nonpaged") dpnp = g;
        if (dpb != 0.0 && dvb == 0.0) dvb = std::max(0.0, dpb);
        const auto jitter = [&](double base, double sd) { return base + sd * rng.Normal(); };
        std::array<double, kSlots> v{};
        v[kPb] = jitter(pb0 + dpb, noise * pb0);
        v[kWs] = jitter(ws0 + 0.8 * dpb, 2.0 * noise * ws0);
        v[kVb] = vb0 + dvb + std::floor(rng.Uniform(0, 3)) * 1024 * 1024;
        v[kHc] = std::round(jitter(hc0 + dhc, noise * hc0 + 2.0));
        v[kTc] = std::round(jitter(tc0 + dtc, 0.5 + 0.02 * tc0));
        v[kPp] = jitter(pp0 + 150.0 * dhc, noise * pp0);
        v[kPnp] = jitter(pnp0 + dpnp + 20.0 * dhc, noise * pnp0);
        v[kPb] = std::max(4096.0, std::round(v[kPb] / 4096.0) * 4096.0);
        v[kWs] = std::max(4096.0, std::round(v[kWs] / 4096.0) * 4096.0);
        v[kVb] = std::round(v[kVb] / 65536.0) * 65536.0;
        for (const Slot s : {kHc, kTc, kPp, kPnp}) v[s] = std::max(1.0, std::round(v[s]));
        for (std::size_t s = 0; s < kId; ++s) proc.series[s].push_back(v[s]);
      }
      procs.push_back(std::move(proc));
    }
  }
  // PIDs in creation order, so a restart or a late start gets a higher PID.
  std::vector<std::size_t> creation(procs.size());
  for (std::size_t i = 0; i < creation.size(); ++i) creation[i] = i;
  std::stable_sort(creation.begin(), creation.end(),
                   [&](std::size_t a, std::size_t b) { return procs[a].begin < procs[b].begin; });
  for (const std::size_t i : creation) {
    procs[i].pid = next_pid;
    next_pid += 4 * static_cast<std::int64_t>(1 + rng.Index(60));
    sc.labels[procs[i].label].pids.push_back(procs[i].pid);
  }

  // Columns per image: at each sample the alive namesakes, by PID, take `name`, `name#1`, ...
  // as PDH numbers them, so a namesake's exit shifts the others down a column.
  std::map<std::string, std::vector<std::size_t>> by_image;
  std::vector<std::string> image_order;
  for (std::size_t i = 0; i < procs.size(); ++i) {
    auto [it, inserted] = by_image.try_emplace(procs[i].image);
    if (inserted) image_order.push_back(procs[i].image);
    it->second.push_back(i);
  }
  const std::vector<bool> row_missing = [&] {
    std::vector<bool> out(n);
    for (std::size_t i = 0; i < n; ++i)
      out[i] = i > 0 && i + 1 < n && rng.Chance(options.missing_rows);
    return out;
  }();
  for (const std::string& image : image_order) {
    std::vector<std::size_t> members = by_image[image];
    std::sort(members.begin(), members.end(),
              [&](std::size_t a, std::size_t b) { return procs[a].pid < procs[b].pid; });
    std::size_t width = 0;
    std::vector<std::vector<std::size_t>> alive(n);
    for (std::size_t i = 0; i < n; ++i) {
      for (const std::size_t m : members) {
        if (i >= procs[m].begin && i < procs[m].end) alive[i].push_back(m);
      }
      width = std::max(width, alive[i].size());
    }
    for (std::size_t col = 0; col < width; ++col) {
      for (std::size_t s = 0; s < kSlots; ++s) {
        CounterPath path;
        path.machine = options.machine;
        path.object = "Process";
        path.instance = image;
        path.has_instance = true;
        if (col > 0) path.instance_index = static_cast<std::uint32_t>(col);
        path.counter = kSlotNames[s];
        std::vector<double> values(n, kMissing);
        for (std::size_t i = 0; i < n; ++i) {
          if (col >= alive[i].size() || row_missing[i] || rng.Chance(options.missing_cells))
            continue;
          const Proc& p = procs[alive[i][col]];
          values[i] = s == kId ? static_cast<double>(p.pid) : p.series[s][i - p.begin];
        }
        log.paths.push_back(path);
        log.columns.emplace_back(values.begin(), values.end());
      }
    }
  }
  // First appearance decides the label's instance, also when a later column saw it first.
  for (ProcessLabel& label : sc.labels) {
    for (const std::size_t i : by_image[label.process]) {
      if (procs[i].pid != label.pids.front()) continue;
      const std::size_t b = procs[i].begin;
      std::vector<std::size_t> members;
      for (const std::size_t m : by_image[label.process]) {
        if (b >= procs[m].begin && b < procs[m].end) members.push_back(m);
      }
      std::sort(members.begin(), members.end(),
                [&](std::size_t a, std::size_t c) { return procs[a].pid < procs[c].pid; });
      const auto col =
          static_cast<std::size_t>(std::find(members.begin(), members.end(), i) - members.begin());
      label.instance = col == 0 ? label.process : label.process + "#" + std::to_string(col);
    }
  }

  // System-wide Memory counters follow the processes.
  const double os_commit = rng.Uniform(1.5, 3.0) * kGiB;
  const double commit_limit = std::round(rng.Uniform(16, 64)) * kGiB;
  const double ram = commit_limit * 0.75;
  std::array<std::vector<double>, 5> memory;
  for (auto& m : memory) m.assign(n, kMissing);
  for (std::size_t i = 0; i < n; ++i) {
    if (row_missing[i]) continue;
    double pb = 0.0, ws = 0.0, pp = 0.0, pnp = 0.0;
    for (const Proc& p : procs) {
      if (i < p.begin || i >= p.end) continue;
      pb += p.series[kPb][i - p.begin];
      ws += p.series[kWs][i - p.begin];
      pp += p.series[kPp][i - p.begin];
      pnp += p.series[kPnp][i - p.begin];
    }
    memory[0][i] = std::round(os_commit + pb + 0.002 * os_commit * rng.Normal());
    memory[1][i] = commit_limit;
    memory[2][i] = std::max(100.0, std::floor((ram - ws - os_commit) / kMiB));
    memory[3][i] = std::round(200 * kMiB + pp);
    memory[4][i] = std::round(80 * kMiB + pnp);
  }
  constexpr std::array<const char*, 5> kMemory = {"Committed Bytes", "Commit Limit",
                                                  "Available MBytes", "Pool Paged Bytes",
                                                  "Pool Nonpaged Bytes"};
  for (std::size_t k = 0; k < kMemory.size(); ++k) {
    CounterPath path;
    path.machine = options.machine;
    path.object = "Memory";
    path.counter = kMemory[k];
    log.paths.push_back(path);
    log.columns.emplace_back(memory[k].begin(), memory[k].end());
  }
  return sc;
}

std::string LabelsToJson(const Scenario& scenario, const std::string& file_name,
                         std::uint64_t seed) {
  nlohmann::ordered_json j;
  j["seed"] = seed;
  j["file"] = file_name;
  j["samples"] = scenario.log.num_samples();
  auto& list = j["processes"];
  list = nlohmann::ordered_json::array();
  for (const ProcessLabel& label : scenario.labels) {
    nlohmann::ordered_json p;
    p["process"] = label.process;
    p["instance"] = label.instance;
    p["pids"] = label.pids;
    p["expected"] = VerdictName(label.expected);
    p["pattern"] = label.pattern;
    p["counter"] = label.counter;
    list.push_back(p);
  }
  return j.dump(2) + "\n";
}

Status WriteScenario(const Scenario& scenario, const std::string& dir, const std::string& name,
                     bool tsv, std::uint64_t seed) {
  const std::string file = name + (tsv ? ".tsv" : ".csv");
  {
    std::ofstream out(dir + "/" + file, std::ios::binary);
    if (!out)
      return Status::IoError(dir + "/" + file + ": cannot create; hint: does the folder exist?");
    WriteOptions wo;
    wo.delimiter = tsv ? '\t' : ',';
    PERFLEAK_RETURN_NOT_OK(WritePdhText(scenario.log, out, wo));
  }
  std::ofstream labels(dir + "/" + name + ".labels.json", std::ios::binary);
  if (!labels) return Status::IoError(dir + "/" + name + ".labels.json: cannot create");
  labels << LabelsToJson(scenario, file, seed);
  if (!labels) return Status::IoError(dir + "/" + name + ".labels.json: write failed");
  return Status::OK();
}

}  // namespace perfleak::scenario
