/* Loading a YAML document into a node tree with libyaml's event API.
 *
 * Why events and not yaml_parser_load: libyaml's loader takes time quadratic in the nesting
 * depth (80 kB of `[[[...` took 15 s), and it accepts duplicate keys and stops reading after
 * the first document. Building the tree from the events lets us stop at the first event past
 * a limit (depth, node count), so hostile input fails after a few hundred tokens, and check
 * keys and documents as they come. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "yaml/yaml_impl.h"

static const mn_yaml_limits default_limits = {
    .max_bytes = MN_YAML_MAX_BYTES, .max_depth = MN_YAML_MAX_DEPTH, .max_nodes = MN_YAML_MAX_NODES};

/* A string-keyed hash set with a scope, for the keys of each mapping (scope: the mapping) and
 * the document's anchors (scope: NULL). Open addressing: a linear scan of earlier keys would
 * make a mapping of n keys cost n²/2 comparisons, seconds for a 100 000-node file. */
typedef struct entry {
    const void *scope;
    const char *key;
    size_t length;
    const mn_yaml_node *node;
} entry;

typedef struct table {
    entry *slots;
    size_t capacity, used; /* capacity a power of two */
} table;

static size_t hash(const void *scope, const char *key, size_t length)
{
    /* FNV-1a over the scope's address and the key's bytes. */
    uint64_t h = 1469598103934665603u;
    uintptr_t s = (uintptr_t)scope;
    for (size_t i = 0; i < sizeof s; ++i, s >>= 8)
        h = (h ^ (s & 0xff)) * 1099511628211u;
    for (size_t i = 0; i < length; ++i)
        h = (h ^ (unsigned char)key[i]) * 1099511628211u;
    return (size_t)h;
}

static entry *table_slot(const table *t, const void *scope, const char *key, size_t length)
{
    size_t mask = t->capacity - 1;
    for (size_t i = hash(scope, key, length) & mask;; i = (i + 1) & mask) {
        entry *e = &t->slots[i];
        if (!e->key || (e->scope == scope && e->length == length && !memcmp(e->key, key, length)))
            return e;
    }
}

static entry *table_find(const table *t, const void *scope, const char *key, size_t length)
{
    if (!t->capacity)
        return NULL;
    entry *e = table_slot(t, scope, key, length);
    return e->key ? e : NULL;
}

/* The entry for (scope, key): an existing one, or a new one with node NULL. NULL: no memory. */
static entry *table_find_or_add(table *t, const void *scope, const char *key, size_t length)
{
    if (2 * (t->used + 1) > t->capacity) {
        table grown = {.capacity = t->capacity ? 2 * t->capacity : 64};
        grown.slots = calloc(grown.capacity, sizeof *grown.slots);
        if (!grown.slots)
            return NULL;
        for (size_t i = 0; i < t->capacity; ++i)
            if (t->slots[i].key)
                *table_slot(&grown, t->slots[i].scope, t->slots[i].key, t->slots[i].length) =
                    t->slots[i];
        grown.used = t->used;
        free(t->slots);
        *t = grown;
    }
    entry *e = table_slot(t, scope, key, length);
    if (!e->key) {
        *e = (entry){.scope = scope, .key = key, .length = length};
        t->used++;
    }
    return e;
}

typedef struct loader {
    mn_yaml_doc *doc;
    const mn_yaml_limits *limits;
    const char *text;
    size_t size;
    mn_error *err;
    mn_yaml_node **stack; /* the open collections, root first */
    int depth;
    table keys, anchors;
    char **anchor_names; /* owned copies, freed with the loader */
    size_t anchor_count;
    int documents;
} loader;

