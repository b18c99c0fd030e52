#include "report/chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>

#include "analysis/min_max_buckets_internal.h"
#include "perfleak/time_format.h"
#include "report/finding_text.h"

namespace perfleak::internal {

namespace {

// Detail chart geometry in CSS pixels; the plot is one bucket per pixel column.
constexpr double kWidth = 760, kHeight = 290;
constexpr double kLeft = 72, kRight = 18, kTop = 30, kBottom = 46;
constexpr std::size_t kPlotColumns = 670;  // kWidth - kLeft - kRight
constexpr double kSparkWidth = 180, kSparkHeight = 40;
constexpr std::size_t kSparkColumns = 90;

struct Segment {
  std::size_t begin = 0, end = 0;  // samples [begin, end)
};

// The sample ranges of `log` to draw: one per lifetime (so restarts break the line), else the
// log. Lifetimes are placed by their times when they have them: a batch report keeps the log
// thinned, and the lifetimes' indices are those of the analysed log.
std::vector<Segment> SegmentsOf(const Finding& finding, const CounterLog& log) {
  const std::size_t samples = log.num_samples();
  const std::vector<Ticks>& times = log.time_utc;
  std::vector<Segment> segments;
  for (const Lifetime& life : finding.lifetimes) {
    Segment s{life.first_sample, std::min(life.last_sample + 1, samples)};
    if (life.last_utc > 0 && life.last_utc >= life.first_utc) {
      s.begin = static_cast<std::size_t>(
          std::lower_bound(times.begin(), times.end(), life.first_utc) - times.begin());
      s.end = static_cast<std::size_t>(std::upper_bound(times.begin(), times.end(), life.last_utc) -
                                       times.begin());
    }
    if (s.begin < s.end) segments.push_back(s);
  }
  if (segments.empty() && samples > 0) segments.push_back({0, samples});
  return segments;
}

// Checks that the evidence points at a usable column; the analysis and the log come from
// different places, so nothing is assumed.
bool SeriesAvailable(const LogReport& log, const Evidence& evidence, std::string* why_not) {
  if (!log.log) {
    *why_not = "The log was not kept in memory for this report, so there is no chart.";
    return false;
  }
  const CounterLog& c = *log.log;
  if (evidence.column >= c.columns.size() || c.columns[evidence.column].size() != c.num_samples() ||
      c.time_local.size() != c.num_samples()) {
    *why_not = "The counter's series is not in the log, so there is no chart.";
    return false;
  }
  if (c.num_samples() < 2) {
    *why_not = "The log has fewer than two samples, so there is no chart.";
    return false;
  }
  return true;
}

struct Scale {
  Ticks t0 = 0, t1 = 1;
  double v0 = 0, v1 = 1;
  double left = 0, top = 0, width = 1, height = 1;

