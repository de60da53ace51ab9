/* Checkpoints and resume (simulate.h; docs/3d.md §Long runs): an observer that saves the
 * loop's state (sim_impl.h) at samples, where it is complete. A checkpoint holds the scenario
 * and parameters as they were run, the loop's variables and the checkpoint schedule, the
 * samples and sessions recorded so far (replayed into a fresh results object on resume, with
 * the dermal states for the surface), and the model's arrays byte for byte, so a resumed run
 * repeats the uninterrupted one exactly. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "mnsim/io.h"
#include "sim/sim_impl.h"

/* MNSIMCK4: MNSIMCK3 followed by the CRC-32 (zlib) of every byte before it. A checkpoint is
 * trusted only when its checksum matches and every field is valid and consistent with the
 * run (docs/reliability.md): anything else is refused with MN_EFORMAT (exit 2). */
#define MN_CKPT_MAGIC "MNSIMCK4"
#define MN_CKPT_NAME "checkpoint.mnck"
#define MN_CKPT_MAX_ARRAYS 32

struct mn_checkpointer {
    char dir[MN_PATH_MAX];
    double every_days; /* 0: none asked for */
    double next_day;   /* next checkpoint at the first sample on or after this day */
    void (*warn)(void *user, const mn_error *err);
    void *warn_user;
    int failures;
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

/* Writing: every byte also goes into the running checksum. */
typedef struct ckpt_out {
    FILE *f;
    uLong crc;
    int bad;
} ckpt_out;

static void put(ckpt_out *w, const void *data, size_t size)
{
    if (fwrite(data, 1, size, w->f) != size)
        w->bad = 1;
    for (size_t done = 0; done < size;) { /* crc32 takes uInt lengths */
        uInt chunk = size - done > (1u << 30) ? (1u << 30) : (uInt)(size - done);
        w->crc = crc32(w->crc, (const Bytef *)data + done, chunk);
        done += chunk;
    }
}

static int get(FILE *f, void *data, size_t size)
{
    return fread(data, 1, size, f) == size ? 0 : -1;
}

/* The checksum of the whole file (all but its last 4 bytes, which hold it), read in chunks;
 * leaves f at the start. */
static int verify_crc(FILE *f, const char *path, mn_error *err)
{
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (size < (long)(sizeof(ckpt_header) + 4) || fseek(f, 0, SEEK_SET) != 0)
        return mn_error_set(err, MN_EFORMAT, "%s: not an mnsim checkpoint (too short)", path);
    unsigned char buf[1 << 16];
    uLong crc = crc32(0L, Z_NULL, 0);
    for (long left = size - 4; left > 0;) {
        size_t n = left > (long)sizeof buf ? sizeof buf : (size_t)left;
        if (get(f, buf, n))
            return mn_error_set(err, MN_EFORMAT, "%s: cannot read the checkpoint", path);
        crc = crc32(crc, buf, (uInt)n);
        left -= (long)n;
    }
    uint32_t stored;
    if (get(f, &stored, sizeof stored) || fseek(f, 0, SEEK_SET) != 0)
        return mn_error_set(err, MN_EFORMAT, "%s: cannot read the checkpoint", path);
    if (stored != (uint32_t)crc) {
        char magic[8] = {0};
        int ours = fread(magic, 1, 8, f) == 8 && memcmp(magic, "MNSIMCK", 7) == 0 &&
                   magic[7] != MN_CKPT_MAGIC[7];
        fseek(f, 0, SEEK_SET);
        return mn_error_set(err, MN_EFORMAT,
                            ours ? "%s: checkpoint of another mnsim version (format %.8s)"
                                 : "%s: corrupt checkpoint (checksum mismatch): it was damaged "
                                   "or truncated after it was written; run again from the start",
                            path, magic);
    }
    return MN_OK;
}

/* The scenario's bool fields as the checkpoint stores them (bytes): anything but 0 or 1 would
 * be undefined behaviour once read as a bool. */
static const size_t scenario_bools[] = {
    offsetof(mn_scenario, patient.smoker), offsetof(mn_scenario, treatment.sessions_listed),
    offsetof(mn_scenario, aftercare.retinoid), offsetof(mn_scenario, output.images)};

/* Checks the raw bytes of a stored scenario and parameters before they are used as such. */
static int check_scenario_params(const unsigned char *raw_sc, const mn_scenario *sc,
                                 const mn_params *p, const char *path, mn_error *err)
{
    for (size_t i = 0; i < sizeof scenario_bools / sizeof scenario_bools[0]; ++i)
        if (raw_sc[scenario_bools[i]] > 1)
            return mn_error_set(err, MN_EFORMAT,
                                "%s: corrupt checkpoint: a yes/no field of the scenario holds %u",
                                path, raw_sc[scenario_bools[i]]);
    if (!memchr(sc->output.dir, 0, sizeof sc->output.dir) ||
        !memchr(sc->source, 0, sizeof sc->source))
        return mn_error_set(err, MN_EFORMAT,
                            "%s: corrupt checkpoint: a path of the scenario is not terminated",
                            path);
    const mn_treatment_spec *t = &sc->treatment;
    if ((t->adjuncts & ~(unsigned)(MN_ADJUNCT_PRP | MN_ADJUNCT_HYALURONIC_ACID |
                                    MN_ADJUNCT_VITAMIN_C | MN_ADJUNCT_GROWTH_FACTORS)) != 0)
        return mn_error_set(err, MN_EFORMAT, "%s: corrupt checkpoint: adjuncts 0x%x", path,
                            t->adjuncts);
    for (int i = 0; t->sessions_listed && i < MN_MAX_SESSIONS; ++i) {
        const mn_session *ss = &t->sessions[i];
        if (!isfinite(ss->week) || ss->week < 0 || !isfinite(ss->needle_length_mm) ||
            ss->needle_length_mm < 0 || ss->needle_length_mm > 10 || ss->passes < 0 ||
            ss->passes > 1000)
            return mn_error_set(err, MN_EFORMAT, "%s: corrupt checkpoint: session %d", path, i);
    }
    mn_error e;
    if (mn_scenario_validate(sc, &e))
        return mn_error_set(err, MN_EFORMAT, "%s: corrupt checkpoint: its scenario is invalid (%s)",
                            path, e.message);
    for (size_t i = 0; i < mn_params_count(); ++i) {
        const mn_param_info *info = mn_params_info(i);
        double v = *mn_params_ref((mn_params *)p, info);
        if (!isfinite(v) || v < 0)
            return mn_error_set(err, MN_EFORMAT,
                                "%s: corrupt checkpoint: parameter %s = %g is not a finite "
                                "number >= 0",
                                path, info->name, v);
    }
    return MN_OK;
}

/* Verifies the checksum, then reads and checks the header, scenario and parameters; f is left
 * after them. */
static int read_header(FILE *f, const char *path, mn_scenario *sc, mn_params *p, mn_error *err)
{
    ckpt_header want, got;
    header_init(&want);
    int rc = verify_crc(f, path, err);
    if (rc)
        return rc;
    if (get(f, &got, sizeof got) || memcmp(got.magic, want.magic, 8))
        return mn_error_set(err, MN_EFORMAT, "%s: not an mnsim checkpoint", path);
    if (memcmp(&got, &want, sizeof got))
        return mn_error_set(err, MN_EFORMAT,
                            "%s: checkpoint of another mnsim version (layout differs)", path);
    unsigned char *raw = malloc(sizeof *sc);
    if (!raw)
        return mn_error_set(err, MN_ENOMEM, "out of memory reading %s", path);
    if (get(f, raw, sizeof *sc) || get(f, p, sizeof *p))
        rc = mn_error_set(err, MN_EFORMAT, "%s: truncated checkpoint", path);
    /* The bool bytes are checked (in raw) before any is read as a bool. */
    if (!rc) {
        memcpy(sc, raw, sizeof *sc);
        rc = check_scenario_params(raw, sc, p, path, err);
    }
    free(raw);
    return rc;
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
    ckpt_out w = {mn_atomic_stream(af), crc32(0L, Z_NULL, 0), 0};
    ckpt_header hd;
    header_init(&hd);
    put(&w, &hd, sizeof hd);
    put(&w, s->sc, sizeof *s->sc);
    put(&w, s->p, sizeof *s->p);
    double vars[8] = {s->t,
                      s->dt,
                      s->pain,
                      s->topical_until,
                      s->outcome.pih_hazard,
                      cp->next_day,
                      cp->every_days,
                      s->outcome.pih_rate};
    int32_t ivars[3] = {s->next_session, s->next_sample, mn_results_session_count(s->results)};
    put(&w, vars, sizeof vars);
    put(&w, ivars, sizeof ivars);
    for (int i = 0; i < ivars[2]; ++i) {
        double day = mn_results_session_day(s->results, i);
        put(&w, &day, sizeof day);
    }
    for (int i = 0; i < s->next_sample; ++i) {
        double row[1 + MN_OBS_COUNT];
        row[0] = mn_results_day(s->results, i);
        for (int o = 0; o < MN_OBS_COUNT; ++o)
            row[1 + o] = mn_results_value(s->results, (mn_observable)o, i);
        put(&w, row, sizeof row);
    }
    /* Extremes tracked between samples, and the first day's strongest redness. */
    for (int o = 0; o < MN_OBS_COUNT; ++o) {
        double tr[3] = {0, 0, 0};
        tr[0] = mn_results_tracked(s->results, (mn_observable)o, &tr[1], &tr[2]);
        put(&w, tr, sizeof tr);
    }
    double d1[4] = {0, s->day1_erythema, 0, 0};
    d1[0] = mn_results_day1(s->results, &d1[1], &d1[2], &d1[3]);
    d1[1] = s->day1_erythema;
    put(&w, d1, sizeof d1);
    int32_t has_surface = s->surface != NULL;
    put(&w, &has_surface, sizeof has_surface);
    if (has_surface)
        put(&w, s->dermal, (size_t)s->next_sample * sizeof *s->dermal);
    void *arrays[MN_CKPT_MAX_ARRAYS];
    size_t bytes[MN_CKPT_MAX_ARRAYS];
    int32_t n = mn_model_state(s->model, arrays, bytes, MN_CKPT_MAX_ARRAYS);
    put(&w, &n, sizeof n);
    for (int i = 0; i < n; ++i) {
        uint64_t len = bytes[i];
        put(&w, &len, sizeof len);
        put(&w, arrays[i], bytes[i]);
    }
    uint32_t crc = (uint32_t)w.crc;
    if (fwrite(&crc, sizeof crc, 1, w.f) != 1)
        w.bad = 1;
    if (w.bad) {
        mn_atomic_abort(&af);
        return mn_error_set(err, MN_EIO, "%s: cannot write the checkpoint", path);
    }
    return mn_atomic_commit(&af, err);
}

/* Whether a checkpoint's scenario and parameters are the run's (output.dir aside: a moved run
 * directory resumes into where it is now). */
static int same_run(const mn_scenario *a, const mn_params *pa, const mn_sim *s)
{
    mn_scenario *x = malloc(sizeof *x), *y = malloc(sizeof *y);
    int same = 0;
    if (x && y) {
        memcpy(x, a, sizeof *x);
        memcpy(y, s->sc, sizeof *y);
        memset(x->output.dir, 0, sizeof x->output.dir);
        memset(y->output.dir, 0, sizeof y->output.dir);
        same = memcmp(x, y, sizeof *x) == 0 && memcmp(pa, s->p, sizeof *pa) == 0;
    }
    free(x);
    free(y);
    return same;
}

#define BAD(...) (rc = mn_error_set(err, MN_EFORMAT, __VA_ARGS__))

/* The loop's variables and counts: finite, in range and consistent with each other and with the
 * run's schedule. A checkpoint is written at a sample, so t is that sample's hour. */
static int check_vars(const mn_sim *s, const double v[8], const int32_t iv[3], const char *path,
                      mn_error *err)
{
    int rc = MN_OK;
    const double eps = 1e-6;
    const double t = v[0];
    for (int i = 0; i < 8; ++i)
        if (!(isfinite(v[i]) || (i == 5 && v[i] == INFINITY)))
            return BAD("%s: corrupt checkpoint: loop variable %d is %g", path, i, v[i]);
    if (!(t >= 0 && t <= s->end_h + eps))
        return BAD("%s: corrupt checkpoint: time %g h outside 0 to %g h", path, t, s->end_h);
    const mn_model_step_policy policy = mn_model_step_policy_of(s->model);
    const double scale = s->set.time_step_scale > 0 ? s->set.time_step_scale : 1.0;
    const double dt_max = fmax(s->set.max_step_h > 0 ? s->set.max_step_h : policy.dt_max_h * scale,
                               s->set.fixed_step_h);
    if (!(v[1] > 0) || v[1] > dt_max * (1 + 1e-12))
        return BAD("%s: corrupt checkpoint: time step %g h is not in (0, %g] h", path, v[1],
                   dt_max);
    /* The session pain is reset at every sample, so it is 0 at a checkpoint. */
    if (v[2] != 0 || v[4] < 0 || v[7] < 0)
        return BAD("%s: corrupt checkpoint: pain or PIH hazard out of range", path);
    if (v[6] < 0 || (v[6] > 0 && !isfinite(v[5])) || (v[6] > 0 && v[5] <= 0))
        return BAD("%s: corrupt checkpoint: checkpoint schedule (every %g days, next %g)", path,
                   v[6], v[5]);
    const int next_session = iv[0], next_sample = iv[1], sessions = iv[2];
    if (next_session < 0 || next_session > s->nsess || sessions != next_session)
        return BAD("%s: corrupt checkpoint: %d sessions done, %d recorded, of %d", path,
                   next_session, sessions, s->nsess);
    if (next_sample < 1 || next_sample > s->nsamples)
        return BAD("%s: corrupt checkpoint: %d samples done of %d (the run has %d)", path,
                   next_sample, s->nsamples, s->nsamples);
    const double sample_h = mn__sim_sample_hour(s, next_sample - 1);
    if (fabs(t - sample_h) > eps)
        return BAD("%s: corrupt checkpoint: time %g h is not that of sample %d (%g h)", path, t,
                   next_sample - 1, sample_h);
    if (next_session > 0 && t < mn_scenario_session_hour(s->sc, next_session - 1) - eps)
        return BAD("%s: corrupt checkpoint: session %d is done before its time", path,
                   next_session - 1);
    if (next_session < s->nsess && t >= mn_scenario_session_hour(s->sc, next_session) - 1e-9)
        return BAD("%s: corrupt checkpoint: session %d is due but not done", path, next_session);
    /* The topical window opens at a session with adjuncts: −1 before, the last session's hour
     * plus the contact time after. */
    const double window = next_session > 0 && s->sc->treatment.adjuncts
                              ? mn_scenario_session_hour(s->sc, next_session - 1) +
                                    s->p->topical_contact_h
                              : -1.0;
    if (fabs(v[3] - window) > eps)
        return BAD("%s: corrupt checkpoint: topical window until %g h, expected %g h", path, v[3],
                   window);
    return MN_OK;
}

/* The restored state observed again must give the last sample's observables (those not from
 * the height map), dermal state and PIH hazard rate bit for bit: the observables are pure
 * functions of the model's arrays and the outcome's integrals, so this checks the model arrays
 * and the PIH variables against the values recorded from them. */
static int check_last_sample(mn_sim *s, const double vars[8], const char *path, mn_error *err)
{
    int rc = MN_OK;
    const int last = mn_results_count(s->results) - 1;
    for (int k = 0; k < MN_SP_COUNT; ++k)
        mn_model_profile(s->model, (mn_species)k, (double *)s->prof.species[k]);
    mn_outcome_ctx ctx = s->outcome;
    ctx.pih_hazard = vars[4];
    double obs[MN_OBS_COUNT];
    mn_dermal_state ds;
    mn_outcome_compute(&ctx, &s->prof, mn_results_value(s->results, MN_OBS_PAIN_VAS, last), obs,
                       &ds);
    for (int o = 0; o < MN_OBS_COUNT; ++o) {
        if (o == MN_OBS_WRINKLE_DEPTH_UM || o == MN_OBS_SA_UM || o == MN_OBS_SQ_UM ||
            o == MN_OBS_SZ_UM || (o == MN_OBS_WRINKLE_GRADE && s->surface))
            continue;
        const double was = mn_results_value(s->results, (mn_observable)o, last);
        if (memcmp(&obs[o], &was, sizeof was) != 0)
            return BAD("%s: corrupt checkpoint: the saved state gives %s = %.17g, its last "
                       "sample recorded %.17g",
                       path, mn_observable_name((mn_observable)o), obs[o], was);
    }
    if (s->surface && memcmp(&ds, &s->dermal[last], sizeof ds) != 0)
        return BAD("%s: corrupt checkpoint: the saved state does not give the last sample's "
                   "dermal state",
                   path);
    mn_outcome_accumulate(&ctx, s->prof.species[MN_SP_NEUTROPHIL], 0.0);
    if (memcmp(&ctx.pih_rate, &vars[7], sizeof ctx.pih_rate) != 0)
        return BAD("%s: corrupt checkpoint: PIH hazard rate %.17g, the state gives %.17g", path,
                   vars[7], ctx.pih_rate);
    return rc;
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
    if (!rc && !same_run(sc, &p, s))
        BAD("%s: checkpoint of another scenario or parameter set than this run", path);
    free(sc);
    double vars[8];
    int32_t ivars[3], has_surface = 0, n = 0;
    if (!rc && (get(f, vars, sizeof vars) || get(f, ivars, sizeof ivars)))
        BAD("%s: truncated checkpoint", path);
    if (!rc)
        rc = check_vars(s, vars, ivars, path, err);
    for (int i = 0; !rc && i < ivars[2]; ++i) {
        double day;
        if (get(f, &day, sizeof day))
            BAD("%s: truncated checkpoint", path);
        else if (!(fabs(day * 24.0 - mn_scenario_session_hour(s->sc, i)) < 1e-6))
            BAD("%s: corrupt checkpoint: session %d on day %g, scheduled on day %g", path, i, day,
                mn_scenario_session_hour(s->sc, i) / 24.0);
        else
            rc = mn_results_add_session(s->results, day, err);
    }
    for (int i = 0; !rc && i < ivars[1]; ++i) {
        double row[1 + MN_OBS_COUNT];
        const double want = mn__sim_sample_hour(s, i) / 24.0;
        if (get(f, row, sizeof row))
            BAD("%s: truncated checkpoint", path);
        else if (row[0] != want)
            BAD("%s: corrupt checkpoint: sample %d on day %g, expected day %g", path, i, row[0],
                want);
        else if (mn__sim_check_obs(s, row + 1, row[0], err))
            BAD("%s: corrupt checkpoint: sample %d: %s", path, i, err ? err->message : "");
        else
            rc = mn_results_add(s->results, row[0], row + 1, err);
    }
    for (int o = 0; !rc && o < MN_OBS_COUNT; ++o) {
        double tr[3];
        if (get(f, tr, sizeof tr))
            rc = mn_error_set(err, MN_EFORMAT, "%s: truncated checkpoint", path);
        else if (!(tr[0] == 0.0 || tr[0] == 1.0) || !isfinite(tr[1]) || !isfinite(tr[2]))
            BAD("%s: corrupt checkpoint: tracked extreme of %s", path,
                mn_observable_name((mn_observable)o));
        else if (tr[0] == 1.0)
            mn_results_track(s->results, (mn_observable)o, tr[2], tr[1]);
    }
    double d1[4];
    if (!rc && get(f, d1, sizeof d1))
        rc = mn_error_set(err, MN_EFORMAT, "%s: truncated checkpoint", path);
    if (!rc && (!(d1[0] == 0.0 || d1[0] == 1.0) || !isfinite(d1[1]) || !isfinite(d1[2]) ||
                !isfinite(d1[3]) || d1[1] < 0))
        BAD("%s: corrupt checkpoint: the first day's redness", path);
    if (!rc) {
        s->day1_erythema = d1[1];
        if (d1[0] == 1.0)
            mn_results_set_day1(s->results, d1[1], d1[2], d1[3]);
    }
    if (!rc && get(f, &has_surface, sizeof has_surface))
        BAD("%s: truncated checkpoint", path);
    if (!rc && has_surface != (s->surface != NULL))
        BAD("%s: checkpoint does not fit this run (height map %d)", path, (int)has_surface);
    if (!rc && has_surface) {
        if (get(f, s->dermal, (size_t)ivars[1] * sizeof *s->dermal))
            BAD("%s: truncated checkpoint", path);
        const double *d = (const double *)s->dermal;
        for (size_t k = 0; !rc && k < (size_t)ivars[1] * sizeof *s->dermal / sizeof *d; ++k)
            if (!isfinite(d[k]))
                BAD("%s: corrupt checkpoint: dermal state %zu is %g", path, k, d[k]);
        for (int i = 0; !rc && i < ivars[1]; ++i)
            rc = mn_surface_record(s->surface, mn_results_day(s->results, i), &s->dermal[i], err);
    }
    void *arrays[MN_CKPT_MAX_ARRAYS];
    size_t bytes[MN_CKPT_MAX_ARRAYS];
    int want = mn_model_state(s->model, arrays, bytes, MN_CKPT_MAX_ARRAYS);
    if (!rc && (get(f, &n, sizeof n) || n != want))
        BAD("%s: checkpoint of another model or grid", path);
    for (int i = 0; !rc && i < n; ++i) {
        uint64_t len;
        if (get(f, &len, sizeof len) || len != bytes[i])
            BAD("%s: checkpoint of another model or grid", path);
        else if (get(f, arrays[i], bytes[i]))
            BAD("%s: truncated checkpoint", path);
    }
    if (!rc && mn_model_check_state(s->model, err))
        BAD("%s: corrupt checkpoint: %s", path, err ? err->message : "model state");
    if (!rc)
        rc = check_last_sample(s, vars, path, err);
    uint32_t crc;
    char extra;
    if (!rc && (get(f, &crc, sizeof crc) || fread(&extra, 1, 1, f) != 0))
        BAD("%s: corrupt checkpoint: bytes after its end", path);
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
    /* Bounded: an interval tiny against the day (--checkpoint-every 1e-300) must not spin. */
    for (int k = 0; k < 4096 && cp->next_day <= day + 1e-9; ++k)
        cp->next_day += cp->every_days;
    if (cp->next_day <= day + 1e-9)
        cp->next_day = day + fmax(cp->every_days, 1e-6);
    (void)err;
    mn_error e;
    mn_error_clear(&e);
    if (write_checkpoint(cp, s, &e) != MN_OK) {
        ++cp->failures;
        if (cp->warn)
            cp->warn(cp->warn_user, &e);
    }
    return MN_OK;
}

void mn_checkpointer_on_failure(mn_checkpointer *cp,
                                void (*warn)(void *user, const mn_error *err), void *user)
{
    if (!cp)
        return;
    cp->warn = warn;
    cp->warn_user = user;
}

int mn_checkpointer_failures(const mn_checkpointer *cp)
{
    return cp ? cp->failures : 0;
}

mn_sim_observer mn_checkpointer_observer(mn_checkpointer *cp)
{
    return (mn_sim_observer){.user = cp, .on_sample = checkpoint_on_sample};
}
