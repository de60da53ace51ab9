/* The default run's pictures look as they did: before.png, day1.png, after.png and
 * before_after.png of the built-in default scenario, decoded, against reference images made by
 * the renderer before its speed work (tests/data/render_ref/). Two small views of each picture
 * are stored (the full pictures are ~3.5 MB): the 8 x 8 block means (what the eye sees from a
 * distance: shading, colour, wrinkles) and every 8th pixel of every 8th row, unaveraged (the
 * per-pixel detail of the microrelief and the blurs). Both must agree within 2 levels in every
 * channel at every pixel and within 0.5 levels on average per channel: a faster filter or PNG
 * encoder may round differently, a changed picture fails.
 *
 * To remake the references (only when the pictures are meant to change, and say why in the
 * commit): MNSIM_RENDER_REF_WRITE=1 build/test_render_reference. */
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/render.h"
#include "mnsim/simulate.h"
#include "testutil.h"

#define REF_DIR MNSIM_SOURCE_DIR "/tests/data/render_ref"
#define VIEW_STEP 8
#define MAX_DIFF 2
#define MEAN_DIFF 0.5

typedef struct rgb_image {
    unsigned w, h;
    unsigned char *px; /* w * h * 3 */
} rgb_image;

static int read_rgb(const char *path, rgb_image *out)
{
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&im, path))
        return -1;
    im.format = PNG_FORMAT_RGB;
    out->w = im.width, out->h = im.height;
    out->px = malloc(PNG_IMAGE_SIZE(im));
    if (!out->px || !png_image_finish_read(&im, NULL, out->px, 0, NULL)) {
        png_image_free(&im);
        free(out->px);
        out->px = NULL;
        return -1;
    }
    return 0;
}

static int write_rgb(const char *path, const rgb_image *img)
{
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    im.width = img->w, im.height = img->h;
    im.format = PNG_FORMAT_RGB;
    return png_image_write_to_file(&im, path, 0, img->px, 0, NULL) ? 0 : -1;
}

/* The two views: block means (mean = 1) or the top-left pixel of each block (mean = 0). */
static rgb_image view(const rgb_image *src, int mean)
{
    rgb_image v = {src->w / VIEW_STEP, src->h / VIEW_STEP, NULL};
    v.px = malloc((size_t)v.w * v.h * 3);
    assert_non_null(v.px);
    for (unsigned J = 0; J < v.h; ++J)
        for (unsigned I = 0; I < v.w; ++I)
            for (int c = 0; c < 3; ++c) {
                unsigned sum = 0;
                for (unsigned b = 0; b < (mean ? VIEW_STEP : 1u); ++b)
                    for (unsigned a = 0; a < (mean ? VIEW_STEP : 1u); ++a)
                        sum +=
                            src->px[((size_t)(J * VIEW_STEP + b) * src->w + I * VIEW_STEP + a) * 3 +
                                    (size_t)c];
                unsigned n = mean ? VIEW_STEP * VIEW_STEP : 1;
                v.px[((size_t)J * v.w + I) * 3 + (size_t)c] = (unsigned char)((sum + n / 2) / n);
            }
    return v;
}

static void compare(const char *name, const char *kind, const rgb_image *got)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.%s.png", REF_DIR, name, kind);
    if (getenv("MNSIM_RENDER_REF_WRITE")) {
        assert_int_equal_msg(write_rgb(path, got), 0, path);
        printf("wrote %s\n", path);
        return;
    }
    rgb_image ref = {0, 0, NULL};
    assert_int_equal_msg(read_rgb(path, &ref), 0, path);
    assert_true_msg(ref.w == got->w && ref.h == got->h, "%s: %ux%u, reference %ux%u", path, got->w,
                    got->h, ref.w, ref.h);
    const size_t n = (size_t)ref.w * ref.h;
    for (int c = 0; c < 3; ++c) {
        int max = 0;
        double sum = 0;
        for (size_t k = 0; k < n; ++k) {
            int d = abs((int)got->px[k * 3 + (size_t)c] - (int)ref.px[k * 3 + (size_t)c]);
            max = d > max ? d : max;
            sum += d;
        }
        printf("%s %s channel %d: max |diff| %d, mean %.4f\n", name, kind, c, max, sum / (double)n);
        assert_true_msg(max <= MAX_DIFF && sum / (double)n <= MEAN_DIFF,
                        "%s (%s view) channel %d: max |diff| %d (allowed %d), mean %.3f "
                        "(allowed %.1f)",
                        name, kind, c, max, MAX_DIFF, sum / (double)n, MEAN_DIFF);
    }
    free(ref.px);
}

static void test_default_pictures(void **state)
{
    (void)state;
    mn_scenario sc;
    mn_scenario_default(&sc);
    mn_params p;
    mn_params_default(&p);
    mn_results *r = NULL;
    mn_error err;
    mn_sim_settings opt = {.time_step_scale = 1.0};
    assert_int_equal_msg(mn_simulate(&sc, &p, &opt, &r, &err), MN_OK, err.message);
    char dir[512];
    mn_test_tmpdir(dir, sizeof dir);
    assert_int_equal_msg(mn_render_write_images(r, &sc, dir, &err), MN_OK, err.message);
    static const char *const names[] = {"before", "day1", "after", "before_after"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.png", dir, names[i]);
        rgb_image img = {0, 0, NULL};
        assert_int_equal_msg(read_rgb(path, &img), 0, path);
        for (int mean = 1; mean >= 0; --mean) {
            rgb_image v = view(&img, mean);
            compare(names[i], mean ? "mean8" : "pick8", &v);
            free(v.px);
        }
        free(img.px);
    }
    mn_test_rmtree(dir);
    mn_results_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_pictures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