  double X(Ticks t) const {
    return left + static_cast<double>(t - t0) / static_cast<double>(t1 - t0) * width;
  }
  double Y(double v) const { return top + height - (v - v0) / (v1 - v0) * height; }
  double ColumnX(std::size_t column, std::size_t columns) const {
    return left + (static_cast<double>(column) + 0.5) * width / static_cast<double>(columns);
  }
};

// Appends the min/max path of the buckets as one sub-path (gaps are split off before, by
// SplitAtGaps: a sparse log's samples are many pixels apart and still one line).
void AppendPath(const std::vector<MinMaxBucket>& buckets, const Scale& scale, std::size_t columns,
                std::string* d) {
  bool first = true;
  for (const MinMaxBucket& b : buckets) {
    const double x = scale.ColumnX(b.column, columns);
    const double ya = scale.Y(b.min_first ? b.min : b.max);
    const double yb = scale.Y(b.min_first ? b.max : b.min);
    fmt::format_to(std::back_inserter(*d), "{}{:.1f},{:.1f}", first ? "M" : "L", x, ya);
    if (yb != ya) fmt::format_to(std::back_inserter(*d), "L{:.1f},{:.1f}", x, yb);
    first = false;
  }
}

// Downsamples each gap-free run of the segments for one line (restarts and gaps break it).
std::vector<std::vector<MinMaxBucket>> SeriesRuns(std::span<const Ticks> times,
                                                  std::span<const double> values,
                                                  const std::vector<Segment>& segments,
                                                  const Scale& scale, std::size_t columns) {
  std::vector<std::vector<MinMaxBucket>> runs;
  for (const Segment& s : segments) {
    for (const SampleRun& r : SplitAtGaps(times, values, s.begin, s.end)) {
      runs.push_back(MinMaxDownsample(times, values, r.begin, r.end, scale.t0, scale.t1, columns));
    }
  }
  return runs;
}

// A column logged in another unit than its evidence's (SQL Server's KB counters, judged in
// bytes) is drawn in the evidence's unit, like its fitted trend.
void ScaleBuckets(double factor, std::vector<std::vector<MinMaxBucket>>* runs) {
  if (factor == 1.0) return;
  for (auto& run : *runs) {
    for (MinMaxBucket& b : run) b.min *= factor, b.max *= factor;
  }
}

struct UnitScale {
  double divisor = 1;
  std::string suffix;
};

// Counts carry no suffix on the ticks (it would not fit the margin); the axis title names them.
UnitScale ChooseUnit(std::string_view unit, double magnitude) {
  if (unit != "bytes") return {1, ""};
  static constexpr std::array<const char*, 5> kUnits = {" B", " KB", " MB", " GB", " TB"};
  double divisor = 1;
  std::size_t unit_idx = 0;
  while (magnitude / divisor >= 1024 && unit_idx + 1 < kUnits.size()) {
    divisor *= 1024;
    ++unit_idx;
  }
  return {divisor, kUnits[unit_idx]};
}

std::string TickLabel(double value, double step) {
  const int decimals = step >= 1 ? 0 : std::min(6, static_cast<int>(std::ceil(-std::log10(step))));
  return fmt::format("{:.{}f}", value, decimals);
}

// Local-time tick steps a reader expects (minutes, hours, days).
constexpr std::array<Ticks, 16> kTimeSteps = {
    kTicksPerSecond * 60,   kTicksPerSecond * 120,  kTicksPerSecond * 300,
    kTicksPerSecond * 600,  kTicksPerSecond * 900,  kTicksPerSecond * 1800,
    kTicksPerHour,          2 * kTicksPerHour,      3 * kTicksPerHour,
    6 * kTicksPerHour,      12 * kTicksPerHour,     24 * kTicksPerHour,
    48 * kTicksPerHour,     7 * 24 * kTicksPerHour, 14 * 24 * kTicksPerHour,
    28 * 24 * kTicksPerHour};

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::vector<MinMaxBucket> MinMaxDownsample(std::span<const Ticks> times,
                                           std::span<const double> values, std::size_t begin,
                                           std::size_t end, Ticks t0, Ticks t1,
                                           std::size_t columns) {
  std::vector<MinMaxBucket> buckets;
  end = std::min({end, times.size(), values.size()});
  if (columns == 0 || begin >= end) return buckets;
  const double span = static_cast<double>(std::max<Ticks>(t1 - t0, 1));
  const auto column_of = [&](std::size_t sample_idx) {
    const double position = static_cast<double>(times[sample_idx] - t0) / span;
    const double scaled = std::clamp(position, 0.0, 1.0) * static_cast<double>(columns);
    return std::min(static_cast<std::size_t>(scaled), columns - 1);
  };
  ForEachMinMaxBucket(
      values, begin, end, [](double v) { return std::isfinite(v); }, column_of,
      [&](const MinMaxExtremes& e) {
        buckets.push_back(MinMaxBucket{e.bucket, e.min, e.max, e.min_first()});
      });
  return buckets;
}

std::vector<SampleRun> SplitAtGaps(std::span<const Ticks> times, std::span<const double> values,
                                   std::size_t begin, std::size_t end) {
  std::vector<SampleRun> runs;
  end = std::min({end, times.size(), values.size()});
  std::vector<Ticks> steps;
  std::size_t previous = end;  // last finite sample seen
  for (std::size_t i = begin; i < end; ++i) {
    if (!std::isfinite(values[i])) continue;
    if (previous != end) steps.push_back(times[i] - times[previous]);
    previous = i;
  }
  if (previous == end) return runs;
  Ticks limit = std::numeric_limits<Ticks>::max();
  if (!steps.empty()) {
    std::nth_element(steps.begin(), steps.begin() + static_cast<std::ptrdiff_t>(steps.size() / 2),
                     steps.end());
    const Ticks median = std::max<Ticks>(steps[steps.size() / 2], 1);
    limit = median * static_cast<Ticks>(kGapIntervals);
  }
  previous = end;
  for (std::size_t i = begin; i < end; ++i) {
    if (!std::isfinite(values[i])) continue;
    if (previous == end || times[i] - times[previous] > limit) {
      if (previous != end) runs.back().end = previous + 1;
      runs.push_back({i, i + 1});
    }
    previous = i;
  }
  runs.back().end = previous + 1;
  return runs;
}

std::vector<double> NiceTicks(double lo, double hi, std::size_t target) {
  std::vector<double> ticks;
  if (!std::isfinite(lo) || !std::isfinite(hi) || target == 0) return ticks;
  if (hi <= lo) hi = lo + 1;
  const double raw = (hi - lo) / static_cast<double>(target);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / power;
  const double step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
  for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    ticks.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
    if (ticks.size() > 4 * target) break;
  }
  return ticks;
}

std::string TimeGrid(const LogReport& log, Ticks t0, Ticks t1, double left, double width,
                     double top, double bottom) {
  std::string svg;
  auto out = std::back_inserter(svg);
  t1 = std::max(t1, t0 + 1);
  const Ticks offset = LocalTimeOf(log, t0) - t0;
  const Ticks span = t1 - t0;
  Ticks step = kTimeSteps.back();
  for (Ticks candidate : kTimeSteps) {
    if (span / candidate <= 7) {
      step = candidate;
      break;
    }
  }
  const Ticks first_local = t0 + offset;
  Ticks tick_local = (first_local / step + (first_local % step != 0 ? 1 : 0)) * step;
  const bool multi_day = span > 20 * kTicksPerHour;
  for (int count = 0; tick_local - offset <= t1 && count < 12; tick_local += step, ++count) {
    const double x =
        left + static_cast<double>(tick_local - offset - t0) / static_cast<double>(span) * width;
    const std::string full = FormatLocal(tick_local);
    const std::string label = step >= 24 * kTicksPerHour ? full.substr(5, 5)
                              : multi_day                ? full.substr(5, 11)
                                                         : full.substr(11, 5);
    fmt::format_to(out,
                   "<line class=\"grid\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.0f}\" y2=\"{:.0f}\"/>"
                   "<text class=\"xlab\" x=\"{:.1f}\" y=\"{:.0f}\">{}</text>\n",
                   x, x, top, bottom, x, bottom + 16, label);
  }
  return svg;
}

namespace {

// What the detail chart draws, in plot coordinates: the series' runs, their scale and the
// y-axis ticks in the unit chosen for them.
struct DetailPlot {
  std::vector<Segment> segments;
  Scale scale;
  std::vector<std::vector<MinMaxBucket>> series;
  bool envelope = false;  // the analysis's lower envelope is drawn too
  UnitScale unit;
  std::vector<double> y_ticks;
};

// The series, envelope and trend decide the value range; nullopt (with `why_not`) when the
// counter has no valid sample to draw.
std::optional<DetailPlot> PlanDetailChart(const LogReport& log, const Finding& finding,
                                          const Evidence& evidence, std::string* why_not) {
  const CounterLog& c = *log.log;
  const std::span<const Ticks> times = c.time_utc;
  const std::span<const double> values = c.column(evidence.column);
  DetailPlot plot;
  plot.segments = SegmentsOf(finding, c);
  Scale& scale = plot.scale;
  scale.left = kLeft;
  scale.top = kTop;
  scale.width = kWidth - kLeft - kRight;
  scale.height = kHeight - kTop - kBottom;
  scale.t0 = times[plot.segments.front().begin];
  scale.t1 = std::max(times[plot.segments.back().end - 1], scale.t0 + 1);

  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  plot.series = SeriesRuns(times, values, plot.segments, scale, kPlotColumns);
  ScaleBuckets(evidence.column_scale, &plot.series);
  for (const auto& run : plot.series) {
    for (const MinMaxBucket& b : run) lo = std::min(lo, b.min), hi = std::max(hi, b.max);
  }
  // The envelope the analysis judged (block medians' lower envelope), never one of our own.
  plot.envelope = evidence.used_envelope && !evidence.envelope.empty();
  for (const SignalPoint& p : plot.envelope ? evidence.envelope : std::vector<SignalPoint>{}) {
    if (std::isfinite(p.v)) lo = std::min(lo, p.v), hi = std::max(hi, p.v);
  }
  if (!std::isfinite(lo)) {
    *why_not = "The counter has no valid samples in this window, so there is no chart.";
    return std::nullopt;
  }
  for (const TrendSegment& t : evidence.trend) {
    if (std::isfinite(t.v0)) lo = std::min(lo, t.v0), hi = std::max(hi, t.v0);
    if (std::isfinite(t.v1)) lo = std::min(lo, t.v1), hi = std::max(hi, t.v1);
  }
  const double pad = (hi - lo) * 0.06 + (hi == lo ? std::max(1.0, std::fabs(hi) * 0.05) : 0.0);
  plot.unit = ChooseUnit(evidence.unit, std::max(std::fabs(lo), std::fabs(hi)));
  plot.y_ticks = NiceTicks((lo - pad) / plot.unit.divisor, (hi + pad) / plot.unit.divisor, 5);
  const std::vector<double>& y_ticks = plot.y_ticks;
  scale.v0 = std::min(lo - pad, y_ticks.empty() ? lo : y_ticks.front() * plot.unit.divisor);
  scale.v1 = std::max(hi + pad, y_ticks.empty() ? hi : y_ticks.back() * plot.unit.divisor);
  return plot;
}

// The y grid and labels in the series' unit, the x grid at round local times, the axis title.
void AppendDetailAxes(const LogReport& log, const Evidence& evidence, const DetailPlot& plot,
                      std::string* svg) {
  auto out = std::back_inserter(*svg);
  const Scale& scale = plot.scale;
  const std::vector<double>& y_ticks = plot.y_ticks;
  const double y_step = y_ticks.size() > 1 ? y_ticks[1] - y_ticks[0] : 1.0;
  for (double tick : y_ticks) {
    const double y = scale.Y(tick * plot.unit.divisor);
    fmt::format_to(out,
                   "<line class=\"grid\" x1=\"{:.0f}\" x2=\"{:.0f}\" y1=\"{:.1f}\" y2=\"{:.1f}\"/>"
                   "<text class=\"ylab\" x=\"{:.0f}\" y=\"{:.1f}\">{}{}</text>\n",
                   kLeft, kLeft + scale.width, y, y, kLeft - 6, y + 4, TickLabel(tick, y_step),
                   HtmlEscape(plot.unit.suffix));
  }
  if (plot.unit.suffix.empty() && !evidence.unit.empty()) {
    fmt::format_to(out, "<text class=\"ylab\" x=\"{:.0f}\" y=\"{:.0f}\">{}</text>\n", kLeft - 6,
                   kTop - 8, HtmlEscape(evidence.unit));
  }
  const Ticks offset = LocalTimeOf(log, scale.t0) - scale.t0;
  *svg += TimeGrid(log, scale.t0, scale.t1, kLeft, scale.width, kTop, kTop + scale.height);
  const Ticks offset_minutes = offset / (60 * kTicksPerSecond);
  fmt::format_to(out,
                 "<text class=\"axis\" x=\"{:.0f}\" y=\"{:.0f}\">local time of the log "
                 "(UTC{}{:02d}:{:02d}), from {}</text>\n",
                 kLeft + scale.width / 2, kHeight - 6, offset_minutes < 0 ? "-" : "+",
                 std::abs(offset_minutes) / 60, std::abs(offset_minutes) % 60,
                 FormatLocalMinutes(scale.t0 + offset));
}

// Restarts, change points and the onset, drawn behind the data. Returns how many change points
// are drawn only on demand: the ones that matter are where a judged window starts; a sawtooth
// has dozens more (class cp-more, shown by the toggle under the chart).
std::size_t AppendDetailMarks(const LogReport& log, const Evidence& evidence,
                              const DetailPlot& plot, std::string* svg) {
  auto out = std::back_inserter(*svg);
  const Scale& scale = plot.scale;
  const std::vector<Ticks>& times = log.log->time_utc;
  for (std::size_t k = 1; k < plot.segments.size(); ++k) {
    const double x = scale.X(times[plot.segments[k].begin]);
    fmt::format_to(out,
                   "<line class=\"restart\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.0f}\" "
                   "y2=\"{:.0f}\"/><text class=\"mark restart-t\" x=\"{:.1f}\" y=\"{:.0f}\">"
                   "restart</text>\n",
                   x, x, kTop, kTop + scale.height, x + 3, kTop + 11);
  }
  std::size_t more_change_points = 0;
  for (Ticks cp : evidence.change_points) {
    if (cp < scale.t0 || cp > scale.t1 || (evidence.onset_utc && cp == *evidence.onset_utc)) {
      continue;
    }
    const bool starts_window = std::any_of(evidence.trend.begin(), evidence.trend.end(),
                                           [&](const TrendSegment& t) { return t.t0 == cp; });
    more_change_points += starts_window ? 0 : 1;
    const double x = scale.X(cp);
    fmt::format_to(out,
                   "<line class=\"{}\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.0f}\" "
                   "y2=\"{:.0f}\"/>\n",
                   starts_window ? "cp" : "cp cp-more", x, x, kTop, kTop + scale.height);
  }
  if (evidence.onset_utc && *evidence.onset_utc >= scale.t0 && *evidence.onset_utc <= scale.t1) {
    const double x = scale.X(*evidence.onset_utc);
    const bool flip = x > kLeft + scale.width * 0.8;
    fmt::format_to(out,
                   "<line class=\"onset\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.0f}\" "
                   "y2=\"{:.0f}\"/><text class=\"mark onset-t\" x=\"{:.1f}\" y=\"{:.0f}\"{}>"
                   "onset {}</text>\n",
                   x, x, kTop, kTop + scale.height, flip ? x - 4 : x + 4, kTop + 24,
                   flip ? " text-anchor=\"end\"" : "",
                   FormatLocalShort(log, LocalTimeOf(log, *evidence.onset_utc)));
  }
  return more_change_points;
}

// The data: the series, the judged envelope, the fitted trend and the limit.
void AppendDetailLines(const Evidence& evidence, const DetailPlot& plot, std::string* svg) {
  auto out = std::back_inserter(*svg);
  const Scale& scale = plot.scale;
  std::string d;
  for (const auto& buckets : plot.series) AppendPath(buckets, scale, kPlotColumns, &d);
  fmt::format_to(out, "<path class=\"series\" d=\"{}\"/>\n", d);
  if (plot.envelope) {
    d.clear();
    bool move = true;
    for (const SignalPoint& p : evidence.envelope) {
      if (!std::isfinite(p.v) || p.t < scale.t0 || p.t > scale.t1) {
        move = true;  // a NaN point separates lifetimes
        continue;
      }
      fmt::format_to(std::back_inserter(d), "{}{:.1f},{:.1f}", move ? "M" : "L", scale.X(p.t),
                     scale.Y(p.v));
      move = false;
    }
    fmt::format_to(out, "<path class=\"envelope\" d=\"{}\"/>\n", d);
  }
  for (const TrendSegment& t : evidence.trend) {
    if (!std::isfinite(t.v0) || !std::isfinite(t.v1)) continue;
    const Ticks a = std::clamp(t.t0, scale.t0, scale.t1);
    const Ticks b = std::clamp(t.t1, scale.t0, scale.t1);
    fmt::format_to(
        out, "<line class=\"trend\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>\n",
        scale.X(a), scale.Y(t.v0), scale.X(b), scale.Y(t.v1));
  }
  if (evidence.limit && std::isfinite(*evidence.limit) && *evidence.limit <= scale.v1 &&
      *evidence.limit >= scale.v0) {
    const double y = scale.Y(*evidence.limit);
    fmt::format_to(out,
                   "<line class=\"limit\" x1=\"{:.0f}\" x2=\"{:.0f}\" y1=\"{:.1f}\" y2=\"{:.1f}\"/>"
                   "<text class=\"mark\" x=\"{:.0f}\" y=\"{:.1f}\">limit</text>\n",
                   kLeft, kLeft + scale.width, y, y, kLeft + 4, y - 4);
  }
}

// The legend names only what is drawn.
void AppendDetailLegend(const Evidence& evidence, const DetailPlot& plot,
                        std::size_t more_change_points, std::string* svg) {
  double lx = kLeft;
  const auto legend = [&](const char* cls, std::string_view label) {
    fmt::format_to(std::back_inserter(*svg),
                   "<line class=\"{}\" x1=\"{:.0f}\" x2=\"{:.0f}\" y1=\"14\" y2=\"14\"/>"
                   "<text class=\"legend\" x=\"{:.0f}\" y=\"18\">{}</text>\n",
                   cls, lx, lx + 18, lx + 22, HtmlEscape(label));
    lx += 30 + 6.5 * static_cast<double>(label.size());
  };
  legend("series", evidence.counter);
  if (!evidence.trend.empty()) legend("trend", "fitted trend");
  if (plot.envelope) legend("envelope", "lower envelope judged");
  if (evidence.onset_utc) legend("onset", "onset");
  if (plot.segments.size() > 1) legend("restart", "restart");
  if (more_change_points < evidence.change_points.size()) legend("cp", "change point");
}

}  // namespace

std::string RenderDetailChart(const LogReport& log, const Finding& finding,
                              const Evidence& evidence, std::string* why_not) {
  if (!SeriesAvailable(log, evidence, why_not)) return {};
  const std::optional<DetailPlot> plot = PlanDetailChart(log, finding, evidence, why_not);
  if (!plot) return {};
  std::string svg;
  svg.reserve(32 * 1024);
  auto out = std::back_inserter(svg);
  fmt::format_to(out,
                 "<svg class=\"chart\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" "
                 "aria-label=\"{} over time\">\n",
                 kWidth, kHeight, HtmlEscape(evidence.counter));
  fmt::format_to(out,
                 "<rect class=\"plot\" x=\"{:.0f}\" y=\"{:.0f}\" width=\"{:.0f}\" "
                 "height=\"{:.0f}\"/>\n",
                 kLeft, kTop, plot->scale.width, plot->scale.height);
  AppendDetailAxes(log, evidence, *plot, &svg);
  const std::size_t more_change_points = AppendDetailMarks(log, evidence, *plot, &svg);
  AppendDetailLines(evidence, *plot, &svg);
  AppendDetailLegend(evidence, *plot, more_change_points, &svg);
  svg += "</svg>\n";
  if (more_change_points > 0) {
    fmt::format_to(out,
                   "<details class=\"cpd\"><summary>show {} more change point{} the analysis "
                   "found</summary></details>\n",
                   more_change_points, more_change_points == 1 ? "" : "s");
  }
  return svg;
}

std::string RenderSparkline(const LogReport& log, const Finding& finding,
                            const Evidence& evidence) {
  std::string why_not;
  if (!SeriesAvailable(log, evidence, &why_not)) return {};
  const CounterLog& c = *log.log;
  const std::span<const Ticks> times = c.time_utc;
  const std::span<const double> values = c.column(evidence.column);
  const std::vector<Segment> segments = SegmentsOf(finding, c);
  Scale scale;
  scale.left = 1;
  scale.top = 2;
  scale.width = kSparkWidth - 2;
  scale.height = kSparkHeight - 4;
  scale.t0 = times[segments.front().begin];
  scale.t1 = std::max(times[segments.back().end - 1], scale.t0 + 1);
  std::vector<std::vector<MinMaxBucket>> series;
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  series = SeriesRuns(times, values, segments, scale, kSparkColumns);
  ScaleBuckets(evidence.column_scale, &series);
  for (const auto& run : series) {
    for (const MinMaxBucket& b : run) lo = std::min(lo, b.min), hi = std::max(hi, b.max);
  }
  if (!std::isfinite(lo)) return {};
  // A flat series with a little noise must look flat, not fill the box with its noise.
  const double min_range = std::max(std::max(std::fabs(lo), std::fabs(hi)) * 0.05, 1e-9);
  const double mid = (lo + hi) / 2;
  scale.v0 = std::min(lo, mid - min_range / 2);
  scale.v1 = std::max(hi, mid + min_range / 2);
  std::string d;
  for (const auto& buckets : series) AppendPath(buckets, scale, kSparkColumns, &d);
  return fmt::format(
      "<svg class=\"spark\" viewBox=\"0 0 {:.0f} {:.0f}\" preserveAspectRatio=\"none\">"
      "<path class=\"s-{}\" d=\"{}\"/></svg>",
      kSparkWidth, kSparkHeight, VerdictName(finding.verdict), d);
}

}  // namespace perfleak::internal
