/* Pictures of a run for the page: the renderer's skin look on the results' height map, as
 * PNG bytes in memory; previews from the evaluation grid (surface.h), full size on demand. */
#include <stdlib.h>

#include "mnsim/render.h"
#include "mnsim/surface.h"
#include "serve/serve_impl.h"

int mn__render_sample_png(const struct mn_results *r, const mn_scenario *sc, int sample,
                          int full, unsigned char **data, size_t *size, mn_error *err)
{
    const mn_surface *surf = mn_results_surface(r);
    if (!surf || mn_surface_record_count(surf) != mn_results_count(r))
        return mn_error_set(err, MN_EINVAL, "the run carries no height map");
    mn_skin_look look = {.skin_type = sc->patient.skin_type,
                         .photoaging = sc->patient.photoaging,
                         .erythema_da = sample < 0 ? mn_results_baseline(r, MN_OBS_ERYTHEMA)
                                                   : mn_results_value(r, MN_OBS_ERYTHEMA, sample),
                         .edema_rel = sample < 0 ? mn_results_baseline(r, MN_OBS_EDEMA_REL)
                                                 : mn_results_value(r, MN_OBS_EDEMA_REL, sample),
                         .seed = sc->simulate.seed};
    mn_field *map = NULL;
    int rc = full ? mn_surface_height_maps(surf, 1, &sample, &map, err)
                  : mn_surface_preview_maps(surf, 1, &sample, &map, err);
    mn_image *img = NULL;
    if (!rc)
        rc = mn_render_skin(map, &look, &img, err);
    if (!rc)
        rc = mn_image_encode_png(img, data, size, err);
    mn_image_free(&img);
    mn_field_free(&map);
    return rc;
}

int mn__run_day1_sample(const struct mn_results *r)
{
    int d1 = mn_surface_record_find(mn_results_surface(r), 1.0);
    return d1 < 0 ? 0 : d1;
}
