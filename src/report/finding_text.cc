#include "report/finding_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>

#include "common/ascii_case_internal.h"
#include "perfleak/time_format.h"
#include "report/process_advice.h"

namespace perfleak::internal {

namespace {

bool ContainsNoCase(std::string_view text, std::string_view needle) {
  if (needle.size() > text.size()) return false;
  for (std::size_t pos = 0; pos + needle.size() <= text.size(); ++pos) {
    bool match = true;
    for (std::size_t i = 0; i < needle.size() && match; ++i) {
      match = AsciiLower(text[pos + i]) == AsciiLower(needle[i]);
    }
    if (match) return true;
  }
  return false;
}

// Ten or more of a unit reads well without decimals; below that one decimal keeps 1.5 GB
// from collapsing into 2 GB.
std::string Number(double value) {
  if (!std::isfinite(value)) return "n/a";
  const double magnitude = std::fabs(value);
  if (magnitude >= 9.95 || magnitude == 0.0) return fmt::format("{:.0f}", value);
  return fmt::format("{:.1f}", value);
}

std::string ScaledBytes(double bytes, std::string_view suffix) {
  static constexpr std::array<const char*, 5> kUnits = {"B", "KB", "MB", "GB", "TB"};
  if (!std::isfinite(bytes)) return "n/a";
  double value = bytes;
  std::size_t unit_idx = 0;
  // Switch unit at 1000 rather than 1024 so a value never prints as four digits.
  while (std::fabs(value) >= 1000.0 && unit_idx + 1 < kUnits.size()) {
    value /= 1024.0;
    ++unit_idx;
  }
  return fmt::format("{} {}{}", Number(value), kUnits[unit_idx], suffix);
}

}  // namespace

CounterKind ClassifyCounter(std::string_view counter) {
  if (ContainsNoCase(counter, "private bytes")) return CounterKind::kPrivateBytes;
  if (ContainsNoCase(counter, "working set")) return CounterKind::kWorkingSet;
  if (ContainsNoCase(counter, "virtual bytes")) return CounterKind::kVirtualBytes;
  if (ContainsNoCase(counter, "handle")) return CounterKind::kHandles;
  if (ContainsNoCase(counter, "thread")) return CounterKind::kThreads;
  if (ContainsNoCase(counter, "pool")) return CounterKind::kPool;
  if (ContainsNoCase(counter, "commit")) return CounterKind::kCommitted;
  return CounterKind::kOther;
}

std::string FormatAmount(double value, std::string_view unit) {
  if (unit == "bytes") return ScaledBytes(value, "");
  if (unit.empty()) return Number(value);
  // Handles and threads are whole things: a fitted "+5.5 handles" reads as a bug, and so does
  // "+1 handles".
  if (!std::isfinite(value)) return fmt::format("n/a {}", unit);
  const std::string whole = fmt::format("{:.0f}", value);
  const bool one = whole == "1" || whole == "-1";
  if (one && unit.size() > 1 && unit.back() == 's') unit.remove_suffix(1);
  return fmt::format("{} {}", whole, unit);
}

// fmt rather than `"+" + std::string`: g++ 12 -O3 warns falsely (-Wrestrict, GCC PR 105651)
// on a literal plus a temporary string.
std::string SignedAmount(double value, std::string_view unit) {
  if (!std::isfinite(value)) return "n/a";
  return fmt::format("{}{}", value >= 0 ? "+" : "-", FormatAmount(std::fabs(value), unit));
}

std::string FormatRate(double per_hour, std::string_view unit) {
  if (unit == "bytes") return ScaledBytes(per_hour, "/h");
  if (unit.empty()) return Number(per_hour) + "/h";
  return fmt::format("{} {}/h", Number(per_hour), unit);
}

Ticks LocalTimeOf(const LogReport& log, Ticks utc) {
  if (log.log && log.log->time_local.size() == log.log->time_utc.size()) {
    const auto& times = log.log->time_utc;
    const auto it = std::lower_bound(times.begin(), times.end(), utc);
    if (it != times.end() && *it == utc) {
      return log.log->time_local[static_cast<std::size_t>(it - times.begin())];
    }
    // Not a sample instant (a fitted crossing): shift by the offset of the nearest sample,
    // which follows a DST change inside the log.
    if (!times.empty()) {
      const std::size_t idx =
          it == times.end() ? times.size() - 1 : static_cast<std::size_t>(it - times.begin());
      return utc + (log.log->time_local[idx] - times[idx]);
    }
  }
  return utc + (log.summary.first_local - log.summary.first_utc);
}

std::string FormatLocalMinutes(Ticks local) { return FormatLocal(local).substr(0, 16); }

std::string FormatLocalShort(const LogReport& log, Ticks local) {
  const std::string full = FormatLocalMinutes(local);
  const bool one_day = log.summary.last_local - log.summary.first_local < 24 * kTicksPerHour &&
                       FormatLocal(log.summary.first_local).substr(0, 10) ==
                           FormatLocal(log.summary.last_local).substr(0, 10);
  return one_day ? full.substr(11) : full.substr(5);
}

namespace {

std::string WindowLength(const Evidence& e) {
  return FormatDuration(static_cast<double>(e.window_end_utc - e.window_start_utc) /
                        kTicksPerSecond);
}

bool Has(const std::vector<std::string>& caveats, std::string_view code) {
  return std::find(caveats.begin(), caveats.end(), code) != caveats.end();
}

const Evidence* FindCounter(const Finding& finding, CounterKind kind) {
  for (const Evidence& e : finding.evidence) {
    if (ClassifyCounter(e.counter) == kind) return &e;
  }
  return nullptr;
}

// A warm-up or plateau in words: how much, how fast, and since when it is flat.
std::string ShapeSentence(const LogReport& log, const Evidence& e) {
  const std::string rose = FormatAmount(std::max(e.observed_change, 0.0), e.unit);
  const Ticks end = e.growth_end_utc.value_or(e.window_end_utc);
  const std::string rising =
      FormatDuration(static_cast<double>(end - e.window_start_utc) / kTicksPerSecond);
  const std::string flat =
      FormatDuration(static_cast<double>(e.window_end_utc - end) / kTicksPerSecond);
  const std::string since = FormatLocalShort(log, LocalTimeOf(log, end));
  const bool plateau = Has(e.caveats, "plateau");
  if (Has(e.caveats, "warm_up")) {
    if (plateau) {
      return fmt::format("{} rose {} in the first {}, flat since {}: looks like warm-up", e.counter,
                         rose, rising, since);
    }
    return fmt::format("{} rose {} in {}, slowing toward a plateau: looks like warm-up", e.counter,
                       rose, WindowLength(e));
  }
  return fmt::format(
      "{} rose {} until {}, then stayed flat for {}: growth that stopped (a cache that filled, "
      "or a leak that stopped)",
      e.counter, rose, since, flat);
}

// How much of Private Bytes' observed growth the managed heap explains (the .NET CLR
// evidence matched by PID), so the summary says managed or native before the next step does.
std::string ExplainedSentence(const Finding& finding) {
  const Evidence* pb = FindCounter(finding, CounterKind::kPrivateBytes);
  if (pb == nullptr || pb->explained_by.empty() || !(pb->observed_change > 0.0)) return "";
  const Explanation& heap = pb->explained_by.front();
  const std::string grew = FormatAmount(pb->observed_change, "bytes");
  if (finding.kind == "native") {
    return fmt::format(
        " Private Bytes grew {} while the .NET heap ({}) changed by {}: native memory, not the "
        "managed heap.",
        grew, heap.counter, SignedAmount(heap.change, "bytes"));
  }
  return fmt::format(" Private Bytes grew {}; the .NET heap ({}, {}) explains {} of it.", grew,
                     heap.counter, SignedAmount(heap.change, "bytes"), Percent(heap.share));
}

// The sentences of the caveats that do not change the summary's first sentence.
std::string CaveatSentences(const Finding& finding, const Evidence& e) {
  std::string text = IsFlagged(finding.verdict) ? ExplainedSentence(finding) : "";
  if (Has(e.caveats, "thread_stacks")) {
    const Evidence* vb = FindCounter(finding, CounterKind::kVirtualBytes);
    text += fmt::format(
        " Virtual Bytes grew {} with it: thread stacks (each thread reserves its stack, 1 MB by "
        "default), so the threads are the lead.",
        FormatAmount(vb != nullptr ? std::max(vb->observed_change, 0.0) : 0.0, "bytes"));
  }
  if (Has(e.caveats, "address_space")) {
    text +=
        " Private Bytes stayed flat: this is address space reserved, not memory committed, and a "
        "64-bit process has terabytes of it.";
  }
  if (Has(e.caveats, "beyond_target")) {
    text += fmt::format(
        " SQL Server's Total Server Memory is above its {} target (Target Server Memory): growth "
        "beyond what the buffer pool is allowed.",
        FormatAmount(e.limit.value_or(0.0), "bytes"));
  }
  if (Has(e.caveats, "short_capture")) {
    text += fmt::format(
        " Short capture ({}): a process can still be warming up this early; collect a few "
        "hours, starting after it has settled, to confirm.",
        WindowLength(e));
  }
  return text;
}

}  // namespace

std::string FindingSummary(const LogReport& log, const Finding& finding) {
  const Evidence* e = LeadEvidence(finding);
  if (e == nullptr) return "No counters were judged for this process.";
  if (finding.verdict == Verdict::kNotJudged) {
    std::string text = fmt::format("Not judged: {}.", finding.reason);
    if (e->window_end_utc > e->window_start_utc) {
      text += fmt::format(" {} went {} to {} in {}.", e->counter,
                          FormatAmount(e->observed_start, e->unit),
                          FormatAmount(e->observed_end, e->unit), WindowLength(*e));
    }
    return text;
  }
  if (Has(e->caveats, "warm_up") || Has(e->caveats, "plateau")) {
    return ShapeSentence(log, *e) + "." + CaveatSentences(finding, *e);
  }
  if (Has(e->caveats, "by_design")) {
    return fmt::format(
        "{} grew {} in {}: SQL Server's buffer pool filling toward its {} target (Total Server "
        "Memory stays within Target Server Memory), by design, not a leak.",
        e->counter, FormatAmount(std::max(e->observed_change, 0.0), e->unit), WindowLength(*e),
        FormatAmount(e->limit.value_or(0.0), "bytes"));
  }
  if (Has(e->caveats, "below_floor")) {
    return fmt::format(
        "{} grew {} in {} on a steady line, below the {} growth floor for a "
        "process of its size.",
        e->counter, FormatAmount(std::max(e->observed_change, 0.0), e->unit), WindowLength(*e),
        FormatAmount(e->floor, e->unit));
  }
  if (!IsFlagged(finding.verdict)) {
    return fmt::format("No sustained growth: {} {} in {}.", e->counter,
                       SignedAmount(e->observed_change, e->unit), WindowLength(*e));
  }
  std::string text =
      fmt::format("{} {} {} in {}", e->counter, e->observed_change >= 0 ? "grew" : "shrank",
                  FormatAmount(std::fabs(e->observed_change), e->unit), WindowLength(*e));
  if (e->onset_utc) text += " after " + FormatLocalShort(log, LocalTimeOf(log, *e->onset_utc));
  text += fmt::format(" (trend {}, peak {})", FormatRate(e->slope_per_hour, e->unit),
                      FormatAmount(e->peak, e->unit));
  const std::size_t restarts = finding.lifetimes.empty() ? 0 : finding.lifetimes.size() - 1;
  if (restarts > 0) {
    text += fmt::format(", across {} restart{}", restarts, restarts == 1 ? "" : "s");
  }
  if (finding.contributors && !finding.contributors->growers.empty()) {
    const Grower& top = finding.contributors->growers.front();
    // The attribution is of Committed Bytes over its own window: said of another lead (a
    // pool), "holds 65 % of that growth (+514 MB)" would pin a commit share on 14 MB of pool.
    if (e->counter == "Committed Bytes") {
      text += fmt::format("; {} holds {} of that growth ({})", GrowerLabel(top), Percent(top.share),
                          SignedAmount(top.growth_bytes, "bytes"));
    } else {
      text += fmt::format("; of the growth of Committed Bytes, {} holds {} ({})", GrowerLabel(top),
                          Percent(top.share), SignedAmount(top.growth_bytes, "bytes"));
    }
  }
  const std::string caveats = CaveatSentences(finding, *e);
  return caveats.empty() ? text : text + "." + caveats;
}

std::string DisplayName(const Finding& finding) {
  std::string name = !finding.instance.empty() ? finding.instance : finding.process;
  if (name.empty()) return finding.system ? "System" : "(unnamed)";
  // An IIS worker is known by its app pool, not by `w3wp#2`.
  if (!finding.app_pool.empty()) name += " (app pool " + finding.app_pool + ")";
  // A svchost by the services it hosts (from a tasklist /svc export).
  if (const PidServices* hosted = ServicesOfLastPid(finding)) {
    name += fmt::format(" (PID {}: {})", hosted->pid, ServiceList(hosted->names));
  }
  return name;
}

std::vector<std::string> AllWarnings(const LogReport& log) {
  std::vector<std::string> all = log.warnings;
  all.insert(all.end(), log.analysis.warnings.begin(), log.analysis.warnings.end());
  return all;
}

std::vector<std::string> LogParts(const LogReport& log) {
  if (log.parts.empty()) return {log.path};
  return log.parts;
}

std::string Percent(double share) {
  if (!std::isfinite(share)) return "n/a";
  if (share > 0.0 && share < 0.005) return "<1 %";
  return fmt::format("{:.0f} %", 100.0 * share);
}

std::string GrowerLabel(const Grower& g) {
  return g.kernel_pool ? "kernel " + g.instance : g.instance;
}

std::string ForecastTime(const LogReport& log, Ticks utc, Ticks from_utc) {
  const Ticks local = LocalTimeOf(log, utc);
  const bool same_day =
      FormatLocal(local).substr(0, 10) == FormatLocal(LocalTimeOf(log, from_utc)).substr(0, 10);
  const std::string full = FormatLocalMinutes(local);
  const std::string when = same_day ? full.substr(11) : full;
  const double ahead = static_cast<double>(utc - from_utc) / kTicksPerSecond;
  if (ahead < 60.0) return when;
  return fmt::format("{} (in {})", when, FormatDuration(ahead));
}

std::vector<const Finding*> NotJudgedFindings(const LogReport& log) {
  std::vector<const Finding*> out;
  for (const Finding& f : log.analysis.findings) {
    if (!f.system && f.verdict == Verdict::kNotJudged) out.push_back(&f);
  }
  return out;
}

std::string NotJudgedSentence(const LogReport& log) {
  const std::vector<const Finding*> not_judged = NotJudgedFindings(log);
  if (not_judged.empty()) return {};
  const Finding& first = *not_judged.front();
  if (not_judged.size() == 1) {
    return fmt::format("1 process has too few samples to judge ({}: {}).", DisplayName(first),
                       first.reason);
  }
  return fmt::format("{} processes{} have too few samples to judge (e.g. {}: {}).",
                     not_judged.size(),
                     log.analysis.processes_analysed == 0 ? ", every one in the log," : "",
                     DisplayName(first), first.reason);
}

std::string LogCaveatSentence(const LogReport& log) {
  const std::vector<std::string>& caveats = log.analysis.caveats;
  if (std::find(caveats.begin(), caveats.end(), "short_capture") == caveats.end()) return {};
  const auto& focus = log.analysis.focus;
  const Ticks span =
      focus ? focus->to_utc - focus->from_utc : log.summary.last_utc - log.summary.first_utc;
  const bool flagged =
      std::any_of(log.analysis.findings.begin(), log.analysis.findings.end(),
                  [](const Finding& f) { return !f.system && IsFlagged(f.verdict); });
  return fmt::format(
      "Short capture: {} spans only {}, too short for a slow leak (a few MB an hour) to show, so "
      "{}. Collect a few hours, ideally a day.",
      focus ? "the analysed window" : "the log",
      FormatDuration(static_cast<double>(span) / kTicksPerSecond),
      flagged ? "a process not flagged here may still leak slowly"
              : "finding none here does not rule one out");
}

std::vector<const Finding*> SystemFindings(const LogReport& log) {
  std::vector<const Finding*> out;
  for (const Finding& f : log.analysis.findings) {
    if (f.system) out.push_back(&f);
  }
  return out;
}

std::string GeneratedUtc(const ReportOptions& options) {
  if (!options.generated_utc.empty()) return options.generated_utc;
  const auto now = std::chrono::system_clock::now();
  const auto ticks =
      std::chrono::duration_cast<std::chrono::duration<Ticks, std::ratio<1, 10'000'000>>>(
          now.time_since_epoch())
          .count();
  return FormatIsoUtc(ticks, false);
}

}  // namespace perfleak::internal
