// SeededRng: uniform and Gaussian draws on mt19937_64 alone (Box-Muller, one value a pair),
// so generated files are the same bytes with every standard library. Used by the incident and
// process-case generators; the scenario generator keeps its own, which uses both values of each
// pair (its pinned files depend on that sequence).
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

namespace perfleak::scenario {

class SeededRng {
 public:
  explicit SeededRng(std::uint64_t seed) : engine_(seed) {}
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double Normal() {
    double u1 = Uniform();
    while (u1 <= 0.0) u1 = Uniform();
    const double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace perfleak::scenario
