/* Cross-check of the height and hybrid parameters against an independent numpy implementation
 * (tools/measure_ref.py): plane removal by numpy's lstsq, the ISO Gaussian by numpy, moments by
 * numpy. Agreement within 1 % is the acceptance criterion. Skipped when python3 with
 * numpy is missing (Debian package python3-numpy, scripts/install-deps.sh --test); fails
 * instead under CI=true. */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/measure.h"
#include "testutil.h"

#define PI 3.14159265358979323846

static const char *python(void)
{
    static const char *cands[] = {"python3", "/usr/bin/python3"};
    for (size_t i = 0; i < 2; ++i) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "%s -c 'import numpy' >/dev/null 2>&1", cands[i]);
        if (mn_test_run(cmd, NULL, 0) == 0)
            return cands[i];
    }
    return NULL;
}

/* A rough surface: random cosines (0.1 to 2 mm), a tilt, a groove and noise, 20 um pixels. */
static void write_surface(const char *path)
{
    const size_t nx = 220, ny = 180;
    mn_field *f = NULL;
    mn_error err;
    assert_int_equal(mn_field_create(&f, nx, ny, 20e-6 * nx, 20e-6 * ny, MN_FIELD_HEIGHT, &err), 0);
    double *z = mn_field_data(f);
    uint64_t s = 42;
    double amp[12], kx[12], ky[12], ph[12];
    for (int k = 0; k < 12; ++k) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(s >> 11) / 9007199254740992.0;
        double lambda = 1e-4 * pow(20.0, u), dir = 2 * PI * fmod(u * 7.3, 1.0);
        amp[k] = 5e-6 * sqrt(lambda / 2e-3);
        kx[k] = 2 * PI / lambda * cos(dir);
        ky[k] = 2 * PI / lambda * sin(dir);
        ph[k] = 2 * PI * fmod(u * 13.1, 1.0);
    }
    for (size_t y = 0; y < ny; ++y)
        for (size_t x = 0; x < nx; ++x) {
            double xm = 20e-6 * x, ym = 20e-6 * y, v = 0.02 * xm - 0.01 * ym;
            for (int k = 0; k < 12; ++k)
                v += amp[k] * cos(kx[k] * xm + ky[k] * ym + ph[k]);
            double u = ((double)x - 90.0) / 4.0;
            v -= 25e-6 * exp(-0.5 * u * u);
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            v += 0.5e-6 * ((double)(s >> 11) / 4503599627370496.0 - 1.0);
            z[y * nx + x] = v;
        }
    assert_int_equal(mn_field_write_gsf(f, path, &err), 0);
    mn_field_free(&f);
}

static void compare(const char *py, const char *path, const char *opts)
{
    static char out1[65536], out2[65536];
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s measure --json --no-wrinkles %s '%s'", MNSIM_BINARY, opts, path);
    assert_int_equal(mn_test_run(cmd, out1, sizeof out1), 0);
    snprintf(cmd, sizeof cmd, "%s %s/tools/measure_ref.py '%s' %s", py, MNSIM_SOURCE_DIR, path,
             opts);
    assert_int_equal(mn_test_run(cmd, out2, sizeof out2), 0);
    json_error_t je;
    json_t *a = json_loads(out1, 0, &je), *b = json_loads(out2, 0, &je);
    assert_non_null(a);
    assert_non_null(b);
    const char *keys[] = {"Sa_um", "Sq_um", "Sp_um", "Sv_um",  "Sz_um",
                          "Ssk",   "Sku",   "Sdq",   "Sdr_pct"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; ++i) {
        double va = json_number_value(json_object_get(a, keys[i]));
        double vb = json_number_value(json_object_get(b, keys[i]));
        print_message("%-8s %s: mnsim %.6g numpy %.6g\n", keys[i], opts, va, vb);
        assert_true_msg(fabs(va - vb) <= 0.01 * fabs(vb) + 1e-9, "%s (%s): mnsim %g, numpy %g",
                        keys[i], opts, va, vb);
    }
    json_decref(a);
    json_decref(b);
}

static void test_against_numpy(void **state)
{
    (void)state;
    const char *py = python();
    if (!py) {
        const char *ci = getenv("CI");
        assert_true_msg(!(ci && !strcmp(ci, "true")), "CI=true: python3 with numpy is missing");
        skip();
    }
    char dir[256], path[512];
    mn_test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/rough.gsf", dir);
    write_surface(path);
    compare(py, path, "--form plane --lambda-s-um 2.5 --lambda-c-mm 0.8");
    compare(py, path, "--form poly2 --lambda-s-um 50 --lambda-c-mm 0.5");
    compare(py, path, "--form plane --filter none");
    compare(py, path, "--form plane --filter none --gradient cell");
    mn_test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_against_numpy)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
