// The perfleak command line: subcommand dispatch, shared by main() and the CLI tests.
#pragma once

#include <iosfwd>

namespace perfleak::cli {

/// Runs the CLI with `argv` writing to `out`/`err`; returns the process exit code
/// (see exit_codes.h).
int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);
int RunCli(int argc, char** argv);

}  // namespace perfleak::cli
