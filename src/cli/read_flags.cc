#include "read_flags.h"

#include <ostream>

namespace po = boost::program_options;

namespace perfleak::cli {

void ReadFlags::Add(po::options_description& desc) {
  desc.add_options()("skip-bad-rows", po::bool_switch(&skip_bad_rows),
                     "skip malformed rows (counted and listed as warnings) instead of failing")(
      "threads", po::value(&threads)->default_value(0),
      "threads for decoding one large text log (0 = all cores)");
}

ReadOptions ReadFlags::ToOptions() const {
  ReadOptions options;
  options.invalid_rows = skip_bad_rows ? InvalidRowPolicy::kSkip : InvalidRowPolicy::kError;
  options.num_threads = threads;
  return options;
}

bool ParseCommandLine(const std::vector<std::string>& args, const po::options_description& visible,
                      const char* positional_name, po::variables_map* vm, std::ostream& err) {
  po::options_description hidden;
  hidden.add_options()(positional_name, po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add(positional_name, -1);
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), *vm);
    po::notify(*vm);
  } catch (const po::error& e) {
    err << "perfleak: " << e.what() << "\n"
        << "Try --help.\n";
    return false;
  }
  return true;
}

}  // namespace perfleak::cli
