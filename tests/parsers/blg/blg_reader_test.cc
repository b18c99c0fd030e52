// The reader on synthetic logs made by the test-only writer (blg_test_writer.h).
#include "blg/blg_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <string>

#include "blg_fixtures.h"
#include "perfleak/reader.h"
#include "perfleak/time_format.h"
#include "support/blg_test_writer.h"
#include "test_util.h"

namespace perfleak::blg {
namespace {

using ::perfleak::testing::AsBytes;
using testing::Array;
using testing::ArrayItemSpec;
using testing::BlgWriter;
using testing::BuildPerfDataBlock;
using testing::EntrySpec;
using testing::ItemSpec;
using testing::LocalFileTime;
using testing::PerfCounterSpec;
using testing::PerfData;
using testing::PerfInstanceSpec;
using testing::ProcessCounters;
using testing::ProcessObjectEntry;
using testing::Single;
using testing::WildcardArrayEntry;
using testing::WriterOptions;

constexpr std::int64_t kSecond = testing::kFixtureSecond;

Result<CounterLog> Read(const std::string& bytes, const ReadOptions& options = {}) {
  return ReadBlg("synthetic.blg", AsBytes(bytes), options);
}

TEST(BlgReader, SingleCountersAndRates) {
  BlgWriter w;
  EntrySpec raw;
  w.AddEntry(raw);
  EntrySpec rate;
  rate.object = "Memory";
  rate.counter = "Page Faults/sec";
  rate.type = 0x10410400;  // PERF_COUNTER_COUNTER
  rate.frequency = 1000;
  w.AddEntry(rate);
  w.AddSample(LocalFileTime(1, 5, 10, 0), {Single(100), Single(0, 0)});
  w.AddSample(LocalFileTime(1, 5, 10, 1), {Single(200), Single(50, 1000)});
  const auto log = Read(w.Finish());
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_EQ(log->num_counters(), 2u);
  EXPECT_EQ(log->paths[0].ToString(), "\\\\TESTBOX\\Memory\\Available Bytes");
  EXPECT_EQ(log->columns[0][0], 100.0);
  EXPECT_TRUE(std::isnan(log->columns[1][0]));  // rate: no value at the first sample
  EXPECT_NEAR(log->columns[1][1], 50.0, 1e-12);
  EXPECT_EQ(log->format, LogFormat::kBlg);
  // January in Pacific time: standard, UTC = local + 8 h.
  EXPECT_EQ(log->time_utc[0] - log->time_local[0], 8 * kTicksPerHour);
  EXPECT_EQ(log->time_zone.name, "Pacific Standard Time");
  EXPECT_EQ(log->time_zone.bias_minutes, 480);
}

TEST(BlgReader, DaylightTimeUsesDaylightBiasPerSample) {
  BlgWriter w;
  w.AddEntry(EntrySpec{});
  w.AddSample(LocalFileTime(3, 14, 1), {Single(1)});  // before 2:00 on DST day: standard
  w.AddSample(LocalFileTime(3, 14, 3), {Single(2)});  // after: daylight
  w.AddSample(LocalFileTime(7, 1, 12), {Single(3)});
  w.AddSample(LocalFileTime(11, 7, 3), {Single(4)});  // after the fall-back: standard
  const auto log = Read(w.Finish());
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->time_zone.bias_minutes, 480);
  EXPECT_EQ(log->time_utc[0] - log->time_local[0], 8 * kTicksPerHour);
  EXPECT_EQ(log->time_utc[1] - log->time_local[1], 7 * kTicksPerHour);
  EXPECT_EQ(log->time_utc[2] - log->time_local[2], 7 * kTicksPerHour);
  EXPECT_EQ(log->time_utc[3] - log->time_local[3], 8 * kTicksPerHour);
}

TEST(BlgReader, WildcardInstancesAppearingLaterGetNewColumns) {
  BlgWriter w;
  w.AddEntry(WildcardArrayEntry("Network Interface", "Packets", 0x00010000));
  w.AddEntry(EntrySpec{});
  w.AddSample(LocalFileTime(1, 5, 10, 0), {Array({{"eth0", 1, 0}, {"eth1", 2, 0}}), Single(9)});
  w.AddSample(LocalFileTime(1, 5, 10, 1),
              {Array({{"eth1", 3, 0}, {"wlan", 4, 0}, {"eth0", 5, 0}, {"eth0", 6, 0}}), Single(9)});
  const auto log = Read(w.Finish());
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_EQ(log->num_counters(), 5u);
  // Entry order first, instances in first-seen order inside the entry; duplicates get #1.
  EXPECT_EQ(log->paths[0].InstanceWithIndex(), "eth0");
  EXPECT_EQ(log->paths[1].InstanceWithIndex(), "eth1");
  EXPECT_EQ(log->paths[2].InstanceWithIndex(), "wlan");
  EXPECT_EQ(log->paths[3].InstanceWithIndex(), "eth0#1");
  EXPECT_EQ(log->paths[4].counter, "Available Bytes");
  EXPECT_TRUE(std::isnan(log->columns[2][0]));
  EXPECT_EQ(log->columns[2][1], 4.0);
  EXPECT_EQ(log->columns[0][1], 5.0);
  EXPECT_EQ(log->columns[3][1], 6.0);
}

TEST(BlgReader, WholeObjectDuplicateNamesAndNameTable) {
  WriterOptions o;
  o.max_chunk = 200;  // split every sample over several events
  BlgWriter w(o);
  w.AddNameTable(
      {{230, "Process"}, {186, "Private Bytes"}, {952, "Handle Count"}, {6, "% Processor Time"}});
  w.AddEntry(ProcessObjectEntry());
  const auto counters = ProcessCounters();
  const std::int64_t t0 = 132'000'000'000'000'000;
  w.AddSample(
      LocalFileTime(1, 5, 10, 0),
      {PerfData(BuildPerfDataBlock(
          230, counters,
          {{"svchost", {1000, 10, 0}}, {"svchost", {2000, 20, 0}}, {"leaky", {3000, 30, 0}}},
          t0))});
  w.AddSample(LocalFileTime(1, 5, 10, 1),
              {PerfData(BuildPerfDataBlock(230, counters,
                                           {{"svchost", {1001, 11, 2'500'000}},
                                            {"svchost", {2001, 21, 5'000'000}},
                                            {"leaky", {4000, 31, 0}},
                                            {"late", {5, 1, 0}}},
                                           t0 + kSecond))});
  const auto log = Read(w.Finish());
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_EQ(log->num_counters(), 12u);
  EXPECT_EQ(log->paths[0].ToString(), "\\\\TESTBOX\\Process(svchost)\\Private Bytes");
  EXPECT_EQ(log->paths[3].ToString(), "\\\\TESTBOX\\Process(svchost#1)\\Private Bytes");
  EXPECT_EQ(log->paths[5].ToString(), "\\\\TESTBOX\\Process(svchost#1)\\% Processor Time");
  EXPECT_EQ(log->paths[6].InstanceWithIndex(), "leaky");
  EXPECT_EQ(log->paths[9].InstanceWithIndex(), "late");
  EXPECT_EQ(log->columns[6][0], 3000.0);
  EXPECT_EQ(log->columns[6][1], 4000.0);
  EXPECT_EQ(log->columns[4][1], 21.0);
  EXPECT_TRUE(std::isnan(log->columns[9][0]));
  EXPECT_EQ(log->columns[9][1], 5.0);
  // % Processor Time: 2,500,000 of 10,000,000 100-ns units.
  EXPECT_NEAR(log->columns[2][1], 25.0, 1e-12);
  EXPECT_NEAR(log->columns[5][1], 50.0, 1e-12);
}

// Instance lists that stay, shrink (a process exits), grow (one starts), keep their count but
// change a name, repeat a name and come back: each sample's values land in the columns its
// own names give, whichever path (reused or re-resolved mapping) the reader takes.
const std::vector<std::vector<std::string>>& ChangingInstanceLists() {
  static const std::vector<std::vector<std::string>> lists = {
      {"a", "b", "c"}, {"a", "b", "c"}, {"a", "c"},      {"a", "c", "d"}, {"a", "x", "d"},
      {"a", "x", "d"}, {"a", "a", "d"}, {"a", "a", "d"}, {"a", "b", "c"}, {"a", "b", "c"}};
  return lists;
}

// Column keys (name with PDH's #n) in first-seen order, and per key the index of the name in
// `ids` whose value each sample carries (-1 when absent).
struct ExpectedInstances {
  std::vector<std::string> keys;
  std::vector<std::vector<int>> id_at;  // [key][sample]
};
ExpectedInstances ExpectInstances(const std::vector<std::vector<std::string>>& lists) {
  ExpectedInstances out;
  for (std::size_t s = 0; s < lists.size(); ++s) {
    std::map<std::string, int> seen;
    for (std::size_t i = 0; i < lists[s].size(); ++i) {
      const int dup = seen[lists[s][i]]++;
      const std::string key = dup == 0 ? lists[s][i] : lists[s][i] + "#" + std::to_string(dup);
      auto it = std::find(out.keys.begin(), out.keys.end(), key);
      if (it == out.keys.end()) {
        out.keys.push_back(key);
        out.id_at.emplace_back(lists.size(), -1);
        it = out.keys.end() - 1;
      }
      out.id_at[static_cast<std::size_t>(it - out.keys.begin())][s] = static_cast<int>(i);
    }
  }
  return out;
}

TEST(BlgReader, ArrayInstanceListsChangingBetweenSamples) {
  const auto& lists = ChangingInstanceLists();
  BlgWriter w;
  w.AddEntry(WildcardArrayEntry("Process", "Handle Count", 0x00010000));
  for (std::size_t s = 0; s < lists.size(); ++s) {
    std::vector<ArrayItemSpec> items;
    for (std::size_t i = 0; i < lists[s].size(); ++i) {
      items.push_back({lists[s][i], static_cast<std::int64_t>(100 * s + i), 0});
    }
    w.AddSample(LocalFileTime(1, 5, 10, static_cast<int>(s)), {Array(items)});
  }
  const auto log = Read(w.Finish());
  ASSERT_TRUE(log.ok()) << log.status().message();
  const ExpectedInstances want = ExpectInstances(lists);
  ASSERT_EQ(log->num_counters(), want.keys.size());
  ASSERT_EQ(log->num_samples(), lists.size());
  for (std::size_t k = 0; k < want.keys.size(); ++k) {
    EXPECT_EQ(log->paths[k].InstanceWithIndex(), want.keys[k]);
    for (std::size_t s = 0; s < lists.size(); ++s) {
      const int id = want.id_at[k][s];
      if (id < 0) {
        EXPECT_TRUE(std::isnan(log->columns[k][s])) << want.keys[k] << " sample " << s;
      } else {
        EXPECT_EQ(log->columns[k][s], static_cast<double>(100 * s + static_cast<std::size_t>(id)))
            << want.keys[k] << " sample " << s;
      }
    }
  }
}

TEST(BlgReader, WholeObjectInstanceListsChangingBetweenSamples) {
  const auto& lists = ChangingInstanceLists();
  BlgWriter w;
  w.AddNameTable({{230, "Process"}, {186, "Private Bytes"}, {6, "% Processor Time"}});
  w.AddEntry(ProcessObjectEntry());
  const std::vector<PerfCounterSpec> counters = {{186, 0x00010100, 8}, {6, 0x20510500, 8}};
  const std::int64_t t0 = 132'000'000'000'000'000;
  for (std::size_t s = 0; s < lists.size(); ++s) {
    std::vector<PerfInstanceSpec> instances;
    for (std::size_t i = 0; i < lists[s].size(); ++i) {
      const auto n = static_cast<std::int64_t>(s);
      const auto id = static_cast<std::int64_t>(i);
      // CPU time grows by (id + 1) tenths of a second per second: (id + 1) * 10 %.
      instances.push_back({lists[s][i], {100 * n + id, n * 1'000'000 * (id + 1)}});
    }
    w.AddSample(LocalFileTime(1, 5, 10, static_cast<int>(s)),
                {PerfData(BuildPerfDataBlock(230, counters, instances,
                                             t0 + static_cast<std::int64_t>(s) * kSecond))});
  }
  const auto log = Read(w.Finish());
  ASSERT_TRUE(log.ok()) << log.status().message();
  const ExpectedInstances want = ExpectInstances(lists);
  ASSERT_EQ(log->num_counters(), 2 * want.keys.size());
  ASSERT_EQ(log->num_samples(), lists.size());
  for (std::size_t k = 0; k < want.keys.size(); ++k) {
    const Column& bytes = log->columns[2 * k];
    const Column& cpu = log->columns[2 * k + 1];
    EXPECT_EQ(log->paths[2 * k].InstanceWithIndex(), want.keys[k]);
    EXPECT_EQ(log->paths[2 * k].counter, "Private Bytes");
    EXPECT_EQ(log->paths[2 * k + 1].counter, "% Processor Time");
    for (std::size_t s = 0; s < lists.size(); ++s) {
      const int id = want.id_at[k][s];
      if (id < 0) {
        EXPECT_TRUE(std::isnan(bytes[s])) << want.keys[k] << " sample " << s;
        EXPECT_TRUE(std::isnan(cpu[s])) << want.keys[k] << " sample " << s;
        continue;
      }
      EXPECT_EQ(bytes[s], static_cast<double>(100 * s + static_cast<std::size_t>(id)))
          << want.keys[k] << " sample " << s;
      // A rate needs the instance in the sample before (at whatever position it was).
      const int before = s == 0 ? -1 : want.id_at[k][s - 1];
      if (before < 0) {
        EXPECT_TRUE(std::isnan(cpu[s])) << want.keys[k] << " sample " << s;
      } else {
        const double dn =
            1e6 * (static_cast<double>(s) * (id + 1) - static_cast<double>(s - 1) * (before + 1));
        EXPECT_NEAR(cpu[s], std::clamp(100.0 * dn / 1e7, 0.0, 100.0), 1e-9)
            << want.keys[k] << " sample " << s;
      }
    }
  }
}

// Columns are only written when a value is present and padded afterwards, so check exactly
// which samples end up missing: an instance gone for a while and back, one gone at the end, a
// rate that goes backwards, a bad status in the middle, and a counter that never has data.
TEST(BlgReader, MissingValuesLandInExactlyTheGapSamples) {
  BlgWriter w;
  w.AddNameTable({{230, "Process"}, {186, "Private Bytes"}, {6, "% Processor Time"}});
  w.AddEntry(ProcessObjectEntry());
  EntrySpec rate;
  rate.counter = "Page Faults/sec";
  rate.type = 0x10410400;  // PERF_COUNTER_COUNTER
  rate.frequency = 1000;
  w.AddEntry(rate);
  EntrySpec never;
  never.counter = "Cache Bytes";
  w.AddEntry(never);
  const std::vector<PerfCounterSpec> counters = {{186, 0x00010100, 8}, {6, 0x20510500, 8}};
  const std::int64_t t0 = 132'000'000'000'000'000;
  constexpr std::size_t kSamples = 6;
  for (std::size_t s = 0; s < kSamples; ++s) {
    const auto n = static_cast<std::int64_t>(s);
    // CPU time runs backwards at sample 3 (a rate there is missing, at 4 it is back).
    std::vector<PerfInstanceSpec> instances = {{"keep", {n, (s == 3 ? 1 : n) * 1'000'000}}};
    if (s == 0 || s == 1 || s == 4) instances.push_back({"gone", {1000 + n, n * 2'000'000}});
    const std::uint32_t rate_status = s == 2 ? 0xC0000BB8u : 0;
    w.AddSample(LocalFileTime(1, 5, 10, static_cast<int>(s)),
                {PerfData(BuildPerfDataBlock(230, counters, instances, t0 + n * kSecond)),
                 Single(n * 50, n * 1000, rate_status), Single(n, 0, 0x800007D1u)});
  }
  const auto log = Read(w.Finish());
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_EQ(log->num_samples(), kSamples);
  ASSERT_EQ(log->num_counters(), 6u);
  const double nan = std::nan("");
  const double pct = 100.0 * 1e6 / 1e7;
  const std::vector<std::vector<double>> want = {{0, 1, 2, 3, 4, 5},
                                                 {nan, pct, pct, nan, 100.0 * 3e6 / 1e7, pct},
                                                 {1000, 1001, nan, nan, 1004, nan},
                                                 {nan, 100.0 * 2e6 / 1e7, nan, nan, nan, nan},
                                                 {nan, 50, nan, nan, 50, 50},
                                                 {nan, nan, nan, nan, nan, nan}};
  EXPECT_EQ(log->paths[0].InstanceWithIndex(), "keep");
  EXPECT_EQ(log->paths[2].InstanceWithIndex(), "gone");
  EXPECT_EQ(log->paths[4].counter, "Page Faults/sec");
  EXPECT_EQ(log->paths[5].counter, "Cache Bytes");
  for (std::size_t c = 0; c < want.size(); ++c) {
    ASSERT_EQ(log->columns[c].size(), kSamples) << c;
    for (std::size_t s = 0; s < kSamples; ++s) {
      if (std::isnan(want[c][s])) {
        EXPECT_TRUE(std::isnan(log->columns[c][s])) << log->paths[c].ToString() << " " << s;
      } else {
        EXPECT_EQ(log->columns[c][s], want[c][s]) << log->paths[c].ToString() << " " << s;
      }
    }
  }
  ASSERT_EQ(log->warnings.size(), kSamples);
  EXPECT_NE(log->warnings[2].find("2 counter values have no data"), std::string::npos)
      << log->warnings[2];
}

TEST(BlgReader, WholeObjectWithoutNameTableUsesBuiltinNames) {
  BlgWriter w;
  w.AddEntry(ProcessObjectEntry());
  w.AddSample(LocalFileTime(1, 5, 10),
              {PerfData(BuildPerfDataBlock(230, {{186, 0x00010100, 8}, {99999, 0x00010000, 4}},
                                           {{"a", {1, 2}}}, 0))});
  const auto log = Read(w.Finish());
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_EQ(log->num_counters(), 2u);
  EXPECT_EQ(log->paths[0].counter, "Private Bytes");
  EXPECT_EQ(log->paths[1].counter, "99999");
  EXPECT_NE(log->warnings.front().find("no counter name table"), std::string::npos);
}

TEST(BlgReader, SingleInstanceObject) {
  BlgWriter w;
  EntrySpec e = ProcessObjectEntry();
  e.object = "Memory";
  e.instance.reset();
  w.AddEntry(e);
  w.AddSample(LocalFileTime(1, 5, 10),
              {PerfData(BuildPerfDataBlock(4, {{1380, 0x00010100, 8}}, {{"", {123456}}}, 0,
                                           /*single_instance=*/true))});
  const auto log = Read(w.Finish());
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_EQ(log->num_counters(), 1u);
  EXPECT_FALSE(log->paths[0].has_instance);
  EXPECT_EQ(log->columns[0][0], 123456.0);
}

TEST(BlgReader, CounterPatternsFilterWholeObjects) {
  BlgWriter w;
  w.AddEntry(ProcessObjectEntry());
  w.AddSample(LocalFileTime(1, 5, 10),
              {PerfData(BuildPerfDataBlock(230, ProcessCounters(),
                                           {{"a", {1, 2, 3}}, {"b", {4, 5, 6}}}, 0))});
  ReadOptions options;
  options.counter_patterns = {"\\Process(*)\\Private Bytes"};
  const auto log = Read(w.Finish(), options);
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_EQ(log->num_counters(), 2u);
  EXPECT_EQ(log->paths[1].InstanceWithIndex(), "b");
  EXPECT_EQ(log->columns[1][0], 4.0);
}

TEST(BlgReader, UnreachableStatusIsMissingWithWarning) {
  BlgWriter w;
  w.AddEntry(EntrySpec{});
  w.AddSample(LocalFileTime(1, 5, 10, 0), {Single(1)});
  w.AddSample(LocalFileTime(1, 5, 10, 1), {Single(2, 0, 0x800007D0u)});
  w.AddSample(LocalFileTime(1, 5, 10, 2), {Single(3)});
  const auto log = Read(w.Finish());
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_TRUE(std::isnan(log->columns[0][1]));
  EXPECT_EQ(log->columns[0][2], 3.0);
  ASSERT_EQ(log->warnings.size(), 1u);
  EXPECT_NE(log->warnings[0].find("sample 2"), std::string::npos) << log->warnings[0];
  EXPECT_NE(log->warnings[0].find("PDH_CSTATUS_NO_MACHINE"), std::string::npos);
}

TEST(BlgReader, CircularLogThatWrappedReadsInTimeOrder) {
  WriterOptions o;
  o.buffer_size = 4096;
  o.log_file_mode = 0x00000002;  // EVENT_TRACE_FILE_MODE_CIRCULAR
  o.rotate_buffers = 3;
  BlgWriter w(o);
  w.AddEntry(EntrySpec{});
  for (int s = 0; s < 300; ++s) w.AddSample(LocalFileTime(1, 5, 10, 0) + s * kSecond, {Single(s)});
  const auto log = Read(w.Finish());
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_EQ(log->num_samples(), 300u);
  for (std::size_t s = 0; s < 300; ++s) EXPECT_EQ(log->columns[0][s], static_cast<double>(s));
  EXPECT_TRUE(std::is_sorted(log->time_utc.begin(), log->time_utc.end()));
}

TEST(BlgReader, ThirtyTwoBitWriter) {
  WriterOptions o;
  o.pointer_size = 4;
  BlgWriter w(o);
  w.AddEntry(EntrySpec{});
  w.AddSample(LocalFileTime(1, 5, 10), {Single(42)});
  const auto log = Read(w.Finish());
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->columns[0][0], 42.0);
  EXPECT_EQ(log->time_zone.bias_minutes, 480);
}

