/* Scenario parsing: the document tree of the YAML reader (mnsim/yaml.h) walked against the
 * field table, so every error names file:line:column, the field and what is allowed. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mnsim/yaml.h"
#include "scenario/scenario_fields.h"

static int parse_number(const mn_yaml_node *n, const char *field, double min, double max,
                        const char *unit, double *out, mn_error *err)
{
    const mn_yaml_range range = {.min = min, .max = max, .unit = unit};
    return mn_yaml_double(n, field, &range, out, err);
}

static int parse_int(const mn_yaml_node *n, const char *field, double min, double max,
                     const char *unit, int *out, mn_error *err)
{
    const mn_yaml_range range = {.min = min, .max = max, .unit = unit};
    return mn_yaml_int(n, field, &range, out, err);
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

static int parse_skin(const mn_yaml_node *n, const char *field, const char *const *names, int *out,
                      mn_error *err)
{
    const char *s = mn_yaml_scalar(n);
    if (!s)
        return mn_yaml_fail(err, n, field, "expected a Fitzpatrick skin type I..VI, got %s",
                            mn_yaml_describe(n));
    for (int i = 0; names[i]; ++i)
        if (strcasecmp(s, names[i]) == 0) {
            *out = i + 1;
            return MN_OK;
        }
    if (strlen(s) == 1 && s[0] >= '1' && s[0] <= '6') {
        *out = s[0] - '0';
        return MN_OK;
    }
    return mn_yaml_fail(err, n, field,
                        "'%s' is not a Fitzpatrick skin type (expected I..VI or 1..6)", s);
}

static int parse_adjuncts(const mn_yaml_node *n, const char *field, const char *const *names,
                          unsigned *out, mn_error *err)
{
    char allowed[256];
    names_list(names, allowed, sizeof allowed);
    if (mn_yaml_is_null(n)) {
        *out = 0;
        return MN_OK;
    }
    if (mn_yaml_kind_of(n) != MN_YAML_SEQUENCE)
        return mn_yaml_fail(err, n, field, "expected a list of adjuncts ([] or some of %s), got %s",
                            allowed, mn_yaml_describe(n));
    unsigned bits = 0;
    for (size_t i = 0; i < mn_yaml_count(n); ++i) {
        const mn_yaml_node *item = mn_yaml_item(n, i);
        int idx;
        int rc = mn_yaml_enum(item, field, names, &idx, err);
        if (rc)
            return rc;
        if (bits & (1u << idx))
            return mn_yaml_fail(err, item, field, "'%s' is listed twice", names[idx]);
        bits |= 1u << idx;
    }
    *out = bits;
    return MN_OK;
}

static int parse_session_item(const mn_yaml_node *n, int index, mn_session *s, mn_error *err)
{
    char field[96];
    snprintf(field, sizeof field, "treatment.sessions[%d]", index);
    int rc = mn_yaml_mapping(n, field, "a mapping such as {week: 4, needle_length_mm: 1.0}", err);
    if (rc)
        return rc;
    *s = (mn_session){.week = NAN, .needle_length_mm = 0, .passes = 0};
    for (size_t i = 0; i < mn_yaml_count(n); ++i) {
        const mn_yaml_node *k = mn_yaml_key(n, i), *v = mn_yaml_value(n, i);
        const char *key = mn_yaml_scalar(k);
        if (!key)
            return mn_yaml_fail(err, k, field, "keys must be plain names");
        char sub[160];
        snprintf(sub, sizeof sub, "%s.%s", field, key);
        if (strcmp(key, "week") == 0)
            rc = parse_number(v, sub, 0, 520, "weeks", &s->week, err);
        else if (strcmp(key, "needle_length_mm") == 0)
            rc = parse_number(v, sub, 0.1, 3.0, "mm", &s->needle_length_mm, err);
        else if (strcmp(key, "passes") == 0)
            rc = parse_int(v, sub, 1, 50, "passes", &s->passes, err);
        else
            rc = mn_yaml_fail(err, k, sub, "unknown key (allowed: week, needle_length_mm, passes)");
        if (rc)
            return rc;
    }
    if (isnan(s->week))
        return mn_yaml_fail(err, n, field, "missing `week` (weeks after the first session)");
    return MN_OK;
}

static int parse_sessions(const mn_yaml_node *n, mn_treatment_spec *t, mn_error *err)
{
    const char *field = "treatment.sessions";
    if (mn_yaml_kind_of(n) == MN_YAML_SCALAR) {
        int count;
        int rc = parse_int(n, field, 1, MN_MAX_SESSIONS, "sessions", &count, err);
        if (rc)
            return rc;
        t->session_count = count;
        t->sessions_listed = false;
        return MN_OK;
    }
    if (mn_yaml_kind_of(n) != MN_YAML_SEQUENCE)
        return mn_yaml_fail(err, n, field,
                            "expected a count (1 to %d) or a list of sessions, got %s",
                            MN_MAX_SESSIONS, mn_yaml_describe(n));
    int count = (int)mn_yaml_count(n);
    if (count < 1 || count > MN_MAX_SESSIONS)
        return mn_yaml_fail(err, n, field, "%d sessions listed (allowed 1 to %d)", count,
                            MN_MAX_SESSIONS);
    for (int i = 0; i < count; ++i) {
        const mn_yaml_node *item = mn_yaml_item(n, (size_t)i);
        int rc = parse_session_item(item, i, &t->sessions[i], err);
        if (rc)
            return rc;
        char sub[96];
        snprintf(sub, sizeof sub, "treatment.sessions[%d].week", i);
        if (i == 0 && t->sessions[0].week != 0.0)
            return mn_yaml_fail(err, item, sub,
                                "%g, but the first session defines day 0 (its week must be 0)",
                                t->sessions[0].week);
        if (i > 0 && !(t->sessions[i].week > t->sessions[i - 1].week))
            return mn_yaml_fail(err, item, sub,
                                "week %g is not after the previous session (week %g): list "
                                "sessions in time order",
                                t->sessions[i].week, t->sessions[i - 1].week);
    }
    t->session_count = count;
    t->sessions_listed = true;
    return MN_OK;
}

static int is_patient(const mn_yaml_node *n)
{
    const char *s = mn_yaml_scalar(n);
    return s && strcmp(s, "patient") == 0;
}

/* A cohort distribution (added to schema 1): `patient`, a number, {min, max} (uniform) or
 * {mean, sd, min, max} (normal truncated to [min, max], which default to the allowed range). */
