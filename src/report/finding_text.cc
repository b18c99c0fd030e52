#include "report/finding_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

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

std::string ImageName(const Finding& finding) {
  std::string name = finding.process.empty() ? finding.instance : finding.process;
  if (name.empty()) name = "PROCESS";
  if (name.size() < 4 || !ContainsNoCase(name.substr(name.size() - 4), ".exe")) name += ".exe";
  return name;
}

std::string LastPid(const Finding& finding) {
  if (finding.pids.empty()) return "PID";
  return std::to_string(finding.pids.back());
}

std::string UmdhStep(const Finding& finding) {
  const std::string image = ImageName(finding);
  const std::string pid = LastPid(finding);
  return fmt::format(
      "User-mode heap leak: find the allocating code with UMDH (Debugging Tools for Windows). "
      "Enable stack collection with `gflags /i {0} +ust` and restart {0} (note its new PID; "
      "the log last saw PID {1}). Take a first snapshot `umdh -p:{1} -f:umdh1.txt`, wait "
      "until Private Bytes has grown noticeably (an hour or more at this rate), take "
      "`umdh -p:{1} -f:umdh2.txt`, then compare with `umdh umdh1.txt umdh2.txt > diff.txt`; "
      "the stacks with the largest growth in diff.txt point at the leak. Set "
      "_NT_SYMBOL_PATH first, and remove the flag afterwards with `gflags /i {0} -ust`.",
      image, pid);
}

// Working Set grows without Private Bytes: pages the process touches, not memory it owns.
std::string WorkingSetStep(const Finding& finding) {
  const std::string pid = LastPid(finding);
  return fmt::format(
      "Working-set growth without Private Bytes growth: the process touches more pages "
      "(memory-mapped files, shared DLL and cache pages, a heap it reads again) rather than "
      "allocating them, and Windows trims such pages under pressure, so this is rarely a leak. "
      "See what the pages are: VMMap (`vmmap -p {0}`) shows the working set by type (Mapped "
      "File, Shareable, Private Data), and RAMMap's File Summary and Use Counts tabs show "
      "mapped files and standby lists machine-wide. If Private Bytes starts to follow, treat "
      "it as a heap leak.",
      pid);
}

std::string HandleStep(const Finding& finding) {
  const std::string pid = LastPid(finding);
  return fmt::format(
      "Handle leak: open PID {0} in Process Explorer (View > Lower Pane View > Handles) and "
      "watch which handle type (Event, Key, File, Thread, ...) keeps growing. For the "
      "allocating stacks attach WinDbg, run `!htrace -enable`, let the count grow, then "
      "`!htrace -diff` lists the stacks of handles opened and not closed since.",
      pid);
}

std::string ThreadStep(const Finding& finding) {
  const std::string pid = LastPid(finding);
  return fmt::format(
      "Thread leak: threads are created and never exit. Take a dump with "
      "`procdump -ma {0}` and run `!uniqstack` in WinDbg to group the threads by stack (many "
      "identical stacks show who parks them), or record thread creation with WPR "
      "(`wpr -start GeneralProfile`, wait, `wpr -stop threads.etl`) and look at the creating "
      "stacks in WPA.",
      pid);
}

std::string PoolStep(const Finding& finding) {
  const std::string machine = finding.machine.empty() ? "the machine" : finding.machine;
  return fmt::format(
      "Kernel pool growth: on {} run `poolmon /b` (sorted by bytes) twice a few minutes "
      "apart and note the tag whose Paged or Nonpaged bytes keep rising, then map the tag to "
      "its driver with `findstr /m /l /s TAG %SystemRoot%\\System32\\drivers\\*.sys`; update "
      "or remove that driver. A process leaking handles also grows pool, so check Handle "
      "Count first.",
      machine);
}

std::string VirtualStep(const Finding& finding, const LogReport& log, const Evidence& e) {
  std::string text = fmt::format(
      "Address-space growth without matching Private Bytes: memory is reserved, not "
      "committed (thread stacks, mapped views, heap or CLR reservations). Inspect PID {} with "
      "VMMap (`vmmap -p {}`) and compare the Reserved column of the largest types over time.",
      LastPid(finding), LastPid(finding));
  if (e.limit && std::isfinite(*e.limit)) {
    text += fmt::format(" A 32-bit process runs out at {} of address space",
                        FormatAmount(*e.limit, e.unit));
    if (e.forecast && e.forecast->status == ForecastStatus::kForecast) {
      text += fmt::format("; at this rate around {}",
                          ForecastTime(log, *e.forecast->exhaustion_utc, e.forecast->from_utc));
    }
    text += ", so a restart schedule buys time until the fix.";
  }
  return text;
}

