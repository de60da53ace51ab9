/* Cohort planning, the parallel run over patients and the resume journal (docs/cohort.md). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "cohort/cohort_impl.h"
#include "mnsim/jobs.h"
#include "mnsim/io.h"
#include "mnsim/posterior.h"
#include "mnsim/progress.h"
#include "mnsim/results.h"

#define MN__JOURNAL_PREFIX "cohort-journal."
/* MNCOHJ2: every record (record_len doubles) is followed by its CRC-32 (zlib) as a uint64, so a
 * damaged record is told from a sound one; a journal of MNCOHJ1 is another run's (ignored). */
#define MN__JOURNAL_MAGIC "MNCOHJ2"

typedef struct journal_header {
    char magic[8];
    uint64_t key;
    int64_t record_len;
} journal_header;

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *b = data;
    for (size_t i = 0; i < n; ++i) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* Identity of a run: the resolved scenario (as JSON, without output.dir) and the parameters. */
static uint64_t run_key(const mn_scenario *sc, const mn_params *p, const mn_posterior *post,
                        int record_len)
{
    mn_scenario copy = *sc;
    memset(copy.output.dir, 0, sizeof copy.output.dir);
    snprintf(copy.output.dir, sizeof copy.output.dir, "-");
    uint64_t h = 0xcbf29ce484222325ull;
    json_t *j = mn_scenario_to_json(&copy);
    char *text = j ? json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
    if (text)
        h = fnv1a(h, text, strlen(text));
    free(text);
    json_decref(j);
    h = fnv1a(h, p, sizeof *p);
    /* A posterior's draws make other patients: its names and values are part of the run. */
    for (int i = 0; post && i < mn_posterior_param_count(post); ++i) {
        const char *name = mn_posterior_param(post, i)->name;
        h = fnv1a(h, name, strlen(name));
        for (int d = 0; d < mn_posterior_draw_count(post); ++d) {
            const double v = mn_posterior_value(post, d, i);
            h = fnv1a(h, &v, sizeof v);
        }
    }
    return fnv1a(h, &record_len, sizeof record_len);
}

/* The first column of a patient record that is not a number where one must be (Sa/Sq/Sz are
 * NaN by design in lean runs), −1 when the record is sound. */
long mn__record_bad_column(const mn_cohort *c, const double *row)
{
    for (long k = 0; k < c->record_len; ++k) {
        if (k >= MN__R_BASELINE) {
            long o = (k - MN__R_BASELINE) % MN_OBS_COUNT;
            if (o == MN_OBS_SA_UM || o == MN_OBS_SQ_UM || o == MN_OBS_SZ_UM)
                continue;
        }
        if (!isfinite(row[k]))
            return k;
    }
    return -1;
}

void mn_cohort_free(mn_cohort **c)
{
    if (!c || !*c)
        return;
    free((*c)->days);
    free((*c)->samples);
    free((*c)->grid_at);
    free((*c)->records);
    free((*c)->done);
    free(*c);
    *c = NULL;
}

static int journal_path(const mn_cohort *c, int rank, char *buf, size_t size, mn_error *err)
{
    char name[64];
    snprintf(name, sizeof name, MN__JOURNAL_PREFIX "%d.bin", rank);
    return mn_path_join(buf, size, c->dir, name, err);
}

static uint64_t record_crc(const double *row, int record_len)
{
    return (uint64_t)crc32(crc32(0L, Z_NULL, 0), (const Bytef *)row,
                           (uInt)((size_t)record_len * sizeof *row));
}

/* Bytes of one journal record: the values and their checksum. */
static long record_bytes(const mn_cohort *c)
{
    return (long)c->record_len * (long)sizeof(double) + (long)sizeof(uint64_t);
}

/* Reads one journal of this run (right magic, key and record length; another run's is
 * ignored): every complete record is checked — checksum, patient index in range and not seen
 * before, every value a number where one must be — and any that is not is refused (MN_EFORMAT:
 * the journal was damaged; --fresh starts over). A torn last record (the run was killed while
 * writing it) is ignored. */
