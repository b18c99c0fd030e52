#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "batch/failed_log_report.h"
#include "perfleak/batch.h"
#include "perfleak/counter_path.h"
#include "perfleak/reader.h"
#include "perfleak/tasklist.h"

namespace perfleak {

namespace {

namespace fs = std::filesystem;

bool HasLogExtension(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static constexpr std::array<std::string_view, 5> kExtensions = {".blg", ".csv", ".tsv", ".etl",
                                                                  ".log"};
  return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

bool MatchesAny(const std::vector<std::string>& globs, const std::string& name,
                const std::string& relative) {
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& g) {
    return GlobMatch(g, name) || GlobMatch(g, relative);
  });
}

// What a file's first bytes are: a counter log's format, or (kUnknown and `*tasklist`) a
// `tasklist /svc` export, checked first: its CSV form could pass for a damaged PDH-CSV.
DetectedFormat SniffFile(const fs::path& path, bool* tasklist) {
  std::ifstream in(path, std::ios::binary);
  std::array<char, 1 << 16> head{};
  in.read(head.data(), head.size());
  const auto n = static_cast<std::size_t>(in.gcount());
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(head.data()), n);
  *tasklist = LooksLikeTasklistExport(bytes.first(std::min<std::size_t>(n, 4096)));
  return *tasklist ? DetectedFormat::kUnknown : DetectFormat(bytes);
}

constexpr const char* kTasklistReason =
    "tasklist /svc export: read for the services of svchost processes, not analysed";

// Exports lying directly in `folder` (the folder of a log named on the command line): only
// small files are looked at, a real export being tens of kilobytes.
void AddTasklistsIn(const fs::path& folder, std::vector<std::string>* out) {
  std::error_code ec;
  for (auto it = fs::directory_iterator(folder, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::uintmax_t size = it->is_regular_file(ec) ? it->file_size(ec) : 0;
    if (ec || size == 0 || size > TasklistLimits{}.max_bytes) continue;
    // 4 KiB of each file, not the 64 KiB a log sniff reads: this folder was not asked for.
    std::ifstream in(it->path(), std::ios::binary);
    std::array<char, 4096> head{};
    in.read(head.data(), head.size());
    const auto n = static_cast<std::size_t>(in.gcount());
    if (LooksLikeTasklistExport({reinterpret_cast<const std::byte*>(head.data()), n})) {
      out->push_back(it->path().string());
    }
  }
}

std::string EmptyFolderMessage(const std::string& folder, std::size_t files, std::size_t filtered) {
  std::string why;
  if (files == 0) {
    why = "the folder has no files";
  } else if (filtered == files) {
    why = std::to_string(files) + " file(s), none matching --include/--exclude";
  } else {
    why = std::to_string(files) + " file(s), none a counter log";
  }
  return folder + ": no counter log found in this folder (" + why +
         "); hint: give the folder that holds the .blg or .csv logs, or the log files";
}

// The size for the progress total; 0 when there is none to take (a pipe, a device, a file
// gone since it was listed), where file_size's error value, (uintmax_t)-1, would be added.
std::uintmax_t SizeOrZero(const fs::path& path) {
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  return ec ? 0 : size;
}

}  // namespace

BatchInputs DiscoverInputs(const std::vector<std::string>& paths, const BatchOptions& options) {
  BatchInputs out;
  for (const std::string& arg : paths) {
    std::error_code ec;
    const fs::file_status st = fs::status(arg, ec);
    if (ec || !fs::exists(st)) {
      out.failed.push_back(
          internal::FailedLogReport(arg, Status::IoError(arg + ": no such file or directory")));
      continue;
    }
    if (!fs::is_directory(st)) {
      bool tasklist = false;
      if (fs::is_regular_file(st) && SizeOrZero(arg) > 0) SniffFile(arg, &tasklist);
      if (tasklist) {
        out.tasklists.push_back(arg);
        out.skipped.push_back({arg, kTasklistReason});
        continue;
      }
      out.logs.push_back(arg);
      out.total_bytes += SizeOrZero(arg);
      AddTasklistsIn(
          fs::path(arg).parent_path().empty() ? fs::path(".") : fs::path(arg).parent_path(),
          &out.tasklists);
      continue;
    }
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(
             arg, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec)) files.push_back(it->path());
    }
    if (ec) {
      out.failed.push_back(internal::FailedLogReport(
          arg, Status::IoError(arg + ": cannot list folder: " + ec.message())));
    }
    std::sort(files.begin(), files.end());
    const std::size_t logs_before = out.logs.size();
    std::size_t filtered = 0;
    for (const fs::path& file : files) {
      const std::string name = file.filename().string();
      const std::string relative = fs::relative(file, arg, ec).string();
      if ((!options.include.empty() && !MatchesAny(options.include, name, relative)) ||
          MatchesAny(options.exclude, name, relative)) {
        ++filtered;
        continue;
      }
      const std::uintmax_t size = SizeOrZero(file);
      bool tasklist = false;
      const DetectedFormat format =
          size == 0 ? DetectedFormat::kUnknown : SniffFile(file, &tasklist);
      if (tasklist) {
        out.tasklists.push_back(file.string());
        out.skipped.push_back({file.string(), kTasklistReason});
        continue;
      }
      if (format == DetectedFormat::kUnknown && !HasLogExtension(file)) {
        out.skipped.push_back({file.string(), "not a counter log"});
        continue;
      }
      out.logs.push_back(file.string());
      out.total_bytes += size;
    }
    // A folder the caller named that yields nothing is an error naming it, not silence.
    if (!ec && out.logs.size() == logs_before) {
      out.failed.push_back(internal::FailedLogReport(
          arg, Status::IoError(EmptyFolderMessage(arg, files.size(), filtered))));
    }
  }
  std::sort(out.logs.begin(), out.logs.end());
  out.logs.erase(std::unique(out.logs.begin(), out.logs.end()), out.logs.end());
  std::sort(out.tasklists.begin(), out.tasklists.end());
  out.tasklists.erase(std::unique(out.tasklists.begin(), out.tasklists.end()), out.tasklists.end());
  return out;
}

}  // namespace perfleak
