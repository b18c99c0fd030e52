// The subcommands. Each parses its own arguments and returns an exit code (exit_codes.h).
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace perfleak::cli {

/// Streams and environment a command runs with; tests pass string streams.
struct CliContext {
  std::ostream& out;
  std::ostream& err;
  bool out_is_tty = false;
  bool no_color_env = false;  ///< NO_COLOR is set
  /// Text width: COLUMNS when set, else the terminal's width when stdout is one (0 = neither;
  /// reports then use 100). `columns_from_env` tells which, since a file written with -o
  /// follows COLUMNS but not the terminal it was started from.
  std::size_t columns = 0;
  bool columns_from_env = false;
};

int RunInfo(const std::vector<std::string>& args, CliContext& ctx);
int RunConvert(const std::vector<std::string>& args, CliContext& ctx);
int RunAnalyze(const std::vector<std::string>& args, CliContext& ctx);
int RunMerge(const std::vector<std::string>& args, CliContext& ctx);

}  // namespace perfleak::cli
