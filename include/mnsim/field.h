/* mn_field: a regular 2-D sampled field (height map or image) that carries its physical size.
 *
 * Like a Gwyddion data field, a field knows its pixel counts (xres, yres), its physical extent
 * (xreal_m, yreal_m, in metres) and what its values mean (its kind), so every function computes
 * in real units and no caller guesses a pixel size.
 *
 * Layout: row-major doubles, value (col, row) at data[row * xres + col]; row 0 is the top row of
 * an image (as in PNG and GSF). Pixel spacing dx = xreal_m / xres, dy = yreal_m / yres.
 * Values: for MN_FIELD_HEIGHT heights in metres (up = larger); for MN_FIELD_INTENSITY
 * dimensionless luminance in [0, 1] (0 black). */
#ifndef MNSIM_FIELD_H
#define MNSIM_FIELD_H

#include "mnsim/export.h"

#include <stddef.h>

#include "mnsim/error.h"

/* Limits every reader checks before it allocates. */
#define MN_FIELD_MAX_RES 20000u               /* pixels along either axis */
#define MN_FIELD_MAX_PIXELS ((size_t)1 << 26) /* xres * yres (67 Mpixel, 512 MiB) */
/* Largest input file any reader loads (1 GiB). */
#define MN_FIELD_MAX_FILE_BYTES ((size_t)1 << 30)

/* Checks xres, yres against MN_FIELD_MAX_RES and max_pixels (0 = MN_FIELD_MAX_PIXELS) before a
 * reader allocates; `name` (the file) starts the message. */
MN_EXPORT int mn_field_check_size(size_t xres, size_t yres, size_t max_pixels, const char *name,
                                  mn_error *err);
/* Reads a whole regular file (at most MN_FIELD_MAX_FILE_BYTES, checked before allocating) into
 * a malloc'd, NUL-terminated buffer; *size excludes the NUL. */
MN_EXPORT int mn_field_read_file(const char *path, unsigned char **data, size_t *size,
                                 mn_error *err);

typedef enum mn_field_kind {
    MN_FIELD_HEIGHT = 0,   /* z in metres */
    MN_FIELD_INTENSITY = 1 /* luminance in [0, 1], e.g. a photo */
} mn_field_kind;

typedef struct mn_field mn_field;

/* Creates a zero-filled field of xres * yres pixels covering xreal_m * yreal_m metres.
 * Fails with MN_ERANGE when a size is 0, above MN_FIELD_MAX_RES or the product above
 * MN_FIELD_MAX_PIXELS, or when a physical size is not finite and positive. */
MN_EXPORT int mn_field_create(mn_field **out, size_t xres, size_t yres, double xreal_m,
                              double yreal_m, mn_field_kind kind, mn_error *err);
/* A deep copy of src. */
MN_EXPORT int mn_field_copy(const mn_field *src, mn_field **out, mn_error *err);
/* Frees *field and sets it to NULL; safe on NULL and on a pointer to NULL. */
MN_EXPORT void mn_field_free(mn_field **field);

MN_EXPORT size_t mn_field_xres(const mn_field *field);
MN_EXPORT size_t mn_field_yres(const mn_field *field);
MN_EXPORT double mn_field_xreal_m(const mn_field *field);
MN_EXPORT double mn_field_yreal_m(const mn_field *field);
MN_EXPORT double mn_field_dx_m(const mn_field *field); /* xreal_m / xres */
MN_EXPORT double mn_field_dy_m(const mn_field *field); /* yreal_m / yres */
MN_EXPORT mn_field_kind mn_field_get_kind(const mn_field *field);
MN_EXPORT void mn_field_set_kind(mn_field *field, mn_field_kind kind);

/* The xres * yres values (see layout above); owned by the field. */
MN_EXPORT double *mn_field_data(mn_field *field);
MN_EXPORT const double *mn_field_cdata(const mn_field *field);
/* Value at (col, row), with col and row clamped into the grid. */
MN_EXPORT double mn_field_get(const mn_field *field, size_t col, size_t row);

/* Gwyddion Simple Field 1.0 (.gsf): the text header "Gwyddion Simple Field 1.0\n", lines
 * "Key = Value" (XRes, YRes required; XReal, YReal, XYUnits, ZUnits, Title optional), NUL
 * padding to a multiple of 4 bytes, then XRes * YRes little-endian IEEE float32, row-major.
 *
 * The reader accepts units m, mm, um (µm), nm, pm for XYUnits and ZUnits (absent = m, and
 * XReal/YReal default to 1, as the format says) and converts to metres; another ZUnits is an
 * error. The key "mnsim-kind = intensity" marks an intensity field. It checks sizes
 * against the limits and against the file length before it allocates, and rejects non-finite
 * values; errors (MN_EFORMAT, MN_ERANGE, MN_EIO) name the file. */
MN_EXPORT int mn_field_read_gsf(const char *path, mn_field **out, mn_error *err);
/* The same from a buffer; `name` (may be NULL) is used in messages. */
MN_EXPORT int mn_field_read_gsf_memory(const void *data, size_t size, const char *name,
                                       mn_field **out, mn_error *err);
/* Writes the field atomically as .gsf with XYUnits = m and ZUnits = m (height) or
 * mnsim-kind = intensity. Values are stored as float32 (7 significant digits). */
MN_EXPORT int mn_field_write_gsf(const mn_field *field, const char *path, mn_error *err);

#endif
