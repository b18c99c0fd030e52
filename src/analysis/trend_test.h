// Trend significance: Mann-Kendall with an autocorrelation correction.
#pragma once

#include <span>

namespace perfleak::internal {

struct MannKendallResult {
  double s = 0.0;                     ///< Kendall's S: concordant minus discordant pairs
  double variance = 0.0;              ///< Var(S) with tie correction and autocorrelation inflation
  double z = 0.0;                     ///< continuity-corrected standard score; 0 when undefined
  double tau = 0.0;                   ///< S / (n(n-1)/2)
  double lag1_autocorrelation = 0.0;  ///< of the detrended series, clamped to [0, 0.98]
};

/// Mann-Kendall trend test (Mann 1945, Kendall 1975) of y in sample order. S is counted in
/// O(n log n) from the inversions of y (ties excluded), or by comparing every pair, branch-free,
/// up to 512 samples, where that is faster; Var(S) uses the tie correction and is
/// inflated by the effective-sample-size factor (1 + r1) / (1 - r1) of an AR(1) process
/// (Bayley & Hammersley 1946; as applied to Mann-Kendall by Yue & Wang 2004), r1 being the
/// lag-1 autocorrelation of y detrended in time, y - slope * x (slope from Theil-Sen). Detrending
/// against time rather than sample index matters: with missing samples an index-based line
/// leaves steps in the residuals that look like strong autocorrelation.
MannKendallResult MannKendall(std::span<const double> y, std::span<const double> x, double slope);

}  // namespace perfleak::internal
