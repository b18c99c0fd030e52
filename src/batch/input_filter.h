// Which files and archive members a batch takes: --include/--exclude globs and log extensions.
#pragma once

#include <string_view>

#include "perfleak/batch.h"

namespace perfleak::internal {

/// True when an --exclude glob matches `name`, `inside` (the path inside an archive, or the
/// path relative to the folder for a file) or `relative` (relative to the folder given).
bool Excluded(const BatchOptions& options, std::string_view name, std::string_view inside,
              std::string_view relative);

/// True when there is no --include, or one matches `name`, `inside` or `relative`.
bool Included(const BatchOptions& options, std::string_view name, std::string_view inside,
              std::string_view relative);

/// `.blg`, `.csv`, `.tsv`, `.etl`, `.log` in any case: a file with such a name that fails
/// detection is a failed log, not a skipped file.
bool HasLogExtension(std::string_view name);

}  // namespace perfleak::internal
