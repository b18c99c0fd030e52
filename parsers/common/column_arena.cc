#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <new>
#include <vector>

#include "perfleak/column.h"

// Under ASan a slab is poisoned but for the blocks given out, so reading or writing past a
// column's capacity is still caught, as it is on the heap.
#if __has_include(<sanitizer/asan_interface.h>)
#include <sanitizer/asan_interface.h>
#endif
#ifndef ASAN_POISON_MEMORY_REGION
#define ASAN_POISON_MEMORY_REGION(addr, size) ((void)(addr), (void)(size))
#define ASAN_UNPOISON_MEMORY_REGION(addr, size) ((void)(addr), (void)(size))
#endif

namespace perfleak {

namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
// Below this a log's columns fit a few huge pages and the faults saved are not worth a mapping.
constexpr std::size_t kMinArenaBytes = std::size_t{8} << 20;
// Later slabs, for columns the first slab did not foresee (a .blg's late instances).
constexpr std::size_t kSlabBytes = std::size_t{64} << 20;
constexpr std::size_t kAlign = 64;

std::size_t RoundUp(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

// `bytes` (a multiple of 2 MB) at a 2 MB boundary, so every huge page of it can be used: the
// mapping is made one huge page longer and the ends beyond the boundaries are unmapped.
std::byte* MapAligned(std::size_t bytes) {
  void* raw = ::mmap(nullptr, bytes + kHugePage, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  const auto begin = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = RoundUp(begin, kHugePage);
  if (aligned > begin) ::munmap(raw, aligned - begin);
  const std::uintptr_t end = begin + bytes + kHugePage;
  if (end > aligned + bytes)
    ::munmap(reinterpret_cast<void*>(aligned + bytes), end - aligned - bytes);
  auto* base = reinterpret_cast<std::byte*>(aligned);
  // Where transparent huge pages are "madvise" only (Debian's default), this is what enables
  // them; where they are off, the slab is ordinary memory.
  ::madvise(base, bytes, MADV_HUGEPAGE);
  return base;
}

}  // namespace

struct ColumnArena::State {
  struct Slab {
    std::byte* base;
    std::size_t size;
  };
  std::mutex mutex;
  std::vector<Slab> slabs;
  std::size_t used = 0;  // of the last slab
  std::size_t mapped = 0;

  bool AddSlab(std::size_t bytes) {
    std::byte* base = MapAligned(bytes);
    if (base == nullptr) return false;
    ASAN_POISON_MEMORY_REGION(base, bytes);
    slabs.push_back({base, bytes});
    used = 0;
    mapped += bytes;
    return true;
  }
};

std::shared_ptr<ColumnArena> ColumnArena::ForBytes(std::size_t expected_bytes) {
  if (expected_bytes < kMinArenaBytes) return nullptr;
  std::shared_ptr<ColumnArena> arena(new ColumnArena(RoundUp(expected_bytes, kHugePage)));
  if (arena->state_->slabs.empty()) return nullptr;  // no mapping: the heap will do
  return arena;
}

ColumnArena::ColumnArena(std::size_t first_slab_bytes) : state_(std::make_unique<State>()) {
  state_->AddSlab(first_slab_bytes);
}

ColumnArena::~ColumnArena() {
  for (const State::Slab& slab : state_->slabs) {
    ASAN_UNPOISON_MEMORY_REGION(slab.base, slab.size);  // the addresses may be mapped again
    ::munmap(slab.base, slab.size);
  }
}

void* ColumnArena::Allocate(std::size_t requested) {
  const std::size_t bytes = RoundUp(std::max<std::size_t>(requested, 1), kAlign);
  std::lock_guard<std::mutex> lock(state_->mutex);
  State& s = *state_;
  if (s.slabs.empty() || s.slabs.back().size - s.used < bytes) {
    if (!s.AddSlab(RoundUp(std::max(bytes, kSlabBytes), kHugePage))) throw std::bad_alloc();
  }
  void* p = s.slabs.back().base + s.used;
  s.used += bytes;
  ASAN_UNPOISON_MEMORY_REGION(p, requested);
  return p;
}

std::size_t ColumnArena::mapped_bytes() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->mapped;
}

}  // namespace perfleak
