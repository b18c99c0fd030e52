// ParallelFor: the one fork-join loop of the tree (readers, log summary, analysis, batch): no
// other code starts a thread. WorkerCount is the one reading of "0 threads = every core".
// Raw std::threads call std::terminate when their work throws (a bad_alloc in a large column,
// a length_error), so every parallel loop goes through here: the first exception is caught,
// the remaining indices are abandoned, and the caller gets it back as a Status. Lives in
// parsers/common because the parsers use it and must not depend on src/.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "perfleak/status.h"

namespace perfleak::internal {

/// The thread count for a `num_threads`/`jobs` option: `requested`, or every core when it is 0
/// (at least 1 when the core count is unknown).
inline std::size_t WorkerCount(std::size_t requested) {
  return requested != 0 ? requested : std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

/// Runs `fn()` and turns an exception it throws into a Status: out of memory (bad_alloc,
/// length_error: a size the allocator refuses) is kLimitExceeded, anything else kIoError. The
/// message says what failed but not where; callers prefix the file or the step.
template <typename Fn>
[[nodiscard]] Status CaptureExceptions(Fn&& fn) noexcept {
  try {
    fn();
    return Status::OK();
  } catch (const std::bad_alloc&) {
    return Status::LimitExceeded(
        "out of memory; hint: select fewer counters (--counters) or use a machine with more "
        "memory");
  } catch (const std::length_error& e) {
    return Status::LimitExceeded(std::string("a size beyond what can be allocated (") + e.what() +
                                 ")");
  } catch (const std::exception& e) {
    return Status::IoError(std::string("internal failure: ") + e.what());
  } catch (...) {
    return Status::IoError("internal failure: unknown exception");
  }
}

/// Calls fn(i) for every i in [0, count) on up to `threads` threads (the caller's among them),
/// indices handed out one at a time, so uneven items balance. Callers write results into
/// per-index slots, which keeps their output independent of the thread count. When a thread
/// cannot be started the ones already running (at least the caller's) do the work. Returns the
/// first exception any fn(i) threw as a Status (see CaptureExceptions); after it no further
/// index is started, and the caller must treat every slot as unfinished.
template <typename Fn>
[[nodiscard]] Status ParallelFor(std::size_t count, std::size_t threads, Fn&& fn) {
  threads = std::min(count, std::max<std::size_t>(1, threads));
  std::atomic<std::size_t> next{0};
  std::mutex mu;
  Status first;
  auto work = [&] {
    for (std::size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) {
      Status s = CaptureExceptions([&] { fn(i); });
      if (s.ok()) continue;
      next.store(count);
      const std::lock_guard<std::mutex> lock(mu);
      if (first.ok()) first = std::move(s);
      return;
    }
  };
  std::vector<std::thread> pool;
  // Both reserve and thread creation can fail (bad_alloc, system_error for EAGAIN): then fewer
  // helpers run, never none of the work.
  static_cast<void>(CaptureExceptions([&] {
    pool.reserve(threads - 1);
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  }));
  work();
  for (std::thread& th : pool) th.join();
  return first;
}

}  // namespace perfleak::internal
