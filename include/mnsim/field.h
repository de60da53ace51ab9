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

/* Gwyddion native file (.gwy, Gwyddion 2): the magic "GWYP", then one serialized GwyContainer.
 * A serialized object is its type name (NUL-terminated), a little-endian uint32 byte count and
 * that many bytes of components; a component is its name (NUL-terminated), a type character
 * and the value: b, c (1 byte), i (int32), q (int64), d (double), s (NUL-terminated string),
 * o (an object); the capitals C, I, Q, D, S, O are arrays (uint32 count, then the elements).
 *
 * The reader takes the image channel "/0/data" (else the lowest-numbered "/N/data"), which
 * must be a GwyDataField: xres, yres (i), xreal, yreal (d), si_unit_xy, si_unit_z (GwySIUnit
 * objects with a string unitstr), data (D, xres * yres doubles, row-major); xoff, yoff and the
 * rest of the container (titles, masks, graphs, metadata) are skipped. Units: m, mm, um (µm),
 * nm, pm scale the values to metres (empty or absent = m; Gwyddion itself always writes the
 * base unit m with values in metres); another unit, another object at /N/data, a container
 * without an image channel or a Gwyddion 1 file (GWYO) is an error. Sizes are checked against
 * the limits and every length against the bytes present before anything is allocated;
 * non-finite values are refused; errors (MN_EFORMAT, MN_ERANGE, MN_EIO) name the file. */
MN_EXPORT int mn_field_read_gwy(const char *path, mn_field **out, mn_error *err);
MN_EXPORT int mn_field_read_gwy_memory(const void *data, size_t size, const char *name,
                                       mn_field **out, mn_error *err);

/* ISO 25178-71 Surface Data File (.sdf). Binary (version starting with 'b', e.g. "bBCR-1.0"):
 * an 81-byte little-endian header (version 8 bytes, ManufacID 10, CreateDate 12, ModDate 12,
 * NumPoints and NumProfiles uint16, Xscale, Yscale, Zscale, Zresolution double, Compression,
 * DataType, CheckType uint8), then NumPoints * NumProfiles values, profile after profile; what
 * follows (the trailer) is not read. ASCII (version starting with 'a', e.g. "aBCR-1.0"): the
 * version line, "Key = Value" lines (keys case-insensitive; NumPoints, NumProfiles, Xscale,
 * Yscale, Zscale required), a line "*", the values separated by white space, then "*" or the
 * end of the file.
 *
 * xres = NumPoints, yres = NumProfiles; Xscale and Yscale are the sample spacings in metres
 * (Yscale 0 is accepted for a single profile and taken equal to Xscale); height = value *
 * Zscale, in metres. DataType (binary): all eight codes of the standard, 0 unsigned char,
 * 1 unsigned int (16 bit), 2 unsigned long (32 bit), 3 float, 4 signed char, 5 signed int
 * (16 bit), 6 signed long (32 bit), 7 double; another code, Compression other than 0, a
 * truncated file or a non-finite value is an error. CheckType other than 0 (a checksum, whose
 * algorithm is not available here) is an error, not read unverified. Limits and errors as the
 * other readers. */
MN_EXPORT int mn_field_read_sdf(const char *path, mn_field **out, mn_error *err);
MN_EXPORT int mn_field_read_sdf_memory(const void *data, size_t size, const char *name,
                                       mn_field **out, mn_error *err);

/* A .gwy file's channel chosen by `channel`: NULL or "" the lowest-numbered /N/data (as
 * mn_field_read_gwy_memory), a decimal number N the channel /N/data, anything else the channel
 * whose title (/N/data/title) is that text (exactly, else ignoring case; the lowest-numbered
 * of equals). A channel that is not there is MN_EINVAL, and the message lists the file's
 * channels with their titles. Otherwise as mn_field_read_gwy_memory. */
MN_EXPORT int mn_field_read_gwy_channel_memory(const void *data, size_t size, const char *name,
                                               const char *channel, mn_field **out, mn_error *err);

#endif
