/* Study files (data/studies/NAME.yaml; docs/validation.md §Study files): a published protocol as
 * an mnsim scenario, variants of it (arms) and the endpoints the paper reports. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "mnsim/outcome.h"
#include "study/study_impl.h"

#define MN__STUDY_MAX_BYTES (1u << 20)

static const char *const measure_names[MN_MEASURE_COUNT] = {
    "baseline", "value",    "change",       "change_pct",     "delta",
    "peak",     "peak_day", "recovery_day", "half_life_days", "device"};

const char *mn_measure_name(mn_measure m)
{
    return (m >= 0 && m < MN_MEASURE_COUNT) ? measure_names[m] : "?";
}

int mn_study_set_create(mn_study_set **out, mn_error *err)
{
    if (!out)
        return mn_error_set(err, MN_EINVAL, "mn_study_set_create: NULL argument");
    *out = calloc(1, sizeof **out);
    return *out ? MN_OK : mn_error_set(err, MN_ENOMEM, "out of memory for a study set");
}

void mn_study_set_free(mn_study_set **set)
{
    if (!set || !*set)
        return;
    for (int i = 0; i < (*set)->count; ++i)
        free((*set)->studies[i]);
    free((*set)->studies);
    free(*set);
    *set = NULL;
}

int mn_study_set_count(const mn_study_set *set)
{
    return set ? set->count : 0;
}

const mn_study *mn_study_set_get(const mn_study_set *set, int i)
{
    return (set && i >= 0 && i < set->count) ? set->studies[i] : NULL;
}

const mn_endpoint *mn_study_set_find(const mn_study_set *set, const char *id,
                                     const mn_study **study)
{
    for (int i = 0; set && id && i < set->count; ++i)
        for (int k = 0; k < set->studies[i]->endpoint_count; ++k)
            if (!strcmp(set->studies[i]->endpoints[k].id, id)) {
                if (study)
                    *study = set->studies[i];
                return &set->studies[i]->endpoints[k];
            }
    return NULL;
}

/* ---- parsing ---- */

typedef struct ctx {
    const char *path;
    yaml_document_t *doc;
    const char *text; /* the whole file */
    size_t size;
    mn_error *err;
} ctx;

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
fail(const ctx *c, const yaml_node_t *n, const char *field, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    unsigned long line = n ? (unsigned long)n->start_mark.line + 1 : 1;
    unsigned long col = n ? (unsigned long)n->start_mark.column + 1 : 1;
    return mn_error_set(c->err, MN_ESCENARIO, "%s:%lu:%lu: %s%s%s", c->path, line, col,
                        field ? field : "", field ? ": " : "", msg);
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int get_text(const ctx *c, const yaml_node_t *n, const char *field, char *buf, size_t size)
{
    const char *s = scalar(n);
    if (!s)
        return fail(c, n, field, "expected text");
    if (strlen(s) >= size)
        return fail(c, n, field, "too long (at most %zu characters)", size - 1);
    snprintf(buf, size, "%s", s);
    return MN_OK;
}

static int get_number(const ctx *c, const yaml_node_t *n, const char *field, double *out)
{
    const char *s = scalar(n);
    if (!s)
        return fail(c, n, field, "expected a number");
    char *end = NULL;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(x) || strpbrk(s, "nNiIxX") != NULL)
        return fail(c, n, field, "'%s' is not a finite number", s);
    *out = x;
    return MN_OK;
}

/* The scenario block handed to the scenario parser with its lines where they are in the file
 * (earlier lines blank, text before the node's column blanked), so its messages name the study
 * file's own line and column. */
