/* Study files (data/studies/NAME.yaml; docs/validation.md §Study files): a published protocol as
 * an mnsim scenario, variants of it (arms) and the endpoints the paper reports. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/outcome.h"
#include "mnsim/yaml.h"
#include "study/study_impl.h"

static const char *const measure_names[MN_STUDY_MEASURE_COUNT] = {
    "baseline", "value",    "change",       "change_pct",     "delta",
    "peak",     "peak_day", "recovery_day", "half_life_days", "device"};

const char *mn_study_measure_name(mn_study_measure m)
{
    return (m >= 0 && m < MN_STUDY_MEASURE_COUNT) ? measure_names[m] : "?";
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

/* The study's protocol: the `scenario:` mapping read by the scenario parser from the study's
 * own tree, so its messages name the study file's lines and columns. */
static int load_scenario(const mn_yaml_node *n, mn_scenario *sc, mn_error *err)
{
    int rc = mn_yaml_mapping(n, "scenario", "a mapping (an mnsim scenario with mnsim: 1)", err);
    if (rc)
        return rc;
    mn_scenario_default(sc);
    rc = mn_scenario_load_yaml(sc, n, err);
    if (rc == MN_OK)
        sc->output.images = false; /* studies only need the numbers: no pictures */
    return rc;
}

/* Arm names given twice are keys given twice: the YAML reader refuses them. */
static int parse_arms(const mn_yaml_node *n, mn_study *st, mn_error *err)
{
    int rc = mn_yaml_mapping(n, "arms", "a mapping name: [key.path=value, ...]", err);
    for (size_t p = 0; !rc && p < mn_yaml_count(n); ++p) {
        const mn_yaml_node *k = mn_yaml_key(n, p), *v = mn_yaml_value(n, p);
        if (st->arm_count >= MN_STUDY_MAX_ARMS)
            return mn_yaml_fail(err, k, "arms", "more than %d arms", MN_STUDY_MAX_ARMS - 1);
        mn_study_arm *arm = &st->arms[st->arm_count];
        rc = mn_yaml_string(k, "arms", arm->name, sizeof arm->name, err);
        if (!rc)
            rc = mn_yaml_sequence(v, arm->name, "a list of \"key.path=value\" overrides", err);
        if (rc)
            return rc;
        arm->scenario = st->arms[0].scenario;
        for (size_t i = 0; i < mn_yaml_count(v); ++i) {
            const mn_yaml_node *s = mn_yaml_item(v, i);
            const char *text = mn_yaml_scalar(s);
            if (!text)
                return mn_yaml_fail(err, s, arm->name, "expected \"key.path=value\"");
            mn_error inner;
            mn_error_clear(&inner);
            if (mn_scenario_set(&arm->scenario, text, &inner))
                return mn_yaml_fail(err, s, arm->name, "%s", inner.message);
        }
        st->arm_count++;
    }
    return rc;
}

static int find_arm(const mn_study *st, const char *name)
{
    for (int i = 0; i < st->arm_count; ++i)
        if (!strcmp(st->arms[i].name, name))
            return i;
    return -1;
}

/* A day read off an arm's course must lie within it: a day past the end would read nothing
 * (NaN) and show as a miss of the model, when the study file is what is wrong. The course ends
 * at the last session plus simulate.follow_up_weeks; mn_results_at_day reads a day up to 0.01
 * past the end (rounded week fractions) as the last sample, and so does this check. */
static int check_day(const mn_endpoint *ep, const mn_study *st, int arm, const char *key,
                     double day, const mn_yaml_node *node, mn_error *err)
{
    if (!node)
        return MN_OK;
    const double end = mn_scenario_end_hour(&st->arms[arm].scenario) / 24.0;
    if (day >= 0 && day - end < 0.01)
        return MN_OK;
    if (day < 0)
        return mn_yaml_fail(err, node, ep->id,
                            "%s: %g is before the first session (day 0), where every course "
                            "starts",
                            key, day);
    return mn_yaml_fail(err, node, ep->id,
                        "%s: %g is after the end of the simulated course of arm %s (day %g: the "
                        "last session plus simulate.follow_up_weeks); lengthen follow_up_weeks "
                        "or correct the day",
                        key, day, st->arms[arm].name, end);
}

