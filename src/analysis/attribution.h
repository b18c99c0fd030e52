// Growth attribution: which processes (followed by PID across their `#n` columns) and kernel
// pools grew over a window, owned by the findings that hold their PIDs.
#pragma once

#include <cstddef>
#include <vector>

#include "analysis/process_columns.h"
#include "perfleak/analysis.h"
#include "perfleak/memory_pressure.h"

namespace perfleak::internal {

/// Growth of every process of machine `mc` (summed over its lifetimes in the window; `groups`
/// from ProcessColumns::MemoryGroups) and of its kernel pools over samples [begin, end). A
/// lifetime not present at the window's start grew from 0 (`appeared`); one gone before its
/// end fell to 0. Robust levels are medians of the window's first and last
/// ObservedEdgeCount(options.edge_share) samples, as the findings observe theirs.
Attribution Attribute(const CounterLog& log, const std::vector<const InstanceColumns*>& groups,
                      const MachineColumns& mc, const std::vector<Finding>& findings,
                      std::size_t begin, std::size_t end, const MemoryPressureOptions& options);

/// The first sample in [begin, last] at or after `hours` before sample `last`.
std::size_t RunUpBegin(const CounterLog& log, std::size_t begin, std::size_t last, double hours);

/// For every leak or suspect system finding with Committed Bytes evidence: who grew over that
/// evidence's judged window (Finding::contributors), so the finding names its committers.
void AttributeSystemFindings(const CounterLog& log, const ProcessColumns& columns,
                             const MemoryPressureOptions& options, std::vector<Finding>* findings);

}  // namespace perfleak::internal
