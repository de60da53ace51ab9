/* The surface height map: components, per-sample metrics and full-resolution maps
 * (surface.h, docs/surface.md). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mn_math.h"
#include "core/mn_omp.h"
#include "core/mn_simd.h"
#include "mnsim/mechanics.h"
#include "surface/surface_impl.h"

/* Groove values below this are not stored in the sparse evaluation lists. */
#define GROOVE_CUTOFF 1e-4

void mn_surface_options_default(mn_surface_options *opt)
{
    opt->size_mm = 20.0;
    opt->pixel_um = 20.0;
    opt->eval_pixel_um = 80.0;
    opt->like = NULL;
}

void mn_surface_free(mn_surface **s)
{
    if (!s || !*s)
        return;
    mn_surface *p = *s;
    free(p->w);
    free(p->eval_micro);
    free(p->goff);
    free(p->gidx);
    free(p->gval);
    free(p->groove_sum);
    free(p->z);
    free(p->amp);
    free(p->rec_day);
    free(p->rec);
    free(p);
    *s = NULL;
}

/* Centre of pixel (col, row) in µm. */
static double pixel_center_um(const mn_surface *s, size_t i)
{
    return ((double)i + 0.5) * s->pixel_um;
}

/* Sparse unit grooves of every wrinkle on the evaluation grid. */
static int build_eval_grooves(mn_surface *s, mn_error *err)
{
    size_t cap = 1024, n = 0;
    s->goff = malloc(((size_t)s->nw + 1) * sizeof *s->goff);
    s->gidx = malloc(cap * sizeof *s->gidx);
    s->gval = malloc(cap * sizeof *s->gval);
    if (!s->goff || !s->gidx || !s->gval)
        return mn_error_set(err, MN_ENOMEM, "out of memory for the surface evaluation grid");
    const double step = s->pixel_um * (double)s->stride;
    for (int k = 0; k < s->nw; ++k) {
        const mn__wrinkle *w = &s->w[k];
        s->goff[k] = n;
        double reach = mn__wrinkle_reach_um(w);
        double lo_x = w->cx_um - reach, hi_x = w->cx_um + reach;
        double lo_y = w->cy_um - reach, hi_y = w->cy_um + reach;
        for (size_t j = 0; j < s->eres; ++j) {
            double y = pixel_center_um(s, j * s->stride);
            if (y < lo_y || y > hi_y)
                continue;
            size_t i0 = lo_x > 0 ? (size_t)(lo_x / step) : 0;
            for (size_t i = i0; i < s->eres; ++i) {
                double x = pixel_center_um(s, i * s->stride);
                if (x > hi_x)
                    break;
                double g = mn__wrinkle_groove(w, x, y);
                if (g < GROOVE_CUTOFF)
                    continue;
                if (n == cap) {
                    cap *= 2;
                    uint32_t *gi = realloc(s->gidx, cap * sizeof *gi);
                    if (gi)
                        s->gidx = gi;
                    float *gv = realloc(s->gval, cap * sizeof *gv);
                    if (gv)
                        s->gval = gv;
                    if (!gi || !gv)
                        return mn_error_set(err, MN_ENOMEM,
                                            "out of memory for the surface evaluation grid");
                }
                s->gidx[n] = (uint32_t)(j * s->eres + i);
                s->gval[n] = (float)g;
                ++n;
            }
        }
    }
    s->goff[s->nw] = n;
    /* Component sums give the mean height of any state without a pass over the grid. */
    s->groove_sum = calloc((size_t)s->nw + 1, sizeof *s->groove_sum);
    if (!s->groove_sum)
        return mn_error_set(err, MN_ENOMEM, "out of memory for the surface evaluation grid");
    for (int k = 0; k < s->nw; ++k)
        for (size_t q = s->goff[k]; q < s->goff[k + 1]; ++q)
            s->groove_sum[k] += (double)s->gval[q];
    return MN_OK;
}