static int fail_at(const loader *ld, yaml_mark_t mark, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(const loader *ld, yaml_mark_t mark, const char *fmt, ...)
{
    char what[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return mn_error_set(ld->err, MN_ESCENARIO, "%s:%lu:%lu: %s", ld->doc->name,
                        (unsigned long)mark.line + 1, (unsigned long)mark.column + 1, what);
}

static int too_deep(const loader *ld, yaml_mark_t mark)
{
    return fail_at(ld, mark,
                   "nested more than %d levels deep (lists and mappings inside each other): not "
                   "an mnsim input",
                   ld->limits->max_depth);
}

static int too_many_nodes(const loader *ld, yaml_mark_t mark)
{
    return fail_at(ld, mark,
                   "more than %zu values (scalars, lists and mappings): not an mnsim input",
                   ld->limits->max_nodes);
}

static int new_node(loader *ld, mn_yaml_kind kind, yaml_mark_t mark, mn_yaml_node **out)
{
    mn_yaml_doc *doc = ld->doc;
    if (doc->node_count >= ld->limits->max_nodes)
        return too_many_nodes(ld, mark);
    if (!doc->chunks || doc->chunks->used == MN__YAML_CHUNK) {
        mn__yaml_chunk *c = calloc(1, sizeof *c);
        if (!c)
            return mn_error_set(ld->err, MN_ENOMEM, "%s: out of memory", doc->name);
        c->next = doc->chunks;
        doc->chunks = c;
    }
    mn_yaml_node *n = &doc->chunks->nodes[doc->chunks->used++];
    doc->node_count++;
    n->doc = doc;
    n->kind = kind;
    n->line = (unsigned long)mark.line + 1;
    n->column = (unsigned long)mark.column + 1;
    *out = n;
    return MN_OK;
}

/* "a.b[2].c": the path from the root to the key being added to the innermost open mapping,
 * as the callers name fields. A key that is itself a list or mapping shows as "?". */
static void key_path(const loader *ld, const char *key, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < ld->depth && used < size; ++i) {
        const mn_yaml_node *c = ld->stack[i];
        int w;
        if (i + 1 == ld->depth)
            w = snprintf(buf + used, size - used, "%s%s", used ? "." : "", key);
        else if (c->kind == MN_YAML_SEQUENCE)
            w = snprintf(buf + used, size - used, "[%zu]", c->count - 1);
        else if (c->count % 2 == 0 && c->children[c->count - 2]->kind == MN_YAML_SCALAR)
            w = snprintf(buf + used, size - used, "%s%s", used ? "." : "",
                         c->children[c->count - 2]->value);
        else
            w = snprintf(buf + used, size - used, "%s?", used ? "." : "");
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* Appends a finished (or, for collections, just opened) node to the innermost open collection,
 * or makes it the root. Refuses a scalar key given twice in the same mapping. */
static int attach(loader *ld, const mn_yaml_node *n)
{
    if (ld->depth == 0) {
        ld->doc->root = n;
        return MN_OK;
    }
    mn_yaml_node *parent = ld->stack[ld->depth - 1];
    if (parent->kind == MN_YAML_MAPPING && parent->count % 2 == 0 && n->kind == MN_YAML_SCALAR) {
        entry *e = table_find_or_add(&ld->keys, parent, n->value, n->length);
        if (!e)
            return mn_error_set(ld->err, MN_ENOMEM, "%s: out of memory", ld->doc->name);
        if (e->node) {
            char path[400];
            key_path(ld, n->value, path, sizeof path);
            return mn_error_set(ld->err, MN_ESCENARIO,
                                "%s:%lu:%lu: %s: given twice (first on line %lu)", ld->doc->name,
                                n->line, n->column, path, e->node->line);
        }
        e->node = n;
    }
    if (parent->count == parent->capacity) {
        size_t cap = parent->capacity ? 2 * parent->capacity : 4;
        const mn_yaml_node **grown = realloc(parent->children, cap * sizeof *grown);
        if (!grown)
            return mn_error_set(ld->err, MN_ENOMEM, "%s: out of memory", ld->doc->name);
        parent->children = grown;
        parent->capacity = cap;
    }
    parent->children[parent->count++] = n;
    if (parent->height < n->height + 1)
        parent->height = n->height + 1;
    return MN_OK;
}

static int add_anchor(loader *ld, const yaml_char_t *anchor, const mn_yaml_node *n)
{
    if (!anchor)
        return MN_OK;
    size_t len = strlen((const char *)anchor);
    char *name = malloc(len + 1);
    char **names = realloc(ld->anchor_names, (ld->anchor_count + 1) * sizeof *names);
    if (names)
        ld->anchor_names = names;
    entry *e = name && names
                   ? table_find_or_add(&ld->anchors, NULL, memcpy(name, anchor, len + 1), len)
                   : NULL;
    if (!e) {
        free(name);
        return mn_error_set(ld->err, MN_ENOMEM, "%s: out of memory", ld->doc->name);
    }
    ld->anchor_names[ld->anchor_count++] = name;
    e->node = n; /* a later anchor of the same name replaces the earlier one, as in YAML */
    return MN_OK;
}

static int on_event(loader *ld, const yaml_event_t *ev)
{
    const yaml_mark_t mark = ev->start_mark;
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++ld->documents > 1)
            return fail_at(ld, mark, "a second YAML document: one document per file");
        return MN_OK;
    case YAML_SCALAR_EVENT: {
        mn_yaml_node *n;
        int rc = new_node(ld, MN_YAML_SCALAR, mark, &n);
        if (rc)
            return rc;
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        n->length = ev->data.scalar.length;
        n->value = malloc(n->length + 1);
        if (!n->value)
            return mn_error_set(ld->err, MN_ENOMEM, "%s: out of memory", ld->doc->name);
        memcpy(n->value, ev->data.scalar.value, n->length);
        n->value[n->length] = '\0';
        rc = add_anchor(ld, ev->data.scalar.anchor, n);
        return rc ? rc : attach(ld, n);
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        if (ld->depth >= ld->limits->max_depth)
            return too_deep(ld, mark);
        int seq = ev->type == YAML_SEQUENCE_START_EVENT;
        mn_yaml_node *n;
        int rc = new_node(ld, seq ? MN_YAML_SEQUENCE : MN_YAML_MAPPING, mark, &n);
        if (rc)
            return rc;
        n->open = true;
        n->height = 1;
        rc =
            add_anchor(ld, seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor, n);
        if (!rc)
            rc = attach(ld, n);
        if (!rc)
            ld->stack[ld->depth++] = n;
        return rc;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: {
        mn_yaml_node *n = ld->stack[--ld->depth];
        n->open = false;
        /* Its children came after it was attached: pass its final height to its parent. */
        if (ld->depth > 0 && ld->stack[ld->depth - 1]->height < n->height + 1)
            ld->stack[ld->depth - 1]->height = n->height + 1;
        return MN_OK;
    }
    case YAML_ALIAS_EVENT: {
        const char *name = (const char *)ev->data.alias.anchor;
        const entry *e = table_find(&ld->anchors, NULL, name, strlen(name));
        if (!e)
            return fail_at(ld, mark, "alias *%s: no anchor &%s before it", name, name);
        const mn_yaml_node *target = e->node;
        if (target->open)
            return fail_at(ld, mark, "alias *%s lies inside the node it names (a cycle)", name);
        /* An alias shares its target (as libyaml's loader did), so count the target's nesting
         * where the alias stands: `&a [[...]]` repeated by aliases must not escape the limit. */
        if (ld->depth + target->height > ld->limits->max_depth)
            return too_deep(ld, mark);
        if (ld->doc->node_count >= ld->limits->max_nodes)
            return too_many_nodes(ld, mark);
        ld->doc->node_count++;
        return attach(ld, target);
    }
    default:
        return MN_OK;
    }
}

/* libyaml's message, or ours when it is about a tab in the indentation. */
static int syntax_error(const loader *ld, const yaml_parser_t *parser)
{
    yaml_mark_t mark = parser->problem_mark;
    const char *p = ld->text, *end = ld->text + ld->size;
    for (size_t line = 0; p < end && line < mark.line; ++p)
        line += *p == '\n';
    size_t indent = 0;
    int tab = 0;
    for (; p + indent < end && (p[indent] == ' ' || p[indent] == '\t'); ++indent)
        tab |= p[indent] == '\t';
    if (tab && mark.column <= indent)
        return fail_at(ld, mark, "tabs are not allowed for indentation in YAML; use spaces");
    return fail_at(ld, mark, "broken YAML: %s%s%s",
                   parser->problem ? parser->problem : "syntax error", parser->context ? " " : "",
                   parser->context ? parser->context : "");
}

static int parse(loader *ld)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return mn_error_set(ld->err, MN_ENOMEM, "%s: cannot initialise the YAML parser",
                            ld->doc->name);
    yaml_parser_set_input_string(&parser, (const unsigned char *)ld->text, ld->size);
    int rc = MN_OK, done = 0;
    while (!rc && !done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = syntax_error(ld, &parser);
            break;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        rc = on_event(ld, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    return rc;
}

void mn_yaml_free(mn_yaml_doc **doc)
{
    if (!doc || !*doc)
        return;
    for (mn__yaml_chunk *c = (*doc)->chunks, *next; c; c = next) {
        next = c->next;
        for (size_t i = 0; i < c->used; ++i) {
            free(c->nodes[i].value);
            free(c->nodes[i].children);
        }
        free(c);
    }
    free((*doc)->name);
    free(*doc);
    *doc = NULL;
}

int mn_yaml_load_string(const char *text, size_t size, const char *name,
                        const mn_yaml_limits *limits, mn_yaml_doc **out, mn_error *err)
{
    if (!text || !out)
        return mn_error_set(err, MN_EINVAL, "mn_yaml_load_string: NULL argument");
    *out = NULL;
    if (!name)
        name = "<string>";
    if (!limits)
        limits = &default_limits;
    if (size > limits->max_bytes)
        return mn_error_set(err, MN_ESCENARIO, "%s:1:1: %zu bytes, more than the %zu allowed", name,
                            size, limits->max_bytes);
    if (memchr(text, '\0', size))
        return mn_error_set(err, MN_ESCENARIO, "%s:1:1: binary data (NUL byte): not YAML", name);
    mn_yaml_doc *doc = calloc(1, sizeof *doc);
    size_t name_len = strlen(name);
    if (doc)
        doc->name = malloc(name_len + 1);
    mn_yaml_node **stack =
        malloc(((size_t)(limits->max_depth > 0 ? limits->max_depth : 0) + 1) * sizeof *stack);
    if (!doc || !doc->name || !stack) {
        free(stack);
        mn_yaml_free(&doc);
        return mn_error_set(err, MN_ENOMEM, "%s: out of memory", name);
    }
    memcpy(doc->name, name, name_len + 1);
    doc->null_root = (mn_yaml_node){
        .doc = doc, .kind = MN_YAML_SCALAR, .plain = true, .line = 1, .column = 1, .value = ""};
    loader ld = {
        .doc = doc, .limits = limits, .text = text, .size = size, .err = err, .stack = stack};
    int rc = parse(&ld);
    free(stack);
    free(ld.keys.slots);
    free(ld.anchors.slots);
    for (size_t i = 0; i < ld.anchor_count; ++i)
        free(ld.anchor_names[i]);
    free(ld.anchor_names);
    if (rc) {
        mn_yaml_free(&doc);
        return rc;
    }
    if (!doc->root) {
        doc->root = &doc->null_root;
        doc->empty = true;
    }
    *out = doc;
    return MN_OK;
}

int mn_yaml_load_file(const char *path, const char *what, const mn_yaml_limits *limits,
                      mn_yaml_doc **out, mn_error *err)
{
    if (!path || !out)
        return mn_error_set(err, MN_EINVAL, "mn_yaml_load_file: NULL argument");
    *out = NULL;
    if (!what)
        what = "YAML file";
    if (!limits)
        limits = &default_limits;
    FILE *f = fopen(path, "rb");
    if (!f)
        return mn_error_set(err, MN_EIO, "%s: cannot open %s: %s", path, what, strerror(errno));
    /* Read one byte past the limit: the size is known before libyaml sees a byte. */
    char *buf = malloc(limits->max_bytes + 1);
    if (!buf) {
        fclose(f);
        return mn_error_set(err, MN_ENOMEM, "%s: out of memory", path);
    }
    size_t n = fread(buf, 1, limits->max_bytes + 1, f);
    int read_error = ferror(f);
    fclose(f);
    int rc;
    if (read_error)
        rc = mn_error_set(err, MN_EIO, "%s: read error (is it a directory?)", path);
    else if (n > limits->max_bytes)
        rc = mn_error_set(err, MN_ESCENARIO, "%s:1:1: file larger than %zu bytes: not a %s", path,
                          limits->max_bytes, what);
    else if (memchr(buf, '\0', n))
        rc =
            mn_error_set(err, MN_ESCENARIO, "%s:1:1: binary file (NUL byte): not a %s", path, what);
    else
        rc = mn_yaml_load_string(buf, n, path, limits, out, err);
    free(buf);
    return rc;
}
