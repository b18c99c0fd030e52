#include "perfleak/report.h"
#include "report/reporters_internal.h"

namespace perfleak {

Result<ReportFormat> ParseReportFormat(std::string_view text) {
  if (text == "text") return ReportFormat::kText;
  if (text == "json") return ReportFormat::kJson;
  if (text == "html") return ReportFormat::kHtml;
  return Status::InvalidArgument("unknown report format '" + std::string(text) +
                                 "'; expected text, json or html");
}

std::unique_ptr<Reporter> MakeReporter(ReportFormat format, const ReportOptions& options) {
  switch (format) {
    case ReportFormat::kText:
      return internal::MakeTextReporter(options);
    case ReportFormat::kJson:
      return internal::MakeJsonReporter(options);
    case ReportFormat::kHtml:
      return internal::MakeHtmlReporter(options);
  }
  return internal::MakeTextReporter(options);
}

}  // namespace perfleak
