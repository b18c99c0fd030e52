// Text report for the terminal: a header per log, a ranked table that fits options.width
// columns, and under every leak or suspect its summary and next step.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "perfleak/time_format.h"
#include "perfleak/version.h"
#include "report/finding_text.h"
#include "report/memory_section.h"
#include "report/next_steps.h"
#include "report/ranking.h"
#include "report/reporters_internal.h"

namespace perfleak::internal {

namespace {

constexpr const char* kReset = "\x1b[0m";
constexpr const char* kBold = "\x1b[1m";
constexpr const char* kRed = "\x1b[1;31m";
constexpr const char* kYellow = "\x1b[33m";
constexpr const char* kGreen = "\x1b[32m";

// Columns of a terminal: UTF-8 continuation bytes take none. Wide CJK glyphs take two, which
// this ignores; process names are nearly always ASCII.
std::size_t DisplayWidth(std::string_view text) {
  std::size_t width = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

// Pads with spaces on the right, or on the left for numbers, to `width` columns. Never cuts:
// a longer text is returned whole and the row continues on the next line (RowLines).
std::string Fit(std::string_view text, std::size_t width, bool right_align = false) {
  const std::size_t pad = width - std::min(width, DisplayWidth(text));
  return right_align ? std::string(pad, ' ') + std::string(text)
                     : std::string(text) + std::string(pad, ' ');
}

// Replaces control characters so that a hostile process name cannot move the cursor or
// change the terminal's colours.
std::string Sanitize(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7F) ? '?' : c;
  }
  return out;
}

// Table cells: bytes keep their unit (KB, MB, GB), counts drop the word because the Resource
// column already says what is counted.
std::string TableRate(const Evidence& e) {
  if (e.unit == "bytes") return FormatRate(e.slope_per_hour, e.unit);
  return FormatRate(e.slope_per_hour, "");
}

// What the series did (observed), not the fit: the rate column has the fit.
std::string TableGrowth(const Evidence& e) {
  const double change = e.observed_change;
  if (e.unit == "bytes" || !std::isfinite(change)) {
    return SignedAmount(change, e.unit == "bytes" ? e.unit : "");
  }
  return fmt::format("{:+.0f}", change);  // a count of whole handles or threads
}

// The byte length of the first `columns` display columns of `text`.
std::size_t PrefixBytes(std::string_view text, std::size_t columns) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (seen++ == columns) return i;
  }
  return text.size();
}

// Word wrap to `width` columns. Messages are never cut: a word longer than a line (a long
// path) is the only thing split, across lines, so that every character is still there.
std::vector<std::string> Wrap(std::string_view text, std::size_t width) {
  width = std::max<std::size_t>(width, 8);
  std::vector<std::string> lines;
  std::string line;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && DisplayWidth(line) + 1 + DisplayWidth(word) > width) {
      lines.push_back(std::move(line));
      line.clear();
    }
    while (line.empty() && DisplayWidth(word) > width) {
      const std::size_t cut = PrefixBytes(word, width);
      lines.emplace_back(word.substr(0, cut));
      word.remove_prefix(cut);
    }
    if (!line.empty()) line += ' ';
    line += word;
  }
  if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

// `text` wrapped to `width` with `first` (already styled) before its first line and the
// following lines indented by `indent` columns.
std::string Hanging(std::string_view first, std::size_t indent, std::string_view text,
                    std::size_t width) {
  std::string out;
  bool is_first = true;
  for (const std::string& line : Wrap(text, width - std::min(width - 8, indent))) {
    out += is_first ? std::string(first) : std::string(indent, ' ');
    out += line + "\n";
    is_first = false;
  }
  return out;
}

// One table cell: its text (already fitted to its column) and the column it starts at.
struct Cell {
  std::string text;       // padded to its column, may be styled
  std::size_t start = 0;  // display column where it starts
  std::size_t width = 0;  // display width of the text without styling
};

