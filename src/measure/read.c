/* Reader dispatch and the CSV / whitespace matrix reader. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/field.h"
#include "measure/measure_impl.h"

static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
static const char gsf_sig[] = "Gwyddion Simple Field";

/* An ISO 25178-71 SDF starts with its version: 'a' (ASCII) or 'b' (binary), one to six capitals
 * or digits, then '-' (aBCR-1.0, bBCR-1.0, aNPL-V1.0). */
static int is_sdf(const unsigned char *d, size_t n)
{
    if (n < 3 || (d[0] != 'a' && d[0] != 'b'))
        return 0;
    for (size_t i = 1; i < n && i <= 7; ++i) {
        if (d[i] == '-')
            return i >= 2;
        if (!(d[i] >= 'A' && d[i] <= 'Z') && !(d[i] >= '0' && d[i] <= '9'))
            return 0;
    }
    return 0;
}

static mn_measure_format sniff(const unsigned char *d, size_t n)
{
    if (n >= sizeof gsf_sig - 1 && !memcmp(d, gsf_sig, sizeof gsf_sig - 1))
        return MN_MEASURE_FORMAT_GSF;
    if (n >= 4 && (!memcmp(d, "GWYP", 4) || !memcmp(d, "GWYO", 4)))
        return MN_MEASURE_FORMAT_GWY;
    if (is_sdf(d, n))
        return MN_MEASURE_FORMAT_SDF;
    if (n >= 8 && !memcmp(d, png_sig, 8))
        return MN_MEASURE_FORMAT_PNG;
    if (n >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
        return MN_MEASURE_FORMAT_JPEG;
    return MN_MEASURE_FORMAT_CSV;
}

/* The start of both memory readers: arguments, the name, options with defaults resolved and
 * ranges checked, and the empty file. */
static int begin_read(const char *fn, int null_args, const char **name, size_t size,
                      const mn_measure_read_opts *opts, mn_measure_read_opts *o, mn_error *err)
{
    if (null_args)
        return mn_error_set(err, MN_EINVAL, "%s: NULL argument", fn);
    if (!*name)
        *name = "<memory>";
    *o = (mn_measure_read_opts){0};
    if (opts)
        *o = *opts;
    if (!(o->pixel_um >= 0 && isfinite(o->pixel_um) && o->pixel_um < 1e6))
        return mn_error_set(err, MN_EINVAL, "%s: pixel size %g um out of range", *name,
                            o->pixel_um);
    if (!(o->z_scale_um >= 0 && isfinite(o->z_scale_um) && o->z_scale_um < 1e9))
        return mn_error_set(err, MN_EINVAL, "%s: z scale %g um out of range", *name, o->z_scale_um);
    if (!o->max_pixels || o->max_pixels > MN_FIELD_MAX_PIXELS)
        o->max_pixels = MN_FIELD_MAX_PIXELS;
    if (size == 0)
        return mn_error_set(err, MN_EFORMAT, "%s: empty file", *name);
    return MN_OK;
}

/* After a reader of a format with its own units (GSF, GWY, SDF) returned rc: the pixel limit
 * of the options, the user's pixel size in place of the file's, and the kind asked for. */
static int with_file_units(int rc, const char *name, const mn_measure_read_opts *o, mn_field **out,
                           mn_error *err)
{
    if (!rc && (size_t)mn_field_xres(*out) * mn_field_yres(*out) > o->max_pixels) {
        mn_field_free(out);
        rc = mn_field_check_size(MN_FIELD_MAX_RES, MN_FIELD_MAX_RES, o->max_pixels, name, err);
    }
    if (!rc && o->pixel_um > 0) { /* the user's pixel size replaces the file's */
        mn_field *f = *out, *g = NULL;
        rc = mn_field_create(
            &g, mn_field_xres(f), mn_field_yres(f), o->pixel_um * 1e-6 * (double)mn_field_xres(f),
            o->pixel_um * 1e-6 * (double)mn_field_yres(f), mn_field_get_kind(f), err);
        if (!rc)
            memcpy(mn_field_data(g), mn_field_cdata(f),
                   mn_field_xres(f) * mn_field_yres(f) * sizeof(double));
        mn_field_free(out);
        *out = g;
    }
    if (!rc && o->as == MN_MEASURE_AS_PHOTO)
        mn_field_set_kind(*out, MN_FIELD_INTENSITY);
    else if (!rc && o->as == MN_MEASURE_AS_HEIGHT)
        mn_field_set_kind(*out, MN_FIELD_HEIGHT);
    return rc;
}

int mn_measure_read_memory(const void *data, size_t size, const char *name,
                           const mn_measure_read_opts *opts, mn_field **out, mn_error *err)
{
    return mn_measure_read_channel_memory(data, size, name, opts, NULL, out, err);
}

int mn_measure_read_channel_memory(const void *data, size_t size, const char *name,
                                   const mn_measure_read_opts *opts, const char *channel,
                                   mn_field **out, mn_error *err)
{
    if (out)
        *out = NULL;
    mn_measure_read_opts o;
    int rc =
        begin_read("mn_measure_read_memory", !out || (!data && size), &name, size, opts, &o, err);
    if (rc)
        return rc;
    mn_measure_format fmt = o.format ? o.format : sniff(data, size);
    /* Only .gwy files hold several channels; a channel asked of another format is a mistake
     * the user should hear about, not a choice silently ignored. */
    if (channel && *channel && fmt != MN_MEASURE_FORMAT_GWY)
        return mn_error_set(err, MN_EINVAL,
                            "%s: a channel ('%.64s') can be chosen only in a Gwyddion .gwy file",
                            name, channel);
    switch (fmt) {
    case MN_MEASURE_FORMAT_GSF:
        return with_file_units(mn_field_read_gsf_memory(data, size, name, out, err), name, &o, out,
                               err);
    case MN_MEASURE_FORMAT_GWY:
        return with_file_units(
            mn_field_read_gwy_channel_memory(data, size, name, channel, out, err), name, &o, out,
            err);
    case MN_MEASURE_FORMAT_SDF:
        return with_file_units(mn_field_read_sdf_memory(data, size, name, out, err), name, &o, out,
                               err);
    case MN_MEASURE_FORMAT_CSV:
        return mn__measure_read_csv(data, size, name, &o, out, err);
    case MN_MEASURE_FORMAT_PNG:
        return mn__measure_read_png(data, size, name, &o, out, NULL, err);
    case MN_MEASURE_FORMAT_JPEG:
        return mn__measure_read_jpeg(data, size, name, &o, out, NULL, err);
    default:
        return mn_error_set(err, MN_EINVAL, "%s: unknown format %d", name, (int)fmt);
    }
}

int mn_measure_read_rgb_memory(const void *data, size_t size, const char *name,
                               const mn_measure_read_opts *opts, mn_rgb_image **out, mn_error *err)
{
    if (out)
        *out = NULL;
    mn_measure_read_opts o;
    int rc = begin_read("mn_measure_read_rgb_memory", !out || (!data && size), &name, size, opts,
                        &o, err);
    if (rc)
        return rc;
    if (o.as == MN_MEASURE_AS_HEIGHT)
        return mn_error_set(err, MN_EINVAL, "%s: not a photo (read as a height map)", name);
    switch (o.format ? o.format : sniff(data, size)) {
    case MN_MEASURE_FORMAT_PNG:
        return mn__measure_read_png(data, size, name, &o, NULL, out, err);
    case MN_MEASURE_FORMAT_JPEG:
        return mn__measure_read_jpeg(data, size, name, &o, NULL, out, err);
    default:
        return mn_error_set(err, MN_EINVAL, "%s: not a photo (colour needs a PNG or JPEG)", name);
    }
}

int mn__measure_alloc_photo(size_t w, size_t h, const mn_measure_read_opts *o, mn_field_kind kind,
                            int colour, mn_field **field, mn_rgb_image **image, double **z,
                            float **rgb, mn_error *err)
{
    *field = NULL;
    *image = NULL;
    *z = NULL;
    *rgb = NULL;
    int rc;
    if (colour) {
        rc = mn_measure_rgb_create(image, w, h, o->pixel_um, o->pixel_um, err);
        if (!rc)
            *rgb = (*image)->rgb;
    } else {
        rc = mn_field_create(field, w, h, o->pixel_um * 1e-6 * (double)w,
                             o->pixel_um * 1e-6 * (double)h, kind, err);
        if (!rc)
            *z = mn_field_data(*field);
    }
    return rc;
}

/* Reads the whole file, then hands it to the memory reader (colour when rgb != NULL). */
static int read_path(const char *path, const mn_measure_read_opts *opts, mn_field **out,
                     mn_rgb_image **rgb, mn_error *err)
{
    unsigned char *buf;
    size_t size;
    int rc = mn_field_read_file(path, &buf, &size, err);
    if (rc)
        return rc;
    rc = rgb ? mn_measure_read_rgb_memory(buf, size, path, opts, rgb, err)
             : mn_measure_read_memory(buf, size, path, opts, out, err);
    free(buf);
    return rc;
}

int mn_measure_read(const char *path, const mn_measure_read_opts *opts, mn_field **out,
                    mn_error *err)
{
    if (!path || !out)
        return mn_error_set(err, MN_EINVAL, "mn_measure_read: NULL argument");
    *out = NULL;
    return read_path(path, opts, out, NULL, err);
}

int mn_measure_read_rgb(const char *path, const mn_measure_read_opts *opts, mn_rgb_image **out,
                        mn_error *err)
{
    if (!path || !out)
        return mn_error_set(err, MN_EINVAL, "mn_measure_read_rgb: NULL argument");
    *out = NULL;
    return read_path(path, opts, NULL, out, err);
}

/* ---- CSV / whitespace matrix ------------------------------------------------------------ */

static int is_blank(int c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Scans one line [p, end): counts (and, when row != NULL, stores) its numbers.
 * Separators: whitespace, one ',' or ';' between numbers; a trailing separator is allowed. */
static int scan_line(const char *p, const char *end, size_t lineno, const char *name, double scale,
                     double *row, size_t max_cols, size_t *ncols, mn_error *err)
{
    size_t n = 0;
    while (p < end) {
        while (p < end && is_blank(*p))
            ++p;
        if (p == end)
            break;
        if (*p == ',' || *p == ';')
            return mn_error_set(err, MN_EFORMAT, "%s:%zu: empty value", name, lineno);
        char *stop;
        errno = 0;
        double v = strtod(p, &stop);
        if (stop == p || stop > end) {
            char tok[24];
            size_t k = 0;
            while (p + k < end && k < sizeof tok - 1 && !is_blank(p[k]) && p[k] != ',' &&
                   p[k] != ';')
                ++k;
            memcpy(tok, p, k);
            tok[k] = '\0';
            for (size_t i = 0; i < k; ++i)
                if (!isprint((unsigned char)tok[i]))
                    tok[i] = '?';
            return mn_error_set(err, MN_EFORMAT, "%s:%zu: '%s' is not a number", name, lineno, tok);
        }
        if (!isfinite(v) || !isfinite(v * scale))
            return mn_error_set(err, MN_EFORMAT, "%s:%zu: value %zu is not finite", name, lineno,
                                n + 1);
        if (n >= max_cols)
            return mn_error_set(err, row ? MN_EFORMAT : MN_ERANGE,
                                row ? "%s:%zu: more than %zu values"
                                    : "%s:%zu: more than %zu "
                                      "columns",
                                name, lineno, max_cols);
        if (row)
            row[n] = v * scale;
        ++n;
        p = stop;
        while (p < end && is_blank(*p))
            ++p;
        if (p < end && (*p == ',' || *p == ';'))
            ++p;
        else if (p < end && !isspace((unsigned char)p[-1]))
            return mn_error_set(err, MN_EFORMAT, "%s:%zu: unexpected '%c' after a number", name,
                                lineno, isprint((unsigned char)*p) ? *p : '?');
    }
    *ncols = n;
    return MN_OK;
}

/* Walks the lines; pass 1 (z == NULL) validates and counts, pass 2 stores. */
static int csv_pass(const char *text, size_t size, const char *name, double scale, double *z,
                    size_t *xres, size_t *yres, mn_error *err)
{
    size_t rows = 0, cols = *xres, lineno = 0;
    const char *p = text, *end = text + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        ++lineno;
        const char *q = p;
        while (q < le && is_blank(*q))
            ++q;
        if (q < le && *q != '#') {
            if (rows >= MN_FIELD_MAX_RES)
                return mn_error_set(err, MN_ERANGE, "%s: more than %u rows", name,
                                    MN_FIELD_MAX_RES);
            size_t n = 0;
            int rc = scan_line(q, le, lineno, name, scale, z ? z + rows * cols : NULL,
                               z ? cols : MN_FIELD_MAX_RES, &n, err);
            if (rc)
                return rc;
            if (rows == 0 && !z)
                cols = n;
            else if (n != cols)
                return mn_error_set(err, MN_EFORMAT, "%s:%zu: %zu values, expected %zu", name,
                                    lineno, n, cols);
            ++rows;
        }
        p = nl ? nl + 1 : end;
    }
    if (rows == 0)
        return mn_error_set(err, MN_EFORMAT, "%s: no data rows", name);
    *xres = cols;
    *yres = rows;
    return MN_OK;
}

int mn__measure_read_csv(const unsigned char *data, size_t size, const char *name,
                         const mn_measure_read_opts *o, mn_field **out, mn_error *err)
{
    if (memchr(data, '\0', size))
        return mn_error_set(err, MN_EFORMAT, "%s: binary data in a text matrix", name);
    if (o->as == MN_MEASURE_AS_PHOTO)
        return mn_error_set(err, MN_EINVAL, "%s: a CSV matrix is a height map, not a photo", name);
    if (!(o->pixel_um > 0))
        return mn_error_set(err, MN_EINVAL,
                            "%s: a CSV matrix carries no pixel size; give it (--pixel-um)", name);
    char *text = malloc(size + 1);
    if (!text)
        return mn_error_set(err, MN_ENOMEM, "%s: out of memory", name);
    memcpy(text, data, size);
    text[size] = '\0';
    double scale = 1e-6 * (o->z_scale_um > 0 ? o->z_scale_um : 1.0);
    size_t xres = 0, yres = 0;
    int rc = csv_pass(text, size, name, scale, NULL, &xres, &yres, err);
    if (!rc)
        rc = mn_field_check_size(xres, yres, o->max_pixels, name, err);
    mn_field *f = NULL;
    if (!rc)
        rc = mn_field_create(&f, xres, yres, o->pixel_um * 1e-6 * (double)xres,
                             o->pixel_um * 1e-6 * (double)yres, MN_FIELD_HEIGHT, err);
    if (!rc)
        rc = csv_pass(text, size, name, scale, mn_field_data(f), &xres, &yres, err);
    free(text);
    if (rc) {
        mn_field_free(&f);
        return rc;
    }
    *out = f;
    return MN_OK;
}
