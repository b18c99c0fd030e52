#include "cli_app.h"

#include <iostream>

namespace perfleak::cli {

int RunCli(int, const char* const*, std::ostream&, std::ostream&) { return 0; }
int RunCli(int argc, char** argv) { return RunCli(argc, argv, std::cout, std::cerr); }

}  // namespace perfleak::cli
