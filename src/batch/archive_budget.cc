#include "batch/archive_budget.h"

#include <fmt/format.h>

namespace perfleak::internal {

namespace {

// What the format reader may have taken from its input ahead of the bytes it inflated; added
// to a member's compressed size so read-ahead never makes a ratio look larger than it is.
constexpr std::uint64_t kReadAheadSlack = std::uint64_t{128} << 10;

std::string Bytes(std::uint64_t bytes) {
  const auto b = static_cast<double>(bytes);
  if (bytes < 1024) return fmt::format("{} bytes", bytes);
  if (bytes < (1 << 20)) return fmt::format("{:.1f} KiB", b / 1024);
  if (bytes < (1 << 30)) return fmt::format("{:.1f} MiB", b / (1 << 20));
  return fmt::format("{:.1f} GiB", b / (1 << 30));
}

}  // namespace

Status InflateBudget::Count(std::string_view member, std::uint64_t bytes, std::uint64_t member_out,
                            std::uint64_t member_in) {
  total_ += bytes;
  if (total_ > options_.max_bytes) {
    return Status::LimitExceeded(fmt::format(
        "{}: limit exceeded: more than {} uncompressed read from {} (the archive limit); "
        "hint: if the bundle is trusted, raise it with --archive-max-bytes BYTES",
        member, Bytes(options_.max_bytes), archive_));
  }
  if (member_out <= kRatioCheckFloor) return Status::OK();
  const double ratio =
      static_cast<double>(member_out) / static_cast<double>(member_in + kReadAheadSlack);
  if (ratio <= options_.max_ratio) return Status::OK();
  return Status::LimitExceeded(fmt::format(
      "{}: limit exceeded: the member inflates more than {:g} times its compressed size ({} "
      "so far), as a zip bomb does; hint: if the bundle is trusted, raise the limit with "
      "--archive-max-ratio N",
      member, options_.max_ratio, Bytes(member_out)));
}

}  // namespace perfleak::internal
