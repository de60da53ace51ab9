/* 8-bit RGB images: PNG output (libpng, atomic), rectangles, a 5x7 bitmap font, down-sampling. */
#define _POSIX_C_SOURCE 200809L
#include <png.h>
#include <stdio.h>
#include <setjmp.h>
#include <zlib.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/io.h"
#include "render/render_impl.h"

struct mn_image {
    size_t width, height;
    unsigned char *rgb;
};

int mn_image_create(mn_image **out, size_t width, size_t height, mn_error *err)
{
    if (!out)
        return mn_error_set(err, MN_EINVAL, "mn_image_create: NULL output");
    *out = NULL;
    if (width == 0 || height == 0 || width > MN_FIELD_MAX_RES || height > MN_FIELD_MAX_RES)
        return mn_error_set(err, MN_ERANGE, "image of %zu x %zu pixels out of range", width,
                            height);
    mn_image *img = calloc(1, sizeof *img);
    if (!img || !(img->rgb = calloc(width * height, 3))) {
        free(img);
        return mn_error_set(err, MN_ENOMEM, "out of memory for a %zu x %zu image", width, height);
    }
    img->width = width;
    img->height = height;
    *out = img;
    return MN_OK;
}

void mn_image_free(mn_image **img)
{
    if (!img || !*img)
        return;
    free((*img)->rgb);
    free(*img);
    *img = NULL;
}

size_t mn_image_width(const mn_image *img)
{
    return img ? img->width : 0;
}

size_t mn_image_height(const mn_image *img)
{
    return img ? img->height : 0;
}

unsigned char *mn_image_rgb(mn_image *img)
{
    return img ? img->rgb : NULL;
}

const unsigned char *mn_image_crgb(const mn_image *img)
{
    return img ? img->rgb : NULL;
}

/* libpng reports errors by longjmp; the message is kept for mn_error. */
typedef struct png_ctx {
    jmp_buf jmp;
    char message[256];
} png_ctx;

static void png_fail(png_structp png, png_const_charp msg)
{
    png_ctx *ctx = png_get_error_ptr(png);
    snprintf(ctx->message, sizeof ctx->message, "%s", msg);
    longjmp(ctx->jmp, 1);
}

