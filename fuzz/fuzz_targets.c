/* The reader entry points of the fuzz harnesses and the corpus replay test (fuzz_targets.h).
 * Readers that take a path get the input as a file in one private temporary directory per
 * process (made on first use, under $TMPDIR or /tmp), rewritten for every input. */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_targets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "mnsim/cohort.h"
#include "mnsim/measure.h"
#include "mnsim/params.h"
#include "mnsim/results.h"
#include "mnsim/scenario.h"
#include "mnsim/simulate.h"
#include "mnsim/study.h"

const char mn_fuzz_journal_scenario[] = "mnsim: 1\n"
                                        "treatment: {sessions: 1}\n"
                                        "simulate: {follow_up_weeks: 2}\n"
                                        "output: {dir: fuzz-journal}\n"
                                        "cohort: {size: 12, seed: 7, every_days: 7}\n";

/* The private directory, "" when it cannot be made. */
static const char *work_dir(void)
{
    static char dir[512];
    if (!dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/mnsim-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir))
            dir[0] = '\0';
    }
    return dir;
}

/* Writes data into DIR/name; the path in path. */
static int put_file(const char *name, const uint8_t *data, size_t size, char *path, size_t cap,
                    mn_error *err)
{
    const char *dir = work_dir();
    if (!dir[0])
        return mn_error_set(err, MN_EIO, "fuzz: cannot make a temporary directory");
    snprintf(path, cap, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return mn_error_set(err, MN_EIO, "fuzz: cannot write %s", path);
    int bad = size && fwrite(data, 1, size, f) != size;
    bad |= fclose(f) != 0;
    return bad ? mn_error_set(err, MN_EIO, "fuzz: cannot write %s", path) : MN_OK;
}

/* A copy to repair checksums in (never NULL for size 0). */
static uint8_t *copy_of(const uint8_t *data, size_t size)
{
    uint8_t *c = malloc(size ? size : 1);
    if (c && size)
        memcpy(c, data, size);
    return c;
}

/* A NUL-terminated copy. */
static char *text_of(const uint8_t *data, size_t size)
{
    char *t = malloc(size + 1);
    if (t) {
        if (size)
            memcpy(t, data, size);
        t[size] = '\0';
    }
    return t;
}

int mn_fuzz_scenario(const uint8_t *data, size_t size, mn_error *err)
{
    char *text = text_of(data, size);
    mn_scenario *sc = malloc(sizeof *sc);
    int rc = MN_ENOMEM;
    if (text && sc) {
        mn_scenario_default(sc);
        rc = mn_scenario_load_string(sc, text, "fuzz.yaml", err);
        if (rc == MN_OK) { /* what the reader accepts must be valid and write out */
            rc = mn_scenario_validate(sc, err);
            FILE *null = fopen("/dev/null", "w");
            if (null) {
                mn_scenario_write_yaml(sc, null);
                fclose(null);
            }
        }
    } else {
        mn_error_set(err, rc, "fuzz: out of memory");
    }
    free(sc);
    free(text);
    return rc;
}

int mn_fuzz_set(const uint8_t *data, size_t size, mn_error *err)
{
    char *text = text_of(data, size);
    mn_scenario *sc = malloc(sizeof *sc);
    const char *sets[64];
    int n = 0, rc = MN_ENOMEM;
    if (!text || !sc) {
        free(sc);
        free(text);
        return mn_error_set(err, rc, "fuzz: out of memory");
    }
    /* One assignment a line, NULs end lines too (an argument cannot hold one); a last newline
     * ends the last line. */
    if (size && text[size - 1] == '\n')
        text[--size] = '\0';
    for (char *s = text, *end = text + size; s <= end && n < 64;) {
        char *nl = s;
        while (nl < end && *nl != '\n' && *nl != '\0')
            ++nl;
        *nl = '\0';
        sets[n++] = s;
        s = nl + 1;
    }
    rc = mn_scenario_from_text(sc, NULL, "fuzz", sets, n, err);
    free(sc);
    free(text);
    return rc;
}

int mn_fuzz_params(const uint8_t *data, size_t size, mn_error *err)
{
    char path[1024];
    int rc = put_file("params.yaml", data, size, path, sizeof path, err);
    if (rc)
        return rc;
    mn_params p;
    mn_params_default(&p);
    rc = mn_params_load_file(&p, path, err);
    if (rc == MN_OK) {
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            mn_params_write_yaml(&p, null);
            fclose(null);
        }
    }
    return rc;
}

