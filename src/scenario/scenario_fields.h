/* The scenario schema as a table: one row per field, used by the parser, `--set`, the YAML and
 * JSON writers and the generated reference (docs/scenario.md), so none of them can drift. */
#ifndef MN_SCENARIO_FIELDS_H
#define MN_SCENARIO_FIELDS_H

#include <stddef.h>

#include "mnsim/scenario.h"

typedef enum mn__field_type {
    MN__F_DOUBLE,
    MN__F_INT,
    MN__F_BOOL,
    MN__F_ENUM,     /* int-sized enum written by name */
    MN__F_SKIN,     /* Fitzpatrick type: I..VI (or 1..6) */
    MN__F_ADJUNCTS, /* list of adjunct names → bit set */
    MN__F_SESSIONS, /* count, or list of {week, needle_length_mm, passes} */
    MN__F_STRING,
    MN__F_SEED,   /* unsigned integer */
    MN__F_DIST,   /* mn_dist: `patient`, a number, {min, max} or {mean, sd, min, max} */
    MN__F_WEIGHTS /* mn_weights: `patient`, one name, or {name: weight, ...}; value = min + index */
} mn__field_type;

typedef struct mn__field {
    const char *path; /* "section.key" */
    mn__field_type type;
    size_t offset; /* into mn_scenario */
    double min, max;
    const char *unit;
    const char *const *names; /* enum names in value order, NULL-terminated */
    const char *help;
} mn__field;

extern const mn__field mn__scenario_fields[];
extern const size_t mn__scenario_field_count;
extern const char *const mn__section_names[];

const mn__field *mn__field_find(const char *path);

/* The field paths nearest to an unknown `path` by edit distance (at most max, into names);
 * 0 when none is near enough to be a typo of it (scenario_suggest.c). */
size_t mn__field_nearest(const char *path, const char **names, size_t max);
/* Sets err to "<what>: <path>: unknown field; did you mean <nearest>?" (or, with no near field,
 * a pointer to `mnsim schema`) and returns MN_ESCENARIO. */
int mn__field_unknown(const char *what, const char *path, mn_error *err);

#endif
