// The next step an engineer should take for a finding, one paragraph with the commands to
// run, and the report-wide form that gives each recipe in full once.
#pragma once

#include <string>
#include <vector>

#include "perfleak/analysis.h"
#include "perfleak/report.h"
#include "report/ranking.h"

namespace perfleak::internal {

/// What to do next, one paragraph with the commands to run; empty for `ok` findings, how to
/// collect a log that can be judged for `not_judged` ones.
std::string NextStep(const LogReport& log, const Finding& finding);

/// NextStep() for each of `ranked` (same order), with each recipe (UMDH, !htrace, poolmon,
/// ...) given in full once per report, at its first finding; later findings that need the
/// same one refer to it by rank with their own image name and PID.
std::vector<std::string> ReportNextSteps(const std::vector<RankedFinding>& ranked);
/// NextStep() for a system finding (System section) when the process findings `above` (in the
/// order the report printed them) may already give its recipe in full: then it refers to the
/// first of them by rank ("Kernel pool growth: the steps under #3 above, on WEB01.").
std::string SystemNextStep(const LogReport& log, const Finding& finding,
                           const std::vector<RankedFinding>& above);

}  // namespace perfleak::internal
