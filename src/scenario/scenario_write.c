/* Writers of the resolved scenario: YAML (reads back), JSON (results.json) and the Markdown
 * field reference (docs/scenario.md), all driven by the field table. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/yaml.h"
#include "scenario/scenario_fields.h"

static const char *field_key(const mn__field *f)
{
    return strchr(f->path, '.') + 1;
}

static int in_section(const mn__field *f, const char *section)
{
    size_t n = strlen(section);
    return strncmp(f->path, section, n) == 0 && f->path[n] == '.';
}

/* Shortest "%g" text that reads back to exactly the same double. */
static void format_double(char *buf, size_t size, double v)
{
    for (int digits = 6; digits <= 17; ++digits) {
        snprintf(buf, size, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* Formats a scalar field's value as YAML/Markdown text. Lists are handled by the callers. */
static void format_scalar(const mn__field *f, const mn_scenario *sc, char *buf, size_t size)
{
    const char *base = (const char *)sc + f->offset;
    switch (f->type) {
    case MN__F_DOUBLE:
        format_double(buf, size, *(const double *)base);
        break;
    case MN__F_INT:
        snprintf(buf, size, "%d", *(const int *)base);
        break;
    case MN__F_BOOL:
        snprintf(buf, size, "%s", *(const bool *)base ? "true" : "false");
        break;
    case MN__F_ENUM:
        snprintf(buf, size, "%s", f->names[*(const int *)base]);
        break;
    case MN__F_SKIN:
        snprintf(buf, size, "%s", f->names[*(const int *)base - 1]);
        break;
    case MN__F_STRING:
        /* Escaped, so that any path (with `"`, `\`, `: ` or a line break) reads back. */
        mn_yaml_quote(buf, size, base);
        break;
    case MN__F_SEED:
        snprintf(buf, size, "%lu", *(const unsigned long *)base);
        break;
    case MN__F_ADJUNCTS: {
        unsigned bits = *(const unsigned *)base;
        size_t used = (size_t)snprintf(buf, size, "[");
        for (int i = 0; f->names[i] && used < size; ++i)
            if (bits & (1u << i))
                used += (size_t)snprintf(buf + used, size - used, "%s%s", used > 1 ? ", " : "",
                                         f->names[i]);
        if (used < size)
            snprintf(buf + used, size - used, "]");
        break;
    }
    case MN__F_DIST: {
        const mn_dist *d = (const mn_dist *)base;
        char a[40], b[40], c[40], e[40];
        format_double(a, sizeof a, d->mean);
        format_double(b, sizeof b, d->sd);
        format_double(c, sizeof c, d->min);
        format_double(e, sizeof e, d->max);
        if (d->kind == MN_DIST_FIXED)
            snprintf(buf, size, "%s", a);
        else if (d->kind == MN_DIST_UNIFORM)
            snprintf(buf, size, "{min: %s, max: %s}", c, e);
        else if (d->kind == MN_DIST_NORMAL)
            snprintf(buf, size, "{mean: %s, sd: %s, min: %s, max: %s}", a, b, c, e);
        else
            snprintf(buf, size, "patient");
        break;
    }
    case MN__F_WEIGHTS: {
        const mn_weights *w = (const mn_weights *)base;
        size_t used = (size_t)snprintf(buf, size, "{");
        for (int i = 0; f->names[i] && i < MN_CATEGORY_MAX && used < size; ++i)
            if (w->w[i] > 0) {
                char num[40];
                format_double(num, sizeof num, w->w[i]);
                used += (size_t)snprintf(buf + used, size - used, "%s\"%s\": %s",
                                         used > 1 ? ", " : "", f->names[i], num);
            }
        if (used == 1)
            snprintf(buf, size, "patient");
        else if (used < size)
            snprintf(buf + used, size - used, "}");
        break;
    }
    case MN__F_SESSIONS: {
        const mn_treatment_spec *t = (const mn_treatment_spec *)base;
        if (!t->sessions_listed) {
            snprintf(buf, size, "%d", t->session_count);
            break;
        }
        size_t used = (size_t)snprintf(buf, size, "[");
        for (int i = 0; i < t->session_count && used < size; ++i) {
            const mn_session *s = &t->sessions[i];
            used +=
                (size_t)snprintf(buf + used, size - used, "%s{week: %.17g", i ? ", " : "", s->week);
            if (used < size && s->needle_length_mm > 0)
                used += (size_t)snprintf(buf + used, size - used, ", needle_length_mm: %.17g",
                                         s->needle_length_mm);
            if (used < size && s->passes > 0)
                used += (size_t)snprintf(buf + used, size - used, ", passes: %d", s->passes);
            if (used < size)
                used += (size_t)snprintf(buf + used, size - used, "}");
        }
        if (used < size)
            snprintf(buf + used, size - used, "]");
        break;
    }
    }
}

int mn_scenario_write_yaml(const mn_scenario *sc, FILE *out)
{
    if (!sc || !out)
        return MN_EINVAL;
    fprintf(out, "mnsim: %d\n", MN_SCHEMA_VERSION);
    for (int s = 0; mn__section_names[s]; ++s) {
        fprintf(out, "%s:\n", mn__section_names[s]);
        for (size_t i = 0; i < mn__scenario_field_count; ++i) {
            const mn__field *f = &mn__scenario_fields[i];
            if (!in_section(f, mn__section_names[s]))
                continue;
            char value[8192];
            format_scalar(f, sc, value, sizeof value);
            fprintf(out, "  %s: %s\n", field_key(f), value);
        }
    }
    return ferror(out) ? MN_EIO : MN_OK;
}

static json_t *field_json(const mn__field *f, const mn_scenario *sc)
{
    const char *base = (const char *)sc + f->offset;
    switch (f->type) {
    case MN__F_DOUBLE:
        return json_real(*(const double *)base);
    case MN__F_INT:
        return json_integer(*(const int *)base);
    case MN__F_BOOL:
        return json_boolean(*(const bool *)base);
    case MN__F_ENUM:
        return json_string(f->names[*(const int *)base]);
    case MN__F_SKIN:
        return json_string(f->names[*(const int *)base - 1]);
    case MN__F_STRING:
        return json_string(base);
    case MN__F_SEED:
        return json_integer((json_int_t) * (const unsigned long *)base);
    case MN__F_ADJUNCTS: {
        json_t *arr = json_array();
        unsigned bits = *(const unsigned *)base;
        for (int i = 0; arr && f->names[i]; ++i)
            if (bits & (1u << i))
                json_array_append_new(arr, json_string(f->names[i]));
        return arr;
    }
    case MN__F_SESSIONS: {
        /* Always the resolved list, so scripts need not know the count form. */
        json_t *arr = json_array();
        const mn_treatment_spec *t = (const mn_treatment_spec *)base;
        for (int i = 0; arr && i < t->session_count; ++i)
            json_array_append_new(
                arr, json_pack("{s:f, s:f, s:i}", "week", mn_scenario_session_hour(sc, i) / 168.0,
                               "needle_length_mm", mn_scenario_session_needle_mm(sc, i), "passes",
                               mn_scenario_session_passes(sc, i)));
        return arr;
    }
    case MN__F_DIST: {
        const mn_dist *d = (const mn_dist *)base;
        if (d->kind == MN_DIST_FIXED)
            return json_real(d->mean);
        if (d->kind == MN_DIST_UNIFORM)
            return json_pack("{s:f, s:f}", "min", d->min, "max", d->max);
        if (d->kind == MN_DIST_NORMAL)
            return json_pack("{s:f, s:f, s:f, s:f}", "mean", d->mean, "sd", d->sd, "min", d->min,
                             "max", d->max);
        return json_string("patient");
    }
    case MN__F_WEIGHTS: {
        const mn_weights *w = (const mn_weights *)base;
        json_t *obj = json_object();
        for (int i = 0; obj && f->names[i] && i < MN_CATEGORY_MAX; ++i)
            if (w->w[i] > 0)
                json_object_set_new(obj, f->names[i], json_real(w->w[i]));
        if (obj && json_object_size(obj) == 0) {
            json_decref(obj);
            return json_string("patient");
        }
        return obj;
    }
    }
    return json_null();
}

json_t *mn_scenario_to_json(const mn_scenario *sc)
{
    if (!sc)
        return NULL;
    json_t *root = json_object();
    if (!root)
        return NULL;
    json_object_set_new(root, "mnsim", json_integer(MN_SCHEMA_VERSION));
    for (int s = 0; mn__section_names[s]; ++s) {
        json_t *section = json_object();
        for (size_t i = 0; section && i < mn__scenario_field_count; ++i) {
            const mn__field *f = &mn__scenario_fields[i];
            if (in_section(f, mn__section_names[s]))
                json_object_set_new(section, field_key(f), field_json(f, sc));
        }
        json_object_set_new(root, mn__section_names[s], section);
    }
    return root;
}

static const char *type_name(mn__field_type t)
{
    switch (t) {
    case MN__F_DOUBLE:
        return "number";
    case MN__F_INT:
        return "integer";
    case MN__F_BOOL:
        return "boolean";
    case MN__F_ENUM:
        return "enum";
    case MN__F_SKIN:
        return "skin_type";
    case MN__F_ADJUNCTS:
        return "adjuncts";
    case MN__F_SESSIONS:
        return "sessions";
    case MN__F_STRING:
        return "string";
    case MN__F_SEED:
        return "seed";
    case MN__F_DIST:
        return "distribution";
    case MN__F_WEIGHTS:
        return "weights";
    }
    return "?";
}

json_t *mn_scenario_schema_json(void)
{
    mn_scenario def;
    mn_scenario_default(&def);
    json_t *root = json_object(), *fields = json_array(), *sections = json_array();
    if (!root || !fields || !sections) {
        json_decref(root), json_decref(fields), json_decref(sections);
        return NULL;
    }
    json_object_set_new(root, "schema", json_integer(MN_SCHEMA_VERSION));
    for (int s = 0; mn__section_names[s]; ++s)
        json_array_append_new(sections, json_string(mn__section_names[s]));
    json_object_set_new(root, "sections", sections);
    for (size_t i = 0; i < mn__scenario_field_count; ++i) {
        const mn__field *f = &mn__scenario_fields[i];
        json_t *o = json_object();
        if (!o)
            break;
        char section[64];
        size_t n = (size_t)(strchr(f->path, '.') - f->path);
        snprintf(section, sizeof section, "%.*s", (int)n, f->path);
        json_object_set_new(o, "path", json_string(f->path));
        json_object_set_new(o, "section", json_string(section));
        json_object_set_new(o, "key", json_string(field_key(f)));
        json_object_set_new(o, "type", json_string(type_name(f->type)));
        json_object_set_new(o, "unit", json_string(f->unit));
        json_object_set_new(o, "default", field_json(f, &def));
        if (f->min < f->max) {
            json_object_set_new(o, "min", json_real(f->min));
            json_object_set_new(o, "max", json_real(f->max));
        }
        if (f->names) {
            json_t *names = json_array();
            for (int k = 0; names && f->names[k]; ++k)
                json_array_append_new(names, json_string(f->names[k]));
            json_object_set_new(o, "names", names);
        }
        json_object_set_new(o, "help", json_string(f->help));
        json_array_append_new(fields, o);
    }
    json_object_set_new(root, "fields", fields);
    return root;
}

int mn_scenario_write_reference(FILE *out)
{
    if (!out)
        return MN_EINVAL;
    mn_scenario def;
    mn_scenario_default(&def);
    fprintf(out, "# Scenario file reference (schema `mnsim: %d`)\n\n", MN_SCHEMA_VERSION);
    fprintf(out,
            "Generated by `mnsim schema` from the table the parser uses; do not edit by hand.\n"
            "A scenario is YAML. Every field is optional except `mnsim: 1`; omitted fields take\n"
            "the default below. Unknown keys, wrong types, non-finite numbers and values\n"
            "outside the range are errors (exit code 2) naming file:line:column and the "
            "field.\n"
            "Any field can be overridden on the command line with `--set section.key=value`.\n");
    for (int s = 0; mn__section_names[s]; ++s) {
        fprintf(out,
                "\n## `%s`\n\n| field | unit | default | allowed | meaning |\n"
                "|---|---|---|---|---|\n",
                mn__section_names[s]);
        for (size_t i = 0; i < mn__scenario_field_count; ++i) {
            const mn__field *f = &mn__scenario_fields[i];
            if (!in_section(f, mn__section_names[s]))
                continue;
            char value[1024], allowed[512];
            format_scalar(f, &def, value, sizeof value);
            switch (f->type) {
            case MN__F_DOUBLE:
            case MN__F_INT:
            case MN__F_SEED:
                snprintf(allowed, sizeof allowed, "%g to %g", f->min, f->max);
                break;
            case MN__F_BOOL:
                snprintf(allowed, sizeof allowed, "true, false");
                break;
            case MN__F_SESSIONS:
                snprintf(allowed, sizeof allowed, "1 to %d, or a list", MN_MAX_SESSIONS);
                break;
            case MN__F_STRING:
                snprintf(allowed, sizeof allowed, "a path");
                break;
            case MN__F_DIST:
                snprintf(allowed, sizeof allowed, "`patient`, or %g to %g", f->min, f->max);
                break;
            case MN__F_WEIGHTS: {
                size_t used =
                    (size_t)snprintf(allowed, sizeof allowed, "`patient`, or weights of ");
                for (int k = 0; f->names[k]; ++k)
                    used += (size_t)snprintf(allowed + used, sizeof allowed - used, "%s`%s`",
                                             k ? ", " : "", f->names[k]);
                break;
            }
            default: {
                size_t used = 0;
                allowed[0] = '\0';
                for (int k = 0; f->names[k]; ++k)
                    used += (size_t)snprintf(allowed + used, sizeof allowed - used, "%s`%s`",
                                             k ? ", " : "", f->names[k]);
                break;
            }
            }
            fprintf(out, "| `%s` | %s | `%s` | %s | %s |\n", field_key(f),
                    f->unit[0] ? f->unit : "–", value, allowed, f->help);
        }
    }
    fprintf(out, "\nSession list items (`treatment.sessions: [...]`): `week` (0 to 520 weeks, "
                 "strictly increasing, the first 0), `needle_length_mm` (0.1 to 3), "
                 "`passes` (1 to 50).\n");
    return ferror(out) ? MN_EIO : MN_OK;
}
