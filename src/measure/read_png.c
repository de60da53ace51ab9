/* PNG reader (libpng): 16-bit grey height maps and 8/16-bit photos (luminance or colour), from
 * memory. */
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/field.h"
#include "measure/measure_impl.h"

typedef struct png_src {
    const unsigned char *data;
    size_t size, pos;
    char message[200];
} png_src;

static void png_read_mem(png_structp png, png_bytep out, size_t n)
{
    png_src *s = png_get_io_ptr(png);
    if (n > s->size - s->pos)
        png_error(png, "truncated file");
    memcpy(out, s->data + s->pos, n);
    s->pos += n;
}

static void png_fail(png_structp png, png_const_charp msg)
{
    png_src *s = png_get_error_ptr(png);
    snprintf(s->message, sizeof s->message, "%s", msg);
    png_longjmp(png, 1);
}

static void png_warn(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

int mn__measure_read_png(const unsigned char *data, size_t size, const char *name,
                         const mn_measure_read_opts *o, mn_field **out, mn_rgb_image **rgb_out,
                         mn_error *err)
{
    png_src src = {.data = data, .size = size};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, png_fail, png_warn);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return mn_error_set(err, MN_ENOMEM, "%s: out of memory", name);
    }
    mn_field *volatile field = NULL;
    mn_rgb_image *volatile image = NULL;
    unsigned char *volatile row = NULL;
    volatile int rc = MN_OK;
    if (setjmp(png_jmpbuf(png))) {
        if (!rc)
            rc = mn_error_set(err, MN_EFORMAT, "%s: malformed PNG: %s", name, src.message);
        goto done;
    }
    png_set_read_fn(png, &src, png_read_mem);
    png_set_user_limits(png, MN_FIELD_MAX_RES, MN_FIELD_MAX_RES);
    png_set_chunk_malloc_max(png, (png_alloc_size_t)8 << 20);
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    int depth = png_get_bit_depth(png, info), ctype = png_get_color_type(png, info);
    rc = mn_field_check_size(w, h, o->max_pixels, name, err);
    if (rc)
        goto done;
    /* Deflate expands at most 1032:1, so fewer bytes than that cannot hold the image. */
    double raw = (double)h * (1.0 + ((double)w * png_get_channels(png, info) * depth + 7) / 8);
    if ((double)size * 1032.0 < raw) {
        rc = mn_error_set(err, MN_EFORMAT, "%s: truncated: %zu bytes cannot hold %u x %u pixels",
                          name, size, (unsigned)w, (unsigned)h);
        goto done;
    }
    int grey = !(ctype & PNG_COLOR_MASK_COLOR);
    int photo =
        o->as == MN_MEASURE_AS_PHOTO || (o->as == MN_MEASURE_AS_AUTO && !(grey && depth == 16));
    if (rgb_out && !photo) {
        rc = mn_error_set(err, MN_EINVAL,
                          "%s: not a photo (a 16-bit grey PNG is a height map unless --photo)",
                          name);
        goto done;
    }
    if (!photo && !(o->z_scale_um > 0)) {
        rc = mn_error_set(err, MN_EINVAL,
                          "%s: a PNG height map needs its height per count (--z-scale-um)", name);
        goto done;
    }
    if (!(o->pixel_um > 0)) {
        rc = mn_error_set(err, MN_EINVAL, "%s: a PNG carries no pixel size; give it (--pixel-um)",
                          name);
        goto done;
    }
    if (ctype == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(png);
    if (grey && depth < 8)
        png_set_expand_gray_1_2_4_to_8(png);
    png_set_strip_alpha(png);
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    int ch = png_get_channels(png, info), bd = png_get_bit_depth(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    if ((ch != 1 && ch != 3) || (bd != 8 && bd != 16) || rowbytes < (size_t)w * ch * (bd / 8)) {
        rc = mn_error_set(err, MN_EFORMAT, "%s: unsupported PNG layout", name);
        goto done;
    }
    float *rgb;
    double *z;
    mn_field *f;
    mn_rgb_image *im;
    rc = mn__measure_alloc_photo(w, h, o, photo ? MN_FIELD_INTENSITY : MN_FIELD_HEIGHT,
                                 rgb_out != NULL, &f, &im, &z, &rgb, err);
    field = f;
    image = im;
    if (rc)
        goto done;
    /* Interlaced images fill every row over several passes: keep them all (bounded above). */
    size_t nbuf = passes > 1 ? (size_t)h : 1;
    row = malloc(nbuf * rowbytes);
    if (!row) {
        rc = mn_error_set(err, MN_ENOMEM, "%s: out of memory", name);
        goto done;
    }
    if (passes > 1)
        memset(row, 0, nbuf * rowbytes);
    double maxv = bd == 16 ? 65535.0 : 255.0;
    double scale = photo ? 1.0 / maxv : o->z_scale_um * 1e-6;
    for (int pass = 0; pass < passes; ++pass) {
        for (png_uint_32 y = 0; y < h; ++y) {
            unsigned char *r = row + (passes > 1 ? (size_t)y * rowbytes : 0);
            png_read_row(png, r, NULL);
            if (pass != passes - 1)
                continue;
            for (png_uint_32 x = 0; x < w; ++x) {
                double c[3];
                for (int k = 0; k < ch; ++k) {
                    size_t i = ((size_t)x * ch + k) * (bd / 8);
                    c[k] = bd == 16 ? (double)(r[i] << 8 | r[i + 1]) : (double)r[i];
                }
                size_t i = (size_t)y * w + x;
                if (rgb) { /* grey repeats its value in R', G' and B' */
                    for (int k = 0; k < 3; ++k)
                        rgb[3 * i + k] = (float)(c[ch == 1 ? 0 : k] * scale);
                    continue;
                }
                double v = ch == 1 ? c[0] : 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
                z[i] = v * scale;
            }
        }
    }
    png_read_end(png, NULL);
done:
    free(row);
    png_destroy_read_struct(&png, &info, NULL);
    if (rc) {
        mn_field *ff = field;
        mn_rgb_image *fi = image;
        mn_field_free(&ff);
        mn_measure_rgb_free(&fi);
        return rc;
    }
    if (rgb_out)
        *rgb_out = image;
    else
        *out = field;
    return MN_OK;
}
