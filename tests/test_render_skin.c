/* Skin rendering (render.h): colour conversions, skin tones by Fitzpatrick type, redness as
 * delta a*, one fixed light, determinism and the PNG writer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mn_math.h"
#include "mnsim/render.h"
#include "testutil.h"

static void test_lab_round_trip(void **state)
{
    (void)state;
    /* D65 white is L* = 100, a* = b* = 0 and maps to sRGB white. */
    double white[3] = {100, 0, 0}, lab[3];
    unsigned char rgb[3];
    mn_render_lab_to_srgb(white, rgb);
    assert_int_equal(rgb[0], 255);
    assert_int_equal(rgb[1], 255);
    assert_int_equal(rgb[2], 255);
    for (int t = 1; t <= 6; ++t) {
        double skin[3];
        mn_render_skin_lab(t, skin);
        mn_render_lab_to_srgb(skin, rgb);
        mn_render_srgb_to_lab(rgb, lab);
        for (int i = 0; i < 3; ++i)
            assert_true(fabs(lab[i] - skin[i]) < 1.0); /* 8-bit quantisation */
    }
}

/* Individual typology angle, ITA = atan((L* - 50) / b*), falls with the type through the
 * classes of Chardon 1991 (> 55, 41-55, 28-41, 10-28, -30-10, < -30 degrees). */
static void test_skin_types(void **state)
{
    (void)state;
    const double lo[7] = {0, 55, 41, 28, 10, -30, -90}, hi[7] = {0, 90, 55, 41, 28, 10, -30};
    double prev_l = 101;
    for (int t = 1; t <= 6; ++t) {
        double lab[3];
        mn_render_skin_lab(t, lab);
        double ita = atan((lab[0] - 50.0) / lab[2]) * 180.0 / MN_PI;
        assert_true_msg(ita > lo[t] && ita < hi[t], "type %d: ITA %g", t, ita);
        assert_true(lab[0] < prev_l);
        prev_l = lab[0];
    }
}

static mn_field *flat(size_t n)
{
    mn_field *f = NULL;
    mn_error err;
    assert_int_equal(mn_field_create(&f, n, n, n * 20e-6, n * 20e-6, MN_FIELD_HEIGHT, &err), 0);
    return f;
}

static void mean_lab(const mn_image *img, double lab[3])
{
    const unsigned char *p = mn_image_crgb(img);
    size_t n = mn_image_width(img) * mn_image_height(img);
    lab[0] = lab[1] = lab[2] = 0;
    for (size_t i = 0; i < n; ++i) {
        double l[3];
        mn_render_srgb_to_lab(p + 3 * i, l);
        for (int c = 0; c < 3; ++c)
            lab[c] += l[c] / (double)n;
    }
}

/* On a flat surface (fully lit as the reference) the rendered colour is the skin tone, and
 * redness adds its delta a* (the mottling averages out). */
static void test_erythema_is_delta_a(void **state)
{
    (void)state;
    mn_field *f = flat(200);
    mn_skin_look look = {
        .skin_type = 3, .photoaging = 1, .erythema_da = 0, .edema_rel = 1, .seed = 1};
    mn_image *a = NULL, *b = NULL;
    mn_error err;
    assert_int_equal(mn_render_skin(f, &look, &a, &err), 0);
    look.erythema_da = 6.0;
    assert_int_equal(mn_render_skin(f, &look, &b, &err), 0);
    double la[3], lb[3], skin[3];
    mean_lab(a, la);
    mean_lab(b, lb);
    mn_render_skin_lab(3, skin);
    assert_true(fabs(la[0] - skin[0]) < 2.5 && fabs(la[1] - skin[1]) < 1.5);
    assert_true_msg(fabs(lb[1] - la[1] - 6.0) < 1.0, "delta a* %g", lb[1] - la[1]);
    assert_true(lb[0] < la[0]); /* redder skin is a little darker */
    mn_image_free(&a);
    mn_image_free(&b);
    mn_field_free(&f);
}

/* A groove lit from the upper left: its upper-left wall (facing away from the light) is
 * darker than its lower-right wall, and both differ from flat skin. */
