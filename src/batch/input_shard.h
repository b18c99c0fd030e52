// `analyze --shard K/N`: which of the discovered inputs one shard of a run takes.
#pragma once

#include <cstdint>
#include <string_view>

#include "perfleak/batch.h"

namespace perfleak::internal {

/// FNV-1a, 64 bits: the same on every machine and build, so every shard of a run, wherever it
/// runs, assigns each input to the same shard (std::hash promises neither).
std::uint64_t StableHash(std::string_view bytes);

/// The partition key of a log: its machines, sorted and distinct, read from its counter list and
/// first sample with `read` (the batch's counter patterns). Logs that stitch have the same
/// machines (CollectionKey starts with them), so roll-over parts and consecutive logs of one
/// machine land in one shard. A log that cannot be read keeps its path as its key.
std::string ShardKey(const LogInput& input, const ReadOptions& read, const ArchiveOptions& archive);

/// Keeps in `inputs` what shard `options.shard` takes: the logs whose ShardKey hashes to it, and
/// the failed and skipped entries whose path does. `tasklists` stay whole: any log may need them.
/// The union over the N shards is exactly the unsharded inputs, each in one shard.
Status SelectShard(const BatchOptions& options, BatchInputs* inputs);

}  // namespace perfleak::internal
