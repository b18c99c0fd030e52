#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "perfleak/analysis.h"

namespace perfleak {
namespace {

TEST(AnalysisOptions, PresetsValidateAndOrder) {
  for (const Sensitivity s : {Sensitivity::kLow, Sensitivity::kDefault, Sensitivity::kHigh}) {
    EXPECT_TRUE(AnalysisOptions::ForSensitivity(s).Validate().ok());
  }
  EXPECT_GT(AnalysisOptions::ForSensitivity(Sensitivity::kLow).min_trend_z,
            AnalysisOptions::ForSensitivity(Sensitivity::kHigh).min_trend_z);
  AnalysisOptions bad;
  bad.min_consistency = 2.0;
  const Status st = bad.Validate();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("min_consistency"), std::string::npos);
  EXPECT_FALSE(AnalyzeLog(CounterLog{}, bad).ok());
}

TEST(AnalysisOptions, ShapeAndShortCaptureOptionsAreValidated) {
  const auto rejects = [](const char* name, void (*set)(AnalysisOptions*)) {
    AnalysisOptions o;
    set(&o);
    const Status st = o.Validate();
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << name;
    EXPECT_NE(st.message().find(name), std::string::npos) << st.message();
  };
  rejects("plateau_", [](AnalysisOptions* o) { o->plateau_min_share = 1.5; });
  rejects("shape_min_bic_gain", [](AnalysisOptions* o) { o->shape_min_bic_gain = NAN; });
  rejects("short_capture_", [](AnalysisOptions* o) { o->short_capture_minutes = -1; });
  rejects("small_process_growth_share",
          [](AnalysisOptions* o) { o->small_process_growth_share = -0.1; });
}

TEST(AnalysisOptions, ParseSensitivityAndNames) {
  EXPECT_EQ(*ParseSensitivity("high"), Sensitivity::kHigh);
  const auto bad = ParseSensitivity("extreme");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'extreme'"), std::string::npos);
  EXPECT_STREQ(VerdictName(Verdict::kSuspect), "suspect");
  EXPECT_STREQ(SensitivityName(Sensitivity::kLow), "low");
}

}  // namespace
}  // namespace perfleak
