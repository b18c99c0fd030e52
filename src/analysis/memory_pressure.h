// Post-mortem analysis internals: episodes, growth attribution, exhaustion forecasts.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "analysis/process_columns.h"
#include "perfleak/analysis.h"
#include "perfleak/memory_pressure.h"

namespace perfleak::internal {

/// Theil-Sen slope with its confidence bounds.
struct SlopeInterval {
  double slope = 0.0, low = 0.0, high = 0.0;
  double intercept = 0.0;
};

/// Theil-Sen slope with Sen's confidence interval (robust_trend.h, SenSlopeBounds). Needs two
/// distinct x; otherwise all zero.
SlopeInterval TheilSenInterval(std::span<const double> x, std::span<const double> y,
                               double confidence, std::size_t max_points = 300);

/// The memory context of `log` (already cut to the analysed window). `findings` name the
/// process instances the growers belong to; `at_utc` asks for the incident attribution over
/// the whole window. nullopt when the log has no Memory counters and no Process Private Bytes.
std::optional<SystemMemoryAnalysis> AnalyzeSystemMemory(const CounterLog& log,
                                                        const ProcessColumns& columns,
                                                        const std::vector<Finding>& findings,
                                                        const MemoryPressureOptions& options,
                                                        std::optional<Ticks> at_utc);

/// For every leak or suspect system finding with Committed Bytes evidence: who grew over that
/// evidence's judged window (Finding::contributors), so the finding names its committers.
void AttributeSystemFindings(const CounterLog& log, const ProcessColumns& columns,
                             const MemoryPressureOptions& options, std::vector<Finding>* findings);

}  // namespace perfleak::internal
