/* Tone of colour photos (mn_measure_tone): CIELAB, ITA, melanin and erythema indices of
 * synthetic photos of known colours, pigmented spots of known area, the minimum-area filter,
 * 8-connectivity, option errors; and the colour readers (PNG, JPEG). Expected values come from
 * the IEC 61966-2-1 and CIE 15 equations evaluated here in closed form, and from the published
 * CIELAB of sRGB red. */
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/measure.h"
#include "testutil.h"

#define PI 3.14159265358979323846

/* ---- Reference colour science, written out from the standards ---------------------------- */

typedef struct lab {
    double l, a, b;
} lab;

static double lin(int code) /* IEC 61966-2-1 decoding of an 8-bit code */
{
    double v = code / 255.0;
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static double f_lab(double t)
{
    return t > pow(6.0 / 29.0, 3) ? cbrt(t) : t / (3.0 * pow(6.0 / 29.0, 2)) + 4.0 / 29.0;
}

static lab ref_lab(int r, int g, int b)
{
    double R = lin(r), G = lin(g), B = lin(b);
    double X = 0.4124 * R + 0.3576 * G + 0.1805 * B;
    double Y = 0.2126 * R + 0.7152 * G + 0.0722 * B;
    double Z = 0.0193 * R + 0.1192 * G + 0.9505 * B;
    double fx = f_lab(X / 0.9505), fy = f_lab(Y / 1.0), fz = f_lab(Z / 1.089);
    return (lab){116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
}

static double ref_ita(int r, int g, int b)
{
    lab c = ref_lab(r, g, b);
    return atan2(c.l - 50, c.b) * 180 / PI;
}

/* ---- Synthetic photos -------------------------------------------------------------------- */

static mn_rgb_image *patch(size_t w, size_t h, double px_um, int r, int g, int b)
{
    mn_rgb_image *img = NULL;
    mn_error err;
    assert_int_equal(mn_measure_rgb_create(&img, w, h, px_um, px_um, &err), 0);
    for (size_t i = 0; i < w * h; ++i) {
        img->rgb[3 * i] = (float)(r / 255.0);
        img->rgb[3 * i + 1] = (float)(g / 255.0);
        img->rgb[3 * i + 2] = (float)(b / 255.0);
    }
    return img;
}

static void set_px(mn_rgb_image *img, size_t x, size_t y, int r, int g, int b)
{
    float *p = img->rgb + 3 * (y * img->xres + x);
    p[0] = (float)(r / 255.0);
    p[1] = (float)(g / 255.0);
    p[2] = (float)(b / 255.0);
}

/* Draws a filled disc; returns the pixels it set. */
static size_t disc(mn_rgb_image *img, double cx, double cy, double radius, int r, int g, int b)
{
    size_t n = 0;
    for (size_t y = 0; y < img->yres; ++y)
        for (size_t x = 0; x < img->xres; ++x)
            if (hypot((double)x - cx, (double)y - cy) <= radius) {
                set_px(img, x, y, r, g, b);
                ++n;
            }
    return n;
}

static mn_tone_result tone(const mn_rgb_image *img, double delta, double min_area,
                           unsigned char **mask)
{
    mn_tone_options o;
    mn_tone_options_default(&o);
    if (delta > 0)
        o.spot_delta_mi = delta;
    o.spot_min_area_um2 = min_area;
    mn_tone_result t;
    mn_error err;
    mn_error_clear(&err);
    int rc = mn_measure_tone(img, &o, &t, mask, &err);
    assert_true_msg(rc == 0, "mn_measure_tone: %s", err.message);
    return t;
}

/* ---- Uniform patches --------------------------------------------------------------------- */

static void test_uniform_patch(void **state)
{
    (void)state;
    /* A light skin tone and a darker one: L*, a*, b*, ITA from the closed form; a uniform patch
     * has no spread and no spots. */
    const int colours[][3] = {{224, 172, 138}, {150, 100, 70}, {255, 219, 172}};
    for (size_t c = 0; c < sizeof colours / sizeof colours[0]; ++c) {
        int r = colours[c][0], g = colours[c][1], b = colours[c][2];
        mn_rgb_image *img = patch(40, 30, 25, r, g, b);
        mn_tone_result t = tone(img, 0, 0, NULL);
        lab want = ref_lab(r, g, b);
        assert_true_msg(fabs(t.l_star - want.l) < 1e-3, "L* %g, want %g", t.l_star, want.l);
        assert_true_msg(fabs(t.a_star - want.a) < 1e-3, "a* %g, want %g", t.a_star, want.a);
        assert_true_msg(fabs(t.b_star - want.b) < 1e-3, "b* %g, want %g", t.b_star, want.b);
        assert_true_msg(fabs(t.ita_deg - ref_ita(r, g, b)) < 0.1, "ITA %g, want %g", t.ita_deg,
                        ref_ita(r, g, b));
        assert_true(t.ita_sd_deg < 1e-6);
        assert_close(t.melanin_index, 100 * log10(1 / lin(r)), 1e-6);
        assert_close(t.erythema_index, 100 * (log10(1 / lin(g)) - log10(1 / lin(r))), 1e-6);
        assert_int_equal(t.spot_count, 0);
        assert_true(t.spots_area_pct == 0);
        assert_int_equal(t.n_pixels, 40 * 30);
        mn_measure_rgb_free(&img);
        assert_null(img);
    }
    /* Published anchors: sRGB red is L* 53.24, a* 80.09, b* 67.20 (with the standard's
     * four-decimal matrix 53.23, 80.11, 67.22); white is L* 100, a* = b* = 0, ITA 90. */
    mn_rgb_image *img = patch(4, 4, 25, 255, 0, 0);
    mn_tone_result t = tone(img, 0, 0, NULL);
    assert_true_msg(fabs(t.l_star - 53.24) < 0.05 && fabs(t.a_star - 80.09) < 0.05 &&
                        fabs(t.b_star - 67.20) < 0.05,
                    "red: %g %g %g", t.l_star, t.a_star, t.b_star);
    mn_measure_rgb_free(&img);
    img = patch(4, 4, 25, 255, 255, 255);
    t = tone(img, 0, 0, NULL);
    assert_true(fabs(t.l_star - 100) < 1e-9 && fabs(t.a_star) < 1e-9 && fabs(t.b_star) < 1e-9);
    assert_true(fabs(t.ita_deg - 90) < 1e-6);
    assert_true(fabs(t.melanin_index) < 1e-9 && fabs(t.erythema_index) < 1e-9);
    mn_measure_rgb_free(&img);
    /* A redder patch (more absorption in green) has the larger erythema index. */
    mn_rgb_image *pale = patch(4, 4, 25, 220, 180, 160), *red = patch(4, 4, 25, 220, 140, 130);
    assert_true(tone(red, 0, 0, NULL).erythema_index > tone(pale, 0, 0, NULL).erythema_index + 10);
    mn_measure_rgb_free(&pale);
    mn_measure_rgb_free(&red);
}

/* ---- Spots ------------------------------------------------------------------------------- */

static void test_spots_area_and_mix(void **state)
{
    (void)state;
    const int bg[3] = {224, 172, 138}, sp[3] = {150, 100, 70};
    const double px = 10, radius = 9;
    mn_rgb_image *img = patch(240, 200, px, bg[0], bg[1], bg[2]);
    /* Sensor-like noise of up to +-2 codes on the skin (a deterministic LCG): it moves MI by
     * less than 1, far below the default margin of 4. */
    unsigned s = 12345;
    for (size_t i = 0; i < 3 * img->xres * img->yres; ++i) {
        s = s * 1103515245u + 12345u;
        int d = (int)((s >> 16) % 5) - 2;
        img->rgb[i] = (float)((lrint(img->rgb[i] * 255.0f) + d) / 255.0);
    }
    const double centres[][2] = {{40, 40}, {120, 50}, {200, 45}, {60, 140}, {150, 150}, {210, 160}};
    const size_t nspots = sizeof centres / sizeof centres[0];
    size_t drawn = 0;
    for (size_t k = 0; k < nspots; ++k)
        drawn += disc(img, centres[k][0], centres[k][1], radius, sp[0], sp[1], sp[2]);
    double n = (double)(img->xres * img->yres);
    double truth_pct = 100.0 * nspots * PI * radius * radius / n;
    unsigned char *mask = NULL;
    mn_tone_result t = tone(img, 0, 0, &mask);
    assert_int_equal(t.spot_count, (int)nspots);
    assert_true_msg(fabs(t.spots_area_pct - truth_pct) <= 0.2 * truth_pct,
                    "spot area %g %%, truth %g %%", t.spots_area_pct, truth_pct);
    /* Mean ITA of the mix: the area-weighted mean of the two colours' ITA. */
    double f = drawn / n;
    double want = (1 - f) * ref_ita(bg[0], bg[1], bg[2]) + f * ref_ita(sp[0], sp[1], sp[2]);
    assert_true_msg(fabs(t.ita_deg - want) < 2.0, "ITA %g, mix %g", t.ita_deg, want);
    assert_true(t.ita_sd_deg > 5.0); /* uneven: two tones */
    assert_close(t.mi_median, 100 * log10(1 / lin(bg[0])), 0.02);
    assert_close(t.spot_threshold_mi, t.mi_median + MN_TONE_SPOT_DELTA_MI_DEFAULT, 1e-12);
    /* The mask: spot centres set, skin clear, as many pixels as the area says. */
    assert_non_null(mask);
    size_t set = 0;
    for (size_t i = 0; i < img->xres * img->yres; ++i)
        set += mask[i];
    assert_close(100.0 * set / n, t.spots_area_pct, 1e-12);
    assert_int_equal(mask[40 * img->xres + 40], 1);
    assert_int_equal(mask[100 * img->xres + 100], 0);
    free(mask);
    /* A margin above the spots' MI excess finds none. */
    double excess = 100 * log10(lin(bg[0]) / lin(sp[0]));
    t = tone(img, excess + 5, 0, NULL);
    assert_int_equal(t.spot_count, 0);
    mn_measure_rgb_free(&img);
}

static void test_min_area_filter(void **state)
{
    (void)state;
    mn_rgb_image *img = patch(120, 80, 10, 224, 172, 138);
    for (int k = 0; k < 3; ++k) /* three spots of 113 pixels = 11300 um^2 */
        disc(img, 20 + 40 * k, 25, 6, 150, 100, 70);
    for (int k = 0; k < 5; ++k) /* five isolated single pixels = 100 um^2 each */
        set_px(img, (size_t)(10 + 25 * k), 65, 150, 100, 70);
    /* default: 9 pixels (900 um^2) -> the single pixels are dropped */
    mn_tone_result t = tone(img, 0, 0, NULL);
    assert_int_equal(t.spot_count, 3);
    assert_close(t.spot_min_area_um2, 9 * 100.0, 1e-12);
    double big_pct = t.spots_area_pct;
    /* one pixel's area keeps them all */
    t = tone(img, 0, 100, NULL);
    assert_int_equal(t.spot_count, 8);
    assert_close(t.spots_area_pct, big_pct + 100.0 * 5 / (120 * 80), 1e-9);
    /* larger than the big spots drops everything */
    t = tone(img, 0, 20000, NULL);
    assert_int_equal(t.spot_count, 0);
    assert_true(t.spots_area_pct == 0);
    mn_measure_rgb_free(&img);
}

static void test_eight_connectivity(void **state)
{
    (void)state;
    mn_rgb_image *img = patch(30, 30, 10, 224, 172, 138);
    set_px(img, 5, 5, 150, 100, 70); /* a diagonal pair: one spot of two pixels */
    set_px(img, 6, 6, 150, 100, 70);
    for (int k = 0; k < 5; ++k) /* an anti-diagonal chain of five: one spot */
        set_px(img, (size_t)(20 - k), (size_t)(5 + k), 150, 100, 70);
    set_px(img, 5, 20, 150, 100, 70); /* two pixels a gap apart: two single-pixel spots */
    set_px(img, 7, 20, 150, 100, 70);
    set_px(img, 29, 29, 150, 100, 70); /* a corner pixel (borders) */
    set_px(img, 28, 28, 150, 100, 70);
    mn_tone_result t = tone(img, 0, 200, NULL); /* 2 pixels */
    assert_int_equal(t.spot_count, 3);          /* pair, chain, corner pair */
    assert_close(t.spots_area_pct, 100.0 * 9 / 900, 1e-9);
    t = tone(img, 0, 100, NULL); /* 1 pixel: the gapped two count separately */
    assert_int_equal(t.spot_count, 5);
    mn_measure_rgb_free(&img);
}

static void expect_error(const mn_rgb_image *img, const mn_tone_options *o, const char *needle)
{
    mn_tone_result t;
    mn_error err;
    mn_error_clear(&err);
    unsigned char *mask = (unsigned char *)&t; /* must be reset to NULL */
    assert_int_equal(mn_measure_tone(img, o, &t, &mask, &err), MN_EINVAL);
    assert_null(mask);
    assert_true_msg(strstr(err.message, needle) != NULL, "'%s' lacks '%s'", err.message, needle);
}

static void test_invalid(void **state)
{
    (void)state;
    mn_rgb_image *img = patch(8, 8, 10, 200, 150, 120);
    mn_tone_options o;
    const double bad_delta[] = {0, -1, NAN, INFINITY};
    for (size_t i = 0; i < 4; ++i) {
        mn_tone_options_default(&o);
        o.spot_delta_mi = bad_delta[i];
        expect_error(img, &o, "spot_delta_mi");
    }
    const double bad_area[] = {-1, NAN, INFINITY};
    for (size_t i = 0; i < 3; ++i) {
        mn_tone_options_default(&o);
        o.spot_min_area_um2 = bad_area[i];
        expect_error(img, &o, "spot_min_area_um2");
    }
    expect_error(NULL, NULL, "NULL");
    img->rgb[7] = NAN;
    expect_error(img, NULL, "not finite");
    img->dx_um = 0;
    expect_error(img, NULL, "pixel size");
    mn_measure_rgb_free(&img);
    mn_measure_rgb_free(&img); /* safe twice */
    mn_measure_rgb_free(NULL);
    mn_error err;
    assert_int_equal(mn_measure_rgb_create(&img, 8, 8, 0, 1, &err), MN_EINVAL);
    assert_int_equal(mn_measure_rgb_create(&img, 30000, 8, 1, 1, &err), MN_ERANGE);
    assert_null(img);
}

/* ---- Readers ----------------------------------------------------------------------------- */

typedef struct membuf {
    unsigned char *data;
    size_t size;
} membuf;

static void mem_write(png_structp png, png_bytep d, size_t n)
{
    membuf *m = png_get_io_ptr(png);
    m->data = realloc(m->data, m->size + n);
    memcpy(m->data + m->size, d, n);
    m->size += n;
}

static void mem_flush(png_structp png)
{
    (void)png;
}

/* A w x h PNG of one colour (channels 1 grey, 3 RGB, 4 RGBA; depth 8 or 16). */
static membuf png_of(int w, int h, int channels, int depth, const unsigned v[4])
{
    membuf m = {NULL, 0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    png_set_write_fn(png, &m, mem_write, mem_flush);
    int ctype = channels == 1   ? PNG_COLOR_TYPE_GRAY
                : channels == 3 ? PNG_COLOR_TYPE_RGB
                                : PNG_COLOR_TYPE_RGB_ALPHA;
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, depth, ctype, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    int bpc = depth / 8;
    unsigned char *row = malloc((size_t)w * channels * bpc);
    for (int x = 0; x < w; ++x)
        for (int k = 0; k < channels; ++k) {
            unsigned char *p = row + ((size_t)x * channels + k) * bpc;
            if (bpc == 2) {
                p[0] = (unsigned char)(v[k] >> 8);
                p[1] = (unsigned char)(v[k] & 0xff);
            } else {
                p[0] = (unsigned char)v[k];
            }
        }
    for (int y = 0; y < h; ++y)
        png_write_row(png, row);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    return m;
}

static void test_read_png_colour(void **state)
{
    (void)state;
    mn_measure_read_opts o = {.pixel_um = 20};
    mn_rgb_image *img = NULL;
    mn_error err;
    const unsigned rgba[4] = {224, 172, 138, 17};
    membuf m = png_of(7, 5, 3, 8, rgba);
    assert_int_equal(mn_measure_read_rgb_memory(m.data, m.size, "c.png", &o, &img, &err), 0);
    assert_int_equal(img->xres, 7);
    assert_int_equal(img->yres, 5);
    assert_close(img->dx_um, 20, 1e-12);
    assert_close(img->rgb[3 * 12 + 1], 172 / 255.0, 1e-6);
    mn_tone_result t = tone(img, 0, 0, NULL);
    assert_true(fabs(t.ita_deg - ref_ita(224, 172, 138)) < 0.1);
    mn_measure_rgb_free(&img);
    /* the luminance reader still reads the same file */
    mn_field *f = NULL;
    assert_int_equal(mn_measure_read_memory(m.data, m.size, "c.png", &o, &f, &err), 0);
    assert_close(mn_field_get(f, 1, 1), (0.299 * 224 + 0.587 * 172 + 0.114 * 138) / 255, 1e-9);
    mn_field_free(&f);
    free(m.data);
    /* RGBA: alpha ignored */
    m = png_of(3, 3, 4, 8, rgba);
    assert_int_equal(mn_measure_read_rgb_memory(m.data, m.size, "a.png", &o, &img, &err), 0);
    assert_close(img->rgb[2], 138 / 255.0, 1e-6);
    mn_measure_rgb_free(&img);
    free(m.data);
    /* 16-bit grey is a height map unless read as a photo; then R' = G' = B' */
    const unsigned grey[4] = {30000, 0, 0, 0};
    m = png_of(3, 3, 1, 16, grey);
    assert_int_equal(mn_measure_read_rgb_memory(m.data, m.size, "h.png", &o, &img, &err),
                     MN_EINVAL);
    assert_non_null(strstr(err.message, "not a photo"));
    assert_null(img);
    mn_measure_read_opts photo = {.pixel_um = 20, .as = MN_MEASURE_AS_PHOTO};
    assert_int_equal(mn_measure_read_rgb_memory(m.data, m.size, "h.png", &photo, &img, &err), 0);
    assert_close(img->rgb[4], 30000 / 65535.0, 1e-6);
    assert_close(img->rgb[5], img->rgb[3], 1e-12);
    mn_measure_rgb_free(&img);
    /* truncated, no pixel size, CSV: errors naming the file */
    assert_int_equal(mn_measure_read_rgb_memory(m.data, m.size / 2, "h.png", &photo, &img, &err),
                     MN_EFORMAT);
    assert_non_null(strstr(err.message, "h.png"));
    mn_measure_read_opts nopix = {0};
    assert_int_equal(mn_measure_read_rgb_memory(m.data, m.size, "h.png", &nopix, &img, &err),
                     MN_EINVAL);
    free(m.data);
    assert_int_equal(mn_measure_read_rgb_memory("1 2\n3 4\n", 8, "m.csv", &o, &img, &err),
                     MN_EINVAL);
    assert_non_null(strstr(err.message, "m.csv"));
    assert_null(img);
    assert_int_equal(mn_measure_read_rgb("/nonexistent/p.png", &o, &img, &err), MN_EIO);
}

#ifdef MNSIM_HAVE_JPEG
static void test_read_jpeg_colour(void **state)
{
    (void)state;
    const unsigned char skin[3] = {224, 172, 138};
    unsigned long size = 0;
    unsigned char *buf = mn_test_jpeg_rgb(32, 16, skin, &size);
    mn_measure_read_opts o = {.pixel_um = 50};
    mn_rgb_image *img = NULL;
    mn_error err;
    assert_int_equal(mn_measure_read_rgb_memory(buf, size, "p.jpg", &o, &img, &err), 0);
    assert_int_equal(img->xres, 32);
    /* YCbCr round trip of a flat colour: within 2 codes per channel */
    assert_true(fabs(img->rgb[3 * 40] * 255 - 224) <= 2);
    assert_true(fabs(img->rgb[3 * 40 + 1] * 255 - 172) <= 2);
    assert_true(fabs(img->rgb[3 * 40 + 2] * 255 - 138) <= 2);
    mn_tone_result t = tone(img, 0, 0, NULL);
    assert_true_msg(fabs(t.ita_deg - ref_ita(224, 172, 138)) < 1.5, "JPEG ITA %g", t.ita_deg);
    mn_measure_rgb_free(&img);
    assert_int_equal(mn_measure_read_rgb_memory(buf, size / 2, "p.jpg", &o, &img, &err),
                     MN_EFORMAT);
    assert_null(img);
    free(buf);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uniform_patch),    cmocka_unit_test(test_spots_area_and_mix),
        cmocka_unit_test(test_min_area_filter),  cmocka_unit_test(test_eight_connectivity),
        cmocka_unit_test(test_invalid),          cmocka_unit_test(test_read_png_colour),
#ifdef MNSIM_HAVE_JPEG
        cmocka_unit_test(test_read_jpeg_colour),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
