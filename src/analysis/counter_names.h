// The English names of the counters the analysis reads, from English or localized logs.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/object_names_internal.h"
#include "perfleak/counter_log.h"

namespace perfleak::internal {

/// English counter names the analysis uses.
inline constexpr std::string_view kPrivateBytes = "Private Bytes";
inline constexpr std::string_view kVirtualBytes = "Virtual Bytes";
inline constexpr std::string_view kWorkingSet = "Working Set";
inline constexpr std::string_view kHandleCount = "Handle Count";
inline constexpr std::string_view kThreadCount = "Thread Count";
inline constexpr std::string_view kPoolPagedBytes = "Pool Paged Bytes";
inline constexpr std::string_view kPoolNonpagedBytes = "Pool Nonpaged Bytes";
inline constexpr std::string_view kIdProcess = "ID Process";
inline constexpr std::string_view kCommittedBytes = "Committed Bytes";
inline constexpr std::string_view kCommitLimit = "Commit Limit";
inline constexpr std::string_view kAvailableMBytes = "Available MBytes";
/// Paging File(_Total)\% Usage.
inline constexpr std::string_view kPagingFileUsage = "% Usage";

/// The English name for an English (any ASCII case) or localized counter name of the
/// Process and Memory counters above; empty when the counter is not one of them.
std::string_view EnglishCounterName(std::string_view counter);

/// Every spelling (English and localized) of those counters.
std::vector<std::string_view> AllCounterSpellings();

/// `.NET CLR Memory(*)` and `.NET CLR Loading(*)` counters, as English Windows writes them (the
/// runtime registers them in English only on most systems; localized names are not matched).
inline constexpr std::string_view kClrBytesInAllHeaps = "# Bytes in all Heaps";
inline constexpr std::string_view kClrGen2HeapSize = "Gen 2 heap size";
inline constexpr std::string_view kClrLargeObjectHeapSize = "Large Object Heap size";
inline constexpr std::string_view kClrTotalCommittedBytes = "# Total committed Bytes";
inline constexpr std::string_view kClrProcessId = "Process ID";
inline constexpr std::string_view kClrCurrentAppdomains = "Current appdomains";
inline constexpr std::string_view kClrCurrentAssemblies = "Current Assemblies";

/// The objects beyond Process and Memory whose instances say who a process is.
enum class ProcessObject : std::uint8_t {
  kOther,
  kProcess,    ///< `Process` (and localized names): instances `name#n`
  kProcessV2,  ///< `Process V2` (Windows 11, Server 2022): instances `name:pid`
  kClrMemory,  ///< `.NET CLR Memory`: instances `name#n`, numbered apart from Process
  kClrLoading,
  kW3wp,  ///< `W3SVC_W3WP`: instances `PID_AppPoolName`
};
ProcessObject ClassifyObject(std::string_view object);

/// The canonical name (one of the kClr* above) for a CLR counter, ASCII case ignored; empty
/// for any other counter.
std::string_view ClrCounterName(std::string_view counter);

/// A Process V2 instance `w3wp:4312` split into the image name and the PID; an instance
/// without a `:digits` suffix keeps its name and has no PID.
struct ImageAndPid {
  std::string image;
  std::optional<std::int64_t> pid;
};
ImageAndPid SplitProcessV2Instance(std::string_view instance);

/// A W3SVC_W3WP instance `4312_OrdersApi` split into PID and app pool name (which may hold
/// `_`); nullopt for `_Total` and any name without a leading `digits_`.
struct W3wpInstance {
  std::int64_t pid = 0;
  std::string app_pool;
};
std::optional<W3wpInstance> SplitW3wpInstance(std::string_view instance);

/// Machines (ASCII lower case) whose log holds Process V2 instances with a PID: for them the
/// analysis reads Process V2 only and ignores the Process object, so a log collecting both
/// counts each process once. Process V2 is preferred because its PID is in the instance name
/// (no `#n` renumbering, no ID Process column needed).
std::set<std::string> MachinesWithProcessV2(const CounterLog& log);

}  // namespace perfleak::internal