static int parse_dist(const mn_yaml_node *n, const mn__field *f, mn_dist *out, mn_error *err)
{
    if (is_patient(n)) {
        *out = (mn_dist){.kind = MN_DIST_PATIENT};
        return MN_OK;
    }
    if (mn_yaml_kind_of(n) == MN_YAML_SCALAR) {
        double v;
        int rc = parse_number(n, f->path, f->min, f->max, f->unit, &v, err);
        if (rc == MN_OK)
            *out = (mn_dist){.kind = MN_DIST_FIXED, .mean = v, .min = v, .max = v};
        return rc;
    }
    int rc =
        mn_yaml_mapping(n, f->path, "`patient`, a number, {min, max} or {mean, sd, min, max}", err);
    if (rc)
        return rc;
    double v[4] = {NAN, NAN, f->min, f->max}; /* mean, sd, min, max */
    int given[4] = {0, 0, 0, 0};
    static const char *const keys[4] = {"mean", "sd", "min", "max"};
    for (size_t p = 0; p < mn_yaml_count(n); ++p) {
        const mn_yaml_node *k = mn_yaml_key(n, p), *val = mn_yaml_value(n, p);
        const char *key = mn_yaml_scalar(k);
        char sub[160];
        snprintf(sub, sizeof sub, "%s.%s", f->path, key ? key : "?");
        int which = -1;
        for (int i = 0; i < 4 && key; ++i)
            if (strcmp(key, keys[i]) == 0)
                which = i;
        if (which < 0)
            return mn_yaml_fail(err, k, sub, "unknown key (allowed: mean, sd, min, max)");
        double lo = which == 1 ? 0.0 : f->min, hi = which == 1 ? f->max - f->min : f->max;
        rc = parse_number(val, sub, lo, hi, f->unit, &v[which], err);
        if (rc)
            return rc;
        given[which] = 1;
    }
    if (!(v[2] <= v[3]))
        return mn_yaml_fail(err, n, f->path, "min %g is above max %g", v[2], v[3]);
    if (given[0] != given[1])
        return mn_yaml_fail(err, n, f->path, "a normal distribution needs both `mean` and `sd`");
    if (given[0]) {
        if (v[0] < v[2] || v[0] > v[3])
            return mn_yaml_fail(err, n, f->path, "mean %g lies outside [min %g, max %g]", v[0],
                                v[2], v[3]);
        *out =
            (mn_dist){.kind = MN_DIST_NORMAL, .mean = v[0], .sd = v[1], .min = v[2], .max = v[3]};
        return MN_OK;
    }
    if (!given[2] || !given[3])
        return mn_yaml_fail(err, n, f->path,
                            "a uniform distribution needs `min` and `max` "
                            "(or give `mean` and `sd` for a normal one)");
    *out =
        (mn_dist){.kind = MN_DIST_UNIFORM, .mean = 0.5 * (v[2] + v[3]), .min = v[2], .max = v[3]};
    return MN_OK;
}

