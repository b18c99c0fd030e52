// MappedFile: a file truncated while mapped (a .blg copied while perfmon still writes it) must
// not raise SIGBUS: its missing pages read as zeros and shrank() reports it.
#include "common/mapped_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

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
  constexpr std::size_t kSize = MappedFile::kReadBelowBytes;
  testing::WriteStringToFile(path, std::string(kSize, 'y'));
  {
    auto first = MappedFile::Open(path);
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE(first->is_mapped());
    std::filesystem::resize_file(path, 10);
    const volatile std::byte* last = first->data().data() + kSize - 1;
    const std::byte read = *last;  // past the new end: SIGBUS without the guard
    EXPECT_EQ(read, std::byte{0});
    EXPECT_TRUE(first->shrank());
  }
  testing::WriteStringToFile(path, std::string(kSize, 'y'));
  auto second = MappedFile::Open(path);  // reuses the slot: its record starts clean
  ASSERT_TRUE(second.ok());
  std::size_t ys = 0;
  for (const std::byte b : second->data()) ys += b == std::byte{'y'};
  EXPECT_EQ(ys, kSize);
  EXPECT_FALSE(second->shrank());
  std::filesystem::remove_all(dir);
}

// Below kReadBelowBytes a file is read, not mapped: the same bytes, and a file cut shorter
// afterwards changes nothing already read.
TEST(MappedFile, SmallFilesAreReadWholeNotMapped) {
  const std::string dir = testing::MakeTempDir("perfleak-small");
  const std::string path = dir + "/log.csv";
  std::string text(MappedFile::kReadBelowBytes - 1, 'z');
  for (std::size_t i = 0; i < text.size(); i += 4099) text[i] = static_cast<char>('a' + i % 26);
  testing::WriteStringToFile(path, text);
  auto file = MappedFile::Open(path);
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_FALSE(file->is_mapped());
  std::filesystem::resize_file(path, 10);
  ASSERT_EQ(file->size(), text.size());
  EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(file->data().data()), file->size()),
            text);
  EXPECT_FALSE(file->shrank());
  std::string copy(5, '\0');
  ASSERT_TRUE(file->CopyOut(4097, std::as_writable_bytes(std::span(copy))));
  EXPECT_EQ(copy, text.substr(4097, 5));
  EXPECT_FALSE(file->CopyOut(text.size() - 2, std::as_writable_bytes(std::span(copy))));
  EXPECT_FALSE(file->shrank()) << "what was read is whole";
  std::filesystem::remove_all(dir);
}

// CopyOut reads the file, not the mapping: the same bytes, and a file cut shorter fails the
// copy past its new end and reports shrinking, as a read of the mapping would.
TEST(MappedFile, CopyOutReadsTheFileAndFailsPastAFileCutShorter) {
  const std::string dir = testing::MakeTempDir("perfleak-copyout");
  const std::string path = dir + "/log.csv";
  std::string text(2 * MappedFile::kReadBelowBytes, 'q');
  for (std::size_t i = 0; i < text.size(); i += 4093) text[i] = static_cast<char>('a' + i % 26);
  testing::WriteStringToFile(path, text);
  auto file = MappedFile::Open(path);
  ASSERT_TRUE(file.ok()) << file.status().message();
  ASSERT_TRUE(file->is_mapped());
  std::string copy(100'000, '\0');
  ASSERT_TRUE(file->CopyOut(12'345, std::as_writable_bytes(std::span(copy))));
  EXPECT_EQ(copy, text.substr(12'345, copy.size()));
  EXPECT_FALSE(file->shrank());
  MappedFile moved = std::move(*file);  // the descriptor moves with the mapping
  std::filesystem::resize_file(path, 50'000);
  EXPECT_FALSE(moved.CopyOut(12'345, std::as_writable_bytes(std::span(copy))));
  EXPECT_TRUE(moved.shrank());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace perfleak::internal
