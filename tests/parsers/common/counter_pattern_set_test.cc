#include "common/counter_pattern_set.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "perfleak/analysis.h"

namespace perfleak::internal {
namespace {

// The oracle: the set must say what matching each pattern in turn says.
bool AnyMatches(const std::vector<std::string>& texts, const CounterPath& path) {
  return std::any_of(texts.begin(), texts.end(), [&](const std::string& text) {
    return CounterPattern::Parse(text)->Matches(path);
  });
}

std::vector<CounterPath> TrickyPaths() {
  std::vector<CounterPath> out;
  for (const char* text : {
           "\\\\WEB01\\Process(svchost#2)\\Private Bytes",
           "\\\\WEB01\\Process(svchost)\\PRIVATE BYTES",
           "\\\\WEB01\\Process(svchost)\\Private Bytes Peak",
           "\\\\WEB01\\Process(svchost)\\Private", "\\\\WEB01\\Memory\\Committed Bytes",
           "\\\\WEB01\\Memory\\Available MBytes", "\\\\WEB01\\Processor(_Total)\\% Processor Time",
           "\\\\WEB01\\Prozess(w3wp)\\Private Bytes", "\\\\WEB01\\Prozess(w3wp)\\Private Bytes",
           "\\\\SRV\\W3SVC_W3WP(4312_DefaultAppPool)\\Requests / Sec",
           "\\\\SRV\\.NET CLR Memory(w3wp#1)\\# Bytes in all Heaps",
           "\\\\SRV\\MSSQL$PROD:Memory Manager\\Total Server Memory (KB)",
           "\\\\SRV\\Odd\\Counter\\Private Bytes",  // a counter name with a backslash
       }) {
    auto path = CounterPath::Parse(text);
    if (path.ok()) out.push_back(*path);
  }
  CounterPath with_backslash;
  with_backslash.object = "Odd";
  with_backslash.counter = "Vendor\\Private Bytes";
  out.push_back(with_backslash);
  return out;
}

TEST(CounterPatternSet, MatchesExactlyWhatThePatternsMatchOneByOne) {
  const std::vector<std::vector<std::string>> sets = {
      AnalysisCounterPatterns(),
      {"*\\Private Bytes", "\\Memory\\*"},
      {"*\\private bytes"},
      {"*\\Priv?te Bytes", "*Bytes"},
      {"\\Process(svchost*)\\*", "*\\Committed Bytes"},
  };
  for (const auto& texts : sets) {
    auto set = CounterPatternSet::Parse(texts);
    ASSERT_TRUE(set.ok()) << set.status().ToString();
    for (const CounterPath& path : TrickyPaths()) {
      EXPECT_EQ(set->Matches(path), AnyMatches(texts, path))
          << path.ToString() << " against " << texts.size() << " patterns, first " << texts[0];
    }
  }
}

TEST(CounterPatternSet, ACounterNameWithABackslashStillMatchesItsSuffixPattern) {
  CounterPath path;
  path.object = "Odd";
  path.counter = "Vendor\\Private Bytes";
  auto set = CounterPatternSet::Parse({"*\\Private Bytes"});
  ASSERT_TRUE(set.ok());
  EXPECT_TRUE(set->Matches(path));
  path.counter = "VendorPrivate Bytes";
  EXPECT_FALSE(set->Matches(path));
}

TEST(CounterPatternSet, EmptySetSelectsEverythingAndBadPatternsFail) {
  auto empty = CounterPatternSet::Parse({});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  auto bad = CounterPatternSet::Parse({"*\\Private Bytes", ""});
  EXPECT_FALSE(bad.ok());
}

// The last list parsed is kept for the next parse of the same list: parsing lists in turn, on
// two threads at once, each set must still match what its own patterns match.
TEST(CounterPatternSet, KeptListsNeverStandInForAnotherList) {
  const std::vector<std::vector<std::string>> lists = {
      {"*\\Private Bytes"}, {"\\Memory\\*", "*\\Handle Count"}, {}, {"*\\Private Bytes"}};
  const auto check = [&](std::size_t round) {
    for (std::size_t i = 0; i < 200; ++i) {
      const std::vector<std::string>& texts = lists[(i + round) % lists.size()];
      const auto set = CounterPatternSet::Parse(texts);
      ASSERT_TRUE(set.ok());
      ASSERT_EQ(set->empty(), texts.empty());
      for (const CounterPath& path : TrickyPaths()) {
        ASSERT_EQ(set->Matches(path), AnyMatches(texts, path)) << path.ToString();
      }
    }
  };
  std::thread other(check, 1);
  check(0);
  other.join();
  EXPECT_FALSE(CounterPatternSet::Parse({"*\\Private Bytes", ""}).ok());
  EXPECT_TRUE(CounterPatternSet::Parse({"*\\Private Bytes"}).ok());
}

}  // namespace
}  // namespace perfleak::internal
