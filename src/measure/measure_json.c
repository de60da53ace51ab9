/* mn_measure_json: a height map in memory → the JSON report of `mnsim measure --json` (for
 * bindings). */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/measure.h"

int mn_measure_json(const double *z_m, size_t xres, size_t yres, double dx_m, double dy_m,
                    const char *name, char **json_out, mn_error *err)
{
    if (!z_m || !json_out)
        return mn_error_set(err, MN_EINVAL, "mn_measure_json: NULL argument");
    *json_out = NULL;
    if (!(dx_m > 0) || !(dy_m > 0))
        return mn_error_set(err, MN_ERANGE, "mn_measure_json: pixel size must be positive");
    mn_field *field = NULL;
    int rc = mn_field_create(&field, xres, yres, dx_m * (double)xres, dy_m * (double)yres,
                             MN_FIELD_HEIGHT, err);
    if (rc)
        return rc;
    memcpy(mn_field_data(field), z_m, xres * yres * sizeof *z_m);
    mn_measure_settings settings;
    mn_measure_settings_default(&settings);
    mn_measure_result result;
    rc = mn_measure_field(field, name ? name : "<array>", &settings, &result, NULL, err);
    char *text = NULL;
    size_t size = 0;
    FILE *out = rc ? NULL : open_memstream(&text, &size);
    if (!rc && !out)
        rc = mn_error_set(err, MN_ENOMEM, "out of memory for the measure report");
    if (!rc)
        rc = mn_measure_report_json(out, &settings, &result, NULL, err);
    if (out && fclose(out) && !rc)
        rc = mn_error_set(err, MN_ENOMEM, "out of memory for the measure report");
    mn_field_free(&field);
    if (rc)
        free(text);
    else
        *json_out = text;
    return rc;
}
