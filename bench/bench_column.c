/* Wall time of the default column-model run (mnsim run's simulation, no file output), median
 * of repeated runs, beside the comparison point: the same run with a fixed step as small as
 * the adaptive stepper's smallest (what a stepper without adaptivity would need). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mnsim/simulate.h"
#include "bench_util.h"

static double median_run_s(const mn_scenario *sc, const mn_params *p, const mn_sim_settings *opt,
                           int repeats)
{
    double t[64];
    for (int i = 0; i < repeats; ++i) {
        mn_results *r = NULL;
        mn_error err;
        double t0 = now_s();
        if (mn_simulate(sc, p, opt, &r, &err) != MN_OK) {
            fprintf(stderr, "bench_column: %s\n", err.message);
            exit(1);
        }
        t[i] = now_s() - t0;
        mn_results_free(&r);
    }
    qsort(t, (size_t)repeats, sizeof t[0], cmp_double);
    return t[repeats / 2];
}

int main(void)
{
    mn_scenario sc;
    mn_params p;
    mn_scenario_default(&sc);
    mn_params_default(&p);
    mn_sim_settings adaptive = {.time_step_scale = 1.0};
    mn_sim_settings fixed = {.time_step_scale = 1.0, .fixed_step_h = 0.01};
    double a = median_run_s(&sc, &p, &adaptive, 15);
    double f = median_run_s(&sc, &p, &fixed, 3);
    printf("default column run (3 sessions, 26 weeks follow-up, 20 um):\n");
    printf("  adaptive steps        median of 15: %8.1f ms\n", 1e3 * a);
    printf("  fixed 0.01 h steps    median of  3: %8.1f ms  (comparison point)\n", 1e3 * f);
    printf("  speed-up of adaptive stepping:      %8.1fx\n", f / a);
    return 0;
}
