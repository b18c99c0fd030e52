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
constexpr std::size_t kNoProcess = static_cast<std::size_t>(-1);

// Who a process column shows at each row, as relog writes it: every tenth slot is a
// `svchost#n`, and when svchost#1 exits halfway the later svchosts are renumbered (each
// column takes the next process; the last goes blank); slots 7 mod 25 exit at a seeded row in
// the second half (blank after), slots 13 mod 25 start in the first half (blank before).
class Occupancy {
 public:
  Occupancy(std::size_t slots, std::size_t rows, std::mt19937_64& rng)
      : slots_(slots), renumber_row_(rows / 2), exit_(slots, rows), start_(slots, 0) {
    for (std::size_t s = 0; s < slots; ++s) {
      if (s % 25 == 7) exit_[s] = rows / 2 + rng() % (rows / 2 + 1);
      if (s % 25 == 13) start_[s] = rng() % (rows / 2 + 1);
    }
  }

  // The process (an original slot index) the column of `slot` shows at `row`, or kNoProcess.
  std::size_t At(std::size_t slot, std::size_t row) const {
    std::size_t p = slot;
    if (slot % 10 == 0 && slot >= 10 && row >= renumber_row_) {
      p = slot + 10;  // svchost#k now shows the former svchost#(k+1)
      if (p >= slots_) return kNoProcess;
    }
    return row >= start_[p] && row < exit_[p] ? p : kNoProcess;
  }

  // Rates have no value on a process's first sample (they need two).
  bool FirstSample(std::size_t slot, std::size_t row) const {
    const std::size_t p = At(slot, row);
    return p != kNoProcess && (row == 0 || At(slot, row - 1) != p);
  }

 private:
  std::size_t slots_, renumber_row_;
  std::vector<std::size_t> exit_, start_;
};

std::string Header(std::size_t counters, const std::string& machine) {
  std::string line = "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\"";
  for (std::size_t c = 0; c < counters; ++c) {
    const std::size_t proc = c / kPerProcess;
    const std::string instance = proc == 0        ? std::string("svchost")
                                 : proc % 10 == 0 ? "svchost#" + std::to_string(proc / 10)
                                                  : "svc" + std::to_string(proc);
    line +=
        ",\"\\\\" + machine + "\\Process(" + instance + ")\\" + kCounters[c % kPerProcess] + "\"";
  }
  return line + "\r\n";
}

}  // namespace

void WriteWideLog(const WideLogShape& shape, std::ostream& out) {
  out << Header(shape.counters, shape.machine);
  std::mt19937_64 rng(shape.seed);
  const std::size_t slots = (shape.counters + kPerProcess - 1) / kPerProcess;
  const Occupancy occupancy(slots, shape.rows, rng);
  std::vector<double> level(slots * kPerProcess);
  for (double& l : level) l = static_cast<double>(50'000'000 + rng() % 400'000'000);
  Ticks t0 = 0;
  CivilToTicks(2026, 11, 20, 8, 0, 0, 0, &t0);
  char buf[64];
  std::string line;
  for (std::size_t r = 0; r < shape.rows; ++r) {
    line = "\"" +
           FormatPdhTimestamp(t0 + static_cast<Ticks>(r) * shape.interval_s * kTicksPerSecond) +
           "\"";
    for (std::size_t c = 0; c < shape.counters; ++c) {
      const std::uint64_t x = rng();
      const std::size_t proc = occupancy.At(c / kPerProcess, r);
      const std::size_t k = c % kPerProcess;
      if (proc == kNoProcess) {
        line += ",\" \"";
        continue;
      }
      switch (k) {
        case 0:
        case 1:
        case 2: {
          // Bounded noise around a level; one process in 16 leaks 4 KB a sample.
          double& l = level[proc * kPerProcess + k];
          l += proc % 16 == 3 ? 4096.0 : 0.0;
          std::snprintf(buf, sizeof buf, ",\"%.0f\"", l + static_cast<double>(x % 1'000'000));
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
          if (occupancy.FirstSample(c / kPerProcess, r)) {
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