TEST(BlgReader, CompressedBuffersAreRefused) {
  WriterOptions o;
  o.log_file_mode = 0x04000001;
  BlgWriter w(o);
  w.AddEntry(EntrySpec{});
  w.AddSample(LocalFileTime(1, 5, 10), {Single(42)});
  const auto log = Read(w.Finish());
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kUnsupportedFormat);
  EXPECT_NE(log.status().message().find("synthetic.blg: the ETL buffers are compressed"),
            std::string::npos);
}

TEST(BlgReader, UnknownCounterTypeWarns) {
  BlgWriter w;
  EntrySpec e;
  e.type = 0x12345678;
  w.AddEntry(e);
  w.AddSample(LocalFileTime(1, 5, 10), {Single(42)});
  const auto log = Read(w.Finish());
  ASSERT_TRUE(log.ok());
  EXPECT_TRUE(std::isnan(log->columns[0][0]));
  ASSERT_FALSE(log->warnings.empty());
  EXPECT_NE(log->warnings.back().find("counter type"), std::string::npos);
}

TEST(BlgReader, NoCounterListIsAParseError) {
  // An ETL whose only PDH record is a name table: recognisable, but nothing to decode.
  BlgWriter w;
  w.AddNameTable({{1, "x"}});
  std::string bytes = w.Finish();
  // Turn the header record (written at Finish) into a catalog record (type 0x23).
  for (std::size_t p = 65536; p + 5 < bytes.size(); p += 8) {
    if (static_cast<unsigned char>(bytes[p + 4]) == 0x20 &&
        static_cast<unsigned char>(bytes[p + 3]) == 0xC0) {
      bytes[p + 4] = 0x23;
    }
  }
  const auto log = Read(bytes);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kParseError);
  EXPECT_NE(log.status().message().find("synthetic.blg: no PDH counter list"), std::string::npos)
      << log.status().message();
}

