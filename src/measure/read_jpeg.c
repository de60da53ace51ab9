/* JPEG photo reader (libjpeg): luminance or colour from memory; every libjpeg warning is an error,
 * so a truncated or corrupt file is reported instead of being padded with grey. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/field.h"
#include "measure/measure_impl.h"

#ifdef MNSIM_HAVE_JPEG
#include <jpeglib.h>

typedef struct jpeg_fail {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
} jpeg_fail;

static void jpeg_error_exit(j_common_ptr cinfo)
{
    jpeg_fail *f = (jpeg_fail *)cinfo->err;
    f->pub.format_message(cinfo, f->message);
    longjmp(f->jump, 1);
}

static void jpeg_emit(j_common_ptr cinfo, int level)
{
    if (level < 0) /* a warning: corrupt or truncated data */
        jpeg_error_exit(cinfo);
}

int mn__measure_read_jpeg(const unsigned char *data, size_t size, const char *name,
                          const mn_measure_read_opts *o, mn_field **out, mn_rgb_image **rgb_out,
                          mn_error *err)
{
    if (o->as == MN_MEASURE_AS_HEIGHT)
        return mn_error_set(err, MN_EINVAL, "%s: a JPEG is a photo, not a height map", name);
    if (!(o->pixel_um > 0))
        return mn_error_set(err, MN_EINVAL,
                            "%s: a JPEG carries no pixel size; give it (--pixel-um)", name);
    if (size > 0xffffffffu)
        return mn_error_set(err, MN_ERANGE, "%s: JPEG too large", name);
    struct jpeg_decompress_struct cinfo;
    jpeg_fail fail;
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&fail.pub);
    fail.pub.error_exit = jpeg_error_exit;
    fail.pub.emit_message = jpeg_emit;
    fail.message[0] = '\0';
    mn_field *volatile field = NULL;
    mn_rgb_image *volatile image = NULL;
    unsigned char *volatile row = NULL;
    volatile int rc = MN_OK;
    if (setjmp(fail.jump)) {
        if (!rc)
            rc = mn_error_set(err, MN_EFORMAT, "%s: malformed JPEG: %s", name, fail.message);
        goto done;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    rc = mn_field_check_size(cinfo.image_width, cinfo.image_height, o->max_pixels, name, err);
    if (rc)
        goto done;
    if (cinfo.jpeg_color_space != JCS_GRAYSCALE && cinfo.jpeg_color_space != JCS_YCbCr &&
        cinfo.jpeg_color_space != JCS_RGB) {
        rc = mn_error_set(err, MN_EFORMAT, "%s: CMYK/YCCK JPEG is not supported", name);
        goto done;
    }
    /* Grey output of a YCbCr JPEG is its Y channel: Rec. 601 luma, as for PNG photos; colour
     * output is libjpeg's R'G'B' (grey JPEGs give R' = G' = B'). */
    int nc = rgb_out ? 3 : 1;
    cinfo.out_color_space = rgb_out ? JCS_RGB : JCS_GRAYSCALE;
    jpeg_start_decompress(&cinfo);
    size_t w = cinfo.output_width, h = cinfo.output_height;
    if (cinfo.output_components != nc) {
        rc = mn_error_set(err, MN_EFORMAT, "%s: unexpected JPEG layout", name);
        goto done;
    }
    float *rgb;
    double *z;
    mn_field *f;
    mn_rgb_image *im;
    rc = mn__measure_alloc_photo(w, h, o, MN_FIELD_INTENSITY, rgb_out != NULL, &f, &im, &z, &rgb,
                                 err);
    field = f;
    image = im;
    if (rc)
        goto done;
    row = malloc(w * (size_t)nc);
    if (!row) {
        rc = mn_error_set(err, MN_ENOMEM, "%s: out of memory", name);
        goto done;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        size_t y = cinfo.output_scanline;
        JSAMPROW rows[1] = {row};
        if (jpeg_read_scanlines(&cinfo, rows, 1) != 1) {
            rc = mn_error_set(err, MN_EFORMAT, "%s: truncated JPEG", name);
            goto done;
        }
        if (rgb)
            for (size_t k = 0; k < 3 * w; ++k)
                rgb[3 * y * w + k] = (float)(row[k] / 255.0);
        else
            for (size_t x = 0; x < w; ++x)
                z[y * w + x] = row[x] / 255.0;
    }
    jpeg_finish_decompress(&cinfo);
done:
    jpeg_destroy_decompress(&cinfo);
    free(row);
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
#else
int mn__measure_read_jpeg(const unsigned char *data, size_t size, const char *name,
                          const mn_measure_read_opts *o, mn_field **out, mn_rgb_image **rgb_out,
                          mn_error *err)
{
    (void)data;
    (void)size;
    (void)o;
    (void)out;
    (void)rgb_out;
    return mn_error_set(err, MN_ENOTSUP, "%s: this build has no JPEG support (libjpeg)", name);
}
#endif
