#include "batch/input_shard.h"

#include <algorithm>
#include <optional>
#include <set>

#include "batch/failed_log_report.h"
#include "common/parallel_for_internal.h"

namespace perfleak {

Result<Shard> ParseShard(std::string_view text) {
  const auto invalid = [&] {
    return Status::InvalidArgument("--shard must be K/N with 1 <= K <= N (\"" + std::string(text) +
                                   "\" given), e.g. 1/4");
  };
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return invalid();
  const auto number = [](std::string_view digits) -> std::optional<std::size_t> {
    if (digits.empty() || digits.size() > 7) return std::nullopt;
    std::size_t v = 0;
    for (const char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + static_cast<std::size_t>(c - '0');
    }
    return v;
  };
  const auto k = number(text.substr(0, slash)), n = number(text.substr(slash + 1));
  if (!k || !n || *k < 1 || *k > *n || *n > 1'000'000) return invalid();
  return Shard{*k, *n};
}

}  // namespace perfleak

namespace perfleak::internal {

std::uint64_t StableHash(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string ShardKey(const LogInput& input, const ReadOptions& read,
                     const ArchiveOptions& archive) {
  ReadOptions peek = read;
  peek.max_samples = 1;
  peek.num_threads = 1;
  auto log = ReadLogInput(input, peek, archive);
  if (!log.ok()) return "path:" + input.path;
  std::set<std::string> machines;
  for (const CounterPath& p : log->paths) machines.insert(p.machine);
  std::string key = "machines:";
  for (const std::string& m : machines) key += m + "|";
  return key;
}

namespace {

bool InShard(const Shard& shard, std::string_view key) {
  return StableHash(key) % shard.count == shard.index - 1;
}

template <class T>
void KeepByPath(const Shard& shard, std::vector<T>* entries) {
  std::erase_if(*entries, [&](const T& e) { return !InShard(shard, "path:" + e.path); });
}

}  // namespace

Status SelectShard(const BatchOptions& options, BatchInputs* inputs) {
  const Shard& shard = options.shard;
  if (shard.count <= 1) return Status::OK();
  std::vector<std::string> keys(inputs->logs.size());
  const std::size_t jobs = WorkerCount(options.jobs);
  PERFLEAK_RETURN_NOT_OK(ParallelFor(keys.size(), jobs, [&](std::size_t i) {
    keys[i] = ShardKey(inputs->logs[i], options.read, options.archive);
  }));
  std::vector<LogInput> kept;
  inputs->total_bytes = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (!InShard(shard, keys[i])) continue;
    inputs->total_bytes += inputs->logs[i].size;
    kept.push_back(std::move(inputs->logs[i]));
  }
  inputs->logs = std::move(kept);
  KeepByPath(shard, &inputs->failed);
  KeepByPath(shard, &inputs->skipped);
  return Status::OK();
}

}  // namespace perfleak::internal

namespace perfleak {

Report FailedShardReport(const std::vector<std::string>& paths, const BatchOptions& options,
                         const Status& failure) {
  BatchInputs inputs = DiscoverInputs(paths, options);
  Report report;
  if (const Status sharded = internal::SelectShard(options, &inputs); !sharded.ok()) {
    report.logs.push_back(internal::FailedLogReport(paths.empty() ? "" : paths.front(), sharded));
    return report;
  }
  report.skipped = std::move(inputs.skipped);
  report.logs = std::move(inputs.failed);
  for (const LogInput& input : inputs.logs) {
    report.logs.push_back(internal::FailedLogReport(
        input, Status(failure.code(), input.path + ": " + failure.message())));
  }
  std::stable_sort(report.logs.begin(), report.logs.end(),
                   [](const LogReport& a, const LogReport& b) { return a.path < b.path; });
  return report;
}

}  // namespace perfleak
