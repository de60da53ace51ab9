/* Readers of mnsim measure: CSV matrices, 16-bit PNG height maps, PNG and JPEG photos, and
 * clear errors (no crash, no allocation first) for truncated, oversized and NaN-laden files. */
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/measure.h"
#include "testutil.h"

static int read_mem(const char *data, size_t n, mn_measure_read_opts *o, mn_field **f,
                    mn_error *err)
{
    mn_error_clear(err);
    return mn_measure_read_memory(data, n, "in.dat", o, f, err);
}

static void test_csv(void **state)
{
    (void)state;
    const char *text = "# heights in um\n1, 2, 3\n4;5;6\n\n7\t8  9,\n";
    mn_measure_read_opts o = {.pixel_um = 20};
    mn_field *f = NULL;
    mn_error err;
    assert_int_equal(read_mem(text, strlen(text), &o, &f, &err), 0);
    assert_int_equal(mn_field_xres(f), 3);
    assert_int_equal(mn_field_yres(f), 3);
    assert_close(mn_field_dx_m(f), 20e-6, 1e-12);
    assert_close(mn_field_get(f, 2, 2), 9e-6, 1e-12);
    assert_int_equal(mn_field_get_kind(f), MN_FIELD_HEIGHT);
    mn_field_free(&f);
    o.z_scale_um = 0.001; /* values in nm */
    assert_int_equal(read_mem(text, strlen(text), &o, &f, &err), 0);
    assert_close(mn_field_get(f, 0, 1), 4e-9, 1e-12);
    mn_field_free(&f);
}

static void expect(const char *text, size_t n, mn_measure_read_opts *o, int code,
                   const char *needle)
{
    mn_field *f = NULL;
    mn_error err;
    int rc = read_mem(text, n, o, &f, &err);
    assert_true_msg(rc == code, "rc %d, expected %d (%s)", rc, code, err.message);
    assert_null(f);
    assert_non_null(strstr(err.message, "in.dat"));
    assert_true_msg(strstr(err.message, needle) != NULL, "'%s' lacks '%s'", err.message, needle);
}

static void test_csv_malformed(void **state)
{
    (void)state;
    mn_measure_read_opts o = {.pixel_um = 20};
    expect("1 2 3\n4 5\n", 10, &o, MN_EFORMAT, ":2:");
    expect("1 2\n3 nan\n", 10, &o, MN_EFORMAT, "not finite");
    expect("1 2\n3 inf\n", 10, &o, MN_EFORMAT, "not finite");
    expect("1 2\n3 x\n", 8, &o, MN_EFORMAT, "'x' is not a number");
    expect("1,,2\n", 5, &o, MN_EFORMAT, "empty value");
    expect("1 2\n3 4x\n", 9, &o, MN_EFORMAT, "unexpected");
    expect("# only a comment\n", 17, &o, MN_EFORMAT, "no data");
    expect("1 2\0 3\n", 7, &o, MN_EFORMAT, "binary");
    expect("1e400 2\n", 8, &o, MN_EFORMAT, "not finite");
    mn_measure_read_opts nopix = {0};
    expect("1 2\n3 4\n", 8, &nopix, MN_EINVAL, "--pixel-um");
    /* too many columns: refused while counting, before any allocation */
    size_t n = 20001 * 2;
    char *wide = malloc(n + 1);
    for (size_t i = 0; i < n; i += 2) {
        wide[i] = '1';
        wide[i + 1] = ' ';
    }
    wide[n] = '\0';
    expect(wide, n, &o, MN_ERANGE, "columns");
    free(wide);
    mn_measure_read_opts small = {.pixel_um = 20, .max_pixels = 4};
    expect("1 2 3\n4 5 6\n", 12, &small, MN_ERANGE, "too large");
}

/* Writes a PNG with libpng into memory via a temporary file. */
static unsigned char *make_png(int width, int height, int depth, int ctype, size_t *size)
{
    char dir[256], path[512];
    mn_test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/t.png", dir);
    FILE *fp = fopen(path, "wb");
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    png_init_io(png, fp);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, depth, ctype,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    int ch = ctype == PNG_COLOR_TYPE_RGB ? 3 : 1, bpc = depth / 8;
    unsigned char *row = malloc((size_t)width * ch * bpc);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x)
            for (int k = 0; k < ch; ++k) {
                unsigned v = (unsigned)(1000 * y + 10 * x + k); /* 16-bit value */
                unsigned char *p = row + ((size_t)x * ch + k) * bpc;
                if (bpc == 2) {
                    p[0] = (unsigned char)(v >> 8);
                    p[1] = (unsigned char)(v & 0xff);
                } else {
                    p[0] = (unsigned char)(k == 0 ? 255 : k == 1 ? 128 : 0);
                }
            }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    fclose(fp);
    free(row);
    unsigned char *data = (unsigned char *)mn_test_read(path, size);
    mn_test_rmtree(dir);
    return data;
}

