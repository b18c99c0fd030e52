#include "analysis/counter_names.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/object_names_internal.h"
#include "perfleak/counter_path.h"
#include "perfleak/log_summary.h"
#include "test_util.h"

namespace perfleak::internal {
namespace {

struct NameRow {
  std::string object_en, counter_en, locale, object, counter;
};

// PAL's table of localized names (shared/corpus/names/counter-names.tsv).
std::vector<NameRow> ReadPalNames(const std::string& path) {
  std::vector<NameRow> rows;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> fields;
    std::stringstream cells(line);
    for (std::string cell; std::getline(cells, cell, '\t');) fields.push_back(cell);
    if (fields.size() == 5) rows.push_back({fields[0], fields[1], fields[2], fields[3], fields[4]});
  }
  return rows;
}

std::optional<std::string> PalNamesPath() {
  const auto shared = perfleak::testing::SharedDir();
  if (!shared) return std::nullopt;
  return *shared + "/corpus/names/counter-names.tsv";
}

bool IsAnalysedCounter(std::string_view english) { return EnglishCounterName(english) == english; }

TEST(CounterNames, EveryPalNameOfAnAnalysedCounterIsKnown) {
  const auto path = PalNamesPath();
  if (!path) GTEST_SKIP() << "shared corpus not found; skipping the localized-name check";
  const std::vector<NameRow> rows = ReadPalNames(*path);
  ASSERT_GT(rows.size(), 1000u) << *path;
  std::set<std::string> locales;
  std::size_t checked = 0;
  for (const NameRow& row : rows) {
    if (row.object_en != "Process" && row.object_en != "Memory") continue;
    locales.insert(row.locale);
    // Every localized object name of Process and Memory, whatever the counter.
    EXPECT_EQ(EnglishObjectName(row.object), row.object_en) << row.locale << " " << row.object;
    if (!IsAnalysedCounter(row.counter_en)) continue;
    EXPECT_EQ(EnglishCounterName(row.counter), row.counter_en)
        << row.locale << " " << row.object << "\\" << row.counter;
    ++checked;
  }
  // The table has the 12 locales whose names differ from English (PAL's jaJP, koKR, ruRU and
  // zhCN repeat the English names and so have no rows).
  EXPECT_EQ(locales.size(), 12u);
  EXPECT_GT(checked, 100u);
}

TEST(CounterNames, EveryKnownSpellingIsPalsOrSeenInARealLog) {
  const auto path = PalNamesPath();
  if (!path) GTEST_SKIP() << "shared corpus not found; skipping the localized-name check";
  std::set<std::string> pal;
  for (const NameRow& row : ReadPalNames(*path)) pal.insert(row.counter);
  // Seen in real logs, absent from PAL's table (its ruRU repeats the English names).
  const std::set<std::string> real = {"Байт исключительного пользования", "Рабочий набор"};
  for (const std::string_view name : AllCounterSpellings()) {
    if (EnglishCounterName(name) == name) continue;  // English
    const std::string s(name);
    EXPECT_TRUE(pal.count(s) > 0 || real.count(s) > 0)
        << s << " is neither in PAL's table nor seen in a real log";
  }
}

TEST(CounterNames, RussianWorkingSetIsRecognised) {
  EXPECT_EQ(EnglishCounterName("Рабочий набор"), kWorkingSet);
  EXPECT_EQ(EnglishCounterName("Байт исключительного пользования"), kPrivateBytes);
}

TEST(CounterNames, EnglishPatternsFindLocalizedObjects) {
  const auto pattern = CounterPattern::Parse("\\Process(*)\\*");
  ASSERT_TRUE(pattern.ok());
  CounterPath path;
  path.machine = "DESKTOP";
  path.object = "Процесс";
  path.instance = "svchost";
  path.has_instance = true;
  path.counter = "Рабочий набор";
  EXPECT_TRUE(pattern->Matches(path));
  path.object = "Arbeitsspeicher";
  path.has_instance = false;
  EXPECT_FALSE(pattern->Matches(path));
  EXPECT_TRUE(CounterPattern::Parse("\\Memory\\*")->Matches(path));
}

}  // namespace
}  // namespace perfleak::internal

namespace perfleak::internal {
namespace {

TEST(ProcessInstanceNames, ProcessV2InstanceSplitsIntoImageAndPid) {
  const ImageAndPid w3wp = SplitProcessV2Instance("w3wp:4312");
  EXPECT_EQ(w3wp.image, "w3wp");
  EXPECT_EQ(w3wp.pid, 4312);
  // The PID follows the last colon; no PID, zero or text keep the name whole.
  EXPECT_EQ(SplitProcessV2Instance("odd:name:77").image, "odd:name");
  EXPECT_FALSE(SplitProcessV2Instance("Idle:0").pid);
  EXPECT_FALSE(SplitProcessV2Instance("svchost").pid);
  EXPECT_FALSE(SplitProcessV2Instance("svchost:").pid);
  EXPECT_FALSE(SplitProcessV2Instance("svchost:12a").pid);
}

TEST(ProcessInstanceNames, W3wpInstanceCarriesPidAndAppPool) {
  const auto pool = SplitW3wpInstance("4312_Orders_Api");
  ASSERT_TRUE(pool);
  EXPECT_EQ(pool->pid, 4312);
  EXPECT_EQ(pool->app_pool, "Orders_Api");
  EXPECT_FALSE(SplitW3wpInstance("_Total"));
  EXPECT_FALSE(SplitW3wpInstance("4312_"));
  EXPECT_FALSE(SplitW3wpInstance("DefaultAppPool"));
}

TEST(ProcessInstanceNames, ObjectsAreClassifiedIgnoringCase) {
  EXPECT_EQ(ClassifyObject("Process V2"), ProcessObject::kProcessV2);
  EXPECT_EQ(ClassifyObject("Process"), ProcessObject::kProcess);
  EXPECT_EQ(ClassifyObject("Prozess"), ProcessObject::kProcess);
  EXPECT_EQ(ClassifyObject(".NET CLR Memory"), ProcessObject::kClrMemory);
  EXPECT_EQ(ClassifyObject(".net clr loading"), ProcessObject::kClrLoading);
  EXPECT_EQ(ClassifyObject("W3SVC_W3WP"), ProcessObject::kW3wp);
  EXPECT_EQ(ClassifyObject("Memory"), ProcessObject::kOther);
  EXPECT_EQ(ClrCounterName("# bytes in all heaps"), kClrBytesInAllHeaps);
  EXPECT_TRUE(ClrCounterName("Private Bytes").empty());
}

}  // namespace
}  // namespace perfleak::internal
