// Inline SVG charts for the HTML report: downsampling that keeps spikes, the rolling-minimum
// envelope of sawtooth series, and the detail chart and sparkline of one finding.
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
/// Method: the min/max ("M4" without first/last) aggregation of Jugel et al., "M4: A
/// Visualization-Oriented Time Series Data Aggregation", VLDB 2014: drawing both extremes of
/// each column reproduces the full-resolution line's pixels, so spikes stay visible at a
/// cost of two points per column whatever the sample count.
std::vector<MinMaxBucket> MinMaxDownsample(std::span<const Ticks> times,
                                           std::span<const double> values, std::size_t begin,
                                           std::size_t end, Ticks t0, Ticks t1,
                                           std::size_t columns);

/// Centred rolling minimum over `window` samples (NaN skipped; NaN where the window has no
/// finite value). Method: monotonic-deque sliding-window minimum (Lemire, "Streaming
/// maximum-minimum filter using no more than three comparisons per element", 2006), O(n).
std::vector<double> RollingMinimum(std::span<const double> values, std::size_t window);

/// Nice axis steps: about `target` multiples of 1, 2 or 5 times a power of ten covering
/// [lo, hi] (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990).
std::vector<double> NiceTicks(double lo, double hi, std::size_t target);

/// The detail chart of one evidence series: values over local time with the fitted trend,
/// change points, onset, restarts and (for sawtooth series) the lower envelope. Returns an
/// empty string and sets `why_not` when the log or the column is not available.
std::string RenderDetailChart(const LogReport& log, const Finding& finding,
                              const Evidence& evidence, std::string* why_not);

/// A small line of the evidence series coloured by verdict; empty when there is no series.
std::string RenderSparkline(const LogReport& log, const Finding& finding, const Evidence& evidence);

}  // namespace perfleak::internal
