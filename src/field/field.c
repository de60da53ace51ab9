#include "mnsim/field.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct mn_field {
    size_t xres, yres;
    double xreal_m, yreal_m;
    mn_field_kind kind;
    double *data;
};

int mn_field_check_size(size_t xres, size_t yres, size_t max_pixels, const char *name,
                         mn_error *err)
{
    if (!max_pixels || max_pixels > MN_FIELD_MAX_PIXELS)
        max_pixels = MN_FIELD_MAX_PIXELS;
    if (!name)
        name = "field";
    if (xres == 0 || yres == 0)
        return mn_error_set(err, MN_ERANGE, "%s: empty field (%zu x %zu pixels)", name, xres, yres);
    if (xres > MN_FIELD_MAX_RES || yres > MN_FIELD_MAX_RES)
        return mn_error_set(err, MN_ERANGE,
                            "%s: %zu x %zu pixels is too large (at most %u per axis)", name, xres,
                            yres, MN_FIELD_MAX_RES);
    if (xres > max_pixels / yres)
        return mn_error_set(err, MN_ERANGE,
                            "%s: %zu x %zu pixels is too large (at most %zu pixels)", name, xres,
                            yres, max_pixels);
    return MN_OK;
}

int mn_field_create(mn_field **out, size_t xres, size_t yres, double xreal_m, double yreal_m,
                    mn_field_kind kind, mn_error *err)
{
    if (!out)
        return mn_error_set(err, MN_EINVAL, "mn_field_create: NULL argument");
    *out = NULL;
    int rc = mn_field_check_size(xres, yres, 0, "mn_field_create", err);
    if (rc)
        return rc;
    if (!(isfinite(xreal_m) && xreal_m > 0 && isfinite(yreal_m) && yreal_m > 0))
        return mn_error_set(err, MN_ERANGE,
                            "mn_field_create: physical size %g x %g m must be finite and positive",
                            xreal_m, yreal_m);
    if (kind != MN_FIELD_HEIGHT && kind != MN_FIELD_INTENSITY)
        return mn_error_set(err, MN_EINVAL, "mn_field_create: unknown kind %d", (int)kind);
    mn_field *f = calloc(1, sizeof *f);
    if (!f || !(f->data = calloc(xres * yres, sizeof *f->data))) {
        free(f);
        return mn_error_set(err, MN_ENOMEM, "mn_field_create: out of memory (%zu x %zu)", xres,
                            yres);
    }
    f->xres = xres;
    f->yres = yres;
    f->xreal_m = xreal_m;
    f->yreal_m = yreal_m;
    f->kind = kind;
    *out = f;
    return MN_OK;
}

int mn_field_copy(const mn_field *src, mn_field **out, mn_error *err)
{
    if (!src || !out)
        return mn_error_set(err, MN_EINVAL, "mn_field_copy: NULL argument");
    int rc = mn_field_create(out, src->xres, src->yres, src->xreal_m, src->yreal_m, src->kind, err);
    if (rc)
        return rc;
    memcpy((*out)->data, src->data, src->xres * src->yres * sizeof *src->data);
    return MN_OK;
}

void mn_field_free(mn_field **field)
{
    if (field && *field) {
        free((*field)->data);
        free(*field);
        *field = NULL;
    }
}

size_t mn_field_xres(const mn_field *field)
{
    return field ? field->xres : 0;
}

size_t mn_field_yres(const mn_field *field)
{
    return field ? field->yres : 0;
}

double mn_field_xreal_m(const mn_field *field)
{
    return field ? field->xreal_m : 0.0;
}

double mn_field_yreal_m(const mn_field *field)
{
    return field ? field->yreal_m : 0.0;
}

double mn_field_dx_m(const mn_field *field)
{
    return field ? field->xreal_m / (double)field->xres : 0.0;
}

double mn_field_dy_m(const mn_field *field)
{
    return field ? field->yreal_m / (double)field->yres : 0.0;
}

mn_field_kind mn_field_get_kind(const mn_field *field)
{
    return field ? field->kind : MN_FIELD_HEIGHT;
}

void mn_field_set_kind(mn_field *field, mn_field_kind kind)
{
    if (field && (kind == MN_FIELD_HEIGHT || kind == MN_FIELD_INTENSITY))
        field->kind = kind;
}

double *mn_field_data(mn_field *field)
{
    return field ? field->data : NULL;
}

const double *mn_field_cdata(const mn_field *field)
{
    return field ? field->data : NULL;
}

double mn_field_get(const mn_field *field, size_t col, size_t row)
{
    if (!field)
        return 0.0;
    if (col >= field->xres)
        col = field->xres - 1;
    if (row >= field->yres)
        row = field->yres - 1;
    return field->data[row * field->xres + col];
}
