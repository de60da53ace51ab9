/* Function multi-versioning for the hot loops (private): a function marked MN_CLONES is built
 * for AVX2 too and the variant is picked at load time where the CPU has it (GCC on x86-64);
 * elsewhere, under the sanitizers and with MN_NO_CLONES the portable build runs. AVX2 brings
 * no FMA, so products and sums round exactly as in the portable build. */
#ifndef MN_SIMD_H
#define MN_SIMD_H

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(MN_NO_CLONES) &&   \
    !defined(__SANITIZE_ADDRESS__)
#define MN_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define MN_CLONES
#endif

#endif
