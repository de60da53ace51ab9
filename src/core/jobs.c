/* Parallel jobs and thread counts (jobs.h). */
#define _GNU_SOURCE
#include "mnsim/jobs.h"

#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif

int mn_cpus_available(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0)
            return n;
    }
    return 1;
}

int mn_threads_for(int requested, long jobs)
{
#ifdef _OPENMP
    /* OMP_NUM_THREADS (omp_get_max_threads) when nothing was asked for; never more threads
     * than CPUs the process may use: more only time-slice the same cores, and a spinning
     * OpenMP barrier then costs whole scheduler quanta (docs/benchmarks.md). */
    long n = requested > 0 ? requested : omp_get_max_threads();
    const int cpus = mn_cpus_available();
    if (n > cpus)
        n = cpus;
    if (n > MN_THREADS_MAX)
        n = MN_THREADS_MAX;
    if (jobs > 0 && n > jobs)
        n = jobs;
    return n < 1 ? 1 : (int)n;
#else
    (void)requested;
    (void)jobs;
    return 1;
#endif
}

int mn_jobs_run(long n, int threads, int chunk, mn_job_fn job, void *user, mn_error *err)
{
    if (n < 0 || !job || chunk < 1)
        return mn_error_set(err, MN_EINVAL, "mn_jobs_run: invalid argument");
    long first_fail = LONG_MAX; /* lowest failing index so far */
    int stop = 0;               /* a job returned MN_JOBS_STOP */
    int first_rc = MN_OK;
    mn_error first = {0, ""};
    const int nt = mn_threads_for(threads, n);
    (void)nt;
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, chunk) num_threads(nt)
#endif
    for (long i = 0; i < n; ++i) {
        long seen;
        int halt;
#ifdef _OPENMP
#pragma omp atomic read
#endif
        seen = first_fail;
#ifdef _OPENMP
#pragma omp atomic read
#endif
        halt = stop;
        if (i > seen || halt)
            continue;
        mn_error e;
        mn_error_clear(&e);
        int rc = job(user, i, &e);
        if (rc == MN_JOBS_STOP) {
#ifdef _OPENMP
#pragma omp atomic write
#endif
            stop = 1;
        } else if (rc) {
#ifdef _OPENMP
#pragma omp critical(mn__jobs_first_error)
#endif
            {
                if (i < first_fail) {
                    first = e;
                    first_rc = rc;
#ifdef _OPENMP
#pragma omp atomic write
#endif
                    first_fail = i;
                }
            }
        }
    }
    if (first_rc && err)
        *err = first;
    return first_rc;
}
