// Leak analysis: from a CounterLog to ranked per-process verdicts with their evidence.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "perfleak/counter_log.h"
#include "perfleak/focus.h"
#include "perfleak/memory_pressure.h"
#include "perfleak/status.h"
#include "perfleak/tasklist.h"

namespace perfleak {

/// Ordered by severity, so max() of evidence verdicts gives the process verdict: an instance is
/// `not_judged` only when none of its counters could be judged.
enum class Verdict : std::uint8_t { kNotJudged = 0, kOk = 1, kSuspect = 2, kLeak = 3 };
/// "not_judged", "ok", "suspect", "leak".
const char* VerdictName(Verdict verdict);
/// Leak or suspect: what reports list without --all.
inline bool IsFlagged(Verdict verdict) { return verdict >= Verdict::kSuspect; }

enum class Sensitivity : std::uint8_t { kLow, kDefault, kHigh };
/// "low", "default", "high".
const char* SensitivityName(Sensitivity sensitivity);
/// Parses "low" | "default" | "high"; kInvalidArgument otherwise.
Result<Sensitivity> ParseSensitivity(std::string_view text);

/// Thresholds of the detector. Plain data; ForSensitivity() gives the documented presets.
/// The defaults are tuned on a generated labelled set (see tests/analysis/quality_test.cc).
struct AnalysisOptions {
  Sensitivity sensitivity = Sensitivity::kDefault;
  /// Minimum samples in a lifetime for a trend to be judged.
  std::size_t min_samples = 12;
  /// Minimum |Mann-Kendall z| (autocorrelation-corrected) for growth to count as real.
  double min_trend_z = 3.0;
  /// Growth over the judged window relative to the level at its start that makes a `leak`
  /// (e.g. 0.05 = 5 %), and the smaller one that makes a `suspect`.
  double leak_relative_growth = 0.05;
  double suspect_relative_growth = 0.02;
  /// Growth that is too small to matter whatever its shape, per unit kind.
  double min_growth_bytes = 4.0 * 1024 * 1024;
  double min_growth_handles = 50.0;
  double min_growth_threads = 10.0;
  /// Small processes: the byte floor is lowered to this share of the process's level, never
  /// below min_growth_bytes_small (a 3 MB rise is a quarter of an 8 MB process).
  double small_process_growth_share = 0.25;
  double min_growth_bytes_small = 256.0 * 1024;
  /// A clean line (robust R^2 >= clean_min_fit_quality, Mann-Kendall z >= clean_min_trend_z,
  /// consistent, not a sawtooth envelope) is a `leak` from suspect_relative_growth and
  /// min_growth_bytes_small on: a slow leak drawn as a perfect line is still a leak.
  double clean_min_fit_quality = 0.9;
  double clean_min_trend_z = 6.0;
  /// Fraction of the window the growth must be spread over (not one step) for a `leak`.
  double min_consistency = 0.6;
  /// Robust slope of the window's last third relative to the whole window's slope that a
  /// `leak` needs: growth that flattens out (warm-up, a cache filling) stays below it.
  double min_tail_ratio = 0.35;
  /// Minimum robust R^2 of the trend line for a `leak`: bounded random wandering can look
  /// monotone for a while but fits a line poorly.
  double min_fit_quality = 0.3;
  /// Minimum |Mann-Kendall z| for a `suspect`.
  double suspect_trend_z = 2.0;
  /// Warm-up or leak, by shape (src/analysis/growth_shape.h). A flagged window is also fitted
  /// with an exponential approach to a plateau and a rise-then-flat; when the better of the two
  /// beats the line by at least shape_min_bic_gain in BIC (10 = "very strong", Kass & Raftery
  /// 1995), and its tail (from where 90 % of the rise is done, at least the last
  /// plateau_min_share of the window) rises by at most plateau_max_tail_rise of the rise, the
  /// growth has stopped if that tail is at least plateau_min_share of the window and
  /// plateau_min_over_pause times the longest pause before it (a staircase pauses too), or is
  /// slowing if the saturating curve's end slope is at most warmup_max_end_slope_ratio of its
  /// mean slope. Slowing, or stopped within the first third: warm-up, `ok`. Stopped later:
  /// at most `suspect`, described as a plateau.
  double shape_min_bic_gain = 10.0;
  double plateau_min_share = 0.25;
  double plateau_min_over_pause = 1.5;
  double plateau_max_tail_rise = 0.2;
  double warmup_max_end_slope_ratio = 0.5;
  /// A judged window shorter than this is a short capture: its verdict carries the
  /// `short_capture` caveat, and a `leak` there needs a line fitting at least
  /// short_capture_min_fit_quality or severe growth, else it is a `suspect`. A whole analysed
  /// log (or focus window) shorter than this carries LogAnalysis::caveats `short_capture`.
  double short_capture_minutes = 120.0;
  double short_capture_min_fit_quality = 0.8;
  /// A severe rise is a `leak` with only this certainty, whatever min_trend_z a preset asks:
  /// growth of at least severe_relative_growth (1.0 = doubled) on a line fitting at least
  /// severe_min_fit_quality. So `low` sensitivity drops uncertain findings, never a large,
  /// clean, sustained rise.
  double severe_trend_z = 3.0;
  double severe_relative_growth = 1.0;
  double severe_min_fit_quality = 0.9;
  /// Longer lifetimes are reduced to this many block medians before judging, which bounds
  /// the cost per series on long logs (a trend over 256 block medians is as clear as over
  /// 20,000 raw samples, and less noisy); 0 = no limit.
  std::size_t max_points = 256;
  /// Threads used over series; 0 = hardware concurrency.
  std::size_t num_threads = 0;
  /// Post-mortem focus: analyse only [from, to] (or the run-up to `at`) and, with `process`,
  /// report only that process (every counter, every lifetime). Empty = the whole log.
  FocusOptions focus;
  /// Thresholds of the system memory section (pressure episodes, attribution, forecasts).
  MemoryPressureOptions memory;
  /// Finding::kind of a flagged Private Bytes evidence by the share of its observed change the
  /// managed heap explains (Evidence::explained_by): at least managed_min_share is `managed`,
  /// at most native_max_share is `native` (a flat managed heap under rising Private Bytes).
  double managed_min_share = 0.6;
  double native_max_share = 0.2;

