/* Checkpoints and resume (simulate.h; docs/3d.md §Long runs): an observer that saves the
 * loop's state (sim_impl.h) at samples, where it is complete. A checkpoint holds the scenario
 * and parameters as they were run, the loop's variables and the checkpoint schedule, the
 * samples and sessions recorded so far (replayed into a fresh results object on resume, with
 * the dermal states for the surface), and the model's arrays byte for byte, so a resumed run
 * repeats the uninterrupted one exactly. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/io.h"
#include "sim/sim_impl.h"

#define MN_CKPT_MAGIC "MNSIMCK4"
#define MN_CKPT_NAME "checkpoint.mnck"
#define MN_CKPT_MAX_ARRAYS 32

struct mn_checkpointer {
    char dir[MN_PATH_MAX];
    double every_days; /* 0: none asked for */
    double next_day;   /* next checkpoint at the first sample on or after this day */
};

typedef struct ckpt_header {
    char magic[8];
    uint32_t scenario_size, params_size, obs_count, dermal_size;
} ckpt_header;

static void header_init(ckpt_header *h)
{
    memset(h, 0, sizeof *h);
    memcpy(h->magic, MN_CKPT_MAGIC, 8);
    h->scenario_size = sizeof(mn_scenario);
    h->params_size = sizeof(mn_params);
    h->obs_count = MN_OBS_COUNT;
    h->dermal_size = sizeof(mn_dermal_state);
}

static int put(FILE *f, const void *data, size_t size)
{
    return fwrite(data, 1, size, f) == size ? 0 : -1;
}

static int get(FILE *f, void *data, size_t size)
{
    return fread(data, 1, size, f) == size ? 0 : -1;
}

static int read_header(FILE *f, const char *path, mn_scenario *sc, mn_params *p, mn_error *err)
{
    ckpt_header want, got;
    header_init(&want);
    if (get(f, &got, sizeof got) || memcmp(got.magic, want.magic, 8))
        return mn_error_set(err, MN_EFORMAT, "%s: not an mnsim checkpoint", path);
    if (memcmp(&got, &want, sizeof got))
        return mn_error_set(err, MN_EFORMAT,
                            "%s: checkpoint of another mnsim version (layout differs)", path);
    if (get(f, sc, sizeof *sc) || get(f, p, sizeof *p))
        return mn_error_set(err, MN_EFORMAT, "%s: truncated checkpoint", path);
    return MN_OK;
}

int mn_simulate_checkpoint_load(const char *dir, mn_scenario *sc, mn_params *p, mn_error *err)
{
    if (!dir || !sc || !p)
        return mn_error_set(err, MN_EINVAL, "mn_simulate_checkpoint_load: NULL argument");
    char path[MN_PATH_MAX + 32];
    int rc = mn_path_join(path, sizeof path, dir, MN_CKPT_NAME, err);
    if (rc)
        return rc;
    FILE *f = fopen(path, "rb");
    if (!f)
        return mn_error_set(err, MN_EINVAL, "%s: no checkpoint (run with --checkpoint-every)",
                            path);
    rc = read_header(f, path, sc, p, err);
    fclose(f);
    return rc;
}

int mn_checkpointer_create(const char *dir, double every_days, mn_checkpointer **out,
                           mn_error *err)
{
    if (!dir || !out)
        return mn_error_set(err, MN_EINVAL, "mn_checkpointer_create: NULL argument");
    *out = NULL;
    if (!(every_days >= 0) || !isfinite(every_days))
        return mn_error_set(err, MN_EINVAL,
                            "mn_checkpointer_create: interval %g days is not finite and >= 0",
                            every_days);
    if (strlen(dir) >= MN_PATH_MAX)
        return mn_error_set(err, MN_EINVAL, "mn_checkpointer_create: directory path too long");
    mn_checkpointer *cp = calloc(1, sizeof *cp);
    if (!cp)
        return mn_error_set(err, MN_ENOMEM, "out of memory for the checkpointer");
    memcpy(cp->dir, dir, strlen(dir) + 1);
    cp->every_days = every_days;
    cp->next_day = every_days > 0 ? every_days : INFINITY;
    *out = cp;
    return MN_OK;
}

void mn_checkpointer_free(mn_checkpointer **cp)
{
    if (!cp)
        return;
    free(*cp);
    *cp = NULL;
}