static const char *const device_quantities[] = {"penetration_um", "penetration_fraction",
                                                "channel_diameter_um", "density_per_cm2", NULL};

static int parse_endpoint(const mn_yaml_node *n, const mn_study *st, mn_endpoint *ep, mn_error *err)
{
    memset(ep, 0, sizeof *ep);
    ep->versus = -1;
    ep->per = 1.0;
    ep->obs = -1;
    ep->measure = MN_STUDY_MEASURE_VALUE;
    ep->line = mn_yaml_line(n);
    int rc = mn_yaml_mapping(n, "endpoints",
                             "a mapping (id: ..., observable: ...) for each endpoint", err);
    if (rc)
        return rc;
    int have_id = 0, have_obs = 0, have_role = 0, have_day = 0, have_threshold = 0;
    const mn_yaml_node *obs_node = n, *day_node = NULL, *from_node = NULL;
    char arm[48] = "", versus[48] = "", compare[32] = "", measure[32] = "", dir[16] = "",
         role[16] = "";
    for (size_t i = 0; i < mn_yaml_count(n); ++i) {
        const mn_yaml_node *k = mn_yaml_key(n, i), *v = mn_yaml_value(n, i);
        const char *key = mn_yaml_scalar(k);
        if (!key)
            return mn_yaml_fail(err, k, "endpoints", "keys must be plain names");
        if (!strcmp(key, "id"))
            rc = mn_yaml_string(v, key, ep->id, sizeof ep->id, err), have_id = 1;
        else if (!strcmp(key, "observable"))
            rc = mn_yaml_string(v, key, ep->observable, sizeof ep->observable, err), have_obs = 1,
            obs_node = v;
        else if (!strcmp(key, "measure"))
            rc = mn_yaml_string(v, key, measure, sizeof measure, err);
        else if (!strcmp(key, "arm"))
            rc = mn_yaml_string(v, key, arm, sizeof arm, err);
        else if (!strcmp(key, "versus"))
            rc = mn_yaml_string(v, key, versus, sizeof versus, err);
        else if (!strcmp(key, "compare"))
            rc = mn_yaml_string(v, key, compare, sizeof compare, err);
        else if (!strcmp(key, "day"))
            rc = mn_yaml_double(v, key, NULL, &ep->day, err), have_day = 1, day_node = v;
        else if (!strcmp(key, "from_day"))
            rc = mn_yaml_double(v, key, NULL, &ep->from_day, err), from_node = v;
        else if (!strcmp(key, "threshold"))
            rc = mn_yaml_double(v, key, NULL, &ep->threshold, err), have_threshold = 1;
        else if (!strcmp(key, "threshold_of_peak")) {
            rc = mn_yaml_double(v, key, NULL, &ep->threshold_of_peak, err), have_threshold = 1;
            if (!rc && !(ep->threshold_of_peak > 0 && ep->threshold_of_peak < 1))
                return mn_yaml_fail(err, v, key, "a fraction of the peak excess, between 0 and 1");
        } else if (!strcmp(key, "per")) {
            rc = mn_yaml_double(v, key, NULL, &ep->per, err);
            if (!rc && !(ep->per != 0))
                return mn_yaml_fail(err, v, key, "must not be 0");
        } else if (!strcmp(key, "value"))
            rc = mn_yaml_double(v, key, NULL, &ep->value, err), ep->has_value = 1;
        else if (!strcmp(key, "low"))
            rc = mn_yaml_double(v, key, NULL, &ep->low, err), ep->has_band |= 1;
        else if (!strcmp(key, "high"))
            rc = mn_yaml_double(v, key, NULL, &ep->high, err), ep->has_band |= 2;
        else if (!strcmp(key, "direction"))
            rc = mn_yaml_string(v, key, dir, sizeof dir, err);
        else if (!strcmp(key, "role"))
            rc = mn_yaml_string(v, key, role, sizeof role, err), have_role = 1;
        else if (!strcmp(key, "unit"))
            rc = mn_yaml_string(v, key, ep->unit, sizeof ep->unit, err);
        else if (!strcmp(key, "evidence"))
            rc = mn_yaml_string(v, key, ep->evidence, sizeof ep->evidence, err);
        else if (!strcmp(key, "source"))
            rc = mn_yaml_string(v, key, ep->source, sizeof ep->source, err);
        else if (!strcmp(key, "if_missed"))
            rc = mn_yaml_string(v, key, ep->if_missed, sizeof ep->if_missed, err);
        else if (!strcmp(key, "spread"))
            rc = mn_yaml_string(v, key, ep->spread, sizeof ep->spread, err);
        else if (!strcmp(key, "n")) {
            const mn_yaml_range n_range = {.min = 1, .max = 1e7};
            unsigned long subjects = 0;
            rc = mn_yaml_ulong(v, key, &n_range, &subjects, err);
            ep->n = (int)subjects;
        } else
            return mn_yaml_fail(
                err, k, key,
                "unknown endpoint key (allowed: id, observable, measure, arm, versus, "
                "compare, day, from_day, threshold, threshold_of_peak, per, value, low, "
                "high, unit, direction, "
                "role, evidence, source, if_missed, spread, n)");
        if (rc)
            return rc;
    }
    if (!have_id)
        return mn_yaml_fail(err, n, "id", "every endpoint needs an id");
    if (!have_obs)
        return mn_yaml_fail(err, n, ep->id, "observable: missing");
    if (!have_role)
        return mn_yaml_fail(err, n, ep->id, "role: missing (calibrate or holdout)");
    if (!strcmp(role, "calibrate"))
        ep->role = MN_ROLE_CALIBRATE;
    else if (!strcmp(role, "holdout"))
        ep->role = MN_ROLE_HOLDOUT;
    else
        return mn_yaml_fail(err, n, ep->id, "role: '%s' (allowed: calibrate, holdout)", role);
    if (measure[0]) {
        int m = -1;
        for (int i = 0; i < MN_STUDY_MEASURE_COUNT; ++i)
            if (!strcmp(measure, measure_names[i]))
                m = i;
        if (m < 0)
            return mn_yaml_fail(
                err, n, ep->id,
                "measure: '%s' (allowed: baseline, value, change, change_pct, delta, "
                "peak, peak_day, recovery_day, half_life_days, device)",
                measure);
        ep->measure = (mn_study_measure)m;
    }
    if (ep->measure == MN_STUDY_MEASURE_DEVICE) {
        int ok = 0;
        for (int i = 0; device_quantities[i]; ++i)
            ok |= !strcmp(ep->observable, device_quantities[i]);
        if (!ok)
            return mn_yaml_fail(err, obs_node, ep->id,
                                "observable: '%s' is not a device quantity (penetration_um, "
                                "penetration_fraction, channel_diameter_um, density_per_cm2)",
                                ep->observable);
    } else {
        for (int o = 0; o < MN_OBS_COUNT; ++o)
            if (!strcmp(ep->observable, mn_observable_name((mn_observable)o)))
                ep->obs = o;
        if (ep->obs < 0)
            return mn_yaml_fail(err, obs_node, ep->id,
                                "observable: '%s' is not a results.json name (mnsim run --help)",
                                ep->observable);
    }
    int needs_day = ep->measure == MN_STUDY_MEASURE_VALUE || ep->measure == MN_STUDY_MEASURE_CHANGE ||
                    ep->measure == MN_STUDY_MEASURE_CHANGE_PCT || ep->measure == MN_STUDY_MEASURE_DELTA;
    if (needs_day && !have_day)
        return mn_yaml_fail(err, n, ep->id, "day: missing (measure %s is read on a day)",
                            measure_names[ep->measure]);
    if (ep->measure == MN_STUDY_MEASURE_RECOVERY_DAY && !have_threshold)
        return mn_yaml_fail(err, n, ep->id,
                            "threshold: missing (recovery_day needs the excess at which "
                            "the observable counts as recovered)");
    ep->arm = 0;
    if (arm[0] && (ep->arm = find_arm(st, arm)) < 0)
        return mn_yaml_fail(err, n, ep->id, "arm: '%s' is not an arm of this study", arm);
    if (versus[0]) {
        if ((ep->versus = find_arm(st, versus)) < 0)
            return mn_yaml_fail(err, n, ep->id, "versus: '%s' is not an arm of this study", versus);
        ep->compare = MN_COMPARE_DIFFERENCE;
    }
    if (compare[0]) {
        if (!strcmp(compare, "difference"))
            ep->compare = MN_COMPARE_DIFFERENCE;
        else if (!strcmp(compare, "ratio_pct"))
            ep->compare = MN_COMPARE_RATIO_PCT;
        else
            return mn_yaml_fail(err, n, ep->id, "compare: '%s' (allowed: difference, ratio_pct)",
                                compare);
        if (ep->versus < 0)
            return mn_yaml_fail(err, n, ep->id, "compare needs versus: ARM");
    }
    if (dir[0]) {
        if (!strcmp(dir, "up"))
            ep->direction = 1;
        else if (!strcmp(dir, "down"))
            ep->direction = -1;
        else
            return mn_yaml_fail(err, n, ep->id, "direction: '%s' (allowed: up, down)", dir);
    }
    if (ep->has_band && ep->has_band != 3)
        return mn_yaml_fail(err, n, ep->id, "give both low and high (the published band)");
    if (ep->has_band && !(ep->low <= ep->high))
        return mn_yaml_fail(err, n, ep->id, "low %g is above high %g", ep->low, ep->high);
    if (ep->has_value && ep->has_band && (ep->value < ep->low || ep->value > ep->high))
        return mn_yaml_fail(err, n, ep->id, "value %g lies outside its band [%g, %g]", ep->value,
                            ep->low, ep->high);
    if (!ep->has_band && !ep->direction)
        return mn_yaml_fail(err, n, ep->id,
                            "needs a band (low, high) or a direction (up, down) to be judged");
    if (ep->has_value && !ep->has_band)
        return mn_yaml_fail(err, n, ep->id, "value without a band: give low and high (the spread)");
    rc = check_day(ep, st, ep->arm, "day", ep->day, day_node, err);
    if (!rc)
        rc = check_day(ep, st, ep->arm, "from_day", ep->from_day, from_node, err);
    if (!rc && ep->versus >= 0)
        rc = check_day(ep, st, ep->versus, "day", ep->day, day_node, err);
    if (!rc && ep->versus >= 0)
        rc = check_day(ep, st, ep->versus, "from_day", ep->from_day, from_node, err);
    return rc;
}

