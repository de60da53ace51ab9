/* The ISO 25178-71 Surface Data File (.sdf) reader: binary files written byte by byte here for
 * every DataType, ASCII files as text (known values, scales, pixel sizes), read back directly
 * and through mn_measure_read; malformed files refused with a message naming the file and what
 * is wrong. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/field.h"
#include "mnsim/measure.h"
#include "testutil.h"

static void put_le(unsigned char *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        p[i] = (unsigned char)(v >> 8 * i);
}

static void put_f64(unsigned char *p, double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    put_le(p, u, 8);
}

static const size_t type_size[8] = {1, 2, 4, 4, 1, 2, 4, 8};

/* A binary SDF of xres x yres values v (as DataType dtype) after the 81-byte header; returns
 * its length. */
static size_t make_bin(unsigned char *b, unsigned xres, unsigned yres, double xs, double ys,
                       double zs, int dtype, const double *v)
{
    memset(b, 0, 81);
    memcpy(b, "bBCR-1.0", 8);
    memcpy(b + 8, "mnsim", 5);          /* ManufacID, 10 bytes */
    memcpy(b + 18, "031220260700", 12); /* CreateDate */
    memcpy(b + 30, "031220260700", 12); /* ModDate */
    put_le(b + 42, xres, 2);            /* NumPoints */
    put_le(b + 44, yres, 2);            /* NumProfiles */
    put_f64(b + 46, xs);
    put_f64(b + 54, ys);
    put_f64(b + 62, zs);
    put_f64(b + 70, zs); /* Zresolution */
    b[78] = 0;           /* Compression */
    b[79] = (unsigned char)dtype;
    b[80] = 0; /* CheckType */
    size_t vs = type_size[dtype], n = (size_t)xres * yres;
    for (size_t i = 0; i < n && i < 6; ++i) { /* v holds at most 6; the rest is left out */
        unsigned char *p = b + 81 + vs * i;
        if (dtype == 3) {
            float f = (float)v[i];
            uint32_t u;
            memcpy(&u, &f, 4);
            put_le(p, u, 4);
        } else if (dtype == 7) {
            put_f64(p, v[i]);
        } else {
            put_le(p, (uint64_t)(int64_t)v[i], vs);
        }
    }
    return 81 + vs * n;
}

static void test_binary(void **state)
{
    (void)state;
    unsigned char b[512];
    mn_field *f = NULL;
    mn_error err;
    const double sv[6] = {-3, 0, 5, 100, -100, 7}, uv[6] = {3, 0, 5, 100, 200, 7};
    for (int t = 0; t < 8; ++t) { /* every DataType of the standard */
        int is_signed = t == 3 || t >= 4;
        const double *v = is_signed ? sv : uv;
        size_t n = make_bin(b, 3, 2, 2e-6, 4e-6, 1e-9, t, v);
        memcpy(b + n, "trailer", 7); /* what follows the data is not read */
        assert_int_equal_msg(mn_field_read_sdf_memory(b, n + 7, "a.sdf", &f, &err), 0, err.message);
        assert_int_equal(mn_field_xres(f), 3);
        assert_int_equal(mn_field_yres(f), 2);
        assert_close(mn_field_dx_m(f), 2e-6, 1e-15);
        assert_close(mn_field_dy_m(f), 4e-6, 1e-15);
        assert_int_equal(mn_field_get_kind(f), MN_FIELD_HEIGHT);
        for (size_t i = 0; i < 6; ++i)
            assert_close(mn_field_cdata(f)[i], v[i] * 1e-9, 1e-15);
        mn_field_free(&f);
    }
    double big[2] = {65535, 40000}; /* unsigned 16 bit beyond the signed range */
    size_t n = make_bin(b, 2, 1, 1e-6, 0, 1e-6, 1, big);
    assert_int_equal(mn_field_read_sdf_memory(b, n, "p.sdf", &f, &err), 0);
    assert_close(mn_field_get(f, 0, 0), 65535e-6, 1e-12);
    assert_close(mn_field_dy_m(f), 1e-6, 1e-15); /* one profile, Yscale 0: square pixels */
    mn_field_free(&f);
}

