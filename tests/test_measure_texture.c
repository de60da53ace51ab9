/* ISO 25178-2 parameters against analytic surfaces: sinusoid, 45-degree plane, a tilt that
 * plane removal cancels, a Gaussian groove; profile Ra, Rq, Rz of a sinusoid. */
#include <math.h>
#include <stdio.h>

#include "mnsim/measure.h"
#include "testutil.h"

#define PI 3.14159265358979323846

/* xres x yres field of 10 um pixels with z = f(x_m, y_m). */
static mn_field *make(size_t xres, size_t yres, double (*f)(double, double, const double *),
                      const double *p)
{
    mn_field *fl = NULL;
    mn_error err;
    assert_int_equal(
        mn_field_create(&fl, xres, yres, 1e-5 * xres, 1e-5 * yres, MN_FIELD_HEIGHT, &err), 0);
    double *z = mn_field_data(fl);
    for (size_t y = 0; y < yres; ++y)
        for (size_t x = 0; x < xres; ++x)
            z[y * xres + x] = f(1e-5 * (double)x, 1e-5 * (double)y, p);
    return fl;
}

/* p = {amplitude m, wavelength m, tilt x, tilt y, crest x m}: a cosine, even about its crest
 * so that, centred in the field, it is orthogonal to any plane. */
static double sine(double x, double y, const double *p)
{
    return p[0] * cos(2 * PI * (x - p[4]) / p[1]) + p[2] * x + p[3] * y;
}

/* Mean of |cos| sampled N times per period from a crest: (2/N) cot(pi/N) -> 2/pi. */
static double mean_abs_cos(int n)
{
    return 2.0 / n / tan(PI / n);
}

static double plane45(double x, double y, const double *p)
{
    (void)y;
    (void)p;
    return x;
}

static void texture_of(const mn_field *f, mn_form form, mn_texture *t)
{
    mn_measure_settings s;
    mn_measure_settings_default(&s);
    s.form = form;
    s.filter = 0;
    mn_field *sl = NULL;
    mn_error err;
    assert_int_equal(mn_measure_scale_limited(f, &s, &sl, &err), 0);
    assert_int_equal(mn_measure_texture(sl, t, &err), 0);
    mn_field_free(&sl);
}

static void test_sinusoid(void **state)
{
    (void)state;
    const double a = 5e-6, lambda = 2e-4; /* 5 um amplitude, 20 pixels per period */
    double p[5] = {a, lambda, 0, 0, 0};
    mn_field *f = make(400, 50, sine, p);
    mn_texture t;
    texture_of(f, MN_FORM_NONE, &t);
    assert_close(t.sq_um, 1e6 * a / sqrt(2.0), 1e-9);
    assert_close(t.sa_um, 1e6 * a * mean_abs_cos(20), 1e-9); /* 20 samples per period */
    assert_close(t.sa_um, 1e6 * 2 * a / PI, 1e-2);           /* continuous limit 2A/pi */
    assert_close(t.sku, 1.5, 1e-9);
    assert_true(fabs(t.ssk) < 1e-9);
    assert_close(t.sp_um, 5.0, 1e-9);
    assert_close(t.sv_um, 5.0, 1e-9);
    assert_close(t.sz_um, 10.0, 1e-9);
    /* rms slope of a sin(kx): a k / sqrt 2; the cell gradient is a finite difference
     * (factor sin(k dx/2)/(k dx/2) = 0.9959 at 20 samples per period). */
    double k = 2 * PI / lambda, h = 0.5 * k * 1e-5;
    assert_close(t.sdq, a * k / sqrt(2.0) * sin(h) / h, 3e-3); /* 399 cells: not whole periods */
    mn_field_free(&f);
}

static void test_plane45(void **state)
{
    (void)state;
    mn_field *f = make(64, 48, plane45, NULL);
    mn_texture t;
    texture_of(f, MN_FORM_NONE, &t);
    assert_close(t.sdq, 1.0, 1e-12);
    assert_close(t.sdr_pct, 100.0 * (sqrt(2.0) - 1.0), 1e-12); /* 41.42 % */
    texture_of(f, MN_FORM_PLANE, &t);
    assert_true(t.sdq < 1e-9 && t.sq_um < 1e-6);
    mn_field_free(&f);
}

