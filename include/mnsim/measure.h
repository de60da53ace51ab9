/* mnsim measure: ISO 25178 surface texture and wrinkle detection on height maps and photos.
 *
 * Pipeline (docs/measure.md has every definition and its ISO clause):
 *   read (GSF, GWY, SDF, CSV, 16-bit PNG, PNG/JPEG photo)            -> mn_field
 *   form removal (none | plane | poly2, least squares)               -> F-operated surface
 *   S-filter (Gaussian, lambda_s) minus L-filter (Gaussian, lambda_c) -> scale-limited surface
 *   texture parameters Sa Sq Sp Sv Sz Ssk Sku Sdq Sdr; profile Ra Rq Rz(DIN) along one row
 *   Frangi multi-scale Hessian ridges -> threshold -> thinning -> wrinkle statistics.
 * All lengths inside are metres (the field's units); results carry their unit in their name. */
#ifndef MNSIM_MEASURE_H
#define MNSIM_MEASURE_H

#include "mnsim/export.h"

#include <stddef.h>
#include <stdio.h>

#include "mnsim/error.h"
#include "mnsim/field.h"

/* ---- Readers ---------------------------------------------------------------------------- */

typedef enum mn_measure_format {
    MN_MEASURE_FORMAT_AUTO = 0, /* by content: GSF, GWY or SDF magic, PNG or JPEG signature,
                                   else CSV */
    MN_MEASURE_FORMAT_GSF,
    MN_MEASURE_FORMAT_CSV,
    MN_MEASURE_FORMAT_PNG,
    MN_MEASURE_FORMAT_JPEG,
    MN_MEASURE_FORMAT_GWY, /* Gwyddion native .gwy */
    MN_MEASURE_FORMAT_SDF  /* ISO 25178-71 Surface Data File, binary or ASCII */
} mn_measure_format;

typedef enum mn_measure_as {
    MN_MEASURE_AS_AUTO =
        0, /* GSF, GWY, SDF, CSV, 16-bit grey PNG: height; JPEG, 8-bit or colour PNG: photo */
    MN_MEASURE_AS_HEIGHT,
    MN_MEASURE_AS_PHOTO
} mn_measure_as;

typedef struct mn_measure_read_opts {
    mn_measure_format format;
    mn_measure_as as;
    /* Pixel size in micrometres. Required for CSV, PNG and JPEG (they carry none); for GSF,
     * GWY and SDF, when > 0, it replaces the file's pixel size. */
    double pixel_um;
    /* Height per stored unit in micrometres: required for PNG read as a height map (µm per
     * count); for CSV the values are multiplied by it (0 = 1: values are micrometres). */
    double z_scale_um;
    /* Largest xres * yres accepted (0 = MN_FIELD_MAX_PIXELS); fuzzers lower it. */
    size_t max_pixels;
} mn_measure_read_opts;

/* Reads a height map or photo. Photos become MN_FIELD_INTENSITY fields of luminance
 * Y' = 0.299 R' + 0.587 G' + 0.114 B' (Rec. 601, on the stored values) scaled to [0, 1].
 * Every reader checks sizes, limits and the data length before it allocates, and rejects
 * non-finite values; errors name the file: MN_EFORMAT (malformed), MN_ERANGE (too large),
 * MN_EINVAL (missing pixel size or z scale), MN_EIO, MN_ENOTSUP (JPEG without libjpeg). */
MN_EXPORT int mn_measure_read(const char *path, const mn_measure_read_opts *opts, mn_field **out,
                              mn_error *err);
/* The same from a buffer; `name` (may be NULL) is used in messages. */
MN_EXPORT int mn_measure_read_memory(const void *data, size_t size, const char *name,
                                     const mn_measure_read_opts *opts, mn_field **out,
                                     mn_error *err);

/* ---- Colour photos ------------------------------------------------------------------------ */

/* A colour photo as read: the stored (non-linear, sRGB-encoded) R', G', B' values scaled to
 * [0, 1], interleaved R G B per pixel, row-major as in field.h (row 0 first). Grey photos
 * have R' = G' = B'. float keeps 16-bit PNG values exactly and halves the memory of double. */
typedef struct mn_rgb_image {
    size_t xres, yres;
    double dx_um, dy_um; /* pixel size */
    float *rgb;          /* 3 * xres * yres values */
} mn_rgb_image;

/* A zeroed xres x yres image with pixel size dx_um x dy_um (both > 0); MN_ERANGE when the
 * size exceeds MN_FIELD_MAX_RES or MN_FIELD_MAX_PIXELS. Free with mn_measure_rgb_free. */
MN_EXPORT int mn_measure_rgb_create(mn_rgb_image **out, size_t xres, size_t yres, double dx_um,
                                    double dy_um, mn_error *err);
