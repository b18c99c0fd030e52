#include "perfleak/counter_path.h"

#include <gtest/gtest.h>

namespace perfleak {
namespace {

TEST(CounterPath, ParsesFullPathWithIndex) {
  auto p = CounterPath::Parse("\\\\WEB01\\Process(svchost#12)\\Private Bytes");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->machine, "WEB01");
  EXPECT_EQ(p->object, "Process");
  EXPECT_TRUE(p->has_instance);
  EXPECT_EQ(p->instance, "svchost");
  EXPECT_EQ(p->instance_index, 12u);
  EXPECT_EQ(p->counter, "Private Bytes");
}

TEST(CounterPath, NoMachineNoInstance) {
  auto p = CounterPath::Parse("\\Memory\\Committed Bytes");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->machine, "");
  EXPECT_FALSE(p->has_instance);
  EXPECT_EQ(p->object, "Memory");
  EXPECT_EQ(p->counter, "Committed Bytes");
}

TEST(CounterPath, ParentOnlyForObjectsWithParents) {
  auto thread = CounterPath::Parse("\\\\M\\Thread(explorer/0#1)\\Context Switches/sec");
  ASSERT_TRUE(thread.ok());
  EXPECT_EQ(thread->parent, "explorer");
  EXPECT_EQ(thread->instance, "0");
  EXPECT_EQ(thread->instance_index, 1u);
  auto nic = CounterPath::Parse("\\\\M\\Network Interface(Intel[R] PRO/1000 MT)\\Bytes Total/sec");
  ASSERT_TRUE(nic.ok());
  EXPECT_EQ(nic->parent, "");
  EXPECT_EQ(nic->instance, "Intel[R] PRO/1000 MT");
}

// Found by the fuzzer: an empty parent was dropped when printing, so `(/x)` came back as `(x)`.
TEST(CounterPath, EmptyParentStaysInTheInstanceAndRoundTrips) {
  const auto p = CounterPath::Parse("\\Thread(/x#2)\\% Processor Time");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->parent, "");
  EXPECT_EQ(p->instance, "/x");
  EXPECT_EQ(p->ToString(), "\\Thread(/x#2)\\% Processor Time");
}

TEST(CounterPath, InstanceWithBackslashesAndParentheses) {
  auto p = CounterPath::Parse("\\\\M\\Paging File(\\??\\C:\\pagefile.sys)\\% Usage");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->instance, "\\??\\C:\\pagefile.sys");
  EXPECT_EQ(p->counter, "% Usage");
}

TEST(CounterPath, RoundTripsExactly) {
  for (const char* s :
       {"\\\\WEB01\\Process(svchost#12)\\Private Bytes", "\\Memory\\Available MBytes",
        "\\\\M\\Thread(explorer/0#1)\\% Processor Time",
        "\\\\charlieparker\\network interface(isatap.{ea2a01ef-c879})\\bytes total/sec",
        "\\\\M\\Process(a#01)\\x", "\\\\M\\Process(odd name #2 v1.0)\\ID Process",
        "\\\\DESKTOP\\Процесс(Idle)\\% загруженности процессора",
        "\\\\M\\LogicalDisk(0 C:)\\Avg. Disk sec/Read"}) {
    auto p = CounterPath::Parse(s);
    ASSERT_TRUE(p.ok()) << s;
    EXPECT_EQ(p->ToString(), s);
  }
}

TEST(CounterPath, RejectsMalformed) {
  EXPECT_FALSE(CounterPath::Parse("").ok());
  EXPECT_FALSE(CounterPath::Parse("Memory").ok());
  EXPECT_FALSE(CounterPath::Parse("\\Process(x\\y").ok());
  EXPECT_FALSE(CounterPath::Parse("\\\\MACHINE").ok());
  EXPECT_FALSE(CounterPath::Parse("\\\\\\M\\x").ok()) << "empty machine name (fuzz regression)";
  auto r = CounterPath::Parse("\\Memory\\");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("empty counter name"), std::string::npos);
}

TEST(CounterPattern, MatchesWildcardsCaseInsensitive) {
  auto pat = CounterPattern::Parse("\\Process(*)\\Private Bytes");
  ASSERT_TRUE(pat.ok());
  EXPECT_TRUE(pat->Matches(*CounterPath::Parse("\\\\M\\process(svchost#1)\\private bytes")));
  EXPECT_FALSE(pat->Matches(*CounterPath::Parse("\\\\M\\Process(x)\\Virtual Bytes")));
  auto mem = CounterPattern::Parse("\\Memory\\*");
  ASSERT_TRUE(mem.ok());
  EXPECT_TRUE(mem->Matches(*CounterPath::Parse("\\\\M\\Memory\\Committed Bytes")));
  EXPECT_FALSE(mem->Matches(*CounterPath::Parse("\\\\M\\Process(x)\\Committed Bytes")));
  auto machine = CounterPattern::Parse("\\\\WEB*\\Process(w3wp*)\\*");
  ASSERT_TRUE(machine.ok());
  EXPECT_TRUE(machine->Matches(*CounterPath::Parse("\\\\WEB01\\Process(w3wp#2)\\Handle Count")));
  EXPECT_FALSE(machine->Matches(*CounterPath::Parse("\\\\DB01\\Process(w3wp#2)\\Handle Count")));
  auto whole = CounterPattern::Parse("*Private Bytes");
  ASSERT_TRUE(whole.ok());
  EXPECT_TRUE(whole->Matches(*CounterPath::Parse("\\\\M\\Process(x)\\Private Bytes")));
}

TEST(GlobMatch, StarAndQuestionMark) {
  EXPECT_TRUE(GlobMatch("a*c", "abbbc"));
  EXPECT_TRUE(GlobMatch("a?c", "abc"));
  EXPECT_FALSE(GlobMatch("a?c", "ac"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_FALSE(GlobMatch("a*b*c", "aXbY"));
}

}  // namespace
}  // namespace perfleak
