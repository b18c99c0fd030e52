#include "process_generator.h"

#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <random>

#include "seeded_rng.h"

namespace perfleak::scenario {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using Shape = std::function<double(std::size_t)>;

class CaseBuilder {
 public:
  CaseBuilder(const ProcessCaseOptions& o, Scenario* sc) : o_(o), rng_(o.seed), sc_(sc) {
    CounterLog& log = sc->log;
    // 2026-11-20T06:00:00Z in Eastern Standard Time, like the sample logs.
    const Ticks start = 1'795'154'400LL * kTicksPerSecond;
    log.source = std::string("process-") + ProcessCaseName(o.kind) + "-" + std::to_string(o.seed);
    log.time_zone.name = "Eastern Standard Time";
    log.time_zone.bias_minutes = 300;
    log.time_zone.has_bias = true;
    for (std::size_t i = 0; i < o.samples; ++i) {
      const Ticks t =
          start +
          static_cast<Ticks>(std::llround(static_cast<double>(i) * o.interval_s * kTicksPerSecond));
      log.time_utc.push_back(t);
      log.time_local.push_back(t - 300LL * 60 * kTicksPerSecond);
    }
  }

  std::size_t n() const { return o_.samples; }
  double At(std::size_t i) const { return static_cast<double>(i) / static_cast<double>(n()); }

  // A column from its path under the machine (`Process(w3wp#1)\Private Bytes`), `shape`
  // times (1 + relative noise), rounded as PDH writes counts; NaN where the shape is NaN.
  void Column(const std::string& path, const Shape& shape, double noise = 0.0) {
    auto parsed = CounterPath::Parse("\\\\" + o_.machine + "\\" + path);
    if (!parsed.ok()) return;
    std::vector<double> values(n());
    for (std::size_t i = 0; i < n(); ++i) {
      const double v = shape(i);
      values[i] = std::isnan(v) ? v : std::round(v * (1.0 + noise * rng_.Normal()));
    }
    sc_->log.paths.push_back(*parsed);
    sc_->log.columns.emplace_back(values.begin(), values.end());
  }

  // The Process (or Process V2) counters of one instance.
  void Process(const std::string& object, const std::string& instance, const Shape& pid,
               const Shape& private_bytes, double handles = 600, double threads = 40) {
    const std::string p = object + "(" + instance + ")\\";
    const auto alive = [pid](std::size_t i, double v) { return std::isnan(pid(i)) ? kNaN : v; };
    Column(p + "Private Bytes", private_bytes, 0.003);
    Column(
        p + "Working Set", [private_bytes](std::size_t i) { return 0.8 * private_bytes(i); }, 0.01);
    Column(
        p + "Handle Count", [=](std::size_t i) { return alive(i, handles); }, 0.002);
    Column(p + "Thread Count", [=](std::size_t i) { return alive(i, threads); });
    Column(p + "ID Process", pid);
  }

  // `.NET CLR Memory(instance)` and `.NET CLR Loading(instance)`: the managed heap (with a GC
  // sawtooth), its parts, the PID, and the loaded assemblies.
  void Clr(const std::string& instance, const Shape& pid, const Shape& heap,
           const Shape& assemblies) {
    const std::string m = ".NET CLR Memory(" + instance + ")\\";
    const auto sawtooth = [heap](std::size_t i) {
      return heap(i) + 8 * kMiB * static_cast<double>(i % 15) / 15.0;
    };
    Column(m + "# Bytes in all Heaps", sawtooth);
    Column(m + "Gen 2 heap size", [=](std::size_t i) { return 0.7 * heap(i); });
    Column(m + "Large Object Heap size", [=](std::size_t i) { return 0.1 * heap(i); });
    Column(m + "# Total committed Bytes", [=](std::size_t i) { return sawtooth(i) + 32 * kMiB; });
    Column(m + "Process ID", pid);
    const std::string l = ".NET CLR Loading(" + instance + ")\\";
    Column(l + "Current appdomains", [=](std::size_t i) { return std::isnan(pid(i)) ? kNaN : 2; });
    Column(l + "Current Assemblies", assemblies);
  }

