#include "csv/csv_reader.h"

namespace perfleak::csv {

bool LooksLikePdhText(std::span<const std::byte>, bool*) { return false; }

Result<CounterLog> ReadPdhText(std::string_view name, std::span<const std::byte>, const ReadOptions&) {
  return Status::Unsupported(std::string(name) + ": CSV reader not built yet");
}

}  // namespace perfleak::csv
