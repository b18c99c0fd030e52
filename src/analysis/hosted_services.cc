// Services of svchost findings from `tasklist /svc` exports of the case (AttachHostedServices,
// include/perfleak/analysis.h). An export is a snapshot of one boot of one machine, a log a
// window of time: the export is used only when its time (if its name has one) is near the log
// and the processes the log saw alive then sit under the same PIDs in the export.
#include <algorithm>
#include <cmath>
#include <set>

#include "common/ascii_case_internal.h"
#include "perfleak/analysis.h"
#include "perfleak/time_format.h"

namespace perfleak {

namespace {

std::string Stem(std::string_view image) {
  std::string name = AsciiLower(image);
  if (name.size() > 4 && name.ends_with(".exe")) name.resize(name.size() - 4);
  return name;
}

// One image name as the export writes it and as the log does: perfmon drops `.exe`, the
// table cuts names at 25 characters and older Process objects at 15, so a long name matches
// its cut form.
bool SameImage(std::string_view exported, std::string_view logged) {
  const std::string a = Stem(exported), b = Stem(logged);
  if (a == b) return true;
  const std::string& shorter = a.size() < b.size() ? a : b;
  const std::string& longer = a.size() < b.size() ? b : a;
  return shorter.size() >= 15 && longer.starts_with(shorter);
}

std::string FileName(const std::string& path) {
  const std::size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The UTC instant of a local time of the log, through the offset of the sample nearest it.
Ticks LocalToUtc(const CounterLog& log, Ticks local) {
  const auto& times = log.time_local;
  const auto it = std::lower_bound(times.begin(), times.end(), local);
  const std::size_t idx =
      it == times.end() ? times.size() - 1 : static_cast<std::size_t>(it - times.begin());
  return local - (log.time_local[idx] - log.time_utc[idx]);
}

struct Agreement {
  std::size_t agree = 0, disagree = 0;
  bool Plausible() const { return agree >= 1 && disagree * 5 <= agree + disagree; }
};

// How the export's PIDs agree with the processes of `machine` alive at `at_utc` (else at the
// log's first or last sample).
Agreement Compare(const TasklistExport& e, const LogAnalysis& analysis, const CounterLog& log,
                  std::string_view machine, std::optional<Ticks> at_utc) {
  Agreement a;
  const Ticks first = log.time_utc.front(), last = log.time_utc.back();
  for (const Finding& f : analysis.findings) {
    if (f.system || !EqualsIgnoreAsciiCase(f.machine, machine)) continue;
    for (const Lifetime& life : f.lifetimes) {
      if (!life.pid) continue;
      const bool alive = at_utc ? life.first_utc <= *at_utc && *at_utc <= life.last_utc
                                : life.first_utc <= first || life.last_utc >= last;
      if (!alive) continue;
      const TasklistProcess* p = e.Find(*life.pid);
      if (p == nullptr) continue;
      ++(SameImage(p->image, f.process) ? a.agree : a.disagree);
    }
  }
  return a;
}

struct Candidate {
  std::size_t exported = 0;
  Agreement agreement;
  bool timed = false, named = false;
};

// Better: a time that was checked, then a file name naming the machine, then more agreeing
// PIDs, then fewer disagreeing ones; the first export (path order) on ties.
bool Better(const Candidate& a, const Candidate& b) {
  if (a.timed != b.timed) return a.timed;
  if (a.named != b.named) return a.named;
  if (a.agreement.agree != b.agreement.agree) return a.agreement.agree > b.agreement.agree;
  return a.agreement.disagree < b.agreement.disagree;
}

}  // namespace

std::vector<std::string> AttachHostedServices(const std::vector<TasklistExport>& exports,
                                              const CounterLog& log, LogAnalysis* analysis,
                                              double max_time_distance_hours) {
  std::vector<std::string> warnings;
  if (exports.empty() || log.time_utc.empty() || log.time_local.size() != log.time_utc.size()) {
    return warnings;
  }
  std::vector<std::string> machines;  // with a svchost finding, first-seen order
  for (const Finding& f : analysis->findings) {
    if (f.system || Stem(f.process) != "svchost" || f.pids.empty()) continue;
    if (std::none_of(machines.begin(), machines.end(),
                     [&](const std::string& m) { return EqualsIgnoreAsciiCase(m, f.machine); })) {
      machines.push_back(f.machine);
    }
  }
  if (machines.empty()) return warnings;

  const auto max_distance = static_cast<Ticks>(max_time_distance_hours * kTicksPerHour);
  const Ticks first_local = log.time_local.front(), last_local = log.time_local.back();
  std::vector<std::optional<Candidate>> best(machines.size());
  std::vector<bool> plausible_anywhere(exports.size(), false);
  std::vector<std::string> why_not(exports.size());
  for (std::size_t k = 0; k < exports.size(); ++k) {
    const TasklistExport& e = exports[k];
    std::optional<Ticks> at_utc;
    if (e.time_local) {
      const Ticks t = *e.time_local;
      if (t < first_local - max_distance || t > last_local + max_distance) {
        const bool before = t < first_local;
        why_not[k] = "taken " + FormatLocal(t).substr(0, 16) + " (" +
                     FormatDuration(static_cast<double>(before ? first_local - t : t - last_local) /
                                    kTicksPerSecond) +
                     (before ? " before" : " after") +
                     " the log), too far for its PIDs to be this boot's";
        continue;
      }
      at_utc = std::clamp(LocalToUtc(log, t), log.time_utc.front(), log.time_utc.back());
    }
    const std::string name = AsciiLower(FileName(e.path));
    Agreement worst;
    for (std::size_t m = 0; m < machines.size(); ++m) {
      Candidate c{k, Compare(e, *analysis, log, machines[m], at_utc), at_utc.has_value(),
                  !machines[m].empty() && name.find(AsciiLower(machines[m])) != std::string::npos};
      if (!c.agreement.Plausible()) {
        worst = c.agreement;
        continue;
      }
      plausible_anywhere[k] = true;
      if (!best[m] || Better(c, *best[m])) best[m] = c;
    }
    if (!plausible_anywhere[k]) {
      why_not[k] = worst.agree + worst.disagree == 0
                       ? std::string("none of the log's processes is under its PID there")
                       : std::to_string(worst.disagree) + " of the " +
                             std::to_string(worst.agree + worst.disagree) +
                             " processes of the log found there have another image under that "
                             "PID (another boot or another machine)";
    }
  }

  std::set<std::size_t> used;
  for (std::size_t m = 0; m < machines.size(); ++m) {
    if (!best[m]) continue;
    const TasklistExport& e = exports[best[m]->exported];
    used.insert(best[m]->exported);
    for (Finding& f : analysis->findings) {
      if (f.system || Stem(f.process) != "svchost" ||
          !EqualsIgnoreAsciiCase(f.machine, machines[m])) {
        continue;
      }
      HostedServices hosted{e.path, e.time_local, {}};
      for (const std::int64_t pid : f.pids) {
        const TasklistProcess* p = e.Find(pid);
        if (p != nullptr && SameImage(p->image, "svchost") && !p->services.empty()) {
          hosted.pids.push_back(PidServices{pid, p->services});
        }
      }
      if (!hosted.pids.empty()) f.services = std::move(hosted);
    }
  }
  for (std::size_t k = 0; k < exports.size(); ++k) {
    if (used.contains(k)) {
      warnings.insert(warnings.end(), exports[k].warnings.begin(), exports[k].warnings.end());
    } else if (!why_not[k].empty()) {
      warnings.push_back(exports[k].path +
                         ": tasklist /svc export not used for the services of "
                         "svchost: " +
                         why_not[k]);
    }
  }
  return warnings;
}

}  // namespace perfleak
