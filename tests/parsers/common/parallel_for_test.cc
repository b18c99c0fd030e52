// ParallelFor: the one fork-join loop. Work that throws (an allocation that fails) must come
// back as a Status, never reach std::terminate, whatever thread it ran on.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <new>
#include <stdexcept>
#include <vector>

#include "common/parallel_for_internal.h"

namespace perfleak::internal {
namespace {

using ::testing::HasSubstr;

#if defined(__SANITIZE_ADDRESS__)
#define PERFLEAK_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PERFLEAK_TEST_ASAN 1
#endif
#endif

// 2^59 bytes: more than any machine's address space, so operator new really fails. ASan's
// operator new reports a failed allocation as a fatal error instead of throwing, so there the
// allocator's throw is made by hand.
void AllocateTooMuch() {
#ifdef PERFLEAK_TEST_ASAN
  throw std::bad_alloc();
#else
  auto huge = std::make_unique<double[]>(std::size_t{1} << 56);
  huge[0] = 1.0;
  ASSERT_NE(huge[1], -1.0);  // keeps the allocation from being elided
#endif
}

TEST(ParallelFor, RunsEveryIndexOnce) {
  std::vector<std::atomic<int>> hits(1000);
  ASSERT_TRUE(ParallelFor(hits.size(), 4, [&](std::size_t i) { ++hits[i]; }).ok());
  for (const auto& h : hits) EXPECT_EQ(h.load(), 1);
}

TEST(ParallelFor, AllocationFailureOnAWorkerIsLimitExceeded) {
  std::atomic<std::size_t> done{0};
  const Status s = ParallelFor(64, 4, [&](std::size_t i) {
    if (i == 5) AllocateTooMuch();
    ++done;
  });
  EXPECT_EQ(s.code(), StatusCode::kLimitExceeded) << s.ToString();
  EXPECT_THAT(s.message(), HasSubstr("out of memory"));
  EXPECT_LT(done.load(), 64u);
}

TEST(ParallelFor, AllocationFailureOnOneThreadIsLimitExceeded) {
  const Status s = ParallelFor(3, 1, [&](std::size_t i) {
    if (i == 1) AllocateTooMuch();
  });
  EXPECT_EQ(s.code(), StatusCode::kLimitExceeded) << s.ToString();
}

TEST(ParallelFor, LengthErrorIsLimitExceededAndOtherExceptionsIoError) {
  Status s = ParallelFor(8, 2, [](std::size_t i) {
    if (i == 3) std::vector<double>().reserve(std::vector<double>().max_size() + 1);
  });
  EXPECT_EQ(s.code(), StatusCode::kLimitExceeded) << s.ToString();
  s = ParallelFor(8, 2, [](std::size_t i) {
    if (i == 7) throw std::runtime_error("boom");
  });
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_THAT(s.message(), HasSubstr("boom"));
}

TEST(ParallelFor, NoIndexStartsAfterAFailure) {
  std::atomic<std::size_t> started{0};
  const Status s = ParallelFor(10'000, 1, [&](std::size_t i) {
    ++started;
    if (i == 10) throw std::bad_alloc();
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(started.load(), 11u);
}

}  // namespace
}  // namespace perfleak::internal