/* The same evaluation grid (map size, pixel and stride). */
static int same_grid(const mn_surface *a, const mn_surface *b)
{
    return a->xres == b->xres && a->pixel_um == b->pixel_um && a->stride == b->stride;
}

/* Same evaluation grid, and the same microrelief on it (every field of the drawing). */
static int same_micro(const mn_surface *a, const mn_surface *b)
{
    const mn__micro *x = &a->micro, *y = &b->micro;
    return same_grid(a, b) && x->key == y->key && x->cos_a == y->cos_a && x->sin_a == y->sin_a &&
           x->aniso == y->aniso && x->cell_um == y->cell_um &&
           x->secondary_scale == y->secondary_scale && x->secondary_depth == y->secondary_depth &&
           x->primary_width_um == y->primary_width_um &&
           x->secondary_width_um == y->secondary_width_um;
}

/* Same evaluation grid and the same unit grooves: the fields mn__wrinkle_groove and
 * mn__wrinkle_reach_um read (depth, compression and share only scale a groove). */
static int same_grooves(const mn_surface *a, const mn_surface *b)
{
    if (!same_grid(a, b) || a->nw != b->nw)
        return 0;
    for (int k = 0; k < a->nw; ++k) {
        const mn__wrinkle *x = &a->w[k], *y = &b->w[k];
        if (x->cx_um != y->cx_um || x->cy_um != y->cy_um || x->cos_a != y->cos_a ||
            x->sin_a != y->sin_a || x->half_len_um != y->half_len_um ||
            x->bow_per_um != y->bow_per_um || x->width_um != y->width_um)
            return 0;
    }
    return 1;
}

static int copy_grooves(mn_surface *s, const mn_surface *like, mn_error *err)
{
    const size_t n = like->goff[like->nw];
    s->goff = malloc(((size_t)s->nw + 1) * sizeof *s->goff);
    s->gidx = malloc((n ? n : 1) * sizeof *s->gidx);
    s->gval = malloc((n ? n : 1) * sizeof *s->gval);
    s->groove_sum = malloc(((size_t)s->nw + 1) * sizeof *s->groove_sum);
    if (!s->goff || !s->gidx || !s->gval || !s->groove_sum)
        return mn_error_set(err, MN_ENOMEM, "out of memory for the surface evaluation grid");
    memcpy(s->goff, like->goff, ((size_t)s->nw + 1) * sizeof *s->goff);
    memcpy(s->gidx, like->gidx, n * sizeof *s->gidx);
    memcpy(s->gval, like->gval, n * sizeof *s->gval);
    memcpy(s->groove_sum, like->groove_sum, ((size_t)s->nw + 1) * sizeof *s->groove_sum);
    return MN_OK;
}

/* The microrelief's lengths divide positions (cells per µm): each must be a finite length
 * > 0, and the secondary cells of a side_um surface few enough to tabulate (a zero or tiny
 * cell made the cell range infinite, and its conversion to long undefined). The bound is
 * MN__MICRO_MAX_CELLS (surface_impl.h), which mn__micro_fill checks again on its ranges. */
static int check_microrelief(const mn_params *p, double side_um, mn_error *err)
{
    const struct {
        const char *name;
        double v;
    } len[] = {{"microrelief_cell_um", p->microrelief_cell_um},
               {"microrelief_secondary_scale", p->microrelief_secondary_scale},
               {"microrelief_primary_width_um", p->microrelief_primary_width_um},
               {"microrelief_secondary_width_um", p->microrelief_secondary_width_um}};
    for (size_t i = 0; i < sizeof len / sizeof len[0]; ++i)
        if (!(isfinite(len[i].v) && len[i].v > 0))
            return mn_error_set(err, MN_EINVAL,
                                "parameter %s = %g: the microrelief needs a finite value > 0",
                                len[i].name, len[i].v);
    double cell = p->microrelief_cell_um * fmin(1.0, p->microrelief_secondary_scale);
    if (!(side_um / cell <= MN__MICRO_MAX_CELLS))
        return mn_error_set(err, MN_EINVAL,
                            "parameters microrelief_cell_um = %g, microrelief_secondary_scale = "
                            "%g: cells of %g um are too small for a %g mm surface (more than "
                            "%.0f a side)",
                            p->microrelief_cell_um, p->microrelief_secondary_scale, cell,
                            side_um / 1000.0, MN__MICRO_MAX_CELLS);
    return MN_OK;
}