static int read_journal(mn_cohort *c, const char *path, mn_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return MN_OK;
    journal_header h;
    int rc = MN_OK;
    if (fread(&h, sizeof h, 1, f) == 1 && memcmp(h.magic, MN__JOURNAL_MAGIC, 8) == 0 &&
        h.key == c->key && h.record_len == c->record_len) {
        double *row = malloc((size_t)record_bytes(c));
        if (!row)
            rc = mn_error_set(err, MN_ENOMEM, "out of memory reading %s", path);
        for (long k = 0; !rc && fread(row, (size_t)record_bytes(c), 1, f) == 1; ++k) {
            uint64_t crc;
            memcpy(&crc, row + c->record_len, sizeof crc);
            double idx = row[MN__R_INDEX];
            long col = -1;
            if (crc != record_crc(row, c->record_len))
                rc = mn_error_set(err, MN_EFORMAT,
                                  "%s: record %ld is damaged (checksum mismatch); run with "
                                  "--fresh to start the cohort over",
                                  path, k);
            else if (!(idx >= 0 && idx < (double)c->size) || idx != floor(idx))
                rc = mn_error_set(err, MN_EFORMAT,
                                  "%s: record %ld: patient index %g is not one of 0 to %ld; run "
                                  "with --fresh to start the cohort over",
                                  path, k, idx, c->size - 1);
            else if (c->done[(long)idx])
                rc = mn_error_set(err, MN_EFORMAT,
                                  "%s: record %ld: patient %ld is recorded twice; run with "
                                  "--fresh to start the cohort over",
                                  path, k, (long)idx);
            else if ((col = mn__record_bad_column(c, row)) >= 0)
                rc = mn_error_set(err, MN_EFORMAT,
                                  "%s: record %ld (patient %ld): value %ld is %g; run with "
                                  "--fresh to start the cohort over",
                                  path, k, (long)idx, col, row[col]);
            else
                mn_cohort_set_record(c, (long)idx, row);
        }
        free(row);
    }
    fclose(f);
    return rc;
}

static int for_each_journal(mn_cohort *c, int remove_them, mn_error *err)
{
    DIR *d = opendir(c->dir);
    if (!d)
        return mn_error_set(err, MN_EIO, "%s: cannot list directory: %s", c->dir, strerror(errno));
    struct dirent *e;
    int rc = MN_OK;
    while (!rc && (e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, MN__JOURNAL_PREFIX, strlen(MN__JOURNAL_PREFIX)) != 0)
            continue;
        char path[MN_PATH_MAX];
        rc = mn_path_join(path, sizeof path, c->dir, e->d_name, err);
        if (rc)
            break;
        if (remove_them)
            remove(path);
        else
            rc = read_journal(c, path, err);
    }
    closedir(d);
    return rc;
}

int mn__age_band(double age_years)
{
    if (age_years < 35)
        return 0;
    if (age_years < 45)
        return 1;
    if (age_years < 55)
        return 2;
    if (age_years < 65)
        return 3;
    return 4;
}

const char *mn__age_band_name(int band)
{
    static const char *const names[MN__AGE_BANDS] = {"18-34", "35-44", "45-54", "55-64", "65+"};
    return band >= 0 && band < MN__AGE_BANDS ? names[band] : "?";
}