static void test_png(void **state)
{
    (void)state;
    size_t n;
    unsigned char *d = make_png(5, 4, 16, PNG_COLOR_TYPE_GRAY, &n);
    mn_measure_read_opts o = {.pixel_um = 10, .z_scale_um = 0.01};
    mn_field *f = NULL;
    mn_error err;
    assert_int_equal(read_mem((char *)d, n, &o, &f, &err), 0);
    assert_int_equal(mn_field_get_kind(f), MN_FIELD_HEIGHT);
    assert_close(mn_field_get(f, 3, 2), (2000 + 30) * 0.01e-6, 1e-9);
    mn_field_free(&f);
    mn_measure_read_opts noscale = {.pixel_um = 10};
    expect((char *)d, n, &noscale, MN_EINVAL, "--z-scale-um");
    expect((char *)d, n / 2, &o, MN_EFORMAT, "PNG");
    d[20] ^= 0x55; /* corrupt the IHDR: CRC error */
    expect((char *)d, n, &o, MN_EFORMAT, "malformed PNG");
    free(d);
    /* 8-bit colour: a photo, luminance of (255, 128, 0) = 0.299 + 0.587 * 128/255 */
    d = make_png(6, 3, 8, PNG_COLOR_TYPE_RGB, &n);
    assert_int_equal(read_mem((char *)d, n, &o, &f, &err), 0);
    assert_int_equal(mn_field_get_kind(f), MN_FIELD_INTENSITY);
    assert_close(mn_field_get(f, 1, 1), 0.299 + 0.587 * 128.0 / 255.0, 1e-9);
    mn_field_free(&f);
    free(d);
}

static void test_png_too_large(void **state)
{
    (void)state;
    size_t n;
    unsigned char *d = make_png(8, 8, 16, PNG_COLOR_TYPE_GRAY, &n);
    /* patch IHDR width/height to 30000 x 30000 (and leave the CRC: the size check or libpng
     * must refuse it before any image allocation) */
    d[16] = 0;
    d[17] = 0;
    d[18] = 0x75;
    d[19] = 0x30;
    mn_measure_read_opts o = {.pixel_um = 10, .z_scale_um = 1};
    mn_field *f = NULL;
    mn_error err;
    int rc = read_mem((char *)d, n, &o, &f, &err);
    assert_true(rc == MN_EFORMAT || rc == MN_ERANGE);
    assert_null(f);
    free(d);
}

#ifdef MNSIM_HAVE_JPEG
static void test_jpeg(void **state)
{
    (void)state;
    const unsigned char grey[3] = {200, 200, 200};
    unsigned long size = 0;
    unsigned char *buf = mn_test_jpeg_rgb(32, 16, grey, &size);
    mn_measure_read_opts o = {.pixel_um = 50};
    mn_field *f = NULL;
    mn_error err;
    assert_int_equal(read_mem((char *)buf, size, &o, &f, &err), 0);
    assert_int_equal(mn_field_xres(f), 32);
    assert_int_equal(mn_field_get_kind(f), MN_FIELD_INTENSITY);
    assert_true(fabs(mn_field_get(f, 5, 5) - 200.0 / 255.0) < 0.01);
    mn_field_free(&f);
    expect((char *)buf, size / 2, &o, MN_EFORMAT, "JPEG");
    mn_measure_read_opts h = {.pixel_um = 50, .as = MN_MEASURE_AS_HEIGHT};
    expect((char *)buf, size, &h, MN_EINVAL, "photo");
    free(buf);
}
#endif

static void test_gsf_override_and_files(void **state)
{
    (void)state;
    mn_field *f = NULL;
    mn_error err;
    assert_int_equal(mn_measure_read("/nonexistent/a.gsf", NULL, &f, &err), MN_EIO);
    assert_non_null(strstr(err.message, "/nonexistent/a.gsf"));
    expect("", 0, NULL, MN_EFORMAT, "empty");
    expect("Gwyddion Simple Field 1.0\nXRes = 2\n", 35, NULL, MN_EFORMAT, "truncated");
    expect("Gwyddion Simple Field 1.0\nXRes = 2\n", 36, NULL, MN_EFORMAT, "YRes");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_csv_malformed),
        cmocka_unit_test(test_png),
        cmocka_unit_test(test_png_too_large),
#ifdef MNSIM_HAVE_JPEG
        cmocka_unit_test(test_jpeg),
#endif
        cmocka_unit_test(test_gsf_override_and_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
