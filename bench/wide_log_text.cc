#include "wide_log_text.h"

#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <utility>
#include <vector>

#include "perfleak/counter_log.h"
#include "perfleak/time_format.h"

namespace perfleak::bench {

namespace {

constexpr const char* kCounters[] = {"Private Bytes",    "Virtual Bytes",    "Working Set",
                                     "Handle Count",     "Thread Count",     "ID Process",
                                     "% Processor Time", "IO Data Bytes/sec"};
constexpr std::size_t kPerProcess = 8;

}  // namespace

void WriteWideLog(const WideLogShape& shape, std::ostream& out) {
  std::string line = "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\"";
  for (std::size_t c = 0; c < shape.counters; ++c) {
    const std::size_t proc = c / kPerProcess;
    // Every tenth process shares a name, as svchost does, so `#n` instances appear.
    const std::string instance =
        proc % 10 == 0 ? "svchost#" + std::to_string(proc / 10) : "svc" + std::to_string(proc);
    line += ",\"\\\\WEB01\\Process(" + instance + ")\\" + kCounters[c % kPerProcess] + "\"";
  }
  line += "\r\n";
  out << line;
  std::mt19937_64 rng(shape.seed);
  std::vector<double> level(shape.counters);
  for (std::size_t c = 0; c < shape.counters; ++c)
    level[c] = static_cast<double>(50'000'000 + rng() % 400'000'000);
  Ticks t0 = 0;
  CivilToTicks(2026, 11, 20, 8, 0, 0, 0, &t0);
  char buf[64];
  for (std::size_t r = 0; r < shape.rows; ++r) {
    line = "\"" +
           FormatPdhTimestamp(t0 + static_cast<Ticks>(r) * shape.interval_s * kTicksPerSecond) +
           "\"";
    for (std::size_t c = 0; c < shape.counters; ++c) {
      const std::uint64_t x = rng();
      const std::size_t proc = c / kPerProcess;
      switch (c % kPerProcess) {
        case 0:
        case 1:
        case 2: {
          // Bounded noise around a level; one process in 16 leaks 4 KB a sample.
          const double drift = proc % 16 == 3 ? 4096.0 : 0.0;
          level[c] += drift;
          std::snprintf(buf, sizeof buf, ",\"%.0f\"",
                        level[c] + static_cast<double>(x % 1'000'000));
          break;
        }
        case 3:
        case 4:
          std::snprintf(buf, sizeof buf, ",\"%llu\"",
                        static_cast<unsigned long long>(200 + x % 50));
          break;
        case 5:
          std::snprintf(buf, sizeof buf, ",\"%zu\"", 1000 + proc * 4);
          break;
        default:
          if (r == 0) {
            std::snprintf(buf, sizeof buf, ",\" \"");
          } else {
            std::snprintf(buf, sizeof buf, ",\"%.17g\"",
                          static_cast<double>(x % 10'000'000) / 99'991.0);
          }
      }
      line += buf;
    }
    line += "\r\n";
    out << line;
  }
}

const std::string& WideLogText(std::size_t counters, std::size_t rows) {
  static std::mutex mu;
  static std::map<std::pair<std::size_t, std::size_t>, std::string> cache;
  std::lock_guard<std::mutex> lock(mu);
  std::string& text = cache[{counters, rows}];
  if (text.empty()) {
    std::ostringstream out;
    WideLogShape shape;
    shape.counters = counters;
    shape.rows = rows;
    WriteWideLog(shape, out);
    text = std::move(out).str();
  }
  return text;
}

}  // namespace perfleak::bench
