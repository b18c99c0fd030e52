#include "analysis/process_columns.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "common/ascii_case_internal.h"

namespace perfleak::internal {

namespace {

using InstanceKeys = std::map<std::tuple<std::string, std::string, std::uint32_t>, std::size_t>;

// The instance group of `p`'s (machine, instance#n) in `keys`, added when new (`*added`).
InstanceColumns& GroupOf(const CounterPath& p, InstanceKeys* keys,
                         std::vector<InstanceColumns>* instances, bool* added) {
  const auto key =
      std::make_tuple(AsciiLower(p.machine), AsciiLower(p.instance), p.instance_index.value_or(0));
  const auto [it, inserted] = keys->try_emplace(key, instances->size());
  *added = inserted;
  if (inserted) {
    InstanceColumns ic;
    ic.machine = p.machine;
    ic.process = p.instance;
    ic.instance = p.InstanceWithIndex();
    ic.index = p.instance_index.value_or(0);
    instances->push_back(std::move(ic));
  }
  return (*instances)[it->second];
}

// Files a `.NET CLR Memory` or `.NET CLR Loading` column into the CLR instance group of its
// (machine, instance#n); `_Global_` (the sum over processes) and other counters are skipped.
void AddClrColumn(const CounterPath& p, std::size_t c, bool loading, InstanceKeys* keys,
                  std::vector<InstanceColumns>* instances) {
  const std::string_view name = ClrCounterName(p.counter);
  if (!p.has_instance || name.empty() || AsciiLower(p.instance) == "_global_") return;
  std::size_t slot = kNoColumn;
  if (loading) {
    if (name == kClrCurrentAppdomains) slot = kClrAppdomainsSlot;
    if (name == kClrCurrentAssemblies) slot = kClrAssembliesSlot;
  } else {
    if (name == kClrBytesInAllHeaps) slot = kClrHeapSlot;
    if (name == kClrGen2HeapSize) slot = kClrGen2Slot;
    if (name == kClrLargeObjectHeapSize) slot = kClrLohSlot;
    if (name == kClrTotalCommittedBytes) slot = kClrCommittedSlot;
    if (name == kClrProcessId) slot = kClrPidSlot;
  }
  if (slot == kNoColumn) return;
  bool added = false;
  InstanceColumns& group = GroupOf(p, keys, instances, &added);
  if (added) group.clr = true;
  if (group.columns[slot] == kNoColumn) group.columns[slot] = c;
}

// Files a Process or Process V2 column (counter `english`) into its instance group.
void AddProcessColumn(const CounterPath& p, std::size_t c, std::string_view english, bool v2,
                      InstanceKeys* keys, std::vector<InstanceColumns>* instances) {
  if (!p.has_instance) return;
  const std::string lower = AsciiLower(p.instance);
  if (lower == "_total" || lower == "idle" || lower.starts_with("_total:") ||
      lower.starts_with("idle:")) {
    return;
  }
  std::size_t slot = kNoColumn;
  for (std::size_t s = 0; s < kProcessCounterNames.size(); ++s) {
    if (kProcessCounterNames[s] == english) slot = s;
  }
  if (english == kIdProcess) slot = kIdSlot;
  if (slot == kNoColumn) return;
  bool added = false;
  InstanceColumns& group = GroupOf(p, keys, instances, &added);
  if (added && v2) {
    ImageAndPid split = SplitProcessV2Instance(p.instance);
    group.process = std::move(split.image);
    group.name_pid = split.pid;
  }
  if (group.columns[slot] == kNoColumn) group.columns[slot] = c;
}

bool IsSystemCounter(std::string_view english) {
  return english == kCommittedBytes || english == kPoolPagedBytes ||
         english == kPoolNonpagedBytes || english == kCommitLimit;
}

// Files a column of any other object (counter `english`) as a machine-level column; the first
// column of each kind wins, except that Paging File's `_Total` wins over a single file.
void AddMachineColumn(const CounterPath& p, std::size_t c, std::string_view english,
                      std::map<std::string, std::size_t>* machine_index,
                      std::vector<MachineColumns>* machines) {
  const auto machine_of = [&]() -> MachineColumns& {
    auto [it, inserted] = machine_index->try_emplace(AsciiLower(p.machine), machines->size());
    if (inserted) machines->push_back(MachineColumns{p.machine, {}});
    return (*machines)[it->second];
  };
  if (english == kPagingFileUsage) {
    // The object is matched by its English name only: EnglishObjectName
    // (parsers/common/object_names.cc) knows the localized names of Process and Memory, not of
    // Paging File.
    if (AsciiLower(p.object) != "paging file") return;
    const bool total = p.has_instance && AsciiLower(p.instance) == "_total";
    MachineColumns& m = machine_of();
    if (total || m.paging_file == kNoColumn) m.paging_file = c;
    return;
  }
  if (p.has_instance) return;
  std::size_t MachineColumns::*slot = nullptr;
  if (english == kCommittedBytes) slot = &MachineColumns::committed;
  if (english == kCommitLimit) slot = &MachineColumns::limit;
  if (english == kAvailableMBytes) slot = &MachineColumns::available;
  if (english == kPoolPagedBytes) slot = &MachineColumns::pool_paged;
  if (english == kPoolNonpagedBytes) slot = &MachineColumns::pool_nonpaged;
  if (slot == nullptr) return;
  MachineColumns& m = machine_of();
  if (m.*slot == kNoColumn) m.*slot = c;
  if (IsSystemCounter(english) && m.system_machine.empty()) m.system_machine = p.machine;
}

}  // namespace

ProcessColumns ProcessColumns::Build(const CounterLog& log) {
  ProcessColumns out;
  InstanceKeys by_key, clr_key;
  std::map<std::string, std::size_t> machine_index;
  const std::set<std::string> v2_machines = MachinesWithProcessV2(log);
  for (std::size_t c = 0; c < log.num_counters(); ++c) {
    const CounterPath& p = log.paths[c];
    const ProcessObject object = ClassifyObject(p.object);
    if (object == ProcessObject::kW3wp) {
      if (const auto w3wp = SplitW3wpInstance(p.instance); w3wp && p.has_instance) {
        out.app_pools.try_emplace({AsciiLower(p.machine), w3wp->pid}, w3wp->app_pool);
      }
      continue;
    }
    if (object == ProcessObject::kClrMemory || object == ProcessObject::kClrLoading) {
      AddClrColumn(p, c, object == ProcessObject::kClrLoading, &clr_key, &out.instances);
      continue;
    }
    const std::string_view english = EnglishCounterName(p.counter);
    if (english.empty()) continue;
    if (object == ProcessObject::kProcess || object == ProcessObject::kProcessV2) {
      // A machine logging Process V2 is read from it alone (MachinesWithProcessV2).
      if (object == ProcessObject::kProcess && v2_machines.contains(AsciiLower(p.machine))) {
        continue;
      }
      AddProcessColumn(p, c, english, object == ProcessObject::kProcessV2, &by_key, &out.instances);
      continue;
    }
    AddMachineColumn(p, c, english, &machine_index, &out.machines);
  }
  return out;
}

std::vector<const InstanceColumns*> ProcessColumns::MemoryGroups() const {
  std::vector<std::pair<std::size_t, const InstanceColumns*>> keyed;
  for (const InstanceColumns& ic : instances) {
    const std::size_t first = std::min(ic.columns[kPrivateBytesSlot], ic.columns[kIdSlot]);
    if (!ic.clr && first != kNoColumn) keyed.emplace_back(first, &ic);
  }
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const InstanceColumns*> out;
  for (const auto& [first, ic] : keyed) out.push_back(ic);
  return out;
}

std::vector<const MachineColumns*> ProcessColumns::SystemMachines() const {
  std::vector<std::pair<std::size_t, const MachineColumns*>> keyed;
  for (const MachineColumns& m : machines) {
    const std::size_t first = std::min({m.committed, m.pool_paged, m.pool_nonpaged, m.limit});
    if (first != kNoColumn) keyed.emplace_back(first, &m);
  }
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const MachineColumns*> out;
  for (const auto& [first, m] : keyed) out.push_back(m);
  return out;
}

std::optional<std::int64_t> AsPid(double value) {
  if (!std::isfinite(value) || value <= 0.0 || value > 9.2e18) return std::nullopt;
  return static_cast<std::int64_t>(value);
}

std::optional<std::int64_t> PidAt(const CounterLog& log, const InstanceColumns& group,
                                  std::size_t sample) {
  if (group.name_pid) return group.name_pid;
  const std::size_t id = group.columns[kIdSlot];
  return id == kNoColumn ? std::nullopt : AsPid(log.columns[id][sample]);
}

}  // namespace perfleak::internal
