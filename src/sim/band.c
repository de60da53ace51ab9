/* Predictive bands (docs/uncertainty.md): the scenario simulated at posterior draws of the
 * model parameters, each observable's central interval at every sample day. */
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/jobs.h"
#include "mnsim/posterior.h"
#include "mnsim/patient.h"
#include "mnsim/simulate.h"
#include "mnsim/surface.h"

/* The largest value store of one band (draws × observables × samples doubles): beyond it the
 * request is refused rather than left to exhaust memory. */
static const double band_store_max_bytes = 1024.0 * 1024.0 * 1024.0;

typedef struct band_ctx {
    const mn_scenario *sc;
    const mn_params *p;
    const mn_posterior *post;
    int draws, samples;
    const double *days;
    double *values;         /* [draw][observable][sample] */
    double *final;          /* [draw][observable] */
    const mn_surface *like; /* the nominal run's surface: draws copy its evaluation grid */
} band_ctx;

static int band_job(void *user, long d, mn_error *err)
{
    band_ctx *c = user;
    mn_params q = *c->p;
    int rc = mn_posterior_apply(c->post, mn_posterior_pick(c->post, (int)d, c->draws), &q, err);
    if (rc)
        return rc;
    /* The run's own settings (the output.every_days grid), so that a draw equal to the
     * nominal parameters reproduces the nominal course bit for bit. */
    const mn_sim_settings set = {.time_step_scale = 1.0, .surface_like = c->like};
    mn_results *r = NULL;
    rc = mn_simulate(c->sc, &q, &set, &r, err);
    if (rc)
        return rc;
    int same = mn_results_count(r) == c->samples;
    for (int i = 0; same && i < c->samples; ++i)
        same = mn_results_day(r, i) == c->days[i];
    if (!same) {
        mn_results_free(&r);
        return mn_error_set(err, MN_EINVAL,
                            "mn_simulate_band: the run was not sampled on the scenario's "
                            "output.every_days grid");
    }
    for (int o = 0; o < MN_OBS_COUNT; ++o) {
        double *v = c->values + ((size_t)d * MN_OBS_COUNT + (size_t)o) * (size_t)c->samples;
        for (int i = 0; i < c->samples; ++i)
            v[i] = mn_results_value(r, (mn_observable)o, i);
        c->final[(size_t)d * MN_OBS_COUNT + (size_t)o] = mn_results_final(r, (mn_observable)o);
    }
    mn_results_free(&r);
    return MN_OK;
}

/* The percentiles of the final wrinkle grade whose runs the pictures show (before_after.png's
 * "likely range" row: the 5th, the median and the 95th). */
static const double pick_pct[MN_BAND_RUNS] = {5.0, 50.0, 95.0};

typedef struct pick_job {
    const band_ctx *c;
    int draw[MN_BAND_RUNS];
    mn_results *runs[MN_BAND_RUNS];
} pick_job;

static int pick_run(void *user, long k, mn_error *err)
{
    pick_job *j = user;
    mn_params q = *j->c->p;
    int rc = mn_posterior_apply(j->c->post, j->draw[k], &q, err);
    const mn_sim_settings set = {.time_step_scale = 1.0, .surface_like = j->c->like};
    return rc ? rc : mn_simulate(j->c->sc, &q, &set, &j->runs[k], err);
}

typedef struct ranked {
    double grade;
    int d;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->grade != y->grade)
        return (x->grade > y->grade) - (x->grade < y->grade);
    return (x->d > y->d) - (x->d < y->d); /* ties: by draw, so the choice is deterministic */
}

/* The draws at the final grade's percentiles run again with their height maps, attached to
 * res for the pictures. */
static int band_runs(const band_ctx *c, mn_results *res, mn_error *err)
{
    ranked *r = malloc((size_t)c->draws * sizeof *r);
    if (!r)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    for (int d = 0; d < c->draws; ++d)
        r[d] = (ranked){c->final[(size_t)d * MN_OBS_COUNT + MN_OBS_WRINKLE_GRADE], d};
    qsort(r, (size_t)c->draws, sizeof *r, cmp_ranked);
    pick_job j = {.c = c};
    for (int k = 0; k < MN_BAND_RUNS; ++k) {
        const int at = (int)lround(pick_pct[k] / 100.0 * (c->draws - 1));
        j.draw[k] = mn_posterior_pick(c->post, r[at].d, c->draws);
    }
    free(r);
    int rc = mn_jobs_run(MN_BAND_RUNS, 0, 1, pick_run, &j, err);
    if (!rc)
        mn_results_attach_band_runs(res, j.runs, pick_pct);
    for (int k = 0; k < MN_BAND_RUNS; ++k)
        mn_results_free(&j.runs[k]);
    return rc;
}

/* Quantile q of sorted x[0 .. n−1], linear between order statistics (Hyndman & Fan 1996,
 * Am Stat 50:361, type 7, as gsl_stats_quantile_from_sorted_data), in the form
 * x_i + δ (x_{i+1} − x_i) that returns x_i exactly when the two are equal (GSL's
 * (1 − δ) x_i + δ x_{i+1} may not, and a posterior of one point must give its own course). */
