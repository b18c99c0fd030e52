#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <span>
#include <tuple>

#include "analysis/attribution.h"
#include "analysis/by_design.h"
#include "analysis/counter_names.h"
#include "analysis/exhaustion.h"
#include "analysis/focus.h"
#include "analysis/memory_pressure.h"
#include "analysis/process_columns.h"
#include "analysis/robust_trend.h"
#include "analysis/series_judge.h"
#include "common/ascii_case_internal.h"
#include "common/parallel_for_internal.h"
#include "perfleak/analysis.h"
#include "perfleak/log_summary.h"
#include "perfleak/time_format.h"

namespace perfleak {

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kNotJudged:
      return "not_judged";
    case Verdict::kOk:
      return "ok";
    case Verdict::kSuspect:
      return "suspect";
    case Verdict::kLeak:
      return "leak";
  }
  return "ok";
}

std::string CollectHint() { return CollectHint(CollectObjects{}); }

std::string CollectHint(const CollectObjects& extra) {
  std::string objects = "\"\\Process(*)\\*\" \"\\Memory\\*\"";
  if (extra.dotnet) objects += " \"\\.NET CLR Memory(*)\\*\" \"\\.NET CLR Loading(*)\\*\"";
  if (extra.iis) objects += " \"\\W3SVC_W3WP(*)\\*\"";
  if (!extra.sql_memory_manager.empty()) {
    objects += " \"\\" + extra.sql_memory_manager + "\\*\"";
  }
  return "logman create counter perfleak -c " + objects + " -si 00:01:00 -f bincirc -max 1024";
}

CollectObjects CollectObjectsFor(const CounterLog& log) {
  CollectObjects extra;
  bool sql_process = false;
  for (const CounterPath& p : log.paths) {
    const internal::ProcessObject object = internal::ClassifyObject(p.object);
    const std::string instance = AsciiLower(p.instance);
    const bool process = object == internal::ProcessObject::kProcess ||
                         object == internal::ProcessObject::kProcessV2;
    const bool w3wp = process && (instance == "w3wp" || instance.starts_with("w3wp:"));
    extra.dotnet = extra.dotnet || w3wp || object == internal::ProcessObject::kClrMemory ||
                   object == internal::ProcessObject::kClrLoading;
    extra.iis = extra.iis || w3wp || object == internal::ProcessObject::kW3wp;
    const std::string lower = AsciiLower(p.object);
    if (extra.sql_memory_manager.empty() &&
        (lower.starts_with("sqlserver:") || lower.starts_with("mssql$"))) {
      // The instance's own object: `\MSSQL$NAME:Memory Manager` for a named one.
      extra.sql_memory_manager = p.object.substr(0, p.object.find(':')) + ":Memory Manager";
    }
    sql_process =
        sql_process || (process && (instance == "sqlservr" || instance.starts_with("sqlservr:")));
  }
  if (extra.sql_memory_manager.empty() && sql_process) {
    extra.sql_memory_manager = "SQLServer:Memory Manager";
  }
  return extra;
}

CollectObjects CollectObjectsForProcess(std::string_view image) {
  CollectObjects extra;
  std::string name = AsciiLower(image);
  if (name.size() > 4 && name.ends_with(".exe")) name.resize(name.size() - 4);
  extra.dotnet = extra.iis = name == "w3wp";
  if (name == "sqlservr") extra.sql_memory_manager = "SQLServer:Memory Manager";
  return extra;
}

std::vector<std::string> AnalysisCounterPatterns() {
  std::vector<std::string> out;
  for (const std::string_view name : internal::AllCounterSpellings()) {
    out.push_back("*\\" + std::string(name));
  }
  // SQL Server's memory manager: what its buffer pool aims at (JudgeByDesignGrowth).
  out.emplace_back("*\\Total Server Memory (KB)");
  out.emplace_back("*\\Target Server Memory (KB)");
  out.emplace_back("*\\Stolen Server Memory (KB)");
  for (const std::string_view name :
       {internal::kClrBytesInAllHeaps, internal::kClrGen2HeapSize,
        internal::kClrLargeObjectHeapSize, internal::kClrTotalCommittedBytes,
        internal::kClrProcessId, internal::kClrCurrentAppdomains,
        internal::kClrCurrentAssemblies}) {
    out.push_back("*\\" + std::string(name));
  }
  // Any counter of W3SVC_W3WP names its instances (`PID_AppPool`); the values are not read.
  out.emplace_back("\\W3SVC_W3WP(*)\\*");
  return out;
}

namespace {

using internal::UnitKind;

// The per-process counters judged, in evidence order; ID Process keys lifetimes.
struct CounterSpec {
  std::string_view name;
  const char* unit;
  UnitKind kind;
};
constexpr std::array<CounterSpec, 7> kProcessCounters = {{
    {internal::kPrivateBytes, "bytes", UnitKind::kBytes},
    {internal::kVirtualBytes, "bytes", UnitKind::kBytes},
    {internal::kWorkingSet, "bytes", UnitKind::kBytes},
    {internal::kHandleCount, "handles", UnitKind::kHandles},
    {internal::kThreadCount, "threads", UnitKind::kThreads},
    {internal::kPoolPagedBytes, "bytes", UnitKind::kBytes},
    {internal::kPoolNonpagedBytes, "bytes", UnitKind::kBytes},
}};
// The slots of internal::InstanceColumns follow this table.
static_assert([] {
  for (std::size_t s = 0; s < kProcessCounters.size(); ++s) {
    if (kProcessCounters[s].name != internal::kProcessCounterNames[s]) return false;
  }
  return kProcessCounters.size() == internal::kProcessCounterNames.size();
}());
using internal::InstanceColumns;
using internal::kClrAppdomainsSlot;
using internal::kClrAssembliesSlot;
using internal::kClrCommittedSlot;
using internal::kClrGen2Slot;
using internal::kClrHeapSlot;
using internal::kClrLohSlot;
using internal::kClrPidSlot;
using internal::kIdSlot;
using internal::kNoColumn;
constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

// Samples [begin, end) of a process, read from the columns of instance group `group`.
// kNoColumn as the group: the single column the lifetime names instead (system counters).
struct SampleRun {
  std::size_t begin = 0, end = 0;
  std::size_t group = kNoColumn;
};

// One process (one PID, or one run without PID) and where its samples live. Runs, not one
// entry per sample: a process rarely changes instance, and per-sample lists of a wide log
// are hundreds of megabytes written once and read once.
struct Entity {
  std::optional<std::int64_t> pid;
  std::vector<SampleRun> runs;  // ascending, disjoint

