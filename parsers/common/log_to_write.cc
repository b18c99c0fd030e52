// LogToWrite: a .blg decoded while it is written, other logs read whole first.
#include <optional>
#include <utility>

#include "blg/blg_reader.h"
#include "common/mapped_file.h"
#include "common/row_source_internal.h"
#include "perfleak/reader.h"
#include "perfleak/writer.h"

namespace perfleak {

struct LogToWrite::Impl {
  std::string name;
  internal::MappedFile file;      // the .blg Open decodes, mapped
  internal::InputCopier copy;     // and copied out of it with pread
  std::vector<std::byte> bytes;   // the .blg FromBuffer decodes
  std::optional<CounterLog> log;  // a log read whole
  std::unique_ptr<internal::RowSource> rows;
};

LogToWrite::LogToWrite(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LogToWrite::LogToWrite(LogToWrite&&) noexcept = default;
LogToWrite& LogToWrite::operator=(LogToWrite&&) noexcept = default;
LogToWrite::~LogToWrite() = default;

LogToWrite::LogToWrite(CounterLog log) : impl_(std::make_unique<Impl>()) {
  impl_->name = log.source;
  impl_->log = std::move(log);
  impl_->rows = internal::RowsOfLog(*impl_->log);
}

Result<LogToWrite> LogToWrite::Open(const std::string& path, const ReadOptions& options) {
  PERFLEAK_ASSIGN_OR_RETURN(internal::MappedFile file, internal::MappedFile::Open(path));
  if (DetectFormat(file.data()) != DetectedFormat::kBlg) {
    PERFLEAK_ASSIGN_OR_RETURN(CounterLog log, ReadLog(path, options));
    return LogToWrite(std::move(log));
  }
  auto impl = std::make_unique<Impl>();
  impl->name = path;
  impl->file = std::move(file);
  const internal::InputCopier* copy = nullptr;
  if (impl->file.is_mapped()) {
    impl->copy = [f = &impl->file](std::size_t offset, std::span<std::byte> out) {
      return f->CopyOut(offset, out);
    };
    copy = &impl->copy;
  }
  PERFLEAK_ASSIGN_OR_RETURN(
      impl->rows, blg::OpenBlgRows(path, blg::EtlInput(impl->file.data(), copy), options));
  if (impl->file.shrank()) return internal::FileShrankError(path);
  return LogToWrite(std::move(impl));
}

Result<LogToWrite> LogToWrite::FromBuffer(std::string_view name, std::vector<std::byte> data,
                                          const ReadOptions& options) {
  if (DetectFormat(data) != DetectedFormat::kBlg) {
    PERFLEAK_ASSIGN_OR_RETURN(CounterLog log, ReadLogFromBuffer(name, data, options));
    return LogToWrite(std::move(log));
  }
  auto impl = std::make_unique<Impl>();
  impl->name = std::string(name);
  impl->bytes = std::move(data);
  PERFLEAK_ASSIGN_OR_RETURN(impl->rows,
                            blg::OpenBlgRows(impl->name, blg::EtlInput(impl->bytes), options));
  return LogToWrite(std::move(impl));
}

const CounterLog& LogToWrite::header() const { return impl_->rows->header(); }

Status LogToWrite::Write(std::ostream& out, const WriteOptions& options) {
  PERFLEAK_RETURN_NOT_OK(internal::WritePdhRows(*impl_->rows, out, options));
  if (impl_->file.shrank()) return internal::FileShrankError(impl_->name);
  return Status::OK();
}

}  // namespace perfleak