int mn_surface_create(const mn_scenario *sc, const mn_patient *pt, const mn_params *p,
                      const mn_surface_options *opt, mn_surface **out, mn_error *err)
{
    int rc;
    if (!out)
        return mn_error_set(err, MN_EINVAL, "mn_surface_create: NULL output");
    *out = NULL;
    if (!sc || !pt || !p)
        return mn_error_set(err, MN_EINVAL, "mn_surface_create: NULL argument");
    mn_surface_options o;
    mn_surface_options_default(&o);
    if (opt)
        o = *opt;
    if (!(o.size_mm >= 1.0 && o.size_mm <= 100.0))
        return mn_error_set(err, MN_EINVAL, "surface size %g mm out of range (1 to 100)",
                            o.size_mm);
    if (!(o.pixel_um >= 1.0 && o.pixel_um <= 1000.0))
        return mn_error_set(err, MN_EINVAL, "surface pixel %g um out of range (1 to 1000)",
                            o.pixel_um);
    if (!(o.eval_pixel_um >= 0.0 && o.eval_pixel_um <= 10000.0))
        return mn_error_set(err, MN_EINVAL,
                            "surface evaluation pixel %g um out of range (0 to 10000)",
                            o.eval_pixel_um);
    double xres = floor(o.size_mm * 1000.0 / o.pixel_um + 0.5);
    if (xres < 16 || xres > MN_FIELD_MAX_RES || xres * xres > (double)MN_FIELD_MAX_PIXELS)
        return mn_error_set(err, MN_EINVAL,
                            "surface of %g mm at %g um has %.0f pixels a side (allowed 16 to %u)",
                            o.size_mm, o.pixel_um, xres, MN_FIELD_MAX_RES);
    if (sc->patient.site < 0 || sc->patient.site >= MN_SITE_COUNT)
        return mn_error_set(err, MN_EINVAL, "mn_surface_create: invalid site");
    rc = check_microrelief(p, xres * o.pixel_um, err);
    if (rc)
        return rc;
    mn_surface *s = calloc(1, sizeof *s);
    if (!s)
        return mn_error_set(err, MN_ENOMEM, "out of memory for the surface");
    s->params = *p;
    s->patient = *pt;
    s->xres = (size_t)xres;
    s->pixel_um = o.pixel_um;
    long stride = lround(o.eval_pixel_um / o.pixel_um);
    s->stride = stride < 1 ? 1 : (size_t)stride;
    s->eres = (s->xres + s->stride - 1) / s->stride;
    s->micro_um = pt->microrelief_um;
    rc = mn__surface_layout(sc, pt, p, (double)s->xres * s->pixel_um, &s->w, &s->nw, err);
    if (rc) {
        mn_surface_free(&s);
        return rc;
    }
    mn__micro_init(&s->micro, sc, p, mn__surface_site_angle(sc->patient.site));
    const size_t ne = s->eres * s->eres;
    s->eval_micro = malloc(ne * sizeof *s->eval_micro);
    s->z = malloc(ne * sizeof *s->z);
    s->amp = malloc((size_t)s->nw * sizeof *s->amp);
    if (!s->eval_micro || !s->z || !s->amp) {
        mn_surface_free(&s);
        return mn_error_set(err, MN_ENOMEM, "out of memory for the surface evaluation grid");
    }
    if (o.like && same_micro(o.like, s)) {
        memcpy(s->eval_micro, o.like->eval_micro, ne * sizeof *s->eval_micro);
        s->micro_sum = o.like->micro_sum;
    } else if (mn__micro_fill(&s->micro, s->xres, s->pixel_um, s->stride, s->eval_micro)) {
        mn_surface_free(&s);
        return mn_error_set(err, MN_ENOMEM,
                            "out of memory for the microrelief, or its cells are too small "
                            "(parameters microrelief_*, aniso_*)");
    } else {
        s->micro_sum = 0;
        for (size_t i = 0; i < ne; ++i)
            s->micro_sum += (double)s->eval_micro[i];
    }
    rc = o.like && same_grooves(o.like, s) ? copy_grooves(s, o.like, err)
                                           : build_eval_grooves(s, err);
    if (rc) {
        mn_surface_free(&s);
        return rc;
    }
    *out = s;
    return MN_OK;
}

