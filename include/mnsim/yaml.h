/* The one YAML reader of every mnsim input (scenarios and `--set` values, parameter files,
 * study files). A document is loaded with libyaml's event API into a tree of nodes that keep
 * their line and column; typed accessors read the nodes and fail with one message format,
 *
 *     file:line:col: field.path: what is wrong
 *
 * the field path given by the caller (the reader knows only positions, the caller knows what
 * the value means). Bad input returns MN_ESCENARIO, the code every front-end has always
 * reported for a bad input file (the CLI's exit code 2); a file that cannot be read MN_EIO.
 *
 * The loader refuses, before or while parsing, so that a hostile file fails in milliseconds
 * and bounded memory: more than `max_bytes` (checked before parsing), nesting deeper than
 * `max_depth` lists and mappings, more than `max_nodes` nodes, a key given twice in a mapping,
 * a second document, NUL bytes. Tabs in indentation get a message saying so instead of
 * libyaml's "cannot start any token". docs/scenario.md states the limits.
 *
 * One writing helper lives here too, mn_yaml_quote, so that what the writers emit (the resolved
 * scenario) is quoted by the same module that reads it back. */
#ifndef MNSIM_YAML_H
#define MNSIM_YAML_H

#include <stdbool.h>
#include <stddef.h>

#include "mnsim/error.h"

/* The defaults: a scenario is a few kilobytes and 4 levels deep; these leave room for any
 * hand-written input while refusing generated garbage early. */
#define MN_YAML_MAX_BYTES ((size_t)4 << 20)
#define MN_YAML_MAX_DEPTH 32
#define MN_YAML_MAX_NODES ((size_t)100000)

typedef struct mn_yaml_limits {
    size_t max_bytes; /* size of the text */
    int max_depth;    /* lists and mappings inside each other (the root collection is 1) */
    size_t max_nodes; /* scalars, lists, mappings and aliases */
} mn_yaml_limits;

typedef struct mn_yaml_doc mn_yaml_doc;   /* a loaded document; owns its nodes */
typedef struct mn_yaml_node mn_yaml_node; /* one node, valid while its document lives */

typedef enum mn_yaml_kind { MN_YAML_SCALAR, MN_YAML_SEQUENCE, MN_YAML_MAPPING } mn_yaml_kind;

/* Loads the file at `path`; `what` names the kind of file in messages ("scenario", "study
 * file": "cannot open scenario: ..."). `limits` NULL takes the defaults above. */
MN_EXPORT int mn_yaml_load_file(const char *path, const char *what, const mn_yaml_limits *limits,
                                mn_yaml_doc **out, mn_error *err);
/* Loads `size` bytes of text; `name` stands for the file name in messages. */
MN_EXPORT int mn_yaml_load_string(const char *text, size_t size, const char *name,
                                  const mn_yaml_limits *limits, mn_yaml_doc **out, mn_error *err);
/* Frees the document and its nodes and sets *doc to NULL; safe on NULL. */
MN_EXPORT void mn_yaml_free(mn_yaml_doc **doc);

/* The root node, never NULL: a text without a document (empty, or only comments) has a null
 * scalar at 1:1 as its root, and mn_yaml_empty() tells that case apart from `---` or `~`. */
MN_EXPORT const mn_yaml_node *mn_yaml_root(const mn_yaml_doc *doc);
MN_EXPORT bool mn_yaml_empty(const mn_yaml_doc *doc);
/* The file name (or `name`) the document was loaded as. */
MN_EXPORT const char *mn_yaml_name(const mn_yaml_doc *doc);

/* ---- nodes ---- */
/* The document a node belongs to (for its name). */
MN_EXPORT const mn_yaml_doc *mn_yaml_node_doc(const mn_yaml_node *n);
MN_EXPORT mn_yaml_kind mn_yaml_kind_of(const mn_yaml_node *n);
/* 1-based position of the node's first character. */
MN_EXPORT unsigned long mn_yaml_line(const mn_yaml_node *n);
MN_EXPORT unsigned long mn_yaml_column(const mn_yaml_node *n);
/* The scalar's text (tags are ignored, as they always were), or NULL for a list or mapping. */
MN_EXPORT const char *mn_yaml_scalar(const mn_yaml_node *n);
/* YAML's null: an unquoted empty scalar, `~`, `null` or `Null`. */
MN_EXPORT bool mn_yaml_is_null(const mn_yaml_node *n);
/* For messages: "nothing" (null), "a scalar", "a list" or "a mapping". */
MN_EXPORT const char *mn_yaml_describe(const mn_yaml_node *n);

