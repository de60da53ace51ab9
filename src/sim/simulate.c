/* The time stepper: sessions, adjunct contact windows and output samples are events that the
 * steps land on exactly; between events the step grows geometrically from seconds (after a
 * puncture) to the model's largest step (remodelling), at the model's growth rate
 * (mn_model_step_policy). docs/model.md §Numerics. Everything else a run does is an observer
 * (simulate.h). */
#include "mnsim/simulate.h"

#include <math.h>
#include <stdlib.h>

#include "mnsim/device.h"
#include "sim/sim_impl.h"

/* Step after an event (hours): the first step resolves clot release (t½ ~3 h) and channel
 * closure with ≥ 100 steps per half-life. */
#define MN_DT_MIN_H 0.01
#define MN_HOURS_PER_YEAR 8766.0

/* The step after one of length h (the schedule's step was dt): the geometric schedule, or with
 * a tolerance the elementary controller of an embedded pair of orders 2 and 1 (the error
 * estimate scales as h²): h·0.9·(tol/err)^{1/2}, within [h/5, dt·growth]. Steps are not
 * rejected: they start small after every event and grow by at most `growth` a step, so an
 * error above the tolerance shrinks the next step instead (Hairer, Nørsett & Wanner, Solving
 * ODEs I, §II.4). */