void mn_surface_set_baseline(mn_surface *s, const mn_dermal_state *base)
{
    if (!s || !base)
        return;
    s->base = *base;
    s->have_base = 1;
}

double mn_surface_wrinkle_ratio(const mn_surface *s, int i, const mn_dermal_state *now)
{
    if (!s || i < 0 || i >= s->nw || !now || !s->have_base)
        return 1.0;
    const mn__wrinkle *w = &s->w[i];
    return mn__pos(mn_mechanics_wrinkle_depth_ratio(&s->params, &s->patient, &s->base, now,
                                                    w->compression, w->share));
}

/* Depth of every wrinkle (amp[k], µm) and the microrelief depth (returned, µm) in state now. */
static double component_depths(const mn_surface *s, const mn_dermal_state *now, double *amp)
{
    double sum = 0, sum0 = 0;
    for (int k = 0; k < s->nw; ++k) {
        amp[k] = s->w[k].depth_um * mn_surface_wrinkle_ratio(s, k, now);
        sum += amp[k];
        sum0 += s->w[k].depth_um;
    }
    /* Fine texture follows the same dermal support as the wrinkles (square root of their mean
     * depth ratio; assumed), flattened by swelling: swelling stretches the surface, so the
     * amplitude is divided by (1 + k · dermal fluid excess), k = microrelief_edema_flattening
     * (assumed: the tense, shiny look of oedematous skin). */
    double swelling = s->have_base ? mn__pos(now->edema - s->base.edema) : 0.0;
    return s->micro_um * sqrt(sum0 > 0 ? sum / sum0 : 1.0) /
           (1.0 + s->params.microrelief_edema_flattening * swelling);
}

/* ISO 25178-2 height parameters about the mean plane (the map has no form: its mean plane is
 * its mean): Sa = mean |z - mean|, Sq = rms, Sz = Sp + Sv = max - min. One pass when the mean
 * is known (the evaluation grid knows it from the component sums). The sums are split over
 * HP_LANES interleaved partial sums, added in a fixed order at the end: one running sum is
 * bound by the latency of the floating-point add (this pass was a third of a lean run), and
 * a fixed split keeps the result the same on every machine and thread count. */
