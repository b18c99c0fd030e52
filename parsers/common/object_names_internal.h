// The object names perfleak recognises in English and localized logs (Process, Memory):
// shared by the log summary (parsers/common) and the analysis (src/analysis/counter_names).
#pragma once

#include <string_view>

namespace perfleak::internal {

/// "Process" or "Memory" for those objects' English or localized names (`Процесс`,
/// `Arbeitsspeicher`, ...; letter case ignored); empty for any other object.
std::string_view EnglishObjectName(std::string_view object);

/// True for the Process object, in English and in the localized names real logs use.
bool IsProcessObject(std::string_view object);

}  // namespace perfleak::internal
