/* A scenario sent as JSON: the same sections and fields as the YAML, each applied with the
 * setter of `--set key=value` (the JSON value is valid YAML flow syntax), so a bad value gets
 * the CLI's message naming its field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/serve_impl.h"

const char *mn__scenario_message(const char *message, const char *source, char *field,
                                 size_t field_size)
{
    const char *m = message;
    if (!strncmp(m, "--set ", 6)) {
        /* "--set KEY:L:C: field: what" or "--set KEY: what" */
        m += 6;
        while (*m && *m != ':' && *m != ' ' && *m != '=')
            ++m;
        while (*m == ':' && m[1] >= '0' && m[1] <= '9') {
            ++m;
            while (*m >= '0' && *m <= '9')
                ++m;
        }
        if (m[0] == ':' && m[1] == ' ')
            m += 2;
    } else if (source && source[0]) {
        size_t n = strlen(source);
        if (!strncmp(m, source, n) && m[n] == ':') {
            m += n + 1;
            while (*m == ':' || (*m >= '0' && *m <= '9'))
                ++m;
            while (*m == ' ')
                ++m;
        }
    }
    if (field && field_size) {
        const char *end = strstr(m, ": ");
        size_t n = end ? (size_t)(end - m) : 0;
        /* A field path is a word of letters, digits, '_', '.', '[' and ']'. */
        for (size_t i = 0; i < n; ++i)
            if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.[]",
                        m[i]))
                n = 0;
        if (n >= field_size)
            n = 0;
        memcpy(field, m, n);
        field[n] = '\0';
        char *bracket = strchr(field, '[');
        if (bracket)
            *bracket = '\0'; /* treatment.sessions[1].week -> treatment.sessions */
    }
    return m;
}

static int fail(mn_error *err, char *field, size_t field_size, const char *name, const char *fmt,
                const char *a, const char *b)
{
    snprintf(field, field_size, "%s", name ? name : "");
    char what[768];
    snprintf(what, sizeof what, fmt, a ? a : "", b ? b : "");
    if (name && name[0])
        return mn_error_set(err, MN_ESCENARIO, "%s: %s", name, what);
    return mn_error_set(err, MN_ESCENARIO, "%s", what);
}

static const json_t *schema_field(const json_t *schema, const char *path)
{
    size_t i;
    const json_t *f;
    json_array_foreach(json_object_get(schema, "fields"), i, f)
    {
        if (!strcmp(json_string_value(json_object_get(f, "path")), path))
            return f;
    }
    return NULL;
}

static void allowed_keys(const json_t *schema, const char *section, char *buf, size_t size)
{
    size_t used = 0, i;
    const json_t *f;
    buf[0] = '\0';
    json_array_foreach(json_object_get(schema, "fields"), i, f)
    {
        if (strcmp(json_string_value(json_object_get(f, "section")), section))
            continue;
        int w = snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
                         json_string_value(json_object_get(f, "key")));
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
}

int mn__scenario_from_json(const json_t *schema, const json_t *in, mn_scenario *sc,
                           char *field, size_t field_size, mn_error *err)
{
    field[0] = '\0';
    if (!json_is_object(in))
        return fail(err, field, field_size, NULL,
                    "expected a JSON object {\"mnsim\": 1, \"patient\": {...}, ...}", NULL, NULL);
    const json_t *sections = json_object_get(schema, "sections");
    const char *key;
    const json_t *v;
    /* Every key known first, so nothing is applied from a request that has a typo. */
    json_object_foreach((json_t *)in, key, v)
    {
        if (!strcmp(key, "mnsim")) {
            if (!json_is_integer(v) || json_integer_value(v) != MN_SCHEMA_VERSION)
                return fail(err, field, field_size, "mnsim",
                            "unsupported schema version (this mnsim reads `mnsim: 1`)", NULL,
                            NULL);
            continue;
        }
        int known = 0;
        size_t i;
        const json_t *s;
        json_array_foreach(sections, i, s) known |= !strcmp(json_string_value(s), key);
        if (!known)
            return fail(err, field, field_size, key,
                        "unknown section (allowed: mnsim, patient, device, treatment, aftercare, "
                        "simulate, output, cohort)",
                        NULL, NULL);
        if (!json_is_object(v))
            return fail(err, field, field_size, key, "expected an object of fields", NULL, NULL);
        const char *k;
        const json_t *x;
        json_object_foreach((json_t *)v, k, x)
        {
            char path[160];
            snprintf(path, sizeof path, "%s.%s", key, k);
            if (!schema_field(schema, path)) {
                char allowed[1024];
                allowed_keys(schema, key, allowed, sizeof allowed);
                return fail(err, field, field_size, path, "unknown key (allowed in %s: %s)", key,
                            allowed);
            }
        }
    }
    /* Then field by field in the table's order, through the `--set` setter. */
    size_t i;
    const json_t *f;
    json_array_foreach(json_object_get(schema, "fields"), i, f)
    {
        const char *section = json_string_value(json_object_get(f, "section"));
        const char *path = json_string_value(json_object_get(f, "path"));
        const json_t *value = json_object_get(json_object_get(in, section),
                                              json_string_value(json_object_get(f, "key")));
        if (!value)
            continue;
        if (json_is_null(value))
            return fail(err, field, field_size, path, "empty value", NULL, NULL);
        char *text = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
        size_t n = text ? strlen(path) + strlen(text) + 2 : 0;
        char *assignment = text ? malloc(n) : NULL;
        if (!assignment) {
            free(text);
            return mn_error_set(err, MN_ENOMEM, "out of memory reading the scenario");
        }
        snprintf(assignment, n, "%s=%s", path, text);
        free(text);
        int rc = mn_scenario_set(sc, assignment, err);
        free(assignment);
        if (rc) {
            if (err) {
                char named[160];
                const char *m = mn__scenario_message(err->message, sc->source, named,
                                                     sizeof named);
                snprintf(field, field_size, "%s", named[0] ? named : path);
                memmove(err->message, m, strlen(m) + 1);
            }
            return rc;
        }
    }
    return MN_OK;
}
