// Column: one counter's values, and the arena readers allocate large logs' columns from.
#pragma once

#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace perfleak {

/// Memory for the columns of one log: slabs aligned to 2 MB and advised for transparent huge
/// pages. Filling a column is its first touch, and on a paravirtualised VM each 4 KB page fault
/// costs microseconds: a 3,200-column log spent more CPU faulting its columns in than parsing
/// them. Memory is returned when the last column using the arena is gone, not column by column.
class ColumnArena {
 public:
  /// An arena whose first slab holds `expected_bytes` (more slabs are mapped as needed), or
  /// nullptr when that is too small to gain from huge pages: such columns use the heap.
  static std::shared_ptr<ColumnArena> ForBytes(std::size_t expected_bytes);

  ColumnArena(const ColumnArena&) = delete;
  ColumnArena& operator=(const ColumnArena&) = delete;
  ~ColumnArena();

  /// `bytes` aligned to 64; thread-safe. Throws std::bad_alloc when no slab can be mapped.
  void* Allocate(std::size_t bytes);
  /// Bytes of address space mapped so far (touched or not).
  std::size_t mapped_bytes() const;

 private:
  struct State;
  explicit ColumnArena(std::size_t first_slab_bytes);
  std::unique_ptr<State> state_;
};

/// Allocates from an arena when it has one, else from the heap. Copies of a container get the
/// heap (select_on_container_copy_construction), so a copied column never keeps a log's arena
/// alive; moves and swaps carry the arena along.
template <class T>
class ColumnAllocator {
 public:
  using value_type = T;
  using propagate_on_container_move_assignment = std::true_type;
  using propagate_on_container_swap = std::true_type;
  using is_always_equal = std::false_type;

  ColumnAllocator() noexcept = default;
  explicit ColumnAllocator(std::shared_ptr<ColumnArena> arena) noexcept
      : arena_(std::move(arena)) {}
  template <class U>
  ColumnAllocator(const ColumnAllocator<U>& other) noexcept : arena_(other.arena()) {}

  T* allocate(std::size_t n) {
    if (arena_ == nullptr) return std::allocator<T>().allocate(n);
    static_assert(alignof(T) <= 64);
    return static_cast<T*>(arena_->Allocate(n * sizeof(T)));
  }
  // Arena memory goes back with the arena.
  void deallocate(T* p, std::size_t n) noexcept {
    if (arena_ == nullptr) std::allocator<T>().deallocate(p, n);
  }
  ColumnAllocator select_on_container_copy_construction() const { return {}; }

  const std::shared_ptr<ColumnArena>& arena() const noexcept { return arena_; }
  template <class U>
  bool operator==(const ColumnAllocator<U>& other) const noexcept {
    return arena_ == other.arena();
  }

 private:
  std::shared_ptr<ColumnArena> arena_;
};

/// One counter's samples, NaN where missing.
using Column = std::vector<double, ColumnAllocator<double>>;

}  // namespace perfleak