int mn_cohort_create(const mn_scenario *sc, const mn_params *p, const char *dir,
                     const mn_cohort_options *opt, mn_cohort **out, mn_error *err)
{
    if (!sc || !p || !dir || !out)
        return mn_error_set(err, MN_EINVAL, "mn_cohort_create: NULL argument");
    *out = NULL;
    int rc = mn_scenario_validate(sc, err);
    if (rc)
        return rc;
    mn_cohort *c = calloc(1, sizeof *c);
    if (!c)
        return mn_error_set(err, MN_ENOMEM, "out of memory for the cohort");
    c->sc = *sc;
    c->p = *p;
    if (opt)
        c->opt = *opt;
    if (c->opt.ranks < 1)
        c->opt.ranks = 1;
    if (c->opt.rank < 0 || c->opt.rank >= c->opt.ranks) {
        mn_cohort_free(&c);
        return mn_error_set(err, MN_EINVAL, "mn_cohort_create: rank %d of %d", opt->rank,
                            opt->ranks);
    }
    snprintf(c->dir, sizeof c->dir, "%s", dir);
    c->size = sc->cohort.size;
    /* Summary grid: every cohort.every_days from day 0, and the horizon. */
    const double end = mn_scenario_end_hour(sc) / 24.0, step = sc->cohort.every_days;
    int n = (int)floor(end / step + 1e-9) + 1;
    int with_end = end - (n - 1) * step > 1e-6;
    c->ndays = n + with_end;
    c->days = malloc((size_t)c->ndays * sizeof *c->days);
    c->grid_at = malloc((size_t)c->ndays * sizeof *c->grid_at);
    if (!c->days || !c->grid_at) {
        mn_cohort_free(&c);
        return mn_error_set(err, MN_ENOMEM, "out of memory for the cohort");
    }
    for (int i = 0; i < n; ++i)
        c->days[i] = i * step;
    if (with_end)
        c->days[n] = end;
    rc = mn__cohort_sample_days(c->days, c->ndays, &c->samples, &c->nsamples, err);
    if (rc) {
        mn_cohort_free(&c);
        return rc;
    }
    for (int g = 0, s = 0; g < c->ndays; ++g) {
        while (s < c->nsamples && c->samples[s] < c->days[g] - 1e-9)
            ++s;
        c->grid_at[g] = s;
    }
    c->record_len = MN__R_BASELINE + MN_OBS_COUNT * (1 + c->ndays);
    size_t cells = (size_t)c->size * (size_t)c->record_len;
    c->records = malloc(cells * sizeof *c->records);
    c->done = calloc((size_t)c->size, 1);
    if (!c->records || !c->done) {
        mn_cohort_free(&c);
        return mn_error_set(err, MN_ENOMEM,
                            "out of memory for %ld patients x %d values (%.0f MB): run fewer "
                            "patients or a coarser cohort.every_days",
                            (long)sc->cohort.size, c->record_len, cells * 8e-6);
    }
    c->key = run_key(sc, p, c->opt.posterior, c->record_len);
    rc = mn_mkdir_p(dir, err);
    if (!rc && c->opt.resume)
        rc = for_each_journal(c, 0, err);
    if (rc) {
        mn_cohort_free(&c);
        return rc;
    }
    *out = c;
    return MN_OK;
}

long mn_cohort_size(const mn_cohort *c)
{
    return c ? c->size : 0;
}

int mn_cohort_record_len(const mn_cohort *c)
{
    return c ? c->record_len : 0;
}

int mn_cohort_is_done(const mn_cohort *c, long i)
{
    return c && i >= 0 && i < c->size && c->done[i];
}

const double *mn_cohort_record(const mn_cohort *c, long i)
{
    return mn_cohort_is_done(c, i) ? c->records + (size_t)i * (size_t)c->record_len : NULL;
}

long mn_cohort_done_count(const mn_cohort *c)
{
    return c ? c->done_count : 0;
}

int mn_cohort_set_record(mn_cohort *c, long i, const double *record)
{
    if (!c || !record || i < 0 || i >= c->size)
        return MN_EINVAL;
    memcpy(c->records + (size_t)i * (size_t)c->record_len, record,
           (size_t)c->record_len * sizeof *record);
    if (!c->done[i]) {
        c->done[i] = 1;
        ++c->done_count;
    }
    return MN_OK;
}