static double quantile_sorted(const double *x, int n, double q)
{
    const double h = (n - 1) * q;
    const int i = (int)floor(h);
    if (i >= n - 1)
        return x[n - 1];
    return x[i] + (h - i) * (x[i + 1] - x[i]);
}

/* Quantiles q and 1 − q of x[0], x[stride], ... (n values; NaN when any value is NaN, e.g. a
 * surface metric of a run without a height map). */
static void interval(double *scratch, const double *x, size_t stride, int n, double q, double *lo,
                     double *hi)
{
    for (int d = 0; d < n; ++d) {
        scratch[d] = x[(size_t)d * stride];
        if (isnan(scratch[d])) {
            *lo = *hi = NAN;
            return;
        }
    }
    gsl_sort(scratch, 1, (size_t)n);
    *lo = quantile_sorted(scratch, n, q);
    *hi = quantile_sorted(scratch, n, 1.0 - q);
}

int mn_simulate_band(const mn_scenario *sc, const mn_params *p, const struct mn_posterior *post,
                     const mn_band_options *opt, mn_results *res, mn_error *err)
{
    if (!sc || !p || !post || !opt || !res)
        return mn_error_set(err, MN_EINVAL, "mn_simulate_band: invalid argument");
    const int n = opt->draws;
    const double level = opt->level > 0 ? opt->level : 0.9;
    if (n < 2)
        return mn_error_set(err, MN_EINVAL, "simulate.uncertainty: %d draws (at least 2)", n);
    if (!(level > 0 && level < 1))
        return mn_error_set(err, MN_EINVAL, "band level %g: must lie in (0, 1)", level);
    if (sc->simulate.model == MN_MODEL_3D)
        return mn_error_set(err, MN_ENOTSUP,
                            "simulate.uncertainty: predictive bands run the column model only "
                            "(set simulate.model: column)");
    const int samples = mn_results_count(res);
    if (samples < 1)
        return mn_error_set(err, MN_EINVAL, "mn_simulate_band: the run has no samples");
    const double bytes = (double)n * MN_OBS_COUNT * samples * sizeof(double);
    if (bytes > band_store_max_bytes)
        return mn_error_set(err, MN_ERANGE,
                            "simulate.uncertainty: %d draws of %d samples need %.1f GiB; use "
                            "fewer draws or a larger output.every_days",
                            n, samples, bytes / (1024.0 * 1024.0 * 1024.0));
    band_ctx c = {.sc = sc, .p = p, .post = post, .draws = n, .samples = samples};
    double *days = malloc((size_t)samples * sizeof *days);
    c.values = malloc((size_t)n * MN_OBS_COUNT * (size_t)samples * sizeof *c.values);
    c.final = malloc((size_t)n * MN_OBS_COUNT * sizeof *c.final);
    double *lo = malloc((size_t)MN_OBS_COUNT * (size_t)samples * sizeof *lo);
    double *hi = malloc((size_t)MN_OBS_COUNT * (size_t)samples * sizeof *hi);
    double *scratch = malloc((size_t)n * sizeof *scratch);
    mn_surface *like = NULL;
    int rc = MN_OK;
    if (!days || !c.values || !c.final || !lo || !hi || !scratch) {
        rc = mn_error_set(err, MN_ENOMEM, "out of memory for %d band draws", n);
        goto done;
    }
    for (int i = 0; i < samples; ++i)
        days[i] = mn_results_day(res, i);
    c.days = days;
    /* The height map's set-up (microrelief and unit grooves on the evaluation grid, ~10 % of a
     * lean run) depends on the surface parameters only: drawn once here and copied by every
     * draw whose geometry comes out the same (mn_surface_options.like): all of them when the
     * posterior draws no surface parameter, none when it draws the microrelief's (the unseen
     * rest of `mnsim calibrate`'s default does). */
    mn_patient pt;
    rc = mn_patient_init(&pt, sc, p, err);
    if (!rc)
        rc = mn_surface_create(sc, &pt, p, NULL, &like, err);
    if (rc)
        goto done;
    c.like = like;
    rc = mn_jobs_run(n, opt->threads, 1, band_job, &c, err);
    if (rc)
        goto done;
    const double q = 0.5 * (1.0 - level);
    double final_lo[MN_OBS_COUNT], final_hi[MN_OBS_COUNT];
    for (int o = 0; o < MN_OBS_COUNT; ++o) {
        for (int i = 0; i < samples; ++i)
            interval(scratch, c.values + (size_t)o * (size_t)samples + (size_t)i,
                     (size_t)MN_OBS_COUNT * (size_t)samples, n, q,
                     &lo[(size_t)o * (size_t)samples + (size_t)i],
                     &hi[(size_t)o * (size_t)samples + (size_t)i]);
        interval(scratch, c.final + o, MN_OBS_COUNT, n, q, &final_lo[o], &final_hi[o]);
    }
    rc = mn_results_set_band(res, level, n, lo, hi, final_lo, final_hi, err);
    if (!rc && sc->output.images)
        rc = band_runs(&c, res, err);
done:
    mn_surface_free(&like);
    free(days);
    free(c.values);
    free(c.final);
    free(lo);
    free(hi);
    free(scratch);
    return rc;
}
