// Runs the perfleak CLI in-process with captured output, for the CLI tests.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli_app.h"

namespace perfleak::cli {

struct CliRun {
  int code;
  std::string out;
  std::string err;
};

/// `args` without the program name.
inline CliRun RunPerfleak(std::vector<std::string> args) {
  args.insert(args.begin(), "perfleak");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  const int code = RunCli(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

}  // namespace perfleak::cli
