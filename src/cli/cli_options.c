/* The one parser and help printer of the subcommands' option tables (cli_options.h). */
#include "cli/cli_options.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/mn_suggest.h"

/* Help lines fit an 80-column terminal; a label longer than LABEL_MAX puts its help on the
 * next line instead of pushing every other help to the right. */
#define HELP_WIDTH 79
#define LABEL_MAX 26

static void complain(const mn_cli_command *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void complain(const mn_cli_command *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "mnsim %s: ", c->name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static int is_option(const mn_cli_option *o)
{
    return o->kind != MN_CLI_END && o->kind != MN_CLI_SECTION;
}

/* ---- values ---- */

static int in_range(const mn_cli_option *o, double v)
{
    if (!isfinite(v))
        return 0;
    if (o->min == 0 && o->max == 0)
        return 1;
    const int above = (o->flags & MN_CLI_ABOVE_MIN) ? v > o->min : v >= o->min;
    return above && v <= o->max;
}

/* "a whole number from 1 to 12", "numbers above 0": what a bad value should have been. */
static void expected(const mn_cli_option *o, int plural, char *buf, size_t size)
{
    const char *what = o->kind == MN_CLI_INT ? (plural ? "whole numbers" : "a whole number")
                                             : (plural ? "numbers" : "a number");
    if (o->min == 0 && o->max == 0)
        snprintf(buf, size, "%s", what);
    else if (isinf(o->max))
        snprintf(buf, size, (o->flags & MN_CLI_ABOVE_MIN) ? "%s above %g" : "%s of %g or more",
                 what, o->min);
    else if (o->flags & MN_CLI_ABOVE_MIN)
        snprintf(buf, size, "%s above %g and at most %g", what, o->min, o->max);
    else
        snprintf(buf, size, "%s from %g to %g", what, o->min, o->max);
}

/* strtod over the whole text (or up to a comma with `list`); 0 when it is a number. */
static int read_number(const char *text, int list, double *out, const char **rest)
{
    char *end = NULL;
    errno = 0;
    *out = strtod(text, &end);
    *rest = end;
    return end == text || errno || (*end && !(list && *end == ','));
}

static int store_number(const mn_cli_command *c, const mn_cli_option *o, const char *text)
{
    double v;
    const char *rest;
    char want[96];
    int bad = read_number(text, 0, &v, &rest) || !in_range(o, v);
    if (!bad && o->kind == MN_CLI_INT)
        bad = v != floor(v) || fabs(v) > INT_MAX;
    if (bad) {
        expected(o, 0, want, sizeof want);
        complain(c, "--%s '%s': expected %s", o->name, text, want);
        return -1;
    }
    if (o->kind == MN_CLI_INT)
        *o->to.integer = (int)v;
    else
        *o->to.num = v;
    return 0;
}

static int store_numbers(const mn_cli_command *c, const mn_cli_option *o, const char *text)
{
    int n = 0;
    const char *s = text;
    char want[96];
    while (*s) {
        double v;
        const char *end;
        if (read_number(s, 1, &v, &end) || !in_range(o, v)) {
            expected(o, 1, want, sizeof want);
            complain(c, "--%s '%s': expected %s separated by commas", o->name, text, want);
            return -1;
        }
        if (n >= o->max_count) {
            complain(c, "--%s: at most %d values", o->name, o->max_count);
            return -1;
        }
        if ((o->flags & MN_CLI_INCREASING) && n > 0 && v <= o->to.nums[n - 1]) {
            complain(c, "--%s '%s': values must increase", o->name, text);
            return -1;
        }
        o->to.nums[n++] = v;
        s = *end ? end + 1 : end; /* past the comma (a trailing one ends the list) */
    }
    if (n == 0) {
        complain(c, "--%s needs at least one value", o->name);
        return -1;
    }
    *o->count = n;
    return 0;
}

static int append(const mn_cli_command *c, mn_cli_list *l, const char *value)
{
    if (l->count == l->capacity) {
        int cap = l->capacity ? 2 * l->capacity : 8;
        const char **items = realloc(l->items, (size_t)cap * sizeof *items);
        if (!items) {
            complain(c, "out of memory");
            return -1;
        }
        l->items = items;
        l->capacity = cap;
    }
    l->items[l->count++] = value;
    return 0;
}

/* Stores the value of a valued option; 0, or -1 after saying why. */
static int store(const mn_cli_command *c, const mn_cli_option *o, const char *value)
{
    switch (o->kind) {
    case MN_CLI_STRING:
        *o->to.str = value;
        return 0;
    case MN_CLI_STRINGS:
        return append(c, o->to.list, value);
    case MN_CLI_DOUBLES:
        return store_numbers(c, o, value);
    default:
        return store_number(c, o, value);
    }
}

/* ---- names ---- */

static const mn_cli_option *find_long(const mn_cli_command *c, const char *name, size_t len)
{
    for (const mn_cli_option *o = c->options; o && o->kind; ++o)
        if (is_option(o) && strlen(o->name) == len && !strncmp(o->name, name, len))
            return o;
    return NULL;
}

static const mn_cli_option *find_short(const mn_cli_command *c, char ch)
{
    for (const mn_cli_option *o = c->options; o && o->kind; ++o)
        if (is_option(o) && o->short_name && o->short_name == ch)
            return o;
    return NULL;
}

/* "unknown option '--qiet'; did you mean '--quiet'?", or a pointer to --help when no listed
 * option is near. */
static void unknown_option(const mn_cli_command *c, const char *arg)
{
    char typed[128];
    size_t len = strcspn(arg, "=");
    snprintf(typed, sizeof typed, "%.*s", (int)(len < sizeof typed ? len : sizeof typed - 1), arg);
    mn__suggest s;
    mn__suggest_init(&s, typed + strspn(typed, "-"));
    for (const mn_cli_option *o = c->options; o && o->kind; ++o)
        if (is_option(o) && o->help)
            mn__suggest_offer(&s, o->name);
    mn__suggest_offer(&s, "help");
    if (s.count == 0) {
        complain(c, "unknown option '%s' (see mnsim %s --help)", typed, c->name);
        return;
    }
    char list[256] = "";
    size_t used = 0;
    for (int i = 0; i < s.count && used < sizeof list; ++i) {
        int w = snprintf(list + used, sizeof list - used, "%s'--%s'",
                         i == 0 ? "" : (i + 1 == s.count ? " or " : ", "), s.names[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    complain(c, "unknown option '%s'; did you mean %s?", typed, list);
}

/* ---- parsing ---- */

static int take_positional(const mn_cli_command *c, int *slot, const char *arg)
{
    const mn_cli_option *p = c->positional ? &c->positional[*slot] : NULL;
    if (!p || p->kind == MN_CLI_END) {
        const mn_cli_option *only = c->positional;
        if (only && only[0].kind == MN_CLI_STRING && only[1].kind == MN_CLI_END)
            complain(c, "more than one %s ('%s', '%s')", only->name, *only->to.str, arg);
        else
            complain(c, "unexpected argument '%s' (see mnsim %s --help)", arg, c->name);
        return -1;
    }
    if (p->kind == MN_CLI_STRINGS)
        return append(c, p->to.list, arg);
    *p->to.str = arg;
    ++*slot;
    return 0;
}

static int given(const mn_cli_option *o)
{
    return o->kind == MN_CLI_STRINGS ? o->to.list->count > 0 : *o->to.str != NULL;
}

static int check_required(const mn_cli_command *c)
{
    for (const mn_cli_option *o = c->options; o && o->kind; ++o)
        if (is_option(o) && (o->flags & MN_CLI_REQUIRED) && !given(o)) {
            if (o->kind == MN_CLI_STRINGS)
                complain(c, "give at least one --%s %s (see mnsim %s --help)", o->name, o->arg,
                         c->name);
            else
                complain(c, "--%s %s is required (see mnsim %s --help)", o->name, o->arg, c->name);
            return -1;
        }
    for (const mn_cli_option *p = c->positional; p && p->kind; ++p)
        if ((p->flags & MN_CLI_REQUIRED) && !given(p)) {
            /* The whole help, as for a command given without arguments. */
            complain(c, "%s is missing\n", p->name);
            mn_cli_help(c, stderr);
            return -1;
        }
    return 0;
}

int mn_cli_parse(const mn_cli_command *c, int argc, char **argv)
{
    int slot = 0, rest_positional = 0;
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        if (rest_positional || a[0] != '-' || a[1] == '\0') { /* "-" names stdin or a file */
            if (take_positional(c, &slot, a))
                goto bad;
            continue;
        }
        if (!strcmp(a, "--")) {
            rest_positional = 1;
            continue;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            mn_cli_help(c, stdout);
            mn_cli_free(c);
            return MN_EXIT_OK;
        }
        const mn_cli_option *o = NULL;
        const char *value = NULL;
        if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            o = find_long(c, a + 2, eq ? (size_t)(eq - (a + 2)) : strlen(a + 2));
            value = eq ? eq + 1 : NULL;
        } else if (a[2] == '\0') {
            o = find_short(c, a[1]);
        }
        if (!o) {
            unknown_option(c, a);
            goto bad;
        }
        if (o->kind == MN_CLI_FLAG) {
            if (value) {
                complain(c, "--%s takes no value", o->name);
                goto bad;
            }
            *o->to.flag = 1;
            continue;
        }
        if (!value) {
            /* The next argument, whatever it looks like: a negative number is a value. */
            if (i + 1 >= argc) {
                complain(c, "--%s needs a value (%s)", o->name, o->arg ? o->arg : "see --help");
                goto bad;
            }
            value = argv[++i];
        }
        if (store(c, o, value))
            goto bad;
    }
    if (check_required(c))
        goto bad;
    return MN_CLI_PARSED;
bad:
    mn_cli_free(c);
    return MN_EXIT_BAD_INPUT;
}

void mn_cli_free(const mn_cli_command *c)
{
    const mn_cli_option *tables[2] = {c->options, c->positional};
    for (int t = 0; t < 2; ++t)
        for (const mn_cli_option *o = tables[t]; o && o->kind; ++o)
            if (o->kind == MN_CLI_STRINGS) {
                free(o->to.list->items);
                *o->to.list = (mn_cli_list){0};
            }
}

/* ---- help ---- */

/* Writes text word by word from column `col`, breaking lines before HELP_WIDTH and indenting
 * continuation lines to `indent`. */
static void wrap(FILE *out, const char *text, int col, int indent)
{
    const char *s = text;
    while (*s) {
        size_t len = strcspn(s, " ");
        if (col > indent && col + 1 + (int)len > HELP_WIDTH) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            ++col;
        }
        fprintf(out, "%.*s", (int)len, s);
        col += (int)len;
        s += len;
        s += strspn(s, " ");
    }
    fputc('\n', out);
}

static void synopsis_token(const mn_cli_option *o, int positional, char *buf, size_t size)
{
    const int many = o->kind == MN_CLI_STRINGS;
    const int required = (o->flags & MN_CLI_REQUIRED) != 0;
    char core[128];
    if (positional)
        snprintf(core, sizeof core, "%s", o->name);
    else if (o->kind == MN_CLI_FLAG)
        snprintf(core, sizeof core, "--%s", o->name);
    else
        snprintf(core, sizeof core, "--%s %s", o->name, o->arg ? o->arg : "VALUE");
    snprintf(buf, size, required ? "%s%s" : "[%s]%s", core, many ? "..." : "");
}

static void print_synopsis(const mn_cli_command *c, FILE *out)
{
    int col = fprintf(out, "usage: mnsim %s", c->name);
    const int indent = col + 1;
    if (c->synopsis) {
        fprintf(out, " %s\n", c->synopsis);
        return;
    }
    /* Positional arguments first, then the listed options, in table order; a token is never
     * broken across lines. */
    const mn_cli_option *tables[2] = {c->positional, c->options};
    for (int t = 0; t < 2; ++t)
        for (const mn_cli_option *o = tables[t]; o && o->kind; ++o) {
            if (o->kind == MN_CLI_SECTION || (t == 1 && !o->help))
                continue;
            char tok[160];
            synopsis_token(o, t == 0, tok, sizeof tok);
            const int len = (int)strlen(tok);
            if (col > indent && col + 1 + len > HELP_WIDTH)
                col = fprintf(out, "\n%*s", indent - 1, "") - 1;
            col += fprintf(out, " %s", tok);
        }
    fputc('\n', out);
}

static void option_label(const mn_cli_option *o, char *buf, size_t size)
{
    char shortname[8] = "    ";
    if (o->short_name)
        snprintf(shortname, sizeof shortname, "-%c, ", o->short_name);
    if (o->kind == MN_CLI_FLAG)
        snprintf(buf, size, "%s--%s", shortname, o->name);
    else
        snprintf(buf, size, "%s--%s %s", shortname, o->name, o->arg ? o->arg : "VALUE");
}

static void print_row(FILE *out, const mn_cli_option *row, int width)
{
    if (row->kind == MN_CLI_SECTION) {
        fprintf(out, "%s\n", row->help);
        return;
    }
    if (!row->help)
        return;
    char label[160];
    option_label(row, label, sizeof label);
    const int col = 2 + width + 2;
    if ((int)strlen(label) > width)
        fprintf(out, "  %s\n%*s", label, col, "");
    else
        fprintf(out, "  %-*s  ", width, label);
    wrap(out, row->help, col, col);
}

void mn_cli_help(const mn_cli_command *c, FILE *out)
{
    static const mn_cli_option help = {"help", 'h', MN_CLI_FLAG, .help = "this help"};
    print_synopsis(c, out);
    if (c->description)
        fprintf(out, "\n%s\n", c->description);
    /* The label column: as wide as the widest label that fits LABEL_MAX. */
    char label[160];
    option_label(&help, label, sizeof label);
    int width = (int)strlen(label);
    for (const mn_cli_option *o = c->options; o && o->kind; ++o)
        if (is_option(o) && o->help) {
            option_label(o, label, sizeof label);
            const int len = (int)strlen(label);
            if (len <= LABEL_MAX && len > width)
                width = len;
        }
    fputc('\n', out);
    for (const mn_cli_option *o = c->options; o && o->kind; ++o)
        print_row(out, o, width);
    print_row(out, &help, width);
    if (c->epilog)
        fprintf(out, "\n%s\n", c->epilog);
}
