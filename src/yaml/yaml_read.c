/* Reading the node tree: queries and typed accessors, each failing with the one message format
 * "file:line:col: field.path: what is wrong". */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yaml/yaml_impl.h"

const mn_yaml_node *mn_yaml_root(const mn_yaml_doc *doc)
{
    return doc ? doc->root : NULL;
}

bool mn_yaml_empty(const mn_yaml_doc *doc)
{
    return !doc || doc->empty;
}

const char *mn_yaml_name(const mn_yaml_doc *doc)
{
    return doc ? doc->name : "";
}

const mn_yaml_doc *mn_yaml_node_doc(const mn_yaml_node *n)
{
    return n ? n->doc : NULL;
}

mn_yaml_kind mn_yaml_kind_of(const mn_yaml_node *n)
{
    return n->kind;
}

unsigned long mn_yaml_line(const mn_yaml_node *n)
{
    return n ? n->line : 1;
}

unsigned long mn_yaml_column(const mn_yaml_node *n)
{
    return n ? n->column : 1;
}

const char *mn_yaml_scalar(const mn_yaml_node *n)
{
    return n && n->kind == MN_YAML_SCALAR ? n->value : NULL;
}

bool mn_yaml_is_null(const mn_yaml_node *n)
{
    if (!n || n->kind != MN_YAML_SCALAR || !n->plain)
        return false;
    const char *s = n->value;
    return s[0] == '\0' || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null");
}

const char *mn_yaml_describe(const mn_yaml_node *n)
{
    if (!n || mn_yaml_is_null(n))
        return "nothing";
    switch (n->kind) {
    case MN_YAML_MAPPING:
        return "a mapping";
    case MN_YAML_SEQUENCE:
        return "a list";
    default:
        return "a scalar";
    }
}

size_t mn_yaml_count(const mn_yaml_node *n)
{
    if (!n || n->kind == MN_YAML_SCALAR)
        return 0;
    return n->kind == MN_YAML_MAPPING ? n->count / 2 : n->count;
}

const mn_yaml_node *mn_yaml_item(const mn_yaml_node *seq, size_t i)
{
    return seq && seq->kind == MN_YAML_SEQUENCE && i < seq->count ? seq->children[i] : NULL;
}

const mn_yaml_node *mn_yaml_key(const mn_yaml_node *map, size_t i)
{
    return map && map->kind == MN_YAML_MAPPING && i < map->count / 2 ? map->children[2 * i] : NULL;
}

const mn_yaml_node *mn_yaml_value(const mn_yaml_node *map, size_t i)
{
    return map && map->kind == MN_YAML_MAPPING && i < map->count / 2 ? map->children[2 * i + 1]
                                                                     : NULL;
}

const mn_yaml_node *mn_yaml_get(const mn_yaml_node *map, const char *key)
{
    for (size_t i = 0; key && i < mn_yaml_count(map); ++i) {
        const char *k = mn_yaml_scalar(mn_yaml_key(map, i));
        if (k && !strcmp(k, key))
            return mn_yaml_value(map, i);
    }
    return NULL;
}

int mn_yaml_fail(mn_error *err, const mn_yaml_node *n, const char *field, const char *fmt, ...)
{
    char what[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    const char *name = n ? mn_yaml_name(n->doc) : "";
    if (field && *field)
        return mn_error_set(err, MN_ESCENARIO, "%s:%lu:%lu: %s: %s", name, mn_yaml_line(n),
                            mn_yaml_column(n), field, what);
    return mn_error_set(err, MN_ESCENARIO, "%s:%lu:%lu: %s", name, mn_yaml_line(n),
                        mn_yaml_column(n), what);
}

/* "18 to 100 years", "0 or more 1/h; literature range ..." or "" (no bound, no unit). */
static void range_text(const mn_yaml_range *r, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!r)
        return;
    int lo = r->min > -INFINITY, hi = r->max < INFINITY;
    int used = 0;
    if (lo && hi)
        used = snprintf(buf, size, "%.10g to %.10g", r->min, r->max);
    else if (lo)
        used = snprintf(buf, size, "%.10g or more", r->min);
    else if (hi)
        used = snprintf(buf, size, "%.10g or less", r->max);
    if (used >= 0 && (size_t)used < size && r->unit && r->unit[0])
        used += snprintf(buf + used, size - (size_t)used, "%s%s", used ? " " : "", r->unit);
    if (used >= 0 && (size_t)used < size && r->note && r->note[0])
        snprintf(buf + used, size - (size_t)used, "%s%s", used ? "; " : "", r->note);
}

/* `1,5`: a decimal comma (digits, one comma, digits), as typed on a German or French keyboard. */
static int decimal_comma(const char *s)
{
    const char *p = s + (*s == '-' || *s == '+');
    if (strlen(p) >= 60)
        return 0;
    size_t a = strspn(p, "0123456789");
    if (!a || p[a] != ',')
        return 0;
    size_t b = strspn(p + a + 1, "0123456789");
    return b && p[a + 1 + b] == '\0';
}

