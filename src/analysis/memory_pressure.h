// Post-mortem analysis internals: episodes, growth attribution, exhaustion forecasts.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "perfleak/analysis.h"
#include "perfleak/memory_pressure.h"

namespace perfleak::internal {

/// Theil-Sen slope with its confidence bounds.
struct SlopeInterval {
  double slope = 0.0, low = 0.0, high = 0.0;
  double intercept = 0.0;
};

/// Theil-Sen slope (robust_trend.h) and the distribution-free confidence interval of Sen
/// (1968, section 5; Hollander & Wolfe, "Nonparametric Statistical Methods", 1999, 9.4): the
/// ordered pair slopes at ranks (N -/+ z sqrt(Var S)) / 2, Var S = n(n-1)(2n+5)/18 the
/// Mann-Kendall variance, inflated by (1 + r1) / (1 - r1) for the lag-1 autocorrelation of the
/// residuals (Yue & Wang 2004) so serially correlated counters get honest widths. The rank
/// bounds are taken on at most `max_points` evenly thinned points (all pairs enumerated).
/// Needs two distinct x; otherwise all zero.
SlopeInterval TheilSenInterval(std::span<const double> x, std::span<const double> y,
                               double confidence, std::size_t max_points = 300);

/// Two-sided standard normal quantile: z with P(|Z| <= z) = confidence (bisection on erfc).
double NormalQuantileTwoSided(double confidence);

/// The memory context of `log` (already cut to the analysed window). `findings` name the
/// process instances the growers belong to; `at_utc` asks for the incident attribution over
/// the whole window. nullopt when the log has no Memory counters and no Process Private Bytes.
std::optional<SystemMemoryAnalysis> AnalyzeSystemMemory(const CounterLog& log,
                                                        const std::vector<Finding>& findings,
                                                        const MemoryPressureOptions& options,
                                                        std::optional<Ticks> at_utc);

}  // namespace perfleak::internal
