#include "batch/archive_discovery.h"

#include <fmt/format.h>

#include <vector>

#include "batch/archive_format.h"
#include "batch/archive_reader.h"
#include "batch/failed_log_report.h"
#include "batch/input_filter.h"
#include "batch/member_name.h"
#include "perfleak/reader.h"

namespace perfleak::internal {

namespace {

// The bytes of a member looked at to tell what it is (as for files in a folder).
constexpr std::uint64_t kHeadBytes = std::uint64_t{1} << 16;

// An archive being listed: where it is shown, its path for the globs, the way to it.
struct Container {
  std::string path;
  std::string relative;
  std::vector<ArchiveMemberRef> chain;
  std::size_t depth = 1;
};

// One member as the globs and the report see it.
struct Member {
  std::string path;      // display path
  std::string inside;    // path inside its archive, shown form
  std::string relative;  // path relative to the folder searched
  std::string name;      // file name
};

class ArchiveLister {
 public:
  ArchiveLister(const std::string& file, const BatchOptions& options, BatchInputs* out)
      : file_(file), options_(options), out_(out), budget_(options.archive, file) {}

  ArchiveCounts List(const std::string& relative) {
    auto reader = ArchiveReader::OpenFile(file_, file_);
    if (!reader.ok()) {
      out_->failed.push_back(FailedLogReport(file_, reader.status()));
      return counts_;
    }
    ListReader(*reader, Container{file_, relative, {}, 1});
    return counts_;
  }

 private:
  void Fail(const Container& c, const std::string& path, Status status) {
    LogReport failed = FailedLogReport(path, std::move(status));
    failed.archive = c.path;
    out_->failed.push_back(std::move(failed));
  }

  Member Describe(const ArchiveReader& reader, const Container& c, const ArchiveEntry& entry) {
    Member m;
    m.inside = reader.single_file() ? CompressedFileMemberName(c.path) : ShowMemberName(entry.name);
    m.path = c.path + "!/" + m.inside;
    m.relative = c.relative + "!/" + m.inside;
    m.name = m.inside.substr(m.inside.find_last_of('/') + 1);
    return m;
  }

  // Lists every entry; stops only when the archive itself cannot be read further.
  void ListReader(ArchiveReader& reader, const Container& c) {
    ArchiveEntry entry;
    while (true) {
      auto next = reader.Next(&entry);
      if (!next.ok()) {
        Fail(c, c.path, next.status());
        return;
      }
      if (!*next) return;
      if (!entry.regular) continue;
      if (!Visit(reader, c, entry)) return;
    }
  }

  // False when the pass must stop (a limit was exceeded: every further read would be too).
  bool Visit(ArchiveReader& reader, const Container& c, const ArchiveEntry& entry) {
    const Member m = Describe(reader, c, entry);
    ++counts_.files;
    if (Excluded(options_, m.name, m.inside, m.relative)) {
      ++counts_.filtered;
      return true;
    }
    if (entry.encrypted) {
      Fail(c, m.path,
           Status::Unsupported(fmt::format(
               "{}: the member is encrypted (its header is at archive byte {}); hint: perfleak "
               "takes no passwords: extract the bundle with its password and analyse the folder",
               m.path, entry.header_offset)));
      return true;
    }
    std::vector<std::byte> head;
    if (Status st = reader.Read(entry, m.path, kHeadBytes, &budget_, &head); !st.ok()) {
      const bool stop = st.code() == StatusCode::kLimitExceeded;
      Fail(c, m.path, std::move(st));
      return !stop;
    }
    if (LooksLikeArchive(head)) return Nested(reader, c, entry, m, std::move(head));
    if (!Included(options_, m.name, m.inside, m.relative)) {
      ++counts_.filtered;
      return true;
    }
    if (DetectFormat(head) == DetectedFormat::kUnknown && !HasLogExtension(m.name)) {
      out_->skipped.push_back({m.path, "not a counter log"});
      return true;
    }
    LogInput input;
    input.path = m.path;
    input.file = file_;
    input.members = c.chain;
    input.members.push_back({entry.index, entry.name});
    input.archive = c.path;
    input.size = entry.size >= 0 ? static_cast<std::uint64_t>(entry.size) : head.size();
    out_->total_bytes += input.size;
    out_->logs.push_back(std::move(input));
    return true;
  }

  bool Nested(ArchiveReader& reader, const Container& c, const ArchiveEntry& entry, const Member& m,
              std::vector<std::byte> data) {
    if (c.depth >= options_.archive.max_depth) {
      Fail(c, m.path,
           Status::LimitExceeded(fmt::format(
               "{}: limit exceeded: an archive nested deeper than {} levels is not opened; "
               "hint: --archive-depth {} opens it",
               m.path, options_.archive.max_depth, c.depth + 1)));
      return true;
    }
    if (Status st = reader.Read(entry, m.path, options_.archive.max_bytes, &budget_, &data);
        !st.ok()) {
      const bool stop = st.code() == StatusCode::kLimitExceeded;
      Fail(c, m.path, std::move(st));
      return !stop;
    }
    auto inner = ArchiveReader::OpenMemory(data, m.path);
    if (!inner.ok()) {
      Fail(c, m.path, inner.status());
      return true;
    }
    Container nested{m.path, m.relative, c.chain, c.depth + 1};
    nested.chain.push_back({entry.index, entry.name});
    ListReader(*inner, nested);
    return true;
  }

  const std::string& file_;
  const BatchOptions& options_;
  BatchInputs* out_;
  InflateBudget budget_;
  ArchiveCounts counts_;
};

}  // namespace

ArchiveCounts DiscoverArchive(const std::string& file, const std::string& relative,
                              const BatchOptions& options, BatchInputs* out) {
  return ArchiveLister(file, options, out).List(relative);
}

}  // namespace perfleak::internal
