/* YAML scenario parsing with libyaml's document API: every node keeps its line and column, so
 * every error names file:line:column, the field and what is allowed. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "scenario/scenario_fields.h"

/* The largest scenario file we read: scenarios are small; this bounds memory on bad input. */
#define MN__SCENARIO_MAX_BYTES (4u << 20)

typedef struct parse_ctx {
    const char *name; /* file name (or "--set") for messages */
    yaml_document_t *doc;
    mn_error *err;
} parse_ctx;

static int fail(const parse_ctx *ctx, const yaml_node_t *node, const char *field, const char *fmt,
                ...) __attribute__((format(printf, 4, 5)));

static int fail(const parse_ctx *ctx, const yaml_node_t *node, const char *field, const char *fmt,
                ...)
{
    char what[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    unsigned long line = node ? (unsigned long)node->start_mark.line + 1 : 1;
    unsigned long col = node ? (unsigned long)node->start_mark.column + 1 : 1;
    if (field && *field)
        return mn_error_set(ctx->err, MN_ESCENARIO, "%s:%lu:%lu: %s: %s", ctx->name, line, col,
                            field, what);
    return mn_error_set(ctx->err, MN_ESCENARIO, "%s:%lu:%lu: %s", ctx->name, line, col, what);
}

static const char *node_kind(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_MAPPING_NODE:
        return "a mapping";
    case YAML_SEQUENCE_NODE:
        return "a list";
    case YAML_SCALAR_NODE:
        return "a scalar";
    default:
        return "nothing";
    }
}

static const char *scalar(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

/* YAML's null: an empty plain scalar, "~" or "null". */
static int is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *s = scalar(n);
    return s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0;
}

static int parse_number(const parse_ctx *ctx, const yaml_node_t *n, const char *field, double min,
                        double max, const char *unit, double *out)
{
    if (n->type != YAML_SCALAR_NODE || is_null(n))
        return fail(ctx, n, field, "expected a number from %.10g to %.10g %s, got %s", min, max,
                    unit, is_null(n) ? "nothing" : node_kind(n));
    const char *s = scalar(n);
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    /* strtod accepts "nan", "inf" and hex; YAML spells them .nan/.inf. Refuse all non-finite
     * values: a simulation parameter must be a real number. */
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v) || strpbrk(s, "nNiIxX") != NULL)
        return fail(ctx, n, field, "'%s' is not a finite number (expected %.10g to %.10g %s)", s,
                    min, max, unit);
    if (v < min || v > max)
        return fail(ctx, n, field, "%s is out of range (allowed %.10g to %.10g %s)", s, min, max,
                    unit);
    *out = v;
    return MN_OK;
}

static int parse_int(const parse_ctx *ctx, const yaml_node_t *n, const char *field, double min,
                     double max, const char *unit, int *out)
{
    double v;
    int rc = parse_number(ctx, n, field, min, max, unit, &v);
    if (rc)
        return rc;
    if (v != floor(v))
        return fail(ctx, n, field, "%s is not a whole number (expected %g to %g %s)", scalar(n),
                    min, max, unit);
    *out = (int)v;
    return MN_OK;
}

static int parse_bool(const parse_ctx *ctx, const yaml_node_t *n, const char *field, bool *out)
{
    if (n->type == YAML_SCALAR_NODE) {
        const char *s = scalar(n);
        if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "yes")) {
            *out = true;
            return MN_OK;
        }
        if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "no")) {
            *out = false;
            return MN_OK;
        }
        return fail(ctx, n, field, "'%s' is not a boolean (expected true or false)", s);
    }
    return fail(ctx, n, field, "expected true or false, got %s", node_kind(n));
}

