// The report entry of a log that could not be read.
#pragma once

#include <string>
#include <utility>

#include "perfleak/log_input.h"
#include "perfleak/report.h"

namespace perfleak::internal {

inline LogReport FailedLogReport(const std::string& path, Status status) {
  LogReport r;
  r.path = path;
  r.status = std::move(status);
  return r;
}

/// The entry of an input (a file or an archive member) that could not be read.
inline LogReport FailedLogReport(const LogInput& input, Status status) {
  LogReport r = FailedLogReport(input.path, std::move(status));
  r.archive = input.archive;
  return r;
}

}  // namespace perfleak::internal
