// Writes a large seeded PDH-CSV for end-to-end measurements (scripts/bench):
//   perfleak_gen_wide_log OUT.csv [counters] [rows] [seed]
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "wide_log_text.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: perfleak_gen_wide_log OUT.csv [counters=3200] [rows=20000] [seed=42]\n";
    return 2;
  }
  perfleak::bench::WideLogShape shape;
  if (argc > 2) shape.counters = std::strtoull(argv[2], nullptr, 10);
  if (argc > 3) shape.rows = std::strtoull(argv[3], nullptr, 10);
  if (argc > 4) shape.seed = std::strtoull(argv[4], nullptr, 10);
  std::ofstream out(argv[1], std::ios::binary);
  if (!out) {
    std::cerr << "cannot create " << argv[1] << "\n";
    return 3;
  }
  perfleak::bench::WriteWideLog(shape, out);
  return out ? 0 : 3;
}