static int write_checkpoint(const mn_checkpointer *cp, const mn_sim *s, mn_error *err)
{
    char path[MN_PATH_MAX + 32];
    int rc = mn_mkdir_p(cp->dir, err);
    if (!rc)
        rc = mn_path_join(path, sizeof path, cp->dir, MN_CKPT_NAME, err);
    mn_atomic_file *af = NULL;
    if (!rc)
        rc = mn_atomic_open(path, &af, err);
    if (rc)
        return rc;
    FILE *f = mn_atomic_stream(af);
    ckpt_header hd;
    header_init(&hd);
    int bad = put(f, &hd, sizeof hd) | put(f, s->sc, sizeof *s->sc) | put(f, s->p, sizeof *s->p);
    double vars[8] = {s->t,
                      s->dt,
                      s->pain,
                      s->topical_until,
                      s->outcome.pih_hazard,
                      cp->next_day,
                      cp->every_days,
                      s->outcome.pih_rate};
    int32_t ivars[3] = {s->next_session, s->next_sample, mn_results_session_count(s->results)};
    bad |= put(f, vars, sizeof vars) | put(f, ivars, sizeof ivars);
    for (int i = 0; i < ivars[2]; ++i) {
        double day = mn_results_session_day(s->results, i);
        bad |= put(f, &day, sizeof day);
    }
    for (int i = 0; i < s->next_sample; ++i) {
        double row[1 + MN_OBS_COUNT];
        row[0] = mn_results_day(s->results, i);
        for (int o = 0; o < MN_OBS_COUNT; ++o)
            row[1 + o] = mn_results_value(s->results, (mn_observable)o, i);
        bad |= put(f, row, sizeof row);
    }
    /* Extremes tracked between samples, and the first day's strongest redness. */
    for (int o = 0; o < MN_OBS_COUNT; ++o) {
        double tr[3] = {0, 0, 0};
        tr[0] = mn_results_tracked(s->results, (mn_observable)o, &tr[1], &tr[2]);
        bad |= put(f, tr, sizeof tr);
    }
    double d1[4] = {0, s->day1_erythema, 0, 0};
    d1[0] = mn_results_day1(s->results, &d1[1], &d1[2], &d1[3]);
    d1[1] = s->day1_erythema;
    bad |= put(f, d1, sizeof d1);
    int32_t has_surface = s->surface != NULL;
    bad |= put(f, &has_surface, sizeof has_surface);
    if (has_surface)
        bad |= put(f, s->dermal, (size_t)s->next_sample * sizeof *s->dermal);
    void *arrays[MN_CKPT_MAX_ARRAYS];
    size_t bytes[MN_CKPT_MAX_ARRAYS];
    int32_t n = mn_model_state(s->model, arrays, bytes, MN_CKPT_MAX_ARRAYS);
    bad |= put(f, &n, sizeof n);
    for (int i = 0; i < n; ++i) {
        uint64_t len = bytes[i];
        bad |= put(f, &len, sizeof len) | put(f, arrays[i], bytes[i]);
    }
    if (bad) {
        mn_atomic_abort(&af);
        return mn_error_set(err, MN_EIO, "%s: cannot write the checkpoint", path);
    }
    return mn_atomic_commit(&af, err);
}

