/* SIMD helpers for the hot loops (private).
 *
 * MN_CLONES: function multi-versioning. A function so marked is built for AVX2 too and the
 * variant is picked at load time where the CPU has it (GCC on x86-64); elsewhere, under the
 * sanitizers and with MN_NO_CLONES the portable build runs. AVX2 brings no FMA, so products
 * and sums round exactly as in the portable build.
 *
 * mn_v4d: four doubles as one vector (GCC/Clang vector extension) for loops whose lanes the
 * vectoriser does not find (the column's four transported species); loads and stores through
 * memcpy, as the arrays need not be 32-byte aligned (macros: a function returning a vector
 * would change the ABI between the clones). MN_SELECT4(m, a, b): a where the mask m (a vector
 * comparison) is set, else b. */
#ifndef MN_SIMD_H
#define MN_SIMD_H

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(MN_NO_CLONES) &&   \
    !defined(__SANITIZE_ADDRESS__)
#define MN_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define MN_CLONES
#endif

#if defined(__GNUC__)
#define MN_HAVE_V4D 1
typedef double mn_v4d __attribute__((vector_size(32)));
typedef long long mn_v4l __attribute__((vector_size(32)));
#define MN_LOAD4(v, p) memcpy(&(v), (p), sizeof(mn_v4d))
#define MN_STORE4(p, v) memcpy((p), &(v), sizeof(mn_v4d))
#define MN_SELECT4(m, a, b) ((mn_v4d)(((mn_v4l)(a) & (m)) | ((mn_v4l)(b) & ~(m))))
#endif

#endif