int mn_fuzz_study(const uint8_t *data, size_t size, mn_error *err)
{
    char path[1024];
    int rc = put_file("study.yaml", data, size, path, sizeof path, err);
    if (rc)
        return rc;
    mn_study_set *set = NULL;
    rc = mn_study_set_create(&set, err);
    if (!rc)
        rc = mn_study_set_add_file(set, path, err);
    mn_study_set_free(&set);
    return rc;
}

/* The longest run a loaded checkpoint is resumed to (days): the seeds' runs are shorter, and a
 * checkpoint whose scenario asks for years would make every input take seconds. */
#define FUZZ_RESUME_MAX_DAYS 60.0

int mn_fuzz_checkpoint(const uint8_t *data, size_t size, mn_error *err)
{
    uint8_t *copy = copy_of(data, size);
    if (!copy)
        return mn_error_set(err, MN_ENOMEM, "fuzz: out of memory");
    if (size >= 4) {
        uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), copy, (uInt)(size - 4));
        memcpy(copy + size - 4, &crc, 4);
    }
    char path[1024];
    int rc = put_file("checkpoint.mnck", copy, size, path, sizeof path, err);
    free(copy);
    if (rc)
        return rc;
    mn_scenario *sc = malloc(sizeof *sc);
    if (!sc)
        return mn_error_set(err, MN_ENOMEM, "fuzz: out of memory");
    mn_params p;
    rc = mn_simulate_checkpoint_load(work_dir(), sc, &p, err);
    if (rc == MN_OK && sc->simulate.model == MN_MODEL_COLUMN &&
        mn_scenario_end_hour(sc) <= 24.0 * FUZZ_RESUME_MAX_DAYS) {
        mn_checkpointer *cp = NULL;
        rc = mn_checkpointer_create(work_dir(), 0, &cp, err);
        mn_results *res = NULL;
        const mn_sim_settings set = {.time_step_scale = 1.0};
        if (!rc)
            rc = mn_simulate_observed(sc, &p, &set, NULL, 0, cp, &res, err);
        mn_results_free(&res);
        mn_checkpointer_free(&cp);
    }
    free(sc);
    return rc;
}

/* Bytes of the journal's header (magic, key, record length) and of one record's checksum. */
#define FUZZ_JOURNAL_HEADER 24
#define FUZZ_JOURNAL_CRC 8

int mn_fuzz_journal(const uint8_t *data, size_t size, mn_error *err)
{
    static mn_scenario sc;
    static int have_sc;
    if (!have_sc) {
        int rc = mn_scenario_from_text(&sc, mn_fuzz_journal_scenario, "journal.yaml", NULL, 0, err);
        if (rc)
            return rc;
        have_sc = 1;
    }
    mn_params p;
    mn_params_default(&p);
    /* The record length comes from the cohort: plan it once without a journal. */
    static long record_bytes;
    if (!record_bytes) {
        mn_cohort *c = NULL;
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/plan", work_dir());
        const mn_cohort_options o = {.resume = 0};
        int rc = mn_cohort_create(&sc, &p, dir, &o, &c, err);
        if (rc)
            return rc;
        record_bytes = (long)mn_cohort_record_len(c) * 8 + FUZZ_JOURNAL_CRC;
        mn_cohort_free(&c);
    }
    uint8_t *copy = copy_of(data, size);
    if (!copy)
        return mn_error_set(err, MN_ENOMEM, "fuzz: out of memory");
    for (size_t at = FUZZ_JOURNAL_HEADER; at + (size_t)record_bytes <= size;
         at += (size_t)record_bytes) {
        size_t values = (size_t)record_bytes - FUZZ_JOURNAL_CRC;
        uint64_t crc = (uint64_t)crc32(crc32(0L, Z_NULL, 0), copy + at, (uInt)values);
        memcpy(copy + at + values, &crc, sizeof crc);
    }
    char path[1024];
    int rc = put_file("cohort-journal.0.bin", copy, size, path, sizeof path, err);
    free(copy);
    if (rc)
        return rc;
    mn_cohort *c = NULL;
    const mn_cohort_options o = {.resume = 1};
    rc = mn_cohort_create(&sc, &p, work_dir(), &o, &c, err);
    if (rc == MN_OK) {
        for (long i = 0; i < mn_cohort_size(c); ++i)
            if (mn_cohort_is_done(c, i) && !mn_cohort_record(c, i))
                abort(); /* a done patient has its record */
    }
    mn_cohort_free(&c);
    return rc;
}

