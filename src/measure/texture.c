/* ISO 25178-2 areal parameters, the scale-limited surface, and profile Ra Rq Rz (ISO 4287). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure/measure_impl.h"

void mn_measure_settings_default(mn_measure_settings *s)
{
    if (!s)
        return;
    memset(s, 0, sizeof *s);
    s->form = MN_FORM_PLANE;
    s->filter = 1;
    s->lambda_s_um = 2.5;
    s->lambda_c_mm = 0.8;
    s->profile_row = -1;
    s->wrinkles = 1;
    s->n_scales = 4;
    s->frangi_beta = 0.5;
    s->frangi_c_frac = 0.5;
    s->noise_floor = 5.0;
    s->gradient = MN_GRADIENT_GWYDDION;
}

const char *mn_form_name(mn_form form)
{
    switch (form) {
    case MN_FORM_NONE:
        return "none";
    case MN_FORM_PLANE:
        return "plane";
    case MN_FORM_POLY2:
        return "poly2";
    default:
        return "?";
    }
}

int mn_form_parse(const char *name)
{
    for (int f = MN_FORM_NONE; f <= MN_FORM_POLY2; ++f)
        if (name && !strcmp(name, mn_form_name((mn_form)f)))
            return f;
    return -1;
}

const char *mn_gradient_name(mn_gradient gradient)
{
    switch (gradient) {
    case MN_GRADIENT_GWYDDION:
        return "gwyddion";
    case MN_GRADIENT_CELL:
        return "cell";
    default:
        return "?";
    }
}

int mn_gradient_parse(const char *name)
{
    for (int g = MN_GRADIENT_GWYDDION; g <= MN_GRADIENT_CELL; ++g)
        if (name && !strcmp(name, mn_gradient_name((mn_gradient)g)))
            return g;
    return -1;
}

int mn_measure_settings_check(const mn_measure_settings *s, mn_error *err)
{
    if (!s)
        return mn_error_set(err, MN_EINVAL, "measure settings: NULL");
#define CHECK(cond, ...)                                                                           \
    if (!(cond))                                                                                   \
    return mn_error_set(err, MN_EINVAL, __VA_ARGS__)
    CHECK(s->form >= MN_FORM_NONE && s->form <= MN_FORM_POLY2, "form: unknown value %d",
          (int)s->form);
    CHECK(s->gradient == MN_GRADIENT_GWYDDION || s->gradient == MN_GRADIENT_CELL,
          "gradient: unknown value %d", (int)s->gradient);
    CHECK(isfinite(s->lambda_s_um) && s->lambda_s_um >= 0 && s->lambda_s_um <= 1e5,
          "lambda_s_um: %g is out of range (0 to 100000)", s->lambda_s_um);
    CHECK(isfinite(s->lambda_c_mm) && s->lambda_c_mm >= 0 && s->lambda_c_mm <= 1e3,
          "lambda_c_mm: %g is out of range (0 to 1000)", s->lambda_c_mm);
    CHECK(!s->filter || !(s->lambda_c_mm > 0) || s->lambda_s_um * 1e-3 < s->lambda_c_mm,
          "lambda_s_um %g must be shorter than lambda_c_mm %g", s->lambda_s_um, s->lambda_c_mm);
    CHECK(s->profile_row >= -1, "profile_row: %ld is negative", s->profile_row);
    CHECK(s->n_scales >= 1 && s->n_scales <= MN_MEASURE_MAX_SCALES,
          "n_scales: %d is out of range (1 to %d)", s->n_scales, MN_MEASURE_MAX_SCALES);
    CHECK(isfinite(s->sigma_min_um) && s->sigma_min_um >= 0 && isfinite(s->sigma_max_um) &&
              s->sigma_max_um >= 0 && s->sigma_max_um <= 1e5,
          "sigma_min_um/sigma_max_um: out of range");
    CHECK(!(s->sigma_min_um > 0 && s->sigma_max_um > 0) || s->sigma_min_um <= s->sigma_max_um,
          "sigma_min_um %g exceeds sigma_max_um %g", s->sigma_min_um, s->sigma_max_um);
    CHECK(isfinite(s->frangi_beta) && s->frangi_beta > 0 && s->frangi_beta <= 10,
          "frangi_beta: %g is out of range (0 to 10]", s->frangi_beta);
    CHECK(isfinite(s->noise_floor) && s->noise_floor >= 0 && s->noise_floor <= 100,
          "noise_floor: %g is out of range (0 to 100)", s->noise_floor);
    CHECK(isfinite(s->frangi_c_frac) && s->frangi_c_frac > 0 && s->frangi_c_frac <= 10,
          "frangi_c_frac: %g is out of range (0 to 10]", s->frangi_c_frac);
    CHECK(isfinite(s->threshold) && s->threshold >= 0 && s->threshold < 1,
          "threshold: %g is out of range [0, 1)", s->threshold);
    CHECK(isfinite(s->min_length_um) && s->min_length_um >= 0 && s->min_length_um <= 1e7,
          "min_length_um: %g is out of range", s->min_length_um);
#undef CHECK
    return MN_OK;
}

int mn_measure_scale_limited(const mn_field *raw, const mn_measure_settings *s, mn_field **out,
                             mn_error *err)
{
    if (!raw || !s || !out)
        return mn_error_set(err, MN_EINVAL, "mn_measure_scale_limited: NULL argument");
    *out = NULL;
    int rc = mn_measure_settings_check(s, err);
    mn_field *f = NULL, *mean = NULL;
    if (!rc)
        rc = mn_field_copy(raw, &f, err);
    if (!rc)
        rc = mn_measure_remove_form(f, s->form, err);
    if (!rc && s->filter && s->lambda_s_um > 0)
        rc = mn_measure_gaussian(f, s->lambda_s_um * 1e-6, f, err);
    if (!rc && s->filter && s->lambda_c_mm > 0) {
        rc = mn_field_copy(f, &mean, err);
        if (!rc)
            rc = mn_measure_gaussian(f, s->lambda_c_mm * 1e-3, mean, err);
        if (!rc) {
            double *z = mn_field_data(f);
            const double *m = mn_field_cdata(mean);
            for (size_t i = 0; i < mn_field_xres(f) * mn_field_yres(f); ++i)
                z[i] -= m[i];
        }
    }
    mn_field_free(&mean);
    if (rc) {
        mn_field_free(&f);
        return rc;
    }
    *out = f;
    return MN_OK;
}

/* sqrt(1 + q) - 1 without cancellation on smooth surfaces. */
static double excess_area(double q)
{
    return q / (sqrt(1.0 + q) + 1.0);
}

