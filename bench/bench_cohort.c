/* Cohort throughput: patients per second of the lean column model (mn_cohort_run, default
 * cohort settings) on 1 and 2 OpenMP threads, median of repeated runs, beside the comparison
 * point run in the same process: one full `mnsim run` simulation (height map, daily samples,
 * 20 µm, time_step_scale 1). MPI scaling is measured by bench/run.sh (mpirun -n 1 vs 2). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "mnsim/cohort.h"
#include "mnsim/simulate.h"
#include "bench_util.h"

static double cohort_seconds(const mn_scenario *sc, const mn_params *p, const char *dir)
{
    mn_error err;
    mn_cohort_options opt = {.ranks = 1};
    mn_cohort *c = NULL;
    double t0 = now_s();
    if (mn_cohort_create(sc, p, dir, &opt, &c, &err) || mn_cohort_run(c, &err)) {
        fprintf(stderr, "bench_cohort: %s\n", err.message);
        exit(1);
    }
    double t = now_s() - t0;
    mn_cohort_free(&c);
    return t;
}

int main(void)
{
    enum { PATIENTS = 2000, REPEATS = 5 };
    char dir[] = "/tmp/mnsim-bench-cohort-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("bench_cohort: mkdtemp");
        return 1;
    }
    mn_scenario sc;
    mn_params p;
    mn_scenario_default(&sc);
    mn_params_default(&p);
    sc.cohort.size = PATIENTS;
    double rate[2] = {0, 0};
    for (int threads = 1; threads <= 2; ++threads) {
#ifdef _OPENMP
        omp_set_num_threads(threads);
#else
        if (threads == 2)
            break;
#endif
        double t[REPEATS];
        for (int r = 0; r < REPEATS; ++r)
            t[r] = cohort_seconds(&sc, &p, dir);
        qsort(t, REPEATS, sizeof t[0], cmp_double);
        rate[threads - 1] = PATIENTS / t[REPEATS / 2];
    }
    /* Comparison point: the full simulation of one default patient, as `mnsim run` does it. */
    double full[5];
    mn_sim_settings opt = {.time_step_scale = 1.0};
    for (int r = 0; r < 5; ++r) {
        mn_results *res = NULL;
        mn_error err;
        double t0 = now_s();
        if (mn_simulate(&sc, &p, &opt, &res, &err)) {
            fprintf(stderr, "bench_cohort: %s\n", err.message);
            return 1;
        }
        full[r] = now_s() - t0;
        mn_results_free(&res);
    }
    qsort(full, 5, sizeof full[0], cmp_double);
    /* Remove the journal the runs left (the outputs were never written). */
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_cohort: could not remove %s\n", dir);
    printf("cohort of %d default patients (lean column model: %.0f um, step tolerance %g, "
           "time_step_scale %g,\nweekly summary samples + erythema windows, no height map), "
           "median of %d runs:\n",
           PATIENTS, sc.cohort.resolution_um, sc.cohort.step_tolerance, sc.cohort.time_step_scale,
           REPEATS);
    printf("  1 thread                 %8.1f patients/s  (%6.0f per minute)\n", rate[0],
           60 * rate[0]);
    if (rate[1] > 0)
        printf("  2 threads                %8.1f patients/s  (%6.0f per minute; speed-up %.2fx)\n",
               rate[1], 60 * rate[1], rate[1] / rate[0]);
    printf("  10,000 patients on 2 threads: %.0f s (projected)\n",
           1e4 / (rate[1] > 0 ? rate[1] : rate[0]));
    printf("  full `mnsim run` simulation (comparison point, median of 5): %.1f ms/patient = "
           "%.1f patients/s on 1 thread\n",
           1e3 * full[2], 1.0 / full[2]);
    return 0;
}
