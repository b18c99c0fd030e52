#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <thread>
#include <utility>
#include <vector>

#include "perfleak/column.h"

namespace perfleak {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

TEST(ColumnArena, SmallLogsUseTheHeap) {
  EXPECT_EQ(ColumnArena::ForBytes(0), nullptr);
  EXPECT_EQ(ColumnArena::ForBytes(kMiB), nullptr);
  EXPECT_NE(ColumnArena::ForBytes(64 * kMiB), nullptr);
}

TEST(ColumnArena, SlabsStartAtHugePageBoundariesAndAllocationsAtCacheLines) {
  const auto arena = ColumnArena::ForBytes(9 * kMiB);
  ASSERT_NE(arena, nullptr);
  EXPECT_EQ(arena->mapped_bytes(), 10 * kMiB);  // rounded up to 2 MB
  const auto first = reinterpret_cast<std::uintptr_t>(arena->Allocate(1));
  EXPECT_EQ(first % (2 * kMiB), 0u);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(arena->Allocate(8)), first + 64);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(arena->Allocate(100)), first + 128);
}

TEST(ColumnArena, MapsMoreSlabsWhenTheFirstIsFull) {
  const auto arena = ColumnArena::ForBytes(8 * kMiB);
  ASSERT_NE(arena, nullptr);
  std::vector<std::byte*> blocks;
  for (int i = 0; i < 5; ++i) blocks.push_back(static_cast<std::byte*>(arena->Allocate(3 * kMiB)));
  EXPECT_GT(arena->mapped_bytes(), 8 * kMiB);
  // Every block is writable to its end and overlaps no other.
  for (std::byte* b : blocks) std::fill(b, b + 3 * kMiB, std::byte{0x5a});
  std::sort(blocks.begin(), blocks.end());
  for (std::size_t i = 1; i < blocks.size(); ++i) EXPECT_GE(blocks[i] - blocks[i - 1], 3 * kMiB);
  // Larger than a slab: a slab of its own.
  auto* big = static_cast<std::byte*>(arena->Allocate(100 * kMiB));
  big[100 * kMiB - 1] = std::byte{1};
}

TEST(ColumnArena, ThreadsGetDisjointBlocks) {
  const auto arena = ColumnArena::ForBytes(16 * kMiB);
  ASSERT_NE(arena, nullptr);
  std::vector<std::vector<std::uintptr_t>> got(4);
  std::vector<std::thread> threads;
  for (auto& mine : got) {
    threads.emplace_back([&arena, &mine] {
      for (int i = 0; i < 2000; ++i)
        mine.push_back(reinterpret_cast<std::uintptr_t>(arena->Allocate(4096)));
    });
  }
  for (std::thread& t : threads) t.join();
  std::vector<std::uintptr_t> all;
  for (const auto& mine : got) all.insert(all.end(), mine.begin(), mine.end());
  std::sort(all.begin(), all.end());
  for (std::size_t i = 1; i < all.size(); ++i) ASSERT_GE(all[i] - all[i - 1], 4096u);
}

TEST(ColumnAllocator, ColumnsKeepTheirArenaAliveAndCopiesGoToTheHeap) {
  auto arena = ColumnArena::ForBytes(8 * kMiB);
  ASSERT_NE(arena, nullptr);
  Column column(1000, 2.5, ColumnAllocator<double>(arena));
  const ColumnArena* where = arena.get();
  arena.reset();  // the column still holds it
  EXPECT_EQ(column.get_allocator().arena().get(), where);
  column.push_back(3.5);  // grows inside the arena

  const Column copy = column;
  EXPECT_EQ(copy.get_allocator().arena(), nullptr);
  EXPECT_EQ(copy, column);

  Column moved = std::move(column);
  EXPECT_EQ(moved.get_allocator().arena().get(), where);
  EXPECT_EQ(moved.back(), 3.5);

  Column assigned;
  assigned = std::move(moved);  // propagates on move assignment
  EXPECT_EQ(assigned.get_allocator().arena().get(), where);
  EXPECT_EQ(assigned.size(), 1001u);
}

TEST(ColumnAllocator, WithoutAnArenaIsTheHeap) {
  Column column = {1.0, 2.0};
  EXPECT_EQ(column.get_allocator().arena(), nullptr);
  column.resize(100000, 7.0);
  column.shrink_to_fit();
  EXPECT_EQ(column[99999], 7.0);
  EXPECT_TRUE(ColumnAllocator<double>() == ColumnAllocator<int>());
  EXPECT_FALSE(ColumnAllocator<double>() ==
               ColumnAllocator<double>(ColumnArena::ForBytes(8 * kMiB)));
}

}  // namespace
}  // namespace perfleak