static int parse_root(const mn_yaml_node *root, mn_study *st, mn_error *err)
{
    if (mn_yaml_kind_of(root) != MN_YAML_MAPPING)
        return mn_yaml_fail(err, root, NULL, "expected a mapping (study:, scenario:, endpoints:)");
    const mn_yaml_node *scenario = NULL, *arms = NULL, *endpoints = NULL;
    for (size_t i = 0; i < mn_yaml_count(root); ++i) {
        const mn_yaml_node *k = mn_yaml_key(root, i), *v = mn_yaml_value(root, i);
        const char *key = mn_yaml_scalar(k);
        int rc = MN_OK;
        if (!key)
            return mn_yaml_fail(err, k, NULL, "top-level keys must be plain names");
        if (!strcmp(key, "study"))
            rc = mn_yaml_string(v, key, st->name, sizeof st->name, err);
        else if (!strcmp(key, "title"))
            rc = mn_yaml_string(v, key, st->title, sizeof st->title, err);
        else if (!strcmp(key, "citation"))
            rc = mn_yaml_string(v, key, st->citation, sizeof st->citation, err);
        else if (!strcmp(key, "scenario"))
            scenario = v;
        else if (!strcmp(key, "arms"))
            arms = v;
        else if (!strcmp(key, "endpoints"))
            endpoints = v;
        else
            return mn_yaml_fail(err, k, key,
                                "unknown key (allowed: study, title, citation, scenario, arms, "
                                "endpoints)");
        if (rc)
            return rc;
    }
    if (!st->name[0])
        return mn_yaml_fail(err, root, "study", "missing: every study file names its study");
    if (!scenario)
        return mn_yaml_fail(err, root, "scenario",
                            "missing: the study's protocol as an mnsim scenario");
    if (!endpoints || mn_yaml_kind_of(endpoints) != MN_YAML_SEQUENCE || !mn_yaml_count(endpoints))
        return mn_yaml_fail(err, endpoints ? endpoints : root, "endpoints",
                            "expected a non-empty list of endpoints");
    snprintf(st->arms[0].name, sizeof st->arms[0].name, "base");
    int rc = load_scenario(scenario, &st->arms[0].scenario, err);
    if (rc)
        return rc;
    st->arm_count = 1;
    if (arms && (rc = parse_arms(arms, st, err)))
        return rc;
    for (size_t i = 0; i < mn_yaml_count(endpoints); ++i) {
        const mn_yaml_node *e = mn_yaml_item(endpoints, i);
        if (st->endpoint_count >= MN_STUDY_MAX_ENDPOINTS)
            return mn_yaml_fail(err, e, "endpoints", "more than %d endpoints",
                                MN_STUDY_MAX_ENDPOINTS);
        mn_endpoint *ep = &st->endpoints[st->endpoint_count];
        if ((rc = parse_endpoint(e, st, ep, err)))
            return rc;
        for (int j = 0; j < st->endpoint_count; ++j)
            if (!strcmp(st->endpoints[j].id, ep->id))
                return mn_yaml_fail(err, e, ep->id, "id given twice in this study");
        st->endpoint_count++;
    }
    return MN_OK;
}

