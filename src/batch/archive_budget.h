// The limits of one pass through an archive: total uncompressed bytes and compression ratio.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "perfleak/log_input.h"
#include "perfleak/status.h"

namespace perfleak::internal {

/// A member's ratio is judged only past this many uncompressed bytes: a small log of blank
/// cells compresses a thousandfold and is no danger.
inline constexpr std::uint64_t kRatioCheckFloor = std::uint64_t{64} << 20;

/// Counts what a pass through an archive (and the archives inside it) inflates, and stops it
/// with kLimitExceeded when ArchiveOptions::max_bytes or max_ratio is crossed. One per pass.
class InflateBudget {
 public:
  InflateBudget(const ArchiveOptions& options, std::string archive_path)
      : options_(options), archive_(std::move(archive_path)) {}

  /// Counts `bytes` more of `member` (display path), which has now produced `member_out`
  /// bytes from `member_in` compressed bytes.
  Status Count(std::string_view member, std::uint64_t bytes, std::uint64_t member_out,
               std::uint64_t member_in);

 private:
  ArchiveOptions options_;
  std::string archive_;
  std::uint64_t total_ = 0;
};

}  // namespace perfleak::internal