  bool Has(std::size_t sample) const { return !runs.empty() && runs.back().end > sample; }
  // Samples come in ascending order.
  void Add(std::size_t sample, std::size_t group) {
    if (!runs.empty() && runs.back().end == sample && runs.back().group == group) {
      ++runs.back().end;
    } else {
      runs.push_back(SampleRun{sample, sample + 1, group});
    }
  }
};

// What .NET CLR says about processes, keyed by (machine in ASCII lower case, PID): the CLR
// samples of each PID (runs over CLR instance groups). The IIS app pools are in the column
// index (ProcessColumns::app_pools).
struct ProcessSidecars {
  std::map<std::pair<std::string, std::int64_t>, Entity> clr;
};

struct FindingTask {
  std::size_t first_instance = 0;  // where the finding's first entity appeared
  std::vector<Entity> entities;    // lifetimes, in time order
  bool system = false;
  std::string machine;
  std::array<std::size_t, 4> system_columns{kNoColumn, kNoColumn, kNoColumn, kNoColumn};
};

// Hours since the first sample on a time axis that never runs backwards: a backward step
// (DST fall-back written as local time, clock reset) advances by the median interval instead,
// so ordering-based estimators see the samples in file order.
std::vector<double> EffectiveHours(const CounterLog& log) {
  const std::size_t n = log.num_samples();
  std::vector<double> hours(n, 0.0);
  if (n == 0) return hours;
  std::vector<double> steps;
  for (std::size_t i = 1; i < n; ++i) {
    const Ticks d = log.time_utc[i] - log.time_utc[i - 1];
    if (d > 0) steps.push_back(static_cast<double>(d));
  }
  const double median_step =
      steps.empty() ? static_cast<double>(kTicksPerSecond) : internal::Median(steps);
  double t = 0.0;
  for (std::size_t i = 1; i < n; ++i) {
    const Ticks d = log.time_utc[i] - log.time_utc[i - 1];
    t += d > 0 ? static_cast<double>(d) : (d == 0 ? 0.0 : median_step);
    hours[i] = t / static_cast<double>(kTicksPerHour);
  }
  return hours;
}

bool Present(double v) { return std::isfinite(v) && v != 0.0; }

struct Context {
  const CounterLog& log;
  const AnalysisOptions& options;
  const std::vector<double>& hours;
  const std::vector<InstanceColumns>& instances;  // the column index's groups
  const internal::ProcessColumns& columns;
  const ProcessSidecars& sidecars;
};

// One lifetime's samples of one counter: a run's samples are in the column its instance group
// has for `slot`, or in `column` for runs without a group.
struct LifetimeSource {
  std::span<const SampleRun> runs;
  std::size_t slot = 0;
  std::size_t column = kNoColumn;
  /// Values are multiplied by this (SQL Server's KB counters judged in bytes).
  double scale = 1.0;
};

// A lifetime gathered for judging, in buffers reused by every series a thread judges: a
// 20,000-sample lifetime would otherwise allocate (and fault in) half a megabyte per series.
struct SeriesBuffers {
  std::vector<double> x, y;
  // The sample of each value in y; left unwritten while `consecutive` (the usual lifetime
  // without gaps), sample k being first_sample + k.
  std::vector<std::size_t> idx;
  bool consecutive = false;
  std::size_t first_sample = 0;
};

// Gathers one lifetime's finite values into s->y and their samples (times come later, from
// those). Returns the first column read, or kNoColumn.
std::size_t GatherLifetime(const Context& ctx, const LifetimeSource& life, SeriesBuffers* s) {
  std::size_t n = 0;
  bool consecutive = true;
  for (std::size_t r = 0; r < life.runs.size(); ++r) {
    consecutive = consecutive && (r == 0 || life.runs[r].begin == life.runs[r - 1].end);
    n += life.runs[r].end - life.runs[r].begin;
  }
  s->y.resize(n);
  std::size_t first_column = kNoColumn, finite = 0, pos = 0;
  for (const SampleRun& run : life.runs) {
    const std::size_t column =
        run.group == kNoColumn ? life.column : ctx.instances[run.group].columns[life.slot];
    const std::size_t len = run.end - run.begin;
    double* y = s->y.data() + pos;
    pos += len;
    if (column == kNoColumn) {
      std::fill(y, y + len, std::numeric_limits<double>::quiet_NaN());
      continue;
    }
    if (first_column == kNoColumn) first_column = column;
    const double* values = ctx.log.columns[column].data() + run.begin;
    for (std::size_t k = 0; k < len; ++k) {
      y[k] = values[k];
      finite += std::isfinite(values[k]) ? 1 : 0;
    }
    if (life.scale != 1.0) {
      for (std::size_t k = 0; k < len; ++k) y[k] *= life.scale;
    }
  }
  s->consecutive = finite == n && consecutive;
  s->first_sample = life.runs.empty() ? 0 : life.runs.front().begin;
  if (s->consecutive) return first_column;
  s->idx.resize(n);
  pos = 0;
  for (const SampleRun& run : life.runs) {
    std::iota(s->idx.begin() + static_cast<std::ptrdiff_t>(pos),
              s->idx.begin() + static_cast<std::ptrdiff_t>(pos + run.end - run.begin), run.begin);
    pos += run.end - run.begin;
  }
  if (finite == n) return first_column;
  // Gaps (missing values, samples without the column) are dropped; written always, kept only
  // when finite, so there is no branch on the data.
  std::size_t kept = 0;
  for (std::size_t k = 0; k < n; ++k) {
    s->y[kept] = s->y[k];
    s->idx[kept] = s->idx[k];
    kept += std::isfinite(s->y[k]) ? 1 : 0;
  }
  s->y.resize(kept);
  s->idx.resize(kept);
  return first_column;
}

// Reduces a long lifetime to max_points block medians, in place (time at each block's middle
// sample, the first and last blocks pinned to the lifetime's ends), and fills s->x with the
// hours of the samples left. The median of a block keeps the trend and a sawtooth's level while
// averaging noise away, so the robust estimators see the same shape at a fraction of the cost
// (Theil-Sen and Mann-Kendall are O(n log n) with large constants); subsampling instead would
// keep every sample's noise.
void ReduceToBlockMedians(const std::vector<double>& hours, std::size_t max_points,
                          SeriesBuffers* s) {
  const std::size_t n = s->y.size();
  if (max_points != 0 && n > max_points) {
    if (s->consecutive) s->idx.resize(max_points);
    for (std::size_t b = 0; b < max_points; ++b) {
      // Block b starts at or after b, so slot b is only written once the block has been read
      // (idx is left in order; only y's blocks are reordered by the selection).
      const std::size_t begin = n * b / max_points, end = n * (b + 1) / max_points;
      const std::size_t mid = b == 0 ? 0 : (b + 1 == max_points ? n - 1 : (begin + end) / 2);
      // The block's values are not needed afterwards, so they are selected in place.
      s->y[b] = internal::MedianInPlace(std::span<double>(s->y).subspan(begin, end - begin));
      s->idx[b] = s->consecutive ? s->first_sample + mid : s->idx[mid];
    }
    s->y.resize(max_points);
    s->idx.resize(max_points);
  } else if (s->consecutive) {
    s->idx.resize(n);
    std::iota(s->idx.begin(), s->idx.end(), s->first_sample);
  }
  s->consecutive = false;  // idx is written from here on
  s->x.resize(s->idx.size());
  for (std::size_t k = 0; k < s->idx.size(); ++k) s->x[k] = hours[s->idx[k]];
}

Ticks TickAt(const CounterLog& log, std::size_t sample) { return log.time_utc[sample]; }

// Appends one lifetime's judged envelope (values at the samples `idx`) to `out`, after a NaN
// point that keeps a chart from joining it to the previous lifetime's.
void AppendEnvelope(const CounterLog& log, const std::vector<std::size_t>& idx,
                    const std::vector<double>& envelope, std::vector<SignalPoint>* out) {
  if (envelope.empty()) return;
  if (!out->empty()) out->push_back({out->back().t, std::numeric_limits<double>::quiet_NaN()});
  for (std::size_t k = 0; k < envelope.size() && k < idx.size(); ++k) {
    out->push_back({TickAt(log, idx[k]), envelope[k]});
  }
}

// The largest value (0 when empty). Four running maxima instead of one: a single one is a
// loop-carried chain of maxsd latencies, which cost more than reading the column.
double MaxOf(std::span<const double> values) {
  std::array<double, 4> m{0.0, 0.0, 0.0, 0.0};
  std::size_t i = 0;
  for (; i + 4 <= values.size(); i += 4) {
    for (std::size_t j = 0; j < 4; ++j) m[j] = std::max(m[j], values[i + j]);
  }
  for (; i < values.size(); ++i) m[0] = std::max(m[0], values[i]);
  return std::max(std::max(m[0], m[1]), std::max(m[2], m[3]));
}

// The raw finite values of one lifetime in samples [first, last], in time order, into s->y.
std::span<const double> WindowValues(const Context& ctx, const LifetimeSource& life,
                                     std::size_t first, std::size_t last, SeriesBuffers* s) {
  thread_local std::vector<SampleRun> clipped;
  clipped.clear();
  for (const SampleRun& run : life.runs) {
    const std::size_t begin = std::max(run.begin, first), end = std::min(run.end, last + 1);
    if (begin < end) clipped.push_back(SampleRun{begin, end, run.group});
  }
  GatherLifetime(ctx, LifetimeSource{clipped, life.slot, life.column, life.scale}, s);
  return s->y;
}

// One judged lifetime: the verdict on its block medians, what its raw samples did over the
// judged window, and that window in samples (inclusive).
struct JudgedLifetime {
  internal::SeriesJudgement j;
  internal::ObservedLevels seen;
  std::size_t first = 0, last = 0;
};

bool Stronger(const internal::SeriesJudgement& a, const internal::SeriesJudgement& b) {
  return a.verdict > b.verdict || (a.verdict == b.verdict && a.score > b.score);
}

// The longest lifetime too short to judge, for the reason and what it did.
struct ShortLifetime {
  std::size_t samples = 0;
  internal::ObservedLevels seen;
  std::size_t first = 0, last = 0;
};

// The judged lifetime's qualifiers as caveat codes, and where its growth stopped.
void AddCaveats(const CounterLog& log, const JudgedLifetime& jl, Evidence* ev) {
  const internal::SeriesJudgement& j = jl.j;
  ev->floor = j.floor;
  if (j.short_capture) ev->caveats.emplace_back("short_capture");
  if (j.warm_up) ev->caveats.emplace_back("warm_up");
  if (j.plateau) ev->caveats.emplace_back("plateau");
  if (j.below_floor) ev->caveats.emplace_back("below_floor");
  if (j.warm_up || j.plateau) {
    ev->growth_end_utc = TickAt(log, jl.first) +
                         static_cast<Ticks>(std::llround(j.growth_end_hours * kTicksPerHour));
  }
}

// Where a counter's verdict was judged: the lifetime (index into the lifetimes judged) and
// its window in samples, inclusive.
struct JudgedWindow {
  std::size_t lifetime = 0, first = 0, last = 0;
};

// The observed levels of the window over samples [first, last] and its times.
void SetObserved(const CounterLog& log, const internal::ObservedLevels& seen, std::size_t first,
                 std::size_t last, Evidence* ev) {
  ev->observed_start = seen.start;
  ev->observed_end = seen.end;
  ev->observed_change = seen.change();
  ev->peak = seen.peak;
  ev->window_start_utc = TickAt(log, first);
  ev->window_end_utc = TickAt(log, last);
}

// An evidence no lifetime of which had min_samples samples: the longest one's observed levels.
void NotJudged(const Context& ctx, const ShortLifetime& shortest, Evidence* ev) {
  ev->verdict = Verdict::kNotJudged;
  ev->method = "not judged: fewer than " + std::to_string(ctx.options.min_samples) +
               " samples in every lifetime";
  if (shortest.samples > 0) {
    SetObserved(ctx.log, shortest.seen, shortest.first, shortest.last, ev);
  }
}

// The evidence's verdict, rate, levels and window from its strongest lifetime; `judged` of
// its lifetimes were judged and `grew` of those were flagged.
void FromStrongest(const Context& ctx, const JudgedLifetime& best, std::size_t judged,
                   std::size_t grew, Evidence* ev) {
  const internal::SeriesJudgement& j = best.j;
  ev->verdict = j.verdict;
  ev->score = j.score;
  ev->slope_per_hour = j.slope_per_hour;
  ev->slope_low_per_hour = IsFlagged(j.verdict) ? j.slope_low_per_hour : j.slope_per_hour;
  ev->slope_high_per_hour = IsFlagged(j.verdict) ? j.slope_high_per_hour : j.slope_per_hour;
  ev->growth = j.growth;
  ev->start_level = j.start_level;
  SetObserved(ctx.log, best.seen, best.first, best.last, ev);
  if (IsFlagged(j.verdict)) ev->onset_utc = ev->window_start_utc;
  ev->fit_quality = j.fit_quality;
  ev->trend_z = j.trend_z;
  // Growth seen in every lifetime is more convincing than in one of several.
  const double across = judged > 0 ? static_cast<double>(grew) / static_cast<double>(judged) : 0.0;
  ev->consistency = judged > 1 ? 0.5 * (j.consistency + across) : j.consistency;
  ev->used_envelope = j.used_envelope;
  ev->method = j.method;
  AddCaveats(ctx.log, best, ev);
}

// Judges one counter over its lifetimes; `judged_window`, when given, receives where the verdict
// was judged (left alone when no lifetime could be).
std::optional<Evidence> JudgeCounter(const Context& ctx, std::string_view name, const char* unit,
                                     UnitKind kind, std::span<const LifetimeSource> lifetimes,
                                     std::optional<JudgedWindow>* judged_window = nullptr) {
  thread_local SeriesBuffers s, window;
  Evidence ev;
  ev.counter = std::string(name);
  ev.unit = unit;
  bool have_column = false;
  std::optional<JudgedLifetime> best;
  std::size_t best_lifetime = 0;
  ShortLifetime shortest;
  std::size_t judged = 0, grew = 0;
  double max_value = 0.0;
  const double edge_share = ctx.options.memory.edge_share;
  for (const LifetimeSource& life : lifetimes) {
    const std::size_t column = GatherLifetime(ctx, life, &s);
    if (column == kNoColumn) continue;
    if (!have_column) {
      ev.column = column;
      have_column = true;
    }
    if (name == internal::kVirtualBytes) max_value = std::max(max_value, MaxOf(s.y));
    if (s.y.size() < ctx.options.min_samples) {
      if (!s.y.empty() && s.y.size() > shortest.samples) {
        shortest.samples = s.y.size();
        shortest.seen = internal::ObserveWindow(s.y, edge_share);
        shortest.first = s.consecutive ? s.first_sample : s.idx.front();
        shortest.last = s.consecutive ? s.first_sample + s.y.size() - 1 : s.idx.back();
      }
      continue;
    }
    ReduceToBlockMedians(ctx.hours, ctx.options.max_points, &s);
    const std::vector<std::size_t>& idx = s.idx;
    JudgedLifetime jl{internal::JudgeSeries(s.x, s.y, kind, ctx.options), {}, 0, 0};
    internal::SeriesJudgement& j = jl.j;
    jl.first = idx[j.window_begin];
    jl.last = idx[j.window_end - 1];
    jl.seen =
        internal::ObserveWindow(WindowValues(ctx, life, jl.first, jl.last, &window), edge_share);
    internal::DemoteUnobserved(jl.seen.change(), &j);
    ++judged;
    if (IsFlagged(j.verdict)) ++grew;
    TrendSegment seg;
    seg.t0 = TickAt(ctx.log, jl.first);
    seg.t1 = TickAt(ctx.log, jl.last);
    seg.v0 = j.start_level;
    seg.v1 = j.end_level;
    ev.trend.push_back(seg);
    for (const std::size_t cp : j.change_points)
      ev.change_points.push_back(TickAt(ctx.log, idx[cp]));
    AppendEnvelope(ctx.log, idx, j.envelope, &ev.envelope);
    if (!best || Stronger(j, best->j)) {
      best = std::move(jl);
      best_lifetime = static_cast<std::size_t>(&life - lifetimes.data());
    }
  }
  if (!have_column) return std::nullopt;
  if (!best) {
    NotJudged(ctx, shortest, &ev);
    return ev;
  }
  if (judged_window != nullptr) {
    *judged_window = JudgedWindow{best_lifetime, best->first, best->last};
  }
  FromStrongest(ctx, *best, judged, grew, &ev);
  if (name == internal::kWorkingSet) {
    // The working set is what the memory manager lets a process keep, not what it holds:
    // growth there alone is a reason to look, not proof.
    internal::CapEvidence(Verdict::kSuspect, "Working Set alone is capped at suspect", &ev);
  }
  if (name == internal::kVirtualBytes && max_value > 0.0 && max_value < 4.0 * kGiB) {
    // All values below 4 GiB: a 32-bit process (64-bit ones reserve terabytes).
    ev.limit = max_value < 2.0 * kGiB ? 2.0 * kGiB : 4.0 * kGiB;
    ev.forecast = internal::ForecastAtRate(
        ev, *ev.limit, internal::LevelAtWindowEnd(ev, ctx.options.memory), ctx.options.memory);
  }
  return ev;
}

void SortEvidence(std::vector<Evidence>* evidence) {
  std::stable_sort(evidence->begin(), evidence->end(), [](const Evidence& a, const Evidence& b) {
    if (a.verdict != b.verdict) return a.verdict > b.verdict;
    return a.score > b.score;
  });
}

// The finding's verdict and score from its evidence, strongest first; the reason when none of
// its counters could be judged.
void Conclude(const Context& ctx, Finding* f) {
  SortEvidence(&f->evidence);
  f->verdict = Verdict::kNotJudged;
  f->score = 0.0;
  for (const Evidence& ev : f->evidence) {
    f->verdict = std::max(f->verdict, ev.verdict);
    f->score = std::max(f->score, ev.score);
  }
  if (f->verdict != Verdict::kNotJudged) {
    if (const Evidence* lead = LeadEvidence(*f)) f->caveats = lead->caveats;
    return;
  }
  std::size_t longest = 0;
  Ticks span = 0;
  for (const Lifetime& life : f->lifetimes) {
    const std::size_t samples = life.last_sample - life.first_sample + 1;
    if (samples <= longest) continue;
    longest = samples;
    span = TickAt(ctx.log, life.last_sample) - TickAt(ctx.log, life.first_sample);
  }
  f->reason = longest == 1
                  ? std::string("1 sample")
                  : std::to_string(longest) + " samples" +
                        (f->lifetimes.size() > 1 ? " in its longest lifetime" : "") + " (" +
                        FormatDuration(static_cast<double>(span) / kTicksPerSecond) + ")";
  f->reason +=
      "; at least " + std::to_string(ctx.options.min_samples) + " are needed to judge a trend";
}

Evidence* FindEvidence(std::vector<Evidence>* evidence, std::string_view counter) {
  for (Evidence& e : *evidence) {
    if (e.counter == counter) return &e;
  }
  return nullptr;
}

// Virtual Bytes is address space, not memory. Grown with Thread Count, it is mostly thread
// stacks: Thread Count leads. Grown alone (Private Bytes flat), it is reservations: they
// exhaust only a 32-bit process's 2-4 GB (JudgeCounter sets that limit and its forecast), so
// in a 64-bit process it is at most a suspect.
void PlaceAddressSpace(Finding* f) {
  Evidence* vb = FindEvidence(&f->evidence, internal::kVirtualBytes);
  if (vb == nullptr || !IsFlagged(vb->verdict)) return;
  Evidence* tc = FindEvidence(&f->evidence, internal::kThreadCount);
  const Evidence* pb = FindEvidence(&f->evidence, internal::kPrivateBytes);
  if (tc != nullptr && IsFlagged(tc->verdict)) {
    vb->caveats.emplace_back("thread_stacks");
    tc->caveats.emplace_back("thread_stacks");
    internal::CapEvidence(tc->verdict, "grows with Thread Count (thread stacks)", vb);
    vb->score = std::min(vb->score, std::nextafter(tc->score, 0.0));
    return;
  }
  // A peak under 4 GB may be a 32-bit process (its limit and forecast are set); 64-bit ones
  // have terabytes.
  if (pb == nullptr || IsFlagged(pb->verdict) || vb->limit) return;
  vb->caveats.emplace_back("address_space");
  internal::CapEvidence(Verdict::kSuspect,
                        "address space only (Private Bytes flat) in a 64-bit process", vb);
}

// The .NET CLR samples of one process lifetime: its PID's CLR runs within its own samples.
std::vector<SampleRun> ClrRunsOf(const Context& ctx, const std::string& machine, const Entity& e) {
  std::vector<SampleRun> out;
  if (!e.pid) return out;
  const auto it = ctx.sidecars.clr.find({AsciiLower(machine), *e.pid});
  if (it == ctx.sidecars.clr.end()) return out;
  // Both lists are ascending and disjoint: intersect them in one pass.
  const std::vector<SampleRun>& clr = it->second.runs;
  std::size_t a = 0, b = 0;
  while (a < e.runs.size() && b < clr.size()) {
    const std::size_t begin = std::max(e.runs[a].begin, clr[b].begin);
    const std::size_t end = std::min(e.runs[a].end, clr[b].end);
    if (begin < end) out.push_back(SampleRun{begin, end, clr[b].group});
    ++(e.runs[a].end < clr[b].end ? a : b);
  }
  return out;
}

// What a CLR counter explains of a Private Bytes change over its window [first, last]; none
// when the counter covers under half of the window's samples.
std::optional<Explanation> Explain(const Context& ctx, std::span<const SampleRun> clr,
                                   std::size_t slot, std::string_view name, std::size_t first,
                                   std::size_t last, double change) {
  thread_local SeriesBuffers s;
  const std::span<const double> values =
      WindowValues(ctx, LifetimeSource{clr, slot, kNoColumn}, first, last, &s);
  if (values.empty() || 2 * values.size() < last - first + 1) return std::nullopt;
  const double explained = internal::ObserveWindow(values, ctx.options.memory.edge_share).change();
  return Explanation{std::string(name), explained, std::clamp(explained / change, 0.0, 1.0)};
}

void ExplainPrivateBytes(const Context& ctx, std::span<const SampleRun> clr, const JudgedWindow& w,
                         Evidence* pb) {
  if (!(pb->observed_change > 0.0)) return;
  std::optional<Explanation> total = Explain(ctx, clr, kClrHeapSlot, internal::kClrBytesInAllHeaps,
                                             w.first, w.last, pb->observed_change);
  if (!total) {
    total = Explain(ctx, clr, kClrCommittedSlot, internal::kClrTotalCommittedBytes, w.first, w.last,
                    pb->observed_change);
  }
  if (!total) return;
  pb->explained_by.push_back(std::move(*total));
  for (const auto& [slot, name] : {std::pair{kClrGen2Slot, internal::kClrGen2HeapSize},
                                   std::pair{kClrLohSlot, internal::kClrLargeObjectHeapSize}}) {
    if (auto part = Explain(ctx, clr, slot, name, w.first, w.last, pb->observed_change)) {
      pb->explained_by.push_back(std::move(*part));
    }
  }
}

// Finding::kind, by the rules documented there.
void DecideKind(const AnalysisOptions& options, Finding* f) {
  if (!IsFlagged(f->verdict)) return;
  const auto flagged = [&](std::string_view counter) {
    const Evidence* e = FindEvidence(&f->evidence, counter);
    return e != nullptr && IsFlagged(e->verdict);
  };
  if (flagged(internal::kClrCurrentAssemblies) || flagged(internal::kClrCurrentAppdomains)) {
    f->kind = "dynamic_assemblies";
    return;
  }
  const Evidence* pb = FindEvidence(&f->evidence, internal::kPrivateBytes);
  if (pb != nullptr && IsFlagged(pb->verdict) && !pb->explained_by.empty()) {
    const double share = pb->explained_by.front().share;
    if (share >= options.managed_min_share) f->kind = "managed";
    if (share <= options.native_max_share) f->kind = "native";
    return;
  }
  if (flagged(internal::kClrBytesInAllHeaps)) f->kind = "managed";
}

// The app pools of a w3wp finding's PIDs, distinct, in PID order.
std::string AppPoolOf(const Context& ctx, const Finding& f) {
  const auto& app_pools = ctx.columns.app_pools;
  if (app_pools.empty() || AsciiLower(f.process) != "w3wp") return {};
  std::vector<std::string> pools;
  for (const std::int64_t pid : f.pids) {
    const auto it = app_pools.find({AsciiLower(f.machine), pid});
    if (it == app_pools.end()) continue;
    if (std::find(pools.begin(), pools.end(), it->second) == pools.end()) {
      pools.push_back(it->second);
    }
  }
  std::string out;
  for (const std::string& pool : pools) out += (out.empty() ? "" : ", ") + pool;
  return out;
}

// The managed evidence of a process: the heap judged like Private Bytes, and the loaded
// assemblies and appdomains counted like handles and threads (their floors: a dynamic-assembly
// leak loads hundreds; appdomains come in tens).
constexpr std::array<CounterSpec, 3> kClrCounters = {{
    {internal::kClrBytesInAllHeaps, "bytes", UnitKind::kBytes},
    {internal::kClrCurrentAssemblies, "assemblies", UnitKind::kHandles},
    {internal::kClrCurrentAppdomains, "appdomains", UnitKind::kThreads},
}};
constexpr std::array<std::size_t, 3> kClrCounterSlots = {kClrHeapSlot, kClrAssembliesSlot,
                                                         kClrAppdomainsSlot};

void JudgeClrCounters(const Context& ctx, const std::vector<std::vector<SampleRun>>& clr_runs,
                      Finding* f) {
  for (std::size_t k = 0; k < kClrCounters.size(); ++k) {
    std::vector<LifetimeSource> lifetimes;
    for (const std::vector<SampleRun>& runs : clr_runs) {
      lifetimes.push_back(LifetimeSource{runs, kClrCounterSlots[k], kNoColumn});
    }
    const CounterSpec& spec = kClrCounters[k];
    if (auto ev = JudgeCounter(ctx, spec.name, spec.unit, spec.kind, lifetimes)) {
      f->evidence.push_back(std::move(*ev));
    }
  }
}

// SQL Server's memory outside the buffer pool (`Stolen Server Memory (KB)`, in bytes here):
// judged as its own evidence over the sqlservr lifetimes, because unlike the buffer pool it
// has no target to fill up to. The counter carries no PID, so only a machine with one
// instance is judged.
void JudgeSqlStolenMemory(const Context& ctx, const FindingTask& task, Finding* f) {
  if (!EqualsIgnoreAsciiCase(f->process, "sqlservr")) return;
  const std::optional<std::size_t> column = internal::SqlStolenMemoryColumn(ctx.log, f->machine);
  if (!column) return;
  std::vector<std::vector<SampleRun>> runs;
  for (const Entity& e : task.entities) {
    runs.emplace_back();
    for (const SampleRun& r : e.runs) runs.back().push_back(SampleRun{r.begin, r.end, kNoColumn});
  }
  std::vector<LifetimeSource> lifetimes;
  for (const std::vector<SampleRun>& r : runs) lifetimes.push_back({r, 0, *column, 1024.0});
  if (auto ev = JudgeCounter(ctx, internal::kSqlStolenServerMemory, "bytes", UnitKind::kBytes,
                             lifetimes)) {
    ev->column_scale = 1024.0;
    f->evidence.push_back(std::move(*ev));
  }
}

Finding RunProcessTask(const Context& ctx, const FindingTask& task) {
  Finding f;
  const InstanceColumns& home = ctx.instances[task.first_instance];
  f.machine = home.machine;
  f.process = home.process;
  f.instance = home.instance;
  for (const Entity& e : task.entities) {
    if (e.runs.empty()) continue;
    Lifetime lt;
    lt.pid = e.pid;
    lt.first_sample = e.runs.front().begin;
    lt.last_sample = e.runs.back().end - 1;
    lt.first_utc = TickAt(ctx.log, lt.first_sample);
    lt.last_utc = TickAt(ctx.log, lt.last_sample);
    f.lifetimes.push_back(lt);
    if (e.pid && std::find(f.pids.begin(), f.pids.end(), *e.pid) == f.pids.end()) {
      f.pids.push_back(*e.pid);
    }
  }
  std::vector<std::vector<SampleRun>> clr_runs;
  bool any_clr = false;
  for (const Entity& e : task.entities) {
    clr_runs.push_back(ctx.sidecars.clr.empty() ? std::vector<SampleRun>{}
                                                : ClrRunsOf(ctx, f.machine, e));
    any_clr = any_clr || !clr_runs.back().empty();
  }
  for (std::size_t slot = 0; slot < kProcessCounters.size(); ++slot) {
    std::vector<LifetimeSource> lifetimes;
    for (const Entity& e : task.entities) {
      lifetimes.push_back(LifetimeSource{e.runs, slot});
    }
    const CounterSpec& spec = kProcessCounters[slot];
    std::optional<JudgedWindow> window;
    if (auto ev = JudgeCounter(ctx, spec.name, spec.unit, spec.kind, lifetimes, &window)) {
      if (any_clr && spec.name == internal::kPrivateBytes && window) {
        ExplainPrivateBytes(ctx, clr_runs[window->lifetime], *window, &*ev);
      }
      f.evidence.push_back(std::move(*ev));
    }
  }
  if (any_clr) JudgeClrCounters(ctx, clr_runs, &f);
  JudgeSqlStolenMemory(ctx, task, &f);
  PlaceAddressSpace(&f);
  internal::JudgeByDesignGrowth(ctx.log, &f);
  Conclude(ctx, &f);
  DecideKind(ctx.options, &f);
  f.app_pool = AppPoolOf(ctx, f);
  return f;
}

Finding RunSystemTask(const Context& ctx, const FindingTask& task) {
  Finding f;
  f.machine = task.machine;
  f.process = "(system)";
  f.instance = "Memory";
  f.system = true;
  const std::size_t n = ctx.log.num_samples();
  if (n > 0) {
    f.lifetimes.push_back(
        Lifetime{std::nullopt, 0, n - 1, TickAt(ctx.log, 0), TickAt(ctx.log, n - 1)});
  }
  std::optional<double> commit_limit;
  if (task.system_columns[3] != kNoColumn) {
    for (std::size_t i = n; i > 0; --i) {
      const double v = ctx.log.columns[task.system_columns[3]][i - 1];
      if (std::isfinite(v) && v > 0.0) {
        commit_limit = v;
        break;
      }
    }
  }
  constexpr std::array<std::string_view, 3> kNames = {
      internal::kCommittedBytes, internal::kPoolPagedBytes, internal::kPoolNonpagedBytes};
  const SampleRun all_samples{0, n, kNoColumn};
  for (std::size_t k = 0; k < kNames.size(); ++k) {
    const std::size_t column = task.system_columns[k];
    if (column == kNoColumn) continue;
    const LifetimeSource whole_log{{&all_samples, 1}, 0, column};
    if (auto ev = JudgeCounter(ctx, kNames[k], "bytes", UnitKind::kBytes, {&whole_log, 1})) {
      if (k == 0 && commit_limit) {
        ev->limit = commit_limit;
        ev->forecast = internal::ForecastAtRate(*ev, *commit_limit,
                                                internal::LevelAtWindowEnd(*ev, ctx.options.memory),
                                                ctx.options.memory);
      }
      f.evidence.push_back(std::move(*ev));
    }
  }
  Conclude(ctx, &f);
  return f;
}

// Follows each PID through the CLR instance groups sample by sample: the CLR numbers its
// instances (`w3wp`, `w3wp#1`) on its own, in another order than Process, so only the
// `.NET CLR Memory\Process ID` of each sample ties a CLR instance to a process.
void IndexClrByPid(const CounterLog& log, const std::vector<InstanceColumns>& instances,
                   std::map<std::pair<std::string, std::int64_t>, Entity>* out) {
  std::vector<std::size_t> groups;
  std::vector<std::string> machines;
  for (std::size_t g = 0; g < instances.size(); ++g) {
    if (!instances[g].clr || instances[g].columns[kClrPidSlot] == kNoColumn) continue;
    groups.push_back(g);
    machines.push_back(AsciiLower(instances[g].machine));
  }
  for (std::size_t i = 0; i < log.num_samples(); ++i) {
    for (std::size_t k = 0; k < groups.size(); ++k) {
      const std::optional<std::int64_t> pid =
          internal::AsPid(log.columns[instances[groups[k]].columns[kClrPidSlot]][i]);
      if (!pid) continue;
      Entity& e = (*out)[{machines[k], *pid}];
      if (!e.Has(i)) e.Add(i, groups[k]);
    }
  }
}

// A sample where an instance group has any judged counter.
bool PresentAt(const CounterLog& log, const InstanceColumns& ic, std::size_t sample) {
  for (std::size_t s = 0; s < kProcessCounters.size(); ++s) {
    if (ic.columns[s] != kNoColumn && Present(log.columns[ic.columns[s]][sample])) return true;
  }
  return false;
}

// Process V2 names each process by its PID, so a restart is a new instance. To read like the
// Process object (where a restarted process usually comes back under the same `name#n`, one
// finding with two lifetimes), processes of one image that never overlap in time are chained
// into lanes, earliest first, each lane's home its first instance.
void PlaceInLanes(std::vector<Entity> entities,
                  std::map<std::size_t, std::vector<Entity>>* by_home) {
  std::stable_sort(entities.begin(), entities.end(), [](const Entity& a, const Entity& b) {
    return a.runs.front().begin < b.runs.front().begin;
  });
  std::vector<std::pair<std::size_t, std::size_t>> lanes;  // home group, end of last sample run
  for (Entity& e : entities) {
    auto lane = std::find_if(lanes.begin(), lanes.end(),
                             [&](const auto& l) { return l.second <= e.runs.front().begin; });
    if (lane == lanes.end()) {
      lanes.emplace_back(e.runs.front().group, 0);
      lane = lanes.end() - 1;
    }
    lane->second = e.runs.back().end;
    (*by_home)[lane->first].push_back(std::move(e));
  }
}

// Samples where the whole log is empty (a skipped collection) say nothing about presence.
// Only the rows still empty are looked at in each further column: usually none after the
// first, instead of a pass over every cell of the log.
std::vector<bool> EmptyRows(const CounterLog& log) {
  const std::size_t n = log.num_samples();
  std::vector<bool> row_empty(n, true);
  std::vector<std::size_t> still_empty(n);
  std::iota(still_empty.begin(), still_empty.end(), std::size_t{0});
  for (const auto& column : log.columns) {
    if (still_empty.empty()) break;
    std::erase_if(still_empty, [&](std::size_t i) {
      if (!std::isfinite(column[i])) return false;
      row_empty[i] = false;
      return true;
    });
  }
  return row_empty;
}

// The process instance groups of each image (machine, image name), both in first-seen order.
std::vector<std::vector<std::size_t>> GroupsByImage(const std::vector<InstanceColumns>& instances) {
  std::map<std::pair<std::string, std::string>, std::size_t> image_index;
  std::vector<std::vector<std::size_t>> images;
  for (std::size_t g = 0; g < instances.size(); ++g) {
    if (instances[g].clr) continue;
    const auto key =
        std::make_pair(AsciiLower(instances[g].machine), AsciiLower(instances[g].process));
    auto [it, inserted] = image_index.try_emplace(key, images.size());
    if (inserted) images.emplace_back();
    images[it->second].push_back(g);
  }
  return images;
}

// Without a PID: runs of present samples of group `g`; a gap of two or more samples where the
// log has data ends a lifetime (restart), a single missing sample does not.
void LifetimesWithoutPid(const CounterLog& log, std::size_t g, const InstanceColumns& ic,
                         const std::vector<bool>& row_empty,
                         std::map<std::size_t, std::vector<Entity>>* by_home) {
  Entity current;
  std::size_t gap = 0;
  for (std::size_t i = 0; i < log.num_samples(); ++i) {
    if (PresentAt(log, ic, i)) {
      if (gap >= 2 && !current.runs.empty()) {
        (*by_home)[g].push_back(std::move(current));
        current = Entity{};
      }
      gap = 0;
      current.Add(i, g);
    } else if (!row_empty[i]) {
      ++gap;
    }
  }
  if (!current.runs.empty()) (*by_home)[g].push_back(std::move(current));
}

// The finding tasks of one image: with `ID Process` (or a Process V2 name), processes are
// followed by PID across the `#n` groups of the image (the numbering moves when a namesake
// exits), each finding at home in the group where its first PID first appeared; without it,
// a group's runs of present samples are its lifetimes.
std::vector<FindingTask> ImageTasks(const CounterLog& log,
                                    const std::vector<InstanceColumns>& instances,
                                    std::vector<std::size_t> groups,
                                    const std::vector<bool>& row_empty) {
  std::sort(groups.begin(), groups.end(),
            [&](std::size_t a, std::size_t b) { return instances[a].index < instances[b].index; });
  std::map<std::size_t, std::vector<Entity>> by_home;  // first instance -> entities
  for (const std::size_t g : groups) {
    const InstanceColumns& ic = instances[g];
    if (ic.columns[kIdSlot] == kNoColumn && !ic.name_pid) {
      LifetimesWithoutPid(log, g, ic, row_empty, &by_home);
    }
  }
  std::map<std::int64_t, Entity> by_pid;
  std::vector<std::int64_t> pid_order;
  for (std::size_t i = 0; i < log.num_samples(); ++i) {
    for (const std::size_t g : groups) {
      const InstanceColumns& ic = instances[g];
      // A Process V2 name holds its PID at every sample: only samples with data count.
      if (ic.name_pid && !PresentAt(log, ic, i)) continue;
      const std::optional<std::int64_t> pid = internal::PidAt(log, ic, i);
      if (!pid) continue;
      auto [it, inserted] = by_pid.try_emplace(*pid);
      if (inserted) {
        it->second.pid = *pid;
        pid_order.push_back(*pid);
      }
      if (!it->second.Has(i)) it->second.Add(i, g);
    }
  }
  std::vector<Entity> named;  // Process V2: one instance per PID
  for (const std::int64_t pid : pid_order) {
    Entity& e = by_pid[pid];
    if (instances[e.runs.front().group].name_pid) {
      named.push_back(std::move(e));
    } else {
      by_home[e.runs.front().group].push_back(std::move(e));
    }
  }
  PlaceInLanes(std::move(named), &by_home);
  std::vector<FindingTask> tasks;
  for (auto& [home, entities] : by_home) {
    std::stable_sort(entities.begin(), entities.end(), [](const Entity& a, const Entity& b) {
      return a.runs.front().begin < b.runs.front().begin;
    });
    FindingTask task;
    task.first_instance = home;
    task.entities = std::move(entities);
    tasks.push_back(std::move(task));
  }
  return tasks;
}

// One task per finding: the process findings of every image (in parallel: following PIDs
// through every sample of a wide log is worth spreading over the threads, and each image
// fills its own slot, so the order stays), then one system finding per machine with Memory
// counters.
Result<std::vector<FindingTask>> BuildTasks(const CounterLog& log,
                                            const internal::ProcessColumns& columns,
                                            std::size_t threads, ProcessSidecars* sidecars) {
  const std::vector<bool> row_empty = EmptyRows(log);
  const std::vector<std::vector<std::size_t>> images = GroupsByImage(columns.instances);
  std::vector<std::vector<FindingTask>> image_tasks(images.size());
  PERFLEAK_RETURN_NOT_OK(internal::ParallelFor(images.size(), threads, [&](std::size_t image) {
    image_tasks[image] = ImageTasks(log, columns.instances, images[image], row_empty);
  }));
  IndexClrByPid(log, columns.instances, &sidecars->clr);
  std::vector<FindingTask> tasks;
  for (std::vector<FindingTask>& per_image : image_tasks) {
    for (FindingTask& task : per_image) tasks.push_back(std::move(task));
  }
  for (const internal::MachineColumns* m : columns.SystemMachines()) {
    if (m->committed == kNoColumn && m->pool_paged == kNoColumn && m->pool_nonpaged == kNoColumn) {
      continue;
    }
    FindingTask task;
    task.system = true;
    task.machine = m->system_machine;
    task.system_columns = {m->committed, m->pool_paged, m->pool_nonpaged, m->limit};
    tasks.push_back(std::move(task));
  }
  return tasks;
}

Result<LogAnalysis> AnalyzeWindow(const CounterLog& log, const internal::ProcessColumns& columns,
                                  const AnalysisOptions& options);

void CountProcesses(LogAnalysis* result) {
  result->processes_analysed = result->processes_not_judged = 0;
  for (const Finding& f : result->findings) {
    if (f.system) continue;
    ++(f.verdict == Verdict::kNotJudged ? result->processes_not_judged
                                        : result->processes_analysed);
  }
}

}  // namespace

