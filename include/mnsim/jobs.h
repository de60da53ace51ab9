/* Independent jobs in parallel (OpenMP), and how many threads a process should use.
 * One helper for every "run these N things" loop of the library (validation arms, sensitivity
 * trajectories, protocol evaluations, cohort patients), so each gets the same rules: a dynamic
 * schedule, at most as many threads as CPUs the process may run on, and the first failure
 * stopping the jobs after it. */
#ifndef MNSIM_JOBS_H
#define MNSIM_JOBS_H

#include "mnsim/export.h"

#include "mnsim/error.h"

/* CPUs this process may run on (its affinity mask; at least 1). */
MN_EXPORT int mn_cpus_available(void);

/* Threads to use for `jobs` jobs when `requested` were asked for (0: OpenMP's default, i.e.
 * OMP_NUM_THREADS or every CPU): never more than the CPUs available, the jobs, or
 * MN_THREADS_MAX; at least 1. 1 without OpenMP. */
MN_EXPORT int mn_threads_for(int requested, long jobs);
#define MN_THREADS_MAX 1024

/* One job: returns MN_OK, an error code (< 0) with *err set, or MN_JOBS_STOP to start no
 * further job (not an error: e.g. a run asked to stop after so many patients). */
typedef int (*mn_job_fn)(void *user, long i, mn_error *err);
#define MN_JOBS_STOP 1

/* Runs job(user, i) for i = 0 .. n−1 on `threads` threads (mn_threads_for), `chunk` jobs
 * at a time (≥ 1). When a job fails, jobs with a higher index that have not started are
 * skipped, those with a lower index still run, so the error returned (code and *err) is
 * always that of the lowest failing index, whatever the timing. Returns MN_OK (also after
 * MN_JOBS_STOP) or that error. */
MN_EXPORT int mn_jobs_run(long n, int threads, int chunk, mn_job_fn job, void *user, mn_error *err);

#endif