static const char ascii[] = "aBCR-1.0\r\n"
                            "ManuFacID   = mnsim\r\n"
                            "CreateDate  = 031220260700\r\n"
                            "ModDate     = 031220260700\r\n"
                            "NumPoints   = 4\r\n"
                            "NumProfiles = 3\r\n"
                            "Xscale      = 2.5E-06\r\n"
                            "Yscale      = 5e-6\r\n"
                            "zscale      = 1.0e-9\r\n"
                            "Zresolution = -1\r\n"
                            "Compression = 0\r\n"
                            "DataType    = 5\r\n"
                            "CheckType   = 0\r\n"
                            "*\r\n"
                            "0 79 157\t236\r\n"
                            "-323 -244\n-166 -87\n"
                            "1 2 3 4.5\n"
                            "*\n"
                            "trailer text\n*\n";

static void test_ascii(void **state)
{
    (void)state;
    mn_field *f = NULL;
    mn_error err;
    assert_int_equal_msg(mn_field_read_sdf_memory(ascii, strlen(ascii), "a.sdf", &f, &err), 0,
                         err.message);
    assert_int_equal(mn_field_xres(f), 4);
    assert_int_equal(mn_field_yres(f), 3);
    assert_close(mn_field_dx_m(f), 2.5e-6, 1e-15);
    assert_close(mn_field_yreal_m(f), 15e-6, 1e-15);
    assert_close(mn_field_get(f, 2, 0), 157e-9, 1e-15);
    assert_close(mn_field_get(f, 1, 1), -244e-9, 1e-15);
    assert_close(mn_field_get(f, 3, 2), 4.5e-9, 1e-15);
    mn_field_free(&f);

    /* through a file, by content; without the closing '*' the data may end the file */
    char dir[256], path[512];
    mn_test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/scan.sdf", dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("aNPL-V1.0\nNumPoints = 2\nNumProfiles = 1\nXscale = 1e-6\nYscale = 0\n"
          "Zscale = 1e-6\n*\n1.5\n-2.5",
          fp);
    fclose(fp);
    assert_int_equal(mn_field_read_sdf(path, &f, &err), 0);
    assert_close(mn_field_get(f, 1, 0), -2.5e-6, 1e-15);
    mn_field_free(&f);
    mn_measure_read_opts o = {0};
    assert_int_equal_msg(mn_measure_read(path, &o, &f, &err), 0, err.message);
    assert_close(mn_field_xreal_m(f), 2e-6, 1e-15);
    mn_field_free(&f);
    unsigned char b[512];
    size_t n = make_bin(b, 3, 2, 2e-6, 4e-6, 1e-9, 7, (double[]){1, 2, 3, 4, 5, 6});
    assert_int_equal_msg(mn_measure_read_memory(b, n, "m.sdf", &o, &f, &err), 0, err.message);
    assert_close(mn_field_get(f, 2, 1), 6e-9, 1e-15);
    mn_field_free(&f);
    assert_int_equal(mn_field_read_sdf("/nonexistent/x.sdf", &f, &err), MN_EIO);
    assert_non_null(strstr(err.message, "/nonexistent/x.sdf"));
    mn_test_rmtree(dir);
}

static void expect(const void *b, size_t n, int code, const char *needle)
{
    mn_test_field_refused(mn_field_read_sdf_memory, b, n, "bad.sdf", code, needle);
}

/* The ASCII example with one header line replaced (or the text after '*' replaced). */
static void expect_ascii(const char *from, const char *to, int code, const char *needle)
{
    char text[1024];
    const char *at = strstr(ascii, from);
    assert_non_null(at);
    size_t k = (size_t)(at - ascii);
    memcpy(text, ascii, k);
    snprintf(text + k, sizeof text - k, "%s%s", to, at + strlen(from));
    expect(text, strlen(text), code, needle);
}