/* Simulates patient i into row (record_len doubles). */
static int simulate_patient(const mn_cohort *c, long i, double *row, mn_error *err)
{
    mn_scenario sc;
    mn_params p;
    int rc = mn_cohort_patient_posterior(&c->sc, &c->p, c->opt.posterior, i, &sc, &p, err);
    if (rc)
        return rc;
    double downtime = 0.0;
    mn_results *r = NULL;
    rc = mn_cohort_simulate_lean(&sc, &p, c->samples, c->nsamples, &r, &downtime, err);
    if (rc) {
        /* Name the patient: the cohort stops at the lowest failing one (mn_jobs_run). */
        if (err) {
            char msg[MN_ERROR_MESSAGE_MAX];
            snprintf(msg, sizeof msg, "%s", err->message);
            mn_error_set(err, rc, "patient %ld: %s", i, msg);
        }
        return rc;
    }
    if (mn_results_count(r) != c->nsamples) {
        mn_results_free(&r);
        return mn_error_set(err, MN_EINVAL, "patient %ld: %d samples, expected %d", i,
                            mn_results_count(r), c->nsamples);
    }
    mn_patient_outcome o;
    mn__outcome_from(mn_results_baseline(r, MN_OBS_WRINKLE_GRADE),
                     mn_results_final(r, MN_OBS_WRINKLE_GRADE), downtime,
                     mn_results_final(r, MN_OBS_PIH_RISK), &o);
    row[MN__R_INDEX] = (double)i;
    row[MN__R_AGE] = sc.patient.age_years;
    row[MN__R_SEX] = sc.patient.sex;
    row[MN__R_SKIN] = sc.patient.skin_type;
    row[MN__R_PHOTOAGING] = sc.patient.photoaging;
    row[MN__R_SITE] = sc.patient.site;
    row[MN__R_SMOKER] = sc.patient.smoker;
    row[MN__R_GRADE0] = o.grade0;
    row[MN__R_GRADE_FINAL] = o.grade_final;
    row[MN__R_IMPROVEMENT] = o.improvement;
    row[MN__R_RESPONDER] = o.responder;
    row[MN__R_DOWNTIME] = o.downtime_days;
    row[MN__R_PIH] = o.pih_risk;
    for (int k = 0; k < MN_OBS_COUNT; ++k)
        row[MN__R_BASELINE + k] = mn_results_baseline(r, (mn_observable)k);
    for (int g = 0; g < c->ndays; ++g)
        for (int k = 0; k < MN_OBS_COUNT; ++k)
            row[MN__R_BASELINE + MN_OBS_COUNT * (1 + g) + k] =
                mn_results_value(r, (mn_observable)k, c->grid_at[g]);
    mn_results_free(&r);
    long col = mn__record_bad_column(c, row);
    if (col >= 0)
        return mn_error_set(err, MN_ENUMERIC,
                            "patient %ld: value %ld of its record is %g: the parameter set drawn "
                            "for this patient produced a non-finite value",
                            i, col, row[col]);
    return MN_OK;
}

/* Patient todo[k] of this rank (mn_jobs_run): simulated, then appended to the journal in
 * completion order (the journal is keyed by patient index, so its order does not matter). */
struct patient_jobs {
    mn_cohort *c;
    const long *todo;
    FILE *journal;
    const char *path;
    mn_progress *progress;
    long simulated; /* under the critical section */
    int stopped;
};

static int journal_patient(void *user, long k, mn_error *err)
{
    struct patient_jobs *j = user;
    mn_cohort *c = j->c;
    const long i = j->todo[k];
    double *row = c->records + (size_t)i * (size_t)c->record_len;
    int rc = simulate_patient(c, i, row, err);
    if (rc)
        return rc;
    const uint64_t crc = record_crc(row, c->record_len);
    MN__OMP("omp critical(mn__cohort_journal)")
    {
        if (j->stopped) {
            rc = MN_JOBS_STOP;
        } else if (fwrite(row, sizeof *row, (size_t)c->record_len, j->journal) !=
                       (size_t)c->record_len ||
                   fwrite(&crc, sizeof crc, 1, j->journal) != 1 || fflush(j->journal) != 0) {
            rc = mn_error_set(err, MN_EIO, "%s: write error", j->path);
        } else {
            c->done[i] = 1;
            ++c->done_count;
            ++j->simulated;
            mn_progress_update(j->progress, (double)j->simulated, "patients");
            if (c->opt.stop_after > 0 && j->simulated >= c->opt.stop_after) {
                j->stopped = 1;
                rc = MN_JOBS_STOP;
            }
        }
    }
    return rc;
}

