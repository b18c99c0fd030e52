#include "common/mapped_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <utility>

namespace perfleak::internal {

namespace {
std::string ErrnoText() { return std::strerror(errno); }

// The SIGBUS guard: live mappings in a fixed table the handler can read without locks. A
// fault inside one of them (the file was truncated under it) gets an anonymous zero page
// mapped over the faulting page, so the read that faulted resumes and sees zeros; the slot
// remembers it. Faults anywhere else go to the handler that was there before.
struct GuardSlot {
  std::atomic<std::uintptr_t> begin{0}, end{0};
  std::atomic<bool> shrank{false};
};
constexpr std::size_t kGuardSlots = 256;
std::array<GuardSlot, kGuardSlots> g_slots;
std::atomic<bool> g_slot_used[kGuardSlots];
struct sigaction g_previous {};
std::uintptr_t g_page_size = 4096;

void OnSigbus(int sig, siginfo_t* info, void* context) {
  const auto addr = reinterpret_cast<std::uintptr_t>(info->si_addr);
  for (GuardSlot& slot : g_slots) {
    if (addr < slot.begin.load(std::memory_order_acquire) ||
        addr >= slot.end.load(std::memory_order_acquire)) {
      continue;
    }
    void* page = reinterpret_cast<void*>(addr & ~(g_page_size - 1));
    if (::mmap(page, g_page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) !=
        MAP_FAILED) {
      slot.shrank.store(true, std::memory_order_release);
      return;
    }
  }
  if ((g_previous.sa_flags & SA_SIGINFO) != 0 && g_previous.sa_sigaction != nullptr) {
    g_previous.sa_sigaction(sig, info, context);
    return;
  }
  if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN) {
    g_previous.sa_handler(sig);
    return;
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void InstallGuard() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_page_size = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    struct sigaction action {};
    action.sa_sigaction = OnSigbus;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGBUS, &action, &g_previous);
  });
}

// A free slot for [begin, begin + size), or -1 when all are taken (then the file is read,
// not mapped).
int GuardMapping(const void* begin, std::size_t size) {
  InstallGuard();
  for (std::size_t i = 0; i < kGuardSlots; ++i) {
    bool expected = false;
    if (!g_slot_used[i].compare_exchange_strong(expected, true)) continue;
    const auto b = reinterpret_cast<std::uintptr_t>(begin);
    g_slots[i].shrank.store(false);
    g_slots[i].end.store(0);
    g_slots[i].begin.store(b);
    g_slots[i].end.store(b + size, std::memory_order_release);
    return static_cast<int>(i);
  }
  return -1;
}

void UnguardMapping(int slot) {
  if (slot < 0) return;
  const auto i = static_cast<std::size_t>(slot);
  g_slots[i].end.store(0);
  g_slots[i].begin.store(0);
  g_slot_used[i].store(false, std::memory_order_release);
}

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
  const auto size = static_cast<std::size_t>(st.st_size);
  // A small file is read, not mapped: mapping, releasing and unmapping cost a TLB shootdown
  // each on every core the process runs on, which on a paravirtualised VM was 8 % of the CPU
  // of a folder of 0.1 MB logs, more than copying the bytes.
  if (S_ISREG(st.st_mode) && size >= kReadBelowBytes) {
    void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    const int slot = p == MAP_FAILED ? -1 : GuardMapping(p, static_cast<std::size_t>(st.st_size));
    if (slot >= 0) {
      ::madvise(p, static_cast<std::size_t>(st.st_size), MADV_SEQUENTIAL);
      file.data_ = static_cast<const std::byte*>(p);
      file.size_ = static_cast<std::size_t>(st.st_size);
      file.mapped_ = true;
      file.guard_slot_ = slot;
      file.fd_ = fd;
      return file;
    }
    if (p != MAP_FAILED) ::munmap(p, static_cast<std::size_t>(st.st_size));
  }
  // Small files, pipes, /proc files and mmap failures: read it all.
  if (S_ISREG(st.st_mode)) file.fallback_.reserve(size);
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
  if (mapped_) Unmap();
  mapped_ = std::exchange(other.mapped_, false);
  fd_ = std::exchange(other.fd_, -1);
  copy_failed_.store(other.copy_failed_.exchange(false));
  guard_slot_ = std::exchange(other.guard_slot_, -1);
  fallback_ = std::move(other.fallback_);
  size_ = std::exchange(other.size_, 0);
  data_ = mapped_ ? std::exchange(other.data_, nullptr) : fallback_.data();
  other.data_ = nullptr;
  return *this;
}

bool MappedFile::CopyOut(std::size_t offset, std::span<std::byte> out) const {
  if (!mapped_) {
    if (offset > size_ || out.size() > size_ - offset) return false;
    std::memcpy(out.data(), data_ + offset, out.size());
    return true;
  }
  std::size_t done = 0;
  while (done < out.size() && offset + done < size_) {
    const ssize_t n =
        ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the end of a file cut shorter, or a read error
    done += static_cast<std::size_t>(n);
  }
  if (done == out.size()) return true;
  copy_failed_.store(true, std::memory_order_release);
  return false;
}

bool MappedFile::shrank() const {
  if (copy_failed_.load(std::memory_order_acquire)) return true;
  return mapped_ && guard_slot_ >= 0 &&
         g_slots[static_cast<std::size_t>(guard_slot_)].shrank.load(std::memory_order_acquire);
}

void MappedFile::Unmap() {
  UnguardMapping(guard_slot_);
  ::munmap(const_cast<std::byte*>(data_), size_);
  ::close(fd_);
}

MappedFile::~MappedFile() {
  if (mapped_) Unmap();
}

Status FileShrankError(const std::string& path) {
  return Status::IoError(path +
                         ": the file was cut shorter (or a page of it became unreadable) while "
                         "it was being read; hint: copy it again once the collector has stopped "
                         "writing it");
}

}  // namespace perfleak::internal