/* Gwyddion's convention (libprocess 2.58+, checked against libgwyddion 2.62 in
 * tests/test_measure_gwyddion.c). Sdq as gwy_data_field_get_surface_slope: every difference
 * between neighbours along x, (xres - 1) yres of them, and along y, xres (yres - 1), as
 * Sdq^2 = 2 (sum (dz/dx)^2 + sum (dz/dy)^2) / (their number). Sdr as 100 (A / (xres yres dx dy)
 * - 1) with A from gwy_data_field_get_surface_area: each 2 x 2 cell is four triangles joining
 * one edge to the cell centre at the mean of the four corners; the samples are pixel centres,
 * so the area covers xres x yres pixels: along each border a half-pixel strip with the slope
 * along that border and none outward, and flat quarter-pixel corners. */
static void slope_gwyddion(const double *z, size_t xres, size_t yres, double dx, double dy,
                           double *sdq, double *sdr_pct)
{
    double sh = 0.0, sv = 0.0, dev = 0.0;
    for (size_t y = 0; y < yres; ++y)
        for (size_t x = 0; x < xres; ++x) {
            const double *a = z + y * xres + x;
            if (x + 1 < xres) {
                double g = (a[1] - a[0]) / dx;
                sh += g * g;
            }
            if (y + 1 < yres) {
                double g = (a[xres] - a[0]) / dy;
                sv += g * g;
            }
            if (x + 1 < xres && y + 1 < yres) {
                /* corners counter-clockwise from (x, y); edges 0-1 and 2-3 run along x */
                double c[4] = {a[0], a[1], a[xres + 1], a[xres]};
                double m = 0.25 * (c[0] + c[1] + c[2] + c[3]);
                for (int k = 0; k < 4; ++k) {
                    double za = c[k], zb = c[(k + 1) % 4];
                    double along = (zb - za) / ((k % 2) ? dy : dx); /* on the edge */
                    double across = (za + zb - 2.0 * m) / ((k % 2) ? dx : dy); /* to the centre */
                    dev += 0.25 * excess_area(along * along + across * across);
                }
            }
        }
    /* Border strips: half a pixel each, rows 0 and yres - 1 along x, columns along y. */
    for (size_t x = 0; x + 1 < xres; ++x)
        for (size_t y = 0; y < yres; y += yres - 1) {
            double g = (z[y * xres + x + 1] - z[y * xres + x]) / dx;
            dev += 0.5 * excess_area(g * g);
        }
    for (size_t y = 0; y + 1 < yres; ++y)
        for (size_t x = 0; x < xres; x += xres - 1) {
            double g = (z[(y + 1) * xres + x] - z[y * xres + x]) / dy;
            dev += 0.5 * excess_area(g * g);
        }
    double edges = (double)(xres - 1) * (double)yres + (double)xres * (double)(yres - 1);
    *sdq = sqrt(2.0 * (sh + sv) / edges);
    *sdr_pct = 100.0 * dev / ((double)xres * (double)yres);
}