#define HP_LANES 8
MN_CLONES static void height_params_mean(const double *z, size_t n, double mean,
                                         mn_surface_metrics *m)
{
    double sa[HP_LANES] = {0}, sq[HP_LANES] = {0}, lo[HP_LANES], hi[HP_LANES];
    for (int l = 0; l < HP_LANES; ++l)
        lo[l] = hi[l] = z[0];
    size_t i = 0;
#ifdef MN_HAVE_V4D
    /* The same lanes as the loop below, two vectors of four (the vectoriser does not find
     * them: it keeps the eight running sums in scalars). */
    {
        const mn_v4d mu = {mean, mean, mean, mean};
        const mn_v4l sign = {INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN};
        mn_v4d a0, a1, q0, q1, l0, l1, h0, h1;
        MN_LOAD4(a0, sa), MN_LOAD4(a1, sa + 4), MN_LOAD4(q0, sq), MN_LOAD4(q1, sq + 4);
        MN_LOAD4(l0, lo), MN_LOAD4(l1, lo + 4), MN_LOAD4(h0, hi), MN_LOAD4(h1, hi + 4);
        for (; i + HP_LANES <= n; i += HP_LANES) {
            mn_v4d v0, v1;
            MN_LOAD4(v0, z + i), MN_LOAD4(v1, z + i + 4);
            mn_v4d d0 = v0 - mu, d1 = v1 - mu;
            a0 += (mn_v4d)((mn_v4l)d0 & ~sign), a1 += (mn_v4d)((mn_v4l)d1 & ~sign);
            q0 += d0 * d0, q1 += d1 * d1;
            l0 = MN_SELECT4(v0 < l0, v0, l0), l1 = MN_SELECT4(v1 < l1, v1, l1);
            h0 = MN_SELECT4(v0 > h0, v0, h0), h1 = MN_SELECT4(v1 > h1, v1, h1);
        }
        MN_STORE4(sa, a0), MN_STORE4(sa + 4, a1), MN_STORE4(sq, q0), MN_STORE4(sq + 4, q1);
        MN_STORE4(lo, l0), MN_STORE4(lo + 4, l1), MN_STORE4(hi, h0), MN_STORE4(hi + 4, h1);
    }
#endif
    for (; i + HP_LANES <= n; i += HP_LANES)
        for (int l = 0; l < HP_LANES; ++l) {
            double v = z[i + (size_t)l], d = v - mean;
            sa[l] += fabs(d);
            sq[l] += d * d;
            lo[l] = v < lo[l] ? v : lo[l];
            hi[l] = v > hi[l] ? v : hi[l];
        }
    for (int l = 0; i < n; ++i, ++l) {
        double v = z[i], d = v - mean;
        sa[l] += fabs(d);
        sq[l] += d * d;
        lo[l] = v < lo[l] ? v : lo[l];
        hi[l] = v > hi[l] ? v : hi[l];
    }
    double sa_sum = 0, sq_sum = 0, lo_all = lo[0], hi_all = hi[0];
    for (int l = 0; l < HP_LANES; ++l) {
        sa_sum += sa[l];
        sq_sum += sq[l];
        lo_all = lo[l] < lo_all ? lo[l] : lo_all;
        hi_all = hi[l] > hi_all ? hi[l] : hi_all;
    }
    m->sa_um = sa_sum / (double)n;
    m->sq_um = sqrt(sq_sum / (double)n);
    m->sz_um = hi_all - lo_all;
}

static void height_params(const double *z, size_t n, mn_surface_metrics *m)
{
    double mean = 0;
    for (size_t i = 0; i < n; ++i)
        mean += z[i];
    height_params_mean(z, n, mean / (double)n, m);
}

static double mean_depth(const mn_surface *s, const double *amp)
{
    double sum = 0;
    for (int k = 0; k < s->nw; ++k)
        sum += amp[k];
    return s->nw > 0 ? sum / s->nw : 0.0;
}

/* z[i] = a * micro[i]: the microrelief part of an evaluation-grid state. */
MN_CLONES static void fill_scaled(double *z, const float *micro, size_t n, double a)
{
    for (size_t i = 0; i < n; ++i)
        z[i] = a * (double)micro[i];
}

void mn_surface_evaluate(mn_surface *s, const mn_dermal_state *now, mn_surface_metrics *out)
{
    if (!s || !now || !out)
        return;
    const size_t ne = s->eres * s->eres;
    double m = component_depths(s, now, s->amp);
    double total = -m * s->micro_sum;
    fill_scaled(s->z, s->eval_micro, ne, -m);
    for (int k = 0; k < s->nw; ++k) {
        const double a = s->amp[k];
        total -= a * s->groove_sum[k];
        for (size_t q = s->goff[k]; q < s->goff[k + 1]; ++q)
            s->z[s->gidx[q]] -= a * (double)s->gval[q];
    }
    height_params_mean(s->z, ne, total / (double)ne, out);
    out->wrinkle_depth_um = mean_depth(s, s->amp);
}

