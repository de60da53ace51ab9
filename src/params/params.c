#include "mnsim/params.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

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
    fprintf(out, "# mnsim model parameters (run --params FILE)\n");
    for (size_t i = 0; i < PARAM_COUNT; ++i) {
        double v = *(const double *)((const char *)p + param_table[i].offset);
        fprintf(out, "%s: %.17g  # %s\n", param_table[i].name, v, param_table[i].unit);
    }
    return ferror(out) ? MN_EIO : MN_OK;
}

int mn_params_load_file(mn_params *p, const char *path, mn_error *err)
{
    if (!p || !path)
        return mn_error_set(err, MN_EINVAL, "mn_params_load_file: NULL argument");
    FILE *f = fopen(path, "rb");
    if (!f)
        return mn_error_set(err, MN_EIO, "%s: cannot open parameter file: %s", path,
                            strerror(errno));
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) {
        fclose(f);
        return mn_error_set(err, MN_ENOMEM, "%s: cannot initialise the YAML parser", path);
    }
    yaml_parser_set_input_file(&parser, f);
    if (!yaml_parser_load(&parser, &doc)) {
        int rc = mn_error_set(err, MN_ESCENARIO, "%s:%lu:%lu: broken YAML: %s", path,
                              (unsigned long)parser.problem_mark.line + 1,
                              (unsigned long)parser.problem_mark.column + 1,
                              parser.problem ? parser.problem : "syntax error");
        yaml_parser_delete(&parser);
        fclose(f);
        return rc;
    }
    mn_params work = *p;
    int rc = MN_OK;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root && root->type != YAML_MAPPING_NODE) {
        rc = mn_error_set(err, MN_ESCENARIO, "%s:%lu:%lu: expected a mapping name: value", path,
                          (unsigned long)root->start_mark.line + 1,
                          (unsigned long)root->start_mark.column + 1);
    }
    for (yaml_node_pair_t *pr = root && rc == MN_OK ? root->data.mapping.pairs.start : NULL;
         pr && pr < root->data.mapping.pairs.top; ++pr) {
        yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(&doc, pr->value);
        unsigned long line = (unsigned long)v->start_mark.line + 1;
        unsigned long col = (unsigned long)v->start_mark.column + 1;
        if (k->type != YAML_SCALAR_NODE) {
            rc = mn_error_set(err, MN_ESCENARIO, "%s:%lu:%lu: keys must be parameter names", path,
                              (unsigned long)k->start_mark.line + 1,
                              (unsigned long)k->start_mark.column + 1);
            break;
        }
        const char *name = (const char *)k->data.scalar.value;
        const mn_param_info *info = mn_params_find(name);
        if (!info) {
            rc = mn_error_set(err, MN_ESCENARIO,
                              "%s:%lu:%lu: %s: unknown parameter (`mnsim params` lists them)", path,
                              (unsigned long)k->start_mark.line + 1,
                              (unsigned long)k->start_mark.column + 1, name);
            break;
        }
        if (v->type != YAML_SCALAR_NODE) {
            rc = mn_error_set(err, MN_ESCENARIO, "%s:%lu:%lu: %s: expected a number", path, line,
                              col, name);
            break;
        }
        const char *s = (const char *)v->data.scalar.value;
        char *end = NULL;
        errno = 0;
        double x = strtod(s, &end);
        if (end == s || *end != '\0' || errno == ERANGE || !isfinite(x) ||
            strpbrk(s, "nNiIxX") != NULL || x < 0) {
            rc = mn_error_set(err, MN_ESCENARIO,
                              "%s:%lu:%lu: %s: '%s' is not a finite number >= 0 (literature "
                              "range %g to %g %s)",
                              path, line, col, name, s, info->low, info->high, info->unit);
            break;
        }
        *mn_params_ref(&work, info) = x;
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    fclose(f);
    if (rc == MN_OK)
        *p = work;
    return rc;
}
