#include "blg/blg_reader.h"

#include <string>

namespace perfleak::blg {

DetectedFormat Sniff(std::span<const std::byte>) { return DetectedFormat::kUnknown; }

Result<CounterLog> ReadBlg(std::string_view name, std::span<const std::byte>, const ReadOptions&) {
  return Status::Unsupported(std::string(name) + ": the .blg reader is not built yet");
}

}  // namespace perfleak::blg