int mn_study_set_add_file(mn_study_set *set, const char *path, mn_error *err)
{
    if (!set || !path)
        return mn_error_set(err, MN_EINVAL, "mn_study_set_add_file: NULL argument");
    /* Study files are a few kilobytes; 1 MiB as always. */
    const mn_yaml_limits limits = {.max_bytes = (size_t)1 << 20,
                                   .max_depth = MN_YAML_MAX_DEPTH,
                                   .max_nodes = MN_YAML_MAX_NODES};
    mn_yaml_doc *doc = NULL;
    int rc = mn_yaml_load_file(path, "study file", &limits, &doc, err);
    if (rc)
        return rc;
    mn_study *st = calloc(1, sizeof *st);
    if (!st) {
        mn_yaml_free(&doc);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    snprintf(st->path, sizeof st->path, "%s", path);
    rc = parse_root(mn_yaml_root(doc), st, err);
    mn_yaml_free(&doc);
    for (int i = 0; !rc && i < set->count; ++i)
        if (!strcmp(set->studies[i]->name, st->name))
            rc = mn_error_set(err, MN_ESCENARIO, "%s:1:1: study: '%s' also in %s", path, st->name,
                              set->studies[i]->path);
    for (int k = 0; !rc && k < st->endpoint_count; ++k) {
        const mn_study *other = NULL;
        if (mn_study_set_find(set, st->endpoints[k].id, &other))
            rc = mn_error_set(err, MN_ESCENARIO, "%s:%lu:1: %s: endpoint id also in %s", path,
                              st->endpoints[k].line, st->endpoints[k].id, other->path);
    }
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