/* mnsim's cell convention: one gradient per cell of four neighbouring samples (the mean of its
 * two edge differences along x and along y), Sdq and Sdr as means over the (xres - 1)(yres - 1)
 * cells: exact for planes. */
static void slope_cell(const double *z, size_t xres, size_t yres, double dx, double dy,
                       double *sdq, double *sdr_pct)
{
    double g2 = 0.0, dev = 0.0;
    for (size_t y = 0; y + 1 < yres; ++y)
        for (size_t x = 0; x + 1 < xres; ++x) {
            const double *a = z + y * xres + x, *b = a + xres;
            double gx = 0.5 * ((a[1] - a[0]) + (b[1] - b[0])) / dx;
            double gy = 0.5 * ((b[0] - a[0]) + (b[1] - a[1])) / dy;
            double q = gx * gx + gy * gy;
            g2 += q;
            dev += excess_area(q);
        }
    double cells = (double)(xres - 1) * (double)(yres - 1);
    *sdq = sqrt(g2 / cells);
    *sdr_pct = 100.0 * dev / cells;
}

int mn_measure_texture(const mn_field *field, mn_texture *out, mn_error *err)
{
    return mn_measure_texture_with(field, MN_GRADIENT_GWYDDION, out, err);
}

int mn_measure_texture_with(const mn_field *field, mn_gradient gradient, mn_texture *out,
                            mn_error *err)
{
    if (!field || !out)
        return mn_error_set(err, MN_EINVAL, "mn_measure_texture: NULL argument");
    if (gradient != MN_GRADIENT_GWYDDION && gradient != MN_GRADIENT_CELL)
        return mn_error_set(err, MN_EINVAL, "texture: unknown gradient %d", (int)gradient);
    size_t xres = mn_field_xres(field), yres = mn_field_yres(field), n = xres * yres;
    if (xres < 2 || yres < 2)
        return mn_error_set(err, MN_ERANGE, "texture: needs at least 2 x 2 pixels, got %zu x %zu",
                            xres, yres);
    const double *z = mn_field_cdata(field);
    double mean = 0.0;
    for (size_t i = 0; i < n; ++i)
        mean += z[i];
    mean /= (double)n;
    /* Central moments about the mean plane, second pass (no cancellation), divided by n: the
     * ISO definitions and gwy_data_field_get_stats (whose kurtosis is the excess, Sku - 3). Sp
     * and Sv about the mean, Sz = max - min, as Gwyddion's statistical quantities. */
    double m1 = 0.0, m2 = 0.0, m3 = 0.0, m4 = 0.0, hi = -INFINITY, lo = INFINITY;
    for (size_t i = 0; i < n; ++i) {
        double d = z[i] - mean, d2 = d * d;
        m1 += fabs(d);
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
        hi = fmax(hi, d);
        lo = fmin(lo, d);
    }
    double sq = sqrt(m2 / (double)n);
    out->sa_um = 1e6 * m1 / (double)n;
    out->sq_um = 1e6 * sq;
    out->sp_um = 1e6 * hi;
    out->sv_um = -1e6 * lo;
    out->sz_um = out->sp_um + out->sv_um;
    out->ssk = sq > 0 ? m3 / (double)n / (sq * sq * sq) : NAN;
    out->sku = sq > 0 ? m4 / (double)n / (sq * sq * sq * sq) : NAN;
    double dx = mn_field_dx_m(field), dy = mn_field_dy_m(field);
    if (gradient == MN_GRADIENT_CELL)
        slope_cell(z, xres, yres, dx, dy, &out->sdq, &out->sdr_pct);
    else
        slope_gwyddion(z, xres, yres, dx, dy, &out->sdq, &out->sdr_pct);
    return MN_OK;
}