/* Category weights (added to schema 1): `patient`, one name, or {name: weight, ...}. Names
 * match without regard to case, so `ii` and `II` are the same category: the loader's duplicate
 * check (exact keys) does not see that, this one does. */
static int parse_weights(const mn_yaml_node *n, const mn__field *f, mn_weights *out, mn_error *err)
{
    char allowed[256];
    names_list(f->names, allowed, sizeof allowed);
    mn_weights w = {{0}};
    if (is_patient(n)) {
        *out = w;
        return MN_OK;
    }
    if (mn_yaml_kind_of(n) == MN_YAML_SCALAR) {
        for (int i = 0; f->names[i]; ++i)
            if (strcasecmp(mn_yaml_scalar(n), f->names[i]) == 0) {
                w.w[i] = 1.0;
                *out = w;
                return MN_OK;
            }
        return mn_yaml_fail(err, n, f->path,
                            "'%s' is not allowed (expected `patient`, one of %s, or "
                            "weights {name: weight, ...})",
                            mn_yaml_scalar(n), allowed);
    }
    if (mn_yaml_kind_of(n) != MN_YAML_MAPPING)
        return mn_yaml_fail(err, n, f->path, "expected `patient`, one of %s, or weights, got %s",
                            allowed, mn_yaml_describe(n));
    double sum = 0;
    for (size_t p = 0; p < mn_yaml_count(n); ++p) {
        const mn_yaml_node *k = mn_yaml_key(n, p), *val = mn_yaml_value(n, p);
        const char *key = mn_yaml_scalar(k);
        int which = -1;
        for (int i = 0; key && f->names[i]; ++i)
            if (strcasecmp(key, f->names[i]) == 0)
                which = i;
        char sub[160];
        snprintf(sub, sizeof sub, "%s.%s", f->path, key ? key : "?");
        if (which < 0)
            return mn_yaml_fail(err, k, sub, "unknown category (allowed: %s)", allowed);
        if (w.w[which] != 0)
            return mn_yaml_fail(err, k, sub, "given twice");
        int rc = parse_number(val, sub, 0, 1e9, "(relative weight)", &w.w[which], err);
        if (rc)
            return rc;
        sum += w.w[which];
    }
    if (!(sum > 0))
        return mn_yaml_fail(err, n, f->path,
                            "the weights sum to 0 (give at least one positive weight)");
    *out = w;
    return MN_OK;
}

/* The needle count and passes that follow the device kind: a roller's drum carries 192 needles
 * (Dermaroller MF8: 192 needles in 8 rows, Schwarz & Laaff 2011) and is rolled in crossing
 * directions, ~8 passes (Singh & Yadav 2016, secondary); a pen cartridge 12 and 4 passes
 * (SkinPen: 12 needles, FDA DEN160029 summary, secondary); a stamp as a pen. */
static void kind_defaults(mn_device_kind kind, int *needles, int *passes)
{
    *needles = kind == MN_DEVICE_ROLLER ? 192 : 12;
    *passes = kind == MN_DEVICE_ROLLER ? 8 : 4;
}

/* device.kind: the needles and passes follow the kind unless they were changed from the
 * previous kind's defaults (a file's device section is read kind first, so counts written in
 * it always win). */
static int parse_kind(const mn__field *f, const mn_yaml_node *v, mn_scenario *sc, mn_error *err)
{
    int old_needles, old_passes, kind = (int)sc->device.kind;
    kind_defaults(sc->device.kind, &old_needles, &old_passes);
    int rc = mn_yaml_enum(v, f->path, f->names, &kind, err);
    if (rc)
        return rc;
    int needles, passes;
    kind_defaults((mn_device_kind)kind, &needles, &passes);
    if (sc->device.needles == old_needles)
        sc->device.needles = needles;
    if (sc->device.passes == old_passes)
        sc->device.passes = passes;
    sc->device.kind = (mn_device_kind)kind;
    return MN_OK;
}