/* Items of a sequence or pairs of a mapping (0 for a scalar), and their nodes by index
 * (NULL past the end or on the wrong kind). Pairs keep their order in the file. */
MN_EXPORT size_t mn_yaml_count(const mn_yaml_node *n);
MN_EXPORT const mn_yaml_node *mn_yaml_item(const mn_yaml_node *seq, size_t i);
MN_EXPORT const mn_yaml_node *mn_yaml_key(const mn_yaml_node *map, size_t i);
MN_EXPORT const mn_yaml_node *mn_yaml_value(const mn_yaml_node *map, size_t i);
/* The value of the scalar key `key`, or NULL (keys are unique: the loader refuses twice). */
MN_EXPORT const mn_yaml_node *mn_yaml_get(const mn_yaml_node *map, const char *key);

/* ---- typed accessors: MN_OK, or MN_ESCENARIO with err = "file:line:col: field: ..." ---- */

/* Fails at node n (its document gives the file name): the one message format. `field` NULL
 * or "" leaves the field out ("file:line:col: message"). Returns MN_ESCENARIO. */
MN_EXPORT int mn_yaml_fail(mn_error *err, const mn_yaml_node *n, const char *field, const char *fmt,
                           ...) __attribute__((format(printf, 4, 5)));

/* Allowed values of a number; ±INFINITY leaves a side open. `unit` ("" or NULL: none) and
 * `note` (NULL: none) are shown with the range: "(allowed 18 to 100 years)". */
typedef struct mn_yaml_range {
    double min, max;
    const char *unit;
    const char *note;
} mn_yaml_range;

/* A finite number within `range` (NULL: any finite number). Refuses nan, inf and hex as no
 * simulation input is meant to be one, and says "use a decimal point" for `1,5`. */
MN_EXPORT int mn_yaml_double(const mn_yaml_node *n, const char *field, const mn_yaml_range *range,
                             double *out, mn_error *err);
/* A whole number within `range` (which must lie within the type's range). */
MN_EXPORT int mn_yaml_int(const mn_yaml_node *n, const char *field, const mn_yaml_range *range,
                          int *out, mn_error *err);
MN_EXPORT int mn_yaml_ulong(const mn_yaml_node *n, const char *field, const mn_yaml_range *range,
                            unsigned long *out, mn_error *err);
/* true/True/yes or false/False/no. */
MN_EXPORT int mn_yaml_bool(const mn_yaml_node *n, const char *field, bool *out, mn_error *err);
/* A scalar's text copied into buf (refused when it does not fit in `size` with its NUL). */
MN_EXPORT int mn_yaml_string(const mn_yaml_node *n, const char *field, char *buf, size_t size,
                             mn_error *err);
/* The index of the scalar among `names` (NULL-terminated, compared exactly). */
MN_EXPORT int mn_yaml_enum(const mn_yaml_node *n, const char *field, const char *const *names,
                           int *out, mn_error *err);
/* MN_OK when n is a mapping (sequence); else fails "expected EXPECTED, got a list", EXPECTED
 * NULL meaning "a mapping" ("a list"). Iterate with mn_yaml_count and mn_yaml_key/value/item. */
MN_EXPORT int mn_yaml_mapping(const mn_yaml_node *n, const char *field, const char *expected,
                              mn_error *err);
MN_EXPORT int mn_yaml_sequence(const mn_yaml_node *n, const char *field, const char *expected,
                               mn_error *err);

/* ---- writing ---- */

/* Writes s as a YAML double-quoted scalar into buf (always NUL-terminated, cut at size), such
 * that the loader reads back exactly s for any UTF-8 text: quotes, backslashes, `: `, `#`,
 * line breaks and control characters are escaped. Returns the length the whole quoted text
 * needs, without its NUL (as snprintf). Bytes that are not UTF-8 are written as \xHH, which
 * reads back as U+00HH: YAML is Unicode text and cannot carry them. */
MN_EXPORT size_t mn_yaml_quote(char *buf, size_t size, const char *s);

#endif