static int load_scenario(const ctx *c, const yaml_node_t *n, mn_scenario *sc)
{
    if (n->type != YAML_MAPPING_NODE)
        return fail(c, n, "scenario", "expected a mapping (an mnsim scenario with mnsim: 1)");
    size_t first = n->start_mark.line, last = n->end_mark.line;
    if (n->end_mark.column == 0 && last > first)
        --last; /* a block mapping ends at the start of the next line */
    char *buf = malloc(c->size + 1);
    if (!buf)
        return mn_error_set(c->err, MN_ENOMEM, "out of memory");
    size_t used = 0, line = 0;
    const char *p = c->text, *end = c->text + c->size;
    while (p < end && line <= last) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        size_t len = eol ? (size_t)(eol - p) : (size_t)(end - p);
        if (line >= first) {
            size_t from = 0, to = len;
            if (line == first) /* blank what precedes the node (`scenario:`), keep columns */
                for (size_t col = 0; from < len && col < n->start_mark.column; ++col) {
                    ++from;
                    while (from < len && ((unsigned char)p[from] & 0xC0) == 0x80)
                        ++from;
                }
            if (line == n->end_mark.line && n->end_mark.column > 0) {
                size_t b = 0;
                for (size_t col = 0; b < len && col < n->end_mark.column; ++col) {
                    ++b;
                    while (b < len && ((unsigned char)p[b] & 0xC0) == 0x80)
                        ++b;
                }
                to = b;
            }
            memset(buf + used, ' ', from);
            used += from;
            memcpy(buf + used, p + from, to - from);
            used += to - from;
        }
        buf[used++] = '\n';
        ++line;
        p = eol ? eol + 1 : end;
    }
    buf[used] = '\0';
    mn_scenario_default(sc);
    int rc = mn_scenario_load_string(sc, buf, c->path, c->err);
    free(buf);
    if (rc == MN_OK) {
        /* Studies only need the numbers: no pictures. */
        sc->output.images = false;
        snprintf(sc->source, sizeof sc->source, "%s", c->path);
    }
    return rc;
}

static int parse_arms(const ctx *c, const yaml_node_t *n, mn_study *st)
{
    if (n->type != YAML_MAPPING_NODE)
        return fail(c, n, "arms", "expected a mapping name: [key.path=value, ...]");
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; ++pr) {
        yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(c->doc, pr->value);
        if (st->arm_count >= MN_STUDY_MAX_ARMS)
            return fail(c, k, "arms", "more than %d arms", MN_STUDY_MAX_ARMS - 1);
        mn_study_arm *arm = &st->arms[st->arm_count];
        int rc = get_text(c, k, "arms", arm->name, sizeof arm->name);
        if (rc)
            return rc;
        for (int i = 0; i < st->arm_count; ++i)
            if (!strcmp(st->arms[i].name, arm->name))
                return fail(c, k, "arms", "'%s' given twice", arm->name);
        if (v->type != YAML_SEQUENCE_NODE)
            return fail(c, v, arm->name, "expected a list of \"key.path=value\" overrides");
        arm->scenario = st->arms[0].scenario;
        for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
             ++it) {
            yaml_node_t *s = yaml_document_get_node(c->doc, *it);
            const char *text = scalar(s);
            if (!text)
                return fail(c, s, arm->name, "expected \"key.path=value\"");
            mn_error inner;
            mn_error_clear(&inner);
            if (mn_scenario_set(&arm->scenario, text, &inner))
                return fail(c, s, arm->name, "%s", inner.message);
        }
        st->arm_count++;
    }
    return MN_OK;
}

static int find_arm(const mn_study *st, const char *name)
{
    for (int i = 0; i < st->arm_count; ++i)
        if (!strcmp(st->arms[i].name, name))
            return i;
    return -1;
}

static const char *const device_quantities[] = {"penetration_um", "penetration_fraction",
                                                "channel_diameter_um", "density_per_cm2", NULL};

