// Flags shared by every command that reads logs.
#pragma once

#include <boost/program_options.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "perfleak/read_options.h"

namespace perfleak::cli {

struct ReadFlags {
  bool skip_bad_rows = false;
  std::size_t threads = 0;

  void Add(boost::program_options::options_description& desc);
  ReadOptions ToOptions() const;
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
