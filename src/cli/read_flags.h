// Flags shared by every command that reads logs.
#pragma once

#include <boost/program_options.hpp>
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

/// Parses `args` against `visible` + hidden positional `logs`; prints usage errors to err.
/// Returns false (after printing) on a usage error; sets *help when --help was given.
bool ParseCommandLine(const std::vector<std::string>& args,
                      const boost::program_options::options_description& visible,
                      const char* positional_name, boost::program_options::variables_map* vm,
                      std::ostream& err);

}  // namespace perfleak::cli