static void png_warn(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

/* Encodes into an open stream; 0 or the libpng message in ctx. */
static int encode_png(const mn_image *img, FILE *stream, png_ctx *ctx)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, ctx, png_fail, png_warn);
    if (!png) {
        snprintf(ctx->message, sizeof ctx->message, "out of memory");
        return -1;
    }
    png_infop info = png_create_info_struct(png);
    if (!info || setjmp(ctx->jmp)) {
        if (!info)
            snprintf(ctx->message, sizeof ctx->message, "out of memory");
        png_destroy_write_struct(&png, info ? &info : NULL);
        return -1;
    }
    png_init_io(png, stream);
    /* The Paeth filter on every row and Huffman coding only (no LZ77 string matching): the
     * pictures are noisy photographs, where string matches are rare and short, so searching
     * for them is most of zlib's time and saves little. Measured on before.png (docs/
     * benchmarks.md, "Pictures"): 671 KB in 28 ms against 925 KB in 54 ms for the former
     * adaptive filters at zlib level 1 (which also chose Paeth nearly everywhere, after trying
     * all five filters on every row). No time stamp, so the bytes are reproducible. */
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_PAETH);
    png_set_compression_level(png, 1);
    png_set_compression_strategy(png, Z_HUFFMAN_ONLY);
    png_set_IHDR(png, info, (png_uint_32)img->width, (png_uint_32)img->height, 8,
                 PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_set_sRGB(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
    png_write_info(png, info);
    for (size_t y = 0; y < img->height; ++y)
        png_write_row(png, img->rgb + y * img->width * 3);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return 0;
}

int mn_image_write_png(const mn_image *img, const char *path, mn_error *err)
{
    if (!img || !path)
        return mn_error_set(err, MN_EINVAL, "mn_image_write_png: NULL argument");
    mn_atomic_file *f = NULL;
    int rc = mn_atomic_open(path, &f, err);
    if (rc)
        return rc;
    png_ctx ctx = {.message = ""};
    if (encode_png(img, mn_atomic_stream(f), &ctx)) {
        mn_atomic_abort(&f);
        return mn_error_set(err, MN_EIO, "%s: PNG encoding failed: %s", path, ctx.message);
    }
    return mn_atomic_commit(&f, err);
}

int mn_image_encode_png(const mn_image *img, unsigned char **data, size_t *size, mn_error *err)
{
    if (!img || !data || !size)
        return mn_error_set(err, MN_EINVAL, "mn_image_encode_png: NULL argument");
    *data = NULL;
    *size = 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *stream = open_memstream(&buf, &len);
    if (!stream)
        return mn_error_set(err, MN_ENOMEM, "out of memory encoding a PNG");
    png_ctx ctx = {.message = ""};
    int bad = encode_png(img, stream, &ctx);
    if (fclose(stream) || bad) {
        free(buf);
        return mn_error_set(err, bad ? MN_EIO : MN_ENOMEM, "PNG encoding failed: %s",
                            bad ? ctx.message : "out of memory");
    }
    *data = (unsigned char *)buf;
    *size = len;
    return MN_OK;
}

void mn__image_fill(mn_image *img, long x, long y, long w, long h, const unsigned char rgb[3])
{
    long x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
    long x1 = x + w > (long)img->width ? (long)img->width : x + w;
    long y1 = y + h > (long)img->height ? (long)img->height : y + h;
    for (long j = y0; j < y1; ++j)
        for (long i = x0; i < x1; ++i)
            memcpy(img->rgb + ((size_t)j * img->width + (size_t)i) * 3, rgb, 3);
}

/* 5x7 glyphs, one row a byte (bit 4 = left column), after the classic HD44780 character ROM. */
typedef struct glyph {
    char c;
    unsigned char rows[7];
} glyph;

static const glyph font[] = {
    {'A', {14, 17, 17, 31, 17, 17, 17}}, {'B', {30, 17, 17, 30, 17, 17, 30}},
    {'C', {14, 17, 16, 16, 16, 17, 14}}, {'D', {28, 18, 17, 17, 17, 18, 28}},
    {'E', {31, 16, 16, 30, 16, 16, 31}}, {'F', {31, 16, 16, 30, 16, 16, 16}},
    {'G', {14, 17, 16, 23, 17, 17, 15}}, {'H', {17, 17, 17, 31, 17, 17, 17}},
    {'I', {14, 4, 4, 4, 4, 4, 14}},      {'J', {7, 2, 2, 2, 2, 18, 12}},
    {'K', {17, 18, 20, 24, 20, 18, 17}}, {'L', {16, 16, 16, 16, 16, 16, 31}},
    {'M', {17, 27, 21, 21, 17, 17, 17}}, {'N', {17, 17, 25, 21, 19, 17, 17}},
    {'O', {14, 17, 17, 17, 17, 17, 14}}, {'P', {30, 17, 17, 30, 16, 16, 16}},
    {'Q', {14, 17, 17, 17, 21, 18, 13}}, {'R', {30, 17, 17, 30, 20, 18, 17}},
    {'S', {15, 16, 16, 14, 1, 1, 30}},   {'T', {31, 4, 4, 4, 4, 4, 4}},
    {'U', {17, 17, 17, 17, 17, 17, 14}}, {'V', {17, 17, 17, 17, 17, 10, 4}},
    {'W', {17, 17, 17, 21, 21, 21, 10}}, {'X', {17, 17, 10, 4, 10, 17, 17}},
    {'Y', {17, 17, 17, 10, 4, 4, 4}},    {'Z', {31, 1, 2, 4, 8, 16, 31}},
    {'0', {14, 17, 19, 21, 25, 17, 14}}, {'1', {4, 12, 4, 4, 4, 4, 14}},
    {'2', {14, 17, 1, 2, 4, 8, 31}},     {'3', {31, 2, 4, 2, 1, 17, 14}},
    {'4', {2, 6, 10, 18, 31, 2, 2}},     {'5', {31, 16, 30, 1, 1, 17, 14}},
    {'6', {6, 8, 16, 30, 17, 17, 14}},   {'7', {31, 1, 2, 4, 8, 8, 8}},
    {'8', {14, 17, 17, 14, 17, 17, 14}}, {'9', {14, 17, 17, 15, 1, 2, 12}},
    {'.', {0, 0, 0, 0, 0, 12, 12}},      {',', {0, 0, 0, 0, 12, 4, 8}},
    {'-', {0, 0, 0, 31, 0, 0, 0}},       {'(', {2, 4, 8, 8, 8, 4, 2}},
    {')', {8, 4, 2, 2, 2, 4, 8}},        {':', {0, 12, 12, 0, 12, 12, 0}},
    {'/', {0, 1, 2, 4, 8, 16, 0}},       {'+', {0, 4, 4, 31, 4, 4, 0}},
    {'%', {24, 25, 2, 4, 8, 19, 3}},     {'=', {0, 0, 31, 0, 31, 0, 0}},
};

static const unsigned char *glyph_rows(char c)
{
    if (c >= 'a' && c <= 'z')
        c = (char)(c - 'a' + 'A');
    for (size_t i = 0; i < sizeof font / sizeof font[0]; ++i)
        if (font[i].c == c)
            return font[i].rows;
    return NULL;
}

long mn__text_width(const char *text, int scale)
{
    size_t n = strlen(text);
    return n ? (long)(6 * n - 1) * scale : 0;
}

long mn__image_text(mn_image *img, long x, long y, int scale, const char *text,
                    const unsigned char rgb[3])
{
    long pen = x;
    for (const char *c = text; *c; ++c, pen += 6 * scale) {
        const unsigned char *rows = glyph_rows(*c);
        if (!rows)
            continue;
        for (int r = 0; r < 7; ++r)
            for (int col = 0; col < 5; ++col)
                if (rows[r] & (16 >> col))
                    mn__image_fill(img, pen + col * scale, y + r * scale, scale, scale, rgb);
    }
    return mn__text_width(text, scale);
}

void mn__image_blit_down(mn_image *dst, long x, long y, const mn_image *src, int factor)
{
    size_t w = src->width / (size_t)factor, h = src->height / (size_t)factor;
    const unsigned n = (unsigned)(factor * factor);
    for (size_t j = 0; j < h; ++j) {
        long dy = y + (long)j;
        if (dy < 0 || dy >= (long)dst->height)
            continue;
        for (size_t i = 0; i < w; ++i) {
            long dx = x + (long)i;
            if (dx < 0 || dx >= (long)dst->width)
                continue;
            unsigned sum[3] = {0, 0, 0};
            for (int b = 0; b < factor; ++b)
                for (int a = 0; a < factor; ++a) {
                    const unsigned char *p =
                        src->rgb + ((j * (size_t)factor + (size_t)b) * src->width +
                                    i * (size_t)factor + (size_t)a) *
                                       3;
                    sum[0] += p[0], sum[1] += p[1], sum[2] += p[2];
                }
            unsigned char *q = dst->rgb + ((size_t)dy * dst->width + (size_t)dx) * 3;
            for (int c = 0; c < 3; ++c)
                q[c] = (unsigned char)((sum[c] + n / 2) / n);
        }
    }
}