int mn__checkpoint_restore(mn_checkpointer *cp, mn_sim *s, mn_error *err)
{
    char path[MN_PATH_MAX + 32];
    int rc = mn_path_join(path, sizeof path, cp->dir, MN_CKPT_NAME, err);
    if (rc)
        return rc;
    FILE *f = fopen(path, "rb");
    if (!f)
        return mn_error_set(err, MN_EINVAL, "%s: no checkpoint to resume from", path);
    mn_scenario *sc = malloc(sizeof *sc);
    mn_params p;
    rc = sc ? read_header(f, path, sc, &p, err)
            : mn_error_set(err, MN_ENOMEM, "out of memory reading %s", path);
    free(sc);
    double vars[8];
    int32_t ivars[3], has_surface = 0, n = 0;
    if (!rc && (get(f, vars, sizeof vars) || get(f, ivars, sizeof ivars)))
        rc = mn_error_set(err, MN_EFORMAT, "%s: truncated checkpoint", path);
    if (!rc && (ivars[1] < 0 || ivars[1] > s->nsamples || ivars[0] < 0 || ivars[2] < 0 ||
                ivars[2] > MN_MAX_SESSIONS))
        rc = mn_error_set(err, MN_EFORMAT, "%s: checkpoint does not fit this run", path);
    for (int i = 0; !rc && i < ivars[2]; ++i) {
        double day;
        if (get(f, &day, sizeof day))
            rc = mn_error_set(err, MN_EFORMAT, "%s: truncated checkpoint", path);
        else
            rc = mn_results_add_session(s->results, day, err);
    }
    for (int i = 0; !rc && i < ivars[1]; ++i) {
        double row[1 + MN_OBS_COUNT];
        if (get(f, row, sizeof row))
            rc = mn_error_set(err, MN_EFORMAT, "%s: truncated checkpoint", path);
        else
            rc = mn_results_add(s->results, row[0], row + 1, err);
    }
    for (int o = 0; !rc && o < MN_OBS_COUNT; ++o) {
        double tr[3];
        if (get(f, tr, sizeof tr))
            rc = mn_error_set(err, MN_EFORMAT, "%s: truncated checkpoint", path);
        else if (tr[0] == 1.0)
            mn_results_track(s->results, (mn_observable)o, tr[2], tr[1]);
    }
    double d1[4];
    if (!rc && get(f, d1, sizeof d1))
        rc = mn_error_set(err, MN_EFORMAT, "%s: truncated checkpoint", path);
    if (!rc) {
        s->day1_erythema = d1[1];
        if (d1[0] == 1.0)
            mn_results_set_day1(s->results, d1[1], d1[2], d1[3]);
    }
    if (!rc && get(f, &has_surface, sizeof has_surface))
        rc = mn_error_set(err, MN_EFORMAT, "%s: truncated checkpoint", path);
    if (!rc && has_surface != (s->surface != NULL))
        rc = mn_error_set(err, MN_EFORMAT, "%s: checkpoint does not fit this run", path);
    if (!rc && has_surface) {
        if (get(f, s->dermal, (size_t)ivars[1] * sizeof *s->dermal))
            rc = mn_error_set(err, MN_EFORMAT, "%s: truncated checkpoint", path);
        for (int i = 0; !rc && i < ivars[1]; ++i)
            rc = mn_surface_record(s->surface, mn_results_day(s->results, i), &s->dermal[i], err);
    }
    void *arrays[MN_CKPT_MAX_ARRAYS];
    size_t bytes[MN_CKPT_MAX_ARRAYS];
    int want = mn_model_state(s->model, arrays, bytes, MN_CKPT_MAX_ARRAYS);
    if (!rc && (get(f, &n, sizeof n) || n != want))
        rc = mn_error_set(err, MN_EFORMAT, "%s: checkpoint of another model or grid", path);
    for (int i = 0; !rc && i < n; ++i) {
        uint64_t len;
        if (get(f, &len, sizeof len) || len != bytes[i])
            rc = mn_error_set(err, MN_EFORMAT, "%s: checkpoint of another model or grid", path);
        else if (get(f, arrays[i], bytes[i]))
            rc = mn_error_set(err, MN_EFORMAT, "%s: truncated checkpoint", path);
    }
    fclose(f);
    if (rc)
        return rc;
    s->t = vars[0];
    s->dt = vars[1];
    s->pain = vars[2];
    s->topical_until = vars[3];
    s->outcome.pih_hazard = vars[4];
    s->outcome.pih_rate = vars[7];
    cp->next_day = vars[5];
    /* The interval the run was started with goes on, unless the resume asks for another. */
    if (!(cp->every_days > 0) && vars[6] > 0)
        cp->every_days = vars[6];
    else if (cp->every_days > 0 && !(vars[6] > 0))
        cp->next_day = vars[0] / 24.0 + cp->every_days;
    s->next_session = ivars[0];
    s->next_sample = ivars[1];
    return MN_OK;
}

static int checkpoint_on_sample(void *user, mn_sim *s, int sample, double day, mn_error *err)
{
    (void)sample;
    mn_checkpointer *cp = user;
    if (!(cp->every_days > 0) || day < cp->next_day - 1e-9)
        return MN_OK;
    while (cp->next_day <= day + 1e-9)
        cp->next_day += cp->every_days;
    return write_checkpoint(cp, s, err);
}

mn_sim_observer mn_checkpointer_observer(mn_checkpointer *cp)
{
    return (mn_sim_observer){.user = cp, .on_sample = checkpoint_on_sample};
}
