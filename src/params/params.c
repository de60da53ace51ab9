#include "mnsim/params.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/yaml.h"

static const mn_param_info param_table[] = {
#define MN__PARAM_INFO(name, value, unit, low, high, source)                                       \
    {#name, value, unit, low, high, source, offsetof(mn_params, name)},
    MN_PARAM_LIST(MN__PARAM_INFO)
#undef MN__PARAM_INFO
};

#define PARAM_COUNT (sizeof param_table / sizeof param_table[0])

void mn_params_default(mn_params *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < PARAM_COUNT; ++i)
        *(double *)((char *)p + param_table[i].offset) = param_table[i].default_value;
}

size_t mn_params_count(void)
{
    return PARAM_COUNT;
}

const mn_param_info *mn_params_info(size_t i)
{
    return i < PARAM_COUNT ? &param_table[i] : NULL;
}

const mn_param_info *mn_params_find(const char *name)
{
    for (size_t i = 0; name && i < PARAM_COUNT; ++i)
        if (strcmp(param_table[i].name, name) == 0)
            return &param_table[i];
    return NULL;
}

double *mn_params_ref(mn_params *p, const mn_param_info *info)
{
    return (p && info) ? (double *)((char *)p + info->offset) : NULL;
}

double mn_params_value(const mn_params *p, const mn_param_info *info)
{
    return (p && info) ? *(const double *)((const char *)p + info->offset) : NAN;
}

int mn_params_format(double v, char *buf, size_t size)
{
    if (!buf || size == 0)
        return MN_EINVAL;
    /* The fewest significant digits that strtod reads back as the same double: 17 always do
     * (DBL_DECIMAL_DIG), most table values need far fewer (0.0347, not 0.034700000000000002). */
    for (int digits = 1; digits <= 17; ++digits) {
        int n = snprintf(buf, size, "%.*g", digits, v);
        if (n < 0 || (size_t)n >= size)
            return MN_ERANGE;
        if (strtod(buf, NULL) == v)
            break;
    }
    /* %g writes 360000 with 2 digits as 3.6e+05; up to 16 integer digits read better in full,
     * when they still read back the same. */
    const char *e = strchr(buf, 'e');
    int exp10 = e ? atoi(e + 1) : -1;
    if (exp10 >= 0 && exp10 < 16) {
        char full[32];
        int n = snprintf(full, sizeof full, "%.*g", exp10 + 1, v);
        if (n > 0 && (size_t)n < size && strtod(full, NULL) == v)
            memcpy(buf, full, (size_t)n + 1);
    }
    return MN_OK; /* NaN never reads back equal: "nan" is as short as it gets */
}

size_t mn_params_out_of_range(const mn_params *p, const char **names, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; p && i < PARAM_COUNT; ++i) {
        double v = *(const double *)((const char *)p + param_table[i].offset);
        if (isfinite(v) && v >= param_table[i].low && v <= param_table[i].high)
            continue;
        if (names && n < max)
            names[n] = param_table[i].name;
        ++n;
    }
    return n;
}

int mn_params_write_yaml(const mn_params *p, FILE *out)
{
    if (!p || !out)
        return MN_EINVAL;
    fprintf(out, "# mnsim model parameters: `mnsim run --params FILE` reads this file back.\n"
                 "# name: value  # unit | literature range low to high | source\n");
    for (size_t i = 0; i < PARAM_COUNT; ++i) {
        const mn_param_info *info = &param_table[i];
        char v[32], lo[32], hi[32];
        if (mn_params_format(mn_params_value(p, info), v, sizeof v) ||
            mn_params_format(info->low, lo, sizeof lo) ||
            mn_params_format(info->high, hi, sizeof hi))
            return MN_ERANGE;
        fprintf(out, "%s: %s  # %s | %s to %s | %s\n", info->name, v, info->unit, lo, hi,
                info->source);
    }
    return ferror(out) ? MN_EIO : MN_OK;
}

/* Keys given twice are refused by the YAML reader; an empty file (no document) changes
 * nothing, as before. */
int mn_params_load_file(mn_params *p, const char *path, mn_error *err)
{
    if (!p || !path)
        return mn_error_set(err, MN_EINVAL, "mn_params_load_file: NULL argument");
    mn_yaml_doc *doc = NULL;
    int rc = mn_yaml_load_file(path, "parameter file", NULL, &doc, err);
    if (rc)
        return rc;
    const mn_yaml_node *root = mn_yaml_root(doc);
    mn_params work = *p;
    if (!mn_yaml_empty(doc))
        rc = mn_yaml_mapping(root, NULL, "a mapping name: value", err);
    for (size_t i = 0; !rc && !mn_yaml_empty(doc) && i < mn_yaml_count(root); ++i) {
        const mn_yaml_node *k = mn_yaml_key(root, i), *v = mn_yaml_value(root, i);
        const char *name = mn_yaml_scalar(k);
        const mn_param_info *info = name ? mn_params_find(name) : NULL;
        if (!name)
            rc = mn_yaml_fail(err, k, NULL, "keys must be parameter names");
        else if (!info)
            rc = mn_yaml_fail(err, k, name, "unknown parameter (`mnsim params` lists them)");
        else {
            /* Any value >= 0 is allowed (fits and sensitivity runs leave the literature
             * range); the range is shown as the hint a person needs. */
            char note[160];
            snprintf(note, sizeof note, "literature range %g to %g", info->low, info->high);
            const mn_yaml_range range = {
                .min = 0, .max = INFINITY, .unit = info->unit, .note = note};
            rc = mn_yaml_double(v, name, &range, mn_params_ref(&work, info), err);
        }
    }
    mn_yaml_free(&doc);
    if (rc == MN_OK)
        *p = work;
    return rc;
}
