// Writes seeded PDH-CSVs for end-to-end measurements (scripts/bench):
//   perfleak_gen_wide_log OUT.csv [counters=3200] [rows=20000] [seed=42]
//   perfleak_gen_wide_log --folder DIR [logs=1000]
// The folder is a fleet's worth of small logs: one machine each (WEB0000, WEB0001, ...), 12
// processes x 8 counters, 8 h at 5 min (96 samples), seed = the log's index.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "wide_log_text.h"

namespace {

bool Write(const perfleak::bench::WideLogShape& shape, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  if (out) perfleak::bench::WriteWideLog(shape, out);
  if (!out) std::cerr << "cannot write " << path << "\n";
  return static_cast<bool>(out);
}

int WriteFolder(const std::string& dir, std::size_t logs) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::cerr << "cannot create " << dir << ": " << ec.message() << "\n";
    return 3;
  }
  for (std::size_t i = 0; i < logs; ++i) {
    perfleak::bench::WideLogShape shape;
    shape.counters = 96;
    shape.rows = 96;
    shape.interval_s = 300;
    shape.seed = i;
    const std::string id = std::to_string(10000 + i).substr(1);
    shape.machine = "WEB" + id;
    if (!Write(shape, dir + "/WEB" + id + "_DataCollector01.csv")) return 3;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: perfleak_gen_wide_log OUT.csv [counters=3200] [rows=20000] [seed=42]\n"
                 "       perfleak_gen_wide_log --folder DIR [logs=1000]\n";
    return 2;
  }
  if (std::string(argv[1]) == "--folder") {
    if (argc < 3) return 2;
    return WriteFolder(argv[2], argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1000);
  }
  perfleak::bench::WideLogShape shape;
  if (argc > 2) shape.counters = std::strtoull(argv[2], nullptr, 10);
  if (argc > 3) shape.rows = std::strtoull(argv[3], nullptr, 10);
  if (argc > 4) shape.seed = std::strtoull(argv[4], nullptr, 10);
  return Write(shape, argv[1]) ? 0 : 3;
}
