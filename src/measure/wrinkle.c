/* Wrinkle detection: Frangi et al. (1998) multi-scale Hessian vesselness for dark ridges
 * (photos) and valleys (height maps), Otsu threshold, Zhang-Suen thinning, 8-connected
 * components, lengths, depths and the dominant direction. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mn_math.h"
#include "measure/measure_impl.h"

typedef struct hessian {
    double *xx, *yy, *xy;
} hessian;

/* sigma^2-normalised Hessian at scale sigma_px. */
static int hessian_at(const double *z, size_t xres, size_t yres, double sigma, hessian *h)
{
    int rc = mn__gauss_deriv(z, xres, yres, sigma, 2, 0, h->xx);
    if (!rc)
        rc = mn__gauss_deriv(z, xres, yres, sigma, 0, 2, h->yy);
    if (!rc)
        rc = mn__gauss_deriv(z, xres, yres, sigma, 1, 1, h->xy);
    double s2 = sigma * sigma;
    for (size_t i = 0; !rc && i < xres * yres; ++i) {
        h->xx[i] *= s2;
        h->yy[i] *= s2;
        h->xy[i] *= s2;
    }
    return rc;
}

/* Eigenvalues with |l1| <= |l2| and the direction (radians, y up) of l1's eigenvector, which
 * runs along the ridge. */
static void eigen2(double a, double b, double d, double *l1, double *l2, double *dir)
{
    double t = sqrt((a - d) * (a - d) + 4.0 * b * b);
    double m1 = 0.5 * (a + d + t), m2 = 0.5 * (a + d - t);
    if (fabs(m1) > fabs(m2)) {
        double tmp = m1;
        m1 = m2;
        m2 = tmp;
    }
    *l1 = m1;
    *l2 = m2;
    double vx, vy;
    if (fabs(b) > 1e-300 * (fabs(a) + fabs(d) + 1.0)) {
        vx = m1 - d;
        vy = b;
        if (fabs(vx) + fabs(vy) == 0.0) {
            vx = b;
            vy = m1 - a;
        }
    } else if (fabs(a - m1) <= fabs(d - m1)) {
        vx = 1.0;
        vy = 0.0;
    } else {
        vx = 0.0;
        vy = 1.0;
    }
    *dir = atan2(-vy, vx); /* rows grow downwards; report with y up */
}

/* Labels 8-connected components of mask (nonzero) with 1..n; returns n. */
static uint32_t label8(const unsigned char *mask, size_t xres, size_t yres, uint32_t *lab,
                       size_t *stack)
{
    uint32_t n = 0;
    memset(lab, 0, xres * yres * sizeof *lab);
    for (size_t i = 0; i < xres * yres; ++i) {
        if (!mask[i] || lab[i])
            continue;
        lab[i] = ++n;
        size_t top = 0;
        stack[top++] = i;
        while (top) {
            size_t p = stack[--top], x = p % xres, y = p / xres;
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx) {
                    long xx = (long)x + dx, yy = (long)y + dy;
                    if (xx < 0 || yy < 0 || xx >= (long)xres || yy >= (long)yres)
                        continue;
                    size_t q = (size_t)yy * xres + (size_t)xx;
                    if (mask[q] && !lab[q]) {
                        lab[q] = n;
                        stack[top++] = q;
                    }
                }
        }
    }
    return n;
}

/* Square dilation of radius r (separable running max), in place. */
static void dilate(unsigned char *m, size_t xres, size_t yres, long r, unsigned char *tmp)
{
    for (int pass = 0; pass < 2; ++pass) {
        size_t n = pass ? yres : xres, lines = pass ? xres : yres;
        size_t step = pass ? xres : 1, lstep = pass ? 1 : xres;
        for (size_t l = 0; l < lines; ++l) {
            unsigned char *p = m + l * lstep;
            for (size_t i = 0; i < n; ++i)
                tmp[i] = p[i * step];
            for (size_t i = 0; i < n; ++i) {
                unsigned char v = 0;
                long lo = (long)i - r < 0 ? 0 : (long)i - r;
                long hi = (long)i + r >= (long)n ? (long)n - 1 : (long)i + r;
                for (long k = lo; k <= hi && !v; ++k)
                    v = tmp[k];
                p[i * step] = v;
            }
        }
    }
}

