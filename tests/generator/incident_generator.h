// Seeded post-mortem scenarios: a log that ends in memory pressure with a known culprit, for
// the system memory tests and sample_logs/.
#pragma once

#include <cstdint>
#include <string>

#include "perfleak/counter_log.h"
#include "scenario_generator.h"

namespace perfleak::scenario {

enum class IncidentKind : std::uint8_t {
  /// One process eats commit until the limit; the others are stable, one starts late.
  kCommitEater,
  /// Paged pool grows (a driver leak) while no process grows.
  kPoolLeak,
};

struct IncidentOptions {
  std::uint64_t seed = 1;
  IncidentKind kind = IncidentKind::kCommitEater;
  std::size_t samples = 360;
  double interval_s = 60.0;
  std::string machine = "APP05";
  std::string culprit = "OrderService";  ///< the eating process (kCommitEater)
};

/// The planted truth, next to the labels.
struct IncidentTruth {
  /// First sample where commit reaches 97 % of the limit (kCommitEater) or the last sample.
  std::size_t incident_sample = 0;
  Ticks incident_utc = 0, incident_local = 0;
  std::string culprit;  ///< process image, or `Pool Paged Bytes`
  double commit_limit = 0.0;
};

/// Builds the log in memory; deterministic for a seed on every platform.
Scenario GenerateIncident(const IncidentOptions& options, IncidentTruth* truth = nullptr);

}  // namespace perfleak::scenario
