#include "cli_app.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"
#include "exit_codes.h"
#include "perfleak/version.h"

namespace perfleak::cli {

namespace {

constexpr const char* kUsage =
    "perfleak: find leaking processes in Windows Performance Monitor logs (.blg, PDH-CSV/TSV)\n"
    "\n"
    "Usage: perfleak <command> [options] LOG...\n"
    "\n"
    "Commands:\n"
    "  analyze LOG...   rank processes by leak evidence (text, JSON or HTML report)\n"
    "  info LOG|FOLDER...\n"
    "                   format, machines, time range, samples, interval, counters\n"
    "  convert LOG -o OUT.csv|OUT.tsv\n"
    "                   write a relog-style PDH-CSV/TSV (a Linux `relog -f csv`)\n"
    "  merge PART.json...\n"
    "                   join the report parts of `analyze --shard K/N` into one report\n"
    "\n"
    "Run `perfleak <command> --help` for the options of a command.\n"
    "Exit codes: 0 success, 1 findings at or above --fail-on, 2 usage error, 3 input error\n"
    "(including an output file that could not be written), 4 (analyze) logs read but nothing\n"
    "could be judged.\n";

// COLUMNS (as shells and `COLUMNS=80 perfleak ...` set it), else the terminal's width.
void DetectColumns(bool out_is_tty, CliContext* ctx) {
  if (const char* env = std::getenv("COLUMNS"); env != nullptr && *env != '\0') {
    char* end = nullptr;
    const long value = std::strtol(env, &end, 10);
    if (*end == '\0' && value >= 20 && value <= 1000) {
      ctx->columns = static_cast<std::size_t>(value);
      ctx->columns_from_env = true;
      return;
    }
  }
  winsize size{};
  if (out_is_tty && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col >= 20) {
    ctx->columns = size.ws_col;
  }
}

}  // namespace

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    err << kUsage;
    return kExitUsage;
  }
  const std::string command = args.front();
  args.erase(args.begin());
  CliContext ctx{out, err};
  if (&out == &std::cout) ctx.out_is_tty = ::isatty(STDOUT_FILENO) != 0;
  DetectColumns(ctx.out_is_tty, &ctx);
  if (const char* nc = std::getenv("NO_COLOR"); nc != nullptr && *nc != '\0')
    ctx.no_color_env = true;

  if (command == "-h" || command == "--help" || command == "help") {
    out << kUsage;
    return kExitOk;
  }
  if (command == "--version" || command == "version") {
    out << "perfleak " << kVersion << "\n";
    return kExitOk;
  }
  if (command == "info") return RunInfo(args, ctx);
  if (command == "convert") return RunConvert(args, ctx);
  if (command == "analyze") return RunAnalyze(args, ctx);
  if (command == "merge") return RunMerge(args, ctx);
  err << "perfleak: unknown command '" << command << "'\n\n" << kUsage;
  return kExitUsage;
}

int RunCli(int argc, char** argv) { return RunCli(argc, argv, std::cout, std::cerr); }

}  // namespace perfleak::cli
