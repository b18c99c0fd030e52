// Internal entry points of the native .blg (ETL container + PDH events) reader.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "perfleak/counter_log.h"
#include "perfleak/read_options.h"
#include "perfleak/reader.h"
#include "perfleak/status.h"

namespace perfleak::blg {

/// kBlg for an ETL file whose events come from the PDH provider, kEtlNotPdh for other ETW
/// traces, kUnknown otherwise (pre-ETL binary logs included: they have no known signature).
DetectedFormat Sniff(std::span<const std::byte> data);

/// Decodes a whole .blg held in memory. `name` is used in messages.
Result<CounterLog> ReadBlg(std::string_view name, std::span<const std::byte> data,
                           const ReadOptions& options);

}  // namespace perfleak::blg
