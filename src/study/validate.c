/* `mnsim validate`: every study's arms simulated, every endpoint read off the courses and
 * judged against the published value (docs/validation.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/device.h"
#include "mnsim/jobs.h"
#include "mnsim/simulate.h"
#include "study/study_impl.h"

/* One simulated arm (mn_jobs_run). */
struct run_jobs {
    mn_validation *v;
    const mn_params *p;
};

static int run_one_job(void *user, long j, mn_error *err)
{
    struct run_jobs *ctx = user;
    run_job *job = &ctx->v->jobs[j];
    const mn_study *st = job->study;
    double extra[2 * MN_STUDY_MAX_ENDPOINTS];
    int n = 0;
    for (int k = 0; k < st->endpoint_count; ++k) {
        extra[n++] = st->endpoints[k].day;
        extra[n++] = st->endpoints[k].from_day;
    }
    mn_error_clear(&job->err);
    job->rc = mn__study_simulate(&st->arms[job->arm].scenario, ctx->p, extra, n, &job->results,
                                 &job->err);
    return job->rc ? mn_error_set(err, job->rc, "%s (arm %s): %s", st->path,
                                  st->arms[job->arm].name, job->err.message)
                   : MN_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int mn__study_simulate(const mn_scenario *sc, const mn_params *p, const double *extra_days,
                       int extra_count, mn_results **out, mn_error *err)
{
    const double end_day = mn_scenario_end_hour(sc) / 24.0;
    const int nsess = sc->treatment.session_count;
    /* Daily samples, hourly ones over the acute phase after each session (erythema and
     * barrier recovery are read to the hour), and the endpoint days themselves. */
    size_t cap = (size_t)floor(end_day) + 2 + (size_t)nsess * 8 * 24 + (size_t)extra_count + 1;
    double *days = malloc(cap * sizeof *days);
    if (!days)
        return mn_error_set(err, MN_ENOMEM, "out of memory for sample days");
    size_t n = 0;
    for (double d = 0; d <= end_day + 1e-9; d += 1.0)
        days[n++] = d;
    for (int s = 0; s < nsess; ++s) {
        double d0 = mn_scenario_session_hour(sc, s) / 24.0;
        for (int h = 1; h < 8 * 24; ++h)
            if (h % 24 && d0 + h / 24.0 <= end_day)
                days[n++] = d0 + h / 24.0;
    }
    for (int i = 0; i < extra_count; ++i)
        if (extra_days[i] >= 0 && extra_days[i] <= end_day)
            days[n++] = extra_days[i];
    days[n++] = end_day;
    qsort(days, n, sizeof *days, cmp_double);
    size_t m = 0;
    for (size_t i = 0; i < n; ++i)
        if (m == 0 || days[i] - days[m - 1] > 1e-6)
            days[m++] = days[i];
    days[m - 1] = end_day; /* the last one exactly at the end */
    mn_sim_settings opt = {.time_step_scale = 1.0, .sample_days = days, .sample_count = (int)m};
    int rc = mn_simulate(sc, p, &opt, out, err);
    free(days);
    return rc;
}

double mn_results_at_day(const mn_results *r, int obs, double day)
{
    int n = mn_results_count(r);
    if (n <= 0)
        return NAN;
    if (day <= mn_results_day(r, 0))
        return mn_results_value(r, (mn_observable)obs, 0);
    for (int i = 1; i < n; ++i) {
        double d1 = mn_results_day(r, i);
        if (day <= d1) {
            double d0 = mn_results_day(r, i - 1);
            double v0 = mn_results_value(r, (mn_observable)obs, i - 1);
            double v1 = mn_results_value(r, (mn_observable)obs, i);
            double t = d1 > d0 ? (day - d0) / (d1 - d0) : 1.0;
            return v0 + t * (v1 - v0);
        }
    }
    /* A day minutes past the end (rounded week fractions in a scenario) reads the last sample. */
    return day - mn_results_day(r, n - 1) < 0.01 ? mn_results_value(r, (mn_observable)obs, n - 1)
                                                 : NAN;
}

/* Index of the sample at or after from_day that departs most from the baseline. */
static int peak_index(const mn_results *r, int obs, double from_day)
{
    double b = mn_results_baseline(r, (mn_observable)obs);
    int best = -1;
    for (int i = 0; i < mn_results_count(r); ++i) {
        if (mn_results_day(r, i) < from_day - 1e-9)
            continue;
        double v = fabs(mn_results_value(r, (mn_observable)obs, i) - b);
        if (best < 0 || v > fabs(mn_results_value(r, (mn_observable)obs, best) - b))
            best = i;
    }
    return best;
}

/* First day after the peak where |excess| falls to `level`, interpolated between samples. */
static double crossing_day(const mn_results *r, int obs, int from, double level)
{
    double b = mn_results_baseline(r, (mn_observable)obs);
    double prev = fabs(mn_results_value(r, (mn_observable)obs, from) - b);
    if (prev <= level)
        return mn_results_day(r, from);
    for (int i = from + 1; i < mn_results_count(r); ++i) {
        double e = fabs(mn_results_value(r, (mn_observable)obs, i) - b);
        if (e <= level) {
            double d0 = mn_results_day(r, i - 1), d1 = mn_results_day(r, i);
            return d0 + (prev - level) / (prev - e) * (d1 - d0);
        }
        prev = e;
    }
    return NAN; /* not within the follow-up */
}

static double device_quantity(const mn_endpoint *ep, const mn_scenario *sc, const mn_params *p)
{
    mn_injury inj;
    mn_error err;
    if (mn_device_injury(&sc->device, mn_scenario_session_needle_mm(sc, 0),
                         mn_scenario_session_passes(sc, 0), p, &inj, &err))
        return NAN;
    if (!strcmp(ep->observable, "penetration_um"))
        return inj.penetration_um;
    if (!strcmp(ep->observable, "penetration_fraction"))
        return inj.penetration_um / inj.nominal_um;
    if (!strcmp(ep->observable, "channel_diameter_um"))
        return 2.0 * inj.channel_radius_um;
    return inj.density_per_mm2 * 100.0;
}

static double measure_arm(const mn_endpoint *ep, const mn_results *r, const mn_scenario *sc,
                          const mn_params *p)
{
    if (ep->measure == MN_STUDY_MEASURE_DEVICE)
        return device_quantity(ep, sc, p);
    if (!r)
        return NAN;
    const mn_observable o = (mn_observable)ep->obs;
    const double b = mn_results_baseline(r, o);
    switch (ep->measure) {
    case MN_STUDY_MEASURE_BASELINE:
        return b;
    case MN_STUDY_MEASURE_VALUE:
        return mn_results_at_day(r, o, ep->day);
    case MN_STUDY_MEASURE_CHANGE:
        return mn_results_at_day(r, o, ep->day) - b;
    case MN_STUDY_MEASURE_CHANGE_PCT:
        return b != 0 ? 100.0 * (mn_results_at_day(r, o, ep->day) / b - 1.0) : NAN;
    case MN_STUDY_MEASURE_DELTA:
        return mn_results_at_day(r, o, ep->day) - mn_results_at_day(r, o, ep->from_day);
    case MN_STUDY_MEASURE_PEAK:
    case MN_STUDY_MEASURE_PEAK_DAY: {
        int i = peak_index(r, o, ep->from_day);
        if (i < 0)
            return NAN;
        return ep->measure == MN_STUDY_MEASURE_PEAK ? mn_results_value(r, o, i) : mn_results_day(r, i);
    }
    case MN_STUDY_MEASURE_RECOVERY_DAY:
    case MN_STUDY_MEASURE_HALF_LIFE: {
        int i = peak_index(r, o, ep->from_day);
        if (i < 0)
            return NAN;
        double excess = fabs(mn_results_value(r, o, i) - b);
        if (ep->measure == MN_STUDY_MEASURE_RECOVERY_DAY)
            return crossing_day(r, o, i,
                                ep->threshold_of_peak > 0 ? ep->threshold_of_peak * excess
                                                          : ep->threshold) -
                   ep->from_day;
        return crossing_day(r, o, i, 0.5 * excess) - mn_results_day(r, i);
    }
    default:
        return NAN;
    }
}

static int selected(const mn_validate_options *opt, const char *id)
{
    if (!opt || !opt->only)
        return 1;
    for (int i = 0; i < opt->only_count; ++i)
        if (!strcmp(opt->only[i], id))
            return 1;
    return 0;
}

static run_job *find_job(mn_validation *v, const mn_study *st, int arm)
{
    for (int i = 0; i < v->job_count; ++i)
        if (v->jobs[i].study == st && v->jobs[i].arm == arm)
            return &v->jobs[i];
    return NULL;
}

static int add_job(mn_validation *v, int *cap, const mn_study *st, int arm)
{
    if (find_job(v, st, arm))
        return MN_OK;
    if (v->job_count == *cap) {
        int ncap = *cap ? 2 * *cap : 16;
        run_job *grown = realloc(v->jobs, (size_t)ncap * sizeof *grown);
        if (!grown)
            return MN_ENOMEM;
        v->jobs = grown;
        *cap = ncap;
    }
    memset(&v->jobs[v->job_count], 0, sizeof v->jobs[0]);
    v->jobs[v->job_count].study = st;
    v->jobs[v->job_count].arm = arm;
    v->job_count++;
    return MN_OK;
}

void mn_validation_free(mn_validation **v)
{
    if (!v || !*v)
        return;
    for (int i = 0; i < (*v)->job_count; ++i)
        mn_results_free(&(*v)->jobs[i].results);
    free((*v)->jobs);
    free((*v)->rows);
    free(*v);
    *v = NULL;
}

int mn_validate(const mn_study_set *set, const mn_params *p, const mn_validate_options *opt,
                mn_validation **out, mn_error *err)
{
    if (!set || !p || !out)
        return mn_error_set(err, MN_EINVAL, "mn_validate: NULL argument");
    *out = NULL;
    for (int i = 0; opt && opt->only && i < opt->only_count; ++i)
        if (!mn_study_set_find(set, opt->only[i], NULL))
            return mn_error_set(err, MN_EINVAL, "%s: no such endpoint in the studies",
                                opt->only[i]);
    mn_validation *v = calloc(1, sizeof *v);
    int total = 0, cap = 0;
    for (int s = 0; s < set->count; ++s)
        total += set->studies[s]->endpoint_count;
    if (v)
        v->rows = calloc((size_t)(total ? total : 1), sizeof *v->rows);
    if (!v || !v->rows) {
        mn_validation_free(&v);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    /* The runs the selected endpoints need. */
    for (int s = 0; s < set->count; ++s) {
        const mn_study *st = set->studies[s];
        for (int k = 0; k < st->endpoint_count; ++k) {
            const mn_endpoint *ep = &st->endpoints[k];
            if (!selected(opt, ep->id) || ep->measure == MN_STUDY_MEASURE_DEVICE)
                continue;
            if (add_job(v, &cap, st, ep->arm) ||
                (ep->versus >= 0 && add_job(v, &cap, st, ep->versus))) {
                mn_validation_free(&v);
                return mn_error_set(err, MN_ENOMEM, "out of memory");
            }
        }
    }
    struct run_jobs ctx = {.v = v, .p = p};
    int rc = mn_jobs_run(v->job_count, opt ? opt->threads : 0, 1, run_one_job, &ctx, err);
    if (rc) {
        mn_validation_free(&v);
        return rc;
    }
    for (int s = 0; s < set->count; ++s) {
        const mn_study *st = set->studies[s];
        for (int k = 0; k < st->endpoint_count; ++k) {
            const mn_endpoint *ep = &st->endpoints[k];
            if (!selected(opt, ep->id))
                continue;
            run_job *a = find_job(v, st, ep->arm);
            double sim = measure_arm(ep, a ? a->results : NULL, &st->arms[ep->arm].scenario, p);
            if (ep->versus >= 0) {
                run_job *b = find_job(v, st, ep->versus);
                double ref =
                    measure_arm(ep, b ? b->results : NULL, &st->arms[ep->versus].scenario, p);
                sim = ep->compare == MN_COMPARE_RATIO_PCT
                          ? (ref != 0 ? 100.0 * (sim / ref - 1.0) : NAN)
                          : sim - ref;
            }
            sim /= ep->per;
            mn_validation_row *row = &v->rows[v->count++];
            row->study = st;
            row->endpoint = ep;
            row->simulated = sim;
            row->residual = mn_endpoint_residual(ep, sim);
            row->pass = mn_endpoint_passes(ep, sim);
        }
    }
    *out = v;
    return MN_OK;
}

int mn_validation_count(const mn_validation *v)
{
    return v ? v->count : 0;
}

const mn_validation_row *mn_validation_row_at(const mn_validation *v, int i)
{
    return (v && i >= 0 && i < v->count) ? &v->rows[i] : NULL;
}

const mn_results *mn_validation_results(const mn_validation *v, const mn_study *study, int arm)
{
    for (int i = 0; v && i < v->job_count; ++i)
        if (v->jobs[i].study == study && v->jobs[i].arm == arm)
            return v->jobs[i].results;
    return NULL;
}

int mn_validation_failures(const mn_validation *v)
{
    int n = 0;
    for (int i = 0; v && i < v->count; ++i)
        n += v->rows[i].endpoint->role == MN_ROLE_CALIBRATE && !v->rows[i].pass;
    return n;
}