static void test_tilt_cancelled(void **state)
{
    (void)state;
    const double a = 3e-6, lambda = 2.5e-4;
    /* 12 periods with a crest at the centre of the 300 pixels (x = 1.495 mm) */
    double flat[5] = {a, lambda, 0, 0, 1.495e-3}, tilted[5] = {a, lambda, 0.05, -0.03, 1.495e-3};
    mn_field *f0 = make(300, 200, sine, flat), *f1 = make(300, 200, sine, tilted);
    mn_texture t0, t1, tn;
    texture_of(f0, MN_FORM_NONE, &t0);
    texture_of(f1, MN_FORM_PLANE, &t1);
    texture_of(f1, MN_FORM_NONE, &tn);
    assert_true_msg(tn.sq_um > 10 * t0.sq_um, "tilt should dominate without form removal");
    assert_close(t1.sq_um, t0.sq_um, 1e-6);
    assert_close(t1.sa_um, t0.sa_um, 1e-6);
    assert_close(t1.sku, t0.sku, 1e-6);
    assert_close(t1.sdq, t0.sdq, 1e-6);
    assert_close(t1.sdr_pct, t0.sdr_pct, 1e-6);
    assert_close(t1.sz_um, t0.sz_um, 1e-6);
    /* poly2 cancels a tilt as well; its x^2 term is not orthogonal to the even cosine and
     * takes a little of it (2e-5 here) */
    texture_of(f1, MN_FORM_POLY2, &t1);
    assert_close(t1.sq_um, t0.sq_um, 1e-4);
    mn_field_free(&f0);
    mn_field_free(&f1);
}

/* p = {depth m, sigma m, centre m} */
static double groove(double x, double y, const double *p)
{
    (void)y;
    double u = (x - p[2]) / p[1];
    return -p[0] * exp(-0.5 * u * u);
}

static void test_gaussian_groove(void **state)
{
    (void)state;
    const double depth = 40e-6, sigma = 60e-6, width = 4e-3; /* 400 px of 10 um */
    double p[3] = {depth, sigma, 2e-3};
    mn_field *f = make(400, 40, groove, p);
    mn_texture t;
    texture_of(f, MN_FORM_NONE, &t);
    /* mean line: -depth sigma sqrt(2 pi) / width; Sv = depth + mean, Sp = -mean */
    double mean = -depth * sigma * sqrt(2 * PI) / width;
    assert_close(t.sv_um, 1e6 * (depth + mean), 1e-6);
    assert_close(t.sp_um, -1e6 * mean, 1e-6);
    assert_close(t.sz_um, 40.0, 1e-6);
    /* Sq^2 = E[z^2] - mean^2 with E[z^2] = depth^2 sigma sqrt(pi) / width */
    double ez2 = depth * depth * sigma * sqrt(PI) / width;
    assert_close(t.sq_um, 1e6 * sqrt(ez2 - mean * mean), 1e-4);
    assert_true(t.ssk < -2.0); /* a lone pit: strongly negative skew */
    mn_field_free(&f);
}

static void test_profile(void **state)
{
    (void)state;
    const double a = 4e-6, lambda = 2e-4;
    double p[5] = {a, lambda, 0, 0, 0};
    mn_field *f = make(500, 9, sine, p); /* 5 sampling lengths of 100 px = 5 periods each */
    mn_measure_settings s;
    mn_measure_settings_default(&s);
    s.filter = 0;
    mn_profile pr;
    mn_error err;
    assert_int_equal(mn_measure_profile(f, &s, &pr, &err), 0);
    assert_int_equal(pr.row, 4);
    assert_close(pr.sampling_mm, 1.0, 1e-12);
    assert_close(pr.rq_um, 4.0 / sqrt(2.0), 1e-9);
    assert_close(pr.ra_um, 4.0 * mean_abs_cos(20), 1e-9);
    assert_close(pr.rz_um, 8.0, 1e-9); /* peaks and valleys fall on samples */
    s.profile_row = 9;
    assert_int_equal(mn_measure_profile(f, &s, &pr, &err), MN_ERANGE);
    /* with the default filters (lambda_c 0.8 mm = 4 wavelengths) the mean line keeps
     * 2^-16 of the sinusoid, so the roughness profile is the sinusoid */
    s.filter = 1;
    s.profile_row = -1;
    assert_int_equal(mn_measure_profile(f, &s, &pr, &err), 0);
    assert_close(pr.rq_um, 4.0 / sqrt(2.0), 1e-3);
    /* at lambda_c = 0.2 mm = the wavelength, the mean line takes half: roughness keeps half */
    s.lambda_c_mm = 0.2;
    assert_int_equal(mn_measure_profile(f, &s, &pr, &err), 0);
    assert_close(pr.rq_um, 0.5 * 4.0 / sqrt(2.0), 1e-2);
    mn_field_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sinusoid),       cmocka_unit_test(test_plane45),
        cmocka_unit_test(test_tilt_cancelled), cmocka_unit_test(test_gaussian_groove),
        cmocka_unit_test(test_profile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