std::string CommitStep(const Finding& finding) {
  const std::string machine = finding.machine.empty() ? "the machine" : finding.machine;
  if (finding.contributors && !finding.contributors->growers.empty()) {
    const Grower& top = finding.contributors->growers.front();
    if (top.kernel_pool) {
      return fmt::format(
          "System commit on {} grows mostly in kernel {} ({} of the growth): see the pool "
          "growth advice, `poolmon /b` on the machine to find the tag.",
          machine, top.instance, Percent(top.share));
    }
    return fmt::format(
        "System commit on {} grows because {} grew {} ({} of the growth in the same window): "
        "follow that process's finding; the commit charge falls back when it is fixed or "
        "restarted.",
        machine, top.instance, FormatAmount(top.growth_bytes, "bytes"), Percent(top.share));
  }
  return fmt::format(
      "System commit charge is growing on {}: find the committer. Rerun with `--all` and "
      "compare Private Bytes of every process, check Pool Paged/Nonpaged Bytes for kernel "
      "growth, and on the machine sort Task Manager's Details by Commit size or use RAMMap "
      "(Use Counts) to see whether processes, pool or mapped files hold it.",
      machine);
}

std::string NotJudgedStep(const Finding& finding) {
  return "Collect a longer log: a trend needs hours of samples (a day shows daily cycles), e.g. `" +
         CollectHint(CollectObjectsForProcess(finding.process)) +
         "`, then `logman start perfleak`.";
}