/* The measure reader of one format, the colour reader, and on small inputs the measurement and
 * the tone. */
int mn_fuzz_measure(int format, const uint8_t *data, size_t size, mn_error *err)
{
    mn_measure_read_opts o = {.format = (mn_measure_format)format,
                              .pixel_um = 10.0,
                              .z_scale_um = 0.01,
                              .max_pixels = (size_t)1 << 20};
    mn_field *f = NULL;
    int rc = mn_measure_read_memory(data, size, "fuzz", &o, &f, err);
    if (rc == MN_OK) {
        if (mn_field_xres(f) * mn_field_yres(f) <= 4096) {
            mn_measure_settings s;
            mn_measure_settings_default(&s);
            mn_measure_result r;
            unsigned char *mask = NULL;
            mn_error e;
            mn_measure_field(f, "fuzz", &s, &r, &mask, &e);
            free(mask);
        }
        mn_field_free(&f);
    }
    mn_rgb_image *img = NULL;
    mn_error e2;
    int rc2 = mn_measure_read_rgb_memory(data, size, "fuzz", &o, &img, &e2);
    if (rc2 == MN_OK) {
        if (img->xres * img->yres <= 4096) {
            mn_tone_result t;
            unsigned char *spots = NULL;
            mn_measure_tone(img, NULL, &t, &spots, &e2);
            free(spots);
        }
        mn_measure_rgb_free(&img);
    }
    return rc;
}

static uint32_t be32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

int mn_fuzz_pngcrc(const uint8_t *data, size_t size, mn_error *err)
{
    uint8_t *copy = copy_of(data, size);
    if (!copy)
        return mn_error_set(err, MN_ENOMEM, "fuzz: out of memory");
    /* Chunks after the 8-byte signature: length, type, data, CRC-32 of type and data. */
    for (size_t at = 8; at + 12 <= size;) {
        uint32_t len = be32(copy + at);
        if (len > size - at - 12)
            break;
        uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), copy + at + 4, (uInt)len + 4);
        uint8_t *c = copy + at + 8 + len;
        c[0] = (uint8_t)(crc >> 24), c[1] = (uint8_t)(crc >> 16), c[2] = (uint8_t)(crc >> 8);
        c[3] = (uint8_t)crc;
        at += 12 + (size_t)len;
    }
    int rc = mn_fuzz_measure(MN_MEASURE_FORMAT_PNG, copy, size, err);
    free(copy);
    return rc;
}

#define MEASURE_TARGET(fmt, FMT)                                                                   \
    static int fuzz_##fmt(const uint8_t *data, size_t size, mn_error *err)                         \
    {                                                                                              \
        return mn_fuzz_measure(MN_MEASURE_FORMAT_##FMT, data, size, err);                          \
    }
MEASURE_TARGET(gsf, GSF)
MEASURE_TARGET(csv, CSV)
MEASURE_TARGET(png, PNG)
MEASURE_TARGET(jpeg, JPEG)
MEASURE_TARGET(gwy, GWY)
MEASURE_TARGET(sdf, SDF)

const mn_fuzz_target mn_fuzz_targets[] = {{"scenario", mn_fuzz_scenario},
                                          {"set", mn_fuzz_set},
                                          {"params", mn_fuzz_params},
                                          {"study", mn_fuzz_study},
                                          {"checkpoint", mn_fuzz_checkpoint},
                                          {"journal", mn_fuzz_journal},
                                          {"pngcrc", mn_fuzz_pngcrc},
                                          {"gsf", fuzz_gsf},
                                          {"csv", fuzz_csv},
                                          {"png", fuzz_png},
                                          {"jpeg", fuzz_jpeg},
                                          {"gwy", fuzz_gwy},
                                          {"sdf", fuzz_sdf},
                                          {NULL, NULL}};
