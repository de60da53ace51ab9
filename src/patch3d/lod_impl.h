/* Shared by the LOD solver's files (private to lod.c, lod_xy.c, lod_z.c; the API is lod.h):
 * lod.c sets up, factors and drives a step, lod_xy.c has the x–y pass, lod_z.c the z pass. */
#ifndef MN_LOD_IMPL_H
#define MN_LOD_IMPL_H

#include "patch3d/lod.h"

#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#define MN_SIMD _Pragma("omp simd")
#else
#define MN_SIMD
#endif

/* Sweeps are cheap per voxel (a few ns): on small grids the fork/join of a parallel region
 * costs more than it saves, and far more when the cores are shared, so they run serially. */
#define MN_LOD_PARALLEL(l) ((size_t)(l)->g.nx * (size_t)(l)->g.ny * (size_t)(l)->g.nz >= 200000)

/* Rows solved together in the x sweep: four AVX registers of floats, independent recurrence
 * chains that hide each other's latency. */
enum { XB = 32 };

/* Rows of an x-sweep block (a multiple of 8) and the most bytes of rows in one. */
enum { XR = 104, XT = 80 * 1024 };

/* The sweeps are built for x86-64-v3 (AVX2 with FMA) too and picked at load time where the CPU
 * has it (GCC function multi-versioning on x86-64); elsewhere the portable build runs. Each
 * recurrence step is written as a·b + c so that, where the target has FMA, it is one fused
 * multiply–add: the contraction is allowed for the files that include this header only (ISO C
 * mode turns it off), so results differ in the last bits between CPUs with and without FMA but are
 * the same from run to run on one machine. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=fast")
#elif defined(__clang__)
#pragma clang fp contract(fast)
#endif
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(MN_NO_CLONES) &&   \
    !defined(__SANITIZE_ADDRESS__)
#define MN_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define MN_CLONES
#endif

static inline int mn__lod_thread_id(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

/* The two passes of a step (lod_xy.c, lod_z.c): orphaned work-sharing, so they split their
 * planes or columns among the threads of the enclosing parallel region (serial outside one). */
void mn__lod_xy_planes(mn__lod *l, const mn__lod_op *op, float *u);
void mn__lod_z_rows(mn__lod *l, const mn__lod_op *op, const double *offset, float *u);

#endif
