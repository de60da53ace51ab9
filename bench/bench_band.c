/* Predictive bands (`mnsim run --uncertainty N`, docs/uncertainty.md): the default scenario's
 * central run, then its band from N = 100 draws of the committed posterior (data/posterior.json)
 * on 1 thread and on every core. Comparison point in the same run: the central run alone, i.e.
 * what N draws cost at best (N x one run / cores). Medians of REPEATS. */
#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>

#include "mnsim/jobs.h"
#include "mnsim/posterior.h"
#include "mnsim/simulate.h"

#define REPEATS 3
#define DRAWS 100

static double median(double *t, int n)
{
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    return t[n / 2];
}

int main(void)
{
    mn_error err;
    mn_posterior *post = NULL;
    const char *path = MNSIM_SOURCE_DIR "/data/posterior.json";
    if (mn_posterior_read(path, &post, &err)) {
        fprintf(stderr, "bench_band: %s\n", err.message);
        return 1;
    }
    mn_scenario sc;
    mn_scenario_default(&sc);
    sc.output.images = false;
    mn_params p;
    mn_params_default(&p);
    const mn_sim_settings set = {.time_step_scale = 1.0};
    double one[REPEATS], band1[REPEATS], bandn[REPEATS];
    for (int k = 0; k < REPEATS; ++k) {
        for (int threads = 0; threads < 2; ++threads) {
            mn_results *r = NULL;
            double t0 = now_s();
            if (mn_simulate(&sc, &p, &set, &r, &err)) {
                fprintf(stderr, "bench_band: %s\n", err.message);
                return 1;
            }
            double t1 = now_s();
            const mn_band_options bo = {.draws = DRAWS, .threads = threads ? 0 : 1};
            if (mn_simulate_band(&sc, &p, post, &bo, r, &err)) {
                fprintf(stderr, "bench_band: %s\n", err.message);
                return 1;
            }
            double t2 = now_s();
            if (threads)
                bandn[k] = t2 - t1;
            else
                band1[k] = t2 - t1, one[k] = t1 - t0;
            mn_results_free(&r);
        }
    }
    const int cores = mn_threads_for(0, DRAWS);
    const double t_one = median(one, REPEATS);
    printf("default scenario, %d posterior draws of %d parameters, %d threads available\n", DRAWS,
           mn_posterior_param_count(post), cores);
    printf("  central run alone:        %8.3f s (median of %d)\n", t_one, REPEATS);
    printf("  band, 1 thread:           %8.3f s  (%d x one run = %.3f s)\n", median(band1, REPEATS),
           DRAWS, DRAWS * t_one);
    printf("  band, %d threads:          %8.3f s  (%d x one run / %d = %.3f s)\n", cores,
           median(bandn, REPEATS), DRAWS, cores, DRAWS * t_one / cores);
    mn_posterior_free(&post);
    return 0;
}
