#include "labelled_set.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace perfleak::scenario {

Result<std::vector<ProcessLabel>> ParseLabelsJson(std::string_view json, const std::string& name) {
  const auto doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.contains("processes") || !doc["processes"].is_array())
    return Status::ParseError(name + ": not a labels file (no \"processes\" array)");
  std::vector<ProcessLabel> out;
  for (const auto& p : doc["processes"]) {
    ProcessLabel label;
    try {
      label.process = p.at("process").get<std::string>();
      label.instance = p.at("instance").get<std::string>();
      label.pids = p.at("pids").get<std::vector<std::int64_t>>();
      const std::string expected = p.at("expected").get<std::string>();
      if (expected != "leak" && expected != "ok")
        return Status::ParseError(name + ": process " + label.instance + ": expected \"" +
                                  expected + "\", not leak or ok");
      label.expected = expected == "leak" ? Verdict::kLeak : Verdict::kOk;
      label.pattern = p.at("pattern").get<std::string>();
      label.counter = p.value("counter", std::string());
    } catch (const nlohmann::json::exception& e) {
      return Status::ParseError(name + ": process " + std::to_string(out.size()) + ": " + e.what());
    }
    out.push_back(std::move(label));
  }
  return out;
}

bool PalFlags(const CounterLog& log, const std::string& instance) {
  const std::size_t n = log.num_samples();
  if (n < 2) return false;
  const Ticks t0 = log.time_utc.front(), t1 = log.time_utc.back();
  const double span_h = static_cast<double>(t1 - t0) / static_cast<double>(kTicksPerHour);
  if (!(span_h > 0.0)) return false;
  constexpr std::size_t kSlices = 30;
  for (std::size_t c = 0; c < log.num_counters(); ++c) {
    const CounterPath& p = log.paths[c];
    if (p.object != "Process" || p.InstanceWithIndex() != instance) continue;
    double threshold = 0.0;
    if (p.counter == "Private Bytes") threshold = 100.0 * 1024 * 1024;
    if (p.counter == "Handle Count" || p.counter == "Thread Count") threshold = 100.0;
    if (threshold == 0.0) continue;
    std::array<double, kSlices> sum{}, cnt{};
    for (std::size_t i = 0; i < n; ++i) {
      const double v = log.columns[c][i];
      if (!std::isfinite(v)) continue;
      const double u = static_cast<double>(log.time_utc[i] - t0) / static_cast<double>(t1 - t0);
      const auto s = std::min(kSlices - 1, static_cast<std::size_t>(u * kSlices));
      sum[s] += v;
      cnt[s] += 1.0;
    }
    std::size_t first = kSlices, last = kSlices;
    for (std::size_t s = 0; s < kSlices; ++s) {
      if (cnt[s] == 0.0) continue;
      if (first == kSlices) first = s;
      last = s;
    }
    if (first == kSlices || first == last) continue;
    const double dt = static_cast<double>(last - first) * span_h / kSlices;
    const double slope = (sum[last] / cnt[last] - sum[first] / cnt[first]) / dt;
    if (slope > threshold) return true;
  }
  return false;
}

Verdict PredictedVerdict(const LogAnalysis& analysis, const ProcessLabel& label) {
  Verdict predicted = Verdict::kNotJudged;
  for (const Finding& f : analysis.findings) {
    if (f.system) continue;
    const bool shares =
        label.pids.empty()
            ? f.instance == label.instance
            : std::any_of(f.pids.begin(), f.pids.end(), [&](std::int64_t pid) {
                return std::find(label.pids.begin(), label.pids.end(), pid) != label.pids.end();
              });
    if (shares) predicted = std::max(predicted, f.verdict);
  }
  return predicted;
}

void Confusion::Add(bool expected, bool predicted) {
  if (expected && predicted) ++tp;
  if (!expected && predicted) ++fp;
  if (expected && !predicted) ++fn;
  if (!expected && !predicted) ++tn;
}

double Confusion::Precision() const {
  return tp + fp == 0 ? 1.0 : static_cast<double>(tp) / static_cast<double>(tp + fp);
}

double Confusion::Recall() const {
  return tp + fn == 0 ? 1.0 : static_cast<double>(tp) / static_cast<double>(tp + fn);
}

double Confusion::F1() const {
  const double p = Precision(), r = Recall();
  return p + r == 0.0 ? 0.0 : 2.0 * p * r / (p + r);
}

void ScoreLog(const std::string& log_name, const CounterLog& log, const LogAnalysis& analysis,
              const std::vector<ProcessLabel>& labels, QualityTable* table) {
  for (const ProcessLabel& label : labels) {
    const Verdict predicted = PredictedVerdict(analysis, label);
    const bool expected = label.expected == Verdict::kLeak;
    const bool called = predicted == Verdict::kLeak;
    const bool pal = PalFlags(log, label.instance);
    table->ours.Add(expected, called);
    table->pal.Add(expected, pal);
    PatternRow& row = table->patterns[label.pattern];
    row.leak = expected;
    ++row.verdicts[static_cast<std::size_t>(predicted)];
    row.pal_flagged += pal ? 1 : 0;
    if (called != expected) {
      table->misses.push_back(log_name + " " + label.instance + " " + label.pattern +
                              ": expected " + VerdictName(label.expected) + ", got " +
                              VerdictName(predicted));
    }
  }
}

namespace {

std::string Totals(const char* who, const Confusion& c) {
  char line[160];
  std::snprintf(line, sizeof line,
                "%-8s precision %.3f recall %.3f F1 %.3f (tp %zu fp %zu fn %zu tn %zu)\n", who,
                c.Precision(), c.Recall(), c.F1(), c.tp, c.fp, c.fn, c.tn);
  return line;
}

}  // namespace

std::string FormatQualityTable(const QualityTable& table) {
  std::string out = "pattern              is    not_judged    ok  suspect  leak  PAL flags\n";
  char line[160];
  for (const auto& [pattern, row] : table.patterns) {
    std::snprintf(line, sizeof line, "%-20s %-4s %10zu %5zu %8zu %5zu %10zu\n", pattern.c_str(),
                  row.leak ? "leak" : "ok", row.verdicts[0], row.verdicts[1], row.verdicts[2],
                  row.verdicts[3], row.pal_flagged);
    out += line;
  }
  out += Totals("perfleak", table.ours);
  out += Totals("PAL rule", table.pal);
  out += "wrong calls (" + std::to_string(table.misses.size()) + "):\n";
  for (const std::string& miss : table.misses) out += "  " + miss + "\n";
  return out;
}

}  // namespace perfleak::scenario