/* Noise standard deviation of z by Immerkær (1996, "Fast noise variance estimation", Comput Vis
 * Image Underst 64:300): the mask N = [1 −2 1; −2 4 −2; 1 −2 1], the difference of two
 * Laplacians, cancels smooth structure (planes and quadratic surfaces give 0), and for white
 * noise σ = √(π/2) Σ|z ∗ N| / (6 (W − 2)(H − 2)). */
static double noise_sd(const double *z, size_t xres, size_t yres)
{
    if (xres < 3 || yres < 3)
        return 0.0;
    double sum = 0.0;
    for (size_t y = 1; y + 1 < yres; ++y)
        for (size_t x = 1; x + 1 < xres; ++x) {
            const double *c = z + y * xres + x;
            const double v = c[-(long)xres - 1] - 2 * c[-(long)xres] + c[-(long)xres + 1] -
                             2 * c[-1] + 4 * c[0] - 2 * c[1] + c[xres - 1] - 2 * c[xres] +
                             c[xres + 1];
            sum += fabs(v);
        }
    return sqrt(MN_PI / 2.0) * sum / (6.0 * (double)(xres - 2) * (double)(yres - 2));
}

/* SD of σ² ∂²(G_σ ∗ noise)/∂x² for white noise of SD 1 (σ in pixels): √(Σ (σ² g_xx)²) with
 * ∫∫ g_xx² = 3/(16 π σ⁶) for the 2-D Gaussian g (direct integration: g_xx = g (x²/σ⁴ − 1/σ²)). */
static double hessian_noise_unit(double sigma)
{
    return sqrt(3.0 / (16.0 * MN_PI)) / sigma;
}

typedef struct work {
    hessian h;
    double *v, *dir, *tmp1, *tmp2;
    unsigned char *mask, *skel, *btmp;
    uint32_t *lab;
    size_t *stack;
} work;

static void work_free(work *w)
{
    free(w->h.xx);
    free(w->h.yy);
    free(w->h.xy);
    free(w->v);
    free(w->dir);
    free(w->tmp1);
    free(w->tmp2);
    free(w->mask);
    free(w->skel);
    free(w->btmp);
    free(w->lab);
    free(w->stack);
}

