/* The run's pictures and height maps: before.png, day1.png, after.png, before_after.png,
 * before.gsf, after.gsf (render.h). */
#include <math.h>
#include <stdio.h>

#include "mnsim/io.h"
#include "mnsim/jobs.h"
#include "mnsim/surface.h"
#include "render/render_impl.h"

/* Layout of before_after.png: three panels, each the map down-sampled 2 x 2 (so a 20 mm map
 * at 20 µm becomes 500 px at 40 µm a pixel), labels above, a scale bar in each panel. */
#define PANEL_DOWN 2
#define MARGIN 16
#define LABEL_H 40
#define FOOTER_H 30
#define SCALE_BAR_MM 5.0

typedef struct shot {
    const char *file; /* PNG name */
    char label[64];
    int sample; /* surface sample, -1 = baseline */
    double erythema, edema_rel;
    mn_image *img;
} shot;

static int render_shot(const mn_scenario *sc, shot *s, const mn_field *map, mn__skin_work *work,
                       mn_error *err)
{
    mn_skin_look look = {.skin_type = sc->patient.skin_type,
                         .photoaging = sc->patient.photoaging,
                         .erythema_da = s->erythema,
                         .edema_rel = s->edema_rel,
                         .seed = sc->simulate.seed};
    return mn__render_skin_with(map, &look, work, &s->img, err);
}

static void scale_bar(mn_image *img, long x, long y, double px_um)
{
    static const unsigned char white[3] = {250, 250, 250}, black[3] = {20, 20, 20};
    long len = lround(SCALE_BAR_MM * 1000.0 / px_um);
    mn__image_fill(img, x - 2, y - 2, len + 4, 10, black);
    mn__image_fill(img, x, y, len, 6, white);
    char text[32];
    snprintf(text, sizeof text, "%g MM", SCALE_BAR_MM);
    long tw = mn__text_width(text, 2);
    mn__image_fill(img, x + (len - tw) / 2 - 3, y - 24, tw + 6, 20, black);
    mn__image_text(img, x + (len - tw) / 2, y - 21, 2, text, white);
}

/* Rows of n panels each (the second, when given, is the likely range of "after"), labels above
 * every panel, one note below. */
static int compose(const shot *shots, int n, const shot *range, double px_um, mn_image **out,
                   mn_error *err)
{
    static const unsigned char bg[3] = {38, 38, 40}, fg[3] = {235, 235, 235};
    const long pw = (long)(mn_image_width(shots[0].img) / PANEL_DOWN);
    const long ph = (long)(mn_image_height(shots[0].img) / PANEL_DOWN);
    const int rows = range ? 2 : 1;
    const long row_h = LABEL_H + ph + MARGIN;
    const long width = n * pw + (n + 1) * MARGIN, height = rows * row_h + FOOTER_H;
    mn_image *img = NULL;
    int rc = mn_image_create(&img, (size_t)width, (size_t)height, err);
    if (rc)
        return rc;
    mn__image_fill(img, 0, 0, width, height, bg);
    for (int row = 0; row < rows; ++row) {
        const shot *set = row ? range : shots;
        for (int i = 0; i < n; ++i) {
            long x = MARGIN + i * (pw + MARGIN), y = row * row_h;
            mn__image_blit_down(img, x, y + LABEL_H, set[i].img, PANEL_DOWN);
            long tw = mn__text_width(set[i].label, 3);
            mn__image_text(img, x + (pw - tw) / 2, y + 10, 3, set[i].label, fg);
            scale_bar(img, x + 16, y + LABEL_H + ph - 22, px_um * PANEL_DOWN);
        }
    }
    const char *note = range ? "MNSIM RESEARCH SIMULATION - NOT A MEDICAL PREDICTION. SAME LIGHT "
                               "AND SCALE. LOWER ROW: LIKELY RANGE OF AFTER."
                             : "MNSIM RESEARCH SIMULATION - NOT A MEDICAL PREDICTION. SAME LIGHT "
                               "AND SCALE.";
    mn__image_text(img, MARGIN, rows * row_h - MARGIN + 10, 2, note, fg);
    *out = img;
    return MN_OK;
}

/* The files, written in parallel (PNG encoding and GSF formatting are each one thread's work;
 * the libpng and zlib streams are independent). */
typedef struct out_file {
    const char *dir, *name;
    const mn_image *img; /* PNG, or */
    const mn_field *map; /* GSF, or */
    const shot *shots;   /* the three shots, composed into before_after.png first */
    const shot *range;   /* and the likely range of "after" below them (or NULL) */
    int row_only;        /* 1: the range row alone (likely_range.png) */
    double px_um;        /* their pixel size */
} out_file;

static int write_file(void *user, long i, mn_error *err)
{
    const out_file *f = (const out_file *)user + i;
    char path[MN_PATH_MAX + 32];
    int rc = mn_path_join(path, sizeof path, f->dir, f->name, err);
    if (rc)
        return rc;
    if (f->shots) {
        mn_image *both = NULL;
        rc = f->row_only ? compose(f->range, 3, NULL, f->px_um, &both, err)
                         : compose(f->shots, 3, f->range, f->px_um, &both, err);
        if (!rc)
            rc = mn_image_write_png(both, path, err);
        mn_image_free(&both);
        return rc;
    }
    return f->img ? mn_image_write_png(f->img, path, err) : mn_field_write_gsf(f->map, path, err);
}