static void names_list(const char *const *names, char *buf, size_t size)
{
    buf[0] = '\0';
    size_t used = 0;
    for (int i = 0; names[i]; ++i) {
        int w = snprintf(buf + used, size - used, "%s%s", i ? "|" : "", names[i]);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
}

static int parse_enum(const parse_ctx *ctx, const yaml_node_t *n, const char *field,
                      const char *const *names, int *out)
{
    char allowed[256];
    names_list(names, allowed, sizeof allowed);
    if (n->type != YAML_SCALAR_NODE)
        return fail(ctx, n, field, "expected one of %s, got %s", allowed, node_kind(n));
    for (int i = 0; names[i]; ++i)
        if (strcmp(scalar(n), names[i]) == 0) {
            *out = i;
            return MN_OK;
        }
    return fail(ctx, n, field, "'%s' is not allowed (expected one of %s)", scalar(n), allowed);
}

static int parse_skin(const parse_ctx *ctx, const yaml_node_t *n, const char *field,
                      const char *const *names, int *out)
{
    if (n->type == YAML_SCALAR_NODE) {
        const char *s = scalar(n);
        for (int i = 0; names[i]; ++i)
            if (strcasecmp(s, names[i]) == 0) {
                *out = i + 1;
                return MN_OK;
            }
        if (strlen(s) == 1 && s[0] >= '1' && s[0] <= '6') {
            *out = s[0] - '0';
            return MN_OK;
        }
        return fail(ctx, n, field, "'%s' is not a Fitzpatrick skin type (expected I..VI or 1..6)",
                    s);
    }
    return fail(ctx, n, field, "expected a Fitzpatrick skin type I..VI, got %s", node_kind(n));
}

static int parse_adjuncts(const parse_ctx *ctx, const yaml_node_t *n, const char *field,
                          const char *const *names, unsigned *out)
{
    char allowed[256];
    names_list(names, allowed, sizeof allowed);
    if (is_null(n)) {
        *out = 0;
        return MN_OK;
    }
    if (n->type != YAML_SEQUENCE_NODE)
        return fail(ctx, n, field, "expected a list of adjuncts ([] or some of %s), got %s",
                    allowed, node_kind(n));
    unsigned bits = 0;
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
         ++it) {
        yaml_node_t *item = yaml_document_get_node(ctx->doc, *it);
        int idx;
        int rc = parse_enum(ctx, item, field, names, &idx);
        if (rc)
            return rc;
        if (bits & (1u << idx))
            return fail(ctx, item, field, "'%s' is listed twice", names[idx]);
        bits |= 1u << idx;
    }
    *out = bits;
    return MN_OK;
}

static int parse_session_item(const parse_ctx *ctx, const yaml_node_t *n, int index, mn_session *s)
{
    char field[96];
    snprintf(field, sizeof field, "treatment.sessions[%d]", index);
    if (n->type != YAML_MAPPING_NODE)
        return fail(ctx, n, field,
                    "expected a mapping such as {week: 4, needle_length_mm: 1.0}, got %s",
                    node_kind(n));
    *s = (mn_session){.week = NAN, .needle_length_mm = 0, .passes = 0};
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; ++p) {
        yaml_node_t *k = yaml_document_get_node(ctx->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(ctx->doc, p->value);
        if (k->type != YAML_SCALAR_NODE)
            return fail(ctx, k, field, "keys must be plain names");
        char sub[160];
        snprintf(sub, sizeof sub, "%s.%s", field, scalar(k));
        int rc;
        if (strcmp(scalar(k), "week") == 0) {
            if (!isnan(s->week))
                return fail(ctx, k, sub, "given twice");
            rc = parse_number(ctx, v, sub, 0, 520, "weeks", &s->week);
        } else if (strcmp(scalar(k), "needle_length_mm") == 0) {
            rc = parse_number(ctx, v, sub, 0.1, 3.0, "mm", &s->needle_length_mm);
        } else if (strcmp(scalar(k), "passes") == 0) {
            rc = parse_int(ctx, v, sub, 1, 50, "passes", &s->passes);
        } else {
            rc = fail(ctx, k, sub, "unknown key (allowed: week, needle_length_mm, passes)");
        }
        if (rc)
            return rc;
    }
    if (isnan(s->week))
        return fail(ctx, n, field, "missing `week` (weeks after the first session)");
    return MN_OK;
}

