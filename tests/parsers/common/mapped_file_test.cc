// MappedFile: a file truncated while mapped (a .blg copied while perfmon still writes it) must
// not raise SIGBUS: its missing pages read as zeros and shrank() reports it.
#include "common/mapped_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_util.h"

namespace perfleak::internal {
namespace {

TEST(MappedFile, TruncatedWhileMappedReadsZerosInsteadOfSigbus) {
  const std::string dir = testing::MakeTempDir("perfleak-truncated");
  const std::string path = dir + "/growing.blg";
  testing::WriteStringToFile(path, std::string(1 << 20, 'x'));
  auto file = MappedFile::Open(path);
  ASSERT_TRUE(file.ok()) << file.status().message();
  ASSERT_TRUE(file->is_mapped());
  EXPECT_FALSE(file->shrank());
  std::filesystem::resize_file(path, 4096);
  std::size_t xs = 0, zeros = 0;
  for (const std::byte b : file->data()) {  // past byte 4096 this faulted with SIGBUS
    if (b == std::byte{'x'}) ++xs;
    if (b == std::byte{0}) ++zeros;
  }
  EXPECT_EQ(xs, 4096u);
  EXPECT_EQ(zeros, (1u << 20) - 4096u);
  EXPECT_TRUE(file->shrank());
  std::filesystem::remove_all(dir);
}

TEST(MappedFile, AnUntouchedMappingDoesNotReportShrinking) {
  const std::string dir = testing::MakeTempDir("perfleak-mapped");
  const std::string path = dir + "/log.csv";
  testing::WriteStringToFile(path, std::string(100'000, 'y'));
  {
    auto first = MappedFile::Open(path);
    ASSERT_TRUE(first.ok());
    std::filesystem::resize_file(path, 10);
    const volatile std::byte* last = first->data().data() + 99'999;
    const std::byte read = *last;  // past the new end: SIGBUS without the guard
    EXPECT_EQ(read, std::byte{0});
    EXPECT_TRUE(first->shrank());
  }
  testing::WriteStringToFile(path, std::string(100'000, 'y'));
  auto second = MappedFile::Open(path);  // reuses the slot: its record starts clean
  ASSERT_TRUE(second.ok());
  std::size_t ys = 0;
  for (const std::byte b : second->data()) ys += b == std::byte{'y'};
  EXPECT_EQ(ys, 100'000u);
  EXPECT_FALSE(second->shrank());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace perfleak::internal
