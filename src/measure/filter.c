/* ISO 16610-21 Gaussian filter (profile and separable areal) and Gaussian derivative smoothing.
 * Borders are mirrored symmetrically (... c b a | a b c ...), so the filtered surface keeps the
 * full evaluation area; docs/measure.md says what that does near the edges. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure/measure_impl.h"

/* Index into [0, n) by symmetric reflection, valid for any offset (period 2n). */
static size_t mirror(long i, size_t n)
{
    long p = 2 * (long)n;
    long k = i % p;
    if (k < 0)
        k += p;
    return (size_t)(k < (long)n ? k : p - 1 - k);
}

/* Correlates n samples spaced `stride` apart with kernel c[-r..r] (c points at c[0]). */
static void correlate(const double *in, size_t n, size_t stride, const double *c, long r,
                      double *tmp, double *out)
{
    for (size_t i = 0; i < n; ++i)
        tmp[i] = in[i * stride];
    for (size_t i = 0; i < n; ++i) {
        double s = 0.0;
        if ((long)i >= r && (long)i + r < (long)n) {
            for (long k = -r; k <= r; ++k)
                s += c[k] * tmp[(long)i + k];
        } else {
            for (long k = -r; k <= r; ++k)
                s += c[k] * tmp[mirror((long)i + k, n)];
        }
        out[i * stride] = s;
    }
}

/* The ISO 16610-21 weighting sampled at whole pixels for a cut-off of lambda_px pixels,
 * truncated at +-lambda and normalised to unit sum. Returns a malloc'd array of 2r+1. */
static double *iso_kernel(double lambda_px, long *r_out)
{
    const double alpha = sqrt(log(2.0) / MN__PI);
    long r = (long)ceil(lambda_px);
    if (r < 1)
        r = 1;
    double *c = malloc((size_t)(2 * r + 1) * sizeof *c);
    if (!c)
        return NULL;
    double sum = 0.0;
    for (long k = -r; k <= r; ++k) {
        double u = (double)k / (alpha * lambda_px);
        c[k + r] = exp(-MN__PI * u * u);
        sum += c[k + r];
    }
    for (long k = 0; k < 2 * r + 1; ++k)
        c[k] /= sum;
    *r_out = r;
    return c;
}

int mn_measure_gaussian_profile(const double *in, size_t n, double dx_m, double lambda_m,
                                double *out, mn_error *err)
{
    if (!in || !out || n == 0)
        return mn_error_set(err, MN_EINVAL, "mn_measure_gaussian_profile: bad argument");
    if (!(dx_m > 0 && lambda_m > 0 && isfinite(lambda_m / dx_m)))
        return mn_error_set(err, MN_EINVAL, "gaussian filter: cut-off %g m, spacing %g m invalid",
                            lambda_m, dx_m);
    double lpx = lambda_m / dx_m;
    if (lpx > 4.0 * (double)n + 16.0)
        lpx = 4.0 * (double)n + 16.0; /* beyond this the mean line is the mean: cap the kernel */
    long r;
    double *c = iso_kernel(lpx, &r);
    double *tmp = malloc(n * sizeof *tmp);
    if (!c || !tmp) {
        free(c);
        free(tmp);
        return mn_error_set(err, MN_ENOMEM, "gaussian filter: out of memory");
    }
    correlate(in, n, 1, c + r, r, tmp, out);
    free(c);
    free(tmp);
    return MN_OK;
}

int mn_measure_gaussian(const mn_field *in, double lambda_m, mn_field *out, mn_error *err)
{
    if (!in || !out)
        return mn_error_set(err, MN_EINVAL, "mn_measure_gaussian: NULL argument");
    size_t xres = mn_field_xres(in), yres = mn_field_yres(in);
    if (mn_field_xres(out) != xres || mn_field_yres(out) != yres)
        return mn_error_set(err, MN_EINVAL, "mn_measure_gaussian: fields differ in size");
    if (out != in)
        memcpy(mn_field_data(out), mn_field_cdata(in), xres * yres * sizeof(double));
    double *z = mn_field_data(out);
    double *line = malloc((xres > yres ? xres : yres) * sizeof *line);
    if (!line)
        return mn_error_set(err, MN_ENOMEM, "gaussian filter: out of memory");
    int rc = MN_OK;
    for (size_t y = 0; y < yres && !rc; ++y)
        rc = mn_measure_gaussian_profile(z + y * xres, xres, mn_field_dx_m(in), lambda_m,
                                         z + y * xres, err);
    for (size_t x = 0; x < xres && !rc; ++x) {
        for (size_t y = 0; y < yres; ++y)
            line[y] = z[y * xres + x];
        rc = mn_measure_gaussian_profile(line, yres, mn_field_dy_m(in), lambda_m, line, err);
        for (size_t y = 0; y < yres; ++y)
            z[y * xres + x] = line[y];
    }
    free(line);
    return rc;
}

/* Sampled Gaussian derivative kernels (order 0, 1, 2), radius ceil(4 sigma), with moments
 * corrected so that constants, lines and parabolas give exact derivatives. */
static double *deriv_kernel(double sigma, int order, long *r_out)
{
    long r = (long)ceil(4.0 * sigma);
    if (r < 1)
        r = 1;
    double *c = malloc((size_t)(2 * r + 1) * sizeof *c);
    if (!c)
        return NULL;
    double s0 = 0.0;
    for (long k = -r; k <= r; ++k)
        s0 += (c[k + r] = exp(-0.5 * (double)(k * k) / (sigma * sigma)));
    for (long k = -r; k <= r; ++k)
        c[k + r] /= s0;
    if (order == 1) {
        double m = 0.0;
        for (long k = -r; k <= r; ++k) {
            c[k + r] *= (double)k;
            m += (double)k * c[k + r];
        }
        for (long k = -r; k <= r; ++k)
            c[k + r] /= m; /* sum k c(k) = 1 */
    } else if (order == 2) {
        double mean = 0.0;
        for (long k = -r; k <= r; ++k)
            mean += (c[k + r] *= ((double)(k * k) / (sigma * sigma) - 1.0));
        mean /= (double)(2 * r + 1);
        double m = 0.0;
        for (long k = -r; k <= r; ++k)
            m += 0.5 * (double)(k * k) * (c[k + r] -= mean);
        for (long k = -r; k <= r; ++k)
            c[k + r] /= m; /* sum c = 0, sum k^2/2 c = 1 */
    }
    *r_out = r;
    return c;
}

int mn__gauss_deriv(const double *in, size_t xres, size_t yres, double sigma_px, int order_x,
                    int order_y, double *out)
{
    long rx, ry;
    double *cx = deriv_kernel(sigma_px, order_x, &rx);
    double *cy = deriv_kernel(sigma_px, order_y, &ry);
    double *tmp = malloc((xres > yres ? xres : yres) * sizeof *tmp);
    if (!cx || !cy || !tmp) {
        free(cx);
        free(cy);
        free(tmp);
        return MN_ENOMEM;
    }
    for (size_t y = 0; y < yres; ++y)
        correlate(in + y * xres, xres, 1, cx + rx, rx, tmp, out + y * xres);
    for (size_t x = 0; x < xres; ++x)
        correlate(out + x, yres, xres, cy + ry, ry, tmp, out + x);
    free(cx);
    free(cy);
    free(tmp);
    return MN_OK;
}
