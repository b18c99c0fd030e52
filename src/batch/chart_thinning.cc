#include <algorithm>
#include <cmath>

#include "analysis/min_max_buckets_internal.h"
#include "batch/chart_thinning_internal.h"

namespace perfleak::internal {

CounterLog ThinForCharts(const CounterLog& log, const std::vector<std::size_t>& columns,
                         std::size_t max_points, std::vector<std::size_t>* sample_map) {
  CounterLog out;
  out.source = log.source;
  out.format = log.format;
  out.time_zone = log.time_zone;
  out.metadata = log.metadata;
  for (std::size_t c : columns) out.paths.push_back(log.paths[c]);
  const std::size_t n = log.num_samples();
  // Two output samples per bucket, so buckets = max_points / 2.
  const std::size_t buckets = std::max<std::size_t>(1, max_points / 2);
  if (n <= max_points || max_points < 4) {
    out.time_utc = log.time_utc;
    out.time_local = log.time_local;
    for (std::size_t c : columns) out.columns.push_back(log.columns[c]);
    if (sample_map != nullptr) {
      sample_map->resize(n);
      for (std::size_t i = 0; i < n; ++i) (*sample_map)[i] = i;
    }
    return out;
  }
  std::vector<std::size_t> starts(buckets + 1);
  for (std::size_t b = 0; b <= buckets; ++b) starts[b] = n * b / buckets;
  for (std::size_t b = 0; b < buckets; ++b) {
    const std::size_t first = starts[b], last = starts[b + 1] - 1;
    out.time_utc.push_back(log.time_utc[first]);
    out.time_utc.push_back(log.time_utc[last]);
    out.time_local.push_back(log.time_local[first]);
    out.time_local.push_back(log.time_local[last]);
  }
  for (std::size_t c : columns) {
    const Column& src = log.columns[c];
    Column dst(2 * buckets, kMissing);
    // Samples come in ascending order, so the bucket only ever moves forward.
    std::size_t bucket = 0;
    const auto bucket_of = [&](std::size_t sample_idx) {
      while (sample_idx >= starts[bucket + 1]) ++bucket;
      return bucket;
    };
    // Only NaN (a missing sample) is skipped: an infinite value is kept as an extreme.
    ForEachMinMaxBucket(
        src, 0, n, [](double v) { return !std::isnan(v); }, bucket_of,
        [&](const MinMaxExtremes& e) {
          dst[2 * e.bucket] = e.min_first() ? e.min : e.max;
          dst[2 * e.bucket + 1] = e.min_first() ? e.max : e.min;
        });
    out.columns.push_back(std::move(dst));
  }
  if (sample_map != nullptr) {
    sample_map->resize(n);
    for (std::size_t b = 0; b < buckets; ++b) {
      for (std::size_t i = starts[b]; i < starts[b + 1]; ++i) {
        // The first half of a bucket maps to its first output sample, the rest to the second.
        (*sample_map)[i] = 2 * b + (i - starts[b] >= (starts[b + 1] - starts[b]) / 2 ? 1 : 0);
      }
    }
  }
  return out;
}

}  // namespace perfleak::internal
