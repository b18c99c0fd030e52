#include "report/memory_section.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "common/ascii_case_internal.h"
#include "perfleak/time_format.h"
#include "report/chart.h"
#include "report/finding_text.h"
#include "report/next_steps.h"
#include "report/ranking.h"

namespace perfleak::internal {

namespace {

using Json = nlohmann::ordered_json;

constexpr double kMiB = 1024.0 * 1024.0;

Json Number(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }
Json Optional(const std::optional<double>& value) { return value ? Number(*value) : Json(nullptr); }
Json OptionalTime(const std::optional<Ticks>& utc) {
  return utc ? Json(FormatIsoUtc(*utc)) : Json(nullptr);
}

std::string Local(const LogReport& log, Ticks utc) {
  return FormatLocalShort(log, LocalTimeOf(log, utc));
}

std::string Hours(Ticks from, Ticks to) {
  return FormatDuration(static_cast<double>(to - from) / static_cast<double>(kTicksPerSecond));
}

}  // namespace

Json ForecastJson(const ExhaustionForecast& f) {
  Json j;
  j["machine"] = f.machine;
  j["subject"] = f.subject;
  j["counter"] = f.counter;
  j["pids"] = f.pids;
  j["slope_per_hour"] = Number(f.slope_per_hour);
  j["slope_low_per_hour"] = Number(f.slope_low_per_hour);
  j["slope_high_per_hour"] = Number(f.slope_high_per_hour);
  j["headroom_bytes"] = Number(f.headroom_bytes);
  j["limit_bytes"] = Number(f.limit_bytes);
  j["from_utc"] = FormatIsoUtc(f.from_utc);
  j["window_hours"] = Number(f.window_hours);
  j["status"] = ForecastStatusName(f.status);
  j["exhaustion_utc"] = OptionalTime(f.exhaustion_utc);
  j["exhaustion_interval_utc"] =
      f.exhaustion_utc ? Json::array({OptionalTime(f.earliest_utc), OptionalTime(f.latest_utc)})
                       : Json(nullptr);
  return j;
}

Json AttributionJson(const Attribution& a, std::string_view before_what) {
  Json j;
  j["machine"] = a.machine;
  j["from_utc"] = FormatIsoUtc(a.from_utc);
  j["to_utc"] = FormatIsoUtc(a.to_utc);
  j["total_growth_bytes"] = Number(a.total_growth_bytes);
  j["commit_growth_bytes"] = a.has_commit_growth ? Number(a.commit_growth_bytes) : Json(nullptr);
  Json growers = Json::array();
  for (const Grower& g : a.growers) {
    Json gj;
    gj["process"] = g.process;
    gj["instance"] = g.instance;
    gj["kernel_pool"] = g.kernel_pool;
    gj["pids"] = g.pids;
    gj["appeared"] = g.appeared;
    gj["start_bytes"] = Number(g.start_bytes);
    gj["end_bytes"] = Number(g.end_bytes);
    gj["growth_bytes"] = Number(g.growth_bytes);
    gj["share"] = Number(g.share);
    growers.push_back(std::move(gj));
  }
  j["growers"] = std::move(growers);
  j["summary"] = AttributionSentence(a, before_what);
  return j;
}

namespace {

std::string EpisodeBefore(const LogReport& log, const PressureEpisode& e) {
  return fmt::format("{} at {}", EpisodePeak(e), Local(log, e.peak_utc));
}

std::string IncidentBefore(const LogReport& log, Ticks at) {
  return fmt::format("the incident at {}", Local(log, at));
}

// The commit chart's key, above the plot: what each line and mark is.
std::string CommitLegend(double left, bool incident) {
  std::string svg;
  double x = left;
  for (const auto& [colour, dash, label] :
       {std::tuple{"#2563eb", "", "Committed Bytes"}, std::tuple{"#dc2626", "", "Commit Limit"},
        std::tuple{"#111827", "4 3", "incident"}}) {
    if (std::string_view(label) == "incident" && !incident) continue;
    fmt::format_to(std::back_inserter(svg),
                   "<line x1=\"{:.0f}\" x2=\"{:.0f}\" y1=\"10\" y2=\"10\" stroke=\"{}\" "
                   "stroke-width=\"1.5\" stroke-dasharray=\"{}\"/><text class=\"legend\" "
                   "x=\"{:.0f}\" y=\"14\">{}</text>\n",
                   x, x + 18, colour, dash, x + 22, label);
    x += 34 + 6.0 * static_cast<double>(std::string_view(label).size());
  }
  fmt::format_to(std::back_inserter(svg),
                 "<rect x=\"{:.0f}\" y=\"5\" width=\"14\" height=\"10\" fill=\"#fecaca\"/>"
                 "<text class=\"legend\" x=\"{:.0f}\" y=\"14\">pressure episode</text>\n",
                 x, x + 18);
  return svg;
}

// A commit-versus-limit line chart of one machine, values in GB, times local.
std::string CommitChart(const LogReport& log, const SystemMemory& sm,
                        const SystemMemoryAnalysis& analysis) {
  if (sm.chart.size() < 2) return {};
  constexpr double kW = 720, kH = 214, kLeft = 52, kRight = 10, kTop = 24, kBottom = 26;
  double hi = 0.0;
  for (const MemoryPoint& p : sm.chart) {
    if (std::isfinite(p.committed)) hi = std::max(hi, p.committed);
    if (std::isfinite(p.limit)) hi = std::max(hi, p.limit);
  }
  if (!(hi > 0.0)) return {};
  const std::vector<double> ticks = NiceTicks(0.0, hi / (1024.0 * kMiB), 4);
  const double top = std::max(hi / (1024.0 * kMiB), ticks.empty() ? 0.0 : ticks.back());
  const Ticks t0 = sm.chart.front().utc, t1 = std::max(sm.chart.back().utc, t0 + 1);
  const auto x = [&](Ticks t) {
    return kLeft +
           (kW - kLeft - kRight) * static_cast<double>(t - t0) / static_cast<double>(t1 - t0);
  };
  const auto y = [&](double bytes) {
    return kTop + (kH - kTop - kBottom) * (1.0 - bytes / (1024.0 * kMiB) / top);
  };
  std::string svg;
  auto out = std::back_inserter(svg);
  fmt::format_to(out,
                 "<svg class=\"chart\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" "
                 "aria-label=\"Committed bytes against the commit limit on {}\">\n",
                 kW, kH, HtmlEscape(sm.machine));
  for (const double v : ticks) {
    const double yy = kTop + (kH - kTop - kBottom) * (1.0 - v / top);
    fmt::format_to(out,
                   "<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" "
                   "stroke=\"#e5e7eb\"/><text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"10\" "
                   "text-anchor=\"end\" fill=\"#6b7280\">{:g} GB</text>\n",
                   kLeft, kW - kRight, yy, yy, kLeft - 4, yy + 3, v);
  }
  for (const PressureEpisode& e : analysis.episodes) {
    if (e.machine != sm.machine) continue;
    const double xa = x(std::clamp(e.start_utc, t0, t1)), xb = x(std::clamp(e.end_utc, t0, t1));
    fmt::format_to(out,
                   "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
                   "fill=\"#fecaca\" opacity=\"0.5\"><title>{}</title></rect>\n",
                   xa, kTop, std::max(1.0, xb - xa), kH - kTop - kBottom,
                   HtmlEscape(EpisodePeak(e)));
  }
  for (const auto& [member, colour, label] :
       {std::tuple{&MemoryPoint::committed, "#2563eb", "Committed Bytes"},
        std::tuple{&MemoryPoint::limit, "#dc2626", "Commit Limit"}}) {
    std::string points;
    for (const MemoryPoint& p : sm.chart) {
      const double v = p.*member;
      if (!std::isfinite(v)) continue;
      fmt::format_to(std::back_inserter(points), "{:.1f},{:.1f} ", x(p.utc), y(v));
    }
    if (points.empty()) continue;
    fmt::format_to(out,
                   "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" points=\"{}\">"
                   "<title>{}</title></polyline>\n",
                   colour, points, label);
  }
  if (analysis.incident_utc) {
    const double xi = x(std::clamp(*analysis.incident_utc, t0, t1));
    fmt::format_to(out,
                   "<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" "
                   "stroke=\"#111827\" stroke-dasharray=\"4 3\"><title>incident</title></line>\n",
                   xi, xi, kTop, kH - kBottom);
  }
  svg += TimeGrid(log, t0, t1, kLeft, kW - kLeft - kRight, kTop, kH - kBottom);
  svg += CommitLegend(kLeft, analysis.incident_utc.has_value());
  svg += "</svg>\n";
  return svg;
}

void AppendHtmlAttribution(const Attribution& a, std::string_view before, std::string* html) {
  auto out = std::back_inserter(*html);
  fmt::format_to(out, "<p>{}</p>\n", HtmlEscape(AttributionSentence(a, before)));
  if (a.growers.empty()) return;
  *html +=
      "<table class=\"growers\"><thead><tr><th>Grower</th><th>PIDs</th><th class=\"num\">Start"
      "</th><th class=\"num\">End</th><th class=\"num\">Growth</th><th class=\"num\">Share</th>"
      "</tr></thead><tbody>\n";
  for (const Grower& g : a.growers) {
    std::string pids;
    for (const std::int64_t pid : g.pids) pids += (pids.empty() ? "" : ", ") + std::to_string(pid);
    fmt::format_to(out,
                   "<tr><td>{}{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}"
                   "</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                   HtmlEscape(GrowerLabel(g)),
                   g.appeared ? " <span class=\"note\">(new)</span>" : "",
                   HtmlEscape(pids.empty() ? "-" : pids), FormatAmount(g.start_bytes, "bytes"),
                   FormatAmount(g.end_bytes, "bytes"), SignedAmount(g.growth_bytes, "bytes"),
                   Percent(g.share));
  }
  *html += "</tbody></table>\n";
}

}  // namespace

std::string EpisodePeak(const PressureEpisode& e) {
  switch (e.kind) {
    case PressureKind::kCommit:
      return fmt::format("commit at {} of the limit", Percent(e.peak_value));
    case PressureKind::kAvailable:
      return fmt::format("available memory down to {} MB", std::llround(e.peak_value));
    case PressureKind::kPagingFile:
      return fmt::format("paging file {:.0f} % used", e.peak_value);
    case PressureKind::kPoolPaged:
      return fmt::format("paged pool at {} of its limit", Percent(e.peak_value));
    case PressureKind::kPoolNonpaged:
      return fmt::format("nonpaged pool at {} of its limit", Percent(e.peak_value));
  }
  return {};
}

std::string AttributionSentence(const Attribution& a, std::string_view before_what) {
  if (a.to_utc <= a.from_utc) {
    return fmt::format("Already under way when the window starts ({}): no run-up to attribute.",
                       before_what);
  }
  std::string text = fmt::format("In the {} before {}", Hours(a.from_utc, a.to_utc), before_what);
  if (a.growers.empty()) {
    text += ", no process or kernel pool grew.";
    return text;
  }
  constexpr std::size_t kNamed = 3;
  for (std::size_t k = 0; k < a.growers.size() && k < kNamed; ++k) {
    const Grower& g = a.growers[k];
    text += k == 0 ? ", " : "; ";
    text += fmt::format("{} grew {}{} ({} of the growth)", GrowerLabel(g),
                        FormatAmount(g.growth_bytes, "bytes"), g.appeared ? " from nothing" : "",
                        Percent(g.share));
  }
  if (a.growers.size() > kNamed) {
    text += fmt::format("; {} more", a.growers.size() - kNamed);
  }
  if (a.has_commit_growth) {
    text += fmt::format(". Commit changed by {} in that time",
                        SignedAmount(a.commit_growth_bytes, "bytes"));
  }
  text += '.';
  return text;
}

namespace {

// A forecast bound at minute resolution, rounded outward so an interval never collapses.
std::string Bound(const LogReport& log, Ticks utc, Ticks from_utc, bool up) {
  const Ticks shifted = up ? utc + 60 * kTicksPerSecond - 1 : utc;
  const Ticks local = LocalTimeOf(log, shifted);
  const bool last_day =
      FormatLocal(local).substr(0, 10) == FormatLocal(LocalTimeOf(log, from_utc)).substr(0, 10);
  const std::string full = FormatLocalMinutes(local);
  return last_day ? full.substr(11) : full;
}

}  // namespace

std::string ForecastSentence(const LogReport& log, const ExhaustionForecast& f) {
  const std::string limit = FormatAmount(f.limit_bytes, "bytes");
  const std::string window = FormatDuration(f.window_hours * 3600.0);
  switch (f.status) {
    case ForecastStatus::kReached:
      return fmt::format("{} has reached the {} limit at {}", f.subject, limit,
                         Local(log, f.from_utc));
    case ForecastStatus::kNotRising:
      return fmt::format("{} ({}) is not rising toward the {} limit ({} left)", f.subject,
                         f.counter, limit, FormatAmount(f.headroom_bytes, "bytes"));
    case ForecastStatus::kNotJudged:
      return fmt::format("no forecast for {} ({}): too few samples to judge a trend", f.subject,
                         f.counter);
    case ForecastStatus::kUncertain:
      return fmt::format(
          "no forecast for {} ({}): its rate of {} is uncertain (95 % interval {} to {}, which "
          "includes zero)",
          f.subject, f.counter, FormatRate(f.slope_per_hour, "bytes"),
          FormatRate(f.slope_low_per_hour, "bytes"), FormatRate(f.slope_high_per_hour, "bytes"));
    case ForecastStatus::kShortWindow:
      return fmt::format("no forecast for {} ({}): a trend over {} is too short to extrapolate",
                         f.subject, f.counter, window);
    case ForecastStatus::kBeyondHorizon:
      return fmt::format(
          "no forecast for {} ({}): at {} the {} left to the {} limit would last {}, too far "
          "beyond the {} the trend covers to extrapolate",
          f.subject, f.counter, FormatRate(f.slope_per_hour, "bytes"),
          FormatAmount(f.headroom_bytes, "bytes"), limit,
          FormatDuration(f.headroom_bytes / f.slope_per_hour * 3600.0), window);
    case ForecastStatus::kForecast:
      break;
  }
  const std::string earliest =
      f.earliest_utc ? Bound(log, *f.earliest_utc, f.from_utc, false) : "?";
  const std::string latest = f.latest_utc ? Bound(log, *f.latest_utc, f.from_utc, true) : "later";
  return fmt::format("{} ({}, {}) reaches the {} limit around {}, between {} and {}; {} left at {}",
                     f.subject, f.counter, FormatRate(f.slope_per_hour, "bytes"), limit,
                     ForecastTime(log, *f.exhaustion_utc, f.from_utc), earliest, latest,
                     FormatAmount(f.headroom_bytes, "bytes"), Local(log, f.from_utc));
}

namespace {

// Per-process forecasts are listed in text and HTML only when there is one to give; the JSON
// has every status.
bool Shown(const ExhaustionForecast& f) {
  return f.status == ForecastStatus::kForecast || f.status == ForecastStatus::kReached;
}

}  // namespace

namespace {

// Ends `text` with one full stop: a summary may already end with one ("... to confirm.").
std::string Sentence(std::string text) {
  if (text.empty() || text.back() != '.') text += '.';
  return text;
}

}  // namespace

std::string SystemFindingLine(const LogReport& log, const Finding& f) {
  std::string verdict = VerdictName(f.verdict);
  for (char& c : verdict) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return fmt::format("{}: {}", verdict, FindingSummary(log, f));
}

void AppendTextMemorySection(const LogReport& log, std::size_t width,
                             const std::vector<RankedFinding>& above, std::string* text) {
  if (!log.status.ok() || !log.analysis.system_memory) return;
  const SystemMemoryAnalysis& a = *log.analysis.system_memory;
  const auto wrap = [&](const std::string& line, std::string_view first, std::size_t indent) {
    // Greedy word wrap; the line's words are plain, so a cut never splits a number.
    std::string out(first);
    std::size_t column = first.size();
    std::size_t pos = 0;
    bool words_on_line = false;
    while (pos < line.size()) {
      std::size_t next = line.find(' ', pos);
      if (next == std::string::npos) next = line.size();
      const std::string_view word(line.data() + pos, next - pos);
      if (words_on_line && column + 1 + word.size() > width) {
        out += "\n" + std::string(indent, ' ');
        column = indent;
      } else if (words_on_line) {
        out += ' ';
        ++column;
      }
      out += word;
      column += word.size();
      words_on_line = true;
      pos = next + 1;
    }
    *text += out + "\n";
  };
  *text += "\n  System memory";
  *text += fmt::format(" ({} to {})\n", Local(log, a.window_from_utc), Local(log, a.window_to_utc));
  for (const SystemMemory& sm : a.machines) {
    std::string line = fmt::format("{}:", sm.machine.empty() ? "machine" : sm.machine);
    if (sm.committed_peak_bytes) {
      line += fmt::format(" commit peak {}", FormatAmount(*sm.committed_peak_bytes, "bytes"));
      if (sm.commit_limit_bytes) {
        line += fmt::format(" of {} limit", FormatAmount(*sm.commit_limit_bytes, "bytes"));
      }
      if (sm.commit_peak_ratio && sm.commit_peak_utc) {
        line += fmt::format(" ({} at {})", Percent(*sm.commit_peak_ratio),
                            Local(log, *sm.commit_peak_utc));
      }
      line += ";";
    }
    if (sm.available_min_mb) line += fmt::format(" available min {:.0f} MB;", *sm.available_min_mb);
    if (sm.pool_paged_peak_bytes) {
      line += fmt::format(" paged pool peak {};", FormatAmount(*sm.pool_paged_peak_bytes, "bytes"));
    }
    if (sm.pool_nonpaged_peak_bytes) {
      line += fmt::format(" nonpaged pool peak {};",
                          FormatAmount(*sm.pool_nonpaged_peak_bytes, "bytes"));
    }
    if (sm.paging_file_peak_percent) {
      line += fmt::format(" paging file peak {:.0f} %;", *sm.paging_file_peak_percent);
    }
    if (line.back() == ';') line.pop_back();
    wrap(line, "    ", 6);
    for (const Finding* f : SystemFindings(log)) {
      if (!IsFlagged(f->verdict) || AsciiLower(f->machine) != AsciiLower(sm.machine)) continue;
      wrap(Sentence(SystemFindingLine(log, *f)), "    ", 6);
      wrap("Next: " + SystemNextStep(log, *f, above), "      ", 8);
    }
    if (sm.commit_exhaustion) wrap(ForecastSentence(log, *sm.commit_exhaustion) + ".", "    ", 6);
  }
  for (const ExhaustionForecast& f : a.process_exhaustion) {
    if (Shown(f)) wrap(ForecastSentence(log, f) + ".", "    ", 6);
  }
  if (a.episodes.empty()) {
    *text += "    No pressure episodes (commit, available memory, paging file, pools).\n";
  }
  for (std::size_t k = 0; k < a.episodes.size(); ++k) {
    const PressureEpisode& e = a.episodes[k];
    wrap(fmt::format("Episode {}: {} on {}, {} to {}{}", k + 1, EpisodePeak(e), e.machine,
                     Local(log, e.start_utc), Local(log, e.end_utc),
                     e.ongoing ? " (still at the end)" : ""),
         "    ", 6);
    wrap(AttributionSentence(e.run_up, EpisodeBefore(log, e)), "      ", 6);
  }
  if (a.incident_utc) {
    for (const Attribution& at : a.incident) {
      wrap(fmt::format("Run-up to the incident on {}:", at.machine), "    ", 6);
      wrap(AttributionSentence(at, IncidentBefore(log, *a.incident_utc)), "      ", 6);
      for (const Grower& g : at.growers) {
        *text += fmt::format("      {:<32} {:>10} {:>6}{}\n", GrowerLabel(g).substr(0, 32),
                             SignedAmount(g.growth_bytes, "bytes"), Percent(g.share),
                             g.appeared ? "  new in the window" : "");
      }
    }
  }
}

namespace {

// A commit chart is ~5 KB: a 1,000-machine batch draws those of the machines that need a look
// (a flagged system finding or a pressure episode) first, and at most this many.
constexpr std::size_t kMaxCommitCharts = 100;

bool NeedsALook(const LogReport& log, const SystemMemoryAnalysis& a, const SystemMemory& sm) {
  for (const Finding* f : SystemFindings(log)) {
    if (IsFlagged(f->verdict) && AsciiLower(f->machine) == AsciiLower(sm.machine)) return true;
  }
  return std::any_of(a.episodes.begin(), a.episodes.end(), [&](const PressureEpisode& e) {
    return AsciiLower(e.machine) == AsciiLower(sm.machine);
  });
}

// Which machines of the report get a commit chart, one flag per machine in section order.
std::vector<bool> ChartedMachines(const Report& report) {
  std::vector<bool> charted;
  std::vector<std::size_t> plain;  // machines without anything to look at, in order
  std::size_t charts = 0;
  for (const LogReport& log : report.logs) {
    if (!log.status.ok() || !log.analysis.system_memory) continue;
    const SystemMemoryAnalysis& a = *log.analysis.system_memory;
    for (const SystemMemory& sm : a.machines) {
      const bool look = NeedsALook(log, a, sm) && charts < kMaxCommitCharts;
      charts += look ? 1 : 0;
      if (!look) plain.push_back(charted.size());
      charted.push_back(look);
    }
  }
  for (std::size_t idx : plain) {
    if (charts >= kMaxCommitCharts) break;
    charted[idx] = true;
    ++charts;
  }
  return charted;
}

}  // namespace

void AppendHtmlMemorySection(const Report& report, std::string* html) {
  // The details of every flagged process come before this section.
  const std::vector<RankedFinding> above = RankFindings(report, false);
  const std::vector<bool> charted = ChartedMachines(report);
  std::size_t machine_idx = 0;
  bool heading = false;
  auto out = std::back_inserter(*html);
  for (const LogReport& log : report.logs) {
    if (!log.status.ok() || !log.analysis.system_memory) continue;
    const SystemMemoryAnalysis& a = *log.analysis.system_memory;
    if (!heading) *html += "<h2 id=\"system-memory\">System memory</h2>\n";
    heading = true;
    fmt::format_to(out, "<section class=\"system-memory\"><h3 class=\"mono\">{}</h3>\n",
                   HtmlEscape(log.path));
    fmt::format_to(out, "<p class=\"note\">Window {} &ndash; {} (local)</p>\n",
                   Local(log, a.window_from_utc), Local(log, a.window_to_utc));
    for (const SystemMemory& sm : a.machines) {
      fmt::format_to(out, "<h3>{}</h3>\n", HtmlEscape(sm.machine));
      if (charted[machine_idx++]) {
        *html += CommitChart(log, sm, a);
      } else {
        fmt::format_to(out,
                       "<p class=\"nochart\">Chart left out to keep the page small: the first {} "
                       "machines that need a look (a flagged system finding or a pressure "
                       "episode) have charts.</p>\n",
                       kMaxCommitCharts);
      }
      *html += "<ul>\n";
      if (sm.committed_peak_bytes) {
        fmt::format_to(out, "<li>Commit peak {}{}{}</li>\n",
                       FormatAmount(*sm.committed_peak_bytes, "bytes"),
                       sm.commit_limit_bytes
                           ? " of " + FormatAmount(*sm.commit_limit_bytes, "bytes") + " limit"
                           : "",
                       sm.commit_peak_ratio ? " (" + Percent(*sm.commit_peak_ratio) + ")" : "");
      }
      if (sm.available_min_mb) {
        fmt::format_to(out, "<li>Available memory minimum {:.0f} MB</li>\n", *sm.available_min_mb);
      }
      if (sm.pool_paged_peak_bytes || sm.pool_nonpaged_peak_bytes) {
        fmt::format_to(
            out, "<li>Pool peaks: paged {}, nonpaged {}</li>\n",
            sm.pool_paged_peak_bytes ? FormatAmount(*sm.pool_paged_peak_bytes, "bytes") : "-",
            sm.pool_nonpaged_peak_bytes ? FormatAmount(*sm.pool_nonpaged_peak_bytes, "bytes")
                                        : "-");
      }
      if (sm.paging_file_peak_percent) {
        fmt::format_to(out, "<li>Paging file peak {:.0f} %</li>\n", *sm.paging_file_peak_percent);
      }
      if (sm.commit_exhaustion) {
        fmt::format_to(out, "<li>{}</li>\n",
                       HtmlEscape(ForecastSentence(log, *sm.commit_exhaustion)));
      }
      *html += "</ul>\n";
      for (const Finding* f : SystemFindings(log)) {
        if (!IsFlagged(f->verdict) || AsciiLower(f->machine) != AsciiLower(sm.machine)) continue;
        fmt::format_to(out,
                       "<div class=\"detail {}\"><p class=\"summary\">{}</p><div class=\"next\">"
                       "<b>Next step</b>{}</div></div>\n",
                       VerdictName(f->verdict), HtmlEscape(SystemFindingLine(log, *f)),
                       HtmlEscape(SystemNextStep(log, *f, above)));
      }
    }
    if (std::any_of(a.process_exhaustion.begin(), a.process_exhaustion.end(), Shown)) {
      *html += "<h3>Time to commit exhaustion per leaking process</h3>\n<ul>\n";
      for (const ExhaustionForecast& f : a.process_exhaustion) {
        if (Shown(f)) fmt::format_to(out, "<li>{}</li>\n", HtmlEscape(ForecastSentence(log, f)));
      }
      *html += "</ul>\n";
    }
    if (a.incident_utc) {
      for (const Attribution& at : a.incident) {
        fmt::format_to(out, "<h3>Run-up to the incident on {}</h3>\n", HtmlEscape(at.machine));
        AppendHtmlAttribution(at, IncidentBefore(log, *a.incident_utc), html);
      }
    }
    if (a.episodes.empty()) {
      *html += "<p>No pressure episodes (commit, available memory, paging file, pools).</p>\n";
    }
    for (std::size_t k = 0; k < a.episodes.size(); ++k) {
      const PressureEpisode& e = a.episodes[k];
      fmt::format_to(out, "<h3>Episode {}: {} on {}</h3>\n<p class=\"note\">{} &ndash; {}{}</p>\n",
                     k + 1, HtmlEscape(EpisodePeak(e)), HtmlEscape(e.machine),
                     Local(log, e.start_utc), Local(log, e.end_utc),
                     e.ongoing ? " (still at the end)" : "");
      AppendHtmlAttribution(e.run_up, EpisodeBefore(log, e), html);
    }
    *html += "</section>\n";
  }
}

void AddMemoryJson(const LogReport& log, Json* log_json) {
  if (!log.status.ok() || !log.analysis.system_memory) return;
  const SystemMemoryAnalysis& a = *log.analysis.system_memory;
  Json system;
  system["window_start_utc"] = FormatIsoUtc(a.window_from_utc);
  system["window_end_utc"] = FormatIsoUtc(a.window_to_utc);
  system["incident_utc"] = OptionalTime(a.incident_utc);
  Json machines = Json::array();
  for (const SystemMemory& sm : a.machines) {
    Json m;
    m["machine"] = sm.machine;
    m["commit_limit_bytes"] = Optional(sm.commit_limit_bytes);
    m["committed_last_bytes"] = Optional(sm.committed_last_bytes);
    m["committed_peak_bytes"] = Optional(sm.committed_peak_bytes);
    m["commit_peak_ratio"] = Optional(sm.commit_peak_ratio);
    m["commit_peak_utc"] = OptionalTime(sm.commit_peak_utc);
    m["available_min_mb"] = Optional(sm.available_min_mb);
    m["pool_paged_peak_bytes"] = Optional(sm.pool_paged_peak_bytes);
    m["pool_nonpaged_peak_bytes"] = Optional(sm.pool_nonpaged_peak_bytes);
    m["paging_file_peak_percent"] = Optional(sm.paging_file_peak_percent);
    m["commit_exhaustion"] =
        sm.commit_exhaustion ? ForecastJson(*sm.commit_exhaustion) : Json(nullptr);
    if (sm.commit_exhaustion)
      m["commit_exhaustion"]["summary"] = ForecastSentence(log, *sm.commit_exhaustion);
    machines.push_back(std::move(m));
  }
  system["machines"] = std::move(machines);
  Json forecasts = Json::array();
  for (const ExhaustionForecast& f : a.process_exhaustion) {
    Json fj = ForecastJson(f);
    fj["summary"] = ForecastSentence(log, f);
    forecasts.push_back(std::move(fj));
  }
  system["process_exhaustion"] = std::move(forecasts);
  Json incident = Json::array();
  if (a.incident_utc) {
    for (const Attribution& at : a.incident) {
      incident.push_back(AttributionJson(at, IncidentBefore(log, *a.incident_utc)));
    }
  }
  system["incident"] = std::move(incident);
  (*log_json)["system"] = std::move(system);
  Json episodes = Json::array();
  for (const PressureEpisode& e : a.episodes) {
    Json ej;
    ej["machine"] = e.machine;
    ej["kind"] = PressureKindName(e.kind);
    ej["start_utc"] = FormatIsoUtc(e.start_utc);
    ej["end_utc"] = FormatIsoUtc(e.end_utc);
    ej["ongoing"] = e.ongoing;
    ej["peak_utc"] = FormatIsoUtc(e.peak_utc);
    ej["peak_value"] = Number(e.peak_value);
    ej["threshold"] = Number(e.threshold);
    ej["summary"] = EpisodePeak(e);
    ej["run_up"] = AttributionJson(e.run_up, EpisodeBefore(log, e));
    episodes.push_back(std::move(ej));
  }
  (*log_json)["episodes"] = std::move(episodes);
}

}  // namespace perfleak::internal