std::string OtherStep(const Finding& finding, const Evidence& e) {
  return fmt::format(
      "{} of {} keeps growing; collect a memory dump (`procdump -ma {}`) before and after "
      "further growth and compare what the process holds.",
      e.counter, DisplayName(finding), LastPid(finding));
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

std::string WindowLength(const Evidence& e) {
  return FormatDuration(static_cast<double>(e.window_end_utc - e.window_start_utc) /
                        kTicksPerSecond);
}

namespace {

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

namespace {

// The heap recipe that works for this kind of process: its runtime's own tools, else UMDH.
std::string HeapStep(ProcessClass cls, const Finding& finding) {
  const std::string step = HeapStepFor(cls, LastPid(finding), HostsSingleService(finding));
  return step.empty() ? UmdhStep(finding) : step;
}

std::string ResourceStep(const LogReport& log, const Finding& finding, ProcessClass cls);

}  // namespace

std::string NextStep(const LogReport& log, const Finding& finding) {
  if (finding.verdict == Verdict::kNotJudged) return NotJudgedStep(finding);
  if (!IsFlagged(finding.verdict)) return {};
  const ProcessClass cls = finding.system ? ProcessClass::kGeneric : ClassifyImage(finding.process);
  const std::string pid = LastPid(finding);
  if (std::string step = OverridingStepFor(cls, finding, pid); !step.empty()) return step;
  std::string step = KindStepFor(finding.kind, pid);
  if (step.empty()) step = ResourceStep(log, finding, cls);
  if (!step.empty()) step += IisWorkerStepFor(finding, pid);
  const std::string first = FirstStepFor(cls, finding, pid);
  if (first.empty() || step.empty()) return step;
  step[0] = AsciiLower(step[0]);  // it continues the first step's sentence
  return first + step;
}

namespace {

std::string ResourceStep(const LogReport& log, const Finding& finding, ProcessClass cls) {
  const Evidence* lead = nullptr;
  bool private_growth = false, private_bytes_growth = false;
  for (const Evidence& e : finding.evidence) {
    if (!IsFlagged(e.verdict)) continue;
    if (lead == nullptr) lead = &e;
    const CounterKind kind = ClassifyCounter(e.counter);
    private_growth |= kind == CounterKind::kPrivateBytes || kind == CounterKind::kWorkingSet;
    private_bytes_growth |= kind == CounterKind::kPrivateBytes;
  }
  if (lead == nullptr) lead = LeadEvidence(finding);
  if (lead == nullptr) return "Check the process on the machine; no counter evidence was kept.";
  if (lead->counter == "Stolen Server Memory") return SqlStolenMemoryStep(LastPid(finding));
  switch (ClassifyCounter(lead->counter)) {
    case CounterKind::kPrivateBytes:
      return HeapStep(cls, finding);
    case CounterKind::kWorkingSet:
      return private_bytes_growth ? HeapStep(cls, finding) : WorkingSetStep(finding);
    case CounterKind::kVirtualBytes:
      // Virtual Bytes growing together with Private Bytes is a heap leak seen twice.
      return private_growth ? HeapStep(cls, finding) : VirtualStep(finding, log, *lead);
    case CounterKind::kHandles:
      return HandleStep(finding);
    case CounterKind::kThreads:
      return ThreadStep(finding);
    case CounterKind::kPool:
      return PoolStep(finding);
    case CounterKind::kCommitted:
      return private_growth && !finding.system ? HeapStep(cls, finding) : CommitStep(finding);
    case CounterKind::kOther:
      break;
  }
  return OtherStep(finding, *lead);
}

}  // namespace

namespace {

// A step with the finding's own names (PID, image, machine) taken out: two findings whose
// steps differ only there share one recipe.
std::string RecipeKey(std::string step, const LogReport& log, const Finding& f) {
  for (const std::string& name : {ImageName(f), LastPid(f), f.process, FindingMachine(log, f)}) {
    if (name.empty()) continue;
    for (std::size_t pos = step.find(name); pos != std::string::npos;
         pos = step.find(name, pos + 1)) {
      step.replace(pos, name.size(), "\x01");
    }
  }
  return step;
}

// The recipe a next step gives ("Kernel pool growth"); empty for the address-space and
// "other" steps, which carry figures of their own and are always written whole.
std::string RecipeTitle(const std::string& step) {
  const std::size_t colon = step.find(": ");
  if (colon == std::string::npos) return "";
  std::string title = step.substr(0, colon);
  const bool recipe = title.find("Address-space") == std::string::npos &&
                      step.find("keeps growing;") == std::string::npos;
  return recipe ? title : "";
}

}  // namespace

std::vector<std::string> ReportNextSteps(const std::vector<RankedFinding>& ranked) {
  std::vector<std::string> steps(ranked.size());
  std::map<std::string, std::size_t> first_rank;  // the step's recipe -> where it is in full
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const RankedFinding& r = ranked[i];
    const Finding& f = *r.finding;
    const std::string full = NextStep(*r.log, f);
    const std::string title = RecipeTitle(full);
    const auto [it, inserted] = first_rank.emplace(RecipeKey(full, *r.log, f), r.rank);
    if (title.empty() || inserted) {
      steps[i] = full;
    } else if (title == "User-mode heap leak") {
      steps[i] = fmt::format(
          "{}: the UMDH steps under #{} above, with `gflags /i {} +ust` and "
          "PID {}.",
          title, it->second, ImageName(f), LastPid(f));
    } else {
      const std::string target =
          f.pids.empty() ? "on " + FindingMachine(*r.log, f) : "for PID " + LastPid(f);
      steps[i] = fmt::format("{}: the steps under #{} above, {}.", title, it->second, target);
    }
  }
  return steps;
}

std::string SystemNextStep(const LogReport& log, const Finding& finding,
                           const std::vector<RankedFinding>& above) {
  const std::string full = NextStep(log, finding);
  const std::string title = RecipeTitle(full);
  if (title.empty()) return full;
  const std::string key = RecipeKey(full, log, finding);
  for (const RankedFinding& r : above) {
    if (IsFlagged(r.finding->verdict) &&
        RecipeKey(NextStep(*r.log, *r.finding), *r.log, *r.finding) == key) {
      return fmt::format("{}: the steps under #{} above, on {}.", title, r.rank,
                         FindingMachine(log, finding));
    }
  }
  return full;
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

std::string FindingMachine(const LogReport& log, const Finding& finding) {
  if (!finding.machine.empty()) return finding.machine;
  if (!log.summary.machines.empty()) return log.summary.machines.front();
  return log.path;
}

namespace {

// The resource fleet rows are told apart by: heap-like counters are one resource (a leak seen
// in Private Bytes on one machine and in Working Set on another is the same leak).
const char* FleetResource(const Finding& finding) {
  const Evidence* lead = LeadEvidence(finding);
  if (lead == nullptr) return "";
  if (lead->counter == "Stolen Server Memory") return "memory";
  switch (ClassifyCounter(lead->counter)) {
    case CounterKind::kPrivateBytes:
    case CounterKind::kWorkingSet:
    case CounterKind::kCommitted:
      return "memory";
    case CounterKind::kVirtualBytes:
      return "address space";
    case CounterKind::kHandles:
      return "handles";
    case CounterKind::kThreads:
      return "threads";
    case CounterKind::kPool:
      return "pool";
    case CounterKind::kOther:
      break;
  }
  return "other";
}

}  // namespace

std::string FleetKey(const Finding& finding) {
  if (finding.system) return {};
  const std::string resource = FleetResource(finding);
  // IIS workers by app pool: OrdersApi leaking on three web servers is one row, and another
  // pool's w3wp on the same machines another.
  const std::string pool =
      finding.app_pool.empty() ? "" : " [" + AsciiLower(finding.app_pool) + "]";
  return AsciiLower(finding.process) + pool + (resource.empty() ? "" : " / " + resource);
}

std::string FleetLabel(const FleetProcess& process) {
  const std::string name =
      process.app_pool.empty() ? process.name : process.name + " app pool " + process.app_pool;
  return process.resource.empty() ? name : name + " (" + process.resource + ")";
}

namespace {

// Image name -> distinct machines where it is `leak` (and where it is `suspect`).
struct FleetCounts {
  std::map<std::string, std::set<std::string>> leaking, suspect;
};

FleetCounts CountFleet(const Report& report) {
  FleetCounts counts;
  for (const LogReport& log : report.logs) {
    if (!log.status.ok()) continue;
    for (const Finding& f : log.analysis.findings) {
      if (!IsFlagged(f.verdict)) continue;
      const std::string key = FleetKey(f);
      if (key.empty()) continue;
      auto& target = f.verdict == Verdict::kLeak ? counts.leaking : counts.suspect;
      target[key].insert(FindingMachine(log, f));
    }
  }
  return counts;
}

}  // namespace

std::vector<RankedFinding> RankFindings(const Report& report, bool include_ok) {
  const FleetCounts fleet = CountFleet(report);
  std::vector<RankedFinding> ranked;
  for (std::size_t log_idx = 0; log_idx < report.logs.size(); ++log_idx) {
    const LogReport& log = report.logs[log_idx];
    if (!log.status.ok()) continue;
    for (const Finding& finding : log.analysis.findings) {
      // System findings have their own section; not-judged instances their own list.
      if (finding.system || finding.verdict == Verdict::kNotJudged) continue;
      if (finding.verdict == Verdict::kOk && !include_ok) continue;
      const auto it = fleet.leaking.find(FleetKey(finding));
      const std::size_t machines = it == fleet.leaking.end() ? 0 : it->second.size();
      ranked.push_back({0, log_idx, &log, &finding, machines});
    }
  }
  // stable_sort keeps log order, then the analysis's own order, for equal keys. The fleet
  // count comes before the score: one process leaking on three machines is a surer lead than
  // the steepest slope on one.
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const RankedFinding& a, const RankedFinding& b) {
                     if (a.finding->verdict != b.finding->verdict)
                       return a.finding->verdict > b.finding->verdict;
                     if (a.machines_leaking != b.machines_leaking)
                       return a.machines_leaking > b.machines_leaking;
                     const double sa = std::isfinite(a.finding->score) ? a.finding->score : 0.0;
                     const double sb = std::isfinite(b.finding->score) ? b.finding->score : 0.0;
                     return sa > sb;
                   });
  for (std::size_t i = 0; i < ranked.size(); ++i) ranked[i].rank = i + 1;
  return ranked;
}

