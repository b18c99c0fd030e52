#include "analysis/series_judge.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "analysis/change_point.h"
#include "analysis/growth_shape.h"
#include "analysis/robust_trend.h"
#include "analysis/trend_test.h"

namespace perfleak::internal {

double MinGrowth(UnitKind unit, const AnalysisOptions& o, double level) {
  switch (unit) {
    case UnitKind::kBytes:
      return std::min(o.min_growth_bytes,
                      std::max(o.min_growth_bytes_small, o.small_process_growth_share * level));
    case UnitKind::kHandles:
      return o.min_growth_handles;
    case UnitKind::kThreads:
      return o.min_growth_threads;
  }
  return o.min_growth_bytes;
}

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

double StrengthOf(Verdict verdict, double score) {
  switch (verdict) {
    case Verdict::kLeak:
      return std::clamp((score - 0.5) / 0.5, 0.0, 1.0);
    case Verdict::kSuspect:
      return std::clamp((score - 0.25) / 0.25, 0.0, 1.0);
    case Verdict::kOk:
    case Verdict::kNotJudged:
      break;
  }
  return std::clamp(score / 0.25, 0.0, 1.0);
}

void CapVerdict(Verdict cap, const char* why, SeriesJudgement* j) {
  if (j->verdict <= cap) return;
  j->verdict = cap;
  j->score = ScoreFor(cap, j->strength);
  j->method += std::string("; ") + why;
}

void CapEvidence(Verdict cap, const char* why, Evidence* e) {
  if (e->verdict <= cap) return;
  e->score = ScoreFor(cap, StrengthOf(e->verdict, e->score));
  e->verdict = cap;
  e->method += std::string("; ") + why;
}

namespace {

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

// The judged window: hours from its start and its values.
struct Window {
  std::vector<double> x;
  std::span<const double> y;
  double duration = 0.0;
  double median = 0.0;  ///< of y: the level relative growth is measured against
};

Window Cut(std::span<const double> hours, std::span<const double> signal, std::size_t begin,
           std::size_t end) {
  Window w;
  w.y = signal.subspan(begin, end - begin);
  w.x.resize(end - begin);
  for (std::size_t i = 0; i < w.x.size(); ++i) w.x[i] = hours[begin + i] - hours[begin];
  w.duration = w.x.empty() ? 0.0 : w.x.back();
  w.median = Median(w.y);
  return w;
}

// Consistency: the medians of consecutive parts must keep rising by a fair share of the
// fitted growth, so one step or a warm-up counts for little.
double Consistency(std::span<const double> y, double growth) {
  const std::size_t m = y.size();
  if (!(growth > 0.0)) return 0.0;
  const std::size_t parts = std::clamp<std::size_t>(m / 4, 2, 5);
  std::vector<double> medians(parts);
  for (std::size_t k = 0; k < parts; ++k) {
    const std::size_t b = k * m / parts, e = (k + 1) * m / parts;
    medians[k] = Median(y.subspan(b, e - b));
  }
  const double share = 0.25 * growth / static_cast<double>(parts);
  std::size_t rising = 0;
  for (std::size_t k = 1; k < parts; ++k) rising += medians[k] - medians[k - 1] > share ? 1 : 0;
  return static_cast<double>(rising) / static_cast<double>(parts - 1);
}

// The line: robust slope, levels and growth.
LineFit MeasureLine(const Window& w, SeriesJudgement* j) {
  const LineFit ts = TheilSen(w.x, w.y, 0x5eed + w.y.size());
  j->slope_per_hour = Finite(ts.slope);
  j->start_level = Finite(ts.intercept);
  j->growth = Finite(ts.slope * w.duration);
  j->end_level = j->start_level + j->growth;
  const double level = std::max({std::fabs(j->start_level), std::fabs(w.median), 1e-12});
  j->relative_growth = Finite(j->growth / level);
  return ts;
}

// How well the line fits and how certain the trend is: fit, trend test, consistency.
void MeasureFit(const Window& w, LineFit ts, SeriesJudgement* j) {
  j->fit_quality = RobustR2(w.x, w.y, HuberIrls(w.x, w.y, ts));
  j->trend_z = Finite(MannKendall(w.y, w.x, ts.slope).z);
  j->consistency = Consistency(w.y, j->growth);
}

// The growth floor of the window's level (what LineVerdict compares the growth with).
double WindowFloor(const Window& w, UnitKind unit, const AnalysisOptions& o,
                   const SeriesJudgement& j) {
  return MinGrowth(unit, o, std::max(std::fabs(j.start_level), std::fabs(w.median)));
}

// Robust slope of the window's last third / the whole window's: growth that stopped (warm-up,
// a cache filled) has a flat tail.
double TailRatio(const Window& w, double slope) {
  const std::size_t m = w.y.size();
  if (m < 6 || !(slope > 0.0)) return 0.0;
  const std::size_t tb = m - std::max<std::size_t>(m / 3, 3);
  const std::span<const double> tx = std::span<const double>(w.x).subspan(tb);
  return Finite(TheilSen(tx, w.y.subspan(tb), 0x7a11 + m).slope / slope);
}

// The verdict of the line alone: leak when growth is certain, large enough, spread over the
// window and not flattening; suspect when it is likely. A near-perfect line (clean) needs less
// growth: a slow leak in a quiet process is still a leak.
Verdict LineVerdict(const Window& w, bool envelope, UnitKind unit, const AnalysisOptions& o,
                    SeriesJudgement* j) {
  j->floor = WindowFloor(w, unit, o, *j);
  // Certainty alone would let a stricter preset drop the leak that crashed the machine: a
  // large, clean rise (doubling on a near-perfect line) needs only the default certainty.
  const bool severe = j->trend_z >= o.severe_trend_z &&
                      j->relative_growth >= o.severe_relative_growth &&
                      j->fit_quality >= o.severe_min_fit_quality;
  const bool strong = j->trend_z >= o.min_trend_z || severe;
  const bool steady = j->consistency >= o.min_consistency && j->fit_quality >= o.min_fit_quality;
  const double clean_floor =
      unit == UnitKind::kBytes ? std::min(j->floor, o.min_growth_bytes_small) : j->floor;
  const bool clean = !envelope && steady && j->fit_quality >= o.clean_min_fit_quality &&
                     j->trend_z >= o.clean_min_trend_z && j->growth >= clean_floor &&
                     j->relative_growth >= o.suspect_relative_growth;
  // The clean path's lower floor needs a long window: in a short capture a small rise may be
  // the process settling (heap fragmentation, arenas), so it is a suspect there.
  const bool long_window = w.duration * 60.0 >= o.short_capture_minutes;
  const bool large = (j->growth >= j->floor && j->relative_growth >= o.leak_relative_growth) ||
                     (clean && long_window);
  if (strong && steady && large) {
    j->tail_ratio = TailRatio(w, j->slope_per_hour);
    if (j->tail_ratio >= o.min_tail_ratio) return Verdict::kLeak;
  }
  const bool likely =
      j->trend_z >= o.suspect_trend_z && j->relative_growth >= o.suspect_relative_growth;
  if ((likely && j->growth >= j->floor) || clean) return Verdict::kSuspect;
  // A clean rise under the floor is ok, and the report says it was the floor that decided.
  j->below_floor = strong && steady && likely && j->growth > 0.0;
  return Verdict::kOk;
}

// Shape: a rise that slows to a plateau is warm-up (a cache filling, a heap sizing itself),
// at any length of log, unless its steps keep coming. Windows that rose by their floor are
// looked at, flagged or not, so an ok warm-up is described as one.
void JudgeShape(const Window& w, const AnalysisOptions& o, SeriesJudgement* j) {
  const bool rose = j->growth >= j->floor && j->relative_growth >= o.suspect_relative_growth;
  if (!(IsFlagged(j->verdict) || rose) || w.y.size() < 12) return;
  const GrowthShape s = CompareGrowthShapes(w.x, w.y, o.plateau_min_share);
  if (s.bic_gain < o.shape_min_bic_gain || !(s.rise > 0.0)) return;
  const double tail = s.duration - s.growth_end;
  const bool flat_tail = s.tail_rise_share <= o.plateau_max_tail_rise;
  const bool plateau = flat_tail && tail >= o.plateau_min_share * s.duration &&
                       tail >= o.plateau_min_over_pause * s.longest_pause;
  const bool flattening = flat_tail && s.Curve().kind == ShapeKind::kSaturating &&
                          s.end_slope_ratio <= o.warmup_max_end_slope_ratio;
  if (!plateau && !flattening) return;
  j->plateau = plateau;
  const bool early = s.growth_end <= s.duration / 3.0;
  j->warm_up = flattening || early;
  j->growth_end_hours = s.growth_end;
  // Warm-up is ok; a rise that only stopped late may have been a leak that stopped.
  CapVerdict(j->warm_up ? Verdict::kOk : Verdict::kSuspect,
             j->warm_up ? "the growth slows to a plateau (warm-up)"
                        : "the growth stopped: flat since its end",
             j);
}

// A window too short to see the process's own dynamics: a leak there needs a line that fits
// well or severe growth; the caveat says to collect longer.
void JudgeShortCapture(const Window& w, const AnalysisOptions& o, SeriesJudgement* j) {
  if (w.duration * 60.0 >= o.short_capture_minutes) return;
  j->short_capture = IsFlagged(j->verdict) || j->warm_up || j->plateau;
  const bool severe =
      j->relative_growth >= o.severe_relative_growth && j->fit_quality >= o.severe_min_fit_quality;
  if (j->verdict == Verdict::kLeak && !severe && j->fit_quality < o.short_capture_min_fit_quality) {
    CapVerdict(Verdict::kSuspect, "a short capture with a loose fit", j);
  }
}

// How large the growth is, from the line alone: rate and relative growth.
double Severity(UnitKind unit, const SeriesJudgement& j) {
  const double rate = std::max(j.slope_per_hour, 0.0);
  return 0.7 * (1.0 - std::exp(-rate / SevereRate(unit))) +
         0.3 * std::clamp(j.relative_growth, 0.0, 1.0);
}

void Strength(UnitKind unit, const AnalysisOptions& o, SeriesJudgement* j) {
  const double certainty = 0.5 * std::clamp(j->trend_z / (3.0 * o.min_trend_z), 0.0, 1.0) +
                           0.25 * j->consistency + 0.25 * j->fit_quality;
  j->strength = std::clamp(certainty * Severity(unit, *j), 0.0, 1.0);
  j->score = ScoreFor(j->verdict, j->strength);
}

// Whether a window whose line is measured (MeasureLine) can still come out stronger than
// `best`. Every flagged verdict of LineVerdict needs the growth at its floor (or the clean
// floor) and the relative growth at the suspect or leak share; without them the verdict is
// ok, and an ok window's score is at most ScoreFor(kOk, severity), its certainty being at most
// 1. So this is exact: a window it rules out would not have replaced `best`.
bool MayBeat(const Window& w, UnitKind unit, const AnalysisOptions& o, const SeriesJudgement& j,
             const SeriesJudgement& best) {
  const double floor = WindowFloor(w, unit, o, j);
  const double clean_floor =
      unit == UnitKind::kBytes ? std::min(floor, o.min_growth_bytes_small) : floor;
  const bool may_flag =
      j.growth >= std::min(floor, clean_floor) &&
      j.relative_growth >= std::min(o.suspect_relative_growth, o.leak_relative_growth);
  if (may_flag) return true;
  return best.verdict == Verdict::kOk &&
         ScoreFor(Verdict::kOk, std::clamp(Severity(unit, j), 0.0, 1.0)) > best.score;
}

// Judges the window [begin, end). With `to_beat`, a window that cannot come out stronger than
// it (MayBeat) is not measured beyond its line, and nullopt is returned: the onset windows of
// a steady series are mostly such, and measuring the fit is most of a window's cost.
std::optional<SeriesJudgement> JudgeWindow(std::span<const double> hours,
                                           std::span<const double> signal, std::size_t begin,
                                           std::size_t end, bool envelope, UnitKind unit,
                                           const AnalysisOptions& o,
                                           const SeriesJudgement* to_beat = nullptr) {
  SeriesJudgement j;
  j.window_begin = begin;
  j.window_end = end;
  const Window w = Cut(hours, signal, begin, end);
  const LineFit ts = MeasureLine(w, &j);
  if (to_beat != nullptr && !onset_window_pruning.disabled.load(std::memory_order_relaxed) &&
      !MayBeat(w, unit, o, j, *to_beat)) {
    onset_window_pruning.pruned.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  MeasureFit(w, ts, &j);
  j.verdict = LineVerdict(w, envelope, unit, o, &j);
  Strength(unit, o, &j);
  JudgeShape(w, o, &j);
  JudgeShortCapture(w, o, &j);
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

  best = *JudgeWindow(hours, signal, 0, n, envelope > 0, unit, options);
  // Series that never move by the minimum growth cannot leak: skip the change-point search.
  const auto [low, high] = TwoOrderStatistics(signal, n / 20, n - 1 - n / 20);
  const double spread = high - low;
  if (spread >= 0.5 * best.floor) {
    const std::vector<Segment> segments = PeltLinear(hours.first(n), signal);
    for (const Segment& s : segments) {
      if (s.begin > 0) best.change_points.push_back(s.begin);
    }
    // Growth from the first sample needs no later window; otherwise judge the trailing
    // windows that start at the first few change points (the onset of a late leak).
    // Nor does a warm-up the whole window explains: its later pieces are parts of one curve.
    const bool grows_from_start =
        best.verdict == Verdict::kLeak && !segments.empty() && segments.front().slope > 0.0;
    const bool one_curve = best.warm_up || best.plateau;
    const std::size_t min_window = std::max<std::size_t>(options.min_samples, n / 5);
    std::size_t tried = 0;
    for (const Segment& s : segments) {
      if (grows_from_start || one_curve || tried >= 4) break;
      if (s.begin == 0 || s.begin + min_window > n) continue;
      ++tried;
      std::optional<SeriesJudgement> j =
          JudgeWindow(hours, signal, s.begin, n, envelope > 0, unit, options, &best);
      if (j &&
          (j->verdict > best.verdict || (j->verdict == best.verdict && j->score > best.score))) {
        j->change_points = std::move(best.change_points);
        best = std::move(*j);
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
                ", PELT/MBIC piecewise-linear onset" + best.method;  // then why it was capped
  return best;
}

void DemoteUnobserved(double observed_change, SeriesJudgement* j) {
  if (!IsFlagged(j->verdict)) return;
  // A fitted line can rise through a flat series with spikes; growth that the first and last
  // parts of the window do not show (at least half the minimum) is not reported.
  if (observed_change >= 0.5 * j->floor && observed_change > 0.0) return;
  CapVerdict(Verdict::kOk,
             "the fitted growth is not observed between the window's first and last parts", j);
}

}  // namespace perfleak::internal
