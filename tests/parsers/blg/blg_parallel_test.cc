// The .blg decoded in parts against the one-thread decode of its bytes in memory. The
// range-parallel decode (ReadBlgInRanges), with ranges forced small, must give every field of the
// CounterLog (values bit for bit) or the same error; the decode while writing (OpenBlgRows) must
// give the same header and warnings, and rows of the same values in blocks of any size, in any
// order, on any slot, and so the text WritePdhText writes of the log. Both also read the bytes as a
// file is read, through windows copied out of it (InputCopier).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "blg/blg_reader.h"
#include "blg_fixtures.h"
#include "common/row_source_internal.h"
#include "copied_file.h"
#include "perfleak/reader.h"
#include "perfleak/writer.h"
#include "support/blg_test_writer.h"
#include "support/counter_log_equal.h"
#include "test_util.h"

namespace perfleak::blg {
namespace {

using ::perfleak::testing::AsBytes;
using ::perfleak::testing::CounterLogDifference;
using testing::Array;
using testing::ArrayItemSpec;
using testing::BlgWriter;
using testing::BuildPerfDataBlock;
using testing::CopiedFile;
using testing::EntrySpec;
using testing::ItemSpec;
using testing::PerfData;
using testing::PerfInstanceSpec;
using testing::ProcessCounters;
using testing::ProcessObjectEntry;
using testing::Single;
using testing::WildcardArrayEntry;

constexpr std::int64_t kSecond = testing::kFixtureSecond;
constexpr int kSamples = 41;
constexpr std::size_t kMinRange = 2;  // so that 7 threads still get 5-record ranges

std::int64_t SampleTime(int sample) { return testing::LocalFileTime(3, 1, 9) + sample * kSecond; }

// Instances by sample: `a` always, `late` from sample 13, `early` until sample 8, one to three
// `dup` (dup, dup#1, dup#2 come and go), and a new `pN` every 5 samples that lives 7.
std::vector<std::string> InstancesAt(int sample) {
  std::vector<std::string> names = {"a"};
  if (sample >= 13) names.push_back("late");
  if (sample < 9) names.push_back("early");
  for (int d = 0; d <= sample % 3; ++d) names.push_back("dup");
  for (int p = std::max(0, sample - 6) / 5; p <= sample / 5; ++p) {
    if (sample >= p * 5 && sample < p * 5 + 7) names.push_back("p" + std::to_string(p));
  }
  return names;
}

// What a sample item holds, by sample: `bad` gives the single counters a failing status there.
struct Damage {
  std::vector<int> bad_status;
  std::vector<int> implausible_time;
  std::vector<int> no_items;
};

bool Has(const std::vector<int>& v, int sample) {
  return std::find(v.begin(), v.end(), sample) != v.end();
}

// Single counters (a raw count and a rate) and a `*` array of a rate counter.
std::string ArrayLog(const Damage& damage = {}, int samples = kSamples) {
  BlgWriter w;
  w.AddEntry(EntrySpec{});
  EntrySpec rate;
  rate.object = "Memory";
  rate.counter = "Page Faults/sec";
  rate.type = 0x10410400;  // PERF_COUNTER_COUNTER
  rate.frequency = 1000;
  w.AddEntry(rate);
  w.AddEntry(WildcardArrayEntry("Process", "IO Data Bytes/sec", 0x10410500));
  for (int s = 0; s < samples; ++s) {
    const std::uint32_t status = Has(damage.bad_status, s) ? 0xC0000BB8u : 0u;
    std::vector<ArrayItemSpec> items;
    std::int64_t i = 0;
    for (const std::string& name : InstancesAt(s)) {
      items.push_back({name, s * (100 + 7 * i) + i * i, s * kSecond});
      ++i;
    }
    const std::int64_t t = Has(damage.implausible_time, s) ? 0 : SampleTime(s);
    if (Has(damage.no_items, s)) {
      w.AddSample(t, {});
      continue;
    }
    w.AddSample(
        t, {Single(1000 + s * 3, 0, status), Single(s * s * 5, s * 1000, status), Array(items)});
  }
  return w.Finish();
}

// `\Process(*)\*`: the same instance churn as whole-object data, `svchost` duplicates shifting.
std::string ProcessObjectLog(bool name_table, int samples = kSamples) {
  BlgWriter w;
  if (name_table) {
    w.AddNameTable({{186, "Private Bytes"}, {952, "Handle Count"}, {6, "% Processor Time"}});
  }
  w.AddEntry(ProcessObjectEntry());
  for (int s = 0; s < samples; ++s) {
    std::vector<PerfInstanceSpec> instances;
    std::int64_t i = 0;
    for (const std::string& name : InstancesAt(s)) {
      const std::string shown = name == "dup" ? "svchost" : name;
      instances.push_back({shown, {4096 * (s + i), 10 * i + s, s * (50'000 + 1000 * i)}});
      ++i;
    }
    const std::int64_t perf_time = 132'000'000'000'000'000 + s * kSecond;
    w.AddSample(SampleTime(s),
                {PerfData(BuildPerfDataBlock(230, ProcessCounters(), instances, perf_time))});
  }
  return w.Finish();
}

// The first row of [begin, end) whose values differ bit for bit from `log`'s, described.
std::string RowsDifference(const CounterLog& log, std::size_t begin, std::size_t end,
                           const std::vector<double>& rows) {
  const std::size_t width = log.columns.size();
  for (std::size_t r = begin; r < end; ++r) {
    for (std::size_t c = 0; c < width; ++c) {
      const double got = rows[(r - begin) * width + c];
      if (std::memcmp(&got, &log.columns[c][r], sizeof(double)) != 0) {
        return "row " + std::to_string(r) + " column " + std::to_string(c) + ": " +
               std::to_string(got) + " vs " + std::to_string(log.columns[c][r]);
      }
    }
  }
  return {};
}

// `source`'s header, rows and text against `log` (ExpectRowsAsWhole).
void ExpectRowsOf(const CounterLog& log, internal::RowSource& source) {
  CounterLog header = log;
  header.columns.clear();
  ASSERT_EQ(CounterLogDifference(header, source.header()), "");
  const std::size_t samples = log.num_samples(), width = log.columns.size();
  for (const std::size_t block : {1, 3, 7}) {
    ASSERT_TRUE(source.BeginRows(2).ok());
    std::size_t slot = 0;
    for (std::size_t end = samples; end > 0; end -= std::min(end, block)) {
      const std::size_t begin = end - std::min(end, block);
      std::vector<double> values((end - begin) * width);
      ASSERT_TRUE(source.FillRows(slot, begin, end, values).ok());
      ASSERT_EQ(RowsDifference(log, begin, end, values), "") << block << "-row blocks";
      slot = 1 - slot;
    }
  }
  std::ostringstream whole;
  ASSERT_TRUE(WritePdhText(log, whole).ok());
  for (const std::size_t threads : {1, 3}) {
    for (const std::size_t block : {1, 4}) {
      WriteOptions write;
      write.num_threads = threads;
      std::ostringstream text;
      ASSERT_TRUE(internal::WritePdhRows(source, text, write, block).ok());
      EXPECT_EQ(text.str(), whole.str()) << threads << " threads, " << block << "-row blocks";
    }
  }
}

// OpenBlgRows against `one`, the one-thread decode, its finding pass on one thread and in
// ranges of `min_range` records on three: the same error, or the same log but for its
// columns, the same values in blocks of 1, 3 and 7 rows asked for backwards on alternating
// slots (each block primed from the sample before it, never from the slot's previous block),
// and the same text WritePdhText writes of `one` on 1 and 3 threads in blocks of 1 and 4 rows.
// The bytes are read as a file is, through windows of 5,000 bytes copied out of it.
// Returns how the 3-thread finding pass went.
RangeDecodeInfo ExpectRowsAsWhole(const std::string& bytes, ReadOptions options,
                                  std::size_t min_range, const Result<CounterLog>& one) {
  const CopiedFile file(bytes, 5000);
  RangeDecodeInfo info;
  for (const std::size_t find_threads : {1, 3}) {
    SCOPED_TRACE(find_threads);
    options.num_threads = find_threads;
    const auto rows = OpenBlgRows("split.blg", file.input, options, min_range, &info);
    EXPECT_EQ(one.ok(), rows.ok()) << (one.ok() ? rows.status() : one.status()).ToString();
    if (!one.ok()) {
      EXPECT_EQ(one.status().ToString(), rows.status().ToString());
      continue;
    }
    ExpectRowsOf(*one, **rows);
  }
  return info;
}

// Decodes on one thread, then on 2, 3 and 7 with small ranges; every result must equal the
// first (or fail with the same status), and so must the decode while writing
// (ExpectRowsAsWhole), whose finding pass must split or fall back as the 3-thread decode does.
// Returns the 3-thread decode's info.
RangeDecodeInfo ExpectSameAsOneThread(const std::string& bytes, ReadOptions options = {},
                                      std::size_t min_range = kMinRange) {
  options.num_threads = 1;
  const auto one = ReadBlgInRanges("split.blg", AsBytes(bytes), options, min_range);
  const RangeDecodeInfo rows = ExpectRowsAsWhole(bytes, options, min_range, one);
  RangeDecodeInfo three;
  const CopiedFile file(bytes, 5000);
  for (std::size_t threads : {2, 3, 7}) {
    options.num_threads = threads;
    RangeDecodeInfo info;
    // On 3 threads, read as a file is, through windows of 5,000 bytes copied out of it.
    const EtlInput input = threads == 3 ? file.input : EtlInput(AsBytes(bytes));
    const auto many = ReadBlgInRanges("split.blg", input, options, min_range, &info);
    if (threads == 3) three = info;
    EXPECT_EQ(one.ok(), many.ok()) << threads << " threads";
    if (!one.ok() || !many.ok()) {
      EXPECT_EQ(one.status().ToString(), many.status().ToString()) << threads << " threads";
      continue;
    }
    EXPECT_EQ(CounterLogDifference(*one, *many), "") << threads << " threads";
  }
  // The finding pass takes its ranges, or falls back, as the decode of the values does.
  if (one.ok()) {
    EXPECT_EQ(rows.ranges, three.ranges);
    EXPECT_EQ(rows.fell_back, three.fell_back);
  }
  return three;
}

TEST(BlgParallelDecode, InstancesComingGoingAndDuplicatesJoinInFirstSeenOrder) {
  const RangeDecodeInfo info = ExpectSameAsOneThread(ArrayLog());
  EXPECT_EQ(info.ranges, 3u);
  EXPECT_FALSE(info.fell_back);
}

TEST(BlgParallelDecode, WholeObjectRatesAcrossRangeBoundaries) {
  const RangeDecodeInfo info = ExpectSameAsOneThread(ProcessObjectLog(true));
  EXPECT_EQ(info.ranges, 3u);
  EXPECT_FALSE(info.fell_back);
}

TEST(BlgParallelDecode, OnceOnlyWarningOfTheFirstRangeIsNotRepeated) {
  // No name table: the first range warns once that names are built in; the others would too.
  const RangeDecodeInfo info = ExpectSameAsOneThread(ProcessObjectLog(false));
  EXPECT_FALSE(info.fell_back);
}

// The same two instances throughout, but the object's counters change: a third counter from
// sample 10, another list of two from sample 25 (columns go by the counter's place in the
// list, so those reuse the first two). Finding the columns must not take "same instances" for
// "no new column".
TEST(BlgParallelDecode, CountersAddedWhileTheInstancesStayTheSame) {
  BlgWriter w;
  w.AddNameTable({{186, "Private Bytes"}, {952, "Handle Count"}, {6, "% Processor Time"}});
  w.AddEntry(ProcessObjectEntry());
  for (int s = 0; s < kSamples; ++s) {
    std::vector<testing::PerfCounterSpec> counters = ProcessCounters();
    if (s < 10) counters.pop_back();
    if (s >= 25) counters = {{952, 0x00010000, 4}, {1410, 0x00010100, 8}};
    std::vector<PerfInstanceSpec> instances;
    for (const std::string name : {"a", "b"}) {
      instances.push_back({name, std::vector<std::int64_t>(counters.size(), 4096 * s)});
    }
    const std::int64_t perf_time = 132'000'000'000'000'000 + s * kSecond;
    w.AddSample(SampleTime(s), {PerfData(BuildPerfDataBlock(230, counters, instances, perf_time))});
  }
  const std::string bytes = w.Finish();
  ReadOptions options;
  options.num_threads = 1;
  const auto log = ReadBlg("split.blg", AsBytes(bytes), options);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->num_counters(), 6u);  // 3 places x 2 instances
  ExpectSameAsOneThread(bytes);
}

// A log whose counter list came but no sample did, and one whose every sample is skipped: the
// header line alone, and the same warnings.
TEST(BlgParallelDecode, LogsWithoutSamplesWriteTheHeaderAlone) {
  BlgWriter w;
  w.AddEntry(EntrySpec{});
  w.AddEntry(WildcardArrayEntry("Process", "IO Data Bytes/sec", 0x10410500));
  const std::string no_records = w.Finish();
  Damage skipped;
  for (int s = 0; s < kSamples; ++s) skipped.implausible_time.push_back(s);
  for (const std::string& bytes : {no_records, ArrayLog(skipped)}) {
    ReadOptions options;
    options.num_threads = 1;
    const auto log = ReadBlg("split.blg", AsBytes(bytes), options);
    ASSERT_TRUE(log.ok()) << log.status().message();
    EXPECT_EQ(log->num_samples(), 0u);
    EXPECT_FALSE(log->warnings.empty());
    ExpectSameAsOneThread(bytes);
  }
}

TEST(BlgParallelDecode, EveryThreadCountAndRangeSize) {
  const std::string array = ArrayLog();
  const std::string object = ProcessObjectLog(true);
  for (std::size_t min_range : {1, 3, 4, 10, 20, 21}) {
    SCOPED_TRACE(min_range);
    ExpectSameAsOneThread(array, {}, min_range);
    ExpectSameAsOneThread(object, {}, min_range);
  }
}

TEST(BlgParallelDecode, BadStatusBeforeEachBoundary) {
  // With 41 records, 2/3/7 ranges start at records 20, 13 and 27, 5, 11, 17, 23, 29 and 35.
  for (int bad : {4, 10, 12, 16, 19, 22, 26, 34, 39}) {
    SCOPED_TRACE(bad);
    Damage damage;
    damage.bad_status = {bad};
    ExpectSameAsOneThread(ArrayLog(damage));
  }
  Damage first_range_only;
  first_range_only.bad_status = {3};
  EXPECT_FALSE(ExpectSameAsOneThread(ArrayLog(first_range_only)).fell_back);
}

TEST(BlgParallelDecode, SkippedSamplesNearBoundaries) {
  for (int skipped : {0, 1, 5, 12, 13, 14, 26, 27, 40}) {
    SCOPED_TRACE(skipped);
    Damage time;
    time.implausible_time = {skipped};
    ExpectSameAsOneThread(ArrayLog(time));
    Damage empty;
    empty.no_items = {skipped, skipped + 1};
    ExpectSameAsOneThread(ArrayLog(empty));
  }
  Damage late;
  late.implausible_time = {30};
  EXPECT_TRUE(ExpectSameAsOneThread(ArrayLog(late)).fell_back);
}

TEST(BlgParallelDecode, ManyWarningsKeepTheCapAndItsCount) {
  Damage damage;
  for (int s = 0; s < 260; s += 1) damage.bad_status.push_back(s);
  ExpectSameAsOneThread(ArrayLog(damage, 300), {}, 20);
}

TEST(BlgParallelDecode, MaxSamplesCutsInsideARange) {
  for (std::size_t max_samples : {1, 5, 23, 40, 41, 100}) {
    SCOPED_TRACE(max_samples);
    ReadOptions options;
    options.max_samples = max_samples;
    ExpectSameAsOneThread(ArrayLog(), options);
    ExpectSameAsOneThread(ProcessObjectLog(true), options);
  }
}

TEST(BlgParallelDecode, MaxCountersPassedInALaterRange) {
  // The array log has 2 fixed columns and 6 instances in its first sample; later instances
  // pass the limit in the second or third range.
  for (std::size_t max_counters : {8, 9, 10, 11, 12, 14, 40}) {
    SCOPED_TRACE(max_counters);
    ReadOptions options;
    options.max_counters = max_counters;
    ExpectSameAsOneThread(ArrayLog(), options);
    ExpectSameAsOneThread(ProcessObjectLog(true), options);
  }
}

TEST(BlgParallelDecode, MaxCellsPassedWhileJoining) {
  for (std::size_t max_cells : {100, 300, 400, 500, 600, 1000}) {
    SCOPED_TRACE(max_cells);
    ReadOptions options;
    options.max_cells = max_cells;
    ExpectSameAsOneThread(ArrayLog(), options);
  }
}

TEST(BlgParallelDecode, CounterPatternsSkipTheSameColumns) {
  ReadOptions options;
  options.counter_patterns = {"\\Process(p*)\\*", "\\Process(dup*)\\*", "\\Memory\\*"};
  ExpectSameAsOneThread(ArrayLog(), options);
  ExpectSameAsOneThread(ProcessObjectLog(true), options);
}

TEST(BlgParallelDecode, LargeLogUsesRangesByDefault) {
  const std::string bytes = ArrayLog({}, 2 * static_cast<int>(kMinRecordsPerRange));
  ReadOptions options;
  options.num_threads = 2;
  RangeDecodeInfo info;
  const auto log =
      ReadBlgInRanges("split.blg", AsBytes(bytes), options, kMinRecordsPerRange, &info);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(info.ranges, 2u);
  ExpectSameAsOneThread(bytes, {}, kMinRecordsPerRange);
}

// 2,000 samples of instance churn: about 1,200 columns, 19 MB. The first columns are on the
// heap, the rest in the log's arena (ColumnArena), the ranges' columns in arenas of their own;
// every thread count still decodes the same log.
TEST(BlgParallelDecode, ColumnsInArenasDecodeAlike) {
  const std::string bytes = ProcessObjectLog(true, 2000);
  ReadOptions options;
  options.num_threads = 1;
  const auto one = ReadBlgInRanges("split.blg", AsBytes(bytes), options, kMinRecordsPerRange);
  ASSERT_TRUE(one.ok()) << one.status().message();
  ASSERT_GT(one->num_counters() * one->num_samples() * sizeof(double), 16u << 20);
  EXPECT_EQ(one->columns.front().get_allocator().arena(), nullptr);
  EXPECT_NE(one->columns.back().get_allocator().arena(), nullptr);
  ExpectSameAsOneThread(bytes, {}, kMinRecordsPerRange);
}

// A .blg of more than 1 MiB on disk is mapped and read with pread through windows copied out
// of it (MappedFile::CopyOut): ReadLog must give what the bytes in memory give, and LogToWrite
// the text WritePdhText writes of that log.
TEST(BlgParallelDecode, MappedFileReadThroughCopiesDecodesAlike) {
  const std::string bytes = ProcessObjectLog(true, 3000);
  ASSERT_GT(bytes.size(), std::size_t{2} << 20);  // more than one window
  const std::string dir = ::perfleak::testing::MakeTempDir("perfleak-blg-mapped");
  const std::string path = dir + "/big.blg";
  ::perfleak::testing::WriteStringToFile(path, bytes);
  ReadOptions options;
  options.num_threads = 2;
  const auto memory = ReadLogFromBuffer(path, AsBytes(bytes), options);
  const auto file = ReadLog(path, options);
  ASSERT_TRUE(memory.ok() && file.ok()) << file.status().message();
  EXPECT_EQ(CounterLogDifference(*memory, *file), "");
  std::ostringstream expected, streamed;
  ASSERT_TRUE(WritePdhText(*memory, expected).ok());
  auto to_write = LogToWrite::Open(path, options);
  ASSERT_TRUE(to_write.ok()) << to_write.status().message();
  ASSERT_TRUE(to_write->Write(streamed).ok());
  EXPECT_EQ(streamed.str(), expected.str());
  std::filesystem::remove_all(dir);
}

TEST(BlgParallelDecode, DamagedCopiesDecodeAlike) {
  // Byte flips anywhere in the file: whatever the reader makes of them (warnings, skipped
  // samples, errors), splitting the records must not change it.
  const std::string good = ProcessObjectLog(true);
  std::mt19937 rng(20);
  std::uniform_int_distribution<std::size_t> pos(0, good.size() - 1);
  std::uniform_int_distribution<int> bit(0, 7);
  for (int trial = 0; trial < 150; ++trial) {
    std::string bytes = good;
    for (int flip = 0; flip < 1 + trial % 4; ++flip) {
      bytes[pos(rng)] ^= static_cast<char>(1 << bit(rng));
    }
    SCOPED_TRACE(trial);
    ExpectSameAsOneThread(bytes);
  }
}

TEST(BlgParallelDecode, RealLogsDecodeAlike) {
  int found = 0;
  for (const char* name : {"PowerShell__CounterSamples.blg", "PAL__SampleLog.blg",
                           "Tx__BasicPerfCounters.blg", "PowerShell__BadCounterSamples.blg"}) {
    const auto path = ::perfleak::testing::RealLogPath(name);
    if (!path) continue;
    ++found;
    SCOPED_TRACE(name);
    const std::string bytes = ::perfleak::testing::ReadFileToString(*path);
    ExpectSameAsOneThread(bytes, {}, 1);
  }
  if (found == 0) GTEST_SKIP() << "shared corpus not found (../shared or PERFLEAK_SHARED_DIR)";
}

}  // namespace
}  // namespace perfleak::blg