std::string FleetNote(const RankedFinding& ranked) {
  if (ranked.machines_leaking < 2) return {};
  const std::string resource = FleetResource(*ranked.finding);
  const Finding& f = *ranked.finding;
  return fmt::format("{}{} leaks {}on {} machines of this report.", f.process,
                     f.app_pool.empty() ? "" : " (app pool " + f.app_pool + ")",
                     resource.empty() ? "" : resource + " ", ranked.machines_leaking);
}

FleetSummary ComputeFleet(const Report& report) {
  FleetSummary fleet;
  std::set<std::string> machines;
  for (const LogReport& log : report.logs) {
    if (!log.status.ok()) continue;
    for (const std::string& m : log.summary.machines) machines.insert(m);
    for (const Finding& f : log.analysis.findings) machines.insert(FindingMachine(log, f));
  }
  fleet.machines.assign(machines.begin(), machines.end());
  std::map<std::string, std::size_t> row_of;
  for (const RankedFinding& r : RankFindings(report, false)) {
    const std::string key = FleetKey(*r.finding);
    if (key.empty()) continue;
    auto [it, added] = row_of.emplace(key, fleet.processes.size());
    if (added) {
      FleetProcess row;
      row.name = r.finding->process;
      row.resource = FleetResource(*r.finding);
      row.app_pool = r.finding->app_pool;
      row.cells.resize(fleet.machines.size());
      fleet.processes.push_back(std::move(row));
    }
    FleetProcess& row = fleet.processes[it->second];
    const std::string machine = FindingMachine(*r.log, *r.finding);
    const auto col = static_cast<std::size_t>(
        std::lower_bound(fleet.machines.begin(), fleet.machines.end(), machine) -
        fleet.machines.begin());
    std::optional<Verdict>& cell = row.cells[col];
    if (!cell || *cell < r.finding->verdict) cell = r.finding->verdict;
    if (std::isfinite(r.finding->score))
      row.best_score = std::max(row.best_score, r.finding->score);
  }
  for (FleetProcess& row : fleet.processes) {
    for (const std::optional<Verdict>& cell : row.cells) {
      if (cell == Verdict::kLeak) ++row.machines_leaking;
      if (cell == Verdict::kSuspect) ++row.machines_suspect;
    }
  }
  std::stable_sort(fleet.processes.begin(), fleet.processes.end(),
                   [](const FleetProcess& a, const FleetProcess& b) {
                     if (a.machines_leaking != b.machines_leaking)
                       return a.machines_leaking > b.machines_leaking;
                     if (a.machines_suspect != b.machines_suspect)
                       return a.machines_suspect > b.machines_suspect;
                     if (a.best_score != b.best_score) return a.best_score > b.best_score;
                     return a.name < b.name;
                   });
  return fleet;
}