int mn_surface_reserve(mn_surface *s, int samples, mn_error *err)
{
    if (!s || samples < 0)
        return mn_error_set(err, MN_EINVAL, "mn_surface_reserve: bad argument");
    if (samples <= s->caprec)
        return MN_OK;
    double *d = realloc(s->rec_day, (size_t)samples * sizeof *d);
    if (d)
        s->rec_day = d;
    mn_dermal_state *r = realloc(s->rec, (size_t)samples * sizeof *r);
    if (r)
        s->rec = r;
    if (!d || !r)
        return mn_error_set(err, MN_ENOMEM, "out of memory for surface samples");
    s->caprec = samples;
    return MN_OK;
}

int mn_surface_record(mn_surface *s, double day, const mn_dermal_state *now, mn_error *err)
{
    if (!s || !now)
        return mn_error_set(err, MN_EINVAL, "mn_surface_record: NULL argument");
    if (s->nrec == s->caprec) {
        int rc = mn_surface_reserve(s, s->caprec ? 2 * s->caprec : 64, err);
        if (rc)
            return rc;
    }
    s->rec_day[s->nrec] = day;
    s->rec[s->nrec] = *now;
    ++s->nrec;
    return MN_OK;
}

int mn_surface_record_count(const mn_surface *s)
{
    return s ? s->nrec : 0;
}

double mn_surface_record_day(const mn_surface *s, int i)
{
    return (s && i >= 0 && i < s->nrec) ? s->rec_day[i] : NAN;
}

int mn_surface_record_find(const mn_surface *s, double day)
{
    int best = -1;
    for (int i = 0; s && i < s->nrec; ++i)
        if (best < 0 || fabs(s->rec_day[i] - day) < fabs(s->rec_day[best] - day))
            best = i;
    return best;
}

/* Full-resolution maps of nm states at once: the unit microrelief `micro` (xres^2) and each
 * wrinkle's groove are computed once and scaled by every state's depths. */
static int fill_maps(const mn_surface *s, int nm, const mn_dermal_state *const *now,
                     const float *micro, mn_field **out, mn_error *err)
{
    double *amp = malloc(((size_t)s->nw + 1) * (size_t)nm * sizeof *amp);
    double *m = malloc((size_t)nm * sizeof *m);
    double **z = malloc((size_t)nm * sizeof *z);
    if (!amp || !m || !z) {
        free(amp), free(m), free(z);
        return mn_error_set(err, MN_ENOMEM, "out of memory for the height map");
    }
    const double side_m = (double)s->xres * s->pixel_um * 1e-6;
    const size_t n = s->xres;
    int rc = MN_OK;
    for (int q = 0; !rc && q < nm; ++q) {
        rc = mn_field_create(&out[q], n, n, side_m, side_m, MN_FIELD_HEIGHT, err);
        if (rc)
            break;
        z[q] = mn_field_data(out[q]);
        m[q] = component_depths(s, now[q], amp + (size_t)q * (size_t)s->nw);
    }
    /* Each wrinkle's box of pixels outside which its groove is 0. */
    size_t *box = rc ? NULL : malloc(3 * ((size_t)s->nw + 1) * sizeof *box);
    double *box_x1 = box ? malloc(((size_t)s->nw + 1) * sizeof *box_x1) : NULL;
    if (!rc && !box_x1)
        rc = mn_error_set(err, MN_ENOMEM, "out of memory for the height map");
    for (int k = 0; !rc && k < s->nw; ++k) {
        const mn__wrinkle *w = &s->w[k];
        double reach = mn__wrinkle_reach_um(w);
        double x0 = fmax(0.0, (w->cx_um - reach) / s->pixel_um);
        double y0 = fmax(0.0, (w->cy_um - reach) / s->pixel_um);
        double y1 = fmin((double)n, (w->cy_um + reach) / s->pixel_um + 1.0);
        box[3 * k] = (size_t)x0, box[3 * k + 1] = (size_t)y0, box[3 * k + 2] = (size_t)ceil(y1);
        box_x1[k] = fmin((double)n, (w->cx_um + reach) / s->pixel_um + 1.0);
    }
    /* One parallel loop over rows: a row's microrelief, then the grooves over it in wrinkle
     * order (so every pixel sums in the same order as wrinkle by wrinkle), then metres. */
    if (!rc) {
        MN__PARALLEL_FOR(n)
        for (size_t j = 0; j < n; ++j) {
            for (int q = 0; q < nm; ++q)
                for (size_t i = 0; i < n; ++i)
                    z[q][j * n + i] = -m[q] * (double)micro[j * n + i];
            for (int k = 0; k < s->nw; ++k) {
                if (j < box[3 * k + 1] || j >= box[3 * k + 2])
                    continue;
                const mn__wrinkle *w = &s->w[k];
                for (size_t i = box[3 * k]; (double)i < box_x1[k]; ++i) {
                    double g = mn__wrinkle_groove(w, pixel_center_um(s, i), pixel_center_um(s, j));
                    if (g == 0.0)
                        continue;
                    for (int q = 0; q < nm; ++q)
                        z[q][j * n + i] -= amp[(size_t)q * (size_t)s->nw + (size_t)k] * g;
                }
            }
            for (int q = 0; q < nm; ++q)
                for (size_t i = 0; i < n; ++i)
                    z[q][j * n + i] *= 1e-6;
        }
    }
    free(box), free(box_x1);
    free(amp), free(m), free(z);
    return rc;
}

