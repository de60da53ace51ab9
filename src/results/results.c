/* The results container. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/results.h"
#include "mnsim/surface.h"

#define MN_PARAMS_OUT_MAX 128

struct mn_results {
    int capacity, count;
    double *days;
    double *values; /* [observable][sample] */
    double baseline[MN_OBS_COUNT];
    double session_days[MN_MAX_SESSIONS];
    int sessions;
    mn_surface *surface; /* owned; NULL when the run drew no height map */
    /* Extremes between samples (mn_results_track): value, day, whether any. */
    double track_value[MN_OBS_COUNT], track_day[MN_OBS_COUNT];
    int tracked[MN_OBS_COUNT];
    /* The strongest redness of the first day after the first session (day1.png). */
    double day1_erythema, day1_edema_rel, day1_day;
    int has_day1;
    mn_params params; /* the run's model parameters, when have_params */
    int have_params;
    const char *params_out[MN_PARAMS_OUT_MAX]; /* names (static strings of the table) */
    int params_out_count;
    /* Predictive band (mn_results_set_band): NULL lo when none. */
    double band_level;
    int band_draws;
    double *band_lo, *band_hi; /* [observable][sample] */
    double band_final_lo[MN_OBS_COUNT], band_final_hi[MN_OBS_COUNT];
    mn_results *band_runs[MN_BAND_RUNS]; /* owned: the draws at the final grade's percentiles */
    double band_run_pct[MN_BAND_RUNS];
};

const char *const mn_disclaimer =
    "mnsim is a research simulation, not a medical device: its outputs are model predictions "
    "for exploring and explaining protocols, not a diagnosis or a prediction of an individual "
    "patient's result.";

int mn_results_create(int capacity, mn_results **out, mn_error *err)
{
    if (!out || capacity < 1)
        return mn_error_set(err, MN_EINVAL, "mn_results_create: invalid argument");
    mn_results *r = calloc(1, sizeof *r);
    if (!r || !(r->days = malloc((size_t)capacity * sizeof(double))) ||
        !(r->values = malloc((size_t)capacity * MN_OBS_COUNT * sizeof(double)))) {
        mn_results_free(&r);
        return mn_error_set(err, MN_ENOMEM, "out of memory for %d result samples", capacity);
    }
    r->capacity = capacity;
    *out = r;
    return MN_OK;
}

void mn_results_free(mn_results **r)
{
    if (!r || !*r)
        return;
    free((*r)->days);
    free((*r)->values);
    free((*r)->band_lo);
    free((*r)->band_hi);
    for (int k = 0; k < MN_BAND_RUNS; ++k)
        mn_results_free(&(*r)->band_runs[k]);
    mn_surface_free(&(*r)->surface);
    free(*r);
    *r = NULL;
}

void mn_results_note_params(mn_results *r, const mn_params *p)
{
    if (!r)
        return;
    size_t n = mn_params_out_of_range(p, r->params_out, MN_PARAMS_OUT_MAX);
    r->params_out_count = n > MN_PARAMS_OUT_MAX ? MN_PARAMS_OUT_MAX : (int)n;
}

int mn_results_params_out_of_range_count(const mn_results *r)
{
    return r ? r->params_out_count : 0;
}

const char *mn_results_param_out_of_range(const mn_results *r, int i)
{
    return r && i >= 0 && i < r->params_out_count ? r->params_out[i] : NULL;
}

void mn_results_set_baseline(mn_results *r, const double obs[MN_OBS_COUNT])
{
    memcpy(r->baseline, obs, sizeof r->baseline);
}

int mn_results_add(mn_results *r, double day, const double obs[MN_OBS_COUNT], mn_error *err)
{
    if (!r || !obs)
        return mn_error_set(err, MN_EINVAL, "mn_results_add: NULL argument");
    if (r->count >= r->capacity)
        return mn_error_set(err, MN_ERANGE, "mn_results_add: all %d samples are taken",
                            r->capacity);
    r->days[r->count] = day;
    for (int o = 0; o < MN_OBS_COUNT; ++o)
        r->values[(size_t)o * r->capacity + r->count] = obs[o];
    r->count++;
    return MN_OK;
}

void mn_results_set_params(mn_results *r, const mn_params *p)
{
    if (!r || !p)
        return;
    r->params = *p;
    r->have_params = 1;
}

const mn_params *mn_results_params(const mn_results *r)
{
    return (r && r->have_params) ? &r->params : NULL;
}

int mn_results_add_session(mn_results *r, double day, mn_error *err)
{
    if (!r)
        return mn_error_set(err, MN_EINVAL, "mn_results_add_session: NULL argument");
    if (r->sessions >= MN_MAX_SESSIONS)
        return mn_error_set(err, MN_ERANGE, "mn_results_add_session: more than %d sessions",
                            MN_MAX_SESSIONS);
    r->session_days[r->sessions++] = day;
    return MN_OK;
}

int mn_results_count(const mn_results *r)
{
    return r->count;
}

double mn_results_day(const mn_results *r, int i)
{
    return r->days[i];
}

double mn_results_value(const mn_results *r, mn_observable o, int i)
{
    return r->values[(size_t)o * r->capacity + i];
}

double mn_results_baseline(const mn_results *r, mn_observable o)
{
    return r->baseline[o];
}

double mn_results_final(const mn_results *r, mn_observable o)
{
    return r->count ? mn_results_value(r, o, r->count - 1) : r->baseline[o];
}

