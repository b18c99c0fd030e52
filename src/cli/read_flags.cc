#include "read_flags.h"

#include <charconv>
#include <ostream>

#include "exit_codes.h"

namespace po = boost::program_options;

namespace perfleak::cli {

void validate(boost::any& out, const std::vector<std::string>& values, Count* /*unused*/,
              int /*unused*/) {
  po::validators::check_first_occurrence(out);
  const std::string& text = po::validators::get_single_string(values);
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    throw po::validation_error(po::validation_error::invalid_option_value);
  }
  out = Count{value};
}

std::ostream& operator<<(std::ostream& os, const Count& count) { return os << count.value; }

void ReadFlags::Add(po::options_description& desc) {
  desc.add_options()("skip-bad-rows", po::bool_switch(&skip_bad_rows),
                     "skip malformed rows (counted and listed as warnings) instead of failing; a "
                     "last row cut short (a file copied while written) is always dropped with a "
                     "warning")(
      "threads", po::value(&threads)->default_value(Count{}),
      "threads for decoding one large log (text, or a .blg of 1,024 samples or more), and in "
      "convert for formatting the output (0 = all cores; the output is the same for any "
      "count)");
  desc.add_options()(
      "archive-depth", po::value(&archive_depth)->default_value(archive_depth),
      "open archives inside archives (.zip, .cab, .7z, .tar.gz, ...) to this depth (1 = only "
      "archives on disk)")("archive-max-bytes",
                           po::value(&archive_max_bytes)->default_value(archive_max_bytes),
                           "stop reading an archive past this many uncompressed bytes (zip "
                           "bombs; default 16 GiB)")(
      "archive-max-ratio", po::value(&archive_max_ratio)->default_value(archive_max_ratio),
      "stop a member (past 64 MiB) that inflates more than this many times its compressed "
      "size");
}

std::optional<int> ReadFlags::Check(const char* command, std::ostream& err) const {
  const Status st = ToArchiveOptions().Validate();
  if (st.ok()) return std::nullopt;
  err << "perfleak " << command << ": " << st.message() << "\n";
  return kExitUsage;
}

ArchiveOptions ReadFlags::ToArchiveOptions() const {
  ArchiveOptions options;
  options.max_depth = archive_depth.value;
  options.max_bytes = archive_max_bytes.value;
  options.max_ratio = archive_max_ratio;
  return options;
}

ReadOptions ReadFlags::ToOptions() const {
  ReadOptions options;
  options.invalid_rows = skip_bad_rows ? InvalidRowPolicy::kSkip : InvalidRowPolicy::kError;
  options.num_threads = threads.value;
  return options;
}

std::optional<int> ParseCommandLine(const char* command, const std::vector<std::string>& args,
                                    const po::options_description& visible, po::variables_map* vm,
                                    std::ostream& out, std::ostream& err) {
  po::options_description hidden;
  hidden.add_options()("logs", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("logs", -1);
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), *vm);
    po::notify(*vm);
  } catch (const po::error& e) {
    err << "perfleak " << command << ": " << e.what() << "\nTry `perfleak " << command
        << " --help`.\n";
    return kExitUsage;
  }
  if (vm->count("help")) {
    out << visible << "\n";
    return kExitOk;
  }
  if (!vm->count("logs")) {
    err << "perfleak " << command << ": no log given\n" << visible << "\n";
    return kExitUsage;
  }
  return std::nullopt;
}

}  // namespace perfleak::cli
