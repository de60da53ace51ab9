/* OpenMP loops of the library's pixel and grid code (internal). */
#ifndef MN_OMP_H
#define MN_OMP_H

#include "mnsim/jobs.h"

/* A loop whose iterations are independent, split into one contiguous block a thread
 * (schedule(static): no scheduling traffic, one barrier at the end), on at most as many threads
 * as CPUs the process may use (mn_threads_for: more would only time-slice the same cores, and a
 * spinning barrier then costs whole scheduler quanta). `iterations` is the loop's count. The
 * result never depends on the thread count. Serial without OpenMP. */
#define MN__PRAGMA(x) _Pragma(#x)
#ifdef _OPENMP
#define MN__PARALLEL_FOR(iterations)                                                               \
    MN__PRAGMA(omp parallel for schedule(static) num_threads(mn_threads_for(0, (long)(iterations))))
/* The same loop summing `var` over the iterations (an integer count: exact in any order). */
#define MN__PARALLEL_FOR_SUM(iterations, var)                                                      \
    MN__PRAGMA(omp parallel for schedule(static) reduction(+ : var)                                \
                   num_threads(mn_threads_for(0, (long)(iterations))))
#else
#define MN__PARALLEL_FOR(iterations)
#define MN__PARALLEL_FOR_SUM(iterations, var)
#endif

#endif