static float *full_micro(const mn_surface *s, mn_error *err)
{
    float *micro = malloc(s->xres * s->xres * sizeof *micro);
    if (!micro || mn__micro_fill(&s->micro, s->xres, s->pixel_um, 1, micro)) {
        free(micro);
        mn_error_set(err, MN_ENOMEM, "out of memory for the microrelief");
        return NULL;
    }
    return micro;
}

int mn_surface_height_map_state(const mn_surface *s, const mn_dermal_state *now, mn_field **out,
                                mn_error *err)
{
    if (!out)
        return mn_error_set(err, MN_EINVAL, "mn_surface_height_map: NULL output");
    *out = NULL;
    if (!s || !now)
        return mn_error_set(err, MN_EINVAL, "mn_surface_height_map: NULL argument");
    float *micro = full_micro(s, err);
    if (!micro)
        return MN_ENOMEM;
    int rc = fill_maps(s, 1, &now, micro, out, err);
    free(micro);
    return rc;
}

/* Arguments of the multi-map drawers: out[] cleared, every sample recorded or -1. */
static int check_samples(const mn_surface *s, int n, const int *samples, mn_field **out,
                         const char *fn, mn_error *err)
{
    if (!s || n < 0 || (n > 0 && (!samples || !out)))
        return mn_error_set(err, MN_EINVAL, "%s: bad argument", fn);
    for (int i = 0; i < n; ++i) {
        out[i] = NULL;
        if (samples[i] < -1 || samples[i] >= s->nrec)
            return mn_error_set(err, MN_ERANGE, "surface sample %d not recorded (%d samples)",
                                samples[i], s->nrec);
    }
    return MN_OK;
}

int mn_surface_height_maps(const mn_surface *s, int n, const int *samples, mn_field **out,
                           mn_error *err)
{
    int rc = check_samples(s, n, samples, out, "mn_surface_height_maps", err);
    if (rc)
        return rc;
    float *micro = full_micro(s, err);
    if (!micro)
        return MN_ENOMEM;
    const mn_dermal_state **states = calloc((size_t)(n > 0 ? n : 1), sizeof *states);
    if (!states) {
        free(micro);
        return mn_error_set(err, MN_ENOMEM, "out of memory for the height maps");
    }
    /* The baseline (-1): every ratio is 1 (also before set_baseline). */
    for (int i = 0; i < n; ++i)
        states[i] = samples[i] < 0 ? &s->base : &s->rec[samples[i]];
    rc = fill_maps(s, n, states, micro, out, err);
    free(states);
    free(micro);
    if (rc)
        for (int i = 0; i < n; ++i)
            mn_field_free(&out[i]);
    return rc;
}

