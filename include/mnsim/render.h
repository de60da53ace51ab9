/* Photo-like pictures of the simulated skin surface and of the 3-D patch (docs/surface.md).
 *
 * A height map (field.h) is shaded by one fixed light (from the upper left, 35 degrees above the
 * skin) with a wrapped-Lambert diffuse term, per-channel subsurface blur, cavity darkening and
 * a weak specular sheen; the skin colour comes from a CIELAB value for the Fitzpatrick type,
 * redness adds the simulated erythema as delta a*, swelling makes the skin shinier (and, through
 * the mechanics, flatter). Same light, exposure and scale for every picture. */
#ifndef MNSIM_RENDER_H
#define MNSIM_RENDER_H

#include "mnsim/export.h"

#include <stddef.h>

#include "mnsim/error.h"
#include "mnsim/field.h"
#include "mnsim/patch3d.h"
#include "mnsim/results.h"
#include "mnsim/scenario.h"
#include "mnsim/simulate.h"

/* An 8-bit sRGB image, rows top to bottom, 3 bytes a pixel. */
typedef struct mn_image mn_image;

MN_EXPORT int mn_image_create(mn_image **out, size_t width, size_t height, mn_error *err);
MN_EXPORT void mn_image_free(mn_image **img);
MN_EXPORT size_t mn_image_width(const mn_image *img);
MN_EXPORT size_t mn_image_height(const mn_image *img);
MN_EXPORT unsigned char *mn_image_rgb(mn_image *img);
MN_EXPORT const unsigned char *mn_image_crgb(const mn_image *img);
/* Writes the image as an RGB PNG (libpng), atomically. Same image, same bytes. */
MN_EXPORT int mn_image_write_png(const mn_image *img, const char *path, mn_error *err);
/* The same PNG bytes in memory: *data (malloc'd, the caller frees) of *size bytes. */
MN_EXPORT int mn_image_encode_png(const mn_image *img, unsigned char **data, size_t *size,
                                  mn_error *err);

/* What the skin looks like apart from its relief. */
typedef struct mn_skin_look {
    int skin_type;      /* Fitzpatrick 1..6 */
    int photoaging;     /* Glogau 1..4: mottled pigmentation grows with it */
    double erythema_da; /* redness, delta a* (CIELAB) over the baseline colour */
    double edema_rel;   /* dermal swelling, 1 = none: raises the sheen */
    unsigned long seed; /* pigment mottling */
} mn_skin_look;

/* Representative CIELAB (D65) colour of facial skin of a Fitzpatrick type (docs/surface.md:
 * individual typology angle classes of Chardon 1991 / Del Bino 2013). */
MN_EXPORT void mn_render_skin_lab(int skin_type, double lab[3]);
/* CIELAB (D65) to 8-bit sRGB (IEC 61966-2-1), clipped into the gamut. */
MN_EXPORT void mn_render_lab_to_srgb(const double lab[3], unsigned char rgb[3]);
/* 8-bit sRGB to CIELAB (D65); the inverse of the above inside the gamut. */
MN_EXPORT void mn_render_srgb_to_lab(const unsigned char rgb[3], double lab[3]);

/* Renders a height map (MN_FIELD_HEIGHT) as skin; one image pixel per map pixel. */
MN_EXPORT int mn_render_skin(const mn_field *height, const mn_skin_look *look, mn_image **out,
                             mn_error *err);

/* Writes before.png, day1.png, after.png, before_after.png (labelled, with scale bars and the
 * day of each) and before.gsf, after.gsf (Gwyddion Simple Field) into dir, from the height map
 * the results carry (mn_results_surface). MN_EINVAL when the results carry none. */
MN_EXPORT int mn_render_write_images(const mn_results *r, const mn_scenario *sc, const char *dir,
                                     mn_error *err);

/* Virtual histology of the 3-D patch: an x–z section through the middle of the patch, stained
 * as Masson's trichrome (collagen blue, elastin dark, keratinocytes pink), with a scale bar;
 * PNG. */
MN_EXPORT int mn_render_histology(const mn_patch3d *patch, const char *path, const char *title,
                                  mn_error *err);
/* Top view of the punctures (colour per session, disc = channel at the surface); PNG. */
MN_EXPORT int mn_render_puncture_map(const mn_patch3d *patch, double channel_radius_um,
                                     const char *path, mn_error *err);

/* Pictures and snapshots of the 3-D patch during a run (an observer, simulate.h):
 * histology_before.png at the start, with first_session_vti patch_dayD.vti right after the
 * first session (D its day, the channels just carved; the CLI's default without --vti-days),
 * patch_dayD.vti at each of vti_days (ascending) that is a sample day, and at the end
 * histology_after.png, puncture_map.png and the last day's .vti. Each day is written once.
 * Nothing for other models. */
typedef struct mn_render3d_observer {
    const char *dir;
    const double *vti_days;
    int vti_count;
    int first_session_vti;
    int next_vti; /* state */
} mn_render3d_observer;
MN_EXPORT mn_sim_observer mn_render3d_observer_of(mn_render3d_observer *o);

#endif
