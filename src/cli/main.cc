#include "cli_app.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {

// A batch reads and judges one log after another, each allocating and freeing some megabytes:
// with glibc's defaults the freed top of the heap went back to the kernel (1,122 brk calls for
// 1,000 small logs) and was faulted in again for the next log, dear on a paravirtualised VM.
// Keeping up to 256 MiB of it, and growing it 16 MiB at a time: the 1,000-log folder 1.19 ->
// 1.14 s, `analyze` of the 762 MB CSV 0.61 -> 0.59 s, peak RSS unchanged (docs/performance.md).
// The process's own choice, so the library leaves the allocator alone.
void KeepFreedHeap() {
#if defined(__GLIBC__)
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  KeepFreedHeap();
  return perfleak::cli::RunCli(argc, argv);
}
