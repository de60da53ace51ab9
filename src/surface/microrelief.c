/* Skin microrelief: the network of furrows that divides the skin surface into small plateaus
 * (primary lines 20-100 µm deep bounding polygons of a fraction of a millimetre, shallower
 * secondary lines inside them; Hashimoto K. Int J Dermatol 1974;13:357; Bibb 2006). It is
 * modelled as the boundaries of two jittered-grid Voronoi tessellations; with age and
 * photoaging the network loses its isotropy and its lines align with the main wrinkles (Lagarde
 * JM, Rouvrais C, Black D. Skin Res Technol 2005;11:110), which we model by stretching the
 * cells along the main wrinkle direction. docs/surface.md. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "core/mn_math.h"
#include "core/mn_omp.h"
#include "mnsim/rng.h"
#include "surface/surface_impl.h"

void mn__micro_init(mn__micro *m, const mn_scenario *sc, const mn_params *p, double main_angle_rad)
{
    const mn_patient_spec *ps = &sc->patient;
    m->key = mn_rng_hash(mn_rng_hash((uint64_t)sc->simulate.seed) ^ 0x6d6963726fULL /* micro */);
    m->cos_a = cos(main_angle_rad);
    m->sin_a = sin(main_angle_rad);
    /* Anisotropy grows with age and photoaging (Lagarde 2005: the anisotropy index rises
     * with age); the rates are assumed. */
    m->aniso = 1.0 + p->microrelief_aniso_per_year * mn__pos(ps->age_years - 25.0) +
               p->microrelief_aniso_per_grade * (ps->photoaging - 1);
    /* Primary polygon size and the secondary network's scale and depth (assumed, of the order
     * the replica studies show on the face); furrow half-widths in µm. */
    m->cell_um = p->microrelief_cell_um;
    m->secondary_scale = p->microrelief_secondary_scale;
    m->secondary_depth = p->microrelief_secondary_depth;
    m->primary_width_um = p->microrelief_primary_width_um;
    m->secondary_width_um = p->microrelief_secondary_width_um;
}

/* The hash input of grid cell (i, j). */
static uint64_t cell_code(long i, long j)
{
    return (uint64_t)i * 0x9e3779b97f4a7c15ULL ^ (uint64_t)j * 0xc2b2ae3d27d4eb4fULL;
}

/* Seed point of grid cell (i, j) in cell units, jittered inside the cell. */
static void site_point(uint64_t key, long i, long j, double *px, double *py)
{
    uint64_t h = mn_rng_hash(key ^ mn_rng_hash(cell_code(i, j)));
    double u = (double)(h >> 40) * 0x1.0p-24, v = (double)(h & 0xffffffu) * 0x1.0p-24;
    *px = (double)i + 0.1 + 0.8 * u;
    *py = (double)j + 0.1 + 0.8 * v;
}

/* Seed points of a block of cells, so that a whole grid is filled without hashing each
 * neighbour of each pixel again (the values are the same as site_point's). */
typedef struct seed_table {
    long i0, j0, ni, nj;
    double *xy; /* 2 per cell */
} seed_table;

static int table_init(seed_table *t, uint64_t key, long i0, long j0, long i1, long j1)
{
    t->i0 = i0, t->j0 = j0, t->ni = i1 - i0 + 1, t->nj = j1 - j0 + 1;
    t->xy = malloc((size_t)t->ni * (size_t)t->nj * 2 * sizeof *t->xy);
    if (!t->xy)
        return -1;
    for (long j = 0; j < t->nj; ++j)
        for (long i = 0; i < t->ni; ++i) {
            double *p = t->xy + 2 * ((size_t)j * (size_t)t->ni + (size_t)i);
            site_point(key, i0 + i, j0 + j, &p[0], &p[1]);
        }
    return 0;
}