/* Frees *img and sets it to NULL; safe on NULL and on *img == NULL. */
MN_EXPORT void mn_measure_rgb_free(mn_rgb_image **img);
/* Reads a PNG (8- or 16-bit grey, grey+alpha, RGB, RGBA or palette; alpha ignored) or, when
 * built with libjpeg, a JPEG photo keeping its colour. opts as for mn_measure_read (pixel_um
 * required); a 16-bit grey PNG is a height map unless opts->as is MN_MEASURE_AS_PHOTO, and
 * GSF, GWY, SDF, CSV or MN_MEASURE_AS_HEIGHT give MN_EINVAL ("not a photo"). Errors as
 * mn_measure_read. */
MN_EXPORT int mn_measure_read_rgb(const char *path, const mn_measure_read_opts *opts,
                                  mn_rgb_image **out, mn_error *err);
/* The same from a buffer; `name` (may be NULL) is used in messages. */
MN_EXPORT int mn_measure_read_rgb_memory(const void *data, size_t size, const char *name,
                                         const mn_measure_read_opts *opts, mn_rgb_image **out,
                                         mn_error *err);

/* ---- Tone: colour, ITA, melanin and erythema indices, pigmented spots -------------------- */

typedef struct mn_tone_options {
    /* A pixel is a spot candidate when its melanin index exceeds the image's median by more
     * than this (MI units; default MN_TONE_SPOT_DELTA_MI_DEFAULT; must be > 0). */
    double spot_delta_mi;
    /* Smallest spot kept, square micrometres; 0 = MN_TONE_SPOT_MIN_PIXELS_DEFAULT pixels
     * (default). Must be >= 0. */
    double spot_min_area_um2;
} mn_tone_options;

#define MN_TONE_SPOT_DELTA_MI_DEFAULT 4.0
#define MN_TONE_SPOT_MIN_PIXELS_DEFAULT 9

typedef struct mn_tone_result {
    size_t n_pixels;
    double l_star, a_star, b_star; /* means of the per-pixel CIELAB (D65) values */
    double ita_deg;                /* mean per-pixel ITA = atan2(L* - 50, b*) in degrees */
    double ita_sd_deg;             /* its standard deviation over the area (n - 1): evenness */
    double melanin_index;          /* mean per-pixel MI = 100 log10(1 / R_red) */
    double erythema_index;         /* mean per-pixel EI = 100 (log10(1/R_green) - log10(1/R_red)) */
    double mi_median;              /* median per-pixel MI (the spot reference) */
    double spot_threshold_mi;      /* mi_median + spot_delta_mi */
    int spot_count;                /* 8-connected spots at least spot_min_area_um2 large */
    double spots_area_pct;         /* their pixels / all pixels, percent */
    double spot_delta_mi;          /* used */
    double spot_min_area_um2;      /* used (the default resolved) */
} mn_tone_result;

MN_EXPORT void mn_tone_options_default(mn_tone_options *o);
/* MN_EINVAL with a message naming the option (spot_delta_mi, spot_min_area_um2). */
MN_EXPORT int mn_tone_options_check(const mn_tone_options *o, mn_error *err);
/* Tone of a colour photo (docs/measure.md, "Tone"): sRGB (IEC 61966-2-1) -> linear -> CIE XYZ
 * (D65) -> CIELAB per pixel; ITA (Chardon et al. 1991); melanin and erythema indices from the
 * linear red and green values; spots. `opts` may be NULL (defaults). When spots_mask_out is
 * not NULL it receives a malloc'd xres * yres mask (1 = counted spot pixel) the caller frees. */
MN_EXPORT int mn_measure_tone(const mn_rgb_image *img, const mn_tone_options *opts,
                              mn_tone_result *out, unsigned char **spots_mask_out, mn_error *err);

/* ---- Settings ----------------------------------------------------------------------------- */

typedef enum mn_form { MN_FORM_NONE = 0, MN_FORM_PLANE, MN_FORM_POLY2 } mn_form;

/* Discretisation of the gradient behind Sdq and Sdr (docs/measure.md, "Areal parameters").
 * GWYDDION (default): Gwyddion's libprocess, gwy_data_field_get_surface_slope (Sdq from every
 * nearest-neighbour difference along x and along y) and gwy_data_field_get_surface_area (Sdr
 * from four triangles per 2 x 2 cell through its mean, half-pixel flat borders, over xres *
 * yres pixels). CELL: mnsim's earlier convention, one gradient per 2 x 2 cell (mean of its two
 * differences along x and its two along y), exact for planes. */
typedef enum mn_gradient { MN_GRADIENT_GWYDDION = 0, MN_GRADIENT_CELL } mn_gradient;

#define MN_MEASURE_MAX_SCALES 8

