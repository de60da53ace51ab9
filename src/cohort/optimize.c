/* Protocol optimisation (`mnsim optimize`, docs/cohort.md): enumerate the discrete knobs
 * (sessions, passes, adjuncts), refine the continuous ones (needle length, interval) of the
 * best candidates with GSL's Nelder–Mead simplex (nmsimplex2) on a penalised objective, round
 * them to what a clinic can schedule and score the rounded plans again, and report the winner
 * beside the scenario's own protocol with paired uncertainty. Every plan is scored on the same
 * day after the first session and must leave as long after its last session as asked. */
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/device.h"
#include "mnsim/outcome.h"
#include "mnsim/patient.h"
#include "mnsim/progress.h"
#include "mnsim/sweep.h"

/* Candidates refined by the simplex, and the penalty weight (grades per unit of relative
 * constraint violation): large enough that no violation pays for itself in the ranges the
 * model produces (improvements ≤ ~2 grades). */
#define MN__REFINE 3
#define MN__PENALTY 4.0

static const int pass_choices[] = {2, 4, 6, 8};
static const unsigned adjunct_choices[] = {0u, MN_ADJUNCT_PRP, MN_ADJUNCT_GROWTH_FACTORS,
                                           MN_ADJUNCT_PRP | MN_ADJUNCT_VITAMIN_C};
#define N_PASSES (int)(sizeof pass_choices / sizeof pass_choices[0])
#define N_ADJ (int)(sizeof adjunct_choices / sizeof adjunct_choices[0])

void mn_optimize_spec_default(mn_optimize_spec *spec)
{
    *spec = (mn_optimize_spec){.patients = 24,
                               .horizon_weeks = 0, /* 0: the scenario's own end */
                               .max_sessions = 6,
                               .max_downtime_days = 7,
                               .max_pih = 0.05,
                               .needle_min_mm = 0.25,
                               .needle_max_mm = 2.5,
                               .interval_min_weeks = 2,
                               .interval_max_weeks = 8,
                               .max_iterations = 25,
                               .min_follow_up_weeks = 0, /* the scenario's own */
                               .needle_step_mm = 0.25,
                               .weight_downtime = 0,
                               .weight_pain = 0};
}

typedef struct problem {
    const mn_scenario *base;
    const mn_params *p;
    const mn_optimize_spec *spec;
    int sessions, passes;
    unsigned adjuncts;
    int evaluations;
    int failed;
    mn_error err;
    mn_progress *bar;
} problem;

static double squash(double u, double lo, double hi)
{
    return lo + (hi - lo) / (1.0 + exp(-u));
}

static double unsquash(double x, double lo, double hi)
{
    double t = (x - lo) / (hi - lo);
    t = fmin(fmax(t, 1e-3), 1 - 1e-3);
    return log(t / (1 - t));
}

static void apply(const problem *pr, double needle_mm, double interval_weeks, mn_scenario *sc)
{
    *sc = *pr->base;
    sc->treatment.sessions_listed = false;
    sc->treatment.session_count = pr->sessions;
    sc->treatment.interval_weeks = interval_weeks;
    sc->device.needle_length_mm = needle_mm;
    sc->device.passes = pr->passes;
    sc->treatment.adjuncts = pr->adjuncts;
}

/* Weeks from the last session of sc to the horizon. */
static double follow_up_left(const mn_scenario *sc, double horizon_weeks)
{
    return horizon_weeks - mn_scenario_session_hour(sc, sc->treatment.session_count - 1) / 168.0;
}

static double violation(const mn_protocol_stats *s, const mn_optimize_spec *spec,
                        const mn_scenario *sc)
{
    if (!s->feasible)
        return 1e3;
    const double follow = follow_up_left(sc, spec->horizon_weeks);
    return fmax(0, s->downtime_mean - spec->max_downtime_days) /
               fmax(spec->max_downtime_days, 0.1) +
           fmax(0, s->pih_mean - spec->max_pih) / fmax(spec->max_pih, 1e-3) +
           fmax(0, spec->min_follow_up_weeks - follow) / fmax(spec->min_follow_up_weeks, 1.0);
}

