#include "analysis/growth_shape.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "analysis/robust_trend.h"

namespace perfleak::internal {

namespace {

// The model's shape with a = 0, b = 1.
double Basis(ShapeKind kind, double scale, double x) {
  switch (kind) {
    case ShapeKind::kLine:
      return x;
    case ShapeKind::kSaturating:
      return 1.0 - std::exp(-x / scale);
    case ShapeKind::kPlateau:
      return std::min(x, scale);
  }
  return x;
}

}  // namespace

double ShapeFit::At(double x) const { return a + b * Basis(kind, scale, x); }

namespace {

// Least squares of y on [1, g]: a model linear in its two coefficients once the scale is fixed.
ShapeFit FitBasis(ShapeKind kind, double scale, std::span<const double> x,
                  std::span<const double> y) {
  ShapeFit fit;
  fit.kind = kind;
  fit.scale = scale;
  const std::size_t n = y.size();
  std::vector<double> g(n);
  double mg = 0.0, my = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    g[i] = Basis(kind, scale, x[i] - x.front());
    mg += g[i];
    my += y[i];
  }
  mg /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sgg = 0.0, sgy = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    sgg += (g[i] - mg) * (g[i] - mg);
    sgy += (g[i] - mg) * (y[i] - my);
  }
  fit.b = sgg > 0.0 ? sgy / sgg : 0.0;
  fit.a = my - fit.b * mg;
  fit.rss = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double r = y[i] - fit.a - fit.b * g[i];
    fit.rss += r * r;
  }
  return fit;
}

// The rising curve of `kind` with the least squares over its scale grid; rss infinite if none.
ShapeFit BestCurve(ShapeKind kind, std::span<const double> x, std::span<const double> y) {
  ShapeFit best;
  best.kind = kind;
  const double duration = x.back() - x.front();
  const std::size_t n = x.size();
  constexpr int kGrid = 32;
  for (int k = 0; k < kGrid; ++k) {
    double scale = 0.0;
    if (kind == ShapeKind::kSaturating) {
      // tau from a fiftieth of the window (a step) to twice it (almost a line).
      scale = duration * 0.02 * std::pow(100.0, static_cast<double>(k) / (kGrid - 1));
    } else {
      // The rise ends between 5 % and 95 % of the samples.
      const std::size_t i = n / 20 + (n * 9 / 10) * static_cast<std::size_t>(k) / (kGrid - 1);
      scale = x[std::min(i, n - 1)] - x.front();
    }
    if (!(scale > 0.0)) continue;
    ShapeFit fit = FitBasis(kind, scale, x, y);
    if (fit.b > 0.0 && fit.rss < best.rss) best = fit;
  }
  return best;
}

double Lag1Autocorrelation(const ShapeFit& fit, std::span<const double> x,
                           std::span<const double> y) {
  double num = 0.0, den = 0.0, prev = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double r = y[i] - fit.At(x[i] - x.front());
    den += r * r;
    if (i > 0) num += r * prev;
    prev = r;
  }
  return den > 0.0 ? num / den : 0.0;
}

// Longest stretch (hours) of consecutive points before index `end` whose values stay within
// `tolerance` of each other: the pauses of a staircase.
double LongestPause(std::span<const double> x, std::span<const double> y, std::size_t end,
                    double tolerance) {
  double longest = 0.0;
  for (std::size_t i = 0; i < end; ++i) {
    double lo = y[i], hi = y[i];
    std::size_t j = i + 1;
    for (; j < end; ++j) {
      lo = std::min(lo, y[j]);
      hi = std::max(hi, y[j]);
      if (hi - lo > tolerance) break;
    }
    longest = std::max(longest, x[j - 1] - x[i]);
    if (j == end) break;
  }
  return longest;
}

// Fills the curve's description: where its growth ends, its end slope, and whether the data
// after that point really stay flat.
void DescribeCurve(std::span<const double> x, std::span<const double> y, double min_tail_share,
                   GrowthShape* s) {
  const ShapeFit& c = s->Curve();
  const double d = s->duration;
  if (c.kind == ShapeKind::kSaturating) {
    const double e = std::exp(-d / c.scale);
    s->rise = c.b * (1.0 - e);
    s->growth_end = std::min(d, c.scale * std::log(10.0));
    s->end_slope_ratio = e > 0.0 ? (d / c.scale) * e / (1.0 - e) : 0.0;
  } else {
    s->rise = c.b * std::min(c.scale, d);
    s->growth_end = std::min(c.scale, d);
    s->end_slope_ratio = 0.0;
  }
  const std::size_t n = x.size();
  const double tail_start = std::min(s->growth_end, d * (1.0 - min_tail_share));
  std::size_t tail = 0;
  while (tail < n && x[tail] - x.front() < tail_start) ++tail;
  if (n - tail >= 5 && s->rise > 0.0) {
    // Edge medians, not a robust slope: a median of pairwise slopes is zero across one late
    // step of a staircase, since most pairs lie within its flats.
    const double change = ObserveWindow(y.subspan(tail), 0.2).change();
    s->tail_rise_share = std::max(0.0, change) / s->rise;
  } else {
    s->tail_rise_share = 1.0;  // no tail to speak of: nothing says the growth stopped
  }
  std::vector<double> steps(n - 1);
  for (std::size_t i = 1; i < n; ++i) steps[i - 1] = y[i] - y[i - 1];
  const double noise = MadSigma(steps) / std::sqrt(2.0);
  std::size_t end = 0;
  while (end < n && x[end] - x.front() < s->growth_end) ++end;
  s->longest_pause = LongestPause(x, y, end, std::max(4.0 * noise, 0.05 * s->rise));
}

}  // namespace

GrowthShape CompareGrowthShapes(std::span<const double> x, std::span<const double> y,
                                double min_tail_share) {
  GrowthShape s;
  const std::size_t n = std::min(x.size(), y.size());
  if (n < 8) return s;
  x = x.first(n);
  y = y.first(n);
  s.duration = x.back() - x.front();
  s.line = FitBasis(ShapeKind::kLine, 0.0, x, y);
  s.saturating = BestCurve(ShapeKind::kSaturating, x, y);
  s.plateau = BestCurve(ShapeKind::kPlateau, x, y);
  if (!(s.duration > 0.0)) return s;

  const ShapeFit* best = &s.line;
  for (const ShapeFit* f : {&s.saturating, &s.plateau}) best = f->rss < best->rss ? f : best;
  const double rho = std::clamp(Lag1Autocorrelation(*best, x, y), 0.0, 0.95);
  const double n_eff = std::max(3.0, static_cast<double>(n) * (1.0 - rho) / (1.0 + rho));
  // A floor under the variance so an exact fit (quantized or synthetic data) stays finite.
  const double floor = 1e-12 * (s.line.rss / static_cast<double>(n)) + 1e-300;
  const auto bic = [&](ShapeFit* f, double k) {
    if (std::isfinite(f->rss)) {
      f->bic = n_eff * std::log(f->rss / static_cast<double>(n) + floor) + k * std::log(n_eff);
    }
  };
  bic(&s.line, 2.0);
  bic(&s.saturating, 3.0);
  bic(&s.plateau, 3.0);
  if (!std::isfinite(s.Curve().bic)) return s;
  s.bic_gain = s.line.bic - s.Curve().bic;
  DescribeCurve(x, y, min_tail_share, &s);
  return s;
}

}  // namespace perfleak::internal
