/* ISO 16610-21 Gaussian filter: 50 % transmission at the cut-off, the transmission curve
 * exp(-pi (alpha lambda_c / lambda)^2), the areal (separable) filter and the S-L surface. */
#include <math.h>
#include <stdlib.h>

#include "mnsim/measure.h"
#include "testutil.h"

#define PI 3.14159265358979323846

/* Amplitude of the filtered cosine of wavelength lambda, read in the middle (away from the
 * mirrored borders), over a profile of n samples of 1 um; lambda_c 0.8 mm. */
static double transmission(double lambda_m)
{
    const size_t n = 8000;
    double *p = malloc(n * sizeof *p);
    for (size_t i = 0; i < n; ++i)
        p[i] = cos(2 * PI * (double)i * 1e-6 / lambda_m);
    mn_error err;
    assert_int_equal(mn_measure_gaussian_profile(p, n, 1e-6, 0.8e-3, p, &err), 0);
    double amp = 0.0;
    for (size_t i = n / 2 - 2000; i < n / 2 + 2000; ++i)
        amp = fmax(amp, fabs(p[i]));
    free(p);
    return amp;
}

static void test_half_at_cutoff(void **state)
{
    (void)state;
    assert_close(transmission(0.8e-3), 0.5, 2e-3);
    const double alpha = sqrt(log(2.0) / PI);
    double ratios[] = {0.5, 0.7, 1.5, 2.0, 4.0};
    for (size_t i = 0; i < sizeof ratios / sizeof ratios[0]; ++i) {
        double lambda = ratios[i] * 0.8e-3, r = alpha * 0.8e-3 / lambda;
        double expect = exp(-PI * r * r);
        double got = transmission(lambda);
        assert_true_msg(fabs(got - expect) < 3e-3, "lambda = %g lambda_c: %g, expected %g",
                        ratios[i], got, expect);
    }
}

static void test_areal_and_sl(void **state)
{
    (void)state;
    /* 20 um pixels; a 0.8 mm wave along x and a 0.8 mm wave along y (each 40 px) */
    const size_t nx = 240, ny = 200;
    mn_field *f = NULL, *g = NULL, *sl = NULL;
    mn_error err;
    assert_int_equal(mn_field_create(&f, nx, ny, 20e-6 * nx, 20e-6 * ny, MN_FIELD_HEIGHT, &err), 0);
    assert_int_equal(mn_field_create(&g, nx, ny, 20e-6 * nx, 20e-6 * ny, MN_FIELD_HEIGHT, &err), 0);
    double *z = mn_field_data(f);
    for (size_t y = 0; y < ny; ++y)
        for (size_t x = 0; x < nx; ++x)
            z[y * nx + x] = 1e-6 * cos(2 * PI * x / 40.0) + 2e-6 * cos(2 * PI * y / 40.0);
    assert_int_equal(mn_measure_gaussian(f, 0.8e-3, g, &err), 0);
    /* both waves at half amplitude (read more than lambda_c from the mirrored borders) */
    assert_close(mn_field_get(g, 120, 100), 0.5e-6 - 1e-6, 2e-3);
    assert_close(mn_field_get(g, 100, 80), -0.5e-6 + 1e-6, 2e-3);
    assert_close(mn_field_get(g, 120, 80), 0.5e-6 + 1e-6, 2e-3);
    /* in place gives the same */
    assert_int_equal(mn_measure_gaussian(f, 0.8e-3, f, &err), 0);
    assert_close(mn_field_get(f, 120, 80), mn_field_get(g, 120, 80), 1e-12);

    /* S-L surface with lambda_c = 0.8 mm and no S-filter: an 8 mm wave must go, a 0.16 mm
     * wave stay */
    z = mn_field_data(f);
    for (size_t y = 0; y < ny; ++y)
        for (size_t x = 0; x < nx; ++x)
            z[y * nx + x] = 5e-6 * cos(2 * PI * x / 400.0) + 1e-6 * cos(2 * PI * x / 8.0);
    mn_measure_settings s;
    mn_measure_settings_default(&s);
    s.form = MN_FORM_NONE;
    s.lambda_s_um = 0;
    assert_int_equal(mn_measure_scale_limited(f, &s, &sl, &err), 0);
    mn_texture t;
    assert_int_equal(mn_measure_texture(sl, &t, &err), 0);
    /* the mean line passes the 8 mm wave at 2^-(1/100) = 99.3 % and the 0.16 mm wave at
     * 2^-25: the roughness is the short wave, plus 0.7 % of the long one */
    double expect = sqrt(0.5 * 1.0 + 0.5 * pow(5.0 * (1 - pow(2.0, -0.01)), 2));
    assert_close(t.sq_um, expect, 2e-2);
    mn_field_free(&sl);
    mn_field_free(&f);
    mn_field_free(&g);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    double p[4] = {1, 2, 3, 4};
    mn_error err;
    assert_int_equal(mn_measure_gaussian_profile(p, 4, 0.0, 1e-3, p, &err), MN_EINVAL);
    assert_int_equal(mn_measure_gaussian_profile(p, 4, 1e-6, -1.0, p, &err), MN_EINVAL);
    /* a cut-off far beyond the profile gives its mean */
    assert_int_equal(mn_measure_gaussian_profile(p, 4, 1e-6, 1.0, p, &err), 0);
    assert_close(p[0], 2.5, 1e-2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_half_at_cutoff),
        cmocka_unit_test(test_areal_and_sl),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
