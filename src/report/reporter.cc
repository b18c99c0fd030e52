#include "perfleak/report.h"

namespace perfleak {

Result<ReportFormat> ParseReportFormat(std::string_view text) {
  if (text == "text") return ReportFormat::kText;
  if (text == "json") return ReportFormat::kJson;
  if (text == "html") return ReportFormat::kHtml;
  return Status::InvalidArgument("unknown report format '" + std::string(text) +
                                 "'; expected text, json or html");
}

std::unique_ptr<Reporter> MakeReporter(ReportFormat, const ReportOptions&) { return nullptr; }

}  // namespace perfleak
