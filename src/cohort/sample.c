/* Drawing the patients of a cohort and running one of them leanly (docs/cohort.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cohort/cohort_impl.h"
#include "mnsim/cohort.h"
#include "mnsim/outcome.h"
#include "mnsim/posterior.h"
#include "mnsim/rng.h"

/* Draws beyond which a truncated distribution gives up and takes its centre: with the
 * truncation at ≥ ±1.96 σ (parameters) or user bounds that contain the mean, 64 misses in a
 * row have a probability below 1e-60 for any sensible setting. */
#define MN__MAX_REDRAWS 64
/* Stream of a patient's posterior draw (any constant apart from the other streams' keys). */
#define MN__POSTERIOR_STREAM 0x706f737465726f72ull

static double draw_dist(const mn_dist *d, double patient_value, mn_rng *r)
{
    switch (d->kind) {
    case MN_DIST_FIXED:
        return d->mean;
    case MN_DIST_UNIFORM:
        return d->min + (d->max - d->min) * mn_rng_uniform(r);
    case MN_DIST_NORMAL:
        for (int k = 0; k < MN__MAX_REDRAWS; ++k) {
            double v = d->mean + d->sd * mn_rng_normal(r);
            if (v >= d->min && v <= d->max)
                return v;
        }
        return d->mean;
    case MN_DIST_PATIENT:
    default:
        return patient_value;
    }
}

/* Category index drawn by weight; the patient's value when no weight is given. Always
 * consumes one draw so later draws do not depend on which attributes are given. */
static int draw_category(const mn_weights *w, int patient_value, int base, mn_rng *r)
{
    double u = mn_rng_uniform(r), sum = 0;
    for (int i = 0; i < MN_CATEGORY_MAX; ++i)
        sum += w->w[i];
    if (!(sum > 0))
        return patient_value;
    double acc = 0, target = u * sum;
    int last = 0;
    for (int i = 0; i < MN_CATEGORY_MAX; ++i) {
        if (w->w[i] <= 0)
            continue;
        acc += w->w[i];
        last = i;
        if (target < acc)
            return base + i;
    }
    return base + last;
}

double mn__param_log_sigma(const mn_param_info *info, double spread)
{
    /* Log-width of the literature range; a range that starts at 0 spans "from nothing" and
     * would be infinitely wide in logs, so every log-width is capped at one decade. */
    double w = info->low > 0 ? log(info->high / info->low) : log(10.0);
    if (w > log(10.0))
        w = log(10.0);
    /* spread 1: the range's log-width is the width of the central 95 % (± 1.96 σ). */
    return spread * w / (2.0 * 1.959963984540054);
}

int mn_cohort_patient(const mn_scenario *base, const mn_params *p0, long i, mn_scenario *sc,
                      mn_params *p, mn_error *err)
{
    if (!base || !p0 || !sc || !p || i < 0)
        return mn_error_set(err, MN_EINVAL, "mn_cohort_patient: bad argument");
    const mn_cohort_spec *c = &base->cohort;
    *sc = *base;
    *p = *p0;
    mn_rng r;
    mn_rng_init(&r, (uint64_t)c->seed, (uint64_t)i);
    mn_patient_spec *ps = &sc->patient;
    ps->age_years = draw_dist(&c->age_years, ps->age_years, &r);
    ps->sex = (mn_sex)draw_category(&c->sex, (int)ps->sex, 0, &r);
    ps->skin_type = draw_category(&c->skin_type, ps->skin_type, 1, &r);
    ps->photoaging = draw_category(&c->photoaging, ps->photoaging, 1, &r);
    ps->site = (mn_site)draw_category(&c->site, (int)ps->site, 0, &r);
    ps->smoker = draw_category(&c->smoker, ps->smoker ? 1 : 0, 0, &r) != 0;
    /* Parameters: one stream offset per parameter so adding a parameter at the end of the
     * table does not reshuffle the others' draws. */
    for (size_t k = 0; k < mn_params_count(); ++k) {
        const mn_param_info *info = mn_params_info(k);
        double *v = mn_params_ref(p, info);
        double sigma = mn__param_log_sigma(info, c->parameter_spread);
        if (!(sigma > 0) || !(*v > 0))
            continue;
        mn_rng pr;
        mn_rng_init(&pr, mn_rng_hash((uint64_t)c->seed ^ 0x9e3779b97f4a7c15ull) + k, (uint64_t)i);
        /* Truncated to the literature range (widened to contain the calibrated value). */
        double lo = fmin(info->low, *v), hi = fmax(info->high, *v), centre = *v;
        for (int t = 0; t < MN__MAX_REDRAWS; ++t) {
            double x = centre * exp(sigma * mn_rng_normal(&pr));
            if (x >= lo && x <= hi) {
                *v = x;
                break;
            }
        }
    }
    sc->simulate.model = MN_MODEL_COLUMN;
    sc->simulate.resolution_um = c->resolution_um;
    sc->simulate.seed =
        (unsigned long)(mn_rng_hash((uint64_t)c->seed * 0x100000001b3ull + (uint64_t)i) >> 11);
    sc->output.images = false;
    return mn_scenario_validate(sc, err);
}

