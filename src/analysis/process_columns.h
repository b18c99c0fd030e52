// Which columns of a log belong to which process instance and machine: the one classification
// of Process, Process V2, .NET CLR, W3SVC_W3WP, Memory and Paging File columns, built once per
// log and read by the findings (analyze.cc) and the memory post-mortem (attribution.cc,
// memory_pressure.cc). Also the one reading of a PID from a counter value.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/counter_names.h"
#include "perfleak/counter_log.h"

namespace perfleak::internal {

/// No such column (and no instance group, where a group index is expected).
inline constexpr std::size_t kNoColumn = static_cast<std::size_t>(-1);

/// The per-process counters judged, in evidence order; a counter's index here is its slot in
/// InstanceColumns::columns.
inline constexpr std::array<std::string_view, 7> kProcessCounterNames = {
    kPrivateBytes, kVirtualBytes,   kWorkingSet,       kHandleCount,
    kThreadCount,  kPoolPagedBytes, kPoolNonpagedBytes};
inline constexpr std::size_t kPrivateBytesSlot = 0;
/// ID Process, which keys lifetimes.
inline constexpr std::size_t kIdSlot = kProcessCounterNames.size();
/// Slots of .NET CLR instance groups: `.NET CLR Memory(x)` and `.NET CLR Loading(x)` share
/// one group, the runtime naming a process alike in both (and apart from Process).
inline constexpr std::size_t kClrHeapSlot = kIdSlot + 1;
inline constexpr std::size_t kClrGen2Slot = kIdSlot + 2;
inline constexpr std::size_t kClrLohSlot = kIdSlot + 3;
inline constexpr std::size_t kClrCommittedSlot = kIdSlot + 4;
inline constexpr std::size_t kClrPidSlot = kIdSlot + 5;
inline constexpr std::size_t kClrAppdomainsSlot = kIdSlot + 6;
inline constexpr std::size_t kClrAssembliesSlot = kIdSlot + 7;
inline constexpr std::size_t kSlots = kIdSlot + 8;

/// One `Process(name#n)` or `Process V2(name:pid)` instance column group (the PID of a
/// Process V2 instance is in its name), or one `.NET CLR Memory/Loading(name#n)` group.
/// Names are those of the group's first column.
struct InstanceColumns {
  std::string machine;
  std::string process;   ///< image name (Process V2: the name before `:pid`)
  std::string instance;  ///< `name#n` as the finding shows it
  std::uint32_t index = 0;
  std::optional<std::int64_t> name_pid;
  bool clr = false;
  std::array<std::size_t, kSlots> columns;
  InstanceColumns() { columns.fill(kNoColumn); }
};

/// The machine-level columns of one machine: instance-less Memory counters (from any object
/// but the process ones) and Paging File % Usage (`_Total`, else the first paging file).
struct MachineColumns {
  std::string machine;         ///< as its first machine-level column names it
  std::string system_machine;  ///< as its first system-finding column names it
  std::size_t committed = kNoColumn, limit = kNoColumn, available = kNoColumn,
              pool_paged = kNoColumn, pool_nonpaged = kNoColumn, paging_file = kNoColumn;
};

/// The column index of one log. Groups and machines are in first-seen column order.
struct ProcessColumns {
  /// Process, Process V2 and .NET CLR instance groups. A machine logging Process V2 is read
  /// from it alone (MachinesWithProcessV2); `_Total` and `Idle` are skipped.
  std::vector<InstanceColumns> instances;
  /// The IIS app pool of a w3wp, keyed by (machine in ASCII lower case, PID).
  std::map<std::pair<std::string, std::int64_t>, std::string> app_pools;
  std::vector<MachineColumns> machines;

  /// Classifies every column of `log` (English and localized Process and Memory names).
  static ProcessColumns Build(const CounterLog& log);

  /// The non-CLR groups with Private Bytes or ID Process, in the order of the first such
  /// column: the processes the memory attribution follows.
  std::vector<const InstanceColumns*> MemoryGroups() const;

  /// The machines with Committed Bytes, a pool or Commit Limit, in the order of the first
  /// such column: the system findings.
  std::vector<const MachineColumns*> SystemMachines() const;
};

/// A counter value read as a PID: finite, positive and within int64; nullopt otherwise (a
/// blank sample, or 0 while a process starts or exits).
std::optional<std::int64_t> AsPid(double value);

/// The PID `group` shows at `sample`: the one in a Process V2 instance's name, else its
/// ID Process value (AsPid); nullopt without either.
std::optional<std::int64_t> PidAt(const CounterLog& log, const InstanceColumns& group,
                                  std::size_t sample);

}  // namespace perfleak::internal
