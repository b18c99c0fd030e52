// Names of archive members: untrusted bytes made safe to show, and joined into display paths.
#pragma once

#include <string>
#include <string_view>

namespace perfleak::internal {

/// `name` made safe to show anywhere: control characters become `?` (they could move a
/// terminal's cursor), bytes that are not well-formed UTF-8 become U+FFFD; a leading `/` and
/// `./` are dropped (the member is never extracted, so `..` is only text and stays visible).
std::string ShowMemberName(std::string_view name);

/// `case.zip!/TSS/x.blg`: a member's display path under its archive's display path.
std::string MemberPath(std::string_view archive_path, std::string_view raw_member_name);

/// The name of the one member of a plain compressed file (`log.csv.gz` -> `log.csv`), which
/// carries no name of its own.
std::string CompressedFileMemberName(std::string_view archive_path);

}  // namespace perfleak::internal
