#include "progress_bar.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace perfleak::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The frames the bar drew, split at its carriage returns.
std::vector<std::string> Frames(const std::string& drawn) {
  std::vector<std::string> frames;
  std::istringstream in(drawn);
  for (std::string frame; std::getline(in, frame, '\r');) {
    if (frame.find('[') != std::string::npos) frames.push_back(frame);
  }
  return frames;
}

TEST(ProgressBar, ShowsReadingThenAnalysingWithItsOwnProgress) {
  std::ostringstream err;
  {
    ProgressBar bar(err);
    BatchProgress p;
    p.files_total = 2;
    p.bytes_total = 2000;
    for (std::size_t k = 1; k <= 2; ++k) {
      p.files_done = k;
      p.bytes_done = 1000 * k;
      bar.Update(p);
    }
    // The batch runner's calls of phase two: one as it starts, one per timeline.
    p.analysing = true;
    p.timelines_total = 4;
    for (std::size_t k = 0; k <= 4; ++k) {
      p.timelines_done = k;
      bar.Update(p);
    }
  }
  const std::vector<std::string> frames = Frames(err.str());
  ASSERT_EQ(frames.size(), 7u) << err.str();
  EXPECT_THAT(frames[0], HasSubstr("reading 1/2 files"));
  EXPECT_THAT(frames[0], HasSubstr("[###############               ]"));
  EXPECT_THAT(frames[1], HasSubstr("reading 2/2 files"));
  // The second phase starts an empty bar of its own, with no ETA until a log is done, rather
  // than sitting at "2/2 ... ETA 0 s" while the logs are analysed.
  EXPECT_THAT(frames[2], HasSubstr("[                              ] analysing 0/4 logs  ETA -"));
  EXPECT_THAT(frames[3], HasSubstr("analysing 1/4 logs  ETA "));
  EXPECT_THAT(frames[3], Not(HasSubstr("ETA -")));
  EXPECT_THAT(frames[4], HasSubstr("[###############               ] analysing 2/4 logs"));
  EXPECT_THAT(frames[6], HasSubstr("[##############################] analysing 4/4 logs"));
  // Destroyed, it erases its line so the report starts on a clean one.
  EXPECT_EQ(err.str().substr(err.str().size() - 82), "\r" + std::string(80, ' ') + "\r");
}

TEST(ProgressBar, DrawsNothingWhenNeverUpdated) {
  std::ostringstream err;
  { ProgressBar bar(err); }
  EXPECT_EQ(err.str(), "");
}

}  // namespace
}  // namespace perfleak::cli
