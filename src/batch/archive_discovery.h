// Lists the logs inside an archive (and the archives inside it) as DiscoverInputs lists those
// of a folder: by content, with include/exclude on member paths.
#pragma once

#include <cstddef>
#include <string>

#include "perfleak/batch.h"

namespace perfleak::internal {

/// Members looked at and members left out by --include/--exclude (for the message of an
/// archive that yields no log).
struct ArchiveCounts {
  std::size_t files = 0, filtered = 0;
};

/// Adds the logs of the archive file `file` to `out` (its members shown under `file`):
/// members that are not counter logs go to `out->skipped`; encrypted, damaged or too deeply
/// nested members, limits exceeded and damage to the archive itself go to `out->failed`,
/// naming the member and the byte. `relative` is the archive's path relative to the folder
/// searched (the file's name when given directly), for the globs.
ArchiveCounts DiscoverArchive(const std::string& file, const std::string& relative,
                              const BatchOptions& options, BatchInputs* out);

}  // namespace perfleak::internal
