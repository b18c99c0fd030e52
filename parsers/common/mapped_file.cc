#include "common/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace perfleak::internal {

namespace {
std::string ErrnoText() { return std::strerror(errno); }
}  // namespace

Result<MappedFile> MappedFile::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(path + ": cannot open: " + ErrnoText());
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const std::string err = ErrnoText();
    ::close(fd);
    return Status::IoError(path + ": cannot stat: " + err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::IoError(path + ": is a directory, not a log file");
  }
  MappedFile file;
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) {
      ::madvise(p, static_cast<std::size_t>(st.st_size), MADV_SEQUENTIAL);
      file.data_ = static_cast<const std::byte*>(p);
      file.size_ = static_cast<std::size_t>(st.st_size);
      file.mapped_ = true;
      ::close(fd);
      return file;
    }
  }
  // Pipes, /proc files and mmap failures: read it all.
  std::byte buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string err = ErrnoText();
      ::close(fd);
      return Status::IoError(path + ": read failed: " + err);
    }
    if (n == 0) break;
    file.fallback_.insert(file.fallback_.end(), buf, buf + n);
  }
  ::close(fd);
  file.data_ = file.fallback_.data();
  file.size_ = file.fallback_.size();
  return file;
}

MappedFile::MappedFile(MappedFile&& other) noexcept { *this = std::move(other); }

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this == &other) return *this;
  if (mapped_) ::munmap(const_cast<std::byte*>(data_), size_);
  mapped_ = std::exchange(other.mapped_, false);
  fallback_ = std::move(other.fallback_);
  size_ = std::exchange(other.size_, 0);
  data_ = mapped_ ? std::exchange(other.data_, nullptr) : fallback_.data();
  other.data_ = nullptr;
  return *this;
}

void MappedFile::Release(std::size_t begin, std::size_t end) const {
  if (!mapped_ || end > size_ || begin >= end) return;
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t first = (begin + page - 1) / page * page;
  const std::size_t last = end / page * page;
  if (first >= last) return;
  // MADV_DONTNEED on a private read-only file mapping drops the pages; reading them again
  // refills them from the file, so this never changes what the reader sees.
  ::madvise(const_cast<std::byte*>(data_) + first, last - first, MADV_DONTNEED);
}

MappedFile::~MappedFile() {
  if (mapped_) ::munmap(const_cast<std::byte*>(data_), size_);
}

}  // namespace perfleak::internal
