// ScanEtl walks the buffers of a large file in slices on several threads: the records (kind,
// time, offset, ordinal, bytes) and the warnings must be those of the walk on one thread, for
// whole, cut, wrapped (circular) and damaged files.
#include "blg/etl.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "blg_fixtures.h"
#include "support/blg_test_writer.h"
#include "test_util.h"

namespace perfleak::blg {
namespace {

using ::perfleak::testing::AsBytes;
using testing::BlgWriter;
using testing::EntrySpec;
using testing::Single;
using testing::WriterOptions;

// 4 KB buffers and records of about 2.4 KB split at 1 KB: a record is often split across
// buffers, so slices start and end inside records.
std::string ManyBufferLog(WriterOptions o = {}) {
  o.buffer_size = 4096;
  o.max_chunk = 1000;
  BlgWriter w(o);
  w.AddEntry(EntrySpec{});
  for (int s = 0; s < 300; ++s) {
    std::vector<testing::ItemSpec> items(50, Single(s));
    w.AddSample(testing::LocalFileTime(1, 5, 10) + s * testing::kFixtureSecond, items);
  }
  return w.Finish();
}

// The first way `a` and `b` differ, described; empty when they do not.
std::string EtlDifference(const EtlContent& a, const EtlContent& b) {
  if (a.warnings != b.warnings) return "warnings";
  if (a.num_buffers != b.num_buffers) return "buffer count";
  if (a.records.size() != b.records.size()) return "record count";
  std::vector<std::byte> scratch_a, scratch_b;
  for (std::size_t i = 0; i < a.records.size(); ++i) {
    const PdhRecord& x = a.records[i];
    const PdhRecord& y = b.records[i];
    if (x.kind != y.kind || x.timestamp != y.timestamp || x.file_offset != y.file_offset ||
        x.ordinal != y.ordinal) {
      return "record " + std::to_string(i);
    }
    const ByteView bx = RecordBytes(a, x, scratch_a);
    const ByteView by = RecordBytes(b, y, scratch_b);
    if (!std::equal(bx.span().begin(), bx.span().end(), by.span().begin(), by.span().end())) {
      return "bytes of record " + std::to_string(i);
    }
  }
  return {};
}

// Walks `bytes` on one thread, then in slices of one buffer on 2, 3 and 7 threads.
void ExpectSameAsOneWalk(const std::string& bytes) {
  const auto one = ScanEtl("slices.blg", ByteView(AsBytes(bytes)), 1);
  for (const std::size_t threads : {2, 3, 7}) {
    const auto many = ScanEtl("slices.blg", ByteView(AsBytes(bytes)), threads, 1);
    ASSERT_EQ(one.ok(), many.ok()) << threads << " threads";
    if (!one.ok()) {
      EXPECT_EQ(one.status().ToString(), many.status().ToString());
      continue;
    }
    EXPECT_EQ(EtlDifference(*one, *many), "") << threads << " threads";
  }
}

TEST(ScanEtl, SlicesGiveTheRecordsOfOneWalk) {
  const std::string bytes = ManyBufferLog();
  const auto etl = ScanEtl("slices.blg", ByteView(AsBytes(bytes)), 3, 1);
  ASSERT_TRUE(etl.ok()) << etl.status().message();
  EXPECT_GT(etl->num_buffers, 100u);
  EXPECT_GT(etl->parts.size(), etl->records.size());  // records split across buffers
  ExpectSameAsOneWalk(bytes);
}

TEST(ScanEtl, CutAndWrappedFilesGiveTheRecordsOfOneWalk) {
  std::string cut = ManyBufferLog();
  cut.resize(cut.size() * 2 / 3 + 100);
  ExpectSameAsOneWalk(cut);
  WriterOptions circular;
  circular.log_file_mode = 0x00000002;  // EVENT_TRACE_FILE_MODE_CIRCULAR
  circular.rotate_buffers = 7;
  ExpectSameAsOneWalk(ManyBufferLog(circular));
}

TEST(ScanEtl, DamagedCopiesGiveTheWarningsOfOneWalk) {
  const std::string good = ManyBufferLog();
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> pos(0, good.size() - 1);
  for (int trial = 0; trial < 60; ++trial) {
    std::string bytes = good;
    for (int flip = 0; flip < 1 + trial % 5; ++flip) bytes[pos(rng)] ^= static_cast<char>(0x5a);
    SCOPED_TRACE(trial);
    ExpectSameAsOneWalk(bytes);
  }
}

}  // namespace
}  // namespace perfleak::blg
