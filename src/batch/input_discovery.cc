#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "batch/archive_discovery.h"
#include "batch/archive_format.h"
#include "batch/failed_log_report.h"
#include "batch/input_filter.h"
#include "perfleak/batch.h"
#include "perfleak/reader.h"
#include "perfleak/tasklist.h"

namespace perfleak {

namespace {

namespace fs = std::filesystem;

// What content sniffing reads: a tasklist export and an archive are told by their first 4 KiB,
// a counter log by its first 64 KiB (a damaged PDH-CSV header, the PDH events of a .blg).
constexpr std::size_t kShortHead = std::size_t{1} << 12;
constexpr std::size_t kLogHead = std::size_t{1} << 16;

std::vector<std::byte> FileHead(const fs::path& path, std::size_t bytes = kLogHead) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::byte> head(bytes);
  in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return head;
}

// A `tasklist /svc` export, checked before the log sniff: its CSV form could pass for a
// damaged PDH-CSV.
bool IsTasklist(std::span<const std::byte> head) {
  return LooksLikeTasklistExport(head.first(std::min(head.size(), kShortHead)));
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

std::string EmptyMessage(const std::string& where, const char* kind, std::size_t files,
                         std::size_t filtered) {
  std::string why;
  if (files == 0) {
    why = std::string("the ") + kind + " has no files";
  } else if (filtered == files) {
    why = std::to_string(files) + " file(s), none matching --include/--exclude";
  } else {
    why = std::to_string(files) + " file(s), none a counter log";
  }
  return where + ": no counter log found in this " + kind + " (" + why +
         "); hint: give the folder or archive that holds the .blg or .csv logs, or the log "
         "files";
}

// The size for the progress total; 0 when there is none to take (a pipe, a device, a file
// gone since it was listed), where file_size's error value, (uintmax_t)-1, would be added.
std::uintmax_t SizeOrZero(const fs::path& path) {
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  return ec ? 0 : size;
}

void AddFile(const std::string& path, BatchInputs* out) {
  LogInput input;
  input.path = path;
  input.file = path;
  input.size = SizeOrZero(path);
  out->total_bytes += input.size;
  out->logs.push_back(std::move(input));
}

// An archive named on the command line: its logs, or an error naming it when it has none.
void AddNamedArchive(const std::string& arg, const BatchOptions& options, BatchInputs* out) {
  const std::size_t logs_before = out->logs.size(), failed_before = out->failed.size();
  const internal::ArchiveCounts counts =
      internal::DiscoverArchive(arg, fs::path(arg).filename().string(), options, out);
  if (out->logs.size() == logs_before && out->failed.size() == failed_before) {
    out->failed.push_back(internal::FailedLogReport(
        arg, Status::IoError(EmptyMessage(arg, "archive", counts.files, counts.filtered))));
  }
}

// `case.zip!/TSS/x.blg` (or a folder or archive inside it): the archive, kept to what the
// argument names. False when `arg` names no such archive.
bool AddArchiveMemberArgument(const std::string& arg, const BatchOptions& options,
                              BatchInputs* out) {
  for (std::size_t bang = arg.find("!/"); bang != std::string::npos;
       bang = arg.find("!/", bang + 1)) {
    const std::string file = arg.substr(0, bang);
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) continue;
    BatchInputs all;
    internal::DiscoverArchive(file, fs::path(file).filename().string(), options, &all);
    const auto named = [&](const std::string& path) {
      return path == arg || path.starts_with(arg + "/") || path.starts_with(arg + "!/");
    };
    std::size_t found = 0;
    for (LogInput& input : all.logs) {
      if (!named(input.path)) continue;
      out->total_bytes += input.size;
      out->logs.push_back(std::move(input));
      ++found;
    }
    for (LogReport& failed : all.failed) {
      if (!named(failed.path) && failed.path != file) continue;
      out->failed.push_back(std::move(failed));
      ++found;
    }
    if (found == 0) {
      out->failed.push_back(internal::FailedLogReport(
          arg, Status::IoError(arg + ": no such log in the archive " + file +
                               "; hint: `perfleak info " + file + "` lists its logs")));
    }
    return true;
  }
  return false;
}

void AddFolder(const std::string& arg, const BatchOptions& options, BatchInputs* out) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (auto it =
           fs::recursive_directory_iterator(arg, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) {
    out->failed.push_back(internal::FailedLogReport(
        arg, Status::IoError(arg + ": cannot list folder: " + ec.message())));
  }
  std::sort(files.begin(), files.end());
  const std::size_t logs_before = out->logs.size();
  std::size_t filtered = 0;
  for (const fs::path& file : files) {
    const std::string name = file.filename().string();
    const std::string relative = fs::relative(file, arg, ec).string();
    if (internal::Excluded(options, name, relative, relative)) {
      ++filtered;
      continue;
    }
    // A folder of thousands of logs: 4 KiB of each, 64 KiB only where the name says nothing.
    const std::vector<std::byte> head =
        SizeOrZero(file) == 0 ? std::vector<std::byte>{} : FileHead(file, kShortHead);
    if (IsTasklist(head)) {
      out->tasklists.push_back(file.string());
      out->skipped.push_back({file.string(), kTasklistReason});
      continue;
    }
    // Archives are opened whatever --include says: the globs choose among their members.
    if (internal::LooksLikeArchive(head)) {
      const internal::ArchiveCounts counts =
          internal::DiscoverArchive(file.string(), relative, options, out);
      filtered += counts.filtered;
      continue;
    }
    if (!internal::Included(options, name, relative, relative)) {
      ++filtered;
      continue;
    }
    if (!internal::HasLogExtension(name) &&
        DetectFormat(head.empty() ? head : FileHead(file)) == DetectedFormat::kUnknown) {
      out->skipped.push_back({file.string(), "not a counter log"});
      continue;
    }
    AddFile(file.string(), out);
  }
  // A folder the caller named that yields nothing is an error naming it, not silence.
  if (!ec && out->logs.size() == logs_before) {
    out->failed.push_back(internal::FailedLogReport(
        arg, Status::IoError(EmptyMessage(arg, "folder", files.size(), filtered))));
  }
}

}  // namespace

