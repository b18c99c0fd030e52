// The next step an engineer should take for a finding: the recipe for its resource (UMDH,
// !htrace, thread stacks, poolmon, VMMap, commit), adjusted by what the image name says
// (process_advice), and given in full once per report.
#include "report/next_steps.h"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "common/ascii_case_internal.h"
#include "report/finding_text.h"
#include "report/process_advice.h"

namespace perfleak::internal {

namespace {

std::string ImageName(const Finding& finding) {
  std::string name = finding.process.empty() ? finding.instance : finding.process;
  if (name.empty()) name = "PROCESS";
  if (name.size() < 4 || !EqualsIgnoreAsciiCase(name.substr(name.size() - 4), ".exe")) {
    name += ".exe";
  }
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

}  // namespace perfleak::internal