int mn_render_write_images(const mn_results *r, const mn_scenario *sc, const char *dir,
                           mn_error *err)
{
    if (!r || !sc || !dir)
        return mn_error_set(err, MN_EINVAL, "mn_render_write_images: NULL argument");
    const mn_surface *surf = mn_results_surface(r);
    const int count = mn_surface_record_count(surf);
    if (!surf || count < 1 || count != mn_results_count(r))
        return mn_error_set(err, MN_EINVAL,
                            "mn_render_write_images: the results carry no surface samples");
    const int last = count - 1;
    const int d1 = mn_surface_record_find(surf, 1.0);
    shot shots[3] = {
        {.file = "before.png",
         .sample = -1,
         .erythema = mn_results_baseline(r, MN_OBS_ERYTHEMA),
         .edema_rel = mn_results_baseline(r, MN_OBS_EDEMA_REL)},
        {.file = "day1.png",
         .sample = d1,
         .erythema = mn_results_value(r, MN_OBS_ERYTHEMA, d1),
         .edema_rel = mn_results_value(r, MN_OBS_EDEMA_REL, d1)},
        {.file = "after.png",
         .sample = last,
         .erythema = mn_results_value(r, MN_OBS_ERYTHEMA, last),
         .edema_rel = mn_results_value(r, MN_OBS_EDEMA_REL, last)},
    };
    snprintf(shots[0].label, sizeof shots[0].label, "BEFORE - DAY 0");
    snprintf(shots[1].label, sizeof shots[1].label, "DAY %.0f", mn_results_day(r, d1));
    /* Day 1 shows the first day's strongest redness at the time it peaked (hours after the
     * session, between the daily samples), with the relief of the day-1 sample. */
    double ery1, ede1, day1;
    if (mn_results_day1(r, &ery1, &ede1, &day1)) {
        shots[1].erythema = ery1;
        shots[1].edema_rel = ede1;
        snprintf(shots[1].label, sizeof shots[1].label, "DAY 1 - PEAK REDNESS %.0f H",
                 24.0 * (day1 - mn_results_session_day(r, 0)));
    }
    snprintf(shots[2].label, sizeof shots[2].label, "AFTER - DAY %.0f", mn_results_day(r, last));
    mn_field *maps[3] = {NULL, NULL, NULL};
    const int samples[3] = {-1, d1, last};
    int rc = mn_surface_height_maps(surf, 3, samples, maps, err);
    /* One scratch memory for the three pictures (allocated and page-faulted once). */
    mn__skin_work *work = NULL;
    if (!rc)
        rc = mn__skin_work_create(mn_field_xres(maps[0]), mn_field_yres(maps[0]), &work, err);
    for (int i = 0; !rc && i < 3; ++i)
        rc = render_shot(sc, &shots[i], maps[i], work, err);
    /* The likely range of "after": the final day of the posterior draws at the final grade's
     * 5th, 50th and 95th percentile (mn_simulate_band), same light and scale. */
    shot range[MN_BAND_RUNS] = {{0}};
    int have_range = mn_results_band_run(r, 0, NULL) != NULL;
    for (int k = 0; !rc && have_range && k < MN_BAND_RUNS; ++k) {
        double pct;
        const mn_results *b = mn_results_band_run(r, k, &pct);
        const mn_surface *bs = b ? mn_results_surface(b) : NULL;
        const int bl = mn_surface_record_count(bs) - 1;
        if (!bs || bl < 0) {
            rc = mn_error_set(err, MN_EINVAL, "mn_render_write_images: band run %d has no surface",
                              k);
            break;
        }
        range[k].erythema = mn_results_value(b, MN_OBS_ERYTHEMA, bl);
        range[k].edema_rel = mn_results_value(b, MN_OBS_EDEMA_REL, bl);
        snprintf(range[k].label, sizeof range[k].label, "%s - GRADE %.2f",
                 k == 1   ? "MEDIAN"
                 : k == 0 ? "5TH PCT"
                          : "95TH PCT",
                 mn_results_value(b, MN_OBS_WRINKLE_GRADE, bl));
        mn_field *m = NULL;
        const int sample = bl;
        rc = mn_surface_height_maps(bs, 1, &sample, &m, err);
        if (!rc)
            rc = render_shot(sc, &range[k], m, work, err);
        mn_field_free(&m);
    }
    mn__skin_work_free(&work);
    if (!rc) {
        /* The composite first: it is the longest job (drawing, then the largest PNG). */
        const double px = mn_surface_pixel_um(surf);
        out_file files[] = {
            {dir, "before_after.png", .shots = shots, .range = have_range ? range : NULL,
             .px_um = px},
            {dir, "before.png", .img = shots[0].img},
            {dir, "day1.png", .img = shots[1].img},
            {dir, "after.png", .img = shots[2].img},
            {dir, "before.gsf", .map = maps[0]},
            {dir, "after.gsf", .map = maps[2]},
            {dir, "likely_range.png", .shots = shots, .range = range, .row_only = 1, .px_um = px},
        };
        const long nfiles = (long)(sizeof files / sizeof files[0]) - (have_range ? 0 : 1);
        rc = mn_jobs_run(nfiles, 0, 1, write_file, files, err);
    }
    for (int i = 0; i < 3; ++i) {
        mn_field_free(&maps[i]);
        mn_image_free(&shots[i].img);
        mn_image_free(&range[i].img);
    }
    return rc;
}
