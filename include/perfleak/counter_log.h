// CounterLog: the in-memory, columnar model of one counter log, whatever its file format.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "perfleak/column.h"
#include "perfleak/counter_path.h"

namespace perfleak {

/// Time points are 100 ns ticks since 1970-01-01T00:00:00 (Unix epoch), the resolution of a
/// Windows FILETIME. UTC columns are in UTC; local columns hold the wall-clock time of the
/// machine that wrote the log, in the same units.
using Ticks = std::int64_t;
inline constexpr Ticks kTicksPerSecond = 10'000'000;
inline constexpr Ticks kTicksPerHour = 3600 * kTicksPerSecond;
/// FILETIME (100 ns since 1601-01-01) minus this gives Ticks.
inline constexpr Ticks kFileTimeUnixEpoch = 116'444'736'000'000'000;

/// Missing sample marker in value columns.
inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

enum class LogFormat : std::uint8_t { kPdhCsv, kPdhTsv, kBlg };

/// "pdh-csv", "pdh-tsv" or "blg", as in the JSON report contract.
const char* LogFormatName(LogFormat format);

/// The time zone the log was written in, as far as the file tells.
struct LogTimeZone {
  std::string name;  ///< as written (`Pacific Standard Time`, `@tzres.dll,-212`, or damaged)
  /// Minutes, Windows convention: UTC = local + bias. For CSV the bias in effect at log start.
  std::int32_t bias_minutes = 0;
  bool has_bias = false;  ///< false when the header carries no usable bias (UTC assumed)
  std::string iana_name;  ///< when the Windows name maps to an IANA zone (DST-correct UTC)
};

/// One counter log in columns: a shared time axis and one contiguous column of doubles per
/// counter, NaN for a missing sample. Columns are owned by the log; spans returned by
/// column() stay valid while the log lives and is not modified.
struct CounterLog {
  std::string source;  ///< file path (or a caller-chosen name for in-memory input)
  LogFormat format = LogFormat::kPdhCsv;
  LogTimeZone time_zone;
  std::vector<Ticks> time_utc;     ///< one per sample, in file order
  std::vector<Ticks> time_local;   ///< same length as time_utc
  std::vector<CounterPath> paths;  ///< one per column
  std::vector<Column> columns;     ///< columns[counter_idx][sample_idx]
  /// Non-fatal problems met while reading (skipped rows, unreachable machines, a damaged
  /// time-zone cell), each naming the place.
  std::vector<std::string> warnings;
  /// Free-form facts about the writer (`os_build`, `pointer_size`, `log_file_mode`, ...).
  std::vector<std::pair<std::string, std::string>> metadata;

  std::size_t num_samples() const { return time_utc.size(); }
  std::size_t num_counters() const { return columns.size(); }
  std::span<const double> column(std::size_t counter_idx) const { return columns[counter_idx]; }
};

}  // namespace perfleak
