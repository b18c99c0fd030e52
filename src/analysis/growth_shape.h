// Growth shapes: is a rise sustained (a line) or slowing down (an approach to a plateau, a rise
// then flat)? Three least-squares models of the judged window, compared by an information
// criterion on the autocorrelation-corrected sample size.
#pragma once

#include <cstdint>
#include <limits>
#include <span>

namespace perfleak::internal {

enum class ShapeKind : std::uint8_t {
  kLine,        ///< a + b x: sustained growth
  kSaturating,  ///< a + b (1 - exp(-x / scale)): exponential approach to a plateau (warm-up)
  kPlateau,     ///< a + b min(x, scale): a rise, then flat from x = scale
};

/// One fitted model; x in hours from the window start.
struct ShapeFit {
  ShapeKind kind = ShapeKind::kLine;
  double a = 0.0, b = 0.0;
  double scale = 0.0;  ///< tau (saturating) or the end of the rise (plateau), hours
  double rss = std::numeric_limits<double>::infinity();
  double bic = std::numeric_limits<double>::infinity();
  double At(double x) const;
};

/// The three fits of one window and what separates them.
struct GrowthShape {
  ShapeFit line, saturating, plateau;
  /// line.bic minus the better curve's bic: positive favours slowing growth. Schwarz's BIC
  /// (1978) with n replaced by n (1 - rho) / (1 + rho), rho the lag-1 autocorrelation of the
  /// best model's residuals, so smooth noise does not pass for evidence.
  double bic_gain = 0.0;
  double duration = 0.0;         ///< hours from the first to the last sample
  double rise = 0.0;             ///< the better curve's rise over the window (> 0 when fitted)
  double growth_end = 0.0;       ///< hours where the curve has done 90 % of its rise (<= duration)
  double end_slope_ratio = 1.0;  ///< the curve's slope at the window end / its mean slope
  /// The tail (from growth_end, or at least the last `min_tail_share` of the window): its
  /// observed rise (median of its last fifth minus median of its first) as a share of
  /// the curve's rise, and the longest pause (flat stretch) seen before growth_end, in hours.
  /// A staircase pauses between steps; a plateau is only believable when it is long against
  /// those pauses and does not rise.
  double tail_rise_share = 0.0;
  double longest_pause = 0.0;

  const ShapeFit& Curve() const { return plateau.bic < saturating.bic ? plateau : saturating; }
};

/// Fits the three models to (x, y); x non-decreasing hours, at least 8 points, finite values.
/// Curves are fitted over grids of their scale (geometric for tau, the sample quantiles for the
/// plateau's start), each a linear least-squares problem; only rising curves are kept.
GrowthShape CompareGrowthShapes(std::span<const double> x, std::span<const double> y,
                                double min_tail_share);

}  // namespace perfleak::internal
