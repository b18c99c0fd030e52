// Judging one series (one counter over one process lifetime): leak, suspect or ok.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "perfleak/analysis.h"

namespace perfleak::internal {

enum class UnitKind : std::uint8_t { kBytes, kHandles, kThreads };

/// The verdict and features of one series; indices refer to the input span.
struct SeriesJudgement {
  Verdict verdict = Verdict::kOk;
  double score = 0.0;
  double slope_per_hour = 0.0;
  double growth = 0.0;
  double start_level = 0.0;
  double end_level = 0.0;  ///< fitted level at the window end
  double relative_growth = 0.0;
  double fit_quality = 0.0;
  double trend_z = 0.0;
  double consistency = 0.0;
  /// Robust slope of the window's last third / whole-window slope; computed only when the
  /// other leak criteria hold (it can only veto a leak), else 0.
  double tail_ratio = 0.0;
  bool used_envelope = false;
  std::size_t window_begin = 0, window_end = 0;  ///< judged samples [begin, end)
  std::vector<std::size_t> change_points;        ///< sample indices where PELT splits
  std::string method;
};

/// Judges (hours, values): finite values, hours non-decreasing. Picks the lower envelope for
/// sawtooth series, finds change points with PELT, and judges the whole series and the
/// trailing windows that start at change points, keeping the strongest.
SeriesJudgement JudgeSeries(std::span<const double> hours, std::span<const double> values,
                            UnitKind unit, const AnalysisOptions& options);

}  // namespace perfleak::internal
