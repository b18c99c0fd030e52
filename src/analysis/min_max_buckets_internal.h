// Min/max thinning: the one loop that reduces a series to the extremes of each bucket, in time
// order. The report's pixel columns (MinMaxDownsample) and the batch's chart copy of a log
// (ThinForCharts) differ only in how samples fall into buckets and what they skip, so both
// call this. Header-only: the per-sample callbacks inline into each caller's loop.
#pragma once

#include <cstddef>
#include <span>

namespace perfleak::internal {

/// The extremes of one bucket. Ties keep the first occurrence.
struct MinMaxExtremes {
  std::size_t bucket = 0;
  double min = 0.0, max = 0.0;
  std::size_t min_sample = 0, max_sample = 0;

  /// The minimum came no later than the maximum (a single sample counts as both).
  bool min_first() const { return min_sample <= max_sample; }
};

/// For the samples i in [begin, end) that `keep(values[i])` accepts, in order: consecutive kept
/// samples with the same `bucket_of(i)` form one bucket, and `emit(const MinMaxExtremes&)` is
/// called once per bucket as it closes. A bucket number seen again after another one starts a
/// new bucket (times running backwards). Buckets without a kept sample are not emitted.
/// Method: the min/max ("M4" without first/last) aggregation of Jugel et al., "M4: A
/// Visualization-Oriented Time Series Data Aggregation", VLDB 2014: drawing both extremes of
/// each bucket in time order reproduces the full-resolution line's pixels, so spikes survive.
template <typename Keep, typename BucketOf, typename Emit>
void ForEachMinMaxBucket(std::span<const double> values, std::size_t begin, std::size_t end,
                         Keep keep, BucketOf bucket_of, Emit emit) {
  bool open = false;
  MinMaxExtremes current;
  for (std::size_t sample_idx = begin; sample_idx < end; ++sample_idx) {
    const double v = values[sample_idx];
    if (!keep(v)) continue;
    const std::size_t bucket = bucket_of(sample_idx);
    if (open && bucket == current.bucket) {
      if (v < current.min) current.min = v, current.min_sample = sample_idx;
      if (v > current.max) current.max = v, current.max_sample = sample_idx;
      continue;
    }
    if (open) emit(static_cast<const MinMaxExtremes&>(current));
    current = MinMaxExtremes{bucket, v, v, sample_idx, sample_idx};
    open = true;
  }
  if (open) emit(static_cast<const MinMaxExtremes&>(current));
}

}  // namespace perfleak::internal