BatchInputs DiscoverInputs(const std::vector<std::string>& paths, const BatchOptions& options) {
  BatchInputs out;
  for (const std::string& arg : paths) {
    std::error_code ec;
    const fs::file_status st = fs::status(arg, ec);
    if (ec || !fs::exists(st)) {
      if (AddArchiveMemberArgument(arg, options, &out)) continue;
      out.failed.push_back(
          internal::FailedLogReport(arg, Status::IoError(arg + ": no such file or directory")));
      continue;
    }
    if (fs::is_directory(st)) {
      AddFolder(arg, options, &out);
      continue;
    }
    const std::vector<std::byte> head =
        fs::is_regular_file(st) && SizeOrZero(arg) > 0 ? FileHead(arg) : std::vector<std::byte>{};
    if (IsTasklist(head)) {
      out.tasklists.push_back(arg);
      out.skipped.push_back({arg, kTasklistReason});
    } else if (internal::LooksLikeArchive(head)) {
      AddNamedArchive(arg, options, &out);
    } else {
      AddFile(arg, &out);
      const fs::path folder = fs::path(arg).parent_path();
      AddTasklistsIn(folder.empty() ? fs::path(".") : folder, &out.tasklists);
    }
  }
  std::sort(out.logs.begin(), out.logs.end());
  out.logs.erase(std::unique(out.logs.begin(), out.logs.end()), out.logs.end());
  // Skipped inputs by path too, so a report does not depend on the order of the arguments and
  // the parts of a sharded run merge into the same list.
  std::stable_sort(out.skipped.begin(), out.skipped.end(),
                   [](const SkippedInput& a, const SkippedInput& b) { return a.path < b.path; });
  std::sort(out.tasklists.begin(), out.tasklists.end());
  out.tasklists.erase(std::unique(out.tasklists.begin(), out.tasklists.end()), out.tasklists.end());
  return out;
}

}  // namespace perfleak
