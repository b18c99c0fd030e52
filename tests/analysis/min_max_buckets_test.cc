#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "analysis/min_max_buckets_internal.h"

namespace perfleak::internal {
namespace {

std::vector<MinMaxExtremes> Buckets(const std::vector<double>& values,
                                    const std::vector<std::size_t>& bucket_of_sample) {
  std::vector<MinMaxExtremes> out;
  ForEachMinMaxBucket(
      values, 0, values.size(), [](double v) { return !std::isnan(v); },
      [&](std::size_t i) { return bucket_of_sample[i]; },
      [&](const MinMaxExtremes& e) { out.push_back(e); });
  return out;
}

TEST(MinMaxBuckets, ExtremesInTimeOrderFirstOccurrenceWins) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  //                                   bucket 0 ----------  1 ---------  2
  const auto buckets =
      Buckets({nan, 3.0, 1.0, 3.0, 1.0, 2.0, 9.0, 2.0, nan}, {0, 0, 0, 0, 0, 1, 1, 1, 2});
  ASSERT_EQ(buckets.size(), 2u);  // bucket 2 holds only a skipped sample: not emitted
  EXPECT_EQ(buckets[0].bucket, 0u);
  EXPECT_EQ(buckets[0].max_sample, 1u);  // ties: the first 3.0 and the first 1.0
  EXPECT_EQ(buckets[0].min_sample, 2u);
  EXPECT_FALSE(buckets[0].min_first());
  EXPECT_EQ(buckets[1].min, 2.0);
  EXPECT_EQ(buckets[1].max, 9.0);
  EXPECT_TRUE(buckets[1].min_first());
}

TEST(MinMaxBuckets, ABucketSeenAgainAfterAnotherIsANewBucket) {
  // Times running backwards put a sample back in an earlier pixel column.
  const auto buckets = Buckets({1.0, 5.0, 2.0}, {0, 1, 0});
  ASSERT_EQ(buckets.size(), 3u);
  EXPECT_EQ(buckets[2].bucket, 0u);
  EXPECT_EQ(buckets[2].min, 2.0);
}

}  // namespace
}  // namespace perfleak::internal