TEST(BlgSniff, Formats) {
  BlgWriter w;
  w.AddEntry(EntrySpec{});
  w.AddSample(LocalFileTime(1, 5, 10), {Single(1)});
  std::string blg = w.Finish();
  EXPECT_EQ(Sniff(AsBytes(blg)), DetectedFormat::kBlg);
  // The same container with the provider GUID changed: an ETW trace of something else.
  std::string etl = blg;
  for (std::size_t p = 0; p + 16 <= etl.size(); ++p) {
    if (static_cast<unsigned char>(etl[p]) == 0xb3 &&
        static_cast<unsigned char>(etl[p + 1]) == 0x3b &&
        static_cast<unsigned char>(etl[p + 2]) == 0x3f) {
      etl[p] = 0x11;
    }
  }
  EXPECT_EQ(Sniff(AsBytes(etl)), DetectedFormat::kEtlNotPdh);
  const auto r = ReadLogFromBuffer("trace.etl", AsBytes(etl));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnknownFormat);
  EXPECT_EQ(Sniff(AsBytes(std::string("\"(PDH-CSV 4.0)\",\"x\"\r\n"))), DetectedFormat::kUnknown);
  EXPECT_EQ(Sniff(AsBytes(std::string(200, '\0'))), DetectedFormat::kUnknown);
  EXPECT_EQ(Sniff({}), DetectedFormat::kUnknown);
}

