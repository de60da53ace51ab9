/* Timing helpers shared by the benchmarks (never used by tests: speed is measured here only). */
#ifndef MN_BENCH_UTIL_H
#define MN_BENCH_UTIL_H

#define _POSIX_C_SOURCE 200809L
#include <time.h>

/* Monotonic wall time in seconds. */
static inline double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* This thread's CPU time in seconds: on a shared machine the wall time also counts the time
 * slices of other jobs, the CPU time does not (one-thread comparisons report both). */
static inline double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* qsort comparison of doubles (for medians). */
static inline int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#endif
