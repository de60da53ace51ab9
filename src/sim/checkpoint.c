/* Checkpoints, resume and the 3-D pictures of a run (sim_hooks.h; docs/3d.md §Long runs).
 * A checkpoint holds the scenario and parameters as they were run, the loop's variables, the
 * samples and sessions recorded so far (replayed into a fresh results object on resume, with
 * the dermal states for the surface), and the model's float arrays byte for byte, so a
 * resumed run repeats the uninterrupted one exactly. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/io.h"
#include "mnsim/patch3d.h"
#include "sim/sim_hooks.h"

#define MN_CKPT_MAGIC "MNSIMCK2"
#define MN_CKPT_NAME "checkpoint.mnck"
#define MN_CKPT_MAX_ARRAYS 32

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

static int write_checkpoint(mn__sim_hooks *h, mn_error *err)
{
    char path[MN_PATH_MAX + 32];
    int rc = mn_mkdir_p(h->opt->checkpoint_dir, err);
    if (!rc)
        rc = mn_path_join(path, sizeof path, h->opt->checkpoint_dir, MN_CKPT_NAME, err);
    mn_atomic_file *af = NULL;
    if (!rc)
        rc = mn_atomic_open(path, &af, err);
    if (rc)
        return rc;
    FILE *f = mn_atomic_stream(af);
    ckpt_header hd;
    header_init(&hd);
    int bad = put(f, &hd, sizeof hd) | put(f, h->sc, sizeof *h->sc) | put(f, h->p, sizeof *h->p);
    double vars[8] = {*h->t,
                      *h->dt,
                      *h->pain,
                      *h->topical_until,
                      h->outcome->pih_hazard,
                      h->next_checkpoint_day,
                      h->checkpoint_every_days,
                      h->outcome->pih_rate};
    int32_t ivars[4] = {*h->next_session, *h->next_sample, h->next_vti,
                        mn_results_session_count(h->results)};
    bad |= put(f, vars, sizeof vars) | put(f, ivars, sizeof ivars);
    for (int i = 0; i < ivars[3]; ++i) {
        double day = mn_results_session_day(h->results, i);
        bad |= put(f, &day, sizeof day);
    }
    for (int i = 0; i < *h->next_sample; ++i) {
        double row[1 + MN_OBS_COUNT];
        row[0] = mn_results_day(h->results, i);
        for (int o = 0; o < MN_OBS_COUNT; ++o)
            row[1 + o] = mn_results_value(h->results, (mn_observable)o, i);
        bad |= put(f, row, sizeof row);
    }
    int32_t has_surface = h->surface != NULL;
    bad |= put(f, &has_surface, sizeof has_surface);
    if (has_surface)
        bad |= put(f, h->dermal, (size_t)*h->next_sample * sizeof *h->dermal);
    void *arrays[MN_CKPT_MAX_ARRAYS];
    size_t bytes[MN_CKPT_MAX_ARRAYS];
    int32_t n = mn_model_state(h->model, arrays, bytes, MN_CKPT_MAX_ARRAYS);
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

static int restore(mn__sim_hooks *h, mn_error *err)
{
    char path[MN_PATH_MAX + 32];
    int rc = mn_path_join(path, sizeof path, h->opt->checkpoint_dir, MN_CKPT_NAME, err);
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
    int32_t ivars[4], has_surface = 0, n = 0;
    if (!rc && (get(f, vars, sizeof vars) || get(f, ivars, sizeof ivars)))
        rc = mn_error_set(err, MN_EFORMAT, "%s: truncated checkpoint", path);
    if (!rc && (ivars[1] < 0 || ivars[1] > h->capacity || ivars[0] < 0 || ivars[3] < 0 ||
                ivars[3] > MN_MAX_SESSIONS))
        rc = mn_error_set(err, MN_EFORMAT, "%s: checkpoint does not fit this run", path);
    for (int i = 0; !rc && i < ivars[3]; ++i) {
        double day;
        if (get(f, &day, sizeof day))
            rc = mn_error_set(err, MN_EFORMAT, "%s: truncated checkpoint", path);
        else
            rc = mn_results_add_session(h->results, day);
    }
    for (int i = 0; !rc && i < ivars[1]; ++i) {
        double row[1 + MN_OBS_COUNT];
        if (get(f, row, sizeof row))
            rc = mn_error_set(err, MN_EFORMAT, "%s: truncated checkpoint", path);
        else
            rc = mn_results_add(h->results, row[0], row + 1);
    }
    if (!rc && get(f, &has_surface, sizeof has_surface))
        rc = mn_error_set(err, MN_EFORMAT, "%s: truncated checkpoint", path);
    if (!rc && has_surface != (h->surface != NULL))
        rc = mn_error_set(err, MN_EFORMAT, "%s: checkpoint does not fit this run", path);
    if (!rc && has_surface) {
        if (get(f, h->dermal, (size_t)ivars[1] * sizeof *h->dermal))
            rc = mn_error_set(err, MN_EFORMAT, "%s: truncated checkpoint", path);
        for (int i = 0; !rc && i < ivars[1]; ++i)
            rc = mn_surface_record(h->surface, mn_results_day(h->results, i), &h->dermal[i], err);
    }
    void *arrays[MN_CKPT_MAX_ARRAYS];
    size_t bytes[MN_CKPT_MAX_ARRAYS];
    int want = mn_model_state(h->model, arrays, bytes, MN_CKPT_MAX_ARRAYS);
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
    *h->t = vars[0];
    *h->dt = vars[1];
    *h->pain = vars[2];
    *h->topical_until = vars[3];
    h->outcome->pih_hazard = vars[4];
    h->outcome->pih_rate = vars[7];
    h->next_checkpoint_day = vars[5];
    /* The interval the run was started with goes on, unless the resume asks for another. */
    if (!(h->checkpoint_every_days > 0) && vars[6] > 0)
        h->checkpoint_every_days = vars[6];
    else if (h->checkpoint_every_days > 0 && !(vars[6] > 0))
        h->next_checkpoint_day = vars[0] / 24.0 + h->checkpoint_every_days;
    *h->next_session = ivars[0];
    *h->next_sample = ivars[1];
    h->next_vti = ivars[2];
    return MN_OK;
}

