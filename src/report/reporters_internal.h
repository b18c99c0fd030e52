// The concrete reporters behind MakeReporter(); one per output format.
#pragma once

#include <memory>

#include "perfleak/report.h"

namespace perfleak::internal {

std::unique_ptr<Reporter> MakeTextReporter(const ReportOptions& options);
std::unique_ptr<Reporter> MakeJsonReporter(const ReportOptions& options);
std::unique_ptr<Reporter> MakeHtmlReporter(const ReportOptions& options);

}  // namespace perfleak::internal
