/* The whole measurement of one field: form, filters, parameters, wrinkles. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure/measure_impl.h"

int mn_measure_field(const mn_field *raw, const char *name, const mn_measure_settings *s,
                     mn_measure_result *out, unsigned char **mask_out, mn_error *err)
{
    if (mask_out)
        *mask_out = NULL;
    if (!raw || !s || !out)
        return mn_error_set(err, MN_EINVAL, "mn_measure_field: NULL argument");
    int rc = mn_measure_settings_check(s, err);
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    out->name = name ? name : "field";
    out->kind = mn_field_get_kind(raw);
    out->xres = mn_field_xres(raw);
    out->yres = mn_field_yres(raw);
    out->dx_um = 1e6 * mn_field_dx_m(raw);
    out->dy_um = 1e6 * mn_field_dy_m(raw);
    out->lambda_s_pixel_limited = s->filter && s->lambda_s_um < 2.0 * fmax(out->dx_um, out->dy_um);
    mn_field *form = NULL, *sl = NULL;
    rc = mn_field_copy(raw, &form, err);
    if (!rc)
        rc = mn_measure_remove_form(form, s->form, err);
    if (!rc && out->kind == MN_FIELD_HEIGHT) {
        rc = mn_measure_scale_limited(raw, s, &sl, err);
        if (!rc)
            rc = mn_measure_texture_with(sl, s->gradient, &out->texture, err);
        if (!rc)
            rc = mn_measure_profile(form, s, &out->profile, err);
        out->have_texture = !rc;
    }
    if (!rc && s->wrinkles) {
        rc = mn_measure_wrinkles(form, s, &out->wrinkles, mask_out, err);
        out->have_wrinkles = !rc;
    }
    mn_field_free(&sl);
    mn_field_free(&form);
    if (rc) {
        if (mask_out) {
            free(*mask_out);
            *mask_out = NULL;
        }
        char msg[MN_ERROR_MESSAGE_MAX];
        snprintf(msg, sizeof msg, "%s", err ? err->message : "");
        return mn_error_set(err, rc, "%s: %s", out->name, msg);
    }
    return MN_OK;
}