const Evidence* LeadEvidence(const Finding& finding) {
  for (const Evidence& e : finding.evidence) {
    if (e.verdict == finding.verdict) return &e;
  }
  return finding.evidence.empty() ? nullptr : &finding.evidence.front();
}

namespace {

bool AnyJudged(const LogAnalysis& result) {
  return std::any_of(result.findings.begin(), result.findings.end(),
                     [](const Finding& f) { return f.verdict != Verdict::kNotJudged; });
}

// A window this short shows only fast growth: "no leaks" in it does not rule a slow one out.
bool ShortCapture(const CounterLog& log, const AnalysisOptions& options) {
  const double minutes =
      static_cast<double>(log.time_utc.back() - log.time_utc.front()) / (60.0 * kTicksPerSecond);
  return minutes < options.short_capture_minutes;
}

}  // namespace

Result<LogAnalysis> AnalyzeLog(const CounterLog& log, const AnalysisOptions& options) {
  PERFLEAK_RETURN_NOT_OK(options.Validate());
  std::optional<ResolvedFocus> focus;
  std::optional<CounterLog> slice;
  if (options.focus.HasWindow()) {
    PERFLEAK_ASSIGN_OR_RETURN(focus, ResolveFocus(log, options.focus));
    slice = internal::SliceRows(log, focus->begin, focus->end);
  }
  const CounterLog& analysed = slice ? *slice : log;
  // One column index for the findings and the memory post-mortem (the slice keeps every
  // column, so it is the log's).
  const internal::ProcessColumns columns = internal::ProcessColumns::Build(analysed);
  PERFLEAK_ASSIGN_OR_RETURN(LogAnalysis result, AnalyzeWindow(analysed, columns, options));
  if (AnyJudged(result) && ShortCapture(analysed, options))
    result.caveats.push_back("short_capture");
  result.system_memory = internal::AnalyzeSystemMemory(
      analysed, columns, result.findings, options.memory, focus ? focus->at_utc : std::nullopt);
  internal::AttributeSystemFindings(analysed, columns, options.memory, &result.findings);
  if (focus) {
    // Lifetimes index the whole log, as LogReport::log holds it.
    for (Finding& f : result.findings) {
      for (Lifetime& life : f.lifetimes) {
        life.first_sample += focus->begin;
        life.last_sample += focus->begin;
      }
    }
    result.focus = focus;
  }
  if (!options.focus.process.empty()) {
    result.findings = internal::KeepFocusProcess(std::move(result.findings), options.focus.process,
                                                 log.source, &result.warnings);
    CountProcesses(&result);
  }
  return result;
}