// Lays cells out on one line; a cell longer than its column pushes the cells after it to a
// continuation line, aligned under their columns, so no field is ever cut.
std::string RowLines(const std::vector<Cell>& cells) {
  std::string out;
  std::size_t column = 0;
  for (const Cell& c : cells) {
    if (column > 0 && column >= c.start) {  // no room left for the separating space
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += "\n";
      column = 0;
    }
    out += std::string(c.start - column, ' ') + c.text;
    column = c.start + c.width;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "\n";
}

std::string Pids(const Finding& finding, std::size_t width) {
  if (finding.pids.empty()) return "-";
  std::string all;
  for (std::int64_t pid : finding.pids) {
    if (!all.empty()) all += ',';
    all += std::to_string(pid);
  }
  if (all.size() <= width) return all;
  return fmt::format("{} +{}", finding.pids.back(), finding.pids.size() - 1);
}

std::string ShortCounter(std::string_view counter) {
  if (counter == "Pool Nonpaged Bytes") return "Pool Nonpaged";
  if (counter == "Pool Paged Bytes") return "Pool Paged";
  if (counter == "Working Set - Private") return "WS Private";
  return std::string(counter);
}

// Column widths; with the separating spaces they add up to 100.
struct Layout {
  std::size_t rank = 3, verdict = 7, process = 19, pids = 11, resource = 14, rate = 12, total = 10,
              onset = 11, score = 5;
};

class TextReporter final : public Reporter {
 public:
  explicit TextReporter(ReportOptions options) : options_(std::move(options)) {
    width_ = std::max<std::size_t>(options_.width, 80);
    if (width_ >= 100) {
      // Wider terminals give the room to process names, the only free-text column.
      layout_.process += std::min<std::size_t>(width_ - 100, 21);
    } else {
      // Narrower ones lose the PID list (the summary line still says "restarts") and then
      // shorten process names.
      layout_.pids = 0;
      constexpr std::size_t kWithoutPids = 88;
      if (width_ < kWithoutPids) layout_.process -= kWithoutPids - width_;
    }
  }

  Status Write(const Report& report, std::ostream& out) override {
    std::string text;
    text += Style(kBold, fmt::format("perfleak {} leak report", kVersion));
    text += fmt::format("  (generated {})\n", GeneratedUtc(options_));
    const std::vector<RankedFinding> ranked = RankFindings(report, options_.include_ok);
    // Recipes are written out at their first appearance in this report, which goes log by
    // log, so later findings can say "under #N above".
    std::vector<RankedFinding> printed = ranked;
    std::stable_sort(
        printed.begin(), printed.end(),
        [](const RankedFinding& a, const RankedFinding& b) { return a.log_index < b.log_index; });
    const std::vector<std::string> steps = ReportNextSteps(printed);
    next_steps_.clear();
    for (std::size_t k = 0; k < printed.size(); ++k) next_steps_[printed[k].rank] = steps[k];
    for (std::size_t log_idx = 0; log_idx < report.logs.size(); ++log_idx) {
      text += '\n';
      WriteLog(report.logs[log_idx], log_idx, ranked, &text);
    }
    WriteFleet(report, &text);
    WriteFailed(report, &text);
    WriteSkipped(report, &text);
    WriteTotals(report, &text);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) return Status::IoError("cannot write the text report: output stream failed");
    return Status::OK();
  }

 private:
  std::string Style(const char* code, std::string_view text) const {
    if (!options_.color_enabled) return std::string(text);
    return fmt::format("{}{}{}", code, text, kReset);
  }

  const char* VerdictColor(Verdict verdict) const {
    switch (verdict) {
      case Verdict::kLeak:
        return kRed;
      case Verdict::kSuspect:
        return kYellow;
      case Verdict::kOk:
        break;
      case Verdict::kNotJudged:
        return kReset;
    }
    return kGreen;
  }

  void WriteLog(const LogReport& log, std::size_t log_idx, const std::vector<RankedFinding>& ranked,
                std::string* text) const {
    const std::string format = log.format ? LogFormatName(*log.format) : "unknown format";
    *text += Style(kBold, Sanitize(fmt::format("== {} ({})", log.path, format))) + "\n";
    if (log.parts.size() > 1) {
      std::string joined = fmt::format("stitched from {} files:", log.parts.size());
      for (const std::string& part : log.parts) joined += " " + part;
      bool first = true;
      for (const std::string& line : Wrap(Sanitize(joined), width_ - 12)) {
        *text += (first ? "  Joined    " : std::string(12, ' ')) + line + "\n";
        first = false;
      }
    }
    if (!log.status.ok()) {
      bool first = true;
      for (const std::string& line : Wrap(Sanitize(log.status.message()), width_ - 8)) {
        *text += (first ? Style(kRed, "  error") : std::string(7, ' ')) + " " + line + "\n";
        first = false;
      }
      return;
    }
    const LogSummary& s = log.summary;
    std::string machines;
    for (const std::string& m : s.machines) machines += (machines.empty() ? "" : ", ") + m;
    *text += fmt::format("  Machine   {}\n", Sanitize(machines.empty() ? "-" : machines));
    if (s.samples > 0) {
      *text += fmt::format("  Local     {} .. {}\n", FormatLocal(s.first_local).substr(0, 19),
                           FormatLocal(s.last_local).substr(0, 19));
      *text += fmt::format("  UTC       {} .. {}\n", FormatIsoUtc(s.first_utc, false),
                           FormatIsoUtc(s.last_utc, false));
    }
    *text +=
        fmt::format("  Samples   {} every {} over {}; {} counters, {} processes judged{}\n",
                    s.samples, FormatDuration(s.median_interval_s),
                    FormatDuration(static_cast<double>(s.last_utc - s.first_utc) / kTicksPerSecond),
                    s.counters, log.analysis.processes_analysed,
                    log.analysis.processes_not_judged == 0
                        ? ""
                        : fmt::format(", {} not judged", log.analysis.processes_not_judged));
    const std::vector<std::string> warnings = AllWarnings(log);
    constexpr std::size_t kMaxWarnings = 5;
    for (std::size_t i = 0; i < warnings.size() && i < kMaxWarnings; ++i) {
      *text += Hanging(Style(kYellow, "  warning") + " ", 10, Sanitize(warnings[i]), width_);
    }
    if (warnings.size() > kMaxWarnings) {
      *text += fmt::format("  ... and {} more warnings (see --format json)\n",
                           warnings.size() - kMaxWarnings);
    }
    if (const std::string caveat = LogCaveatSentence(log); !caveat.empty()) {
      *text += Hanging(Style(kYellow, "  caveat") + "  ", 10, Sanitize(caveat), width_);
    }
    *text += '\n';
    if (const auto& no_data = log.analysis.no_data) {
      WriteParagraph(Style(kYellow, "  no data") + " ", 10, "nothing to judge: " + no_data->reason,
                     text);
      WriteParagraph("  Collect ", 10,
                     no_data->collect_hint +
                         " (then logman start perfleak; leave it running for "
                         "hours, ideally a day)",
                     text);
      return;
    }
    std::size_t rows = 0;
    for (std::size_t k = 0; k < ranked.size(); ++k) {
      if (ranked[k].log_index != log_idx) continue;
      if (rows++ == 0) WriteTableHeader(text);
      WriteRow(ranked[k], next_steps_.at(ranked[k].rank), text);
    }
    if (rows == 0 && log.analysis.processes_analysed > 0) {
      *text += fmt::format("  No leaks or suspects among {} processes judged.\n",
                           log.analysis.processes_analysed);
    }
    WriteNotJudged(log, text);
    // The process findings printed so far: this log's and the earlier logs'.
    std::vector<RankedFinding> above;
    for (std::size_t printed_idx = 0; printed_idx <= log_idx; ++printed_idx) {
      for (const RankedFinding& r : ranked) {
        if (r.log_index == printed_idx) above.push_back(r);
      }
    }
    AppendTextMemorySection(log, width_, above, text);
  }

  // `first` starts the first line (its display width is `indent`), the rest are indented.
  void WriteParagraph(const std::string& first, std::size_t indent, std::string_view body,
                      std::string* text) const {
    bool head = true;
    for (const std::string& line : Wrap(Sanitize(body), width_ - indent)) {
      *text += (head ? first : std::string(indent, ' ')) + line + "\n";
      head = false;
    }
  }

  // Collapsed: one paragraph with the count, the reason and (with --all) the names; never a
  // row that could pass for ok.
  void WriteNotJudged(const LogReport& log, std::string* text) const {
    const std::vector<const Finding*> not_judged = NotJudgedFindings(log);
    if (not_judged.empty()) return;
    std::string body = NotJudgedSentence(log);
    if (options_.include_ok) {
      body += " They are:";
      for (std::size_t i = 0; i < not_judged.size(); ++i) {
        body += (i == 0 ? " " : ", ") + DisplayName(*not_judged[i]);
      }
      body += ".";
    } else {
      body += " --all lists them.";
    }
    body += " " + NextStep(log, *not_judged.front());
    WriteParagraph(Style(kYellow, "  Not judged") + " ", 13, body, text);
  }

  void WriteTableHeader(std::string* text) const {
    const Layout& l = layout_;
    const std::string header = fmt::format(
        "{} {} {} {}{} {} {} {} {}", Fit("#", l.rank, true), Fit("Verdict", l.verdict),
        Fit("Process", l.process), l.pids == 0 ? "" : Fit("PIDs", l.pids) + " ",
        Fit("Resource", l.resource), Fit("Growth/h", l.rate, true), Fit("Total", l.total, true),
        Fit("Onset", l.onset), Fit("Score", l.score, true));
    *text += Style(kBold, header) + "\n";
  }

  void WriteRow(const RankedFinding& r, const std::string& next_step, std::string* text) const {
    const Layout& l = layout_;
    const Finding& f = *r.finding;
    const Evidence* e = LeadEvidence(f);
    std::string verdict = VerdictName(f.verdict);
    std::transform(verdict.begin(), verdict.end(), verdict.begin(),
                   [](char c) { return static_cast<char>(c - 'a' + 'A'); });
    const std::string onset = e != nullptr && e->onset_utc
                                  ? FormatLocalShort(*r.log, LocalTimeOf(*r.log, *e->onset_utc))
                                  : "-";
    const std::string growth = e == nullptr ? "-" : TableGrowth(*e);
    std::vector<Cell> cells;
    std::size_t start = 0;
    const auto add = [&](const std::string& value, std::size_t width, bool right,
                         const char* style = nullptr) {
      if (width == 0) return;
      const std::string fitted = Fit(value, width, right);
      cells.push_back(
          {style == nullptr ? fitted : Style(style, fitted), start, DisplayWidth(fitted)});
      start += width + 1;
    };
    add(std::to_string(r.rank), l.rank, true);
    add(verdict, l.verdict, false, VerdictColor(f.verdict));
    add(Sanitize(DisplayName(f)), l.process, false);
    add(Pids(f, l.pids), l.pids, false);
    add(e == nullptr ? "-" : ShortCounter(e->counter), l.resource, false);
    add(e == nullptr ? "-" : TableRate(*e), l.rate, true);
    add(growth, l.total, true);
    add(onset, l.onset, false);
    add(std::isfinite(f.score) ? fmt::format("{:.2f}", f.score) : "-", l.score, true);
    *text += RowLines(cells);
    const std::size_t indent = l.rank + 1;
    if (options_.every_counter) WriteCounters(r, indent, text);
    // An ok finding says why only when a caveat qualifies it (a warm-up, a rise under the
    // floor): the rest of the --all list is the plain "nothing grew".
    if (f.verdict == Verdict::kOk && f.caveats.empty()) return;
    const std::string pad(indent, ' ');
    for (const std::string& line : Wrap(Sanitize(FindingSummary(*r.log, f)), width_ - indent)) {
      *text += pad + line + "\n";
    }
    if (const std::string note = FleetNote(r); !note.empty()) {
      for (const std::string& line : Wrap(Sanitize(note), width_ - indent)) {
        *text += pad + line + "\n";
      }
    }
    bool first = true;
    if (next_step.empty()) {
      *text += '\n';
      return;
    }
    for (const std::string& line : Wrap("Next: " + Sanitize(next_step), width_ - indent - 2)) {
      // "Next:" stands out so the eye finds the action under each summary.
      *text += pad + (first ? Style(kBold, "Next:") + line.substr(5) : "  " + line) + "\n";
      first = false;
    }
    *text += '\n';
  }

  // `--process`: each lifetime (PID, local time range) and each judged counter of the finding.
  void WriteCounters(const RankedFinding& r, std::size_t indent, std::string* text) const {
    const Finding& f = *r.finding;
    const std::string pad(indent, ' ');
    for (const Lifetime& life : f.lifetimes) {
      std::string when = "-";
      if (life.last_utc > 0) {
        when = FormatLocalMinutes(LocalTimeOf(*r.log, life.first_utc)) + " .. " +
               FormatLocalMinutes(LocalTimeOf(*r.log, life.last_utc));
      }
      const std::string pid = life.pid ? std::to_string(*life.pid) : "-";
      *text += Hanging(pad + "lifetime PID " + Fit(pid, 6) + " ", indent + 20, when, width_);
    }
    for (const Evidence& e : f.evidence) {
      std::string verdict = VerdictName(e.verdict);
      const std::string line =
          fmt::format("{} {}; {}, {} from {}; trend z {:.1f}, fit R2 {:.2f}{}", Fit(e.counter, 22),
                      Fit(verdict, 7), FormatRate(e.slope_per_hour, e.unit),
                      SignedAmount(e.growth, e.unit), FormatAmount(e.start_level, e.unit),
                      e.trend_z, e.fit_quality, e.used_envelope ? " (lower envelope)" : "");
      *text += Hanging(pad + "counter ", indent + 31, line, width_);
    }
  }

  // Only for a fleet: with one machine the ranked table already says it all.
  void WriteFleet(const Report& report, std::string* text) const {
    const FleetSummary fleet = ComputeFleet(report);
    if (fleet.machines.size() < 2 || fleet.processes.empty()) return;
    *text += '\n';
    *text += Style(kBold, fmt::format("Fleet: {} machines; processes flagged on the most "
                                      "machines first",
                                      fleet.machines.size())) +
             "\n";
    constexpr std::size_t kMaxRows = 15;
    const std::size_t name_width = layout_.process;
    for (std::size_t i = 0; i < fleet.processes.size() && i < kMaxRows; ++i) {
      const FleetProcess& p = fleet.processes[i];
      std::string counts;
      if (p.machines_leaking > 0) {
        counts += Style(kRed, fmt::format("leak on {}", p.machines_leaking));
      }
      if (p.machines_suspect > 0) {
        counts += fmt::format("{}{}", counts.empty() ? "" : ", ",
                              Style(kYellow, fmt::format("suspect on {}", p.machines_suspect)));
      }
      std::string where;
      for (const Verdict wanted : {Verdict::kLeak, Verdict::kSuspect}) {
        for (std::size_t m = 0; m < fleet.machines.size(); ++m) {
          if (p.cells[m] != wanted) continue;
          where += (where.empty() ? "" : ", ") + fleet.machines[m];
          if (wanted == Verdict::kSuspect) where += " (suspect)";
        }
      }
      const std::string plain_counts =
          (p.machines_leaking > 0 ? fmt::format("leak on {}", p.machines_leaking) : "") +
          (p.machines_suspect > 0
               ? fmt::format("{}suspect on {}", p.machines_leaking > 0 ? ", " : "",
                             p.machines_suspect)
               : "");
      const std::size_t used = 2 + std::max(name_width, DisplayWidth(Sanitize(FleetLabel(p)))) + 1 +
                               plain_counts.size() +
                               fmt::format(" of {} machines: ", fleet.machines.size()).size();
      *text += fmt::format("  {} {} of {} machines:", Fit(Sanitize(FleetLabel(p)), name_width),
                           counts, fleet.machines.size());
      // The machine list wraps under itself when there is room, else on lines of its own.
      const bool beside = used + 20 <= width_;
      const std::size_t indent = beside ? used : 4;
      bool first = true;
      for (const std::string& line : Wrap(Sanitize(where), width_ - indent)) {
        *text += first && beside ? " " : (first ? "\n" : "") + std::string(indent, ' ');
        *text += line + "\n";
        first = false;
      }
    }
    if (fleet.processes.size() > kMaxRows) {
      *text += fmt::format("  ... and {} more processes (the HTML report has the whole matrix)\n",
                           fleet.processes.size() - kMaxRows);
    }
  }

  // Repeats the failures at the end, one line each: in a folder of hundreds of logs they are
  // scattered among the per-log sections, and the end is where a reader looks.
  void WriteFailed(const Report& report, std::string* text) const {
    std::size_t failed = 0;
    for (const LogReport& log : report.logs) failed += log.status.ok() ? 0 : 1;
    if (failed == 0) return;
    *text += '\n';
    *text += Style(kRed, fmt::format("Failed {} log{}:", failed, failed == 1 ? "" : "s")) + "\n";
    for (const LogReport& log : report.logs) {
      if (log.status.ok()) continue;
      *text += Hanging("  ", 4, Sanitize(log.status.message()), width_);
    }
  }

  void WriteSkipped(const Report& report, std::string* text) const {
    if (report.skipped.empty()) return;
    *text += '\n';
    *text += Style(kBold, fmt::format("Skipped {} file{} (not analysed):", report.skipped.size(),
                                      report.skipped.size() == 1 ? "" : "s")) +
             "\n";
    constexpr std::size_t kMaxSkipped = 20;
    for (std::size_t i = 0; i < report.skipped.size() && i < kMaxSkipped; ++i) {
      const SkippedInput& s = report.skipped[i];
      *text += Hanging("  ", 4, Sanitize(fmt::format("{}: {}", s.path, s.reason)), width_);
    }
    if (report.skipped.size() > kMaxSkipped) {
      *text += fmt::format("  ... and {} more (see --format json)\n",
                           report.skipped.size() - kMaxSkipped);
    }
  }

  void WriteTotals(const Report& report, std::string* text) const {
    *text += '\n';
    for (const std::string& line : Wrap(TotalsLine(ComputeTotals(report)), width_)) {
      *text += Style(kBold, line) + "\n";
    }
  }

  ReportOptions options_;
  std::map<std::size_t, std::string> next_steps_;  // rank -> next step, for this report
  std::size_t width_ = 100;
  Layout layout_;
};

}  // namespace

std::unique_ptr<Reporter> MakeTextReporter(const ReportOptions& options) {
  return std::make_unique<TextReporter>(options);
}

}  // namespace perfleak::internal
