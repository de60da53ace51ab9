/* Regression: every file of the fuzz corpus (fuzz/corpus/<format>/) goes through the readers
 * (height/luminance and colour) without a crash, leak or sanitizer report, and either reads or
 * fails with a clean code; what reads goes through the measurement and the tone. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/measure.h"
#include "testutil.h"

static void replay_one(const char *path, const char *name, void *user)
{
    (void)name;
    const mn_measure_format fmt = *(const mn_measure_format *)user;
    size_t size;
    char *data = mn_test_read(path, &size);
    assert_non_null(data);
    for (int as = 0; as < 2; ++as) {
        mn_measure_read_opts o = {.format = as ? fmt : MN_MEASURE_FORMAT_AUTO,
                                  .pixel_um = 10,
                                  .z_scale_um = 0.01,
                                  .max_pixels = (size_t)1 << 20};
        mn_field *f = NULL;
        mn_error err;
        mn_error_clear(&err);
        int rc = mn_measure_read_memory(data, size, path, &o, &f, &err);
        assert_true_msg(rc == MN_OK || rc == MN_EFORMAT || rc == MN_ERANGE || rc == MN_EINVAL ||
                            rc == MN_ENOTSUP,
                        "%s: code %d", path, rc);
        assert_true_msg(rc == MN_OK ? f != NULL : f == NULL && err.message[0],
                        "%s: result and code disagree", path);
        if (f && mn_field_xres(f) * mn_field_yres(f) <= 4096) {
            mn_measure_settings s;
            mn_measure_settings_default(&s);
            mn_measure_result r;
            unsigned char *mask = NULL;
            mn_measure_field(f, path, &s, &r, &mask, &err);
            free(mask);
        }
        mn_field_free(&f);
        /* the colour reader and the tone, as mnsim measure runs them on photos */
        mn_rgb_image *img = NULL;
        mn_error_clear(&err);
        rc = mn_measure_read_rgb_memory(data, size, path, &o, &img, &err);
        assert_true_msg(rc == MN_OK || rc == MN_EFORMAT || rc == MN_ERANGE || rc == MN_EINVAL ||
                            rc == MN_ENOTSUP,
                        "%s: colour: code %d", path, rc);
        assert_true_msg(rc == MN_OK ? img != NULL : img == NULL && err.message[0],
                        "%s: colour: result and code disagree", path);
        if (img) {
            mn_tone_result t;
            unsigned char *spots = NULL;
            assert_int_equal(mn_measure_tone(img, NULL, &t, &spots, &err), MN_OK);
            assert_true(isfinite(t.ita_deg) && t.spots_area_pct >= 0 && t.spots_area_pct <= 100);
            free(spots);
        }
        mn_measure_rgb_free(&img);
    }
    free(data);
}

static void replay(const char *sub, mn_measure_format fmt)
{
    mn_test_corpus_each(sub, replay_one, &fmt);
}

static void test_gsf(void **state)
{
    (void)state;
    replay("gsf", MN_MEASURE_FORMAT_GSF);
}

static void test_csv(void **state)
{
    (void)state;
    replay("csv", MN_MEASURE_FORMAT_CSV);
}

static void test_png(void **state)
{
    (void)state;
    replay("png", MN_MEASURE_FORMAT_PNG);
}

static void test_jpeg(void **state)
{
    (void)state;
    replay("jpeg", MN_MEASURE_FORMAT_JPEG);
}

static void test_gwy(void **state)
{
    (void)state;
    replay("gwy", MN_MEASURE_FORMAT_GWY);
}

static void test_sdf(void **state)
{
    (void)state;
    replay("sdf", MN_MEASURE_FORMAT_SDF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gsf),  cmocka_unit_test(test_csv), cmocka_unit_test(test_png),
        cmocka_unit_test(test_jpeg), cmocka_unit_test(test_gwy), cmocka_unit_test(test_sdf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
