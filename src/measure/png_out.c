/* PNG outputs of the wrinkle detector (mask and overlay), written atomically with libpng. */
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>

#include "measure/measure_impl.h"
#include "mnsim/io.h"

static void png_out_fail(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

/* Writes 8-bit rows (channels 1 or 3) from a row callback into path atomically. */
static int write_png(const char *path, size_t xres, size_t yres, int channels,
                     void (*fill)(const void *ctx, size_t y, unsigned char *row), const void *ctx,
                     mn_error *err)
{
    if (xres > MN_FIELD_MAX_RES || yres > MN_FIELD_MAX_RES || !xres || !yres)
        return mn_error_set(err, MN_ERANGE, "%s: image size out of range", path);
    mn_atomic_file *af;
    int rc = mn_atomic_open(path, &af, err);
    if (rc)
        return rc;
    unsigned char *volatile row = malloc(xres * (size_t)channels);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_out_fail, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!row || !info) {
        png_destroy_write_struct(&png, NULL);
        free(row);
        mn_atomic_abort(&af);
        return mn_error_set(err, MN_ENOMEM, "%s: out of memory", path);
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        mn_atomic_abort(&af);
        return mn_error_set(err, MN_EIO, "%s: PNG write failed", path);
    }
    png_init_io(png, mn_atomic_stream(af));
    png_set_IHDR(png, info, (png_uint_32)xres, (png_uint_32)yres, 8,
                 channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (size_t y = 0; y < yres; ++y) {
        fill(ctx, y, row);
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    return mn_atomic_commit(&af, err);
}

typedef struct mask_ctx {
    const unsigned char *mask;
    size_t xres;
} mask_ctx;

static void fill_mask(const void *ctx, size_t y, unsigned char *row)
{
    const mask_ctx *m = ctx;
    for (size_t x = 0; x < m->xres; ++x)
        row[x] = m->mask[y * m->xres + x] ? 255 : 0;
}

int mn_measure_write_mask_png(const unsigned char *mask, size_t xres, size_t yres, const char *path,
                              mn_error *err)
{
    if (!mask || !path)
        return mn_error_set(err, MN_EINVAL, "mn_measure_write_mask_png: NULL argument");
    mask_ctx m = {mask, xres};
    return write_png(path, xres, yres, 1, fill_mask, &m, err);
}

typedef struct overlay_ctx {
    const double *z;
    const unsigned char *mask;
    size_t xres;
    double lo, scale;
} overlay_ctx;

static void fill_overlay(const void *ctx, size_t y, unsigned char *row)
{
    const overlay_ctx *o = ctx;
    for (size_t x = 0; x < o->xres; ++x) {
        size_t i = y * o->xres + x;
        double g = (o->z[i] - o->lo) * o->scale;
        unsigned char v = (unsigned char)(g < 0 ? 0 : g > 255 ? 255 : lround(g));
        if (o->mask && o->mask[i]) { /* red, keeping a little of the shading */
            row[3 * x] = 255;
            row[3 * x + 1] = row[3 * x + 2] = (unsigned char)(v / 4);
        } else {
            row[3 * x] = row[3 * x + 1] = row[3 * x + 2] = v;
        }
    }
}

int mn_measure_write_overlay_png(const mn_field *field, const unsigned char *mask, const char *path,
                                 mn_error *err)
{
    if (!field || !path)
        return mn_error_set(err, MN_EINVAL, "mn_measure_write_overlay_png: NULL argument");
    size_t xres = mn_field_xres(field), yres = mn_field_yres(field);
    overlay_ctx o = {mn_field_cdata(field), mask, xres, 0.0, 255.0};
    if (mn_field_get_kind(field) == MN_FIELD_HEIGHT) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < xres * yres; ++i) {
            lo = fmin(lo, o.z[i]);
            hi = fmax(hi, o.z[i]);
        }
        o.lo = lo;
        o.scale = hi > lo ? 255.0 / (hi - lo) : 0.0;
    }
    return write_png(path, xres, yres, 3, fill_overlay, &o, err);
}
