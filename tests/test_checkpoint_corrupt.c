/* Damaged checkpoints and cohort journals (docs/reliability.md): a real checkpoint with every
 * field overwritten by an invalid value (checksum recomputed, so the field checks are what is
 * tested), truncated at many lengths, and with random bytes changed at many seeded offsets
 * (checksum left alone); every `mnsim resume` must refuse with exit 2 or give the uninterrupted
 * run's bytes, under `timeout` (a hang fails) and never crash. Journals: a damaged record, a
 * NaN value, a duplicated or out-of-range patient index are refused with exit 2. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "mnsim/scenario.h"
#include "mnsim/params.h"
#include "mnsim/outcome.h"
#include "testutil.h"

#define RUN_ARGS                                                                                   \
    "--quiet --set output.images=false --set simulate.follow_up_weeks=2 --set "                   \
    "treatment.adjuncts=[prp]"

static char dir[256], out[512];
static unsigned char *pristine;
static size_t pristine_size;
static char *ref_json, *ref_csv;

static void put_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void fix_crc(unsigned char *b, size_t n)
{
    uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), b, (uInt)(n - 4));
    memcpy(b + n - 4, &crc, 4);
}

/* Resumes from checkpoint bytes b; returns 0 for "identical results", 2 for "refused", and
 * fails the test for anything else (other exit code, crash, hang, different bytes). */
static int resume_with(const unsigned char *b, size_t n, const char *what)
{
    char path[700], cmd[1600], log[4096];
    snprintf(path, sizeof path, "%s/checkpoint.mnck", out);
    put_file(path, b, n);
    snprintf(cmd, sizeof cmd, "rm -f %s/results.json %s/timeseries.csv", out, out);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "timeout 60 %s resume %s --quiet", MNSIM_BINARY, out);
    int rc = mn_test_run(cmd, log, sizeof log);
    assert_true_msg(rc == 0 || rc == 2, "%s: resume exit %d (124 = hang, > 128 = crash): %s",
                    what, rc, log);
    if (rc == 2) {
        assert_true_msg(strstr(log, "checkpoint") != NULL, "%s: message %s", what, log);
        return 2;
    }
    char p[800];
    snprintf(p, sizeof p, "%s/results.json", out);
    char *json = mn_test_read(p, NULL);
    snprintf(p, sizeof p, "%s/timeseries.csv", out);
    char *csv = mn_test_read(p, NULL);
    assert_true_msg(json && csv && !strcmp(json, ref_json) && !strcmp(csv, ref_csv),
                    "%s: resumed without refusing but the results differ", what);
    free(json);
    free(csv);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    char cmd[1600], log[4096], p[800];
    mn_test_tmpdir(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/run", dir);
    /* The uninterrupted run, then the same run with a checkpoint at day 30. */
    snprintf(cmd, sizeof cmd, "%s run " RUN_ARGS " --out %s", MNSIM_BINARY, out);
    assert_int_equal(mn_test_run(cmd, log, sizeof log), 0);
    snprintf(p, sizeof p, "%s/results.json", out);
    ref_json = mn_test_read(p, NULL);
    snprintf(p, sizeof p, "%s/timeseries.csv", out);
    ref_csv = mn_test_read(p, NULL);
    snprintf(cmd, sizeof cmd, "rm -rf %s && %s run " RUN_ARGS " --checkpoint-every 30 --out %s",
             out, MNSIM_BINARY, out);
    assert_int_equal(mn_test_run(cmd, log, sizeof log), 0);
    snprintf(p, sizeof p, "%s/checkpoint.mnck", out);
    pristine = (unsigned char *)mn_test_read(p, &pristine_size);
    assert_non_null(pristine);
    assert_non_null(ref_json);
    assert_non_null(ref_csv);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(pristine);
    free(ref_json);
    free(ref_csv);
    mn_test_rmtree(dir);
    return 0;
}

/* Layout of MNSIMCK4 (src/sim/checkpoint.c). */
typedef struct layout {
    size_t sc, p, vars, ivars, sess, rows, tracked, has_surface, dermal, n, arrays, crc;
    int32_t iv[3];
} layout;