/* The sample farthest from the baseline, or the tracked extreme when it is farther. */
static double extreme(const mn_results *r, mn_observable o, double *day)
{
    double best = r->baseline[o], dev = 0, at = r->count ? r->days[0] : 0.0;
    for (int i = 0; i < r->count; ++i) {
        double v = mn_results_value(r, o, i);
        if (fabs(v - r->baseline[o]) > dev) {
            dev = fabs(v - r->baseline[o]);
            best = v;
            at = r->days[i];
        }
    }
    if (r->tracked[o] && fabs(r->track_value[o] - r->baseline[o]) > dev) {
        best = r->track_value[o];
        at = r->track_day[o];
    }
    if (day)
        *day = at;
    return best;
}

double mn_results_peak(const mn_results *r, mn_observable o)
{
    return extreme(r, o, NULL);
}

double mn_results_peak_day(const mn_results *r, mn_observable o)
{
    double day;
    extreme(r, o, &day);
    return day;
}

void mn_results_track(mn_results *r, mn_observable o, double day, double value)
{
    if (!r || (int)o < 0 || o >= MN_OBS_COUNT || !isfinite(value))
        return;
    if (!r->tracked[o] || fabs(value - r->baseline[o]) > fabs(r->track_value[o] - r->baseline[o])) {
        r->track_value[o] = value;
        r->track_day[o] = day;
        r->tracked[o] = 1;
    }
}

int mn_results_tracked(const mn_results *r, mn_observable o, double *value, double *day)
{
    if (!r || (int)o < 0 || o >= MN_OBS_COUNT || !r->tracked[o])
        return 0;
    *value = r->track_value[o];
    *day = r->track_day[o];
    return 1;
}

void mn_results_set_day1(mn_results *r, double erythema, double edema_rel, double day)
{
    if (!r)
        return;
    r->day1_erythema = erythema;
    r->day1_edema_rel = edema_rel;
    r->day1_day = day;
    r->has_day1 = 1;
}

int mn_results_day1(const mn_results *r, double *erythema, double *edema_rel, double *day)
{
    if (!r || !r->has_day1)
        return 0;
    *erythema = r->day1_erythema;
    *edema_rel = r->day1_edema_rel;
    *day = r->day1_day;
    return 1;
}

int mn_results_session_count(const mn_results *r)
{
    return r->sessions;
}

double mn_results_session_day(const mn_results *r, int i)
{
    return r->session_days[i];
}

void mn_results_attach_surface(mn_results *r, mn_surface *surface)
{
    if (!r) {
        mn_surface_free(&surface);
        return;
    }
    if (r->surface != surface)
        mn_surface_free(&r->surface);
    r->surface = surface;
}

const mn_surface *mn_results_surface(const mn_results *r)
{
    return r ? r->surface : NULL;
}

int mn_results_set_band(mn_results *r, double level, int draws, const double *lo, const double *hi,
                        const double *final_lo, const double *final_hi, mn_error *err)
{
    if (!r || !lo || !hi || !final_lo || !final_hi || !(level > 0 && level < 1) || draws < 1)
        return mn_error_set(err, MN_EINVAL, "mn_results_set_band: invalid argument");
    const size_t n = (size_t)MN_OBS_COUNT * (size_t)r->count;
    double *l = malloc((n ? n : 1) * sizeof *l), *h = malloc((n ? n : 1) * sizeof *h);
    if (!l || !h) {
        free(l);
        free(h);
        return mn_error_set(err, MN_ENOMEM, "out of memory for the predictive band");
    }
    memcpy(l, lo, n * sizeof *l);
    memcpy(h, hi, n * sizeof *h);
    free(r->band_lo);
    free(r->band_hi);
    r->band_lo = l, r->band_hi = h;
    r->band_level = level, r->band_draws = draws;
    memcpy(r->band_final_lo, final_lo, sizeof r->band_final_lo);
    memcpy(r->band_final_hi, final_hi, sizeof r->band_final_hi);
    return MN_OK;
}

int mn_results_has_band(const mn_results *r)
{
    return r && r->band_lo;
}
double mn_results_band_level(const mn_results *r)
{
    return r && r->band_lo ? r->band_level : 0;
}
int mn_results_band_draws(const mn_results *r)
{
    return r && r->band_lo ? r->band_draws : 0;
}

double mn_results_band_lo(const mn_results *r, mn_observable o, int i)
{
    return r->band_lo[(size_t)o * (size_t)r->count + (size_t)i];
}

double mn_results_band_hi(const mn_results *r, mn_observable o, int i)
{
    return r->band_hi[(size_t)o * (size_t)r->count + (size_t)i];
}

double mn_results_band_final_lo(const mn_results *r, mn_observable o)
{
    return r->band_final_lo[o];
}
double mn_results_band_final_hi(const mn_results *r, mn_observable o)
{
    return r->band_final_hi[o];
}

void mn_results_attach_band_runs(mn_results *r, mn_results *runs[MN_BAND_RUNS],
                                 const double percentile[MN_BAND_RUNS])
{
    for (int k = 0; k < MN_BAND_RUNS; ++k) {
        if (!r) {
            mn_results_free(&runs[k]);
            continue;
        }
        mn_results_free(&r->band_runs[k]);
        r->band_runs[k] = runs[k];
        r->band_run_pct[k] = percentile[k];
        runs[k] = NULL;
    }
}

const mn_results *mn_results_band_run(const mn_results *r, int k, double *percentile)
{
    if (!r || k < 0 || k >= MN_BAND_RUNS || !r->band_runs[k])
        return NULL;
    if (percentile)
        *percentile = r->band_run_pct[k];
    return r->band_runs[k];
}
