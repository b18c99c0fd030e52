// JSON report: the contract in docs/report-json.md (schema_version 2). ordered_json keeps keys
// in the documented order so diffs of two reports stay readable.
#include <cmath>
#include <exception>
#include <nlohmann/json.hpp>

#include "perfleak/time_format.h"
#include "perfleak/version.h"
#include "report/finding_text.h"
#include "report/memory_section.h"
#include "report/next_steps.h"
#include "report/ranking.h"
#include "report/reporters_internal.h"

namespace perfleak::internal {

namespace {

using Json = nlohmann::ordered_json;

constexpr int kSchemaVersion = 2;

// JSON has no NaN or Infinity; nlohmann would print them as null anyway, but saying so here
// keeps the rule visible.
Json Number(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

Json OptionalTime(const std::optional<Ticks>& utc) {
  return utc ? Json(FormatIsoUtc(*utc)) : Json(nullptr);
}

Json LogJson(const LogReport& log) {
  Json j;
  j["path"] = log.path;
  if (!log.archive.empty()) j["archive"] = log.archive;
  j["format"] = log.format ? Json(LogFormatName(*log.format)) : Json(nullptr);
  j["status"] = !log.status.ok() ? "error" : log.analysis.no_data ? "no_data" : "ok";
  if (log.analysis.no_data) {
    j["reason"] = log.analysis.no_data->reason;
    j["collect_hint"] = log.analysis.no_data->collect_hint;
  }
  if (!log.status.ok()) {
    j["error"] = log.status.message();
    j["warnings"] = AllWarnings(log);
    j["parts"] = LogParts(log);
    return j;
  }
  const LogSummary& s = log.summary;
  j["machines"] = s.machines;
  const bool has_samples = s.samples > 0;
  j["start_utc"] = has_samples ? Json(FormatIsoUtc(s.first_utc)) : Json(nullptr);
  j["end_utc"] = has_samples ? Json(FormatIsoUtc(s.last_utc)) : Json(nullptr);
  j["samples"] = s.samples;
  j["interval_s"] = Number(s.median_interval_s);
  j["counters"] = s.counters;
  j["processes"] = s.process_instances;
  j["warnings"] = AllWarnings(log);
  j["processes_analysed"] = log.analysis.processes_analysed;
  j["processes_not_judged"] = log.analysis.processes_not_judged;
  j["time_zone"] = log.log ? Json(log.log->time_zone.name) : Json(nullptr);
  j["utc_offset_minutes"] =
      has_samples ? Json((s.first_local - s.first_utc) / (60 * kTicksPerSecond)) : Json(nullptr);
  j["parts"] = LogParts(log);
  // Present only when set, as the issue 17 additions, so other reports stay byte for byte the
  // same; the codes are LogAnalysis::caveats, the sentence the text and HTML reports show.
  if (!log.analysis.caveats.empty()) {
    j["caveats"] = log.analysis.caveats;
    j["caveat_summary"] = LogCaveatSentence(log);
  }
  AddMemoryJson(log, &j);
  return j;
}

Json EvidenceJson(const Evidence& e) {
  Json j;
  j["counter"] = e.counter;
  j["unit"] = e.unit;
  j["verdict"] = VerdictName(e.verdict);
  j["slope_per_hour"] = Number(e.slope_per_hour);
  j["slope_interval_per_hour"] =
      Json::array({Number(e.slope_low_per_hour), Number(e.slope_high_per_hour)});
  j["growth"] = Number(e.growth);
  j["observed_change"] = Number(e.observed_change);
  j["observed_start"] = Number(e.observed_start);
  j["observed_end"] = Number(e.observed_end);
  j["peak"] = Number(e.peak);
  j["onset_utc"] = OptionalTime(e.onset_utc);
  j["method"] = e.method;
  j["score"] = Number(e.score);
  j["start_level"] = Number(e.start_level);
  j["window_start_utc"] = FormatIsoUtc(e.window_start_utc);
  j["window_end_utc"] = FormatIsoUtc(e.window_end_utc);
  j["fit_quality"] = Number(e.fit_quality);
  j["trend_z"] = Number(e.trend_z);
  j["consistency"] = Number(e.consistency);
  j["used_envelope"] = e.used_envelope;
  // What the verdict rests on, for a chart drawn elsewhere: the fitted pieces, and for flagged
  // sawtooth evidence the envelope judged (block medians; null values separate lifetimes).
  // Others' envelopes are left out: a 1,000-log batch would carry millions of points.
  Json trend = Json::array();
  for (const TrendSegment& t : e.trend) {
    trend.push_back(Json{{"start_utc", FormatIsoUtc(t.t0)},
                         {"end_utc", FormatIsoUtc(t.t1)},
                         {"start_value", Number(t.v0)},
                         {"end_value", Number(t.v1)}});
  }
  j["trend"] = std::move(trend);
  Json envelope = Json::array();
  if (e.used_envelope && IsFlagged(e.verdict)) {
    for (const SignalPoint& p : e.envelope) {
      envelope.push_back(Json{{"utc", FormatIsoUtc(p.t)}, {"value", Number(p.v)}});
    }
  }
  j["envelope"] = std::move(envelope);
  Json points = Json::array();
  for (Ticks t : e.change_points) points.push_back(FormatIsoUtc(t));
  j["change_points_utc"] = std::move(points);
  j["limit"] = e.limit ? Number(*e.limit) : Json(nullptr);
  const ExhaustionForecast* f = e.forecast ? &*e.forecast : nullptr;
  j["exhaustion_utc"] = f ? OptionalTime(f->exhaustion_utc) : Json(nullptr);
  j["exhaustion_interval_utc"] =
      f && f->exhaustion_utc
          ? Json::array({OptionalTime(f->earliest_utc), OptionalTime(f->latest_utc)})
          : Json(nullptr);
  j["forecast"] = f ? ForecastJson(*f) : Json(nullptr);
  // Issue 17 additions, present only when set, so other reports stay byte for byte the same.
  if (!e.explained_by.empty()) {
    Json explained = Json::array();
    for (const Explanation& x : e.explained_by) {
      explained.push_back(
          Json{{"counter", x.counter}, {"change", Number(x.change)}, {"share", Number(x.share)}});
    }
    j["explained_by"] = std::move(explained);
  }
  return j;
}

Json FindingJson(const RankedFinding& ranked) {
  const Finding& f = *ranked.finding;
  Json j;
  // Only leak, suspect and ok processes are ranked; system and not-judged findings are not.
  j["rank"] = ranked.rank > 0 ? Json(ranked.rank) : Json(nullptr);
  j["log"] = ranked.log->path;
  j["machine"] = f.machine;
  j["process"] = f.process;
  j["instance"] = f.instance;
  j["pids"] = f.pids;
  j["verdict"] = VerdictName(f.verdict);
  j["score"] = Number(f.score);
  j["summary"] = FindingSummary(*ranked.log, f);
  j["next_step"] = NextStep(*ranked.log, f);
  Json evidence = Json::array();
  for (const Evidence& e : f.evidence) evidence.push_back(EvidenceJson(e));
  j["evidence"] = std::move(evidence);
  j["system"] = f.system;
  j["caveats"] = f.caveats;
  if (!f.kind.empty()) j["kind"] = f.kind;
  if (!f.app_pool.empty()) j["app_pool"] = f.app_pool;
  if (f.services) {
    Json pids = Json::array();
    for (const PidServices& p : f.services->pids) {
      pids.push_back(Json{{"pid", p.pid}, {"names", p.names}});
    }
    // The export's time is the machine's wall clock (from its file name): local, no zone.
    std::string time;
    if (f.services->export_time_local) {
      time = FormatLocal(*f.services->export_time_local).substr(0, 19);
      time[10] = 'T';
    }
    j["services"] = Json{{"source", f.services->source},
                         {"export_time_local", time.empty() ? Json(nullptr) : Json(time)},
                         {"pids", std::move(pids)}};
  }
  if (f.verdict == Verdict::kNotJudged) j["reason"] = f.reason;
  if (f.contributors) j["contributors"] = AttributionJson(*f.contributors, "this finding");
  Json lifetimes = Json::array();
  const std::vector<Ticks>* times = ranked.log->log ? &ranked.log->log->time_utc : nullptr;
  for (const Lifetime& life : f.lifetimes) {
    Json l;
    l["pid"] = life.pid ? Json(*life.pid) : Json(nullptr);
    l["first_sample"] = life.first_sample;
    l["last_sample"] = life.last_sample;
    const bool in_range =
        times != nullptr && life.first_sample < times->size() && life.last_sample < times->size();
    // The exact times, which a thinned report log does not have.
    if (life.last_utc > 0) {
      l["start_utc"] = FormatIsoUtc(life.first_utc);
      l["end_utc"] = FormatIsoUtc(life.last_utc);
    } else {
      l["start_utc"] = in_range ? Json(FormatIsoUtc((*times)[life.first_sample])) : Json(nullptr);
      l["end_utc"] = in_range ? Json(FormatIsoUtc((*times)[life.last_sample])) : Json(nullptr);
    }
    lifetimes.push_back(std::move(l));
  }
  j["lifetimes"] = std::move(lifetimes);
  j["machines_leaking"] = ranked.machines_leaking;
  return j;
}

Json FleetJson(const FleetSummary& fleet) {
  Json processes = Json::array();
  for (const FleetProcess& p : fleet.processes) {
    Json leaking = Json::array(), suspect = Json::array();
    for (std::size_t m = 0; m < fleet.machines.size(); ++m) {
      if (p.cells[m] == Verdict::kLeak) leaking.push_back(fleet.machines[m]);
      if (p.cells[m] == Verdict::kSuspect) suspect.push_back(fleet.machines[m]);
    }
    Json row{{"process", p.name}, {"resource", p.resource}};
    if (!p.app_pool.empty()) row["app_pool"] = p.app_pool;
    row["machines_leaking"] = std::move(leaking);
    row["machines_suspect"] = std::move(suspect);
    processes.push_back(std::move(row));
  }
  return Json{{"machines", fleet.machines}, {"processes", std::move(processes)}};
}

class JsonReporter final : public Reporter {
 public:
  explicit JsonReporter(ReportOptions options) : options_(std::move(options)) {}

  Status Write(const Report& report, std::ostream& out) override {
    std::string text;
    try {
      text = Build(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    } catch (const std::exception& e) {
      // Only allocation failures can get here; the API promises no exceptions.
      return Status::IoError(std::string("cannot build the JSON report: ") + e.what());
    }
    text += '\n';
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) return Status::IoError("cannot write the JSON report: output stream failed");
    return Status::OK();
  }

 private:
  Json Build(const Report& report) const {
    Json root;
    root["schema_version"] = kSchemaVersion;
    root["tool"] = {{"name", "perfleak"}, {"version", kVersion}};
    root["generated_utc"] = GeneratedUtc(options_);
    root["options"] = {{"sensitivity", SensitivityName(options_.sensitivity)},
                       {"include_ok", options_.include_ok}};
    Json logs = Json::array();
    for (const LogReport& log : report.logs) logs.push_back(LogJson(log));
    root["logs"] = std::move(logs);
    root["findings"] = Findings(report);
    const ReportTotals totals = ComputeTotals(report);
    root["context"] = {
        {"logs", totals.logs},         {"logs_failed", totals.logs_failed},
        {"machines", totals.machines}, {"processes_analysed", totals.processes_analysed},
        {"leaks", totals.leaks},       {"suspects", totals.suspects}};
    root["context"]["logs_skipped"] = totals.skipped;
    root["context"]["logs_no_data"] = totals.logs_no_data;
    root["context"]["not_judged"] = totals.not_judged;
    root["context"]["system_leaks"] = totals.system_leaks;
    root["context"]["system_suspects"] = totals.system_suspects;
    Json skipped = Json::array();
    for (const SkippedInput& s : report.skipped) {
      skipped.push_back(Json{{"path", s.path}, {"reason", s.reason}});
    }
    root["skipped"] = std::move(skipped);
    root["fleet"] = FleetJson(ComputeFleet(report));
    return root;
  }

  // The ranked processes, then each log's flagged system findings (every one with --all), then
  // with --all the instances that were not judged.
  Json Findings(const Report& report) const {
    Json findings = Json::array();
    for (const RankedFinding& ranked : RankFindings(report, options_.include_ok)) {
      findings.push_back(FindingJson(ranked));
    }
    for (std::size_t k = 0; k < report.logs.size(); ++k) {
      const LogReport& log = report.logs[k];
      if (!log.status.ok()) continue;
      for (const Finding* f : SystemFindings(log)) {
        if (IsFlagged(f->verdict) || options_.include_ok)
          findings.push_back(FindingJson({0, k, &log, f, 0}));
      }
    }
    if (!options_.include_ok) return findings;
    for (std::size_t k = 0; k < report.logs.size(); ++k) {
      const LogReport& log = report.logs[k];
      if (!log.status.ok()) continue;
      for (const Finding* f : NotJudgedFindings(log)) {
        findings.push_back(FindingJson({0, k, &log, f, 0}));
      }
    }
    return findings;
  }

  ReportOptions options_;
};

}  // namespace

std::unique_ptr<Reporter> MakeJsonReporter(const ReportOptions& options) {
  return std::make_unique<JsonReporter>(options);
}

}  // namespace perfleak::internal
