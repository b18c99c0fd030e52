// Damaged copies of real and synthetic logs, made in memory: truncated, bit-flipped and with
// length fields overwritten. Every read must end in a clean error or a partial log with
// warnings; run under ASan/UBSan this also proves nothing reads out of bounds.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "blg/blg_reader.h"
#include "perfleak/time_format.h"
#include "support/blg_test_writer.h"
#include "test_util.h"

namespace perfleak::blg {
namespace {

using ::perfleak::testing::AsBytes;
using ::perfleak::testing::ReadFileToString;

constexpr std::size_t kBufferSize = 65536;

// The model invariants every successful read must keep, whatever the input.
void ExpectConsistent(const Result<CounterLog>& r, const std::string& what) {
  if (!r.ok()) {
    EXPECT_NE(r.status().message().find("damaged.blg"), std::string::npos)
        << what << ": " << r.status().message();
    return;
  }
  EXPECT_EQ(r->time_utc.size(), r->time_local.size()) << what;
  EXPECT_EQ(r->paths.size(), r->columns.size()) << what;
  for (const auto& column : r->columns) ASSERT_EQ(column.size(), r->num_samples()) << what;
}

Result<CounterLog> ReadDamaged(const std::string& bytes) {
  return ReadBlg("damaged.blg", AsBytes(bytes), ReadOptions{});
}

std::string SyntheticLog() {
  testing::WriterOptions o;
  o.max_chunk = 300;
  testing::BlgWriter w(o);
  testing::EntrySpec single;
  w.AddEntry(single);
  testing::EntrySpec object;
  object.flags = 0x10;
  object.object = "Process";
  object.instance = "*";
  object.counter = "*";
  w.AddEntry(object);
  for (int s = 0; s < 200; ++s) {
    testing::ItemSpec a;
    a.first = s;
    testing::ItemSpec b;
    b.kind = testing::ItemSpec::Kind::kPerfData;
    b.perf_data = testing::BuildPerfDataBlock(
        230, {{186, 0x00010100, 8}, {6, 0x20510500, 8}},
        {{"svchost", {1000 + s, s * 1000}}, {"svchost", {2000 + s, s * 2000}}, {"x", {s, 0}}},
        132'000'000'000'000'000 + s * 10'000'000LL);
    w.AddSample(testing::kUnixEpochAsFileTime + 16'000'000'000'000'000 + s * 10'000'000LL, {a, b});
  }
  return w.Finish();
}

std::vector<std::pair<std::string, std::string>> Inputs() {
  std::vector<std::pair<std::string, std::string>> out = {{"synthetic", SyntheticLog()}};
  for (const char* name : {"PowerShell__CounterSamples.blg", "PAL__SampleLog.blg",
                           "Tx__BasicPerfCounters.blg", "PowerShell__BadCounterSamples.blg"}) {
    if (auto path = ::perfleak::testing::RealLogPath(name)) {
      out.emplace_back(name, ReadFileToString(*path));
    }
  }
  return out;
}

TEST(BlgDamage, TruncatedAtBufferBoundariesAndOddOffsets) {
  for (const auto& [name, full] : Inputs()) {
    const auto complete = ReadDamaged(full);
    ASSERT_TRUE(complete.ok()) << name;
    std::vector<std::size_t> cuts;
    for (std::size_t base = 0; base <= full.size(); base += kBufferSize) {
      for (std::size_t delta :
           {std::size_t{0}, std::size_t{1}, std::size_t{0x47}, std::size_t{0x49}, std::size_t{777},
            kBufferSize / 2 + 3, kBufferSize - 1}) {
        if (base + delta < full.size()) cuts.push_back(base + delta);
      }
    }
    for (std::size_t cut = 1001; cut < full.size(); cut += 4099) cuts.push_back(cut);
    std::sort(cuts.begin(), cuts.end());
    std::size_t last_samples = 0;
    for (std::size_t cut : cuts) {
      const std::string part = full.substr(0, cut);
      const auto r = ReadDamaged(part);
      ExpectConsistent(r, name + " cut at " + std::to_string(cut));
      if (!r.ok()) continue;
      // A longer prefix never yields fewer samples: every complete sample before the cut is
      // read, and the first samples agree with the full read.
      EXPECT_GE(r->num_samples(), last_samples) << name << " cut at " << cut;
      last_samples = r->num_samples();
      EXPECT_LE(r->num_samples(), complete->num_samples());
      if (cut % kBufferSize != 0) {
        ASSERT_FALSE(r->warnings.empty()) << name << " cut at " << cut;
        bool names_place = false;
        for (const auto& w : r->warnings) {
          names_place |= w.find("cut inside buffer") != std::string::npos &&
                         w.find("byte") != std::string::npos;
        }
        EXPECT_TRUE(names_place) << name << " cut at " << cut;
      }
      if (r->num_samples() > 0 && !complete->time_local.empty()) {
        EXPECT_EQ(r->time_local.front(), complete->time_local.front()) << name;
      }
    }
  }
}

TEST(BlgDamage, CutMidBufferKeepsEverySampleBeforeTheCut) {
  PERFLEAK_REAL_LOG_OR_SKIP(path, "Tx__BasicPerfCounters.blg");
  const std::string full = ReadFileToString(path);
  const auto complete = ReadDamaged(full);
  ASSERT_TRUE(complete.ok());
  // Cut in the middle of the last buffer: a logger killed while writing it.
  const auto r = ReadDamaged(full.substr(0, full.size() - kBufferSize / 2));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_GT(r->num_samples(), complete->num_samples() / 2);
  EXPECT_LT(r->num_samples(), complete->num_samples());
  for (std::size_t s = 0; s < r->num_samples(); ++s) {
    ASSERT_EQ(r->time_local[s], complete->time_local[s]);
    for (std::size_t c = 0; c < r->num_counters(); ++c) {
      const double a = r->columns[c][s];
      const double b = complete->columns[c][s];
      EXPECT_TRUE((std::isnan(a) && std::isnan(b)) || a == b) << "sample " << s << " col " << c;
    }
  }
}

TEST(BlgDamage, RandomBitFlips) {
  std::mt19937 rng(20261124);  // fixed seed: reproducible
  for (const auto& [name, full] : Inputs()) {
    for (int iter = 0; iter < 40; ++iter) {
      std::string copy = full;
      const int flips = 1 + static_cast<int>(rng() % 16);
      for (int f = 0; f < flips; ++f) {
        const std::size_t pos = rng() % copy.size();
        copy[pos] = static_cast<char>(copy[pos] ^ (1 << (rng() % 8)));
      }
      ExpectConsistent(ReadDamaged(copy), name + " flip iteration " + std::to_string(iter));
    }
  }
}

// Overwrites every length-like field it can find (event sizes, BL lengths, PERF_DATA_BLOCK
// and object lengths, counts) with 0, 0x7fffffff and 0xffffffff, one at a time.
TEST(BlgDamage, LengthFieldsSetToExtremes) {
  for (const auto& [name, full] : Inputs()) {
    std::vector<std::pair<std::size_t, std::size_t>> fields;  // offset, width
    for (std::size_t p = 0; p + 8 <= full.size(); p += 2) {
      if (full[p] == 'B' && full[p + 1] == 'L') fields.emplace_back(p + 4, 4);
      if (std::memcmp(full.data() + p, "P\0E\0R\0F\0", 8) == 0) {
        for (std::size_t off : {0x14, 0x18, 0x1C}) fields.emplace_back(p + off, 4);
        fields.emplace_back(p + 0x58, 4);         // first object TotalByteLength
        fields.emplace_back(p + 0x58 + 4, 4);     // DefinitionLength
        fields.emplace_back(p + 0x58 + 0x20, 4);  // NumCounters
        fields.emplace_back(p + 0x58 + 0x28, 4);  // NumInstances
        fields.emplace_back(p + 0x58 + 0x40, 4);  // first counter definition ByteLength
      }
    }
    // ETW event sizes and PDH part counts in the first events of each buffer.
    for (std::size_t base = 0; base < full.size(); base += kBufferSize) {
      fields.emplace_back(base + 0x30, 4);  // buffer Offset
      fields.emplace_back(base + 0x48, 2);  // first event Size
      fields.emplace_back(base + 0x48 + 48 + 16, 4);
      fields.emplace_back(base + 0x48 + 48 + 20, 4);
    }
    if (fields.size() > 50) {
      // Keep the test quick: every field kind is still covered by an even spread.
      std::vector<std::pair<std::size_t, std::size_t>> spread;
      for (std::size_t i = 0; i < fields.size(); i += fields.size() / 50 + 1) {
        spread.push_back(fields[i]);
      }
      fields = spread;
    }
    for (const auto& [offset, width] : fields) {
      if (offset + width > full.size()) continue;
      for (std::uint32_t value : {0u, 0x7fffffffu, 0xffffffffu}) {
        std::string copy = full;
        for (std::size_t i = 0; i < width; ++i) {
          copy[offset + i] = static_cast<char>((value >> (8 * i)) & 0xFF);
        }
        ExpectConsistent(ReadDamaged(copy), name + " field at " + std::to_string(offset) + " = " +
                                                std::to_string(value));
      }
    }
  }
}

TEST(BlgDamage, CorruptSubRecordIsSkippedWithOffset) {
  PERFLEAK_REAL_LOG_OR_SKIP(path, "Tx__BasicPerfCounters.blg");
  std::string bytes = ReadFileToString(path);
  // Break the first sample container's signature.
  const std::size_t pos = bytes.find(std::string("BL\x03\x00", 4));
  ASSERT_NE(pos, std::string::npos);
  bytes[pos] = 'X';
  const auto r = ReadDamaged(bytes);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->num_samples(), 600u);
  ASSERT_FALSE(r->warnings.empty());
  EXPECT_NE(r->warnings[0].find("at byte"), std::string::npos) << r->warnings[0];
  EXPECT_NE(r->warnings[0].find("sample skipped"), std::string::npos) << r->warnings[0];
}

}  // namespace
}  // namespace perfleak::blg
