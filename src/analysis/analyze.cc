#include "perfleak/analysis.h"

namespace perfleak {

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kOk: return "ok";
    case Verdict::kSuspect: return "suspect";
    case Verdict::kLeak: return "leak";
  }
  return "ok";
}

const char* SensitivityName(Sensitivity sensitivity) {
  switch (sensitivity) {
    case Sensitivity::kLow: return "low";
    case Sensitivity::kDefault: return "default";
    case Sensitivity::kHigh: return "high";
  }
  return "default";
}

Result<Sensitivity> ParseSensitivity(std::string_view text) {
  if (text == "low") return Sensitivity::kLow;
  if (text == "default") return Sensitivity::kDefault;
  if (text == "high") return Sensitivity::kHigh;
  return Status::InvalidArgument("unknown sensitivity '" + std::string(text) +
                                 "'; expected low, default or high");
}

AnalysisOptions AnalysisOptions::ForSensitivity(Sensitivity sensitivity) {
  AnalysisOptions o;
  o.sensitivity = sensitivity;
  return o;
}

Status AnalysisOptions::Validate() const { return Status::OK(); }

std::vector<std::string> AnalysisCounterPatterns() { return {}; }

Result<LogAnalysis> AnalyzeLog(const CounterLog&, const AnalysisOptions&) { return LogAnalysis{}; }

}  // namespace perfleak
