// Judging one series (one counter over one process lifetime): leak, suspect or ok.
#pragma once

#include <atomic>
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
  /// Certainty x severity, 0..1; the score is this mapped into the verdict's band.
  double strength = 0.0;
  /// Sen's confidence bounds of slope_per_hour; computed for leak and suspect only.
  double slope_low_per_hour = 0.0, slope_high_per_hour = 0.0;
  /// Robust slope of the window's last third / whole-window slope; computed only when the
  /// other leak criteria hold (it can only veto a leak), else 0.
  double tail_ratio = 0.0;
  bool used_envelope = false;
  /// Qualifiers of the verdict (AnalysisOptions documents each rule): the window is short
  /// (short_capture); the growth is slowing to a plateau (warm_up) or rose, then stayed flat
  /// (plateau); a clean rise smaller than the growth floor (below_floor).
  bool short_capture = false, warm_up = false, plateau = false, below_floor = false;
  /// With warm_up or plateau: hours from the window start where the fitted curve has done 90 %
  /// of its rise.
  double growth_end_hours = 0.0;
  /// The growth floor this window was held to (MinGrowth at its level).
  double floor = 0.0;
  std::size_t window_begin = 0, window_end = 0;  ///< judged samples [begin, end)
  std::vector<std::size_t> change_points;        ///< sample indices where PELT splits
  /// The lower envelope judged instead of the values (sawtooth series), one value per input
  /// sample; empty when the values themselves were judged.
  std::vector<double> envelope;
  std::string method;
};

/// Test hooks for the pruning of onset windows (MayBeat in series_judge.cc): with `disabled`
/// every window is judged in full, so a test can check that pruning changes no judgement;
/// `pruned` counts the windows pruned, so the test can check it ran.
struct OnsetWindowPruning {
  std::atomic<bool> disabled{false};
  std::atomic<std::uint64_t> pruned{0};
};
inline OnsetWindowPruning onset_window_pruning;

/// Growth too small to matter whatever its shape, in the unit's own terms (options). For bytes
/// it is min_growth_bytes, lowered for small processes to small_process_growth_share of their
/// `level` (never below min_growth_bytes_small): 3 MB is a quarter of an 8 MB process.
double MinGrowth(UnitKind unit, const AnalysisOptions& options, double level);

/// Maps a strength (0..1) into the verdict's score band, so every leak ranks above every
/// suspect and every suspect above every ok.
double ScoreFor(Verdict verdict, double strength);
/// The strength a score in the verdict's band came from (ScoreFor's inverse).
double StrengthOf(Verdict verdict, double score);

/// Judges (hours, values): finite values, hours non-decreasing. Picks the lower envelope for
/// sawtooth series, finds change points with PELT, and judges the whole series and the
/// trailing windows that start at change points, keeping the strongest.
SeriesJudgement JudgeSeries(std::span<const double> hours, std::span<const double> values,
                            UnitKind unit, const AnalysisOptions& options);

/// Turns a leak or suspect into ok when the observed change over its window (ObserveWindow on
/// the raw samples) does not show the growth: under half its floor, or not positive.
void DemoteUnobserved(double observed_change, SeriesJudgement* j);

/// Lowers a verdict to at most `cap` (the score moves into the new band), noting why in the
/// method; a verdict already at or below `cap` is left alone.
void CapVerdict(Verdict cap, const char* why, SeriesJudgement* j);
/// The same for evidence already built (cross-counter and by-design rules), its score moved
/// from its band into the new one.
void CapEvidence(Verdict cap, const char* why, Evidence* e);

}  // namespace perfleak::internal
