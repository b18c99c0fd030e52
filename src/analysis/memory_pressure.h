// The post-mortem memory analysis of one log: per machine its memory context, pressure
// episodes (episodes.h) with who grew in their run-up (attribution.h), and the exhaustion
// forecasts (exhaustion.h).
#pragma once

#include <optional>
#include <vector>

#include "analysis/process_columns.h"
#include "perfleak/analysis.h"
#include "perfleak/memory_pressure.h"

namespace perfleak::internal {

/// The memory context of `log` (already cut to the analysed window), its columns indexed by
/// `columns`. `findings` name the process instances the growers belong to; `at_utc` asks for
/// the incident attribution over the whole window. nullopt when the log has no Memory counters
/// and no Process Private Bytes.
std::optional<SystemMemoryAnalysis> AnalyzeSystemMemory(const CounterLog& log,
                                                        const ProcessColumns& columns,
                                                        const std::vector<Finding>& findings,
                                                        const MemoryPressureOptions& options,
                                                        std::optional<Ticks> at_utc);

}  // namespace perfleak::internal