static int parse_field(const mn__field *f, const mn_yaml_node *v, mn_scenario *sc, mn_error *err)
{
    char *base = (char *)sc + f->offset;
    if (f->offset == offsetof(mn_scenario, device.kind) && f->type == MN__F_ENUM)
        return parse_kind(f, v, sc, err);
    switch (f->type) {
    case MN__F_DOUBLE:
        return parse_number(v, f->path, f->min, f->max, f->unit, (double *)base, err);
    case MN__F_INT:
        return parse_int(v, f->path, f->min, f->max, f->unit, (int *)base, err);
    case MN__F_BOOL:
        return mn_yaml_bool(v, f->path, (bool *)base, err);
    case MN__F_ENUM:
        return mn_yaml_enum(v, f->path, f->names, (int *)base, err);
    case MN__F_SKIN:
        return parse_skin(v, f->path, f->names, (int *)base, err);
    case MN__F_ADJUNCTS:
        return parse_adjuncts(v, f->path, f->names, (unsigned *)base, err);
    case MN__F_SESSIONS:
        return parse_sessions(v, (mn_treatment_spec *)base, err);
    case MN__F_STRING: {
        const char *s = mn_yaml_scalar(v);
        if (!s || mn_yaml_is_null(v) || s[0] == '\0')
            return mn_yaml_fail(err, v, f->path, "expected a non-empty path, got %s",
                                mn_yaml_describe(v));
        size_t len = strlen(s);
        if (len >= MN_PATH_MAX)
            return mn_yaml_fail(err, v, f->path, "path is %zu characters long (at most %d)", len,
                                MN_PATH_MAX - 1);
        memcpy(base, s, len + 1);
        return MN_OK;
    }
    case MN__F_SEED: {
        const mn_yaml_range range = {.min = f->min, .max = f->max};
        return mn_yaml_ulong(v, f->path, &range, (unsigned long *)base, err);
    }
    case MN__F_DIST:
        return parse_dist(v, f, (mn_dist *)base, err);
    case MN__F_WEIGHTS:
        return parse_weights(v, f, (mn_weights *)base, err);
    }
    return mn_yaml_fail(err, v, f->path, "internal error: unknown field type");
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

/* Keys given twice never get here: the YAML reader refuses them with both lines. */
static int parse_section(const char *section, const mn_yaml_node *n, mn_scenario *sc, mn_error *err)
{
    char allowed[512];
    allowed_keys(section, allowed, sizeof allowed);
    if (mn_yaml_is_null(n))
        return MN_OK; /* an empty section keeps every default */
    if (mn_yaml_kind_of(n) != MN_YAML_MAPPING)
        return mn_yaml_fail(err, n, section, "expected a mapping of %s settings (%s), got %s",
                            section, allowed, mn_yaml_describe(n));
    /* device.kind first: the counts that follow the kind must not override those written. */
    const int passes = strcmp(section, "device") == 0 ? 2 : 1;
    for (size_t t = 0; t < mn_yaml_count(n) * (size_t)passes; ++t) {
        const size_t i = t % mn_yaml_count(n);
        const int pass = passes == 2 ? (int)(t / mn_yaml_count(n)) : 1;
        const mn_yaml_node *k = mn_yaml_key(n, i), *v = mn_yaml_value(n, i);
        const char *key = mn_yaml_scalar(k);
        if (!key)
            return mn_yaml_fail(err, k, section, "keys must be plain names");
        if ((pass == 0) != (passes == 2 && strcmp(key, "kind") == 0))
            continue; /* pass 0 reads only device.kind, pass 1 everything else */
        char path[160];
        snprintf(path, sizeof path, "%s.%s", section, key);
        const mn__field *f = mn__field_find(path);
        if (!f)
            return mn_yaml_fail(err, k, path, "unknown key (allowed in %s: %s)", section, allowed);
        int rc = parse_field(f, v, sc, err);
        if (rc)
            return rc;
    }
    return MN_OK;
}

static int parse_root(const mn_yaml_node *root, mn_scenario *sc, mn_error *err)
{
    if (mn_yaml_kind_of(root) != MN_YAML_MAPPING)
        return mn_yaml_fail(err, root, NULL,
                            "expected a mapping at the top level (mnsim: 1, patient: ...)");
    int have_schema = 0;
    for (size_t i = 0; i < mn_yaml_count(root); ++i) {
        const mn_yaml_node *k = mn_yaml_key(root, i), *v = mn_yaml_value(root, i);
        const char *key = mn_yaml_scalar(k);
        if (!key)
            return mn_yaml_fail(err, k, NULL, "top-level keys must be plain names");
        if (strcmp(key, "mnsim") == 0) {
            int version;
            int rc = parse_int(v, "mnsim", 0, 1e6, "(schema version)", &version, err);
            if (rc)
                return rc;
            if (version != MN_SCHEMA_VERSION)
                return mn_yaml_fail(err, v, "mnsim",
                                    "unsupported schema version %d (this mnsim reads `mnsim: %d`)",
                                    version, MN_SCHEMA_VERSION);
            have_schema = 1;
            continue;
        }
        int known = 0;
        for (int s = 0; mn__section_names[s]; ++s)
            if (strcmp(key, mn__section_names[s]) == 0) {
                int rc = parse_section(key, v, sc, err);
                if (rc)
                    return rc;
                known = 1;
                break;
            }
        if (!known)
            return mn_yaml_fail(err, k, key,
                                "unknown section (allowed: mnsim, patient, device, treatment, "
                                "aftercare, simulate, output, cohort)");
    }
    if (!have_schema)
        return mn_yaml_fail(err, root, "mnsim",
                            "missing schema version: the file must start with `mnsim: 1`");
    return MN_OK;
}

int mn_scenario_load_yaml(mn_scenario *sc, const mn_yaml_node *node, mn_error *err)
{
    if (!sc || !node)
        return mn_error_set(err, MN_EINVAL, "mn_scenario_load_yaml: NULL argument");
    /* Work on a copy so a failed load leaves the caller's scenario as it was. */
    mn_scenario work = *sc;
    snprintf(work.source, sizeof work.source, "%s", mn_yaml_name(mn_yaml_node_doc(node)));
    int rc = parse_root(node, &work, err);
    if (rc == MN_OK)
        rc = mn_scenario_validate(&work, err);
    if (rc == MN_OK)
        *sc = work;
    return rc;
}

static int load_document(mn_scenario *sc, mn_yaml_doc *doc, int rc, mn_error *err)
{
    if (rc == MN_OK && mn_yaml_empty(doc))
        rc = mn_yaml_fail(err, mn_yaml_root(doc), NULL,
                          "empty scenario: expected at least `mnsim: 1`");
    if (rc == MN_OK)
        rc = mn_scenario_load_yaml(sc, mn_yaml_root(doc), err);
    mn_yaml_free(&doc);
    return rc;
}

int mn_scenario_load_string(mn_scenario *sc, const char *yaml, const char *name, mn_error *err)
{
    if (!sc || !yaml)
        return mn_error_set(err, MN_EINVAL, "mn_scenario_load_string: NULL argument");
    mn_yaml_doc *doc = NULL;
    int rc = mn_yaml_load_string(yaml, strlen(yaml), name ? name : "<string>", NULL, &doc, err);
    return load_document(sc, doc, rc, err);
}

int mn_scenario_load_file(mn_scenario *sc, const char *path, mn_error *err)
{
    if (!sc || !path)
        return mn_error_set(err, MN_EINVAL, "mn_scenario_load_file: NULL argument");
    mn_yaml_doc *doc = NULL;
    int rc = mn_yaml_load_file(path, "scenario", NULL, &doc, err);
    return load_document(sc, doc, rc, err);
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
    if (!f)
        return mn__field_unknown("--set", path, err);
    const char *value = eq + 1;
    char name[200];
    snprintf(name, sizeof name, "--set %s", path);
    /* The value is YAML text read as a one-line document named "--set KEY", so its messages
     * have the files' form: "--set patient.age_years:1:1: patient.age_years: ...". */
    mn_yaml_doc *doc = NULL;
    int rc = mn_yaml_load_string(value, strlen(value), name, NULL, &doc, err);
    if (rc)
        return rc;
    mn_scenario work = *sc;
    if (mn_yaml_empty(doc))
        rc = mn_error_set(err, MN_ESCENARIO, "%s: empty value", name);
    else
        rc = parse_field(f, mn_yaml_root(doc), &work, err);
    mn_yaml_free(&doc);
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
