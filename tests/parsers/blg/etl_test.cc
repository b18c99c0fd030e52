// ScanEtl walks the buffers of a large file in slices on several threads, and a file read
// through an InputCopier in windows copied out of it: the records (kind, time, offset, ordinal,
// bytes) and the warnings must be those of the walk of the bytes in memory on one thread, for
// whole, cut, wrapped (circular) and damaged files. RecordReader gives the same bytes either way.
#include "blg/etl.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "blg_fixtures.h"
#include "common/input_copier_internal.h"
#include "copied_file.h"
#include "support/blg_test_writer.h"
#include "test_util.h"

namespace perfleak::blg {
namespace {

using ::perfleak::testing::AsBytes;
using testing::BlgWriter;
using testing::CopiedFile;
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

bool SameExtent(const Extent& a, const Extent& b) {
  return a.offset == b.offset && a.size == b.size;
}

// The first way `a` and `b` differ, described; empty when they do not. The records' bytes are
// read from `a_input` and `b_input`.
std::string EtlDifference(const EtlContent& a, EtlInput a_input, const EtlContent& b,
                          EtlInput b_input) {
  if (a.warnings != b.warnings) return "warnings";
  if (a.num_buffers != b.num_buffers) return "buffer count";
  if (a.records.size() != b.records.size()) return "record count";
  RecordReader read_a("a.blg", a_input), read_b("b.blg", b_input);
  for (std::size_t i = 0; i < a.records.size(); ++i) {
    const PdhRecord& x = a.records[i];
    const PdhRecord& y = b.records[i];
    if (x.kind != y.kind || x.timestamp != y.timestamp || x.file_offset != y.file_offset ||
        x.ordinal != y.ordinal || !SameExtent(x.bytes, y.bytes) || x.num_parts != y.num_parts) {
      return "record " + std::to_string(i);
    }
    const auto bx = read_a.Read(a, x);
    const auto by = read_b.Read(b, y);
    if (!bx.ok() || !by.ok()) return "reading record " + std::to_string(i);
    const auto sx = bx->span(), sy = by->span();
    if (!std::equal(sx.begin(), sx.end(), sy.begin(), sy.end())) {
      return "bytes of record " + std::to_string(i);
    }
  }
  return {};
}

// Walks `bytes` in memory on one thread, then in slices of one buffer on 2, 3 and 7 threads, in
// memory and copied in windows of one buffer, of two and a half, and of 2 MB.
void ExpectSameAsOneWalk(const std::string& bytes) {
  const EtlInput memory(AsBytes(bytes));
  const auto one = ScanEtl("slices.blg", memory, 1);
  for (const std::size_t window :
       {std::size_t{0}, std::size_t{4096}, std::size_t{10'000}, kWindowBytes}) {
    const CopiedFile file(bytes, window);
    const EtlInput input = window == 0 ? memory : file.input;
    for (const std::size_t threads : {1, 2, 3, 7}) {
      const auto many = ScanEtl("slices.blg", input, threads, 1);
      ASSERT_EQ(one.ok(), many.ok()) << threads << " threads, window " << window;
      if (!one.ok()) {
        EXPECT_EQ(one.status().ToString(), many.status().ToString());
        continue;
      }
      EXPECT_EQ(EtlDifference(*one, memory, *many, input), "")
          << threads << " threads, window " << window;
    }
  }
}

TEST(ScanEtl, SlicesGiveTheRecordsOfOneWalk) {
  const std::string bytes = ManyBufferLog();
  const auto etl = ScanEtl("slices.blg", EtlInput(AsBytes(bytes)), 3, 1);
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

namespace perfleak::blg {
namespace {

TEST(ScanEtl, AFileCutShorterWhileCopiedIsAnErrorNamingTheBytes) {
  const std::string bytes = ManyBufferLog();
  const internal::InputCopier shrunk = [&](std::size_t offset, std::span<std::byte> out) {
    if (offset + out.size() > bytes.size() / 2) return false;
    std::memcpy(out.data(), bytes.data() + offset, out.size());
    return true;
  };
  const auto scan = ScanEtl("cut.blg", EtlInput(AsBytes(bytes), &shrunk, 4096), 2, 1);
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.status().code(), StatusCode::kIoError);
  EXPECT_NE(scan.status().message().find("cut.blg: cannot read bytes "), std::string::npos)
      << scan.status().message();
  // Scanned whole, then cut: reading a record from the lost half fails the same way.
  const auto whole = ScanEtl("cut.blg", EtlInput(AsBytes(bytes)), 1);
  ASSERT_TRUE(whole.ok());
  RecordReader reader("cut.blg", EtlInput(AsBytes(bytes), &shrunk, 4096));
  EXPECT_TRUE(reader.Read(*whole, whole->records.front()).ok());
  const auto last = reader.Read(*whole, whole->records.back());
  ASSERT_FALSE(last.ok());
  EXPECT_NE(last.status().message().find("cut.blg: cannot read bytes "), std::string::npos);
}

}  // namespace
}  // namespace perfleak::blg