static void test_malformed(void **state)
{
    (void)state;
    unsigned char b[512];
    const double v[6] = {1, 2, 3, 4, 5, 6};
    size_t n = make_bin(b, 3, 2, 2e-6, 4e-6, 1e-9, 5, v);
    expect(b, 80, MN_EFORMAT, "truncated: a binary SDF header has 81 bytes");
    expect(b, n - 1, MN_EFORMAT, "truncated: 3 x 2 signed int (16 bit) values need 12");
    b[79] = 8;
    expect(b, n, MN_EFORMAT, "DataType = 8 is not one of");
    b[79] = 5;
    b[78] = 1;
    expect(b, n, MN_EFORMAT, "Compression = 1");
    make_bin(b, 65535, 65535, 1e-6, 1e-6, 1e-9, 0, v); /* oversized; 6 values present */
    expect(b, 87, MN_ERANGE, "too large");
    make_bin(b, 0, 2, 1e-6, 1e-6, 1e-9, 0, v);
    expect(b, 87, MN_ERANGE, "empty field");
    n = make_bin(b, 3, 2, 0, 4e-6, 1e-9, 7, v);
    expect(b, n, MN_EFORMAT, "Xscale = 0");
    n = make_bin(b, 3, 2, 2e-6, 0, 1e-9, 7, v);
    expect(b, n, MN_EFORMAT, "Yscale = 0");
    n = make_bin(b, 3, 2, 2e-6, 1e-6, NAN, 7, v);
    expect(b, n, MN_EFORMAT, "Zscale");
    n = make_bin(b, 3, 2, 2e-6, 1e-6, 1e-9, 7, (double[]){1, 2, 3, NAN, 5, 6});
    expect(b, n, MN_EFORMAT, "row 1, column 0 is not finite");
    n = make_bin(b, 3, 2, 2e-6, 1e-6, 1e-9, 3, (double[]){1, 2, 3, 4, 5, INFINITY});
    expect(b, n, MN_EFORMAT, "not finite");
    n = make_bin(b, 3, 2, 2e-6, 1e-6, 1e300, 7, (double[]){1, 2, 3, 4, 5, 1e10});
    expect(b, n, MN_EFORMAT, "not finite"); /* finite value, infinite height */
    /* A checksum that cannot be verified is refused, not ignored. */
    n = make_bin(b, 3, 2, 2e-6, 1e-6, 1e-9, 7, v);
    b[80] = 1;
    expect(b, n, MN_EFORMAT, "CheckType = 1 asks for a checksum, but its algorithm is not");
    expect("xBCR-1.0", 8, MN_EFORMAT, "not a Surface Data File");
    expect("", 0, MN_EFORMAT, "not a Surface Data File");

    expect(ascii, strlen(ascii) - 60, MN_EFORMAT, "truncated: 4 x 3 values cannot fit");
    expect_ascii("1 2 3 4.5", "1 2", MN_EFORMAT, "truncated: 10 of 4 x 3 values");
    expect(ascii, 200, MN_EFORMAT, "no closing '*'");
    expect_ascii("NumPoints   = 4\r\n", "", MN_EFORMAT, "header lacks NumPoints");
    expect_ascii("NumPoints   = 4", "NumPoints = 4x", MN_EFORMAT, "NumPoints = '4x'");
    expect_ascii("NumPoints   = 4", "NumPoints = -4", MN_EFORMAT, "NumPoints = '-4'");
    expect_ascii("NumPoints   = 4", "NumPoints = 99999", MN_ERANGE, "too large");
    expect_ascii("Xscale      = 2.5E-06", "Xscale = nan", MN_EFORMAT, "Xscale = 'nan'");
    expect_ascii("DataType    = 5", "DataType = 12", MN_EFORMAT, "DataType = 12");
    expect_ascii("CheckType   = 0", "CheckType", MN_EFORMAT, "without '='");
    expect_ascii("CheckType   = 0", "CheckType = 2", MN_EFORMAT,
                 "CheckType = 2 asks for a checksum, but its algorithm is not available");
    expect_ascii("CheckType   = 0", "checktype = x", MN_EFORMAT, "CheckType = 'x' is not a");
    expect_ascii("1 2 3 4.5", "1 2 3 4.5 6", MN_EFORMAT, "more than NumPoints x NumProfiles");
    expect_ascii("1 2 3 4.5", "1 2 x3 4.5", MN_EFORMAT, "value 11 'x3' is not a number");
    expect_ascii("1 2 3 4.5", "1 2 3 inf", MN_EFORMAT, "row 2, column 3 is not finite");
    char nul[] = "aBCR-1.0\nNumPoints = 1\0";
    expect(nul, sizeof nul, MN_EFORMAT, "NUL byte");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binary),
        cmocka_unit_test(test_ascii),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
