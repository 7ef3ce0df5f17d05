// Run-time detection of the x86-64 levels the kernels are compiled for.
#include "CAdLabKernels.h"

int adlab_cpu_supports_x86_64_v3(void) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  // The x86-64-v3 level as defined by the psABI; the GEMM kernels only use AVX2 and FMA, but a
  // class means one fixed instruction set, so a CPU either has the whole level or not.
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
         __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2") &&
         __builtin_cpu_supports("f16c") && __builtin_cpu_supports("lzcnt") &&
         __builtin_cpu_supports("movbe");
#else
  return 0;
#endif
}

int adlab_cpu_supports_x86_64_v4(void) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return adlab_cpu_supports_x86_64_v3() && __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("avx512dq");
#else
  return 0;
#endif
}

int adlab_cpu_supports_avx512_vnni(void) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return adlab_cpu_supports_x86_64_v4() && __builtin_cpu_supports("avx512vnni");
#else
  return 0;
#endif
}
