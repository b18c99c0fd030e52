// Logs for issue 17 ("know the process") tests, with counter paths spelled exactly as
// Windows writes them: .NET CLR Memory/Loading, W3SVC_W3WP and Process V2.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "perfleak/counter_log.h"

namespace perfleak::testing {

inline constexpr double kMiB = 1024.0 * 1024.0;
inline constexpr std::size_t kSamples = 600;  // 10 hours at one sample a minute

using Values = std::function<double(std::size_t)>;

inline CounterLog MakeLog() {
  CounterLog log;
  log.source = "know_the_process.csv";
  for (std::size_t i = 0; i < kSamples; ++i) {
    const Ticks t =
        1'700'000'000LL * kTicksPerSecond + static_cast<Ticks>(i) * 60 * kTicksPerSecond;
    log.time_utc.push_back(t);
    log.time_local.push_back(t);
  }
  return log;
}

// Adds a column from its full PDH path; `value` returning NaN leaves the sample missing.
inline void Add(CounterLog* log, const std::string& path, const Values& value) {
  auto parsed = CounterPath::Parse(path);
  EXPECT_TRUE(parsed.ok()) << path;
  if (!parsed.ok()) return;
  EXPECT_EQ(parsed->ToString(), path);
  std::vector<double> column(log->num_samples());
  for (std::size_t i = 0; i < column.size(); ++i) column[i] = value(i);
  log->paths.push_back(*parsed);
  log->columns.emplace_back(column.begin(), column.end());
}

inline Values Constant(double v) {
  return [v](std::size_t) { return v; };
}

inline double Noise(std::size_t i, double sd) {
  std::mt19937_64 rng(i * 7919 + 17);
  return sd * (static_cast<double>(rng() >> 11) * 0x1.0p-53 - 0.5) * 3.46;
}

// A rising managed heap with a GC sawtooth on top: what `# Bytes in all Heaps` looks like.
inline Values Heap(double base, double per_sample) {
  return [=](std::size_t i) {
    const double x = static_cast<double>(i);
    return base + per_sample * x + 8 * kMiB * static_cast<double>(i % 15) / 15.0;
  };
}

inline Values Linear(double base, double per_sample, double noise) {
  return
      [=](std::size_t i) { return base + per_sample * static_cast<double>(i) + Noise(i, noise); };
}

// A .NET service: Process counters and .NET CLR Memory under the same image name.
inline void AddProcess(CounterLog* log, const std::string& instance, double pid, const Values& pb) {
  Add(log, "\\\\WEB01\\Process(" + instance + ")\\Private Bytes", pb);
  Add(log, "\\\\WEB01\\Process(" + instance + ")\\Handle Count", Constant(800));
  Add(log, "\\\\WEB01\\Process(" + instance + ")\\ID Process", Constant(pid));
}

inline void AddClr(CounterLog* log, const std::string& instance, const Values& pid,
                   const Values& heap) {
  const std::string memory = "\\\\WEB01\\.NET CLR Memory(" + instance + ")\\";
  Add(log, memory + "# Bytes in all Heaps", heap);
  Add(log, memory + "Gen 2 heap size", [heap](std::size_t i) { return 0.7 * heap(i); });
  Add(log, memory + "Large Object Heap size", [heap](std::size_t i) { return 0.1 * heap(i); });
  Add(log, memory + "# Total committed Bytes",
      [heap](std::size_t i) { return heap(i) + 32 * kMiB; });
  Add(log, memory + "Process ID", pid);
}

inline void AddLoading(CounterLog* log, const std::string& instance, const Values& assemblies) {
  const std::string loading = "\\\\WEB01\\.NET CLR Loading(" + instance + ")\\";
  Add(log, loading + "Current appdomains", Constant(2));
  Add(log, loading + "Current Assemblies", assemblies);
}

// Two app pools (PIDs 4312 OrdersApi, whose managed heap leaks, and 5120 DefaultAppPool,
// flat). .NET CLR Memory numbers the two w3wp the other way round from Process, and swaps its
// numbering at sample 280 (a third worker came and went): matching by name would give each
// pool the other's heap.
inline CounterLog MakeTwoAppPoolLog() {
  CounterLog log = MakeLog();
  AddProcess(&log, "w3wp", 4312, Linear(600 * kMiB, 1.0 * kMiB, 2 * kMiB));
  AddProcess(&log, "w3wp#1", 5120, Linear(350 * kMiB, 0.0, 2 * kMiB));
  const auto swapped = [](double before, double after) {
    return [=](std::size_t i) { return i < 280 ? before : after; };
  };
  const Values orders_heap = Heap(250 * kMiB, 0.95 * kMiB);
  const Values default_heap = Heap(90 * kMiB, 0.0);
  AddClr(&log, "w3wp", swapped(5120, 4312),
         [=](std::size_t i) { return i < 280 ? default_heap(i) : orders_heap(i); });
  AddClr(&log, "w3wp#1", swapped(4312, 5120),
         [=](std::size_t i) { return i < 280 ? orders_heap(i) : default_heap(i); });
  for (const char* instance : {"_Total", "4312_OrdersApi", "5120_DefaultAppPool"}) {
    Add(&log, std::string("\\\\WEB01\\W3SVC_W3WP(") + instance + ")\\Active Requests", Constant(3));
  }
  return log;
}

}  // namespace perfleak::testing