int mn_surface_preview_maps(const mn_surface *s, int n, const int *samples, mn_field **out,
                            mn_error *err)
{
    int rc = check_samples(s, n, samples, out, "mn_surface_preview_maps", err);
    if (rc)
        return rc;
    const size_t ne = s->eres;
    const double side_m = (double)ne * (double)s->stride * s->pixel_um * 1e-6;
    double *amp = malloc(((size_t)s->nw + 1) * sizeof *amp);
    if (!amp)
        return mn_error_set(err, MN_ENOMEM, "out of memory for the preview maps");
    rc = MN_OK;
    for (int q = 0; !rc && q < n; ++q) {
        const mn_dermal_state *now = samples[q] < 0 ? &s->base : &s->rec[samples[q]];
        rc = mn_field_create(&out[q], ne, ne, side_m, side_m, MN_FIELD_HEIGHT, err);
        if (rc)
            break;
        double *z = mn_field_data(out[q]);
        /* The evaluation grid's components, as mn_surface_evaluate sums them. */
        double m = component_depths(s, now, amp);
        for (size_t i = 0; i < ne * ne; ++i)
            z[i] = -m * (double)s->eval_micro[i];
        for (int k = 0; k < s->nw; ++k)
            for (size_t g = s->goff[k]; g < s->goff[k + 1]; ++g)
                z[s->gidx[g]] -= amp[k] * (double)s->gval[g];
        for (size_t i = 0; i < ne * ne; ++i)
            z[i] *= 1e-6;
    }
    free(amp);
    if (rc)
        for (int i = 0; i < n; ++i)
            mn_field_free(&out[i]);
    return rc;
}

int mn_surface_height_map(const mn_surface *s, int sample, mn_field **out, mn_error *err)
{
    if (!out)
        return mn_error_set(err, MN_EINVAL, "mn_surface_height_map: NULL output");
    return mn_surface_height_maps(s, 1, &sample, out, err);
}

int mn_surface_evaluate_full(const mn_surface *s, const mn_dermal_state *now,
                             mn_surface_metrics *out, mn_error *err)
{
    if (!s || !now || !out)
        return mn_error_set(err, MN_EINVAL, "mn_surface_evaluate_full: NULL argument");
    mn_field *f = NULL;
    int rc = mn_surface_height_map_state(s, now, &f, err);
    if (rc)
        return rc;
    double *z = mn_field_data(f);
    size_t n = s->xres * s->xres;
    for (size_t i = 0; i < n; ++i)
        z[i] *= 1e6;
    height_params(z, n, out);
    mn_field_free(&f);
    double *amp = malloc(((size_t)s->nw + 1) * sizeof *amp);
    if (!amp)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    component_depths(s, now, amp);
    out->wrinkle_depth_um = mean_depth(s, amp);
    free(amp);
    return MN_OK;
}

size_t mn_surface_xres(const mn_surface *s)
{
    return s ? s->xres : 0;
}

double mn_surface_pixel_um(const mn_surface *s)
{
    return s ? s->pixel_um : 0.0;
}

size_t mn_surface_eval_xres(const mn_surface *s)
{
    return s ? s->eres : 0;
}

size_t mn_surface_eval_stride(const mn_surface *s)
{
    return s ? s->stride : 0;
}

int mn_surface_wrinkle_count(const mn_surface *s)
{
    return s ? s->nw : 0;
}

int mn_surface_wrinkle_get(const mn_surface *s, int i, mn_surface_wrinkle *out)
{
    if (!s || !out || i < 0 || i >= s->nw)
        return MN_ERANGE;
    const mn__wrinkle *w = &s->w[i];
    out->x_mm = w->cx_um * 1e-3;
    out->y_mm = w->cy_um * 1e-3;
    out->angle_deg = atan2(w->sin_a, w->cos_a) * 180.0 / MN_PI;
    out->length_mm = 2.0 * w->half_len_um * 1e-3;
    out->depth_um = w->depth_um;
    out->width_um = w->width_um;
    out->compression = w->compression;
    out->buckling_share = w->share;
    out->fine = w->fine;
    return MN_OK;
}