static int parse_sessions(const parse_ctx *ctx, const yaml_node_t *n, mn_treatment_spec *t)
{
    const char *field = "treatment.sessions";
    if (n->type == YAML_SCALAR_NODE) {
        int count;
        int rc = parse_int(ctx, n, field, 1, MN_MAX_SESSIONS, "sessions", &count);
        if (rc)
            return rc;
        t->session_count = count;
        t->sessions_listed = false;
        return MN_OK;
    }
    if (n->type != YAML_SEQUENCE_NODE)
        return fail(ctx, n, field, "expected a count (1 to %d) or a list of sessions, got %s",
                    MN_MAX_SESSIONS, node_kind(n));
    int count = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (count < 1 || count > MN_MAX_SESSIONS)
        return fail(ctx, n, field, "%d sessions listed (allowed 1 to %d)", count, MN_MAX_SESSIONS);
    for (int i = 0; i < count; ++i) {
        yaml_node_t *item = yaml_document_get_node(ctx->doc, n->data.sequence.items.start[i]);
        int rc = parse_session_item(ctx, item, i, &t->sessions[i]);
        if (rc)
            return rc;
        char sub[96];
        snprintf(sub, sizeof sub, "treatment.sessions[%d].week", i);
        if (i == 0 && t->sessions[0].week != 0.0)
            return fail(ctx, item, sub,
                        "%g, but the first session defines day 0 (its week must be 0)",
                        t->sessions[0].week);
        if (i > 0 && !(t->sessions[i].week > t->sessions[i - 1].week))
            return fail(ctx, item, sub,
                        "week %g is not after the previous session (week %g): list sessions "
                        "in time order",
                        t->sessions[i].week, t->sessions[i - 1].week);
    }
    t->session_count = count;
    t->sessions_listed = true;
    return MN_OK;
}

static int is_patient(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE && strcmp(scalar(n), "patient") == 0;
}

/* A cohort distribution (added to schema 1): `patient`, a number, {min, max} (uniform) or
 * {mean, sd, min, max} (normal truncated to [min, max], which default to the allowed range). */
static int parse_dist(const parse_ctx *ctx, const yaml_node_t *n, const mn__field *f, mn_dist *out)
{
    if (is_patient(n)) {
        *out = (mn_dist){.kind = MN_DIST_PATIENT};
        return MN_OK;
    }
    if (n->type == YAML_SCALAR_NODE) {
        double v;
        int rc = parse_number(ctx, n, f->path, f->min, f->max, f->unit, &v);
        if (rc == MN_OK)
            *out = (mn_dist){.kind = MN_DIST_FIXED, .mean = v, .min = v, .max = v};
        return rc;
    }
    if (n->type != YAML_MAPPING_NODE)
        return fail(ctx, n, f->path,
                    "expected `patient`, a number, {min, max} or {mean, sd, min, max}, got %s",
                    node_kind(n));
    double v[4] = {NAN, NAN, f->min, f->max}; /* mean, sd, min, max */
    int given[4] = {0, 0, 0, 0};
    static const char *const keys[4] = {"mean", "sd", "min", "max"};
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; ++p) {
        yaml_node_t *k = yaml_document_get_node(ctx->doc, p->key);
        yaml_node_t *val = yaml_document_get_node(ctx->doc, p->value);
        char sub[160];
        snprintf(sub, sizeof sub, "%s.%s", f->path, k->type == YAML_SCALAR_NODE ? scalar(k) : "?");
        int which = -1;
        for (int i = 0; i < 4 && k->type == YAML_SCALAR_NODE; ++i)
            if (strcmp(scalar(k), keys[i]) == 0)
                which = i;
        if (which < 0)
            return fail(ctx, k, sub, "unknown key (allowed: mean, sd, min, max)");
        if (given[which])
            return fail(ctx, k, sub, "given twice");
        double lo = which == 1 ? 0.0 : f->min, hi = which == 1 ? f->max - f->min : f->max;
        int rc = parse_number(ctx, val, sub, lo, hi, f->unit, &v[which]);
        if (rc)
            return rc;
        given[which] = 1;
    }
    if (!(v[2] <= v[3]))
        return fail(ctx, n, f->path, "min %g is above max %g", v[2], v[3]);
    if (given[0] != given[1])
        return fail(ctx, n, f->path, "a normal distribution needs both `mean` and `sd`");
    if (given[0]) {
        if (v[0] < v[2] || v[0] > v[3])
            return fail(ctx, n, f->path, "mean %g lies outside [min %g, max %g]", v[0], v[2], v[3]);
        *out =
            (mn_dist){.kind = MN_DIST_NORMAL, .mean = v[0], .sd = v[1], .min = v[2], .max = v[3]};
        return MN_OK;
    }
    if (!given[2] || !given[3])
        return fail(ctx, n, f->path,
                    "a uniform distribution needs `min` and `max` "
                    "(or give `mean` and `sd` for a normal one)");
    *out =
        (mn_dist){.kind = MN_DIST_UNIFORM, .mean = 0.5 * (v[2] + v[3]), .min = v[2], .max = v[3]};
    return MN_OK;
}

