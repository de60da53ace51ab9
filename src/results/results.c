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
    const char *params_out[MN_PARAMS_OUT_MAX]; /* names (static strings of the table) */
    int params_out_count;
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

double mn_results_peak(const mn_results *r, mn_observable o)
{
    double best = r->baseline[o], dev = 0;
    for (int i = 0; i < r->count; ++i) {
        double v = mn_results_value(r, o, i);
        if (fabs(v - r->baseline[o]) > dev) {
            dev = fabs(v - r->baseline[o]);
            best = v;
        }
    }
    return best;
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
