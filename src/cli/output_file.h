// Writing a command's output to `-o FILE`: a report is "written" only once the file is closed
// without error (a full disk shows up at the final flush, not at the first write).
#pragma once

#include <functional>
#include <ostream>
#include <string>

#include "perfleak/status.h"

namespace perfleak::cli {

/// Creates `path`, lets `write` fill it, then flushes and closes it. kIoError naming the path
/// (and the system's reason) when it cannot be created or any write, the flush or the close
/// fails; the status of `write` itself otherwise.
Status WriteOutputFile(const std::string& path, const std::function<Status(std::ostream&)>& write);

/// Flushes `out` (standard output) after `write` and reports a failure to write it.
Status WriteOutputStream(std::ostream& out, const std::function<Status(std::ostream&)>& write);

}  // namespace perfleak::cli