/* Category weights (added to schema 1): `patient`, one name, or {name: weight, ...}. */
static int parse_weights(const parse_ctx *ctx, const yaml_node_t *n, const mn__field *f,
                         mn_weights *out)
{
    char allowed[256];
    names_list(f->names, allowed, sizeof allowed);
    mn_weights w = {{0}};
    if (is_patient(n)) {
        *out = w;
        return MN_OK;
    }
    if (n->type == YAML_SCALAR_NODE) {
        for (int i = 0; f->names[i]; ++i)
            if (strcasecmp(scalar(n), f->names[i]) == 0) {
                w.w[i] = 1.0;
                *out = w;
                return MN_OK;
            }
        return fail(ctx, n, f->path,
                    "'%s' is not allowed (expected `patient`, one of %s, or "
                    "weights {name: weight, ...})",
                    scalar(n), allowed);
    }
    if (n->type != YAML_MAPPING_NODE)
        return fail(ctx, n, f->path, "expected `patient`, one of %s, or weights, got %s", allowed,
                    node_kind(n));
    double sum = 0;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; ++p) {
        yaml_node_t *k = yaml_document_get_node(ctx->doc, p->key);
        yaml_node_t *val = yaml_document_get_node(ctx->doc, p->value);
        int which = -1;
        for (int i = 0; k->type == YAML_SCALAR_NODE && f->names[i]; ++i)
            if (strcasecmp(scalar(k), f->names[i]) == 0)
                which = i;
        char sub[160];
        snprintf(sub, sizeof sub, "%s.%s", f->path, k->type == YAML_SCALAR_NODE ? scalar(k) : "?");
        if (which < 0)
            return fail(ctx, k, sub, "unknown category (allowed: %s)", allowed);
        if (w.w[which] != 0)
            return fail(ctx, k, sub, "given twice");
        int rc = parse_number(ctx, val, sub, 0, 1e9, "(relative weight)", &w.w[which]);
        if (rc)
            return rc;
        sum += w.w[which];
    }
    if (!(sum > 0))
        return fail(ctx, n, f->path, "the weights sum to 0 (give at least one positive weight)");
    *out = w;
    return MN_OK;
}

