// Flags shared by every command that reads logs.
#pragma once

#include <boost/program_options.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "perfleak/log_input.h"
#include "perfleak/read_options.h"

namespace perfleak::cli {

/// A count flag (`--jobs`, `--threads`): a whole number >= 0. Boost parses "-1" into a
/// std::size_t as 18446744073709551615; this type refuses it as an invalid value.
struct Count {
  std::size_t value = 0;
};

/// Boost.Program_options hook for Count (found by argument-dependent lookup).
void validate(boost::any& out, const std::vector<std::string>& values, Count* /*unused*/,
              int /*unused*/);
/// For the default shown in --help.
std::ostream& operator<<(std::ostream& os, const Count& count);

struct ReadFlags {
  bool skip_bad_rows = false;
  Count threads;
  /// Case bundles: how deep archives in archives are opened, and the zip-bomb limits.
  Count archive_depth{ArchiveOptions{}.max_depth};
  Count archive_max_bytes{static_cast<std::size_t>(ArchiveOptions{}.max_bytes)};
  double archive_max_ratio = ArchiveOptions{}.max_ratio;

  void Add(boost::program_options::options_description& desc);
  ReadOptions ToOptions() const;
  ArchiveOptions ToArchiveOptions() const;
  /// Prints the usage error of an invalid flag value and returns kExitUsage; nullopt if valid.
  std::optional<int> Check(const char* command, std::ostream& err) const;
};

/// Parses `args` against `visible` (which must hold `--help`) plus the positional LOG
/// arguments, stored as "logs". Returns the exit code when the command should stop here
/// (a usage error, `--help`, no LOG given), after printing what the user needs; nullopt when
/// the command goes on.
std::optional<int> ParseCommandLine(const char* command, const std::vector<std::string>& args,
                                    const boost::program_options::options_description& visible,
                                    boost::program_options::variables_map* vm, std::ostream& out,
                                    std::ostream& err);

}  // namespace perfleak::cli