/* What a walk along a row of pixels keeps from one pixel to the next (the next pixel is
 * nearly always in the same cell, nearest to the same seed, on the same edge): the seeds of the
 * current cell's 3x3 neighbourhood, the lengths of the bisectors from its nearest seed, and the
 * weight of the last edge. Each is recomputed when its key changes, with the same operations,
 * so the values are those of computing every pixel from scratch. */
typedef struct edge_walk {
    long ix, iy; /* cell whose neighbourhood is in sx, sy */
    double sx[9], sy[9];
    int len_best;                /* seed the lengths are from; -1: none */
    double len[9];               /* 2 |s_n - s_best| */
    long wa_i, wa_j, wb_i, wb_j; /* the two cells of the edge whose weight is kept */
    double weight;
} edge_walk;

static void walk_reset(edge_walk *w)
{
    w->ix = LONG_MIN, w->iy = LONG_MIN;
    w->len_best = -1;
    w->wa_i = LONG_MIN, w->wa_j = w->wb_i = w->wb_j = 0;
}

/* Distance (cell units) from p to the nearest edge of its Voronoi cell: the smallest distance
 * to the bisector between p's nearest seed and any other seed of the 3x3 neighbourhood. With a
 * table, seeds come from it (the caller guarantees the neighbourhood is inside). */
static double edge_distance(uint64_t key, const seed_table *t, edge_walk *w, double x, double y,
                            double *weight)
{
    long ix = (long)floor(x), iy = (long)floor(y);
    if (ix != w->ix || iy != w->iy) {
        for (int n = 0; n < 9; ++n) {
            long i = ix + n % 3 - 1, j = iy + n / 3 - 1;
            if (t) {
                const double *p =
                    t->xy + 2 * ((size_t)(j - t->j0) * (size_t)t->ni + (size_t)(i - t->i0));
                w->sx[n] = p[0], w->sy[n] = p[1];
            } else {
                site_point(key, i, j, &w->sx[n], &w->sy[n]);
            }
        }
        w->ix = ix, w->iy = iy;
        w->len_best = -1;
    }
    const double *sx = w->sx, *sy = w->sy;
    double d2[9];
    int best = 0;
    for (int n = 0; n < 9; ++n) {
        d2[n] = (x - sx[n]) * (x - sx[n]) + (y - sy[n]) * (y - sy[n]);
        if (d2[n] < d2[best])
            best = n;
    }
    if (best != w->len_best) {
        for (int n = 0; n < 9; ++n) {
            double gx = sx[n] - sx[best], gy = sy[n] - sy[best];
            w->len[n] = 2.0 * sqrt(gx * gx + gy * gy);
        }
        w->len_best = best;
    }
    /* The best seed itself gives 0 / 0 = NaN, which is never below edge: no test for it. */
    double edge = INFINITY;
    int other = best;
    for (int n = 0; n < 9; ++n) {
        double d = (d2[n] - d2[best]) / w->len[n];
        if (d < edge)
            edge = d, other = n;
    }
    /* Every edge has its own depth (real furrows are not all alike): a hash of the two cells
     * it separates, symmetric in them, gives 0.4-1. */
    long ai = ix + best % 3 - 1, aj = iy + best / 3 - 1;
    long bi = ix + other % 3 - 1, bj = iy + other / 3 - 1;
    if (ai != w->wa_i || aj != w->wa_j || bi != w->wb_i || bj != w->wb_j) {
        uint64_t h =
            mn_rng_hash(key ^ (mn_rng_hash(cell_code(ai, aj)) + mn_rng_hash(cell_code(bi, bj))));
        w->weight = 0.4 + 0.6 * (double)(h >> 11) * 0x1.0p-53;
        w->wa_i = ai, w->wa_j = aj, w->wb_i = bi, w->wb_j = bj;
    }
    *weight = w->weight;
    return edge;
}