static int parse_field(const parse_ctx *ctx, const mn__field *f, const yaml_node_t *v,
                       mn_scenario *sc)
{
    char *base = (char *)sc + f->offset;
    switch (f->type) {
    case MN__F_DOUBLE:
        return parse_number(ctx, v, f->path, f->min, f->max, f->unit, (double *)base);
    case MN__F_INT:
        return parse_int(ctx, v, f->path, f->min, f->max, f->unit, (int *)base);
    case MN__F_BOOL:
        return parse_bool(ctx, v, f->path, (bool *)base);
    case MN__F_ENUM: {
        int idx;
        int rc = parse_enum(ctx, v, f->path, f->names, &idx);
        if (rc == MN_OK)
            *(int *)base = idx;
        return rc;
    }
    case MN__F_SKIN:
        return parse_skin(ctx, v, f->path, f->names, (int *)base);
    case MN__F_ADJUNCTS:
        return parse_adjuncts(ctx, v, f->path, f->names, (unsigned *)base);
    case MN__F_SESSIONS:
        return parse_sessions(ctx, v, (mn_treatment_spec *)base);
    case MN__F_STRING: {
        if (v->type != YAML_SCALAR_NODE || is_null(v) || scalar(v)[0] == '\0')
            return fail(ctx, v, f->path, "expected a non-empty path, got %s",
                        is_null(v) ? "nothing" : node_kind(v));
        size_t len = strlen(scalar(v));
        if (len >= MN_PATH_MAX)
            return fail(ctx, v, f->path, "path is %zu characters long (at most %d)", len,
                        MN_PATH_MAX - 1);
        memcpy(base, scalar(v), len + 1);
        return MN_OK;
    }
    case MN__F_SEED: {
        double d;
        int rc = parse_number(ctx, v, f->path, f->min, f->max, "", &d);
        if (rc)
            return rc;
        if (d != floor(d))
            return fail(ctx, v, f->path, "%s is not a whole number", scalar(v));
        *(unsigned long *)base = (unsigned long)d;
        return MN_OK;
    }
    case MN__F_DIST:
        return parse_dist(ctx, v, f, (mn_dist *)base);
    case MN__F_WEIGHTS:
        return parse_weights(ctx, v, f, (mn_weights *)base);
    }
    return fail(ctx, v, f->path, "internal error: unknown field type");
}

static int allowed_keys(const char *section, char *buf, size_t size)
{
    size_t prefix = strlen(section);
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < mn__scenario_field_count; ++i) {
        const char *p = mn__scenario_fields[i].path;
        if (strncmp(p, section, prefix) == 0 && p[prefix] == '.') {
            int w = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", p + prefix + 1);
            if (w < 0 || (size_t)w >= size - used)
                break;
            used += (size_t)w;
        }
    }
    return 0;
}

static int parse_section(const parse_ctx *ctx, const char *section, const yaml_node_t *n,
                         mn_scenario *sc)
{
    char allowed[512];
    allowed_keys(section, allowed, sizeof allowed);
    if (is_null(n))
        return MN_OK; /* an empty section keeps every default */
    if (n->type != YAML_MAPPING_NODE)
        return fail(ctx, n, section, "expected a mapping of %s settings (%s), got %s", section,
                    allowed, node_kind(n));
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; ++p) {
        yaml_node_t *k = yaml_document_get_node(ctx->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(ctx->doc, p->value);
        if (k->type != YAML_SCALAR_NODE)
            return fail(ctx, k, section, "keys must be plain names");
        for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < p; ++q) {
            yaml_node_t *prev = yaml_document_get_node(ctx->doc, q->key);
            if (prev->type == YAML_SCALAR_NODE && strcmp(scalar(prev), scalar(k)) == 0) {
                char path[160];
                snprintf(path, sizeof path, "%s.%s", section, scalar(k));
                return fail(ctx, k, path, "given twice (first on line %lu)",
                            (unsigned long)prev->start_mark.line + 1);
            }
        }
        char path[160];
        snprintf(path, sizeof path, "%s.%s", section, scalar(k));
        const mn__field *f = mn__field_find(path);
        if (!f)
            return fail(ctx, k, path, "unknown key (allowed in %s: %s)", section, allowed);
        int rc = parse_field(ctx, f, v, sc);
        if (rc)
            return rc;
    }
    return MN_OK;
}

