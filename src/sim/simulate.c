/* The time stepper: sessions, adjunct contact windows and output samples are events that the
 * steps land on exactly; between events the step grows geometrically from seconds (after a
 * puncture) to hours (remodelling). docs/model.md §Numerics. */
#include "mnsim/simulate.h"

#include <math.h>
#include <stdlib.h>

#include "mnsim/device.h"
#include "mnsim/io.h"
#include "mnsim/model.h"
#include "mnsim/patch3d.h"
#include "mnsim/patient.h"
#include "mnsim/progress.h"
#include "mnsim/render.h"
#include "mnsim/surface.h"
#include "mnsim/tissue.h"
#include "sim/sim_hooks.h"

/* Step after an event, growth factor per step and the largest step (hours). The first step
 * resolves clot release (t½ ~3 h) and channel closure with ≥ 100 steps per half-life. */
#define MN_DT_MIN_H 0.01
#define MN_DT_GROWTH 1.2
#define MN_DT_MAX_H 2.0
#define MN_HOURS_PER_YEAR 8766.0
/* The 3-D patch runs the kinetics in ~10^6 voxels a step, so its step grows faster after a
 * session and reaches a day in remodelling (MPRK22 stays positive for any step; the error
 * this costs is measured in docs/3d.md §Time steps). */
#define MN_DT_MAX_3D_H 24.0
#define MN_DT_GROWTH_3D 1.5

/* The step after one of length h (the schedule's step was dt): the geometric schedule, or with
 * a tolerance the elementary controller of an embedded pair of orders 2 and 1 (the error
 * estimate scales as h²): h·0.9·(tol/err)^{1/2}, within [h/5, dt·growth]. Steps are not
 * rejected: they start small after every event and grow by at most `growth` a step, so an
 * error above the tolerance shrinks the next step instead (Hairer, Nørsett & Wanner, Solving
 * ODEs I, §II.4). */
static double next_step(const mn_model *m, const mn_run_options *opt, double dt, double h,
                        double growth, double dt_max)
{
    double next = dt * growth;
    if (opt && opt->step_tolerance > 0) {
        double e = mn_model_step_error(m);
        if (!isnan(e)) { /* the model has an estimate */
            double ctrl = e > 0 ? h * 0.9 * sqrt(opt->step_tolerance / e) : next;
            next = fmax(fmin(ctrl, next), 0.2 * h);
        }
    }
    return fmin(next, dt_max);
}

/* Drivers at time t (hours since the first session). `baseline` gives the habitual state the
 * patient's skin is in equilibrium with before treatment starts (no retinoid). */
static void drivers_at(const mn_scenario *sc, const mn_patient *pt, const mn_params *p, double t,
                       int baseline, mn_drivers *d)
{
    const double age0 = sc->patient.age_years;
    const double uv = pt->uv_med_per_day;
    const int retinoid = sc->aftercare.retinoid && !baseline;
    const unsigned adj = sc->treatment.adjuncts;
    double age_rel = mn_patient_capacity_at_age(p, age0 + t / MN_HOURS_PER_YEAR) /
                     mn_patient_capacity_at_age(p, age0);
    /* Cumulative photodamage: capacity lost per MED of dose since day 0. */
    double photo = fmax(0.0, 1.0 - p->uv_capacity_loss_per_med * uv * t / 24.0);
    double retin = retinoid ? 1.0 + p->retinoid_synthesis : 1.0;
    d->capacity_rel = baseline ? 1.0 : age_rel * photo * retin;
    /* Acute UV suppresses procollagen synthesis (Fisher 2000). */
    d->capacity_induced = pt->capacity / (1.0 + p->uv_synthesis_suppression * uv) * d->capacity_rel;
    d->uv_med_per_day = uv;
    d->uv_mmp_factor = retinoid ? 1.0 - p->retinoid_mmp_block : 1.0;
    d->gf_potency = ((adj & MN_ADJUNCT_PRP) ? p->prp_gf_potency : 0.0) +
                    ((adj & MN_ADJUNCT_GROWTH_FACTORS) ? p->serum_gf_potency : 0.0);
    d->vitamin_c_boost = (adj & MN_ADJUNCT_VITAMIN_C) ? p->vitamin_c_boost : 0.0;
    d->hydration = (adj & MN_ADJUNCT_HYALURONIC_ACID) ? p->hyaluronic_hydration : 0.0;
}

typedef struct run_state {
    mn_patient patient;
    mn_tissue *tissue;
    mn_model *model;
    double *buffer; /* profiles: MN_SP_COUNT × nz */
    mn_profiles prof;
    mn_outcome_ctx outcome;
    mn_results *results;
    mn_progress *progress;
    mn_surface *surface; /* height map (surface.h), handed to the results */
} run_state;

static void run_free(run_state *s)
{
    mn_model_free(&s->model);
    mn_tissue_free(&s->tissue);
    free(s->buffer);
    mn_results_free(&s->results);
    mn_surface_free(&s->surface);
    mn_progress_finish(&s->progress);
}