TEST(BlgReader, NotEtlIsAParseErrorNamingTheFile) {
  const auto log = Read(std::string(4096, 'x'));
  ASSERT_FALSE(log.ok());
  EXPECT_NE(log.status().message().find("synthetic.blg: no ETL logfile header at byte 0x48"),
            std::string::npos);
}

}  // namespace
}  // namespace perfleak::blg

namespace perfleak::blg {
namespace {

// The checked-in synthetic fixtures and fuzz seeds are what the writer makes; after a change to
// either, rewrite them with `perfleak_write_blg_fixtures tests/data` (a tool, not a test).
TEST(BlgFixtures, CheckedInFilesAreWhatTheWriterMakes) {
  for (const auto& [relative, bytes] : testing::SyntheticBlgFixtures()) {
    const std::string path = ::perfleak::testing::TestDataPath(relative);
    EXPECT_TRUE(::perfleak::testing::ReadFileToString(path) == bytes)
        << path << " differs from what the writer makes; run perfleak_write_blg_fixtures";
  }
}

TEST(BlgFixtures, SyntheticProcessObjectFixture) {
  const std::string bytes = ::perfleak::testing::ReadFileToString(
      ::perfleak::testing::TestDataPath("blg/synthetic_process_object.blg"));
  ASSERT_FALSE(bytes.empty());
  const auto log = ReadLogFromBuffer("synthetic_process_object.blg", AsBytes(bytes));
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_EQ(log->num_samples(), 3u);
  ASSERT_EQ(log->num_counters(), 6u);
  EXPECT_EQ(log->paths[3].ToString(), "\\\\TESTBOX\\Process(svchost#1)\\Private Bytes");
  EXPECT_EQ(log->columns[0][2], 1002.0);
  EXPECT_NEAR(log->columns[2][1], 10.0, 1e-12);  // 1,000,000 of 10,000,000 100-ns units
}

}  // namespace
}  // namespace perfleak::blg
