#include "wide_log_text.h"

#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <utility>

#include "perfleak/counter_log.h"
#include "perfleak/time_format.h"

namespace perfleak::bench {

const std::string& WideLogText(std::size_t counters, std::size_t rows) {
  static std::mutex mu;
  static std::map<std::pair<std::size_t, std::size_t>, std::string> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto& text = cache[{counters, rows}];
  if (!text.empty()) return text;

  static const char* kCounters[] = {"Private Bytes", "Virtual Bytes", "Working Set",
                                    "Handle Count",  "Thread Count",  "% Processor Time",
                                    "ID Process"};
  text = "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\"";
  for (std::size_t c = 0; c < counters; ++c) {
    text += ",\"\\\\WEB01\\Process(svc" + std::to_string(c / 7) + ")\\" + kCounters[c % 7] + "\"";
  }
  text += "\r\n";
  std::mt19937_64 rng(42);
  Ticks t0 = 0;
  CivilToTicks(2026, 11, 20, 8, 0, 0, 0, &t0);
  char buf[64];
  for (std::size_t r = 0; r < rows; ++r) {
    text += "\"" + FormatPdhTimestamp(t0 + static_cast<Ticks>(r) * 15 * kTicksPerSecond) + "\"";
    for (std::size_t c = 0; c < counters; ++c) {
      const std::uint64_t x = rng();
      switch (c % 7) {
        case 5:
          if (r == 0) {
            text += ",\" \"";
            continue;
          }
          std::snprintf(buf, sizeof buf, ",\"%.17g\"", static_cast<double>(x % 10000000) / 99991.0);
          break;
        case 3:
        case 4:
        case 6:
          std::snprintf(buf, sizeof buf, ",\"%llu\"", static_cast<unsigned long long>(x % 5000));
          break;
        default:
          std::snprintf(buf, sizeof buf, ",\"%llu\"",
                        static_cast<unsigned long long>(100000000 + x % 900000000));
      }
      text += buf;
    }
    text += "\r\n";
  }
  return text;
}

}  // namespace perfleak::bench