static layout layout_of(const unsigned char *b, size_t n)
{
    layout L;
    L.sc = 24;
    L.p = L.sc + sizeof(mn_scenario);
    L.vars = L.p + sizeof(mn_params);
    L.ivars = L.vars + 8 * sizeof(double);
    memcpy(L.iv, b + L.ivars, sizeof L.iv);
    L.sess = L.ivars + 3 * sizeof(int32_t);
    L.rows = L.sess + (size_t)L.iv[2] * sizeof(double);
    /* After the samples: the extremes tracked between samples (flag, value, day for each
     * observable) and the first day's strongest redness (flag, erythema, edema, day). */
    L.tracked = L.rows + (size_t)L.iv[1] * (1 + MN_OBS_COUNT) * sizeof(double);
    L.has_surface = L.tracked + (3 * MN_OBS_COUNT + 4) * sizeof(double);
    L.dermal = L.has_surface + sizeof(int32_t);
    L.n = L.dermal + (size_t)L.iv[1] * sizeof(mn_dermal_state);
    L.arrays = L.n + sizeof(int32_t);
    L.crc = n - 4;
    return L;
}

static void test_pristine_resumes_identically(void **state)
{
    (void)state;
    assert_int_equal(resume_with(pristine, pristine_size, "pristine"), 0);
}

/* Overwrites `size` bytes at `off` with `value`, fixes the checksum, resumes: must refuse, or
 * (a value that changes nothing, e.g. a topical window already over) give the same bytes. */
static int refused, tried;
static void must_refuse(size_t off, const void *value, size_t size, const char *what)
{
    unsigned char *b = malloc(pristine_size);
    memcpy(b, pristine, pristine_size);
    memcpy(b + off, value, size);
    fix_crc(b, pristine_size);
    refused += resume_with(b, pristine_size, what) == 2;
    ++tried;
    free(b);
}

