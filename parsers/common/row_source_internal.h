// RowSource: the rows the PDH text writer writes, handed out a block at a time, so that a log
// need not be held whole in columns to be written (a .blg is decoded while it is written).
#pragma once

#include <cstddef>
#include <memory>
#include <ostream>
#include <span>

#include "perfleak/counter_log.h"
#include "perfleak/status.h"
#include "perfleak/writer.h"

namespace perfleak::internal {

class RowSource {
 public:
  virtual ~RowSource() = default;

  /// The log but for its values: paths, time zone and one local time per row. Its columns may
  /// be empty.
  virtual const CounterLog& header() const = 0;

  /// Called once before the FillRows calls, with the number of slots they will use.
  virtual Status BeginRows(std::size_t slots) = 0;

  /// Writes rows [begin, end) into `values`, row-major ((end - begin) x the header's paths),
  /// NaN where a value is missing. Calls with different slots may run at the same time; calls
  /// with the same slot never do, so a source may keep state per slot.
  virtual Status FillRows(std::size_t slot, std::size_t begin, std::size_t end,
                          std::span<double> values) = 0;
};

/// The rows of a log held in columns (it must outlive them).
std::unique_ptr<RowSource> RowsOfLog(const CounterLog& log);

/// WritePdhText for rows handed out by `source`; `rows_per_block` 0 sizes blocks to about 2 MB
/// of text (tests pass small blocks).
Status WritePdhRows(RowSource& source, std::ostream& out, const WriteOptions& options,
                    std::size_t rows_per_block = 0);

}  // namespace perfleak::internal