  void Label(const std::string& process, const std::string& instance,
             std::vector<std::int64_t> pids, Verdict expected, const std::string& pattern,
             const std::string& counter) {
    sc_->labels.push_back({process, instance, std::move(pids), expected, pattern, counter});
  }

  // Flat services every log has: two svchosts and lsass.
  void Bystanders(const std::string& object, bool v2) {
    const auto name = [v2](const std::string& image, const std::string& n1, int pid) {
      return v2 ? image + ":" + std::to_string(pid) : n1;
    };
    Process(object, name("svchost", "svchost", 812), Constant(812), Constant(60 * kMiB));
    Process(object, name("svchost", "svchost#1", 1132), Constant(1132), Constant(40 * kMiB));
    Process(object, name("lsass", "lsass", 688), Constant(688), Constant(45 * kMiB));
  }

  static Shape Constant(double v) {
    return [v](std::size_t) { return v; };
  }
  Shape Line(double start, double total_rise) const {
    const double per = total_rise / static_cast<double>(n());
    return [=](std::size_t i) { return start + per * static_cast<double>(i); };
  }

 private:
  const ProcessCaseOptions& o_;
  SeededRng rng_;
  Scenario* sc_;
};

void ManagedOrNative(CaseBuilder* b, bool managed) {
  const Shape pid = CaseBuilder::Constant(4100);
  b->Process("Process", "OrderService", pid, b->Line(400 * kMiB, 480 * kMiB));
  b->Clr("OrderService", pid,
         managed ? b->Line(150 * kMiB, 430 * kMiB) : CaseBuilder::Constant(150 * kMiB),
         CaseBuilder::Constant(180));
  b->Label("OrderService", "OrderService", {4100}, Verdict::kLeak,
           managed ? "managed_leak" : "native_leak", "Private Bytes");
}

void DynamicAssemblies(CaseBuilder* b) {
  const Shape pid = CaseBuilder::Constant(4700);
  b->Process("Process", "ReportSvc", pid, b->Line(300 * kMiB, 140 * kMiB));
  b->Clr("ReportSvc", pid, CaseBuilder::Constant(120 * kMiB), b->Line(180, 480));
  b->Label("ReportSvc", "ReportSvc", {4700}, Verdict::kLeak, "dynamic_assemblies",
           "Current Assemblies");
}

void TwoAppPools(CaseBuilder* b) {
  const std::size_t swap = b->n() * 7 / 12;
  b->Process("Process", "w3wp", CaseBuilder::Constant(4312), b->Line(600 * kMiB, 480 * kMiB));
  b->Process("Process", "w3wp#1", CaseBuilder::Constant(5120), CaseBuilder::Constant(350 * kMiB));
  const Shape orders = b->Line(250 * kMiB, 450 * kMiB);
  const Shape pool = CaseBuilder::Constant(90 * kMiB);
  const auto before = [swap](const Shape& a, const Shape& c) {
    return [=](std::size_t i) { return i < swap ? a(i) : c(i); };
  };
  // Written in the other order too, as a log can list them.
  b->Clr("w3wp#1", before(CaseBuilder::Constant(4312), CaseBuilder::Constant(5120)),
         before(orders, pool), CaseBuilder::Constant(190));
  b->Clr("w3wp", before(CaseBuilder::Constant(5120), CaseBuilder::Constant(4312)),
         before(pool, orders), CaseBuilder::Constant(210));
  for (const char* instance : {"_Total", "4312_OrdersApi", "5120_DefaultAppPool"}) {
    b->Column(std::string("W3SVC_W3WP(") + instance + ")\\Active Requests",
              CaseBuilder::Constant(3));
    b->Column(std::string("W3SVC_W3WP(") + instance + ")\\Requests / Sec",
              CaseBuilder::Constant(40), 0.1);
  }
  b->Label("w3wp", "w3wp", {4312}, Verdict::kLeak, "app_pool_managed_leak", "Private Bytes");
  b->Label("w3wp", "w3wp#1", {5120}, Verdict::kOk, "app_pool_flat", "Private Bytes");
}

void Sql(CaseBuilder* b, bool past_target) {
  const std::size_t n = b->n();
  const double target_gb = past_target ? 6.0 : 12.0;
  const std::string object =
      past_target ? "MSSQL$SALES:Memory Manager" : "SQLServer:Memory Manager";
  // Ramping to the target over 85 % of the log then flat; past the target: a steady climb.
  const Shape pb = [=](std::size_t i) {
    const double x = static_cast<double>(i) / static_cast<double>(n);
    const double reach = past_target ? x : std::min(x / 0.85, 1.0);
    return 2048 * kMiB + reach * (past_target ? 7680 : 12288 - 2048 + 300) * kMiB;
  };
  b->Process("Process", "sqlservr", CaseBuilder::Constant(2200), pb, 1500, 120);
  b->Column(object + "\\Total Server Memory (KB)",
            [=](std::size_t i) { return (pb(i) - 300 * kMiB) / 1024; });
  b->Column(object + "\\Target Server Memory (KB)", CaseBuilder::Constant(target_gb * 1024 * 1024));
  b->Column(object + "\\Stolen Server Memory (KB)", CaseBuilder::Constant(400 * 1024), 0.002);
  b->Label("sqlservr", "sqlservr", {2200}, past_target ? Verdict::kLeak : Verdict::kOk,
           past_target ? "sql_beyond_target" : "sql_to_target", "Private Bytes");
}

void ProcessV2Restart(CaseBuilder* b) {
  const std::size_t restart = b->n() / 2;
  const Shape leak = [=](std::size_t i) {
    const std::size_t k = i < restart ? i : i - restart;
    return 300 * kMiB + 1.2 * kMiB * static_cast<double>(k);
  };
  const auto pid_at = [=](std::size_t i) { return i < restart ? 4100.0 : 4500.0; };
  // The Process object: one instance whose ID Process changes at the restart.
  b->Process("Process", "OrderService", pid_at, leak);
  b->Bystanders("Process", false);
  b->Bystanders("Process V2", true);
  // Process V2: one instance per PID, each present only in its own lifetime.
  const auto only = [](std::size_t from, std::size_t to, Shape s) {
    return [=](std::size_t i) { return i >= from && i < to ? s(i) : kNaN; };
  };
  b->Process("Process V2", "OrderService:4100", only(0, restart, CaseBuilder::Constant(4100)),
             only(0, restart, leak));
  b->Process("Process V2", "OrderService:4500", only(restart, b->n(), CaseBuilder::Constant(4500)),
             only(restart, b->n(), leak));
  b->Label("OrderService", "OrderService:4100", {4100, 4500}, Verdict::kLeak, "v2_restart_leak",
           "Private Bytes");
}

}  // namespace

