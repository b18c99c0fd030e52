// The "System memory" section of every report format: commit against its limit, pressure
// episodes with the processes and pools that grew before them, and time to exhaustion. Kept
// apart from the reporters so the three formats share one wording.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "perfleak/memory_pressure.h"
#include "perfleak/report.h"
#include "report/finding_text.h"
#include "report/ranking.h"

namespace perfleak::internal {

/// `commit at 97 % of the limit` / `available memory down to 80 MB` / ...
std::string EpisodePeak(const PressureEpisode& episode);
/// "In the 6 h before 03:12, OrderService grew 9.2 GB (96 % of the growth), ReportJob 300 MB
/// (3 %). Commit changed by +9.4 GB in that time." `before_what` names the event.
std::string AttributionSentence(const Attribution& attribution, std::string_view before_what);
/// "reaches the 16 GB commit limit around 2026-11-20 05:40 (95 % interval 05:20 to 06:10) at
/// +1.2 GB/h" or "is not rising: no exhaustion in sight".
std::string ForecastSentence(const LogReport& log, const ExhaustionForecast& forecast);

/// "LEAK: Committed Bytes grew 9.6 GB in 4.0 h after 03:00 (...); OrderService holds 97 % of
/// that growth (+9.3 GB)": a system finding, as the System section shows it.
std::string SystemFindingLine(const LogReport& log, const Finding& finding);

/// The JSON of a forecast (docs/report-json.md) and of a growth attribution.
nlohmann::ordered_json ForecastJson(const ExhaustionForecast& forecast);
nlohmann::ordered_json AttributionJson(const Attribution& attribution,
                                       std::string_view before_what);

/// Appends the plain-text section (nothing when the log has no system memory analysis);
/// `above` are the process findings printed before it, whose recipes it refers to.
void AppendTextMemorySection(const LogReport& log, std::size_t width,
                             const std::vector<RankedFinding>& above, std::string* text);
/// Appends the HTML section for every log that has one (nothing otherwise).
void AppendHtmlMemorySection(const Report& report, std::string* html);

/// The `system` and `episodes` fields of a log object (docs/report-json.md); added only when
/// the log has a system memory analysis.
void AddMemoryJson(const LogReport& log, nlohmann::ordered_json* log_json);

}  // namespace perfleak::internal
