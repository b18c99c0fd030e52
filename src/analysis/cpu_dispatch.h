// Run-time choice of wider vector code on x86-64: a hot loop's body is written once (always
// inlined), compiled again inside a function marked target("avx2") or target("avx512f"), and
// the caller picks that one when the CPU has it, so one binary runs everywhere and uses what
// the CPU has. Every variant performs the same IEEE operations per value, so results never
// depend on the CPU (tests/analysis/cpu_dispatch_test.cc). Elsewhere only the baseline exists.
#pragma once

#include <atomic>

#if defined(__x86_64__) && defined(__linux__) && (defined(__GNUC__) || defined(__clang__))
#define PERFLEAK_X86_DISPATCH 1
#endif

namespace perfleak::internal {

/// Set by tests to run the baseline variants and check they give the same results.
inline std::atomic<bool> baseline_vectors_only{false};

#ifdef PERFLEAK_X86_DISPATCH
// Callers use these only under PERFLEAK_X86_DISPATCH, next to the variants they choose.
inline bool UseWide(bool cpu_has) {
  return cpu_has && !baseline_vectors_only.load(std::memory_order_relaxed);
}
inline bool CpuHasAvx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return UseWide(has);
}
inline bool CpuHasAvx512() {
  static const bool has = __builtin_cpu_supports("avx512f");
  return UseWide(has);
}
#endif

/// a * b + c computed in an FMA-capable target. The analysis is compiled with
/// -ffp-contract=off, so this rounds twice like the baseline code; a test checks it.
double ContractionProbe(double a, double b, double c);

}  // namespace perfleak::internal
