// The English names of the counters the analysis reads, from English or localized logs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

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

}  // namespace perfleak::internal