typedef struct mn_measure_settings {
    mn_form form;         /* default plane */
    int filter;           /* 1: apply the S- and L-filters below (default); 0: none */
    double lambda_s_um;   /* S-filter nesting index (default 2.5); 0 = no S-filter */
    double lambda_c_mm;   /* L-filter cut-off (default 0.8); 0 = no L-filter */
    long profile_row;     /* row for Ra, Rq, Rz; -1 = middle row (default) */
    int wrinkles;         /* 1: detect wrinkles (default) */
    double sigma_min_um;  /* smallest Hessian scale; 0 = 1.5 pixels */
    double sigma_max_um;  /* largest Hessian scale; 0 = 6 pixels */
    int n_scales;         /* scales, geometric from min to max (default 4, at most 8) */
    double frangi_beta;   /* blob suppression (default 0.5) */
    double frangi_c_frac; /* c as a fraction of the largest Hessian norm over all scales (0.5) */
    double threshold;     /* vesselness threshold in (0, 1); 0 = Otsu's method (default) */
    double min_length_um; /* shortest wrinkle counted; 0 = 10 pixels */
    /* A wrinkle pixel's curvature across (the Hessian's larger eigenvalue) must exceed this
     * many standard deviations of what the image's own noise gives at that scale (noise SD by
     * Immerkær 1996): pure noise has no wrinkles. Default 5; 0 = off. */
    double noise_floor;
    mn_gradient gradient; /* Sdq and Sdr discretisation (default MN_GRADIENT_GWYDDION) */
} mn_measure_settings;

MN_EXPORT void mn_measure_settings_default(mn_measure_settings *s);
/* Checks ranges; MN_EINVAL with a message naming the setting. */
MN_EXPORT int mn_measure_settings_check(const mn_measure_settings *s, mn_error *err);
MN_EXPORT const char *mn_form_name(mn_form form);
/* "none", "plane", "poly2" -> form; -1 when unknown. */
MN_EXPORT int mn_form_parse(const char *name);
MN_EXPORT const char *mn_gradient_name(mn_gradient gradient);
/* "gwyddion", "cell" -> gradient; -1 when unknown. */
MN_EXPORT int mn_gradient_parse(const char *name);

/* ---- Form removal and filters ------------------------------------------------------------- */

/* Subtracts the least-squares plane (z = a + bx + cy) or second-order polynomial in place. */
MN_EXPORT int mn_measure_remove_form(mn_field *field, mn_form form, mn_error *err);

/* ISO 16610-21 Gaussian weighting s(x) = exp(-pi (x / (alpha lambda))^2) / (alpha lambda),
 * alpha = sqrt(ln 2 / pi), applied separably along x then y (the areal Gaussian of ISO 16610-61);
 * the result is the mean (low-pass) surface: 50 % transmission at wavelength lambda_m.
 * Kernel truncated at +-lambda and renormalised; borders mirrored (symmetric: ... b a | a b ...).
 * `in` and `out` may be the same field. */
MN_EXPORT int mn_measure_gaussian(const mn_field *in, double lambda_m, mn_field *out,
                                  mn_error *err);
/* The same along one profile of n samples spaced dx_m; in and out may alias. */
MN_EXPORT int mn_measure_gaussian_profile(const double *in, size_t n, double dx_m, double lambda_m,
                                          double *out, mn_error *err);

/* Form removal, then S-filter and minus L-filter as the settings say: the scale-limited
 * (S-L) surface used for the texture parameters. *out is a new field. */
MN_EXPORT int mn_measure_scale_limited(const mn_field *raw, const mn_measure_settings *s,
                                       mn_field **out, mn_error *err);

/* ---- Parameters --------------------------------------------------------------------------- */

typedef struct mn_texture {
    double sa_um, sq_um, sp_um, sv_um, sz_um; /* ISO 25178-2 height parameters */
    double ssk, sku;                          /* skewness; kurtosis (3 for Gaussian, not excess) */
    double sdq;                               /* root mean square gradient (dimensionless) */
    double sdr_pct;                           /* developed interfacial area ratio, percent */
} mn_texture;

/* Parameters of a (scale-limited) height field, taken about its mean plane z = mean, with the
 * default (Gwyddion) gradient. */
MN_EXPORT int mn_measure_texture(const mn_field *field, mn_texture *out, mn_error *err);
/* The same with Sdq and Sdr by the given discretisation. */
MN_EXPORT int mn_measure_texture_with(const mn_field *field, mn_gradient gradient, mn_texture *out,
                                      mn_error *err);

typedef struct mn_profile {
    long row;                   /* row used */
    double sampling_mm;         /* sampling length lr (evaluation length / 5) */
    double ra_um, rq_um, rz_um; /* Rz = mean of the five sampling lengths' peak-to-valley */
} mn_profile;