/* Session pain of a plan (every session the same protocol). */
static double plan_pain(const mn_params *p, const mn_scenario *sc)
{
    double worst = 0;
    for (int i = 0; i < sc->treatment.session_count; ++i)
        worst = fmax(worst, mn_outcome_pain_vas(p, sc, mn_scenario_session_needle_mm(sc, i),
                                                mn_scenario_session_passes(sc, i)));
    return worst;
}

int mn_optimize_site_needle_max(const mn_scenario *sc, const mn_params *p, double *mm,
                                mn_error *err)
{
    if (!sc || !p || !mm)
        return mn_error_set(err, MN_EINVAL, "mn_optimize_site_needle_max: NULL argument");
    mn_patient pt;
    int rc = mn_patient_init(&pt, sc, p, err);
    if (rc)
        return rc;
    double skin_um = 0;
    for (int l = MN_LAYER_STRATUM_CORNEUM; l <= MN_LAYER_RETICULAR; ++l)
        skin_um += pt.layer_um[l];
    /* Channel depth L·f(L) grows with L (f is a Hill function of L): bisection. */
    double lo = 0.05, hi = 5.0;
    for (int it = 0; it < 60; ++it) {
        double mid = 0.5 * (lo + hi);
        double depth_um = 1000.0 * mid * mn_device_penetration_fraction(sc->device.kind, mid, p);
        if (depth_um <= skin_um)
            lo = mid;
        else
            hi = mid;
    }
    *mm = lo;
    return MN_OK;
}

static double score(problem *pr, double needle_mm, double interval_weeks, mn_protocol_stats *st)
{
    mn_scenario sc;
    apply(pr, needle_mm, interval_weeks, &sc);
    mn_protocol_stats local;
    if (!st)
        st = &local;
    if (pr->failed)
        return 1e6;
    int rc = mn_protocol_evaluate(&sc, pr->p, pr->spec->patients, pr->spec->horizon_weeks, st, NULL,
                                  &pr->err);
    ++pr->evaluations;
    mn_progress_update(pr->bar, (double)pr->evaluations, "evaluations");
    if (rc) {
        pr->failed = 1;
        return 1e6;
    }
    const mn_optimize_spec *sp = pr->spec;
    return -st->improvement_mean + sp->weight_downtime * st->downtime_mean +
           sp->weight_pain * plan_pain(pr->p, &sc) + MN__PENALTY * violation(st, sp, &sc);
}

static double objective(const gsl_vector *u, void *params)
{
    problem *pr = params;
    const mn_optimize_spec *s = pr->spec;
    return score(pr, squash(gsl_vector_get(u, 0), s->needle_min_mm, s->needle_max_mm),
                 squash(gsl_vector_get(u, 1), s->interval_min_weeks, s->interval_max_weeks), NULL);
}

typedef struct candidate {
    int sessions, passes;
    unsigned adjuncts;
    double needle_mm, interval_weeks, value;
} candidate;

static int cmp_candidate(const void *a, const void *b)
{
    double x = ((const candidate *)a)->value, y = ((const candidate *)b)->value;
    return (x > y) - (x < y);
}

