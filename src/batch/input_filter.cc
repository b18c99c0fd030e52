#include "batch/input_filter.h"

#include <algorithm>
#include <array>
#include <string>

#include "common/ascii_case_internal.h"
#include "perfleak/counter_path.h"

namespace perfleak::internal {

namespace {

bool MatchesAny(const std::vector<std::string>& globs, std::string_view name,
                std::string_view inside, std::string_view relative) {
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& g) {
    return GlobMatch(g, name) || GlobMatch(g, inside) || GlobMatch(g, relative);
  });
}

}  // namespace

bool Excluded(const BatchOptions& options, std::string_view name, std::string_view inside,
              std::string_view relative) {
  return MatchesAny(options.exclude, name, inside, relative);
}

bool Included(const BatchOptions& options, std::string_view name, std::string_view inside,
              std::string_view relative) {
  return options.include.empty() || MatchesAny(options.include, name, inside, relative);
}

bool HasLogExtension(std::string_view name) {
  const std::size_t dot = name.find_last_of('.');
  if (dot == std::string_view::npos) return false;
  static constexpr std::array<std::string_view, 5> kExtensions = {".blg", ".csv", ".tsv", ".etl",
                                                                  ".log"};
  return std::any_of(kExtensions.begin(), kExtensions.end(), [&](std::string_view ext) {
    return EqualsIgnoreAsciiCase(name.substr(dot), ext);
  });
}

}  // namespace perfleak::internal