static int parse_root(const parse_ctx *ctx, mn_scenario *sc)
{
    yaml_node_t *root = yaml_document_get_root_node(ctx->doc);
    if (!root)
        return fail(ctx, NULL, NULL, "empty scenario: expected at least `mnsim: 1`");
    if (root->type != YAML_MAPPING_NODE)
        return fail(ctx, root, NULL,
                    "expected a mapping at the top level (mnsim: 1, patient: ...)");
    int have_schema = 0;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         ++p) {
        yaml_node_t *k = yaml_document_get_node(ctx->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(ctx->doc, p->value);
        if (k->type != YAML_SCALAR_NODE)
            return fail(ctx, k, NULL, "top-level keys must be plain names");
        for (yaml_node_pair_t *q = root->data.mapping.pairs.start; q < p; ++q) {
            yaml_node_t *prev = yaml_document_get_node(ctx->doc, q->key);
            if (prev->type == YAML_SCALAR_NODE && strcmp(scalar(prev), scalar(k)) == 0)
                return fail(ctx, k, scalar(k), "given twice (first on line %lu)",
                            (unsigned long)prev->start_mark.line + 1);
        }
        const char *key = scalar(k);
        if (strcmp(key, "mnsim") == 0) {
            int version;
            int rc = parse_int(ctx, v, "mnsim", 0, 1e6, "(schema version)", &version);
            if (rc)
                return rc;
            if (version != MN_SCHEMA_VERSION)
                return fail(ctx, v, "mnsim",
                            "unsupported schema version %d (this mnsim reads `mnsim: %d`)", version,
                            MN_SCHEMA_VERSION);
            have_schema = 1;
            continue;
        }
        int known = 0;
        for (int i = 0; mn__section_names[i]; ++i)
            if (strcmp(key, mn__section_names[i]) == 0) {
                int rc = parse_section(ctx, key, v, sc);
                if (rc)
                    return rc;
                known = 1;
                break;
            }
        if (!known)
            return fail(ctx, k, key,
                        "unknown section (allowed: mnsim, patient, device, treatment, "
                        "aftercare, simulate, output, cohort)");
    }
    if (!have_schema)
        return fail(ctx, root, "mnsim",
                    "missing schema version: the file must start with `mnsim: 1`");
    return MN_OK;
}

