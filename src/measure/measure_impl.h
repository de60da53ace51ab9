/* Internal helpers of the measure module. */
#ifndef MN_MEASURE_IMPL_H
#define MN_MEASURE_IMPL_H

#include <stddef.h>

#include "mnsim/measure.h"

#define MN__PI 3.14159265358979323846

int mn__measure_read_csv(const unsigned char *data, size_t size, const char *name,
                         const mn_measure_read_opts *o, mn_field **out, mn_error *err);
/* The PNG and JPEG decoders fill exactly one of *out (a field: heights or luminance) and
 * *rgb_out (a colour photo); the other pointer is NULL. */
int mn__measure_read_png(const unsigned char *data, size_t size, const char *name,
                         const mn_measure_read_opts *o, mn_field **out, mn_rgb_image **rgb_out,
                         mn_error *err);
int mn__measure_read_jpeg(const unsigned char *data, size_t size, const char *name,
                          const mn_measure_read_opts *o, mn_field **out, mn_rgb_image **rgb_out,
                          mn_error *err);

/* The decoders' output: a colour image (colour != 0) or a field of `kind`, both w x h with
 * o->pixel_um pixels; *z or *rgb point at the samples (the other NULL). */
int mn__measure_alloc_photo(size_t w, size_t h, const mn_measure_read_opts *o, mn_field_kind kind,
                            int colour, mn_field **field, mn_rgb_image **image, double **z,
                            float **rgb, mn_error *err);

/* Gaussian-derivative smoothing (order 0, 1, 2 along x and y) with standard deviation
 * sigma_px pixels, mirrored borders; in and out are xres * yres arrays (may not alias). */
int mn__gauss_deriv(const double *in, size_t xres, size_t yres, double sigma_px, int order_x,
                    int order_y, double *out);

/* Otsu's threshold of values in [0, 1] (256 bins). */
double mn__otsu(const double *v, size_t n);

/* Zhang-Suen thinning of a 0/1 image in place. */
void mn__thin(unsigned char *img, size_t xres, size_t yres);
/* Removes redundant staircase corners of a thinned image, leaving minimal 8-paths. */
void mn__prune_corners(unsigned char *img, size_t xres, size_t yres);

#endif