static int parse_endpoint(const ctx *c, const yaml_node_t *n, mn_study *st, mn_endpoint *ep)
{
    memset(ep, 0, sizeof *ep);
    ep->versus = -1;
    ep->per = 1.0;
    ep->obs = -1;
    ep->measure = MN_MEASURE_VALUE;
    ep->line = (unsigned long)n->start_mark.line + 1;
    if (n->type != YAML_MAPPING_NODE)
        return fail(c, n, "endpoints", "each endpoint is a mapping (id: ..., observable: ...)");
    int have_id = 0, have_obs = 0, have_role = 0, have_day = 0, have_threshold = 0;
    const yaml_node_t *obs_node = n;
    char arm[48] = "", versus[48] = "", compare[32] = "", measure[32] = "", dir[16] = "",
         role[16] = "";
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; ++pr) {
        yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(c->doc, pr->value);
        const char *key = scalar(k);
        int rc = MN_OK;
        if (!key)
            return fail(c, k, "endpoints", "keys must be plain names");
        if (!strcmp(key, "id"))
            rc = get_text(c, v, key, ep->id, sizeof ep->id), have_id = 1;
        else if (!strcmp(key, "observable"))
            rc = get_text(c, v, key, ep->observable, sizeof ep->observable), have_obs = 1,
            obs_node = v;
        else if (!strcmp(key, "measure"))
            rc = get_text(c, v, key, measure, sizeof measure);
        else if (!strcmp(key, "arm"))
            rc = get_text(c, v, key, arm, sizeof arm);
        else if (!strcmp(key, "versus"))
            rc = get_text(c, v, key, versus, sizeof versus);
        else if (!strcmp(key, "compare"))
            rc = get_text(c, v, key, compare, sizeof compare);
        else if (!strcmp(key, "day"))
            rc = get_number(c, v, key, &ep->day), have_day = 1;
        else if (!strcmp(key, "from_day"))
            rc = get_number(c, v, key, &ep->from_day);
        else if (!strcmp(key, "threshold"))
            rc = get_number(c, v, key, &ep->threshold), have_threshold = 1;
        else if (!strcmp(key, "threshold_of_peak")) {
            rc = get_number(c, v, key, &ep->threshold_of_peak), have_threshold = 1;
            if (!rc && !(ep->threshold_of_peak > 0 && ep->threshold_of_peak < 1))
                return fail(c, v, key, "a fraction of the peak excess, between 0 and 1");
        } else if (!strcmp(key, "per")) {
            rc = get_number(c, v, key, &ep->per);
            if (!rc && !(ep->per != 0))
                return fail(c, v, key, "must not be 0");
        } else if (!strcmp(key, "value"))
            rc = get_number(c, v, key, &ep->value), ep->has_value = 1;
        else if (!strcmp(key, "low"))
            rc = get_number(c, v, key, &ep->low), ep->has_band |= 1;
        else if (!strcmp(key, "high"))
            rc = get_number(c, v, key, &ep->high), ep->has_band |= 2;
        else if (!strcmp(key, "direction"))
            rc = get_text(c, v, key, dir, sizeof dir);
        else if (!strcmp(key, "role"))
            rc = get_text(c, v, key, role, sizeof role), have_role = 1;
        else if (!strcmp(key, "unit"))
            rc = get_text(c, v, key, ep->unit, sizeof ep->unit);
        else if (!strcmp(key, "evidence"))
            rc = get_text(c, v, key, ep->evidence, sizeof ep->evidence);
        else if (!strcmp(key, "source"))
            rc = get_text(c, v, key, ep->source, sizeof ep->source);
        else if (!strcmp(key, "if_missed"))
            rc = get_text(c, v, key, ep->if_missed, sizeof ep->if_missed);
        else
            return fail(c, k, key,
                        "unknown endpoint key (allowed: id, observable, measure, arm, versus, "
                        "compare, day, from_day, threshold, threshold_of_peak, per, value, low, "
                        "high, unit, direction, "
                        "role, evidence, source, if_missed)");
        if (rc)
            return rc;
    }
    if (!have_id)
        return fail(c, n, "id", "every endpoint needs an id");
    if (!have_obs)
        return fail(c, n, ep->id, "observable: missing");
    if (!have_role)
        return fail(c, n, ep->id, "role: missing (calibrate or holdout)");
    if (!strcmp(role, "calibrate"))
        ep->role = MN_ROLE_CALIBRATE;
    else if (!strcmp(role, "holdout"))
        ep->role = MN_ROLE_HOLDOUT;
    else
        return fail(c, n, ep->id, "role: '%s' (allowed: calibrate, holdout)", role);
    if (measure[0]) {
        int m = -1;
        for (int i = 0; i < MN_MEASURE_COUNT; ++i)
            if (!strcmp(measure, measure_names[i]))
                m = i;
        if (m < 0)
            return fail(c, n, ep->id,
                        "measure: '%s' (allowed: baseline, value, change, change_pct, delta, "
                        "peak, peak_day, recovery_day, half_life_days, device)",
                        measure);
        ep->measure = (mn_measure)m;
    }
    if (ep->measure == MN_MEASURE_DEVICE) {
        int ok = 0;
        for (int i = 0; device_quantities[i]; ++i)
            ok |= !strcmp(ep->observable, device_quantities[i]);
        if (!ok)
            return fail(c, obs_node, ep->id,
                        "observable: '%s' is not a device quantity (penetration_um, "
                        "penetration_fraction, channel_diameter_um, density_per_cm2)",
                        ep->observable);
    } else {
        for (int o = 0; o < MN_OBS_COUNT; ++o)
            if (!strcmp(ep->observable, mn_observable_name((mn_observable)o)))
                ep->obs = o;
        if (ep->obs < 0)
            return fail(c, obs_node, ep->id,
                        "observable: '%s' is not a results.json name (mnsim run --help)",
                        ep->observable);
    }
    int needs_day = ep->measure == MN_MEASURE_VALUE || ep->measure == MN_MEASURE_CHANGE ||
                    ep->measure == MN_MEASURE_CHANGE_PCT || ep->measure == MN_MEASURE_DELTA;
    if (needs_day && !have_day)
        return fail(c, n, ep->id, "day: missing (measure %s is read on a day)",
                    measure_names[ep->measure]);
    if (ep->measure == MN_MEASURE_RECOVERY_DAY && !have_threshold)
        return fail(c, n, ep->id,
                    "threshold: missing (recovery_day needs the excess at which "
                    "the observable counts as recovered)");
    ep->arm = 0;
    if (arm[0] && (ep->arm = find_arm(st, arm)) < 0)
        return fail(c, n, ep->id, "arm: '%s' is not an arm of this study", arm);
    if (versus[0]) {
        if ((ep->versus = find_arm(st, versus)) < 0)
            return fail(c, n, ep->id, "versus: '%s' is not an arm of this study", versus);
        ep->compare = MN_COMPARE_DIFFERENCE;
    }
    if (compare[0]) {
        if (!strcmp(compare, "difference"))
            ep->compare = MN_COMPARE_DIFFERENCE;
        else if (!strcmp(compare, "ratio_pct"))
            ep->compare = MN_COMPARE_RATIO_PCT;
        else
            return fail(c, n, ep->id, "compare: '%s' (allowed: difference, ratio_pct)", compare);
        if (ep->versus < 0)
            return fail(c, n, ep->id, "compare needs versus: ARM");
    }
    if (dir[0]) {
        if (!strcmp(dir, "up"))
            ep->direction = 1;
        else if (!strcmp(dir, "down"))
            ep->direction = -1;
        else
            return fail(c, n, ep->id, "direction: '%s' (allowed: up, down)", dir);
    }
    if (ep->has_band && ep->has_band != 3)
        return fail(c, n, ep->id, "give both low and high (the published band)");
    if (ep->has_band && !(ep->low <= ep->high))
        return fail(c, n, ep->id, "low %g is above high %g", ep->low, ep->high);
    if (ep->has_value && ep->has_band && (ep->value < ep->low || ep->value > ep->high))
        return fail(c, n, ep->id, "value %g lies outside its band [%g, %g]", ep->value, ep->low,
                    ep->high);
    if (!ep->has_band && !ep->direction)
        return fail(c, n, ep->id,
                    "needs a band (low, high) or a direction (up, down) to be judged");
    if (ep->has_value && !ep->has_band)
        return fail(c, n, ep->id, "value without a band: give low and high (the spread)");
    return MN_OK;
}

