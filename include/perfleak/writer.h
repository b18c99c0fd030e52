// Writing a CounterLog back out as relog-style PDH-CSV or PDH-TSV.
#pragma once

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "perfleak/counter_log.h"
#include "perfleak/read_options.h"
#include "perfleak/status.h"

namespace perfleak {

struct WriteOptions {
  char delimiter = ',';  ///< ',' for PDH-CSV, '\t' for PDH-TSV
  bool crlf = true;      ///< PDH writes CRLF line ends
  /// Threads that format rows (0 = all cores); the output is the same for any count.
  std::size_t num_threads = 0;
};

/// Writes the header cell `(PDH-CSV 4.0) (<zone>)(<bias>)` (TSV form for a tab), quoted
/// paths, local timestamps `MM/DD/YYYY HH:MM:SS.mmm`, `" "` for missing values and numbers
/// that read back to the same double. Fails with kIoError when the stream fails.
Status WritePdhText(const CounterLog& log, std::ostream& out, const WriteOptions& options = {});

/// A log opened to be written as PDH text (what `perfleak convert` does). A `.blg` is read
/// through once when opened, for its counters, instances, sample times and warnings, keeping no
/// value: every error shows then, before a row is written. Write then decodes it again, a block
/// of rows at a time on every thread, so its columns are never all in memory: a 1 GB `.blg`
/// converts in a few MB per thread beside its mapping, and a log larger than memory converts.
/// Other logs are read whole (ReadLog). The text is what WritePdhText writes of ReadLog's log.
class LogToWrite {
 public:
  /// Opens the file at `path`, any format ReadLog reads; fails as ReadLog does.
  static Result<LogToWrite> Open(const std::string& path, const ReadOptions& options = {});
  /// Same for bytes in memory (an archive member), which it keeps; `name` is used in messages.
  static Result<LogToWrite> FromBuffer(std::string_view name, std::vector<std::byte> data,
                                       const ReadOptions& options = {});
  /// A log read whole.
  explicit LogToWrite(CounterLog log);

  LogToWrite(LogToWrite&&) noexcept;
  LogToWrite& operator=(LogToWrite&&) noexcept;
  ~LogToWrite();

  /// The log but for its values (its columns may be empty): paths, time zone, sample times,
  /// metadata and every warning reading it gives.
  const CounterLog& header() const;

  /// Writes the log; fails with kIoError when the stream fails or when the file was cut
  /// shorter while it was decoded.
  Status Write(std::ostream& out, const WriteOptions& options = {});

 private:
  struct Impl;
  explicit LogToWrite(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Formats a double the way the round trip needs: integers without a decimal point, other
/// values in the shortest form that reads back exactly.
std::string FormatPdhNumber(double value);

}  // namespace perfleak