/* The two networks' frames: (a, b) in cell units of each network for a point in µm. */
static void frames(const mn__micro *m, double x_um, double y_um, double *a1, double *b1, double *a2,
                   double *b2)
{
    /* Frame aligned with the main wrinkles, cells stretched along them. */
    double a = (x_um * m->cos_a + y_um * m->sin_a) / m->aniso;
    double b = -x_um * m->sin_a + y_um * m->cos_a;
    double c1 = m->cell_um, c2 = m->cell_um * m->secondary_scale;
    *a1 = a / c1, *b1 = b / c1;
    *a2 = a / c2 + 0.37, *b2 = b / c2 + 0.71;
}

static double profile(const mn__micro *m, double e1, double w1, double e2, double w2)
{
    double q1 = e1 * m->cell_um / m->primary_width_um;
    double q2 = e2 * m->cell_um * m->secondary_scale / m->secondary_width_um;
    return w1 * exp(-q1 * q1) + m->secondary_depth * w2 * exp(-q2 * q2);
}

double mn__micro_value(const mn__micro *m, double x_um, double y_um)
{
    double a1, b1, a2, b2;
    frames(m, x_um, y_um, &a1, &b1, &a2, &b2);
    double w1, w2;
    edge_walk k1, k2;
    walk_reset(&k1);
    walk_reset(&k2);
    double e1 = edge_distance(m->key, NULL, &k1, a1, b1, &w1);
    double e2 = edge_distance(m->key ^ 0x5ec0ULL, NULL, &k2, a2, b2, &w2);
    return profile(m, e1, w1, e2, w2);
}

int mn__micro_fill(const mn__micro *m, size_t n, double pixel_um, size_t stride, float *out)
{
    const size_t ne = (n + stride - 1) / stride;
    /* Cell ranges covered by the grid: the frames are affine, so the corners bound them. */
    double lo[4] = {INFINITY, INFINITY, INFINITY, INFINITY};
    double hi[4] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY};
    for (int c = 0; c < 4; ++c) {
        double x = (c & 1) ? (double)n * pixel_um : 0.0, y = (c & 2) ? (double)n * pixel_um : 0.0;
        double v[4];
        frames(m, x, y, &v[0], &v[1], &v[2], &v[3]);
        for (int k = 0; k < 4; ++k)
            lo[k] = fmin(lo[k], v[k]), hi[k] = fmax(hi[k], v[k]);
    }
    /* The cell ranges must be finite and few (mn_surface_create checks the lengths; an
     * anisotropy of 0 or less from out-of-range parameters would still divide by it). */
    for (int k = 0; k < 4; ++k)
        if (!(hi[k] - lo[k] <= MN__MICRO_MAX_CELLS) || !isfinite(lo[k]))
            return -1;
    seed_table t1, t2;
    if (table_init(&t1, m->key, (long)floor(lo[0]) - 2, (long)floor(lo[1]) - 2,
                   (long)floor(hi[0]) + 2, (long)floor(hi[1]) + 2))
        return -1;
    if (table_init(&t2, m->key ^ 0x5ec0ULL, (long)floor(lo[2]) - 2, (long)floor(lo[3]) - 2,
                   (long)floor(hi[2]) + 2, (long)floor(hi[3]) + 2)) {
        free(t1.xy);
        return -1;
    }
    MN__PARALLEL_FOR(ne)
    for (size_t j = 0; j < ne; ++j) {
        edge_walk k1, k2;
        walk_reset(&k1);
        walk_reset(&k2);
        for (size_t i = 0; i < ne; ++i) {
            double x = ((double)(i * stride) + 0.5) * pixel_um;
            double y = ((double)(j * stride) + 0.5) * pixel_um;
            double a1, b1, a2, b2;
            frames(m, x, y, &a1, &b1, &a2, &b2);
            double w1, w2;
            double e1 = edge_distance(m->key, &t1, &k1, a1, b1, &w1);
            double e2 = edge_distance(m->key ^ 0x5ec0ULL, &t2, &k2, a2, b2, &w2);
            out[j * ne + i] = (float)profile(m, e1, w1, e2, w2);
        }
    }
    free(t1.xy);
    free(t2.xy);
    return 0;
}
