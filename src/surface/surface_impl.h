/* Private parts of the surface model (surface.h). */
#ifndef MN_SURFACE_IMPL_H
#define MN_SURFACE_IMPL_H

#include <stdint.h>

#include "mnsim/surface.h"

/* One wrinkle: a groove along a gently bowed centre line. In the wrinkle's frame (u along,
 * v across) the centre line is v = bow * u^2. */
typedef struct mn__wrinkle {
    double cx_um, cy_um;
    double cos_a, sin_a;
    double half_len_um;
    double bow_per_um;
    double depth_um; /* baseline maximum depth d_k */
    double width_um;
    double compression;
    double share;
    int fine;
} mn__wrinkle;

/* Microrelief: two jittered-grid Voronoi furrow networks (primary and secondary lines) in a
 * frame stretched along the main wrinkle direction (ageing anisotropy). */
typedef struct mn__micro {
    uint64_t key;
    double cos_a, sin_a;                         /* main wrinkle direction */
    double aniso;                                /* stretch along it (1 = isotropic) */
    double cell_um;                              /* primary polygon size */
    double secondary_scale, secondary_depth;     /* secondary network relative to the primary */
    double primary_width_um, secondary_width_um; /* furrow half-widths */
} mn__micro;

struct mn_surface {
    mn_params params;
    mn_patient patient;
    size_t xres; /* full map: xres * xres pixels */
    double pixel_um;
    size_t stride;   /* evaluation grid takes every stride-th pixel */
    size_t eres;     /* evaluation grid: eres * eres */
    double micro_um; /* depth of the primary microrelief furrows at baseline */
    mn__micro micro;
    int nw;
    mn__wrinkle *w;
    /* Evaluation grid: unit microrelief, and each wrinkle's unit groove as a sparse list
     * (index, value) in gidx/gval[goff[k] .. goff[k + 1]). */
    float *eval_micro;
    size_t *goff;
    uint32_t *gidx;
    float *gval;
    double *groove_sum; /* per wrinkle: sum of its unit groove over the evaluation grid */
    double micro_sum;   /* sum of the unit microrelief over the evaluation grid */
    double *z;          /* scratch: eres * eres heights */
    double *amp;        /* scratch: nw depths */
    int have_base;
    mn_dermal_state base;
    int nrec, caprec;
    double *rec_day;
    mn_dermal_state *rec;
};

/* Draws the wrinkles (layout.c); *out malloc'd. */
int mn__surface_layout(const mn_scenario *sc, const mn_patient *pt, const mn_params *p,
                       double size_um, mn__wrinkle **out, int *count, mn_error *err);
/* The site's main wrinkle direction at the patch centre (radians from +x towards +y). */
double mn__surface_site_angle(mn_site site);
/* Unit groove of a wrinkle at (x, y) µm: 1 at the deepest point, 0 far away. */
double mn__wrinkle_groove(const mn__wrinkle *w, double x_um, double y_um);
/* Half-extent (µm) of the box outside which the groove is 0. */
double mn__wrinkle_reach_um(const mn__wrinkle *w);

/* Microrelief (microrelief.c). At most this many cells of either network a side (the seed
 * tables are tabulated over the grid's cell ranges). */
#define MN__MICRO_MAX_CELLS 65536.0

void mn__micro_init(mn__micro *m, const mn_scenario *sc, const mn_params *p, double main_angle_rad);
/* Unit microrelief (furrow depth, >= 0, about 1 in the primary furrows) at (x, y) µm. */
double mn__micro_value(const mn__micro *m, double x_um, double y_um);
/* The same on every stride-th pixel of an n x n grid of pixel_um pixels (pixel centres), into
 * out[ceil(n / stride)^2]; -1 when out of memory. */
int mn__micro_fill(const mn__micro *m, size_t n, double pixel_um, size_t stride, float *out);

#endif