int mn_measure_profile(const mn_field *form_removed, const mn_measure_settings *s, mn_profile *out,
                       mn_error *err)
{
    if (!form_removed || !s || !out)
        return mn_error_set(err, MN_EINVAL, "mn_measure_profile: NULL argument");
    size_t xres = mn_field_xres(form_removed), yres = mn_field_yres(form_removed);
    long row = s->profile_row < 0 ? (long)(yres / 2) : s->profile_row;
    if ((size_t)row >= yres)
        return mn_error_set(err, MN_ERANGE, "profile row %ld is outside the field (0 to %zu)", row,
                            yres - 1);
    if (xres < 10)
        return mn_error_set(err, MN_ERANGE, "profile: needs at least 10 pixels per row, got %zu",
                            xres);
    double dx = mn_field_dx_m(form_removed);
    double *p = malloc(2 * xres * sizeof *p), *m = p + xres;
    if (!p)
        return mn_error_set(err, MN_ENOMEM, "profile: out of memory");
    memcpy(p, mn_field_cdata(form_removed) + (size_t)row * xres, xres * sizeof *p);
    int rc = MN_OK;
    if (s->filter && s->lambda_s_um > 0)
        rc = mn_measure_gaussian_profile(p, xres, dx, s->lambda_s_um * 1e-6, p, err);
    if (!rc && s->filter && s->lambda_c_mm > 0) {
        rc = mn_measure_gaussian_profile(p, xres, dx, s->lambda_c_mm * 1e-3, m, err);
        for (size_t i = 0; !rc && i < xres; ++i)
            p[i] -= m[i];
    }
    if (rc) {
        free(p);
        return rc;
    }
    /* Five sampling lengths of equal length make the evaluation length. */
    size_t lr = xres / 5, ln = 5 * lr;
    double mean = 0.0, a = 0.0, q = 0.0, rz = 0.0;
    for (size_t i = 0; i < ln; ++i)
        mean += p[i];
    mean /= (double)ln;
    for (size_t k = 0; k < 5; ++k) {
        double hi = -INFINITY, lo = INFINITY;
        for (size_t i = k * lr; i < (k + 1) * lr; ++i) {
            double d = p[i] - mean;
            a += fabs(d);
            q += d * d;
            hi = fmax(hi, d);
            lo = fmin(lo, d);
        }
        rz += hi - lo;
    }
    free(p);
    out->row = row;
    out->sampling_mm = 1e3 * dx * (double)lr;
    out->ra_um = 1e6 * a / (double)ln;
    out->rq_um = 1e6 * sqrt(q / (double)ln);
    out->rz_um = 1e6 * rz / 5.0;
    return MN_OK;
}
