#pragma once

namespace perfleak {

/// Semantic version of the tool and library; also written in the JSON report.
inline constexpr const char* kVersion = "0.1.0";

}  // namespace perfleak