  static AnalysisOptions ForSensitivity(Sensitivity sensitivity);
  Status Validate() const;
};

/// A contiguous run of samples belonging to one process (one PID).
struct Lifetime {
  std::optional<std::int64_t> pid;  ///< absent when the log has no `ID Process`
  std::size_t first_sample = 0;     ///< index into the analysed log's time axis, inclusive
  std::size_t last_sample = 0;      ///< inclusive
  /// Exact UTC times of the first and last sample: they stay right when a report keeps the
  /// log thinned for charts (whose indices differ); 0 = unknown (use the indices).
  Ticks first_utc = 0, last_utc = 0;
};

/// A straight fitted piece, for charts: value v0 at t0 to v1 at t1 (UTC ticks).
struct TrendSegment {
  Ticks t0 = 0, t1 = 0;
  double v0 = 0.0, v1 = 0.0;
};

/// One point of a judged signal, for charts: value v at t (UTC ticks).
struct SignalPoint {
  Ticks t = 0;
  double v = 0.0;
};

/// How much of a Private Bytes evidence's observed change another counter of the same process
/// explains over the same window (the same samples, the same ObserveWindow edges).
struct Explanation {
  /// `# Bytes in all Heaps` (the managed heap; `# Total committed Bytes` when the log lacks
  /// it), then its parts `Gen 2 heap size` and `Large Object Heap size` when logged.
  std::string counter;
  double change = 0.0;  ///< that counter's observed change over the window, in bytes
  double share = 0.0;   ///< change / the evidence's observed_change, clamped to 0..1
};

/// What one counter of one process instance says.
struct Evidence {
  std::string counter;  ///< English name: "Private Bytes", "Handle Count", ...
  std::string unit;     ///< "bytes", "handles", "threads"
  /// Column index in the analysed CounterLog. In a batch report, whose LogReport::log keeps
  /// only the columns charts draw, it indexes that log for each finding's LeadEvidence() and
  /// is kColumnNotKept for the other evidence.
  std::size_t column = 0;
  /// The column's values times this are in `unit`: 1024 for SQL Server's `... (KB)` counters
  /// judged in bytes, else 1.
  double column_scale = 1.0;
  Verdict verdict = Verdict::kOk;
  double score = 0.0;           ///< 0..1
  double slope_per_hour = 0.0;  ///< robust slope in `unit` per hour over the judged window
  /// Sen's confidence bounds of slope_per_hour (MemoryPressureOptions::confidence); equal to
  /// it for `ok` and `not_judged` evidence, where no interval is computed.
  double slope_low_per_hour = 0.0, slope_high_per_hour = 0.0;
  double growth = 0.0;       ///< fitted: slope x the judged window, in `unit`
  double start_level = 0.0;  ///< fitted level at the window start, in `unit`
  /// What the raw samples did over the judged window (ObserveWindow: the median of its first
  /// and of its last MemoryPressureOptions::edge_share of samples), and their highest value.
  /// Reports show observed_change as the growth; `growth` is the fit.
  double observed_start = 0.0, observed_end = 0.0, observed_change = 0.0, peak = 0.0;
  std::optional<Ticks> onset_utc;  ///< where sustained growth starts (change point)
  Ticks window_start_utc = 0, window_end_utc = 0;
  double fit_quality = 0.0;    ///< 0..1, robust R^2 of the trend on the judged signal
  double trend_z = 0.0;        ///< Mann-Kendall z, corrected for autocorrelation
  double consistency = 0.0;    ///< 0..1, share of window parts (and lifetimes) that grew
  bool used_envelope = false;  ///< judged on the lower envelope (sawtooth series)
  /// With used_envelope: the envelope judged, per block median of each judged lifetime (a
  /// NaN value between lifetimes), so charts draw the analysis's signal, not one of their own.
  std::vector<SignalPoint> envelope;
  std::string method;               ///< one line naming the estimator and signal
  std::vector<TrendSegment> trend;  ///< fitted pieces, one per judged lifetime
  std::vector<Ticks> change_points;
  /// Codes that qualify this verdict (Finding::caveats has the lead evidence's), with
  /// growth_end_utc (where a warm-up or plateau stopped rising) and the growth floor it was
  /// held to (`below_floor`: a clean rise smaller than it).
  std::vector<std::string> caveats;
  std::optional<Ticks> growth_end_utc;
  double floor = 0.0;
  /// A known limit for this counter (32-bit address space, commit limit) and when the trend
  /// reaches it; the forecast's status says why there is none when it is not kForecast.
  std::optional<double> limit;
  std::optional<ExhaustionForecast> forecast;
  /// Private Bytes only, when its observed change is positive and `.NET CLR Memory` covers at
  /// least half of its window: what the managed heap explains of it, the total first. Empty
  /// otherwise (not a .NET process, or the log has no CLR counters).
  std::vector<Explanation> explained_by;
};

inline constexpr std::size_t kColumnNotKept = static_cast<std::size_t>(-1);

/// The services one PID hosts, as a `tasklist /svc` export lists them.
struct PidServices {
  std::int64_t pid = 0;
  std::vector<std::string> names;  ///< in the export's order
};

/// The services of a svchost finding's PIDs, from a `tasklist /svc` export in the case folder
/// (perfmon does not log them). AttachHostedServices sets it only when the export is plausible
/// for the log (its time, when its file name has one, within a day of the log; its PIDs
/// naming the same images as the log's).
struct HostedServices {
  std::string source;  ///< the export's path
  /// When the export was taken (local time of the machine, from its file name), checked
  /// against the log; absent when the name has no time: then the services are the export's
  /// word (PIDs are reused after a reboot), and reports say so.
  std::optional<Ticks> export_time_local;
  /// The finding's PIDs the export lists with services, in the finding's PID order.
  std::vector<PidServices> pids;
};

/// One process instance (or the system) with its verdict.
struct Finding {
  std::string machine;
  std::string process;             ///< image name without `#n`
  std::string instance;            ///< as the log writes it (`svchost#3`)
  bool system = false;             ///< system-wide finding (Memory\Committed Bytes, pools)
  std::vector<std::int64_t> pids;  ///< distinct ID Process values in time order
  std::vector<Lifetime> lifetimes;
  Verdict verdict = Verdict::kOk;
  double score = 0.0;              ///< 0..1, the ranking key
  std::vector<Evidence> evidence;  ///< judged counters, strongest first
  /// Why the instance was not judged (verdict kNotJudged): "11 samples in its longest lifetime
  /// (10 min); at least 12 are needed".
  std::string reason;
  /// Codes that qualify the verdict, the lead evidence's (`short_capture`, `warm_up`,
  /// `plateau`, `below_floor`, `thread_stacks`, `address_space`, `by_design`, `beyond_target`); the
  /// summary says each in words.
  std::vector<std::string> caveats;
  /// A system finding's growth over its judged window, split over the processes and kernel
  /// pools that grew (top contributors first); absent for processes.
  std::optional<Attribution> contributors;
  /// What kind of leak a flagged process shows, from its .NET CLR evidence; empty when not
  /// flagged or not known. In order: `dynamic_assemblies` (Current Assemblies or Current
  /// appdomains flagged); `managed` (Private Bytes flagged, and the managed heap explains at
  /// least AnalysisOptions::managed_min_share of it) or `native` (at most native_max_share);
  /// `managed` also when `# Bytes in all Heaps` is flagged and Private Bytes is not or has no
  /// explained share. A share in between leaves it empty.
  std::string kind;
  /// The IIS application pool of a w3wp process (from `W3SVC_W3WP(PID_AppPool)` instances
  /// matched by PID); several pools over the finding's PIDs are joined with ", ". Empty for
  /// other processes and when the log has no W3SVC_W3WP counters.
  std::string app_pool;
  /// svchost only: the services its PIDs host, from a `tasklist /svc` export
  /// (AttachHostedServices); absent without one.
  std::optional<HostedServices> services;
};

/// The evidence a finding's verdict rests on (what summaries talk about and charts draw): the
/// first (strongest) one with the finding's verdict, else the first; null when there is none.
const Evidence* LeadEvidence(const Finding& finding);

/// A log that was read but holds nothing perfleak judges.
struct NoData {
  std::string reason;        ///< one line: "no Process or Memory counter perfleak judges"
  std::string collect_hint;  ///< the `logman create counter ...` command that collects them
};

struct LogAnalysis {
  /// Every analysed process instance (and system finding), best first. Reports filter `ok`
  /// and `not_judged`.
  std::vector<Finding> findings;
  /// Process instances judged (leak, suspect or ok) and not judged; system findings are in
  /// neither count.
  std::size_t processes_analysed = 0;
  std::size_t processes_not_judged = 0;
  /// Set when the log has no counter perfleak judges or no sample: findings is then empty.
  std::optional<NoData> no_data;
  /// Codes that qualify every verdict of the log, above all "no leaks": `short_capture` when
  /// the analysed window spans less than AnalysisOptions::short_capture_minutes, too short for
  /// a slow leak to show (reports say so beside the verdicts). Empty when nothing was judged.
  std::vector<std::string> caveats;
  std::vector<std::string> warnings;
  /// System memory context, pressure episodes and their growers; absent when the log has no
  /// Memory counters (and, without `focus.at`, no Process counters either).
  std::optional<SystemMemoryAnalysis> system_memory;
  /// The analysed window when a focus was given (sample indices into the whole log).
  std::optional<ResolvedFocus> focus;
};

/// Counter patterns the analysis needs; pass them as ReadOptions::counter_patterns so a
/// reader loads nothing else.
std::vector<std::string> AnalysisCounterPatterns();

/// The objects beyond Process and Memory a collection should add for what a log shows.
struct CollectObjects {
  bool dotnet = false;  ///< `.NET CLR Memory(*)` and `.NET CLR Loading(*)` (managed vs native)
  bool iis = false;     ///< `W3SVC_W3WP(*)` (app pools)
  /// `SQLServer:Memory Manager`, or a named instance's `MSSQL$NAME:Memory Manager`; empty =
  /// none.
  std::string sql_memory_manager;
};

/// The logman command that collects what the analysis needs: Process and Memory, then the
/// objects `extra` asks for, in the order of the README's line ("What perfleak knows about
/// the process").
std::string CollectHint(const CollectObjects& extra);
/// CollectHint with Process and Memory only.
std::string CollectHint();
/// What a log shows that more objects would explain: .NET CLR counters or a w3wp process
/// (.NET and IIS), W3SVC_W3WP (IIS), SQL Server counters or sqlservr (its Memory Manager).
CollectObjects CollectObjectsFor(const CounterLog& log);
/// The same for one image name (`w3wp`: .NET and IIS; `sqlservr`: SQL Server).
CollectObjects CollectObjectsForProcess(std::string_view image);

/// Names the services of each svchost finding's PIDs from `tasklist /svc` exports of the
/// case (TasklistExport). An export is used for a machine of `log` only when it is plausible:
/// its time (TasklistExport::time_local) within `max_time_distance_hours` of the log's first
/// or last sample when it has one, and the processes alive in the log (at the export's time,
/// else at the log's start or end) mostly under the same PIDs in the export (at least one,
/// at most a fifth disagreeing: PIDs are reused after a reboot). With several plausible
/// exports for a machine the one agreeing best (a time, a file name holding the machine name)
/// wins. `log` is the analysed CounterLog (its times place lifetimes). Returns the
/// warnings to show with the log: the export's own skipped rows, and an export not used and
/// why.
std::vector<std::string> AttachHostedServices(const std::vector<TasklistExport>& exports,
                                              const CounterLog& log, LogAnalysis* analysis,
                                              double max_time_distance_hours = 24.0);

/// Analyses one log. Fails only for invalid options; a log with nothing to analyse gives an
/// empty result with `no_data` set.
Result<LogAnalysis> AnalyzeLog(const CounterLog& log, const AnalysisOptions& options = {});

}  // namespace perfleak