namespace {

Result<LogAnalysis> AnalyzeWindow(const CounterLog& log, const internal::ProcessColumns& columns,
                                  const AnalysisOptions& options) {
  LogAnalysis result;
  ProcessSidecars sidecars;
  const std::size_t threads = internal::WorkerCount(options.num_threads);
  if (log.num_samples() == 0) {
    result.no_data = NoData{
        "the log holds no sample (collection stopped before its first "
        "sample, or the file was cut)",
        CollectHint(CollectObjectsFor(log))};
    return result;
  }
  PERFLEAK_ASSIGN_OR_RETURN(const std::vector<FindingTask> tasks,
                            BuildTasks(log, columns, threads, &sidecars));
  if (tasks.empty()) {
    result.no_data = NoData{
        "no Process or Memory counter that perfleak judges (Private Bytes, Handle Count, Thread "
        "Count, Committed Bytes, ...)",
        CollectHint(CollectObjectsFor(log))};
    return result;
  }
  const std::vector<double> hours = EffectiveHours(log);
  const Context ctx{log, options, hours, columns.instances, columns, sidecars};
  std::vector<Finding> findings(tasks.size());
  PERFLEAK_RETURN_NOT_OK(internal::ParallelFor(tasks.size(), threads, [&](std::size_t k) {
    findings[k] = tasks[k].system ? RunSystemTask(ctx, tasks[k]) : RunProcessTask(ctx, tasks[k]);
  }));
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.verdict != b.verdict) return a.verdict > b.verdict;
    return a.score > b.score;
  });
  result.findings = std::move(findings);
  CountProcesses(&result);
  return result;
}

}  // namespace

}  // namespace perfleak
