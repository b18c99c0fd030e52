#include "output_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace perfleak::cli {

namespace {

std::string Reason(int err) { return err != 0 ? std::string(": ") + std::strerror(err) : ""; }

}  // namespace

Status WriteOutputFile(const std::string& path, const std::function<Status(std::ostream&)>& write) {
  errno = 0;
  std::ofstream file(path, std::ios::binary);
  if (!file) return Status::IoError("cannot create " + path + Reason(errno));
  Status written = write(file);
  // The first failure's errno: a report larger than the stream's buffer fails while written,
  // a small one only at the flush or the close.
  int err = file ? 0 : errno;
  errno = 0;
  file.flush();
  if (err == 0 && !file) err = errno;
  errno = 0;
  file.close();
  if (err == 0 && file.fail()) err = errno;
  if (file.fail()) return Status::IoError("cannot write " + path + Reason(err));
  if (!written.ok()) return Status(written.code(), path + ": " + written.message());
  return written;
}

Status WriteOutputStream(std::ostream& out, const std::function<Status(std::ostream&)>& write) {
  Status written = write(out);
  int err = out ? 0 : errno;
  errno = 0;
  out.flush();
  if (err == 0 && !out) err = errno;
  if (!out) return Status::IoError("cannot write the standard output" + Reason(err));
  return written;
}

}  // namespace perfleak::cli