static int image_path(const mn__sim_hooks *h, char *buf, size_t size, const char *name,
                      mn_error *err)
{
    int rc = mn_mkdir_p(h->opt->image_dir, err);
    return rc ? rc : mn_path_join(buf, size, h->opt->image_dir, name, err);
}

static int write_vti(mn__sim_hooks *h, const void *patch, double day, mn_error *err)
{
    char name[64], path[MN_PATH_MAX + 64];
    snprintf(name, sizeof name, "patch_day%g.vti", day);
    int rc = image_path(h, path, sizeof path, name, err);
    return rc ? rc : mn_patch3d_write_vti(patch, path, day, err);
}

int mn__sim_hooks_start(mn__sim_hooks *h, int nsamples, mn_error *err)
{
    h->capacity = nsamples;
    h->dermal = calloc((size_t)(nsamples > 0 ? nsamples : 1), sizeof *h->dermal);
    if (!h->dermal)
        return mn_error_set(err, MN_ENOMEM, "out of memory for the run log");
    const mn_run_options *o = h->opt;
    h->checkpoint_every_days = (o && o->checkpoint_every_days > 0) ? o->checkpoint_every_days : 0;
    h->next_checkpoint_day = h->checkpoint_every_days > 0 ? h->checkpoint_every_days : INFINITY;
    if (o && o->resume) {
        if (!o->checkpoint_dir)
            return mn_error_set(err, MN_EINVAL, "resume: no checkpoint directory");
        return restore(h, err);
    }
    const void *patch = mn_patch3d_of(h->model);
    if (o && o->image_dir && patch) {
        char path[MN_PATH_MAX + 64];
        int rc = image_path(h, path, sizeof path, "histology_before.png", err);
        return rc ? rc : mn_patch3d_write_histology(patch, path, "BEFORE TREATMENT", err);
    }
    return MN_OK;
}

int mn__sim_hooks_sample(mn__sim_hooks *h, double day, mn_error *err)
{
    const int i = *h->next_sample - 1;
    if (h->surface && i >= 0 && i < h->capacity)
        mn_outcome_dermal(h->outcome, h->prof, &h->dermal[i]);
    const mn_run_options *o = h->opt;
    if (!o)
        return MN_OK;
    int rc = MN_OK;
    const void *patch = mn_patch3d_of(h->model);
    while (!rc && o->image_dir && patch && h->next_vti < o->vti_count &&
           o->vti_days[h->next_vti] <= day + 1e-9) {
        if (fabs(o->vti_days[h->next_vti] - day) < 1e-9)
            rc = write_vti(h, patch, day, err);
        ++h->next_vti;
    }
    if (!rc && o->checkpoint_dir && h->checkpoint_every_days > 0 &&
        day >= h->next_checkpoint_day - 1e-9) {
        while (h->next_checkpoint_day <= day + 1e-9)
            h->next_checkpoint_day += h->checkpoint_every_days;
        rc = write_checkpoint(h, err);
    }
    return rc;
}

int mn__sim_hooks_finish(mn__sim_hooks *h, const mn_injury *last_injury, mn_error *err)
{
    const void *patch = mn_patch3d_of(h->model);
    if (!h->opt || !h->opt->image_dir || !patch)
        return MN_OK;
    char path[MN_PATH_MAX + 64];
    int rc = image_path(h, path, sizeof path, "histology_after.png", err);
    if (!rc) {
        char title[64];
        snprintf(title, sizeof title, "DAY %g", *h->t / 24.0);
        rc = mn_patch3d_write_histology(patch, path, title, err);
    }
    if (!rc)
        rc = image_path(h, path, sizeof path, "puncture_map.png", err);
    if (!rc)
        rc = mn_patch3d_write_puncture_map(
            patch, last_injury ? mn_injury_radius_at(last_injury, 0.0) : 0.0, path, err);
    /* The end of follow-up, unless a chosen day already wrote it. */
    int written = 0;
    for (int i = 0; i < h->opt->vti_count; ++i)
        written |= fabs(h->opt->vti_days[i] - *h->t / 24.0) < 1e-9;
    if (!rc && !written)
        rc = write_vti(h, patch, *h->t / 24.0, err);
    return rc;
}

void mn__sim_hooks_free(mn__sim_hooks *h)
{
    free(h->dermal);
    h->dermal = NULL;
}
