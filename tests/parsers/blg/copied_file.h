// A .blg's bytes as a file read through an InputCopier in windows of a given size, as a mapped
// file is read (MappedFile::CopyOut): the tests compare that path with the bytes in memory.
#pragma once

#include <cstddef>
#include <cstring>
#include <span>
#include <string>

#include "blg/etl.h"
#include "common/input_copier_internal.h"
#include "test_util.h"

namespace perfleak::blg::testing {

struct CopiedFile {
  CopiedFile(const std::string& bytes, std::size_t window)
      : copy([&bytes](std::size_t offset, std::span<std::byte> out) {
          if (offset > bytes.size() || out.size() > bytes.size() - offset) return false;
          std::memcpy(out.data(), bytes.data() + offset, out.size());
          return true;
        }),
        input(::perfleak::testing::AsBytes(bytes), &copy, window) {}
  CopiedFile(const CopiedFile&) = delete;
  CopiedFile& operator=(const CopiedFile&) = delete;

  internal::InputCopier copy;
  EtlInput input;  ///< points at `copy`
};

}  // namespace perfleak::blg::testing
