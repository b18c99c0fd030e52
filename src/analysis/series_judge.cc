#include "analysis/series_judge.h"

#include <algorithm>
#include <cmath>

#include "analysis/change_point.h"
#include "analysis/robust_trend.h"
#include "analysis/trend_test.h"

namespace perfleak::internal {

double MinGrowth(UnitKind unit, const AnalysisOptions& o) {
  switch (unit) {
    case UnitKind::kBytes:
      return o.min_growth_bytes;
    case UnitKind::kHandles:
      return o.min_growth_handles;
    case UnitKind::kThreads:
      return o.min_growth_threads;
  }
  return o.min_growth_bytes;
}

namespace {

// Maps the strength v (0..1, certainty x severity) into the verdict's score band, so every
// leak ranks above every suspect and every suspect above every ok.
double ScoreFor(Verdict verdict, double v) {
  switch (verdict) {
    case Verdict::kLeak:
      return 0.5 + 0.5 * v;
    case Verdict::kSuspect:
      return 0.25 + 0.25 * v;
    case Verdict::kOk:
    case Verdict::kNotJudged:
      break;
  }
  return 0.25 * v;
}

// Rate (unit per hour) at which severity reaches 1 - 1/e: a 100 MB/h leak is severe, 2 MB/h
// is not, whatever the certainty.
double SevereRate(UnitKind unit) {
  switch (unit) {
    case UnitKind::kBytes:
      return 100.0 * 1024 * 1024;
    case UnitKind::kHandles:
      return 1000.0;
    case UnitKind::kThreads:
      return 100.0;
  }
  return 1.0;
}

double Finite(double v) { return std::isfinite(v) ? v : 0.0; }

// Sawtooth test: at least three drops far larger than the ordinary step-to-step movement and
// than a fifth of the series' spread. Returns the envelope window (samples) or 0.
std::size_t SawtoothWindow(std::span<const double> y) {
  const std::size_t n = y.size();
  if (n < 12) return 0;
  std::vector<double> d(n - 1);
  for (std::size_t i = 1; i < n; ++i) d[i - 1] = y[i] - y[i - 1];
  const double step = MadSigma(d);
  const auto [p5, p95] = TwoOrderStatistics(y, n * 5 / 100, n * 95 / 100);
  const double spread = p95 - p5;
  const double threshold = std::max(6.0 * step, 0.2 * spread);
  if (!(threshold > 0.0)) return 0;
  std::vector<std::size_t> drops;
  for (std::size_t i = 0; i + 1 < n; ++i) {
    if (d[i] < -threshold) drops.push_back(i);
  }
  if (drops.size() < 3 || drops.size() * 5 > n) return 0;
  std::size_t gap = drops.front() + 1;
  for (std::size_t k = 1; k < drops.size(); ++k) gap = std::max(gap, drops[k] - drops[k - 1]);
  return std::clamp<std::size_t>(gap * 3 / 2, 3, std::max<std::size_t>(3, n / 3));
}

SeriesJudgement JudgeWindow(std::span<const double> hours, std::span<const double> signal,
                            std::size_t begin, std::size_t end, UnitKind unit,
                            const AnalysisOptions& o) {
  SeriesJudgement j;
  j.window_begin = begin;
  j.window_end = end;
  const std::size_t m = end - begin;
  std::vector<double> x(m);
  const std::span<const double> y = signal.subspan(begin, m);
  for (std::size_t i = 0; i < m; ++i) x[i] = hours[begin + i] - hours[begin];
  const double duration = x.empty() ? 0.0 : x.back();
  const LineFit ts = TheilSen(x, y, 0x5eed + m);
  const LineFit huber = HuberIrls(x, y, ts);
  j.slope_per_hour = Finite(ts.slope);
  j.start_level = Finite(ts.intercept);
  j.growth = Finite(ts.slope * duration);
  j.end_level = j.start_level + j.growth;
  j.fit_quality = RobustR2(x, y, huber);
  const double level = std::max({std::fabs(j.start_level), std::fabs(Median(y)), 1e-12});
  j.relative_growth = Finite(j.growth / level);
  j.trend_z = Finite(MannKendall(y, x, ts.slope).z);

  // Consistency: the medians of consecutive parts must keep rising by a fair share of the
  // fitted growth, so one step or a warm-up counts for little.
  const std::size_t parts = std::clamp<std::size_t>(m / 4, 2, 5);
  std::vector<double> medians(parts);
  for (std::size_t k = 0; k < parts; ++k) {
    const std::size_t b = k * m / parts, e = (k + 1) * m / parts;
    medians[k] = Median(y.subspan(b, e - b));
  }
  if (j.growth > 0.0) {
    const double share = 0.25 * j.growth / static_cast<double>(parts);
    std::size_t rising = 0;
    for (std::size_t k = 1; k < parts; ++k) rising += medians[k] - medians[k - 1] > share ? 1 : 0;
    j.consistency = static_cast<double>(rising) / static_cast<double>(parts - 1);
  }
  const double min_growth = MinGrowth(unit, o);
  // Certainty alone would let a stricter preset drop the leak that crashed the machine: a
  // large, clean rise (doubling on a near-perfect line) needs only the default certainty.
  const bool severe = j.trend_z >= o.severe_trend_z &&
                      j.relative_growth >= o.severe_relative_growth &&
                      j.fit_quality >= o.severe_min_fit_quality;
  const bool strong = j.trend_z >= o.min_trend_z || severe;
  const bool leak_shape = strong && j.growth >= min_growth &&
                          j.relative_growth >= o.leak_relative_growth &&
                          j.consistency >= o.min_consistency && j.fit_quality >= o.min_fit_quality;
  // Flattening: growth that stopped (warm-up, cache filled) has a flat tail. Its Theil-Sen fit
  // only matters when everything else says leak, so it is computed only then.
  if (leak_shape && m >= 6 && ts.slope > 0.0) {
    const std::size_t tb = m - std::max<std::size_t>(m / 3, 3);
    std::vector<double> tx(x.begin() + static_cast<std::ptrdiff_t>(tb), x.end());
    const LineFit tfit = TheilSen(tx, y.subspan(tb), 0x7a11 + m);
    j.tail_ratio = Finite(tfit.slope / ts.slope);
  }
  if (leak_shape && j.tail_ratio >= o.min_tail_ratio) {
    j.verdict = Verdict::kLeak;
  } else if (j.trend_z >= o.suspect_trend_z && j.growth >= min_growth &&
             j.relative_growth >= o.suspect_relative_growth) {
    j.verdict = Verdict::kSuspect;
  }
  const double certainty = 0.5 * std::clamp(j.trend_z / (3.0 * o.min_trend_z), 0.0, 1.0) +
                           0.25 * j.consistency + 0.25 * j.fit_quality;
  const double rate = std::max(j.slope_per_hour, 0.0);
  const double severity = 0.7 * (1.0 - std::exp(-rate / SevereRate(unit))) +
                          0.3 * std::clamp(j.relative_growth, 0.0, 1.0);
  j.strength = std::clamp(certainty * severity, 0.0, 1.0);
  j.score = ScoreFor(j.verdict, j.strength);
  return j;
}

}  // namespace

SeriesJudgement JudgeSeries(std::span<const double> hours, std::span<const double> values,
                            UnitKind unit, const AnalysisOptions& options) {
  const std::size_t n = std::min(hours.size(), values.size());
  SeriesJudgement best;
  best.window_end = n;
  if (n < 2) return best;
  std::vector<double> signal(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(n));
  const std::size_t envelope = SawtoothWindow(signal);
  if (envelope > 0) signal = LowerEnvelope(signal, envelope);

  best = JudgeWindow(hours, signal, 0, n, unit, options);
  // Series that never move by the minimum growth cannot leak: skip the change-point search.
  const auto [low, high] = TwoOrderStatistics(signal, n / 20, n - 1 - n / 20);
  const double spread = high - low;
  if (spread >= 0.5 * MinGrowth(unit, options)) {
    const std::vector<Segment> segments = PeltLinear(hours.first(n), signal);
    for (const Segment& s : segments) {
      if (s.begin > 0) best.change_points.push_back(s.begin);
    }
    // Growth from the first sample needs no later window; otherwise judge the trailing
    // windows that start at the first few change points (the onset of a late leak).
    const bool grows_from_start =
        best.verdict == Verdict::kLeak && !segments.empty() && segments.front().slope > 0.0;
    const std::size_t min_window = std::max<std::size_t>(options.min_samples, n / 5);
    std::size_t tried = 0;
    for (const Segment& s : segments) {
      if (grows_from_start || tried >= 4) break;
      if (s.begin == 0 || s.begin + min_window > n) continue;
      ++tried;
      SeriesJudgement j = JudgeWindow(hours, signal, s.begin, n, unit, options);
      if (j.verdict > best.verdict || (j.verdict == best.verdict && j.score > best.score)) {
        j.change_points = std::move(best.change_points);
        best = std::move(j);
      }
    }
  }
  best.used_envelope = envelope > 0;
  if (IsFlagged(best.verdict)) {
    // Forecasts extrapolate this slope: give them its confidence interval on the same points.
    const std::size_t m = best.window_end - best.window_begin;
    std::vector<double> x(m);
    for (std::size_t i = 0; i < m; ++i)
      x[i] = hours[best.window_begin + i] - hours[best.window_begin];
    const SlopeBounds bounds =
        SenSlopeBounds(x, std::span<const double>(signal).subspan(best.window_begin, m),
                       LineFit{best.slope_per_hour, best.start_level}, options.memory.confidence);
    best.slope_low_per_hour = bounds.low;
    best.slope_high_per_hour = bounds.high;
  }
  if (envelope > 0) best.envelope = std::move(signal);  // charts draw what was judged
  best.method = std::string("Theil-Sen slope + Mann-Kendall (AR(1)-corrected) on ") +
                (envelope > 0 ? "the lower envelope (rolling minimum, sawtooth)" : "raw samples") +
                ", PELT/MBIC piecewise-linear onset";
  return best;
}

void DemoteUnobserved(double observed_change, UnitKind unit, const AnalysisOptions& options,
                      SeriesJudgement* j) {
  if (!IsFlagged(j->verdict)) return;
  // A fitted line can rise through a flat series with spikes; growth that the first and last
  // parts of the window do not show (at least half the minimum) is not reported.
  if (observed_change >= 0.5 * MinGrowth(unit, options) && observed_change > 0.0) return;
  j->verdict = Verdict::kOk;
  j->score = ScoreFor(Verdict::kOk, j->strength);
  j->method += "; the fitted growth is not observed between the window's first and last parts";
}

}  // namespace perfleak::internal
