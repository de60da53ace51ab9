/* libFuzzer harness for the mnsim measure readers. Built once per format by fuzz/run.sh with
 * -DFUZZ_FORMAT=MN_MEASURE_FORMAT_{GSF,CSV,PNG,JPEG,GWY,SDF}; MN_MEASURE_FORMAT_AUTO fuzzes the
 * content sniffing too. Small fields also go through the whole measurement, small colour
 * photos through the tone. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "mnsim/measure.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT MN_MEASURE_FORMAT_AUTO
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mn_measure_read_opts o = {
        .format = FUZZ_FORMAT, .pixel_um = 10.0, .z_scale_um = 0.01, .max_pixels = (size_t)1 << 20};
    mn_field *f = NULL;
    mn_error err;
    if (mn_measure_read_memory(data, size, "fuzz", &o, &f, &err) == MN_OK) {
        if (mn_field_xres(f) * mn_field_yres(f) <= 4096) {
            mn_measure_settings s;
            mn_measure_settings_default(&s);
            mn_measure_result r;
            unsigned char *mask = NULL;
            mn_measure_field(f, "fuzz", &s, &r, &mask, &err);
            free(mask);
        }
        mn_field_free(&f);
    }
    mn_rgb_image *img = NULL; /* the colour reader, and the tone of small photos */
    if (mn_measure_read_rgb_memory(data, size, "fuzz", &o, &img, &err) == MN_OK) {
        if (img->xres * img->yres <= 4096) {
            mn_tone_result t;
            unsigned char *spots = NULL;
            mn_measure_tone(img, NULL, &t, &spots, &err);
            free(spots);
        }
        mn_measure_rgb_free(&img);
    }
    return 0;
}
