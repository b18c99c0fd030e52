// The report entry of a log that could not be read.
#pragma once

#include <string>
#include <utility>

#include "perfleak/report.h"

namespace perfleak::internal {

inline LogReport FailedLogReport(const std::string& path, Status status) {
  LogReport r;
  r.path = path;
  r.status = std::move(status);
  return r;
}

}  // namespace perfleak::internal