int mn_measure_wrinkles(const mn_field *field, const mn_measure_settings *s, mn_wrinkles *out,
                        unsigned char **mask_out, mn_error *err)
{
    if (mask_out)
        *mask_out = NULL;
    if (!field || !s || !out)
        return mn_error_set(err, MN_EINVAL, "mn_measure_wrinkles: NULL argument");
    int rc = mn_measure_settings_check(s, err);
    if (rc)
        return rc;
    size_t xres = mn_field_xres(field), yres = mn_field_yres(field), n = xres * yres;
    if (xres < 3 || yres < 3)
        return mn_error_set(err, MN_ERANGE, "wrinkles: needs at least 3 x 3 pixels");
    double dx = mn_field_dx_m(field), dy = mn_field_dy_m(field);
    double px_um = 1e6 * dx; /* scales are set along x; pixels are taken as square */
    double smin = s->sigma_min_um > 0 ? s->sigma_min_um / px_um : 1.5;
    double smax = s->sigma_max_um > 0 ? s->sigma_max_um / px_um : 6.0;
    smin = fmax(smin, 0.5);
    smax = fmax(smax, smin);
    double limit = 0.25 * (double)(xres < yres ? xres : yres);
    smax = fmin(smax, fmax(limit, smin));
    memset(out, 0, sizeof *out);
    out->n_scales = s->n_scales;
    double sig[MN_MEASURE_MAX_SCALES];
    for (int k = 0; k < s->n_scales; ++k) {
        sig[k] = s->n_scales == 1 ? smin : smin * pow(smax / smin, k / (double)(s->n_scales - 1));
        out->sigma_um[k] = sig[k] * px_um;
    }
    out->min_length_um = s->min_length_um > 0 ? s->min_length_um : 10.0 * px_um;
    out->depth_mean_um = out->depth_max_um = out->orientation_deg = NAN;

    work w = {0};
    w.h.xx = malloc(n * sizeof(double));
    w.h.yy = malloc(n * sizeof(double));
    w.h.xy = malloc(n * sizeof(double));
    w.v = calloc(n, sizeof(double));
    w.dir = calloc(n, sizeof(double));
    w.mask = calloc(n, 1);
    w.skel = calloc(n, 1);
    w.btmp = malloc(xres > yres ? xres : yres);
    w.lab = malloc(n * sizeof(uint32_t));
    w.stack = malloc(n * sizeof(size_t));
    if (!w.h.xx || !w.h.yy || !w.h.xy || !w.v || !w.dir || !w.mask || !w.skel || !w.btmp ||
        !w.lab || !w.stack) {
        work_free(&w);
        return mn_error_set(err, MN_ENOMEM, "wrinkles: out of memory (%zu x %zu)", xres, yres);
    }
    const double *z = mn_field_cdata(field);
    /* Pass 1: the largest Hessian norm over all scales sets c, so scales compare fairly and a
     * scale with only noise does not get its own full-range normalisation. */
    double smax_norm = 0.0;
    for (int k = 0; k < s->n_scales && !rc; ++k) {
        rc = hessian_at(z, xres, yres, sig[k], &w.h);
        for (size_t i = 0; !rc && i < n; ++i) {
            double l1, l2, d;
            eigen2(w.h.xx[i], w.h.xy[i], w.h.yy[i], &l1, &l2, &d);
            smax_norm = fmax(smax_norm, sqrt(l1 * l1 + l2 * l2));
        }
    }
    double c = s->frangi_c_frac * smax_norm, beta = s->frangi_beta;
    out->noise_sd = noise_sd(z, xres, yres);
    /* Pass 2: vesselness, kept where the curvature across is positive (valley, dark line) and
     * above the noise floor at that scale. */
    for (int k = 0; k < s->n_scales && !rc && c > 0; ++k) {
        rc = hessian_at(z, xres, yres, sig[k], &w.h);
        const double floor_l2 = s->noise_floor * out->noise_sd * hessian_noise_unit(sig[k]);
        for (size_t i = 0; !rc && i < n; ++i) {
            double l1, l2, d;
            eigen2(w.h.xx[i], w.h.xy[i], w.h.yy[i], &l1, &l2, &d);
            if (!(l2 > 0) || !(l2 > floor_l2))
                continue;
            double rb = l1 / l2, s2 = l1 * l1 + l2 * l2;
            double v = exp(-rb * rb / (2 * beta * beta)) * (1.0 - exp(-s2 / (2 * c * c)));
            if (v > w.v[i]) {
                w.v[i] = v;
                w.dir[i] = d;
            }
        }
    }
    if (rc) {
        work_free(&w);
        return mn_error_set(err, rc, "wrinkles: out of memory");
    }
    out->threshold = s->threshold > 0 ? s->threshold : mn__otsu(w.v, n);
    for (size_t i = 0; i < n; ++i)
        w.mask[i] = w.v[i] > out->threshold && w.v[i] > 0;
    memcpy(w.skel, w.mask, n);
    mn__thin(w.skel, xres, yres);
    mn__prune_corners(w.skel, xres, yres);
    uint32_t nl = label8(w.mask, xres, yres, w.lab, w.stack);
    double *len = calloc((size_t)nl + 1, sizeof *len);
    double *depth = calloc((size_t)nl + 1, sizeof *depth);
    if (!len || !depth) {
        free(len);
        free(depth);
        work_free(&w);
        return mn_error_set(err, MN_ENOMEM, "wrinkles: out of memory");
    }
    /* Skeleton length: links to the E, S, SE and SW neighbours; a diagonal link is skipped
     * where an orthogonal two-step path already joins the same pixels. */
    double ddiag = hypot(dx, dy);
    for (size_t y = 0; y < yres; ++y)
        for (size_t x = 0; x < xres; ++x) {
            size_t i = y * xres + x;
            if (!w.skel[i])
                continue;
            int e = x + 1 < xres && w.skel[i + 1];
            int so = y + 1 < yres && w.skel[i + xres];
            int wst = x > 0 && w.skel[i - 1];
            double l = 0.0;
            if (e)
                l += dx;
            if (so)
                l += dy;
            if (x + 1 < xres && y + 1 < yres && w.skel[i + xres + 1] && !e && !so)
                l += ddiag;
            if (x > 0 && y + 1 < yres && w.skel[i + xres - 1] && !wst && !so)
                l += ddiag;
            len[w.lab[i]] += l;
        }
    double minlen_m = out->min_length_um * 1e-6;
    size_t area = 0;
    for (size_t i = 0; i < n; ++i) {
        w.mask[i] = w.mask[i] && len[w.lab[i]] >= minlen_m;
        w.skel[i] = w.skel[i] && w.mask[i];
        area += w.mask[i];
    }
    for (uint32_t l = 1; l <= nl; ++l)
        if (len[l] >= minlen_m) {
            ++out->count;
            out->length_mm += 1e3 * len[l];
        }
    out->area_pct = 100.0 * (double)area / (double)n;
    /* Dominant direction: doubled-angle mean of the ridge direction along the skeletons. */
    double cs = 0.0, sn = 0.0;
    for (size_t i = 0; i < n; ++i)
        if (w.skel[i]) {
            cs += cos(2 * w.dir[i]);
            sn += sin(2 * w.dir[i]);
        }
    if (out->count && hypot(cs, sn) > 0) {
        double deg = 0.5 * atan2(sn, cs) * 180.0 / MN__PI;
        deg = deg < 0 ? deg + 180.0 : deg;
        out->orientation_deg = deg > 180.0 - 1e-6 ? 0.0 : deg;
    }
    /* Depth (height maps): reference surface = Gaussian-weighted mean of the surroundings
     * outside the dilated mask (normalised convolution, sigma 3 x the largest scale); a
     * wrinkle's depth is the largest reference - z over its mask pixels. */
    if (out->count && mn_field_get_kind(field) == MN_FIELD_HEIGHT) {
        memcpy(w.skel, w.mask, n); /* reuse skel as the dilated mask */
        dilate(w.skel, xres, yres, (long)ceil(smax), w.btmp);
        double *num = w.h.xx, *den = w.h.yy, *wz = w.h.xy, outside = 0.0;
        size_t nout = 0;
        for (size_t i = 0; i < n; ++i) {
            den[i] = w.skel[i] ? 0.0 : 1.0;
            wz[i] = den[i] * z[i];
            if (!w.skel[i]) {
                outside += z[i];
                ++nout;
            }
        }
        outside = nout ? outside / (double)nout : 0.0;
        double sr = 3.0 * smax;
        rc = mn__gauss_deriv(wz, xres, yres, sr, 0, 0, num);
        if (!rc)
            rc = mn__gauss_deriv(den, xres, yres, sr, 0, 0, w.v);
        if (!rc) {
            for (size_t i = 0; i < n; ++i)
                if (w.mask[i]) {
                    double ref = w.v[i] > 1e-3 ? num[i] / w.v[i] : outside;
                    depth[w.lab[i]] = fmax(depth[w.lab[i]], ref - z[i]);
                }
            double sum = 0.0, mx = 0.0;
            for (uint32_t l = 1; l <= nl; ++l)
                if (len[l] >= minlen_m) {
                    sum += depth[l];
                    mx = fmax(mx, depth[l]);
                }
            out->depth_mean_um = 1e6 * sum / out->count;
            out->depth_max_um = 1e6 * mx;
        }
    }
    free(len);
    free(depth);
    if (!rc && mask_out) {
        *mask_out = w.mask;
        w.mask = NULL;
    }
    work_free(&w);
    if (rc)
        return mn_error_set(err, rc, "wrinkles: out of memory");
    return MN_OK;
}
