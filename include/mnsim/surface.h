/* The skin surface of the treated area: a height map (default 20 x 20 mm at 20 µm) made of a
 * seeded microrelief (polygonal furrow network) and a set of wrinkles whose number, length,
 * depth, width and orientation follow site, age and photoaging (crow's feet at the periorbital
 * site, horizontal lines on the forehead, ...). docs/surface.md describes the model.
 *
 * The map is a sum of fixed components scaled by the dermal state:
 *   z(x, y) = -m(t) M(x, y) - sum_k a_k(t) G_k(x, y)
 * where M is the unit microrelief, G_k the unit groove of wrinkle k (maximum 1) and
 * a_k(t) = d_k * mn_mechanics_wrinkle_depth_ratio(state(t); compression_k, share_k) the depth of
 * wrinkle k given by the buckling + crease mechanics (mechanics.h) with the wrinkle's own
 * compression ratio and buckling share. So the per-sample metrics cost one pass over a coarse
 * evaluation grid, and the full-resolution map is drawn only for images and exports. */
#ifndef MNSIM_SURFACE_H
#define MNSIM_SURFACE_H

#include "mnsim/export.h"

#include <stddef.h>

#include "mnsim/error.h"
#include "mnsim/field.h"
#include "mnsim/outcome.h"
#include "mnsim/params.h"
#include "mnsim/patient.h"
#include "mnsim/scenario.h"

typedef struct mn_surface mn_surface;

typedef struct mn_surface_options {
    double size_mm;       /* side of the square map (default 20) */
    double pixel_um;      /* pixel of the full-resolution map (default 20) */
    double eval_pixel_um; /* spacing of the grid the per-sample metrics use (default 80; it is
                             rounded to a whole multiple of pixel_um) */
    /* NULL, or a surface made before whose evaluation grid (unit microrelief, unit grooves)
     * is copied where this one's microrelief or wrinkle geometry comes out exactly the same:
     * repeated runs of one scenario at other parameters (predictive-band draws) skip the
     * set-up. Only read during mn_surface_create. */
    const struct mn_surface *like;
} mn_surface_options;

MN_EXPORT void mn_surface_options_default(mn_surface_options *opt);

/* Draws the map's components for the patient (site, age, photoaging from sc->patient and the
 * baseline in pt) with the seed sc->simulate.seed. `opt` may be NULL (defaults). The params are
 * copied. MN_EINVAL on bad options (size 1-100 mm, pixel 1-1000 µm, at least 16 pixels). */
MN_EXPORT int mn_surface_create(const mn_scenario *sc, const mn_patient *pt, const mn_params *p,
                                const mn_surface_options *opt, mn_surface **out, mn_error *err);
/* Frees *s and sets it to NULL; safe on NULL. */
MN_EXPORT void mn_surface_free(mn_surface **s);

/* The baseline dermal state (the map as drawn is the baseline). Call before evaluating. */
MN_EXPORT void mn_surface_set_baseline(mn_surface *s, const mn_dermal_state *base);

/* What results.json reports from the map (ISO 25178-2 height parameters of the primary
 * surface about its mean plane, no filter; docs/surface.md). */
typedef struct mn_surface_metrics {
    double wrinkle_depth_um; /* mean over the wrinkles of each one's maximum depth */
    double sa_um, sq_um, sz_um;
} mn_surface_metrics;

/* Metrics of the map in dermal state `now`, on the evaluation grid. Needs no allocation. */
MN_EXPORT void mn_surface_evaluate(mn_surface *s, const mn_dermal_state *now,
                                   mn_surface_metrics *out);

/* Output samples: the simulation records the dermal state of every sample so the map of any
 * day can be drawn after the run. reserve preallocates (no allocation in the time loop). */
MN_EXPORT int mn_surface_reserve(mn_surface *s, int samples, mn_error *err);
MN_EXPORT int mn_surface_record(mn_surface *s, double day, const mn_dermal_state *now,
                                mn_error *err);
MN_EXPORT int mn_surface_record_count(const mn_surface *s);
MN_EXPORT double mn_surface_record_day(const mn_surface *s, int i);
/* The recorded sample nearest to `day` (the first of equals); -1 when none is recorded. */
MN_EXPORT int mn_surface_record_find(const mn_surface *s, double day);

/* Full-resolution height map (MN_FIELD_HEIGHT, metres) of the baseline (sample = -1) or of
 * recorded sample i; or of any dermal state. *out is new. */
MN_EXPORT int mn_surface_height_map(const mn_surface *s, int sample, mn_field **out, mn_error *err);
MN_EXPORT int mn_surface_height_map_state(const mn_surface *s, const mn_dermal_state *now,
                                          mn_field **out, mn_error *err);
/* Several maps at once (the microrelief is computed once): out[i] for samples[i]. */
MN_EXPORT int mn_surface_height_maps(const mn_surface *s, int n, const int *samples, mn_field **out,
                                     mn_error *err);

/* Quick maps for previews: the same samples drawn on the evaluation grid (every
 * eval_pixel_um / pixel_um-th pixel, 250 x 250 at 80 µm by default) from the components the
 * per-sample metrics use, so drawing costs one pass over that grid. *out are new fields. */
MN_EXPORT int mn_surface_preview_maps(const mn_surface *s, int n, const int *samples,
                                      mn_field **out, mn_error *err);

/* Metrics of the full-resolution map of a dermal state (slow; for tests and checks). */
MN_EXPORT int mn_surface_evaluate_full(const mn_surface *s, const mn_dermal_state *now,
                                       mn_surface_metrics *out, mn_error *err);

/* Geometry, for tests, docs and reports. */
MN_EXPORT size_t mn_surface_xres(const mn_surface *s);
MN_EXPORT double mn_surface_pixel_um(const mn_surface *s);
MN_EXPORT size_t mn_surface_eval_xres(const mn_surface *s);

typedef struct mn_surface_wrinkle {
    double x_mm, y_mm; /* centre (x right, y down from the top-left corner) */
    double angle_deg;  /* direction of the wrinkle's length, 0 = along x, 90 = along y */
    double length_mm;
    double depth_um;       /* maximum depth at baseline */
    double width_um;       /* sigma of the crease core; the fold shoulder is 3x wider */
    double compression;    /* buckling compression ratio eps/eps_c at baseline */
    double buckling_share; /* share of its depth that is dynamic buckling */
    int fine;              /* 1: fine line, 0: main wrinkle */
} mn_surface_wrinkle;

MN_EXPORT int mn_surface_wrinkle_count(const mn_surface *s);
/* MN_ERANGE when i is out of range. */
MN_EXPORT int mn_surface_wrinkle_get(const mn_surface *s, int i, mn_surface_wrinkle *out);
/* Depth of wrinkle i in state `now` relative to its baseline depth. */
MN_EXPORT double mn_surface_wrinkle_ratio(const mn_surface *s, int i, const mn_dermal_state *now);

/* The evaluation grid of mn_surface_evaluate: every stride-th pixel of the full map along x and
 * y, starting at pixel 0, so its spacing is stride · mn_surface_pixel_um (results.json
 * "surface_metrics" states it). 0 for NULL. */
MN_EXPORT size_t mn_surface_eval_stride(const mn_surface *s);

#endif