static int parse_root(const ctx *c, mn_study *st)
{
    yaml_node_t *root = yaml_document_get_root_node(c->doc);
    if (!root || root->type != YAML_MAPPING_NODE)
        return fail(c, root, NULL, "expected a mapping (study:, scenario:, endpoints:)");
    const yaml_node_t *scenario = NULL, *arms = NULL, *endpoints = NULL;
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top;
         ++pr) {
        yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(c->doc, pr->value);
        const char *key = scalar(k);
        int rc = MN_OK;
        if (!key)
            return fail(c, k, NULL, "top-level keys must be plain names");
        if (!strcmp(key, "study"))
            rc = get_text(c, v, key, st->name, sizeof st->name);
        else if (!strcmp(key, "title"))
            rc = get_text(c, v, key, st->title, sizeof st->title);
        else if (!strcmp(key, "citation"))
            rc = get_text(c, v, key, st->citation, sizeof st->citation);
        else if (!strcmp(key, "scenario"))
            scenario = v;
        else if (!strcmp(key, "arms"))
            arms = v;
        else if (!strcmp(key, "endpoints"))
            endpoints = v;
        else
            return fail(c, k, key,
                        "unknown key (allowed: study, title, citation, scenario, arms, "
                        "endpoints)");
        if (rc)
            return rc;
    }
    if (!st->name[0])
        return fail(c, root, "study", "missing: every study file names its study");
    if (!scenario)
        return fail(c, root, "scenario", "missing: the study's protocol as an mnsim scenario");
    if (!endpoints || endpoints->type != YAML_SEQUENCE_NODE ||
        endpoints->data.sequence.items.start == endpoints->data.sequence.items.top)
        return fail(c, endpoints ? endpoints : root, "endpoints",
                    "expected a non-empty list of endpoints");
    snprintf(st->arms[0].name, sizeof st->arms[0].name, "base");
    int rc = load_scenario(c, scenario, &st->arms[0].scenario);
    if (rc)
        return rc;
    st->arm_count = 1;
    if (arms && (rc = parse_arms(c, arms, st)))
        return rc;
    for (yaml_node_item_t *it = endpoints->data.sequence.items.start;
         it < endpoints->data.sequence.items.top; ++it) {
        yaml_node_t *e = yaml_document_get_node(c->doc, *it);
        if (st->endpoint_count >= MN_STUDY_MAX_ENDPOINTS)
            return fail(c, e, "endpoints", "more than %d endpoints", MN_STUDY_MAX_ENDPOINTS);
        mn_endpoint *ep = &st->endpoints[st->endpoint_count];
        if ((rc = parse_endpoint(c, e, st, ep)))
            return rc;
        for (int i = 0; i < st->endpoint_count; ++i)
            if (!strcmp(st->endpoints[i].id, ep->id))
                return fail(c, e, ep->id, "id given twice in this study");
        st->endpoint_count++;
    }
    return MN_OK;
}