int mn_yaml_double(const mn_yaml_node *n, const char *field, const mn_yaml_range *range,
                   double *out, mn_error *err)
{
    char allowed[300];
    range_text(range, allowed, sizeof allowed);
    const int bounded = range && range->min > -INFINITY && range->max < INFINITY;
    if (!n || n->kind != MN_YAML_SCALAR || mn_yaml_is_null(n)) {
        if (!allowed[0])
            return mn_yaml_fail(err, n, field, "expected a number, got %s", mn_yaml_describe(n));
        return mn_yaml_fail(err, n, field,
                            bounded ? "expected a number from %s, got %s"
                                    : "expected a number (%s), got %s",
                            allowed, mn_yaml_describe(n));
    }
    const char *s = n->value;
    if (decimal_comma(s)) {
        char fixed[64];
        snprintf(fixed, sizeof fixed, "%s", s);
        *strchr(fixed, ',') = '.';
        return mn_yaml_fail(err, n, field, "'%s' is not a number; use a decimal point: %s", s,
                            fixed);
    }
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    /* strtod accepts "nan", "inf" and hex; YAML spells them .nan/.inf. Refuse all non-finite
     * values: a simulation input must be a real number. */
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v) || strpbrk(s, "nNiIxX")) {
        if (!allowed[0])
            return mn_yaml_fail(err, n, field, "'%s' is not a finite number", s);
        return mn_yaml_fail(err, n, field, "'%s' is not a finite number (expected %s)", s, allowed);
    }
    if (range && (v < range->min || v > range->max))
        return mn_yaml_fail(err, n, field, "%s is out of range (allowed %s)", s, allowed);
    *out = v;
    return MN_OK;
}

/* A whole number as a double (exact below 2^53, which bounds every range we read). */
static int whole(const mn_yaml_node *n, const char *field, const mn_yaml_range *range, double *out,
                 mn_error *err)
{
    double v;
    int rc = mn_yaml_double(n, field, range, &v, err);
    if (rc)
        return rc;
    if (v != floor(v)) {
        char allowed[300];
        range_text(range, allowed, sizeof allowed);
        if (!allowed[0])
            return mn_yaml_fail(err, n, field, "%s is not a whole number", n->value);
        return mn_yaml_fail(err, n, field, "%s is not a whole number (expected %s)", n->value,
                            allowed);
    }
    *out = v;
    return MN_OK;
}

int mn_yaml_int(const mn_yaml_node *n, const char *field, const mn_yaml_range *range, int *out,
                mn_error *err)
{
    double v = 0; /* set by whole() on success; initialised for GCC -O3's flow analysis */
    int rc = whole(n, field, range, &v, err);
    if (rc)
        return rc;
    if (v < -2147483648.0 || v > 2147483647.0)
        return mn_yaml_fail(err, n, field, "%s does not fit an integer", n->value);
    *out = (int)v;
    return MN_OK;
}

int mn_yaml_ulong(const mn_yaml_node *n, const char *field, const mn_yaml_range *range,
                  unsigned long *out, mn_error *err)
{
    double v = 0; /* set by whole() on success; initialised for GCC -O3's flow analysis */
    int rc = whole(n, field, range, &v, err);
    if (rc)
        return rc;
    if (v < 0 || v > 9007199254740992.0)
        return mn_yaml_fail(err, n, field, "%s is not a whole number from 0 to 2^53", n->value);
    *out = (unsigned long)v;
    return MN_OK;
}

int mn_yaml_bool(const mn_yaml_node *n, const char *field, bool *out, mn_error *err)
{
    const char *s = mn_yaml_scalar(n);
    if (!s)
        return mn_yaml_fail(err, n, field, "expected true or false, got %s", mn_yaml_describe(n));
    if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "yes")) {
        *out = true;
        return MN_OK;
    }
    if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "no")) {
        *out = false;
        return MN_OK;
    }
    return mn_yaml_fail(err, n, field, "'%s' is not a boolean (expected true or false)", s);
}

int mn_yaml_string(const mn_yaml_node *n, const char *field, char *buf, size_t size, mn_error *err)
{
    const char *s = mn_yaml_scalar(n);
    if (!s)
        return mn_yaml_fail(err, n, field, "expected text, got %s", mn_yaml_describe(n));
    if (n->length >= size)
        return mn_yaml_fail(err, n, field, "too long (at most %zu characters)", size - 1);
    memcpy(buf, s, n->length + 1);
    return MN_OK;
}

/* "a|b|c" */
static void names_list(const char *const *names, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; names[i]; ++i) {
        int w = snprintf(buf + used, size - used, "%s%s", i ? "|" : "", names[i]);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
}

int mn_yaml_enum(const mn_yaml_node *n, const char *field, const char *const *names, int *out,
                 mn_error *err)
{
    char allowed[256];
    names_list(names, allowed, sizeof allowed);
    const char *s = mn_yaml_scalar(n);
    if (!s)
        return mn_yaml_fail(err, n, field, "expected one of %s, got %s", allowed,
                            mn_yaml_describe(n));
    for (int i = 0; names[i]; ++i)
        if (!strcmp(s, names[i])) {
            *out = i;
            return MN_OK;
        }
    return mn_yaml_fail(err, n, field, "'%s' is not allowed (expected one of %s)", s, allowed);
}

static int expect_kind(const mn_yaml_node *n, mn_yaml_kind kind, const char *field,
                       const char *expected, mn_error *err)
{
    if (n && n->kind == kind)
        return MN_OK;
    return mn_yaml_fail(err, n, field, "expected %s, got %s", expected, mn_yaml_describe(n));
}

int mn_yaml_mapping(const mn_yaml_node *n, const char *field, const char *expected, mn_error *err)
{
    return expect_kind(n, MN_YAML_MAPPING, field, expected ? expected : "a mapping", err);
}

int mn_yaml_sequence(const mn_yaml_node *n, const char *field, const char *expected, mn_error *err)
{
    return expect_kind(n, MN_YAML_SEQUENCE, field, expected ? expected : "a list", err);
}