static void test_fields(void **state)
{
    (void)state;
    const layout L = layout_of(pristine, pristine_size);
    assert_int_equal(L.iv[0], 3); /* every session done by day 30 */
    const double bad_d[] = {NAN, INFINITY, -INFINITY, -1.0, 1e300, -1e-300};
    char what[128];
    /* Loop variables: t, dt, pain, topical window, PIH hazard, next checkpoint day, interval,
     * PIH rate. (0 is valid for some, so it is not among the values.) */
    for (int v = 0; v < 8; ++v)
        for (size_t k = 0; k < sizeof bad_d / sizeof bad_d[0]; ++k) {
            if ((v == 3 && bad_d[k] == -1e-300) || (v == 5 && bad_d[k] == INFINITY))
                continue; /* a topical window of −1e-300 h and "no next checkpoint" are valid */
            if (v == 5 && bad_d[k] == 1e300)
                continue; /* a checkpoint day beyond the end: valid (none is written) */
            snprintf(what, sizeof what, "loop variable %d = %g", v, bad_d[k]);
            must_refuse(L.vars + (size_t)v * 8, &bad_d[k], 8, what);
        }
    const double t_off = 12.5; /* a time that is not the sample's */
    must_refuse(L.vars, &t_off, 8, "t between samples");
    const double zero = 0.0;
    must_refuse(L.vars + 8, &zero, 8, "dt = 0");
    /* Counts. */
    const int32_t bad_i[] = {-1, 1 << 30, -(1 << 30), 0x7fffffff};
    for (int v = 0; v < 3; ++v)
        for (size_t k = 0; k < sizeof bad_i / sizeof bad_i[0]; ++k) {
            snprintf(what, sizeof what, "count %d = %d", v, bad_i[k]);
            must_refuse(L.ivars + (size_t)v * 4, &bad_i[k], 4, what);
        }
    for (int v = 0; v < 2; ++v) {
        int32_t x = L.iv[v] - 1;
        snprintf(what, sizeof what, "count %d one less", v);
        must_refuse(L.ivars + (size_t)v * 4, &x, 4, what);
    }
    /* Session and sample days, observables, height-map flag, dermal states. */
    must_refuse(L.sess + 8, &bad_d[0], 8, "session day NaN");
    const double day9 = 9.0;
    must_refuse(L.sess + 8, &day9, 8, "session day off schedule");
    must_refuse(L.rows + (1 + MN_OBS_COUNT) * 8, &day9, 8, "sample day off the grid");
    must_refuse(L.rows + (1 + MN_OBS_COUNT) * 8 + 8, &bad_d[0], 8, "observable NaN");
    must_refuse(L.rows + 8 * 3, &bad_d[1], 8, "observable infinite");
    must_refuse(L.tracked, &bad_d[3], 8, "tracked flag -1");
    must_refuse(L.tracked + 8 * (3 * MN_OBS_ERYTHEMA + 1), &bad_d[0], 8, "tracked value NaN");
    must_refuse(L.tracked + 8 * 3 * MN_OBS_COUNT + 8, &bad_d[1], 8, "day-1 redness infinite");
    const int32_t two = 2, none = 0, many = 99, minus = -1;
    must_refuse(L.has_surface, &two, 4, "has_surface 2");
    must_refuse(L.has_surface, &none, 4, "has_surface 0");
    must_refuse(L.dermal + 8, &bad_d[0], 8, "dermal NaN");
    /* Model arrays: count, lengths, contents. */
    must_refuse(L.n, &none, 4, "no arrays");
    must_refuse(L.n, &many, 4, "99 arrays");
    must_refuse(L.n, &minus, 4, "-1 arrays");
    const uint64_t len_big = (uint64_t)1 << 40, len_more = 8 * 1000;
    must_refuse(L.arrays, &len_big, 8, "array length 2^40");
    must_refuse(L.arrays, &len_more, 8, "array length other");
    must_refuse(L.arrays + 8 + 16, &bad_d[0], 8, "model value NaN");
    /* Scenario: bool bytes, unterminated paths, counts and values out of range. */
    const unsigned char b2 = 2, bff = 0xff;
    const size_t bools[] = {offsetof(mn_scenario, patient.smoker),
                            offsetof(mn_scenario, treatment.sessions_listed),
                            offsetof(mn_scenario, aftercare.retinoid),
                            offsetof(mn_scenario, output.images)};
    for (size_t k = 0; k < 4; ++k) {
        snprintf(what, sizeof what, "scenario bool %zu = 2", k);
        must_refuse(L.sc + bools[k], &b2, 1, what);
        snprintf(what, sizeof what, "scenario bool %zu = 255", k);
        must_refuse(L.sc + bools[k], &bff, 1, what);
    }
    unsigned char fill[MN_PATH_MAX];
    memset(fill, 'A', sizeof fill);
    must_refuse(L.sc + offsetof(mn_scenario, source), fill, sizeof fill, "source unterminated");
    must_refuse(L.sc + offsetof(mn_scenario, output.dir), fill, sizeof fill, "dir unterminated");
    must_refuse(L.sc + offsetof(mn_scenario, treatment.session_count), &none, 4, "0 sessions");
    must_refuse(L.sc + offsetof(mn_scenario, treatment.session_count), &many, 4, "99 sessions");
    must_refuse(L.sc + offsetof(mn_scenario, patient.age_years), &bad_d[0], 8, "age NaN");
    must_refuse(L.sc + offsetof(mn_scenario, patient.skin_type), &many, 4, "skin type 99");
    const unsigned bits = 0xf0u;
    must_refuse(L.sc + offsetof(mn_scenario, treatment.adjuncts), &bits, 4, "adjunct bits");
    /* Parameters: NaN or negative. */
    must_refuse(L.p, &bad_d[0], 8, "parameter NaN");
    must_refuse(L.p + 8 * 5, &bad_d[3], 8, "parameter -1");
    /* Header: magic and recorded sizes. */
    const uint32_t sz = 12345;
    must_refuse(8, &sz, 4, "scenario size");
    must_refuse(20, &sz, 4, "dermal size");
    must_refuse(0, "MNSIMCK3", 8, "old magic");
    /* Only the values that change nothing resume: the topical window (over by day 30). */
    print_message("%d of %d field corruptions refused, the rest gave identical results\n",
                  refused, tried);
    assert_true(refused >= tried - 6);
}

static void test_truncated_and_extended(void **state)
{
    (void)state;
    unsigned char *b = malloc(pristine_size + 64);
    char what[64];
    /* Truncated at 97 lengths with a valid checksum on what is left, then with bytes added. */
    for (int k = 0; k < 97; ++k) {
        size_t n = 28 + (pristine_size - 28) * (size_t)k / 97;
        memcpy(b, pristine, n - 4);
        fix_crc(b, n);
        snprintf(what, sizeof what, "truncated to %zu", n);
        assert_int_equal_msg(resume_with(b, n, what), 2, what);
    }
    memcpy(b, pristine, pristine_size - 4);
    memset(b + pristine_size - 4, 0, 36);
    fix_crc(b, pristine_size + 32);
    assert_int_equal(resume_with(b, pristine_size + 32, "32 bytes added"), 2);
    assert_int_equal(resume_with(b, 3, "3 bytes"), 2);
    assert_int_equal(resume_with(b, 0, "empty"), 2);
    free(b);
}

