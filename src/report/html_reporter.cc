// HTML report: one self-contained page (inline CSS, SVG and a little JavaScript; nothing is
// fetched, so it opens from a mail attachment or a ticket with no network).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "perfleak/time_format.h"
#include "perfleak/version.h"
#include "report/chart.h"
#include "report/finding_text.h"
#include "report/memory_section.h"
#include "report/next_steps.h"
#include "report/ranking.h"
#include "report/reporters_internal.h"

namespace perfleak::internal {

namespace {

// Bounds that keep a page for a 5,000-counter log small and quick to open: detail charts are
// ~15 KB each and sparklines ~1.5 KB.
constexpr std::size_t kMaxDetailCharts = 100;
constexpr std::size_t kOpenDetails = 20;  // details shown open; later ones open on demand
// A detail is ~5 KB even collapsed: past this many flagged findings the table row is all the
// page has (text and JSON have every detail), so a 1,000-log batch page stays under 10 MB.
constexpr std::size_t kMaxDetails = 500;
constexpr std::size_t kManyLogs = 50;  // above this, the System memory section is collapsed
constexpr std::size_t kMaxSparklines = 300;
constexpr std::size_t kMaxWarningsShown = 50;
constexpr std::size_t kMaxSkippedShown = 500;
constexpr std::size_t kMaxFleetRows = 100;
constexpr std::size_t kMaxFleetColumns = 60;

constexpr std::string_view kStyle = R"css(
:root{--ink:#1f2933;--muted:#5f6b7a;--line:#d9dee5;--soft:#f4f6f9;--accent:#1d4ed8;
--leak:#9b1c1c;--leak-bg:#fde2e1;--suspect:#8a4b00;--suspect-bg:#fdefc8;--ok:#1f6b3a;--ok-bg:#e3f3e8}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:var(--ink);background:#fff}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:24px;margin:0 0 2px}h2{font-size:18px;margin:32px 0 10px;padding-bottom:4px;
border-bottom:2px solid var(--line)}h3{font-size:16px;margin:0 0 6px}
.meta{color:var(--muted);font-size:13px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
code{background:var(--soft);border:1px solid var(--line);border-radius:3px;padding:0 3px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:18px 0 4px}
.card{border:1px solid var(--line);border-radius:6px;padding:10px 16px;min-width:150px;background:var(--soft)}
.card .n{font-size:26px;font-weight:650;line-height:1.2}.card .l{color:var(--muted);font-size:12.5px}
.card.leak{border-color:var(--leak);background:var(--leak-bg)}.card.leak .n{color:var(--leak)}
.card.suspect{border-color:var(--suspect);background:var(--suspect-bg)}.card.suspect .n{color:var(--suspect)}
.card.failed .n{color:var(--leak)}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--soft);font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
#findings th{cursor:pointer;user-select:none}
#findings th[aria-sort=ascending]::after{content:" \25B2";font-size:10px}
#findings th[aria-sort=descending]::after{content:" \25BC";font-size:10px}
#findings tbody tr:hover{background:#f8fafc}
.tools{display:flex;gap:10px;align-items:center;margin:6px 0 10px;font-size:13px}
.tools input,.tools select{font:inherit;padding:4px 8px;border:1px solid var(--line);border-radius:4px}
.tools input{width:280px}
.badge{display:inline-block;min-width:64px;text-align:center;font-size:11px;font-weight:700;
letter-spacing:.04em;padding:1px 6px;border-radius:3px;border:1px solid}
.badge.leak{color:var(--leak);background:var(--leak-bg);border-color:var(--leak)}
.badge.suspect{color:var(--suspect);background:var(--suspect-bg);border-color:var(--suspect)}
.badge.ok{color:var(--ok);background:var(--ok-bg);border-color:var(--ok)}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
.detail{border:1px solid var(--line);border-left-width:5px;border-radius:6px;padding:14px 18px;margin:0 0 18px}
.detail.leak{border-left-color:var(--leak)}.detail.suspect{border-left-color:var(--suspect)}
.summary{font-size:15px;font-weight:600;margin:6px 0}
.next{background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:8px 12px;margin:8px 0 10px}
.next b{display:block;font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.nochart{color:var(--muted);font-style:italic}
details.lazy>summary{cursor:pointer;color:var(--accent);margin:6px 0}
details.sysmem>summary{font-size:18px;font-weight:600;margin:32px 0 10px}
svg.chart{width:100%;max-width:760px;height:auto;display:block;margin:6px 0}
svg.chart text{font-size:11px;fill:#4b5563;font-family:inherit}
svg.chart .ylab{text-anchor:end}svg.chart .xlab,svg.chart .axis{text-anchor:middle}
svg.chart .plot{fill:#fff;stroke:#c9d0d9}svg.chart .grid{stroke:#eceff3}
svg.chart .series{fill:none;stroke:#1d4ed8;stroke-width:1.3;stroke-linejoin:round}
svg.chart .envelope{fill:none;stroke:#0f766e;stroke-width:1.6;stroke-dasharray:5 3}
svg.chart .trend{stroke:#c2410c;stroke-width:2.2;stroke-dasharray:7 4}
svg.chart .onset{stroke:#b91c1c;stroke-width:1.6}svg.chart .onset-t{fill:#b91c1c;font-weight:600}
svg.chart .restart{stroke:#6d28d9;stroke-width:1.4;stroke-dasharray:2 3}svg.chart .restart-t{fill:#6d28d9}
svg.chart .cp{stroke:#6b7280;stroke-width:1;stroke-dasharray:4 3}svg.chart .cp-more{display:none}
.detail:has(details.cpd[open]) svg.chart .cp-more{display:inline}
details.cpd{font-size:12px;color:var(--muted);margin:-2px 0 6px}details.cpd summary{cursor:pointer}
svg.chart .limit{stroke:#111827;stroke-width:1;stroke-dasharray:1 2}
.ev td{font-size:12.5px;white-space:nowrap}.ev tr.top td{border-bottom:0;padding-bottom:0}
.ev td.method{color:var(--muted);font-size:12px;white-space:normal;padding-top:0}
.scroll{overflow-x:auto}
.sparks{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:8px}
.sp{border:1px solid var(--line);border-radius:4px;padding:5px 8px 4px;font-size:12px}
.sp.leak{border-color:var(--leak)}.sp.suspect{border-color:var(--suspect)}
.sp .sn{font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.sp .sh{font-weight:400;color:var(--muted)}
.sp .sm{color:var(--muted);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
#findings td,table.logs td.mono,table.skipped td.mono{overflow-wrap:anywhere}
@media (max-width:900px){main{padding:16px 12px 32px}#findings th,#findings td{padding:4px 5px}
#findings .pids{display:none}.tools{flex-wrap:wrap}.tools input{width:100%}}
svg.spark{width:100%;height:36px;display:block}
svg.spark path{fill:none;stroke-width:1.2;vector-effect:non-scaling-stroke}
.s-leak{stroke:#b91c1c}.s-suspect{stroke:#b45309}.s-ok{stroke:#64748b}.s-not_judged{stroke:#94a3b8}
.err{color:var(--leak)}
.caveat,.note.caveat{color:var(--suspect)}
.fleetnote{color:var(--leak);font-weight:600;margin:0 0 6px}
table.fleet{width:auto}table.fleet td.num,table.fleet th.num{padding-left:18px}
table.fleet td.c,table.fleet th.c{text-align:center;padding:3px 4px;min-width:34px}
table.fleet th.c{font-size:11px;font-weight:600;writing-mode:vertical-rl;transform:rotate(180deg);
vertical-align:bottom}
table.fleet td.L{background:var(--leak-bg);color:var(--leak);font-weight:700}
table.fleet td.S{background:var(--suspect-bg);color:var(--suspect)}
.note{color:var(--muted);font-size:13px}
footer{margin-top:36px;color:var(--muted);font-size:12px}
@media print{main{max-width:none;padding:0}.tools{display:none}.detail{break-inside:avoid}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
)css";

// Sorting and filtering of the findings table, and collapsed sections built when opened;
// plain DOM, no library, no network.
constexpr std::string_view kScript = R"js(
(function () {
  var lazy = document.querySelectorAll('details.lazy');
  for (var i = 0; i < lazy.length; i++) {
    lazy[i].addEventListener('toggle', function () {
      var t = this.querySelector(':scope > template');
      if (this.open && t) { this.appendChild(t.content); t.remove(); }
    });
  }
})();
(function () {
  var table = document.getElementById('findings');
  if (!table) return;
  var body = table.tBodies[0];
  var query = document.getElementById('q');
  var verdict = document.getElementById('vf');
  var shown = document.getElementById('shown');
  function filter() {
    var text = query.value.toLowerCase(), want = verdict.value, count = 0;
    for (var i = 0; i < body.rows.length; i++) {
      var row = body.rows[i];
      var visible = (!want || row.getAttribute('data-verdict') === want) &&
          (!text || row.textContent.toLowerCase().indexOf(text) >= 0);
      row.hidden = !visible;
      if (visible) count++;
    }
    shown.textContent = count;
  }
  query.addEventListener('input', filter);
  verdict.addEventListener('change', filter);
  var heads = table.tHead.rows[0].cells;
  for (var c = 0; c < heads.length; c++) {
    heads[c].addEventListener('click', (function (col) {
      return function () {
        var th = heads[col], numeric = th.getAttribute('data-type') === 'num';
        // Numbers (growth, score) are read largest first; names A to Z.
        var current = th.getAttribute('aria-sort');
        var dir = current ? (current === 'ascending' ? -1 : 1) : (numeric ? -1 : 1);
        for (var k = 0; k < heads.length; k++) heads[k].removeAttribute('aria-sort');
        th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col], y = b.cells[col];
          var u = x.getAttribute('data-v'), v = y.getAttribute('data-v');
          if (u === null) u = x.textContent;
          if (v === null) v = y.textContent;
          if (numeric) return dir * ((parseFloat(u) || 0) - (parseFloat(v) || 0));
          return dir * u.localeCompare(v);
        });
        for (var r = 0; r < rows.length; r++) body.appendChild(rows[r]);
      };
    })(c));
  }
})();
)js";

// Escapes the text, then shows `...` spans (commands in next steps) as code.
std::string WithCode(std::string_view text) {
  const std::string escaped = HtmlEscape(text);
  std::string out;
  bool in_code = false;
  for (char c : escaped) {
    if (c == '`') {
      out += in_code ? "</code>" : "<code>";
      in_code = !in_code;
    } else {
      out += c;
    }
  }
  if (in_code) out += "</code>";
  return out;
}

std::string Badge(Verdict verdict) {
  std::string name = VerdictName(verdict);
  std::string upper = name;
  for (char& c : upper) c = static_cast<char>(c - 'a' + 'A');
  return fmt::format("<span class=\"badge {}\">{}</span>", name, upper);
}

std::string PidList(const Finding& f) {
  std::string out;
  for (std::int64_t pid : f.pids) out += (out.empty() ? "" : ", ") + std::to_string(pid);
  return out.empty() ? "-" : out;
}

std::string Signed(double value, std::string_view unit) {
  return std::isfinite(value) ? SignedAmount(value, unit) : "-";
}

std::string Fixed(double value, int decimals) {
  return std::isfinite(value) ? fmt::format("{:.{}f}", value, decimals) : "-";
}

// For data-v sort keys: a plain number, never NaN (the JavaScript treats bad keys as 0).
std::string Key(double value) { return std::isfinite(value) ? fmt::format("{:.6g}", value) : "0"; }

// Under the log's path: which files were joined into its timeline.
std::string PartsNote(const LogReport& log) {
  if (log.parts.size() <= 1) return "";
  std::string files;
  for (const std::string& part : log.parts) files += (files.empty() ? "" : ", ") + part;
  return fmt::format(" &middot; stitched from {} files: {}", log.parts.size(), HtmlEscape(files));
}

class HtmlReporter final : public Reporter {
 public:
  explicit HtmlReporter(ReportOptions options) : options_(std::move(options)) {}

  Status Write(const Report& report, std::ostream& out) override {
    std::string html;
    html.reserve(256 * 1024);
    const std::vector<RankedFinding> ranked = RankFindings(report, options_.include_ok);
    // Sparklines of every process: the ranked ones, then those not judged (their few samples
    // are still worth seeing); ranks here only number the tiles.
    std::vector<RankedFinding> all = RankFindings(report, true);
    for (std::size_t k = 0; k < report.logs.size(); ++k) {
      if (!report.logs[k].status.ok()) continue;
      for (const Finding* f : NotJudgedFindings(report.logs[k])) {
        all.push_back({all.size() + 1, k, &report.logs[k], f, 0});
      }
    }
    html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    html += "<title>perfleak report</title>\n<style>";
    html += kStyle;
    html += "</style>\n</head>\n<body>\n<main>\n";
    WriteHeader(report, &html);
    WriteFleet(report, &html);
    WriteFindingsTable(report, ranked, &html);
    WriteDetails(ranked, &html);
    WriteNotJudged(report, &html);
    WriteMemorySection(report, &html);
    WriteSparklines(all, &html);
    WriteLogs(report, &html);
    WriteSkipped(report, &html);
    fmt::format_to(std::back_inserter(html),
                   "<footer>perfleak {} &middot; times are local to each log unless marked UTC "
                   "&middot; bytes are 1024-based (1 MB = 1,048,576 bytes)</footer>\n",
                   kVersion);
    html += "</main>\n<script>";
    html += kScript;
    html += "</script>\n</body>\n</html>\n";
    out.write(html.data(), static_cast<std::streamsize>(html.size()));
    if (!out) return Status::IoError("cannot write the HTML report: output stream failed");
    return Status::OK();
  }

 private:
  void WriteHeader(const Report& report, std::string* html) const {
    const ReportTotals t = ComputeTotals(report);
    auto out = std::back_inserter(*html);
    fmt::format_to(out,
                   "<header>\n<h1>perfleak leak report</h1>\n<div class=\"meta\">Generated {} "
                   "by perfleak {} &middot; sensitivity {}</div>\n</header>\n",
                   HtmlEscape(GeneratedUtc(options_)), kVersion,
                   SensitivityName(options_.sensitivity));
    std::string machines;
    for (std::size_t i = 0; i < t.machines.size() && i < 6; ++i) {
      machines += (i == 0 ? "" : ", ") + HtmlEscape(t.machines[i]);
    }
    if (t.machines.size() > 6) machines += fmt::format(" and {} more", t.machines.size() - 6);
    *html += "<section class=\"cards\" id=\"summary\">\n";
    const auto card = [&](const char* cls, std::size_t n, std::string_view label,
                          std::string_view extra) {
      fmt::format_to(out,
                     "<div class=\"card {}\"><div class=\"n\">{}</div><div class=\"l\">{}{}"
                     "</div></div>\n",
                     cls, n, label, extra);
    };
    card("", t.logs - t.logs_failed, "logs analysed", "");
    card("", t.machines.size(), t.machines.size() == 1 ? "machine" : "machines",
         machines.empty() ? "" : ": " + machines);
    card("", t.processes_analysed, "processes judged", "");
    if (t.not_judged > 0) card("", t.not_judged, "not judged", "");
    card("leak", t.leaks, t.leaks == 1 ? "leak" : "leaks", "");
    card("suspect", t.suspects, t.suspects == 1 ? "suspect" : "suspects", "");
    card(t.logs_failed > 0 ? "failed" : "", t.logs_failed,
         t.logs_failed == 1 ? "failed log" : "failed logs", "");
    if (t.skipped > 0) {
      card("", t.skipped, t.skipped == 1 ? "skipped file" : "skipped files", "");
    }
    *html += "</section>\n";
    fmt::format_to(out, "<p class=\"note\" id=\"totals\">{}</p>\n", HtmlEscape(TotalsLine(t)));
  }

  // "No leaks" in a short capture says little: its sentence for one log, else how many.
  void WriteShortCaptureNote(const Report& report, std::string* html) const {
    std::vector<std::string> sentences;
    for (const LogReport& log : report.logs) {
      if (std::string s = LogCaveatSentence(log); !s.empty()) sentences.push_back(std::move(s));
    }
    if (sentences.empty()) return;
    const std::string text =
        report.logs.size() == 1
            ? sentences.front()
            : fmt::format(
                  "{} of the {} logs are short captures, too short for a slow leak to "
                  "show: see Logs.",
                  sentences.size(), report.logs.size());
    fmt::format_to(std::back_inserter(*html), "<p class=\"note caveat\">{}</p>\n",
                   HtmlEscape(text));
  }

  void WriteFindingsTable(const Report& report, const std::vector<RankedFinding>& ranked,
                          std::string* html) const {
    auto out = std::back_inserter(*html);
    *html += "<h2>Findings</h2>\n";
    if (ranked.empty()) {
      const ReportTotals t = ComputeTotals(report);
      *html += t.processes_analysed > 0
                   ? "<p class=\"note\">No leaks or suspects found.</p>\n"
                   : "<p class=\"note\">No process could be judged: see Not judged and Logs.</p>\n";
      WriteShortCaptureNote(report, html);
      return;
    }
    fmt::format_to(out,
                   "<div class=\"tools\"><input id=\"q\" type=\"search\" placeholder=\"Filter "
                   "by process, machine, PID, counter...\" aria-label=\"Filter\">"
                   "<select id=\"vf\" aria-label=\"Verdict\"><option value=\"\">all verdicts"
                   "</option><option value=\"leak\">leak</option><option value=\"suspect\">"
                   "suspect</option>{}</select><span class=\"note\"><span id=\"shown\">{}</span>"
                   " shown &middot; click a column to sort</span></div>\n",
                   options_.include_ok ? "<option value=\"ok\">ok</option>" : "", ranked.size());
    *html +=
        "<table id=\"findings\">\n<thead><tr><th class=\"num\" data-type=\"num\">#</th>"
        "<th data-type=\"num\">Verdict</th><th>Process</th><th>Machine</th><th "
        "class=\"pids\">PIDs</th>"
        "<th>Resource</th><th class=\"num\" data-type=\"num\">Growth/h</th>"
        "<th class=\"num\" data-type=\"num\">Total</th><th data-type=\"num\">Onset (local)</th>"
        "<th class=\"num\" data-type=\"num\">Score</th></tr></thead>\n<tbody>\n";
    std::size_t flagged = 0;
    for (const RankedFinding& r : ranked) {
      const Finding& f = *r.finding;
      const Evidence* e = LeadEvidence(f);
      const bool detail = IsFlagged(f.verdict) && ++flagged <= kMaxDetails;
      const std::string target =
          f.verdict == Verdict::kOk ? fmt::format("s-{}", r.rank) : fmt::format("f-{}", r.rank);
      const std::string name = HtmlEscape(DisplayName(f));
      const Ticks onset_local =
          e != nullptr && e->onset_utc ? LocalTimeOf(*r.log, *e->onset_utc) : 0;
      fmt::format_to(
          out,
          "<tr data-verdict=\"{}\"><td class=\"num\">{}</td><td data-v=\"{}\">{}</td>"
          "<td>{}</td><td>{}</td><td class=\"mono pids\">{}</td><td>{}</td>"
          "<td class=\"num\" data-v=\"{}\">{}</td><td class=\"num\" data-v=\"{}\">{}</td>"
          "<td data-v=\"{}\">{}</td><td class=\"num\">{}</td></tr>\n",
          VerdictName(f.verdict), r.rank, static_cast<int>(f.verdict), Badge(f.verdict),
          detail || !IsFlagged(f.verdict) ? fmt::format("<a href=\"#{}\">{}</a>", target, name)
                                          : name,
          HtmlEscape(f.machine), PidList(f), e == nullptr ? "-" : HtmlEscape(e->counter),
          e == nullptr ? "0" : Key(e->slope_per_hour),
          e == nullptr ? "-" : HtmlEscape(FormatRate(e->slope_per_hour, e->unit)),
          e == nullptr ? "0" : Key(e->observed_change),
          e == nullptr ? "-" : HtmlEscape(Signed(e->observed_change, e->unit)), onset_local,
          e != nullptr && e->onset_utc ? FormatLocalMinutes(onset_local) : "-", Fixed(f.score, 2));
    }
    *html += "</tbody>\n</table>\n";
  }

  void WriteDetails(const std::vector<RankedFinding>& ranked, std::string* html) const {
    auto out = std::back_inserter(*html);
    std::size_t charts = 0, details = 0, left_out = 0;
    bool heading = false;
    const std::vector<std::string> next_steps = ReportNextSteps(ranked);
    for (std::size_t k = 0; k < ranked.size(); ++k) {
      const RankedFinding& r = ranked[k];
      const Finding& f = *r.finding;
      if (!IsFlagged(f.verdict)) continue;
      if (details == kMaxDetails) {
        ++left_out;
        continue;
      }
      if (!heading) *html += "<h2>Details</h2>\n";
      heading = true;
      const char* verdict = VerdictName(f.verdict);
      fmt::format_to(out,
                     "<section class=\"detail {}\" id=\"f-{}\">\n<h3>#{} {} {}{}</h3>\n"
                     "<div class=\"meta\">PIDs {} &middot; score {} &middot; log <span "
                     "class=\"mono\">{}</span></div>\n",
                     verdict, r.rank, r.rank, Badge(f.verdict), HtmlEscape(DisplayName(f)),
                     f.machine.empty() ? "" : " on " + HtmlEscape(f.machine), PidList(f),
                     Fixed(f.score, 2), HtmlEscape(r.log->path));
      fmt::format_to(out, "<p class=\"summary\">{}</p>\n", HtmlEscape(FindingSummary(*r.log, f)));
      if (const std::string note = FleetNote(r); !note.empty()) {
        fmt::format_to(out, "<p class=\"fleetnote\">{}</p>\n", HtmlEscape(note));
      }
      fmt::format_to(out, "<div class=\"next\"><b>Next step</b>{}</div>\n",
                     WithCode(next_steps[k]));
      // Past the first findings, the chart and figures wait in a <template> until the reader
      // opens them: a page of a 1,000-log batch stays quick to open.
      const bool lazy = ++details > kOpenDetails;
      if (lazy) *html += "<details class=\"lazy\"><summary>chart and evidence</summary><template>";
      if (const Evidence* lead = LeadEvidence(f); lead != nullptr) {
        std::string why_not;
        std::string chart;
        if (charts < kMaxDetailCharts) {
          chart = RenderDetailChart(*r.log, f, *lead, &why_not);
        } else {
          why_not = fmt::format(
              "Chart left out to keep the page small: only the first {} findings have charts.",
              kMaxDetailCharts);
        }
        if (chart.empty()) {
          fmt::format_to(out, "<p class=\"nochart\">{}</p>\n", HtmlEscape(why_not));
        } else {
          ++charts;
          *html += chart;
        }
      }
      WriteEvidence(*r.log, f, html);
      if (lazy) *html += "</template></details>\n";
      *html += "</section>\n";
    }
    if (left_out > 0) {
      fmt::format_to(out,
                     "<p class=\"note\">Details of the first {} of {} flagged findings are shown "
                     "to keep the page small; the findings table lists every one, and the text "
                     "and JSON reports have all their details.</p>\n",
                     kMaxDetails, kMaxDetails + left_out);
    }
  }

  // Collapsed per log: the instances that could not be judged, why, and what to collect.
  void WriteNotJudged(const Report& report, std::string* html) const {
    auto out = std::back_inserter(*html);
    bool heading = false;
    for (const LogReport& log : report.logs) {
      if (!log.status.ok()) continue;
      const std::vector<const Finding*> not_judged = NotJudgedFindings(log);
      if (not_judged.empty()) continue;
      if (!heading) *html += "<h2 id=\"not-judged\">Not judged</h2>\n";
      heading = true;
      fmt::format_to(out,
                     "<details class=\"notjudged\"><summary><span class=\"mono\">{}</span>: {}"
                     "</summary>\n<p class=\"next\">{}</p>\n<ul>\n",
                     HtmlEscape(log.path), HtmlEscape(NotJudgedSentence(log)),
                     WithCode(NextStep(log, *not_judged.front())));
      for (const Finding* f : not_judged) {
        fmt::format_to(out, "<li>{} (PIDs {}): {}</li>\n", HtmlEscape(DisplayName(*f)), PidList(*f),
                       HtmlEscape(FindingSummary(log, *f)));
      }
      *html += "</ul></details>\n";
    }
  }

  // With many logs the System memory section (a chart per machine) is collapsed and built
  // only when opened.
  void WriteMemorySection(const Report& report, std::string* html) const {
    if (report.logs.size() <= kManyLogs) {
      AppendHtmlMemorySection(report, html);
      return;
    }
    std::string section;
    AppendHtmlMemorySection(report, &section);
    if (section.empty()) return;
    fmt::format_to(std::back_inserter(*html),
                   "<details class=\"lazy sysmem\"><summary>System memory of "
                   "the {} logs (commit against its limit, pressure episodes, who grew)</summary>"
                   "<template>{}</template></details>\n",
                   report.logs.size(), section);
  }

  void WriteEvidence(const LogReport& log, const Finding& f, std::string* html) const {
    if (f.evidence.empty()) return;
    auto out = std::back_inserter(*html);
    *html +=
        "<div class=\"scroll\"><table class=\"ev\"><thead><tr><th>Counter</th><th>Verdict</th>"
        "<th class=\"num\">Growth/h</th><th class=\"num\">Growth</th>"
        "<th class=\"num\">Start level</th><th>Onset (local)</th><th class=\"num\">Fit R&sup2;"
        "</th><th class=\"num\">Trend z</th><th class=\"num\">Consistency</th>"
        "<th class=\"num\">Score</th></tr></thead>\n<tbody>\n";
    for (const Evidence& e : f.evidence) {
      fmt::format_to(
          out,
          "<tr class=\"top\"><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}"
          "</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "</tr>\n<tr><td></td><td class=\"method\" colspan=\"9\">Method: {}{}</td></tr>\n",
          HtmlEscape(e.counter), Badge(e.verdict), HtmlEscape(FormatRate(e.slope_per_hour, e.unit)),
          HtmlEscape(Signed(e.growth, e.unit)), HtmlEscape(FormatAmount(e.start_level, e.unit)),
          e.onset_utc ? FormatLocalMinutes(LocalTimeOf(log, *e.onset_utc)) : "-",
          Fixed(e.fit_quality, 2), Fixed(e.trend_z, 1),
          std::isfinite(e.consistency) ? fmt::format("{:.0f}%", e.consistency * 100) : "-",
          Fixed(e.score, 2), HtmlEscape(e.method), e.used_envelope ? " (lower envelope)" : "");
    }
    *html += "</tbody></table></div>\n";
  }

  void WriteSparklines(const std::vector<RankedFinding>& all, std::string* html) const {
    if (all.empty()) return;
    auto out = std::back_inserter(*html);
    fmt::format_to(out,
                   "<h2>All analysed processes</h2>\n<p class=\"note\">The strongest counter of "
                   "each process over the log, worst first{}.</p>\n<div class=\"sparks\">\n",
                   all.size() > kMaxSparklines
                       ? fmt::format("; the first {} of {} are shown to keep the page small",
                                     kMaxSparklines, all.size())
                       : "");
    for (std::size_t i = 0; i < all.size() && i < kMaxSparklines; ++i) {
      const RankedFinding& r = all[i];
      const Finding& f = *r.finding;
      const Evidence* e = LeadEvidence(f);
      const std::string spark = e == nullptr ? "" : RenderSparkline(*r.log, f, *e);
      fmt::format_to(
          out,
          "<div class=\"sp {}\" id=\"s-{}\" title=\"{}\"><div class=\"sn\">{}{}</div>{}"
          "<div class=\"sm\">{} {}</div></div>\n",
          VerdictName(f.verdict), r.rank, HtmlEscape(FindingSummary(*r.log, f)),
          HtmlEscape(DisplayName(f)),
          f.machine.empty() ? "" : " <span class=\"sh\">on " + HtmlEscape(f.machine) + "</span>",
          spark.empty() ? "<div class=\"nochart\">no series</div>" : spark,
          e == nullptr ? "-" : HtmlEscape(e->counter),
          e == nullptr ? "" : HtmlEscape(Signed(e->observed_change, e->unit)));
    }
    *html += "</div>\n";
  }

  void WriteLogs(const Report& report, std::string* html) const {
    auto out = std::back_inserter(*html);
    *html +=
        "<h2>Logs</h2>\n<div class=\"scroll\"><table "
        "class=\"logs\"><thead><tr><th>Log</th><th>Status</th>"
        "<th>Machines</th><th>Time range (local)</th><th>Time range (UTC)</th>"
        "<th class=\"num\">Samples</th><th class=\"num\">Interval</th>"
        "<th class=\"num\">Counters</th><th class=\"num\">Processes</th></tr></thead>\n<tbody>\n";
    for (const LogReport& log : report.logs) {
      const std::string format = log.format ? LogFormatName(*log.format) : "unknown format";
      if (!log.status.ok()) {
        fmt::format_to(out,
                       "<tr><td class=\"mono\">{}<br><span class=\"note\">{}</span></td>"
                       "<td class=\"err\" colspan=\"8\"><b>failed:</b> {}</td></tr>\n",
                       HtmlEscape(log.path), format, HtmlEscape(log.status.message()));
        continue;
      }
      const LogSummary& s = log.summary;
      std::string machines;
      for (const std::string& m : s.machines) machines += (machines.empty() ? "" : ", ") + m;
      const auto& no_data = log.analysis.no_data;
      fmt::format_to(out,
                     "<tr><td class=\"mono\">{}<br><span class=\"note\">{}{}</span></td>"
                     "<td>{}</td><td>{}</td><td>{} &ndash; {}</td><td>{} &ndash; {}</td>"
                     "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                     "<td class=\"num\">{}</td></tr>\n",
                     HtmlEscape(log.path), format, PartsNote(log),
                     no_data ? "<b class=\"err\">no data</b>" : "ok", HtmlEscape(machines),
                     s.samples == 0 ? "-" : FormatLocal(s.first_local).substr(0, 19),
                     s.samples == 0 ? "-" : FormatLocal(s.last_local).substr(0, 19),
                     s.samples == 0 ? "-" : FormatIsoUtc(s.first_utc, false),
                     s.samples == 0 ? "-" : FormatIsoUtc(s.last_utc, false), s.samples,
                     FormatDuration(s.median_interval_s), s.counters,
                     log.analysis.processes_analysed);
      if (no_data) {
        fmt::format_to(out,
                       "<tr><td></td><td colspan=\"8\">Nothing to judge: {}. Collect with "
                       "<code>{}</code></td></tr>\n",
                       HtmlEscape(no_data->reason), HtmlEscape(no_data->collect_hint));
      }
      if (const std::string caveat = LogCaveatSentence(log); !caveat.empty()) {
        fmt::format_to(out, "<tr><td></td><td colspan=\"8\" class=\"caveat\">{}</td></tr>\n",
                       HtmlEscape(caveat));
      }
      const std::vector<std::string> warnings = AllWarnings(log);
      if (warnings.empty()) continue;
      fmt::format_to(out,
                     "<tr><td></td><td colspan=\"8\"><details><summary>{} warning{}</summary>"
                     "<ul>\n",
                     warnings.size(), warnings.size() == 1 ? "" : "s");
      for (std::size_t i = 0; i < warnings.size() && i < kMaxWarningsShown; ++i) {
        fmt::format_to(out, "<li>{}</li>\n", HtmlEscape(warnings[i]));
      }
      if (warnings.size() > kMaxWarningsShown) {
        fmt::format_to(out, "<li>... and {} more (see the JSON report)</li>\n",
                       warnings.size() - kMaxWarningsShown);
      }
      *html += "</ul></details></td></tr>\n";
    }
    *html += "</tbody></table></div>\n";
  }

  // Only for a fleet: with one machine the findings table already says it all.
  void WriteFleet(const Report& report, std::string* html) const {
    const FleetSummary fleet = ComputeFleet(report);
    if (fleet.machines.size() < 2 || fleet.processes.empty()) return;
    auto out = std::back_inserter(*html);
    const std::size_t rows = std::min(fleet.processes.size(), kMaxFleetRows);
    const std::size_t columns = std::min(fleet.machines.size(), kMaxFleetColumns);
    fmt::format_to(out,
                   "<h2>Fleet</h2>\n<p class=\"note\">Processes flagged on {} machines, the "
                   "ones leaking on the most machines first: the same process leaking on several "
                   "machines is the strongest signal in a fleet, so the findings below are "
                   "ranked that way too. L = leak, S = suspect.{}</p>\n",
                   fleet.machines.size(),
                   rows < fleet.processes.size() || columns < fleet.machines.size()
                       ? fmt::format(" The first {} of {} processes and {} of {} machines are "
                                     "shown to keep the page small; the JSON report has all.",
                                     rows, fleet.processes.size(), columns, fleet.machines.size())
                       : "");
    *html +=
        "<div class=\"scroll\"><table class=\"fleet\" id=\"fleet\"><thead><tr><th>Process</th>"
        "<th class=\"num\">Leaking on</th><th class=\"num\">Suspect on</th>";
    for (std::size_t m = 0; m < columns; ++m) {
      fmt::format_to(out, "<th class=\"c\">{}</th>", HtmlEscape(fleet.machines[m]));
    }
    *html += "</tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < rows; ++i) {
      const FleetProcess& p = fleet.processes[i];
      fmt::format_to(out, "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
                     HtmlEscape(FleetLabel(p)), p.machines_leaking, p.machines_suspect);
      for (std::size_t m = 0; m < columns; ++m) {
        const std::optional<Verdict>& cell = p.cells[m];
        if (!cell) {
          *html += "<td class=\"c\"></td>";
        } else if (*cell == Verdict::kLeak) {
          fmt::format_to(out, "<td class=\"c L\" title=\"{} leaks on {}\">L</td>",
                         HtmlEscape(FleetLabel(p)), HtmlEscape(fleet.machines[m]));
        } else {
          fmt::format_to(out, "<td class=\"c S\" title=\"{} is suspect on {}\">S</td>",
                         HtmlEscape(FleetLabel(p)), HtmlEscape(fleet.machines[m]));
        }
      }
      *html += "</tr>\n";
    }
    *html += "</tbody></table></div>\n";
  }

  void WriteSkipped(const Report& report, std::string* html) const {
    if (report.skipped.empty()) return;
    auto out = std::back_inserter(*html);
    fmt::format_to(out,
                   "<h2>Skipped files</h2>\n<p class=\"note\">{} file{} in the input folders "
                   "{} not counter logs and {} not analysed.</p>\n<div class=\"scroll\">"
                   "<table class=\"skipped\">"
                   "<thead><tr><th>File</th><th>Reason</th></tr></thead>\n<tbody>\n",
                   report.skipped.size(), report.skipped.size() == 1 ? "" : "s",
                   report.skipped.size() == 1 ? "is" : "are",
                   report.skipped.size() == 1 ? "was" : "were");
    for (std::size_t i = 0; i < report.skipped.size() && i < kMaxSkippedShown; ++i) {
      fmt::format_to(out, "<tr><td class=\"mono\">{}</td><td>{}</td></tr>\n",
                     HtmlEscape(report.skipped[i].path), HtmlEscape(report.skipped[i].reason));
    }
    if (report.skipped.size() > kMaxSkippedShown) {
      fmt::format_to(out, "<tr><td colspan=\"2\">... and {} more (see the JSON report)</td></tr>\n",
                     report.skipped.size() - kMaxSkippedShown);
    }
    *html += "</tbody></table></div>\n";
  }

  ReportOptions options_;
};

}  // namespace

std::unique_ptr<Reporter> MakeHtmlReporter(const ReportOptions& options) {
  return std::make_unique<HtmlReporter>(options);
}

}  // namespace perfleak::internal