const char* ProcessCaseName(ProcessCase kind) {
  switch (kind) {
    case ProcessCase::kManagedLeak:
      return "managed_leak";
    case ProcessCase::kNativeLeak:
      return "native_leak";
    case ProcessCase::kDynamicAssemblies:
      return "dynamic_assemblies";
    case ProcessCase::kTwoAppPools:
      return "two_app_pools";
    case ProcessCase::kSqlToTarget:
      return "sql_to_target";
    case ProcessCase::kSqlPastTarget:
      return "sql_past_target";
    case ProcessCase::kProcessV2Restart:
      return "process_v2_restart";
  }
  return "unknown";
}

Scenario GenerateProcessCase(const ProcessCaseOptions& options) {
  Scenario sc;
  CaseBuilder b(options, &sc);
  switch (options.kind) {
    case ProcessCase::kManagedLeak:
    case ProcessCase::kNativeLeak:
      ManagedOrNative(&b, options.kind == ProcessCase::kManagedLeak);
      break;
    case ProcessCase::kDynamicAssemblies:
      DynamicAssemblies(&b);
      break;
    case ProcessCase::kTwoAppPools:
      TwoAppPools(&b);
      break;
    case ProcessCase::kSqlToTarget:
    case ProcessCase::kSqlPastTarget:
      Sql(&b, options.kind == ProcessCase::kSqlPastTarget);
      break;
    case ProcessCase::kProcessV2Restart:
      ProcessV2Restart(&b);
      return sc;  // its bystanders are in both objects already
  }
  b.Bystanders("Process", false);
  return sc;
}

}  // namespace perfleak::scenario
