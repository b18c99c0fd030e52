// A fork-join loop over [0, count) on up to `threads` threads, indices handed out one at a
// time, so uneven items (logs of different sizes, processes with more lifetimes) balance.
// Callers write results into per-index slots, which keeps their output independent of the
// thread count. Used by the analysis and the batch runner above it.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace perfleak::internal {

template <typename Fn>
void ParallelFor(std::size_t count, std::size_t threads, Fn&& fn) {
  threads = std::min(count, std::max<std::size_t>(1, threads));
  if (threads <= 1) {
    for (std::size_t i = 0; i < count; ++i) fn(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (std::size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) fn(i);
    });
  }
  for (std::thread& th : pool) th.join();
}

}  // namespace perfleak::internal
