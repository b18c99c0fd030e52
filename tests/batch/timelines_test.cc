// Gap-chaining: which read files RunBatch stitches into one timeline.
#include "batch/timelines.h"

#include <gtest/gtest.h>

#include <vector>

namespace perfleak::internal {
namespace {

using Groups = std::vector<std::vector<std::size_t>>;

constexpr Ticks kMinute = 60 * kTicksPerSecond;

TimelineFile Part(const char* key, const char* path, int first_min, int last_min) {
  return {key, path, first_min * kMinute, last_min * kMinute};
}

std::vector<std::size_t> All(const std::vector<TimelineFile>& files) {
  std::vector<std::size_t> members(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) members[i] = i;
  return members;
}

TEST(GroupTimelines, ConsecutivePartsWithinTheGapChainInTimeOrder) {
  // Given out of time order, as a folder listing may give them.
  const std::vector<TimelineFile> files = {Part("web01", "c.csv", 125, 180),
                                           Part("web01", "a.csv", 0, 60),
                                           Part("web01", "b.csv", 62, 120)};
  EXPECT_EQ(GroupTimelines(files, All(files), true, 5 * kMinute), (Groups{{1, 2, 0}}));
}

TEST(GroupTimelines, AGapLongerThanTheLimitStartsANewTimeline) {
  const std::vector<TimelineFile> files = {Part("web01", "a.csv", 0, 60),
                                           Part("web01", "b.csv", 66, 120),
                                           Part("web01", "c.csv", 125, 180)};
  EXPECT_EQ(GroupTimelines(files, All(files), true, 5 * kMinute), (Groups{{0}, {1, 2}}));
  // Exactly the limit still chains.
  EXPECT_EQ(GroupTimelines(files, All(files), true, 6 * kMinute), (Groups{{0, 1, 2}}));
}

TEST(GroupTimelines, TheGapIsMeasuredFromTheLatestEndOfTheChain) {
  // b lies inside a; c starts 2 min after a ends (but 80 min after b ends).
  const std::vector<TimelineFile> files = {Part("web01", "a.csv", 0, 100),
                                           Part("web01", "b.csv", 10, 20),
                                           Part("web01", "c.csv", 102, 150)};
  EXPECT_EQ(GroupTimelines(files, All(files), true, 5 * kMinute), (Groups{{0, 1, 2}}));
}

TEST(GroupTimelines, OtherCollectionsNeverChainAndComeInKeyOrder) {
  const std::vector<TimelineFile> files = {
      Part("web02", "w2a.csv", 0, 60), Part("web01", "w1a.csv", 0, 60),
      Part("web02", "w2b.csv", 61, 120), Part("web01", "w1b.csv", 61, 120)};
  EXPECT_EQ(GroupTimelines(files, All(files), true, 5 * kMinute), (Groups{{1, 3}, {0, 2}}));
}

TEST(GroupTimelines, PartsStartingTogetherAreOrderedByPath) {
  const std::vector<TimelineFile> files = {Part("web01", "b.csv", 0, 60),
                                           Part("web01", "a.csv", 0, 60)};
  EXPECT_EQ(GroupTimelines(files, All(files), true, 0), (Groups{{1, 0}}));
}

TEST(GroupTimelines, WithoutStitchingEachFileIsItsOwnTimeline) {
  const std::vector<TimelineFile> files = {Part("web01", "a.csv", 0, 60),
                                           Part("web01", "b.csv", 61, 120)};
  EXPECT_EQ(GroupTimelines(files, All(files), false, 5 * kMinute), (Groups{{0}, {1}}));
}

TEST(GroupTimelines, OnlyTheMembersGivenAreGrouped) {
  // File 1 failed to read: it is in no timeline, and 0 and 2 do not chain across its place.
  const std::vector<TimelineFile> files = {Part("web01", "a.csv", 0, 60), TimelineFile{},
                                           Part("web01", "c.csv", 125, 180)};
  EXPECT_EQ(GroupTimelines(files, {0, 2}, true, 5 * kMinute), (Groups{{0}, {2}}));
}

}  // namespace
}  // namespace perfleak::internal