static void test_random_bytes(void **state)
{
    (void)state;
    unsigned char *b = malloc(pristine_size);
    uint64_t x = 0x9e3779b97f4a7c15ull; /* seeded: the same offsets every run */
    char what[96];
    for (int k = 0; k < 300; ++k) {
        memcpy(b, pristine, pristine_size);
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        size_t off = (size_t)((x >> 17) % pristine_size);
        unsigned char flip = (unsigned char)(1u + (x >> 53) % 255u); /* never 0: a change */
        b[off] ^= flip;
        snprintf(what, sizeof what, "byte %zu ^= 0x%02x", off, flip);
        /* The checksum catches every change; without it most would resume "valid". */
        assert_int_equal_msg(resume_with(b, pristine_size, what), 2, what);
    }
    free(b);
}

/* Journals: a stopped cohort, then its journal damaged in each way. */
static void test_journal(void **state)
{
    (void)state;
    char cmd[2000], log[4096], cdir[700], jpath[800];
    snprintf(cdir, sizeof cdir, "%s/cohort", dir);
    const char *args = "--quiet --set cohort.size=6 --set simulate.follow_up_weeks=2";
    snprintf(cmd, sizeof cmd, "%s cohort %s --out %s --stop-after 4 --threads 1", MNSIM_BINARY,
             args, cdir);
    assert_int_equal(mn_test_run(cmd, log, sizeof log), 1);
    snprintf(jpath, sizeof jpath, "%s/cohort-journal.0.bin", cdir);
    size_t n = 0;
    unsigned char *j = (unsigned char *)mn_test_read(jpath, &n);
    assert_non_null(j);
    const size_t head = 24;
    const size_t rec = (n - head) / 4;
    assert_int_equal((n - head) % 4, 0);
    const size_t len = (rec - 8) / 8; /* doubles per record */
    unsigned char *b = malloc(n + rec);
    struct {
        const char *what, *pattern;
    } cases[] = {{"damaged byte", "damaged"},
                 {"NaN value", "value"},
                 {"index out of range", "not one of"},
                 {"duplicated index", "recorded twice"}};
    for (int c = 0; c < 4; ++c) {
        memcpy(b, j, n);
        size_t m = n;
        double v;
        unsigned char *r1 = b + head + rec; /* second record */
        if (c == 0) {
            r1[8 * 3] ^= 0x40;
        } else {
            if (c == 1) {
                v = NAN;
                memcpy(r1 + 8 * (len - 1), &v, 8);
            } else if (c == 2) {
                v = 6.0;
                memcpy(r1, &v, 8);
            } else {
                memcpy(b + n, b + head, rec); /* the first record again, at the end */
                m = n + rec;
            }
            unsigned char *rr = c == 3 ? b + n : r1;
            uint64_t crc = crc32(crc32(0L, Z_NULL, 0), rr, (uInt)(len * 8));
            memcpy(rr + len * 8, &crc, 8);
        }
        put_file(jpath, b, m);
        snprintf(cmd, sizeof cmd, "timeout 60 %s cohort %s --out %s --threads 1", MNSIM_BINARY,
                 args, cdir);
        int rc = mn_test_run(cmd, log, sizeof log);
        assert_true_msg(rc == 2 && strstr(log, cases[c].pattern) && strstr(log, "--fresh"),
                        "journal %s: exit %d: %s", cases[c].what, rc, log);
    }
    /* The sound journal resumes; --fresh starts over whatever the journal holds. */
    put_file(jpath, j, n);
    snprintf(cmd, sizeof cmd, "timeout 120 %s cohort %s --out %s --threads 1", MNSIM_BINARY, args,
             cdir);
    assert_int_equal(mn_test_run(cmd, log, sizeof log), 0);
    put_file(jpath, b, n);
    snprintf(cmd, sizeof cmd, "timeout 120 %s cohort %s --out %s --threads 1 --fresh",
             MNSIM_BINARY, args, cdir);
    assert_int_equal(mn_test_run(cmd, log, sizeof log), 0);
    free(b);
    free(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pristine_resumes_identically),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_truncated_and_extended),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_journal),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