/* Nelder–Mead from the candidate's point; keeps the best point seen. */
static void refine(problem *pr, candidate *c)
{
    const mn_optimize_spec *s = pr->spec;
    const gsl_multimin_fminimizer_type *T = gsl_multimin_fminimizer_nmsimplex2;
    gsl_multimin_fminimizer *m = gsl_multimin_fminimizer_alloc(T, 2);
    gsl_vector *x = gsl_vector_alloc(2), *step = gsl_vector_alloc(2);
    if (!m || !x || !step) {
        pr->failed = 1;
        mn_error_set(&pr->err, MN_ENOMEM, "out of memory for the optimiser");
    } else {
        pr->sessions = c->sessions, pr->passes = c->passes, pr->adjuncts = c->adjuncts;
        gsl_vector_set(x, 0, unsquash(c->needle_mm, s->needle_min_mm, s->needle_max_mm));
        gsl_vector_set(x, 1,
                       unsquash(c->interval_weeks, s->interval_min_weeks, s->interval_max_weeks));
        gsl_vector_set_all(step, 0.8);
        gsl_multimin_function f = {.f = objective, .n = 2, .params = pr};
        gsl_multimin_fminimizer_set(m, &f, x, step);
        for (int it = 0; it < s->max_iterations && !pr->failed; ++it) {
            if (gsl_multimin_fminimizer_iterate(m))
                break;
            if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(m), 0.05) == GSL_SUCCESS)
                break;
        }
        if (m->fval < c->value) {
            c->value = m->fval;
            c->needle_mm = squash(gsl_vector_get(m->x, 0), s->needle_min_mm, s->needle_max_mm);
            c->interval_weeks =
                squash(gsl_vector_get(m->x, 1), s->interval_min_weeks, s->interval_max_weeks);
        }
    }
    gsl_vector_free(x);
    gsl_vector_free(step);
    gsl_multimin_fminimizer_free(m);
}

