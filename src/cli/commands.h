// The subcommands. Each parses its own arguments and returns an exit code (exit_codes.h).
#pragma once

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
};

int RunInfo(const std::vector<std::string>& args, CliContext& ctx);
int RunConvert(const std::vector<std::string>& args, CliContext& ctx);
int RunAnalyze(const std::vector<std::string>& args, CliContext& ctx);

}  // namespace perfleak::cli