ReportTotals ComputeTotals(const Report& report) {
  ReportTotals totals;
  totals.logs = report.logs.size();
  totals.skipped = report.skipped.size();
  for (const LogReport& log : report.logs) {
    if (!log.status.ok()) {
      ++totals.logs_failed;
      continue;
    }
    for (const std::string& machine : log.summary.machines) {
      if (std::find(totals.machines.begin(), totals.machines.end(), machine) ==
          totals.machines.end()) {
        totals.machines.push_back(machine);
      }
    }
    if (log.analysis.no_data) ++totals.logs_no_data;
    totals.processes_analysed += log.analysis.processes_analysed;
    totals.not_judged += log.analysis.processes_not_judged;
    for (const Finding& finding : log.analysis.findings) {
      std::size_t* leaks = finding.system ? &totals.system_leaks : &totals.leaks;
      std::size_t* suspects = finding.system ? &totals.system_suspects : &totals.suspects;
      if (finding.verdict == Verdict::kLeak) ++*leaks;
      if (finding.verdict == Verdict::kSuspect) ++*suspects;
    }
  }
  return totals;
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

std::string TotalsLine(const ReportTotals& t) {
  const auto plural = [](std::size_t n, std::string_view word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
  };
  std::string text =
      fmt::format("{} analysed, {} failed, {} skipped",
                  plural(t.logs - t.logs_failed - t.logs_no_data, "log"), t.logs_failed, t.skipped);
  if (t.logs_no_data > 0) text += fmt::format(", {} without data", t.logs_no_data);
  text += fmt::format("; {}, {} processes judged: {}, {}", plural(t.machines.size(), "machine"),
                      t.processes_analysed, plural(t.leaks, "leak"), plural(t.suspects, "suspect"));
  if (t.not_judged > 0) text += fmt::format("; {} not judged", t.not_judged);
  if (t.system_leaks + t.system_suspects > 0) {
    text += fmt::format("; system: {}, {}", plural(t.system_leaks, "leak"),
                        plural(t.system_suspects, "suspect"));
  }
  return text;
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