int mn_cohort_run(mn_cohort *c, mn_error *err)
{
    if (!c)
        return mn_error_set(err, MN_EINVAL, "mn_cohort_run: NULL cohort");
    const int rank = c->opt.rank, ranks = c->opt.ranks;
    /* This rank's patients that are not done yet. */
    long todo_n = 0;
    long *todo = malloc((size_t)(c->size / ranks + 1) * sizeof *todo);
    if (!todo)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    for (long i = rank; i < c->size; i += ranks)
        if (!c->done[i])
            todo[todo_n++] = i;
    char path[MN_PATH_MAX];
    int rc = journal_path(c, rank, path, sizeof path, err);
    FILE *journal = NULL;
    if (!rc) {
        /* Keep an existing journal of this run (resume), start a new one otherwise. */
        FILE *probe = c->opt.resume ? fopen(path, "rb") : NULL;
        journal_header h = {{0}, 0, 0};
        int keep = probe && fread(&h, sizeof h, 1, probe) == 1 &&
                   memcmp(h.magic, MN__JOURNAL_MAGIC, 8) == 0 && h.key == c->key &&
                   h.record_len == c->record_len;
        if (probe)
            fclose(probe);
        if (keep) {
            /* Cut a torn last record so appended ones stay aligned. */
            FILE *f = fopen(path, "rb");
            long bytes = -1;
            if (f && fseek(f, 0, SEEK_END) == 0)
                bytes = ftell(f);
            if (f)
                fclose(f);
            long rec = record_bytes(c);
            if (bytes >= (long)sizeof h &&
                truncate(path, (long)sizeof h + (bytes - (long)sizeof h) / rec * rec) != 0)
                keep = 0;
        }
        journal = fopen(path, keep ? "ab" : "wb");
        if (!journal) {
            rc = mn_error_set(err, MN_EIO, "%s: cannot write the cohort journal: %s", path,
                              strerror(errno));
        } else if (!keep) {
            journal_header nh = {MN__JOURNAL_MAGIC, c->key, c->record_len};
            if (fwrite(&nh, sizeof nh, 1, journal) != 1 || fflush(journal) != 0)
                rc = mn_error_set(err, MN_EIO, "%s: write error", path);
        }
    }
    if (rc) {
        if (journal)
            fclose(journal);
        free(todo);
        return rc;
    }
    mn_progress *progress = NULL;
    if (c->opt.show_progress && rank == 0)
        progress = mn_progress_start("mnsim cohort", (double)todo_n);
    struct patient_jobs ctx = {
        .c = c, .todo = todo, .journal = journal, .path = path, .progress = progress};
    int failed = 0;
    mn_error first = {0, ""};
    if (mn_jobs_run(todo_n, 0, 4, journal_patient, &ctx, &first))
        failed = 1;
    const long simulated = ctx.simulated;
    mn_progress_finish(&progress);
    if (fclose(journal) != 0 && !failed) {
        mn_error_set(&first, MN_EIO, "%s: write error", path);
        failed = 1;
    }
    free(todo);
    if (failed) {
        if (err)
            *err = first;
        return first.code ? first.code : MN_EIO;
    }
    if (ctx.stopped)
        return mn_error_set(err, MN_ERANGE,
                            "stopped after %ld patients (run the same command again to resume)",
                            simulated);
    return MN_OK;
}

int mn__cohort_remove_journals(mn_cohort *c, mn_error *err)
{
    return for_each_journal(c, 1, err);
}