static double next_step(const mn_model *m, const mn_sim_settings *set, double dt, double h,
                        double growth, double dt_max)
{
    double next = dt * growth;
    if (set->step_tolerance > 0) {
        double e = mn_model_step_error(m);
        if (!isnan(e)) { /* the model has an estimate */
            double ctrl = e > 0 ? h * 0.9 * sqrt(set->step_tolerance / e) : next;
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
    /* Before the course the skin is in equilibrium with the patient's habitual sun; from the
     * first session on it gets the aftercare's. */
    const double uv = baseline ? pt->uv_habitual_med_per_day : pt->uv_med_per_day;
    const int retinoid = sc->aftercare.retinoid && !baseline;
    const unsigned adj = sc->treatment.adjuncts;
    double age_rel = mn_patient_capacity_at_age(p, age0 + t / MN_HOURS_PER_YEAR) /
                     mn_patient_capacity_at_age(p, age0);
    /* Cumulative photodamage: capacity lost per MED of dose since day 0. */
    double photo = fmax(0.0, 1.0 - p->uv_capacity_loss_per_med * uv * t / 24.0);
    double retin = retinoid ? 1.0 + p->retinoid_synthesis : 1.0;
    d->capacity_rel = baseline ? 1.0 : age_rel * photo * retin;
    /* Injury-induced synthesis: acute UV suppresses procollagen (Fisher 2000) and smokers'
     * wounds deposit less collagen (Jorgensen 1998). A retinoid is skincare: it raises the
     * basal synthesis (capacity_rel, Griffiths 1993) whether or not the skin is needled, and
     * does not multiply the procedure's own response. */
    const double smoke = sc->patient.smoker ? p->smoker_wound_synthesis : 1.0;
    d->capacity_induced = pt->capacity / (1.0 + p->uv_synthesis_suppression * uv) *
                          (baseline ? 1.0 : age_rel * photo * smoke);
    d->uv_med_per_day = uv;
    d->uv_mmp_factor = retinoid ? 1.0 - p->retinoid_mmp_block : 1.0;
    d->gf_potency = ((adj & MN_ADJUNCT_PRP) ? p->prp_gf_potency : 0.0) +
                    ((adj & MN_ADJUNCT_GROWTH_FACTORS) ? p->serum_gf_potency : 0.0);
    d->vitamin_c_boost = (adj & MN_ADJUNCT_VITAMIN_C) ? p->vitamin_c_boost : 0.0;
    d->hydration = (adj & MN_ADJUNCT_HYALURONIC_ACID) ? p->hyaluronic_hydration : 0.0;
}

static void sim_free(mn_sim *s)
{
    mn_model_free(&s->model);
    mn_kinetics_envs_free(&s->envs);
    mn_tissue_free(&s->tissue);
    free(s->buffer);
    free(s->dermal);
    mn_results_free(&s->results);
    mn_surface_free(&s->surface);
}

/* Hour of output sample i: the caller's list (lean runs) or the output.every_days grid, whose
 * last sample is the end of follow-up even when the grid does not land on it. */
double mn__sim_sample_hour(const mn_sim *s, int i)
{
    if (s->set.sample_days)
        return s->set.sample_days[i] * 24.0;
    return (s->grid_end && i == s->nsamples - 1) ? s->end_h : i * s->step_h;
}

static void read_profiles(mn_sim *s)
{
    for (int k = 0; k < MN_SP_COUNT; ++k)
        mn_model_profile(s->model, (mn_species)k, (double *)s->prof.species[k]);
}

/* Observables now; with a height map its wrinkle depth and heights replace the representative
 * wrinkle's (surface.h). */
static void observe(mn_sim *s, double pain, double obs[MN_OBS_COUNT], mn_dermal_state *ds)
{
    mn_outcome_compute(&s->outcome, &s->prof, pain, obs, ds);
    if (s->surface) {
        mn_surface_metrics m;
        mn_surface_evaluate(s->surface, ds, &m);
        mn_outcome_set_surface(&s->outcome, m.wrinkle_depth_um, m.sa_um, m.sq_um, m.sz_um, obs);
    }
}

/* The fast observables at the end of a step: their extremes between samples (the true peak of
 * redness comes hours after a session, between daily samples), and the strongest redness of the
 * first day after the first session (day1.png). */
static void track_acute(mn_sim *s, double t_h)
{
    const int nz = mn_tissue_nz(s->tissue);
    double *vessel = s->scratch, *edema = vessel + nz, *pore = edema + nz;
    mn_model_profile(s->model, MN_SP_VESSEL, vessel);
    mn_model_profile(s->model, MN_SP_EDEMA, edema);
    mn_model_profile(s->model, MN_SP_PORE, pore);
    double ery, ede, tewl;
    mn_outcome_acute(&s->outcome, vessel, edema, pore, &ery, &ede, &tewl);
    const double day = t_h / 24.0;
    mn_results_track(s->results, MN_OBS_ERYTHEMA, day, ery);
    mn_results_track(s->results, MN_OBS_EDEMA_REL, day, ede);
    mn_results_track(s->results, MN_OBS_TEWL_REL, day, tewl);
    const double first_h = s->nsess > 0 ? mn_scenario_session_hour(s->sc, 0) : INFINITY;
    if (t_h > first_h && t_h <= first_h + 24.0 + 1e-9 && ery > s->day1_erythema) {
        s->day1_erythema = ery;
        mn_results_set_day1(s->results, ery, ede, day);
    }
}

/* A sample's observables must all be numbers: jansson drops non-finite reals from
 * results.json and the pictures cannot colour them, so a NaN or infinity stops the run here,
 * named, rather than vanish from the outputs. Sa/Sq/Sz are NaN by design without a height map
 * (lean runs, mn_sim_settings.no_surface). */
int mn__sim_check_obs(const mn_sim *s, const double obs[MN_OBS_COUNT], double day, mn_error *err)
{
    for (int o = 0; o < MN_OBS_COUNT; ++o) {
        if (!s->surface && (o == MN_OBS_SA_UM || o == MN_OBS_SQ_UM || o == MN_OBS_SZ_UM))
            continue;
        if (!isfinite(obs[o]))
            return mn_error_set(err, MN_ENUMERIC,
                                "observable %s is %s on day %g: the parameter set (defaults and "
                                "--params) of this scenario produced a non-finite value",
                                mn_observable_name((mn_observable)o),
                                isnan(obs[o]) ? "NaN" : "infinite", day);
    }
    return MN_OK;
}

/* Calls `what` of every observer (a macro: the callbacks differ in their arguments). */
#define NOTIFY(obs, n, what, ...)                                                                  \
    do {                                                                                           \
        for (int o_ = 0; !rc && o_ < (n); ++o_)                                                    \
            if ((obs)[o_].what)                                                                    \
                rc = (obs)[o_].what((obs)[o_].user, __VA_ARGS__);                                  \
    } while (0)

/* Everything up to the first step: patient, tissue, environments, model, injuries, samples,
 * profiles, outcome context, surface and baseline. */
static int sim_setup(mn_sim *s, mn_drivers *d, mn_error *err)
{
    const mn_scenario *sc = s->sc;
    const mn_params *p = s->p;
    int rc = mn_patient_init(&s->patient, sc, p, err);
    drivers_at(sc, &s->patient, p, 0.0, 1, d);
    if (!rc)
        rc = mn_tissue_create(&s->patient, sc->simulate.resolution_um, &s->tissue, err);
    if (!rc)
        rc = mn_kinetics_envs_create(s->tissue, &s->patient, p, d, &s->envs, err);
    if (!rc) {
        mn_model_setup ms = {.scenario = sc, .tissue = s->tissue, .envs = s->envs, .params = p};
        rc = mn_sim_model_create(&ms, &s->model, err);
    }
    s->nsess = sc->treatment.session_count;
    for (int i = 0; !rc && i < s->nsess; ++i)
        rc = mn_device_injury(&sc->device, mn_scenario_session_needle_mm(sc, i),
                              mn_scenario_session_passes(sc, i), p, &s->injury[i], err);
    s->end_h = mn_scenario_end_hour(sc);
    s->step_h = sc->output.every_days * 24.0;
    const mn_sim_settings *set = &s->set;
    if (set->sample_days) {
        s->nsamples = set->sample_count;
    } else {
        /* Every output.every_days from day 0, and the end of follow-up when the grid misses
         * it (every_days longer than the course, or not dividing it). */
        const int n = (int)floor(s->end_h / s->step_h + 1e-9) + 1;
        s->grid_end = s->end_h - (n - 1) * s->step_h > 1e-6;
        s->nsamples = n + s->grid_end;
    }
    for (int i = 0; !rc && set->sample_days && i < s->nsamples; ++i)
        if (!(set->sample_days[i] >= (i ? set->sample_days[i - 1] : 0.0)) ||
            set->sample_days[i] * 24.0 > s->end_h + 1e-6)
            rc = mn_error_set(err, MN_EINVAL,
                              "mn_simulate: sample day %d (%g) is not ascending within 0 to %g", i,
                              set->sample_days[i], s->end_h / 24.0);
    if (!rc && s->nsamples < 1)
        rc = mn_error_set(err, MN_EINVAL, "mn_simulate: no output samples");
    if (!rc)
        rc = mn_results_create(s->nsamples, &s->results, err);
    if (rc)
        return rc;
    mn_results_set_params(s->results, p);
    const int nz = mn_tissue_nz(s->tissue);
    s->buffer = malloc((size_t)nz * (MN_SP_COUNT + 3) * sizeof(double));
    s->dermal = calloc((size_t)s->nsamples, sizeof *s->dermal);
    if (!s->buffer || !s->dermal)
        return mn_error_set(err, MN_ENOMEM, "out of memory for profiles");
    for (int k = 0; k < MN_SP_COUNT; ++k)
        s->prof.species[k] = s->buffer + (size_t)k * nz;
    s->scratch = s->buffer + (size_t)MN_SP_COUNT * nz;
    read_profiles(s);
    mn_outcome_init(&s->outcome, s->tissue, s->envs, &s->patient, p, sc, &s->prof);
    if (!set->no_surface) {
        mn_surface_options so;
        mn_surface_options_default(&so);
        so.like = set->surface_like;
        rc = mn_surface_create(sc, &s->patient, p, &so, &s->surface, err);
        if (!rc)
            rc = mn_surface_reserve(s->surface, s->nsamples, err);
        if (rc)
            return rc;
        mn_surface_set_baseline(s->surface, &s->outcome.dermal0);
    }
    double obs[MN_OBS_COUNT];
    mn_dermal_state ds;
    observe(s, 0.0, obs, &ds);
    rc = mn__sim_check_obs(s, obs, 0.0, err);
    if (!rc)
        mn_results_set_baseline(s->results, obs);
    return rc;
}

int mn_simulate_observed(const mn_scenario *sc, const mn_params *p, const mn_sim_settings *settings,
                         const mn_sim_observer *observers, int observer_count,
                         mn_checkpointer *resume, mn_results **out, mn_error *err)
{
    if (!sc || !p || !out || (observer_count > 0 && !observers) || observer_count < 0)
        return mn_error_set(err, MN_EINVAL, "mn_simulate: NULL or invalid argument");
    *out = NULL;
    int rc = mn_scenario_validate(sc, err);
    if (rc)
        return rc;
    mn_sim s = {.sc = sc, .p = p};
    if (settings)
        s.set = *settings;
    const mn_sim_settings *set = &s.set;
    const double scale = set->time_step_scale > 0 ? set->time_step_scale : 1.0;
    mn_drivers d;
    rc = sim_setup(&s, &d, err);
    if (rc) {
        sim_free(&s);
        return rc;
    }
    const int has_topical = sc->treatment.adjuncts != 0;
    const double contact_h = p->topical_contact_h;
    const double eps = 1e-9;
    const mn_model_step_policy policy = mn_model_step_policy_of(s.model);
    const double dt_max_h = set->max_step_h > 0 ? set->max_step_h : policy.dt_max_h * scale;
    const double dt_growth = set->step_growth > 1 ? set->step_growth : policy.growth;
    s.dt = MN_DT_MIN_H * scale;
    s.topical_until = -1.0;
    if (resume) {
        s.resumed = 1;
        rc = mn__checkpoint_restore(resume, &s, err);
    }
    NOTIFY(observers, observer_count, on_start, &s, err);
    double obs[MN_OBS_COUNT];
    while (!rc) {
        if (s.next_session < s.nsess && s.t >= mn_scenario_session_hour(sc, s.next_session) - eps) {
            const int i = s.next_session;
            rc = mn_model_injure(s.model, &s.injury[i], i, err);
            if (!rc)
                rc = mn_results_add_session(s.results, s.t / 24.0, err);
            s.pain = fmax(s.pain, mn_outcome_pain_vas(p, sc, mn_scenario_session_needle_mm(sc, i),
                                                      mn_scenario_session_passes(sc, i)));
            if (has_topical)
                s.topical_until = s.t + contact_h;
            s.dt = set->fixed_step_h > 0 ? set->fixed_step_h : MN_DT_MIN_H * scale;
            ++s.next_session;
            NOTIFY(observers, observer_count, on_session, &s, i, err);
            continue;
        }
        if (s.next_sample < s.nsamples && s.t >= mn__sim_sample_hour(&s, s.next_sample) - eps) {
            const int i = s.next_sample;
            read_profiles(&s);
            mn_dermal_state ds;
            observe(&s, s.pain, obs, &ds);
            const double day = mn__sim_sample_hour(&s, i) / 24.0;
            rc = mn__sim_check_obs(&s, obs, day, err);
            if (!rc)
                rc = mn_results_add(s.results, day, obs, err);
            if (!rc && s.surface)
                rc = mn_surface_record(s.surface, day, &ds, err);
            s.dermal[i] = ds;
            s.pain = 0.0;
            ++s.next_sample;
            NOTIFY(observers, observer_count, on_sample, &s, i, day, err);
            continue;
        }
        if (s.t >= s.end_h - eps)
            break;
        double target = s.end_h;
        if (s.next_session < s.nsess)
            target = fmin(target, mn_scenario_session_hour(sc, s.next_session));
        if (s.next_sample < s.nsamples)
            target = fmin(target, mn__sim_sample_hour(&s, s.next_sample));
        if (s.topical_until > s.t)
            target = fmin(target, s.topical_until);
        double h = fmin(s.dt, target - s.t);
        /* Land exactly on the event rather than leave a sliver step behind it. */
        if (target - (s.t + h) < 1e-6)
            h = target - s.t;
        drivers_at(sc, &s.patient, p, s.t + 0.5 * h, 0, &d);
        rc = mn_model_advance(s.model, h, &d, s.t < s.topical_until, err);
        if (rc)
            break;
        mn_model_profile(s.model, MN_SP_NEUTROPHIL, (double *)s.prof.species[MN_SP_NEUTROPHIL]);
        mn_outcome_accumulate(&s.outcome, s.prof.species[MN_SP_NEUTROPHIL], h);
        NOTIFY(observers, observer_count, on_step, &s, h, err);
        s.t = (fabs(s.t + h - target) < 1e-9) ? target : s.t + h;
        track_acute(&s, s.t);
        s.dt = next_step(s.model, set, s.dt, h, dt_growth, dt_max_h);
        if (set->fixed_step_h > 0)
            s.dt = set->fixed_step_h;
    }
    NOTIFY(observers, observer_count, on_finish, &s, err);
    if (rc) {
        sim_free(&s);
        return rc;
    }
    mn_results_note_params(s.results, p);
    mn_results_attach_surface(s.results, s.surface);
    s.surface = NULL;
    *out = s.results;
    s.results = NULL;
    sim_free(&s);
    return MN_OK;
}

int mn_simulate(const mn_scenario *sc, const mn_params *p, const mn_sim_settings *settings,
                mn_results **out, mn_error *err)
{
    return mn_simulate_observed(sc, p, settings, NULL, 0, NULL, out, err);
}

/* The observers' view. */
const mn_scenario *mn_sim_scenario(const mn_sim *s)
{
    return s ? s->sc : NULL;
}

const mn_params *mn_sim_params(const mn_sim *s)
{
    return s ? s->p : NULL;
}

const mn_model *mn_sim_model(const mn_sim *s)
{
    return s ? s->model : NULL;
}

const mn_results *mn_sim_results(const mn_sim *s)
{
    return s ? s->results : NULL;
}

double mn_sim_time_h(const mn_sim *s)
{
    return s ? s->t : NAN;
}

double mn_sim_end_h(const mn_sim *s)
{
    return s ? s->end_h : NAN;
}

int mn_sim_resumed(const mn_sim *s)
{
    return s ? s->resumed : 0;
}

const mn_injury *mn_sim_injury(const mn_sim *s, int session)
{
    return (s && session >= 0 && session < s->nsess) ? &s->injury[session] : NULL;
}

double mn_sim_erythema(mn_sim *s)
{
    if (!s)
        return NAN;
    mn_model_profile(s->model, MN_SP_VESSEL, s->scratch);
    return mn_outcome_erythema(&s->outcome, s->scratch);
}