/* Ra, Rq, Rz(DIN 4768 / ISO 4287) of row s->profile_row of a form-removed field: the row is
 * S- and L-filtered with the profile Gaussian (as the settings say) and split into five
 * sampling lengths. Needs at least 10 pixels in the row. */
MN_EXPORT int mn_measure_profile(const mn_field *form_removed, const mn_measure_settings *s,
                                 mn_profile *out, mn_error *err);

/* ---- Wrinkles ----------------------------------------------------------------------------- */

typedef struct mn_wrinkles {
    int count;              /* skeleton components at least min_length_um long */
    double length_mm;       /* total skeleton length (diagonal steps sqrt 2) */
    double area_pct;        /* mask pixels / all pixels, percent */
    double depth_mean_um;   /* mean over wrinkles of each one's maximum depth; NaN for photos */
    double depth_max_um;    /* deepest wrinkle; NaN for photos */
    double orientation_deg; /* dominant ridge direction, 0 = along x, 90 = along y (rows);
                               NaN when nothing was found */
    /* Effective detector settings (automatic values resolved). */
    int n_scales;
    double sigma_um[MN_MEASURE_MAX_SCALES];
    double threshold;     /* vesselness threshold used */
    double min_length_um; /* used */
    double noise_sd;      /* noise standard deviation of the detector's input (Immerkær 1996) */
} mn_wrinkles;

/* Detects dark ridges (photos) or valleys (height maps) in `field` (form-removed for heights).
 * When mask_out is not NULL it receives a malloc'd xres * yres mask, 1 = wrinkle, 0 = not,
 * holding only the pixels of counted wrinkles; the caller frees it. */
MN_EXPORT int mn_measure_wrinkles(const mn_field *field, const mn_measure_settings *s,
                                  mn_wrinkles *out, unsigned char **mask_out, mn_error *err);

/* ---- Whole measurement and reports -------------------------------------------------------- */

typedef struct mn_measure_result {
    const char *name; /* file name shown in reports (borrowed) */
    mn_field_kind kind;
    size_t xres, yres;
    double dx_um, dy_um;
    int have_texture; /* 0 for photos: height parameters need heights */
    mn_texture texture;
    mn_profile profile;
    int have_wrinkles;
    mn_wrinkles wrinkles;
    int lambda_s_pixel_limited; /* lambda_s below two pixels: the S-filter is the sampling */
    int have_tone; /* set by the caller after mn_measure_tone (mn_measure_field clears it) */
    mn_tone_result tone;
} mn_measure_result;

/* Runs the pipeline above on a raw field; *mask_out as for mn_measure_wrinkles (may be NULL). */
MN_EXPORT int mn_measure_field(const mn_field *raw, const char *name, const mn_measure_settings *s,
                               mn_measure_result *out, unsigned char **mask_out, mn_error *err);

/* Human-readable report: one file, or before/after with change and percent change. States the
 * settings. `after` may be NULL. */
MN_EXPORT int mn_measure_report_text(FILE *out, const mn_measure_settings *s,
                                     const mn_measure_result *before,
                                     const mn_measure_result *after);
/* One JSON object: for one file the parameters at the top level (Sa_um ... wrinkle_depth_um)
 * plus "settings"; for two, "before", "after", "change", "change_pct" and "settings". */
MN_EXPORT int mn_measure_report_json(FILE *out, const mn_measure_settings *s,
                                     const mn_measure_result *before,
                                     const mn_measure_result *after, mn_error *err);

/* For bindings: measures the xres * yres height map z_m (metres, row-major as in field.h) with
 * pixel sizes dx_m, dy_m and the default settings; *json_out is the report of
 * mn_measure_report_json for one file (free with mn_free). `name` (may be NULL) is shown in it. */
MN_EXPORT int mn_measure_json(const double *z_m, size_t xres, size_t yres, double dx_m, double dy_m,
                              const char *name, char **json_out, mn_error *err);

/* 8-bit grey PNG of the mask (255 = wrinkle), same pixel grid, written atomically. */
MN_EXPORT int mn_measure_write_mask_png(const unsigned char *mask, size_t xres, size_t yres,
                                        const char *path, mn_error *err);
/* RGB PNG: the field as grey (min..max stretched) with mask pixels drawn in red; atomic. */
MN_EXPORT int mn_measure_write_overlay_png(const mn_field *field, const unsigned char *mask,
                                           const char *path, mn_error *err);

/* mn_measure_read_memory with a channel of a multi-channel Gwyddion .gwy file: `channel` is
 * its number N (/N/data) or its title (mn_field_read_gwy_channel_memory); NULL or "" the first
 * channel. A channel asked of another format is MN_EINVAL. */
MN_EXPORT int mn_measure_read_channel_memory(const void *data, size_t size, const char *name,
                                             const mn_measure_read_opts *opts, const char *channel,
                                             mn_field **out, mn_error *err);

#endif