/* Hour of output sample i: the caller's list (lean runs) or the output.every_days grid. */
static double sample_hour(const mn_run_options *opt, int i, double step_h)
{
    return (opt && opt->sample_days) ? opt->sample_days[i] * 24.0 : i * step_h;
}

static void read_profiles(run_state *s)
{
    for (int k = 0; k < MN_SP_COUNT; ++k)
        mn_model_profile(s->model, (mn_species)k, (double *)s->prof.species[k]);
}

int mn_simulate(const mn_scenario *sc, const mn_params *p, const mn_run_options *opt,
                mn_results **out, mn_error *err)
{
    if (!sc || !p || !out)
        return mn_error_set(err, MN_EINVAL, "mn_simulate: NULL argument");
    *out = NULL;
    int rc = mn_scenario_validate(sc, err);
    if (rc)
        return rc;
    const double scale = (opt && opt->time_step_scale > 0) ? opt->time_step_scale : 1.0;
    run_state s = {0};
    rc = mn_patient_init(&s.patient, sc, p, err);
    mn_drivers d;
    drivers_at(sc, &s.patient, p, 0.0, 1, &d);
    if (!rc)
        rc = mn_tissue_create(&s.patient, p, &d, sc->simulate.resolution_um, &s.tissue, err);
    if (!rc)
        rc = mn_model_create(sc, s.tissue, p, &s.model, err);
    const int nsess = sc->treatment.session_count;
    mn_injury injury[MN_MAX_SESSIONS];
    for (int i = 0; !rc && i < nsess; ++i)
        rc = mn_device_injury(&sc->device, mn_scenario_session_needle_mm(sc, i),
                              mn_scenario_session_passes(sc, i), p, &injury[i], err);
    const double end_h = mn_scenario_end_hour(sc);
    const double step_h = sc->output.every_days * 24.0;
    const int nsamples =
        (opt && opt->sample_days) ? opt->sample_count : (int)floor(end_h / step_h + 1e-9) + 1;
    for (int i = 0; !rc && opt && opt->sample_days && i < nsamples; ++i)
        if (!(opt->sample_days[i] >= (i ? opt->sample_days[i - 1] : 0.0)) ||
            opt->sample_days[i] * 24.0 > end_h + 1e-6)
            rc = mn_error_set(err, MN_EINVAL,
                              "mn_simulate: sample day %d (%g) is not ascending within 0 to %g", i,
                              opt->sample_days[i], end_h / 24.0);
    if (!rc && nsamples < 1)
        rc = mn_error_set(err, MN_EINVAL, "mn_simulate: no output samples");
    if (!rc)
        rc = mn_results_create(nsamples, &s.results, err);
    if (rc) {
        run_free(&s);
        return rc;
    }
    const int nz = mn_tissue_nz(s.tissue);
    s.buffer = malloc((size_t)nz * MN_SP_COUNT * sizeof(double));
    if (!s.buffer) {
        run_free(&s);
        return mn_error_set(err, MN_ENOMEM, "out of memory for profiles");
    }
    for (int k = 0; k < MN_SP_COUNT; ++k)
        s.prof.species[k] = s.buffer + (size_t)k * nz;
    read_profiles(&s);
    mn_outcome_init(&s.outcome, s.tissue, &s.patient, p, sc, &s.prof);
    if (!(opt && opt->no_surface)) {
        rc = mn_surface_create(sc, &s.patient, p, NULL, &s.surface, err);
        if (!rc)
            rc = mn_surface_reserve(s.surface, nsamples, err);
        if (rc) {
            run_free(&s);
            return rc;
        }
        mn_surface_set_baseline(s.surface, &s.outcome.dermal0);
    }
    s.outcome.surface = s.surface;
    double obs[MN_OBS_COUNT];
    mn_outcome_compute(&s.outcome, &s.prof, 0.0, obs, NULL);
    mn_results_set_baseline(s.results, obs);
    if (opt && opt->show_progress)
        s.progress = mn_progress_start("mnsim run", end_h / 24.0);

    const int has_topical = sc->treatment.adjuncts != 0;
    const double contact_h = p->topical_contact_h;
    const double eps = 1e-9;
    const double dt_max_h =
        (opt && opt->max_step_h > 0)
            ? opt->max_step_h
            : (mn_model_impl(s.model, &mn_patch3d_ops) ? MN_DT_MAX_3D_H : MN_DT_MAX_H) * scale;
    const double dt_growth =
        (opt && opt->step_growth > 1)
            ? opt->step_growth
            : (mn_model_impl(s.model, &mn_patch3d_ops) ? MN_DT_GROWTH_3D : MN_DT_GROWTH);
    double t = 0.0, dt = MN_DT_MIN_H * scale, pain = 0.0, topical_until = -1.0;
    int next_session = 0, next_sample = 0;
    /* Pictures, snapshots, checkpoints and resume (checkpoint.c). */
    mn__sim_hooks hooks = {.opt = opt,
                           .sc = sc,
                           .p = p,
                           .model = s.model,
                           .results = s.results,
                           .surface = s.surface,
                           .outcome = &s.outcome,
                           .prof = &s.prof,
                           .t = &t,
                           .dt = &dt,
                           .pain = &pain,
                           .topical_until = &topical_until,
                           .next_session = &next_session,
                           .next_sample = &next_sample};
    /* Downtime from the erythema at the end of every step (lean runs). */
    double *downtime = (opt && opt->downtime_threshold > 0) ? opt->downtime_days : NULL;
    double erythema = 0.0;
    if (downtime && opt->resume) {
        run_free(&s);
        return mn_error_set(err, MN_EINVAL,
                            "mn_simulate: downtime_days is not kept in checkpoints");
    }
    if (downtime) {
        *downtime = 0.0;
        erythema = mn_outcome_erythema(&s.outcome, s.prof.species[MN_SP_VESSEL]);
    }
    rc = mn__sim_hooks_start(&hooks, nsamples, err);
    if (!rc && opt && opt->resume)
        mn_progress_update(s.progress, t / 24.0, "days");
    while (!rc) {
        if (next_session < nsess && t >= mn_scenario_session_hour(sc, next_session) - eps) {
            rc = mn_model_injure(s.model, &injury[next_session], next_session, err);
            mn_results_add_session(s.results, t / 24.0);
            pain =
                fmax(pain, mn_outcome_pain_vas(sc, mn_scenario_session_needle_mm(sc, next_session),
                                               mn_scenario_session_passes(sc, next_session)));
            if (has_topical)
                topical_until = t + contact_h;
            dt = (opt && opt->fixed_step_h > 0) ? opt->fixed_step_h : MN_DT_MIN_H * scale;
            ++next_session;
            continue;
        }
        if (next_sample < nsamples && t >= sample_hour(opt, next_sample, step_h) - eps) {
            read_profiles(&s);
            mn_dermal_state ds;
            mn_outcome_compute(&s.outcome, &s.prof, pain, obs, &ds);
            const double day = sample_hour(opt, next_sample, step_h) / 24.0;
            rc = mn_results_add(s.results, day, obs);
            if (!rc && s.surface)
                rc = mn_surface_record(s.surface, day, &ds, err);
            pain = 0.0;
            ++next_sample;
            mn_progress_update(s.progress, t / 24.0, "days");
            if (!rc)
                rc = mn__sim_hooks_sample(&hooks, day, err);
            continue;
        }
        if (t >= end_h - eps)
            break;
        double target = end_h;
        if (next_session < nsess)
            target = fmin(target, mn_scenario_session_hour(sc, next_session));
        if (next_sample < nsamples)
            target = fmin(target, sample_hour(opt, next_sample, step_h));
        if (topical_until > t)
            target = fmin(target, topical_until);
        double h = fmin(dt, target - t);
        /* Land exactly on the event rather than leave a sliver step behind it. */
        if (target - (t + h) < 1e-6)
            h = target - t;
        drivers_at(sc, &s.patient, p, t + 0.5 * h, 0, &d);
        rc = mn_model_advance(s.model, h, &d, t < topical_until, err);
        if (opt && opt->steps_taken)
            ++*opt->steps_taken;
        if (rc)
            break;
        mn_model_profile(s.model, MN_SP_NEUTROPHIL, (double *)s.prof.species[MN_SP_NEUTROPHIL]);
        mn_outcome_accumulate(&s.outcome, s.prof.species[MN_SP_NEUTROPHIL], h);
        if (downtime) {
            mn_model_profile(s.model, MN_SP_VESSEL, (double *)s.prof.species[MN_SP_VESSEL]);
            double e = mn_outcome_erythema(&s.outcome, s.prof.species[MN_SP_VESSEL]);
            *downtime += mn_outcome_time_above(erythema, e, h / 24.0, opt->downtime_threshold);
            erythema = e;
        }
        t = (fabs(t + h - target) < 1e-9) ? target : t + h;
        dt = next_step(s.model, opt, dt, h, dt_growth, dt_max_h);
        if (opt && opt->fixed_step_h > 0)
            dt = opt->fixed_step_h;
    }
    if (!rc)
        rc = mn__sim_hooks_finish(&hooks, nsess ? &injury[nsess - 1] : NULL, err);
    mn__sim_hooks_free(&hooks);
    if (rc) {
        run_free(&s);
        return rc;
    }
    mn_results_attach_surface(s.results, s.surface);
    s.surface = NULL;
    *out = s.results;
    s.results = NULL;
    run_free(&s);
    return MN_OK;
}

int mn_simulate_write(const mn_results *r, const mn_scenario *sc, const char *dir, mn_error *err)
{
    if (!r || !sc || !dir)
        return mn_error_set(err, MN_EINVAL, "mn_simulate_write: NULL argument");
    int rc = mn_mkdir_p(dir, err);
    if (!rc)
        rc = mn_results_write_json(r, sc, dir, err);
    if (!rc)
        rc = mn_results_write_csv(r, dir, err);
    if (!rc && sc->output.images)
        rc = mn_results_write_svg(r, sc, dir, err);
    /* Surface pictures, height maps and the HTML report (render.h). */
    if (!rc && sc->output.images)
        rc = mn_render_write_images(r, sc, dir, err);
    if (!rc && sc->output.images)
        rc = mn_report_write_html(r, sc, dir, err);
    return rc;
}
