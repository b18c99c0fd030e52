#include "analysis/process_columns.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "perfleak/counter_path.h"

namespace perfleak::internal {
namespace {

// A log of the given paths (no samples: classification reads only the paths).
CounterLog LogOf(const std::vector<std::string>& paths) {
  CounterLog log;
  for (const std::string& text : paths) {
    auto path = CounterPath::Parse(text);
    EXPECT_TRUE(path.ok()) << text;
    log.paths.push_back(*path);
    log.columns.emplace_back();
  }
  return log;
}

TEST(ProcessColumns, GroupsProcessColumnsByInstanceAndSkipsTotals) {
  const ProcessColumns cols = ProcessColumns::Build(LogOf({
      "\\\\HOST\\Process(app)\\Handle Count",      // 0: creates the group of app
      "\\\\HOST\\Process(svc#1)\\Private Bytes",   // 1
      "\\\\HOST\\Process(app)\\Private Bytes",     // 2
      "\\\\HOST\\Process(_Total)\\Private Bytes",  // 3: skipped
      "\\\\HOST\\Prozess(app)\\ID Process",        // 4: localized object, same group
      "\\\\HOST\\Process(app)\\% Processor Time",  // 5: not judged
  }));
  ASSERT_EQ(cols.instances.size(), 2u);
  EXPECT_EQ(cols.instances[0].instance, "app");
  EXPECT_EQ(cols.instances[0].columns[kPrivateBytesSlot], 2u);
  EXPECT_EQ(cols.instances[0].columns[kIdSlot], 4u);
  EXPECT_EQ(cols.instances[1].instance, "svc#1");
  // The memory attribution follows groups in the order of their first Private Bytes or ID
  // Process column: svc#1 (column 1) before app (column 2).
  const std::vector<const InstanceColumns*> memory = cols.MemoryGroups();
  ASSERT_EQ(memory.size(), 2u);
  EXPECT_EQ(memory[0]->instance, "svc#1");
  EXPECT_EQ(memory[1]->instance, "app");
}

TEST(ProcessColumns, ProcessV2AloneOnMachinesThatLogIt) {
  const ProcessColumns cols = ProcessColumns::Build(LogOf({
      "\\\\A\\Process(w3wp)\\Private Bytes",
      "\\\\A\\Process V2(w3wp:4312)\\Private Bytes",
      "\\\\B\\Process(w3wp)\\Private Bytes",
      "\\\\A\\W3SVC_W3WP(4312_OrdersApi)\\Active Requests",
      "\\\\A\\.NET CLR Memory(w3wp)\\# Bytes in all Heaps",
  }));
  ASSERT_EQ(cols.instances.size(), 3u);
  EXPECT_EQ(cols.instances[0].machine, "A");
  EXPECT_EQ(cols.instances[0].process, "w3wp");
  EXPECT_EQ(cols.instances[0].name_pid, 4312);
  EXPECT_EQ(cols.instances[1].machine, "B");
  EXPECT_TRUE(cols.instances[2].clr);
  EXPECT_EQ(cols.MemoryGroups().size(), 2u);  // CLR groups are not attributed
  EXPECT_EQ(cols.app_pools.at({"a", 4312}), "OrdersApi");
}

// What the findings and the memory post-mortem each read of a machine before they shared
// this index: the system finding Committed Bytes, the pools and Commit Limit; the post-mortem
// also Available MBytes and Paging File % Usage, whose object is matched in English only.
TEST(ProcessColumns, MachineColumnsAndTheSystemFindingsOrder) {
  const ProcessColumns cols = ProcessColumns::Build(LogOf({
      "\\\\A\\Memory\\Available MBytes",                // 0: A first seen, no system counter
      "\\\\B\\Memory\\Committed Bytes",                 // 1
      "\\\\A\\Paging File(C:\\pagefile.sys)\\% Usage",  // 2
      "\\\\A\\Paging File(_Total)\\% Usage",            // 3: _Total wins
      "\\\\A\\Auslagerungsdatei(_Total)\\% Usage",      // 4: localized Paging File: not matched
      "\\\\A\\Memory\\Commit Limit",                    // 5
      "\\\\A\\Memory\\Committed Bytes",                 // 6
      "\\\\A\\Speicher\\Committed Bytes",               // 7: a later duplicate loses
  }));
  ASSERT_EQ(cols.machines.size(), 2u);
  const MachineColumns& a = cols.machines[0];
  EXPECT_EQ(a.machine, "A");
  EXPECT_EQ(a.available, 0u);
  EXPECT_EQ(a.paging_file, 3u);
  EXPECT_EQ(a.limit, 5u);
  EXPECT_EQ(a.committed, 6u);
  const std::vector<const MachineColumns*> system = cols.SystemMachines();
  ASSERT_EQ(system.size(), 2u);
  EXPECT_EQ(system[0]->machine, "B");  // by its first system column, not by first seen
  EXPECT_EQ(system[1]->machine, "A");
}

TEST(ProcessColumns, AsPidReadsOnlyPositiveFiniteValues) {
  EXPECT_EQ(AsPid(4312.0), 4312);
  EXPECT_FALSE(AsPid(0.0));
  EXPECT_FALSE(AsPid(-1.0));
  EXPECT_FALSE(AsPid(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_FALSE(AsPid(1e19));
}

}  // namespace
}  // namespace perfleak::internal