static void test_one_light(void **state)
{
    (void)state;
    const size_t n = 200;
    mn_field *f = flat(n);
    double *z = mn_field_data(f);
    for (size_t j = 0; j < n; ++j)
        for (size_t i = 0; i < n; ++i) {
            double d = ((double)i - 100.0) * 20.0; /* µm from a vertical groove */
            z[j * n + i] = -150e-6 * exp(-0.5 * d * d / (150.0 * 150.0));
        }
    mn_skin_look look = {.skin_type = 2, .photoaging = 1, .edema_rel = 1, .seed = 3};
    mn_image *img = NULL;
    mn_error err;
    assert_int_equal(mn_render_skin(f, &look, &img, &err), 0);
    const unsigned char *p = mn_image_crgb(img);
    double left = 0, right = 0;
    for (size_t j = 50; j < 150; ++j) {
        left += p[(j * n + 93) * 3 + 1];
        right += p[(j * n + 107) * 3 + 1];
    }
    assert_true_msg(left < right - 100 * 5.0, "left %g right %g", left / 100, right / 100);
    /* Same inputs, same pixels. */
    mn_image *again = NULL;
    assert_int_equal(mn_render_skin(f, &look, &again, &err), 0);
    assert_memory_equal(mn_image_crgb(img), mn_image_crgb(again), n * n * 3);
    /* Swelling adds sheen: brighter on average. */
    look.edema_rel = 1.3;
    mn_image *swollen = NULL;
    assert_int_equal(mn_render_skin(f, &look, &swollen, &err), 0);
    double l0[3], l1[3];
    mean_lab(img, l0);
    mean_lab(swollen, l1);
    assert_true(l1[0] > l0[0]);
    /* PNG: signature and reproducible bytes. */
    char dir[256], p1[512], p2[512];
    mn_test_tmpdir(dir, sizeof dir);
    snprintf(p1, sizeof p1, "%s/a.png", dir);
    snprintf(p2, sizeof p2, "%s/b.png", dir);
    assert_int_equal(mn_image_write_png(img, p1, &err), 0);
    assert_int_equal(mn_image_write_png(again, p2, &err), 0);
    size_t n1, n2;
    char *b1 = mn_test_read(p1, &n1), *b2 = mn_test_read(p2, &n2);
    assert_true(n1 == n2 && memcmp(b1, b2, n1) == 0);
    assert_memory_equal(b1, "\x89PNG\r\n\x1a\n", 8);
    free(b1);
    free(b2);
    mn_test_rmtree(dir);
    mn_image_free(&img);
    mn_image_free(&again);
    mn_image_free(&swollen);
    mn_field_free(&f);
}

static void test_bad_input(void **state)
{
    (void)state;
    mn_field *f = flat(20);
    mn_field_set_kind(f, MN_FIELD_INTENSITY);
    mn_skin_look look = {.skin_type = 1, .photoaging = 1, .edema_rel = 1};
    mn_image *img = NULL;
    mn_error err;
    assert_int_equal(mn_render_skin(f, &look, &img, &err), MN_EINVAL);
    assert_null(img);
    assert_int_equal(mn_image_create(&img, 0, 10, &err), MN_ERANGE);
    mn_image_free(&img);
    mn_field_free(&f);
}

/* A NaN height or an overflowing look never reaches the colour table as an index (it was
 * (int)NaN = INT_MIN, a crash): the render fails with MN_ENUMERIC and no image. */
static void test_not_finite(void **state)
{
    (void)state;
    mn_field *f = flat(20);
    mn_skin_look look = {.skin_type = 3, .photoaging = 2, .edema_rel = 1};
    mn_image *img = NULL;
    mn_error err;
    mn_field_data(f)[7 * 20 + 3] = NAN;
    assert_int_equal(mn_render_skin(f, &look, &img, &err), MN_ENUMERIC);
    assert_null(img);
    assert_non_null(strstr(err.message, "(3, 7)"));
    mn_field_data(f)[7 * 20 + 3] = 0.0;
    look.erythema_da = INFINITY;
    assert_int_equal(mn_render_skin(f, &look, &img, &err), MN_ENUMERIC);
    assert_null(img);
    look.erythema_da = 1e307; /* finite, but the colours overflow */
    assert_int_equal(mn_render_skin(f, &look, &img, &err), MN_ENUMERIC);
    assert_null(img);
    mn_field_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lab_round_trip),      cmocka_unit_test(test_skin_types),
        cmocka_unit_test(test_erythema_is_delta_a), cmocka_unit_test(test_one_light),
        cmocka_unit_test(test_bad_input),           cmocka_unit_test(test_not_finite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