int mn_cohort_patient_posterior(const mn_scenario *base, const mn_params *p0,
                                const struct mn_posterior *post, long i, mn_scenario *sc,
                                mn_params *p, mn_error *err)
{
    int rc = mn_cohort_patient(base, p0, i, sc, p, err);
    if (rc || !post || !(base->cohort.parameter_spread > 0))
        return rc;
    mn_rng r;
    mn_rng_init(&r, mn_rng_hash((uint64_t)base->cohort.seed ^ MN__POSTERIOR_STREAM), (uint64_t)i);
    const int n = mn_posterior_draw_count(post);
    int d = (int)(mn_rng_uniform(&r) * n);
    return mn_posterior_apply(post, d < n ? d : n - 1, p, err);
}

void mn_cohort_sim_settings(const mn_scenario *sc, const double *days, int ndays,
                            mn_sim_settings *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->time_step_scale = sc->cohort.time_step_scale;
    if (sc->cohort.step_tolerance > 0) {
        /* Error-controlled steps: short while the healing cascade moves fast, days long in
         * remodelling (docs/cohort.md §Lean runs). */
        opt->step_tolerance = sc->cohort.step_tolerance;
        opt->max_step_h = MN__LEAN_MAX_STEP_H * sc->cohort.time_step_scale;
        opt->step_growth = MN__LEAN_STEP_GROWTH;
    }
    opt->sample_days = days;
    opt->sample_count = ndays;
    opt->no_surface = 1;
}

int mn_cohort_simulate_lean(const mn_scenario *sc, const mn_params *p, const double *days,
                            int ndays, mn_results **out, double *downtime_days, mn_error *err)
{
    if (!sc || !p || !days || !out)
        return mn_error_set(err, MN_EINVAL, "mn_cohort_simulate_lean: NULL argument");
    mn_sim_settings set;
    mn_cohort_sim_settings(sc, days, ndays, &set);
    mn_sim_downtime down = {.threshold = sc->cohort.erythema_visible};
    const mn_sim_observer obs = mn_sim_downtime_observer(&down);
    const int track = downtime_days && down.threshold > 0;
    int rc = mn_simulate_observed(sc, p, &set, &obs, track, NULL, out, err);
    if (downtime_days)
        *downtime_days = track ? down.days : 0.0;
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The days a lean run samples: the summary grid, sorted, without repeats. The erythema course
 * for the downtime is followed at every time step instead (mn_sim_downtime_observer):
 * the steps after a session are minutes to hours, finer than any sample grid, and landing on
 * extra sample days would only add steps. */
int mn__cohort_sample_days(const double *grid, int ngrid, double **out, int *nout, mn_error *err)
{
    double *d = malloc((size_t)(ngrid > 0 ? ngrid : 1) * sizeof *d);
    if (!d)
        return mn_error_set(err, MN_ENOMEM, "out of memory for sample days");
    for (int i = 0; i < ngrid; ++i)
        d[i] = grid[i];
    qsort(d, (size_t)ngrid, sizeof *d, cmp_double);
    int m = 0;
    for (int i = 0; i < ngrid; ++i)
        if (m == 0 || d[i] - d[m - 1] > 1e-9)
            d[m++] = d[i];
    *out = d;
    *nout = m;
    return MN_OK;
}

void mn__outcome_from(double grade0, double grade_final, double downtime, double pih,
                      mn_patient_outcome *out)
{
    out->grade0 = grade0;
    out->grade_final = grade_final;
    out->improvement = grade0 - grade_final;
    /* A clinician scores whole Lemperle grades: the continuous grade rounded half up. */
    out->responder = floor(grade0 + 0.5) - floor(grade_final + 0.5) >= 1.0;
    out->downtime_days = downtime;
    out->pih_risk = pih;
}

int mn_cohort_simulate_one(const mn_scenario *sc, const mn_params *p, mn_patient_outcome *out,
                           mn_error *err)
{
    if (!sc || !p || !out)
        return mn_error_set(err, MN_EINVAL, "mn_cohort_simulate_one: NULL argument");
    double end = mn_scenario_end_hour(sc) / 24.0;
    double days[2] = {0.0, end}, downtime = 0.0;
    mn_results *r = NULL;
    int rc = mn_cohort_simulate_lean(sc, p, days, end > 0 ? 2 : 1, &r, &downtime, err);
    if (!rc)
        mn__outcome_from(mn_results_baseline(r, MN_OBS_WRINKLE_GRADE),
                         mn_results_final(r, MN_OBS_WRINKLE_GRADE), downtime,
                         mn_results_final(r, MN_OBS_PIH_RISK), out);
    mn_results_free(&r);
    return rc;
}
