// Inline SVG charts for the HTML report: downsampling that keeps spikes, lines broken only
// where samples are missing in time, and the detail chart and sparkline of one finding.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "perfleak/report.h"

namespace perfleak::internal {

/// `&`, `<`, `>`, `"` and `'` as entities: safe in HTML text, attributes and inline SVG.
std::string HtmlEscape(std::string_view text);

/// The finite extremes of the samples that fall in one pixel column.
struct MinMaxBucket {
  std::size_t column = 0;  ///< pixel column, 0-based
  double min = 0.0, max = 0.0;
  bool min_first = true;  ///< the minimum came before the maximum in time
};

/// Min/max per pixel column over samples [begin, end) of `values` placed by `times` on
/// [t0, t1] mapped to `columns` pixels; columns without a finite sample are left out.
/// Method: ForEachMinMaxBucket (analysis/min_max_buckets_internal.h, Jugel et al.'s M4 without
/// first/last) with one bucket per pixel column: spikes stay visible at a cost of two points
/// per column whatever the sample count.
std::vector<MinMaxBucket> MinMaxDownsample(std::span<const Ticks> times,
                                           std::span<const double> values, std::size_t begin,
                                           std::size_t end, Ticks t0, Ticks t1,
                                           std::size_t columns);

/// Samples [begin, end) of one line: the chart breaks its line only between runs.
struct SampleRun {
  std::size_t begin = 0, end = 0;
};

/// A gap wider than this many median sample intervals breaks the line.
inline constexpr std::size_t kGapIntervals = 4;

/// The runs of finite samples in [begin, end) with no time gap between consecutive ones wider
/// than kGapIntervals median intervals: samples missing in time (a stopped collector, a run
/// of empty cells) show as a gap, while a sparse log (97 samples over 760 px) stays one line.
/// Runs start and end on finite samples; empty when there is none.
std::vector<SampleRun> SplitAtGaps(std::span<const Ticks> times, std::span<const double> values,
                                   std::size_t begin, std::size_t end);

/// Nice axis steps: about `target` multiples of 1, 2 or 5 times a power of ten covering
/// [lo, hi] (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990).
std::vector<double> NiceTicks(double lo, double hi, std::size_t target);

/// Vertical grid lines and labels at round local times of the log (minutes, hours or days,
/// about seven over [t0, t1]) for a plot spanning x in [left, left + width] and y in
/// [top, bottom]; the labels sit below `bottom`. SVG elements of classes `grid` and `xlab`.
std::string TimeGrid(const LogReport& log, Ticks t0, Ticks t1, double left, double width,
                     double top, double bottom);

/// The detail chart of one evidence series: values over local time with the fitted trend,
/// change points, onset, restarts and (for sawtooth series) the lower envelope the analysis
/// judged; change points that start no judged window are drawn hidden, with a toggle after
/// the SVG that shows them (the returned HTML is the SVG plus that toggle). Returns an
/// empty string and sets `why_not` when the log or the column is not available.
std::string RenderDetailChart(const LogReport& log, const Finding& finding,
                              const Evidence& evidence, std::string* why_not);

/// A small line of the evidence series coloured by verdict; empty when there is no series.
std::string RenderSparkline(const LogReport& log, const Finding& finding, const Evidence& evidence);

}  // namespace perfleak::internal
