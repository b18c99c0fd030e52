#include "analysis/cpu_dispatch.h"

namespace perfleak::internal {

// Compiled, like the wide kernels, in an FMA-capable target: with contraction allowed (clang's
// default, GCC's in GNU mode) a * b + c here becomes one fused instruction, which rounds once
// instead of twice and would make a wide variant's bits differ from the baseline's.
#ifdef PERFLEAK_X86_DISPATCH
__attribute__((target("avx2,fma")))
#endif
double
ContractionProbe(double a, double b, double c) {
  return a * b + c;
}

}  // namespace perfleak::internal