int mn_optimize_protocol(const mn_scenario *sc, const mn_params *p, const mn_optimize_spec *spec_in,
                         int progress, mn_optimize_result *out, mn_error *err)
{
    if (!sc || !p || !out)
        return mn_error_set(err, MN_EINVAL, "mn_optimize_protocol: NULL argument");
    memset(out, 0, sizeof *out);
    mn_optimize_spec spec = spec_in ? *spec_in : (mn_optimize_spec){0};
    if (!spec_in)
        mn_optimize_spec_default(&spec);
    if (spec.horizon_weeks <= 0)
        spec.horizon_weeks = mn_scenario_end_hour(sc) / 168.0;
    if (spec.patients < 2 || spec.max_sessions < 1 || spec.max_sessions > MN_MAX_SESSIONS ||
        !(spec.needle_min_mm >= 0.1 && spec.needle_max_mm <= 3.0 &&
          spec.needle_min_mm < spec.needle_max_mm) ||
        !(spec.interval_min_weeks >= 0.1 && spec.interval_min_weeks < spec.interval_max_weeks))
        return mn_error_set(err, MN_EINVAL,
                            "optimize: need >= 2 patients, 1 to %d sessions, needle bounds within "
                            "0.1-3 mm and interval bounds >= 0.1 weeks (low < high)",
                            MN_MAX_SESSIONS);
    if (!(spec.needle_step_mm > 0) || spec.weight_downtime < 0 || spec.weight_pain < 0 ||
        spec.min_follow_up_weeks < 0)
        return mn_error_set(err, MN_EINVAL,
                            "optimize: needle step > 0, weights and follow-up >= 0 required");
    if (spec.min_follow_up_weeks == 0)
        spec.min_follow_up_weeks = fmax(0.0, follow_up_left(sc, spec.horizon_weeks));
    double site_max = 0;
    int rc0 = mn_optimize_site_needle_max(sc, p, &site_max, err);
    if (rc0)
        return rc0;
    out->site_needle_max_mm = site_max;
    /* The deepest schedulable length within the site's skin. */
    spec.needle_max_mm =
        fmin(spec.needle_max_mm, spec.needle_step_mm * floor(site_max / spec.needle_step_mm));
    if (spec.needle_max_mm <= spec.needle_min_mm)
        return mn_error_set(err, MN_EINVAL,
                            "optimize: the deepest needle the site allows (%.2f mm) is not above "
                            "the shortest asked for (%.2f mm)",
                            spec.needle_max_mm, spec.needle_min_mm);
    problem pr = {.base = sc, .p = p, .spec = &spec};
    const int ncand = spec.max_sessions * N_PASSES * N_ADJ;
    candidate *cand = malloc((size_t)ncand * sizeof *cand);
    if (!cand)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    if (progress)
        pr.bar = mn_progress_start("mnsim optimize",
                                   ncand + MN__REFINE * (2.0 * spec.max_iterations + 3));
    /* Start of the continuous knobs: the scenario's own values, moved inside the bounds. */
    const double needle0 =
        fmin(fmax(sc->device.needle_length_mm, spec.needle_min_mm), spec.needle_max_mm);
    const double interval0 =
        fmin(fmax(sc->treatment.interval_weeks, spec.interval_min_weeks), spec.interval_max_weeks);
    int n = 0;
    for (int s = 1; s <= spec.max_sessions; ++s)
        for (int a = 0; a < N_PASSES; ++a)
            for (int j = 0; j < N_ADJ; ++j) {
                pr.sessions = s, pr.passes = pass_choices[a], pr.adjuncts = adjunct_choices[j];
                candidate *c = &cand[n++];
                *c = (candidate){s, pass_choices[a], adjunct_choices[j], needle0, interval0, 0};
                c->value = score(&pr, needle0, interval0, NULL);
            }
    qsort(cand, (size_t)n, sizeof *cand, cmp_candidate);
    for (int k = 0; k < MN__REFINE && k < n && !pr.failed; ++k)
        refine(&pr, &cand[k]);
    /* What a clinic can schedule: the refined points rounded to the needle step and to whole
     * weeks (both within the bounds), scored again. */
    for (int k = 0; k < MN__REFINE && k < n && !pr.failed; ++k) {
        candidate *c = &cand[k];
        c->needle_mm =
            fmin(fmax(spec.needle_step_mm * round(c->needle_mm / spec.needle_step_mm),
                      spec.needle_step_mm * ceil(spec.needle_min_mm / spec.needle_step_mm)),
                 spec.needle_max_mm);
        c->interval_weeks = fmin(fmax(round(c->interval_weeks), ceil(spec.interval_min_weeks)),
                                 floor(spec.interval_max_weeks));
        pr.sessions = c->sessions, pr.passes = c->passes, pr.adjuncts = c->adjuncts;
        c->value = score(&pr, c->needle_mm, c->interval_weeks, NULL);
    }
    qsort(cand, (size_t)(MN__REFINE < n ? MN__REFINE : n), sizeof *cand, cmp_candidate);
    mn_progress_finish(&pr.bar);
    if (pr.failed) {
        free(cand);
        if (err)
            *err = pr.err;
        return pr.err.code ? pr.err.code : MN_ENUMERIC;
    }
    /* Final scores of the winner and of the scenario's protocol on the same patients, paired. */
    double *gain = malloc((size_t)spec.patients * 2 * sizeof *gain);
    if (!gain) {
        free(cand);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    double *base_v = gain + spec.patients;
    pr.sessions = cand[0].sessions, pr.passes = cand[0].passes, pr.adjuncts = cand[0].adjuncts;
    apply(&pr, cand[0].needle_mm, cand[0].interval_weeks, &out->best);
    int rc = mn_protocol_evaluate(&out->best, p, spec.patients, spec.horizon_weeks,
                                  &out->best_stats, gain, err);
    if (!rc)
        rc = mn_protocol_evaluate(sc, p, spec.patients, spec.horizon_weeks, &out->base_stats,
                                  base_v, err);
    if (!rc) {
        /* Keep the scenario's follow-up consistent with the horizon in the reported best. */
        double last = mn_scenario_session_hour(&out->best, out->best.treatment.session_count - 1);
        out->best.simulate.follow_up_weeks = spec.horizon_weeks - last / 168.0;
        out->found =
            out->best_stats.feasible && violation(&out->best_stats, &spec, &out->best) == 0;
        out->best_pain_vas = plan_pain(p, &out->best);
        out->base_pain_vas = plan_pain(p, sc);
        if (out->base_stats.feasible) {
            for (int i = 0; i < spec.patients; ++i)
                gain[i] -= base_v[i];
            out->gain_mean = gsl_stats_mean(gain, 1, (size_t)spec.patients);
            out->gain_ci95 = 1.959963984540054 * gsl_stats_sd(gain, 1, (size_t)spec.patients) /
                             sqrt(spec.patients);
        }
        out->evaluations = pr.evaluations + 2;
        out->min_follow_up_weeks = spec.min_follow_up_weeks;
    }
    free(gain);
    free(cand);
    return rc;
}
