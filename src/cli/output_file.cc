#include "output_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace perfleak::cli {

namespace {

std::string Reason() { return errno != 0 ? std::string(": ") + std::strerror(errno) : ""; }

}  // namespace

Status WriteOutputFile(const std::string& path, const std::function<Status(std::ostream&)>& write) {
  errno = 0;
  std::ofstream file(path, std::ios::binary);
  if (!file) return Status::IoError("cannot create " + path + Reason());
  Status written = write(file);
  errno = 0;
  file.flush();
  file.close();
  if (file.fail()) return Status::IoError("cannot write " + path + Reason());
  if (!written.ok()) return Status(written.code(), path + ": " + written.message());
  return written;
}

Status WriteOutputStream(std::ostream& out, const std::function<Status(std::ostream&)>& write) {
  Status written = write(out);
  errno = 0;
  out.flush();
  if (!out) return Status::IoError("cannot write the standard output" + Reason());
  return written;
}

}  // namespace perfleak::cli