int mn_study_set_add_file(mn_study_set *set, const char *path, mn_error *err)
{
    if (!set || !path)
        return mn_error_set(err, MN_EINVAL, "mn_study_set_add_file: NULL argument");
    FILE *f = fopen(path, "rb");
    if (!f)
        return mn_error_set(err, MN_EIO, "%s: cannot open study file: %s", path, strerror(errno));
    char *text = malloc(MN__STUDY_MAX_BYTES + 1);
    if (!text) {
        fclose(f);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    size_t n = fread(text, 1, MN__STUDY_MAX_BYTES + 1, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || n > MN__STUDY_MAX_BYTES || memchr(text, '\0', n)) {
        free(text);
        return mn_error_set(err, bad ? MN_EIO : MN_ESCENARIO, "%s:1:1: %s", path,
                            bad ? "read error (is it a directory?)"
                                : "not a study file (binary or larger than 1 MiB)");
    }
    text[n] = '\0';
    mn_study *st = calloc(1, sizeof *st);
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!st || !yaml_parser_initialize(&parser)) {
        free(st);
        free(text);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    snprintf(st->path, sizeof st->path, "%s", path);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, n);
    int rc;
    if (!yaml_parser_load(&parser, &doc)) {
        rc = mn_error_set(err, MN_ESCENARIO, "%s:%lu:%lu: broken YAML: %s", path,
                          (unsigned long)parser.problem_mark.line + 1,
                          (unsigned long)parser.problem_mark.column + 1,
                          parser.problem ? parser.problem : "syntax error");
    } else {
        ctx c = {.path = path, .doc = &doc, .text = text, .size = n, .err = err};
        rc = parse_root(&c, st);
        for (int i = 0; !rc && i < set->count; ++i)
            if (!strcmp(set->studies[i]->name, st->name))
                rc = mn_error_set(err, MN_ESCENARIO, "%s:1:1: study: '%s' also in %s", path,
                                  st->name, set->studies[i]->path);
        for (int k = 0; !rc && k < st->endpoint_count; ++k) {
            const mn_study *other = NULL;
            if (mn_study_set_find(set, st->endpoints[k].id, &other))
                rc = mn_error_set(err, MN_ESCENARIO, "%s:%lu:1: %s: endpoint id also in %s", path,
                                  st->endpoints[k].line, st->endpoints[k].id, other->path);
        }
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    free(text);
    if (!rc) {
        mn_study **grown = realloc(set->studies, (size_t)(set->count + 1) * sizeof *grown);
        if (!grown)
            rc = mn_error_set(err, MN_ENOMEM, "out of memory");
        else {
            set->studies = grown;
            set->studies[set->count++] = st;
            st = NULL;
        }
    }
    free(st);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int mn_study_set_add_dir(mn_study_set *set, const char *dir, mn_error *err)
{
    if (!set || !dir)
        return mn_error_set(err, MN_EINVAL, "mn_study_set_add_dir: NULL argument");
    DIR *d = opendir(dir);
    if (!d)
        return mn_error_set(err, MN_EIO, "%s: cannot open the study directory: %s", dir,
                            strerror(errno));
    char **names = NULL;
    int count = 0, rc = MN_OK;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") || e->d_name[0] == '.')
            continue;
        char **grown = realloc(names, (size_t)(count + 1) * sizeof *grown);
        char *copy = grown ? malloc(len + 1) : NULL;
        if (copy)
            memcpy(copy, e->d_name, len + 1);
        if (!copy) {
            free(grown ? grown : names);
            names = NULL;
            rc = mn_error_set(err, MN_ENOMEM, "out of memory");
            count = 0;
            break;
        }
        names = grown;
        names[count++] = copy;
    }
    closedir(d);
    if (!rc && count == 0)
        rc = mn_error_set(err, MN_EINVAL, "%s: no study files (*.yaml)", dir);
    if (names)
        qsort(names, (size_t)count, sizeof *names, cmp_names);
    for (int i = 0; i < count; ++i) {
        char path[MN_PATH_MAX];
        if (!rc) {
            if (snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= (int)sizeof path)
                rc = mn_error_set(err, MN_EINVAL, "%s/%s: path too long", dir, names[i]);
            else
                rc = mn_study_set_add_file(set, path, err);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

/* ---- judging ---- */

int mn_endpoint_passes(const mn_endpoint *ep, double sim)
{
    if (!ep || !isfinite(sim))
        return 0;
    if (ep->has_band)
        return sim >= ep->low && sim <= ep->high && (ep->direction == 0 || sim * ep->direction > 0);
    return sim * ep->direction > 0;
}

double mn_endpoint_residual(const mn_endpoint *ep, double sim)
{
    if (!ep || !isfinite(sim))
        return 1e3;
    if (ep->has_band) {
        double centre = ep->has_value ? ep->value : 0.5 * (ep->low + ep->high);
        /* Asymmetric bands: the half-width on the side the simulation lies. */
        double half = sim >= centre ? ep->high - centre : centre - ep->low;
        if (!(half > 0))
            half = fmax(1e-6, 0.05 * fabs(centre));
        return (sim - centre) / half;
    }
    double s = sim * ep->direction;
    return s > 0 ? 0.0 : 1.0 + fabs(sim);
}