static int load_document(mn_scenario *sc, const unsigned char *text, size_t size, const char *name,
                         mn_error *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return mn_error_set(err, MN_ENOMEM, "%s: cannot initialise the YAML parser", name);
    yaml_parser_set_input_string(&parser, text, size);
    if (!yaml_parser_load(&parser, &doc)) {
        int rc = mn_error_set(err, MN_ESCENARIO, "%s:%lu:%lu: broken YAML: %s%s%s", name,
                              (unsigned long)parser.problem_mark.line + 1,
                              (unsigned long)parser.problem_mark.column + 1,
                              parser.problem ? parser.problem : "syntax error",
                              parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        return rc;
    }
    /* Work on a copy so a failed load leaves the caller's scenario as it was. */
    mn_scenario work = *sc;
    snprintf(work.source, sizeof work.source, "%s", name);
    parse_ctx ctx = {.name = name, .doc = &doc, .err = err};
    int rc = parse_root(&ctx, &work);
    if (rc == MN_OK) {
        yaml_document_t extra;
        if (yaml_parser_load(&parser, &extra)) {
            if (yaml_document_get_root_node(&extra))
                rc = mn_error_set(err, MN_ESCENARIO,
                                  "%s:%lu:1: a second YAML document: one scenario per file", name,
                                  (unsigned long)extra.start_mark.line + 1);
            yaml_document_delete(&extra);
        }
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    if (rc == MN_OK)
        rc = mn_scenario_validate(&work, err);
    if (rc == MN_OK)
        *sc = work;
    return rc;
}

int mn_scenario_load_string(mn_scenario *sc, const char *yaml, const char *name, mn_error *err)
{
    if (!sc || !yaml)
        return mn_error_set(err, MN_EINVAL, "mn_scenario_load_string: NULL argument");
    return load_document(sc, (const unsigned char *)yaml, strlen(yaml), name ? name : "<string>",
                         err);
}

int mn_scenario_load_file(mn_scenario *sc, const char *path, mn_error *err)
{
    if (!sc || !path)
        return mn_error_set(err, MN_EINVAL, "mn_scenario_load_file: NULL argument");
    FILE *f = fopen(path, "rb");
    if (!f)
        return mn_error_set(err, MN_EIO, "%s: cannot open scenario: %s", path, strerror(errno));
    unsigned char *buf = malloc(MN__SCENARIO_MAX_BYTES + 1);
    if (!buf) {
        fclose(f);
        return mn_error_set(err, MN_ENOMEM, "%s: out of memory", path);
    }
    size_t n = fread(buf, 1, MN__SCENARIO_MAX_BYTES + 1, f);
    int read_error = ferror(f);
    fclose(f);
    if (read_error) {
        free(buf);
        return mn_error_set(err, MN_EIO, "%s: read error (is it a directory?)", path);
    }
    if (n > MN__SCENARIO_MAX_BYTES) {
        free(buf);
        return mn_error_set(err, MN_ESCENARIO, "%s:1:1: file larger than %u bytes: not a scenario",
                            path, MN__SCENARIO_MAX_BYTES);
    }
    if (memchr(buf, '\0', n)) {
        free(buf);
        return mn_error_set(err, MN_ESCENARIO, "%s:1:1: binary file (NUL byte): not a scenario",
                            path);
    }
    int rc = load_document(sc, buf, n, path, err);
    free(buf);
    return rc;
}

int mn_scenario_set(mn_scenario *sc, const char *assignment, mn_error *err)
{
    if (!sc || !assignment)
        return mn_error_set(err, MN_EINVAL, "mn_scenario_set: NULL argument");
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        return mn_error_set(err, MN_ESCENARIO,
                            "--set %s: expected key.path=value (e.g. patient.age_years=60)",
                            assignment);
    char path[160];
    size_t plen = (size_t)(eq - assignment);
    if (plen >= sizeof path)
        return mn_error_set(err, MN_ESCENARIO, "--set %s: key too long", assignment);
    memcpy(path, assignment, plen);
    path[plen] = '\0';
    const mn__field *f = mn__field_find(path);
    if (!f) {
        char allowed[2048];
        size_t used = 0;
        allowed[0] = '\0';
        for (size_t i = 0; i < mn__scenario_field_count && used < sizeof allowed; ++i) {
            int w = snprintf(allowed + used, sizeof allowed - used, "%s%s", i ? ", " : "",
                             mn__scenario_fields[i].path);
            if (w < 0)
                break;
            used += (size_t)w;
        }
        return mn_error_set(err, MN_ESCENARIO, "--set %s: unknown key '%s' (allowed: %s)",
                            assignment, path, allowed);
    }
    const char *value = eq + 1;
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return mn_error_set(err, MN_ENOMEM, "--set: cannot initialise the YAML parser");
    yaml_parser_set_input_string(&parser, (const unsigned char *)value, strlen(value));
    char name[200];
    snprintf(name, sizeof name, "--set %s", path);
    if (!yaml_parser_load(&parser, &doc)) {
        int rc = mn_error_set(err, MN_ESCENARIO, "%s: value '%s' is not valid YAML: %s", name,
                              value, parser.problem ? parser.problem : "syntax error");
        yaml_parser_delete(&parser);
        return rc;
    }
    mn_scenario work = *sc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    parse_ctx ctx = {.name = name, .doc = &doc, .err = err};
    int rc;
    if (!root)
        rc = mn_error_set(err, MN_ESCENARIO, "%s: empty value", name);
    else
        rc = parse_field(&ctx, f, root, &work);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    if (rc == MN_OK)
        rc = mn_scenario_validate(&work, err);
    if (rc == MN_OK)
        *sc = work;
    return rc;
}

int mn_scenario_from_text(mn_scenario *sc, const char *text, const char *name,
                          const char *const *sets, int nsets, mn_error *err)
{
    if (!sc || nsets < 0 || (nsets > 0 && !sets))
        return mn_error_set(err, MN_EINVAL, "mn_scenario_from_text: bad argument");
    mn_scenario_default(sc);
    int rc = (text && text[0]) ? mn_scenario_load_string(sc, text, name, err) : MN_OK;
    for (int k = 0; !rc && k < nsets; ++k)
        rc = sets[k] ? mn_scenario_set(sc, sets[k], err)
                     : mn_error_set(err, MN_EINVAL, "mn_scenario_from_text: NULL assignment");
    return rc;
}
