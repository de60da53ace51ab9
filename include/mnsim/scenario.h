/* The scenario: patient, device, protocol, aftercare and simulation settings (docs/scenario.md,
 * schema `mnsim: 1`). A scenario is a plain value: it owns no memory, so it can be copied
 * freely (cohorts and sweeps copy and modify it). Every field has a documented default
 * (docs/scenario.md); mn_scenario_default() fills them all. */
#ifndef MNSIM_SCENARIO_H
#define MNSIM_SCENARIO_H

#include "mnsim/export.h"

#include <stdbool.h>
#include <stdio.h>

#include "mnsim/error.h"
#include "mnsim/yaml.h"

#define MN_SCHEMA_VERSION 1
#define MN_MAX_SESSIONS 64
#define MN_PATH_MAX 1024

typedef enum mn_sex { MN_SEX_FEMALE, MN_SEX_MALE } mn_sex;

typedef enum mn_site {
    MN_SITE_FOREHEAD,
    MN_SITE_GLABELLA,
    MN_SITE_PERIORBITAL,
    MN_SITE_CHEEK,
    MN_SITE_PERIORAL,
    MN_SITE_NECK,
    MN_SITE_COUNT
} mn_site;

typedef enum mn_device_kind { MN_DEVICE_PEN, MN_DEVICE_ROLLER, MN_DEVICE_STAMP } mn_device_kind;

typedef enum mn_anesthetic { MN_ANESTHETIC_NONE, MN_ANESTHETIC_TOPICAL } mn_anesthetic;

/* Adjuncts applied into the open channels right after each session (bit set). */
typedef enum mn_adjunct {
    MN_ADJUNCT_PRP = 1u << 0,
    MN_ADJUNCT_HYALURONIC_ACID = 1u << 1,
    MN_ADJUNCT_VITAMIN_C = 1u << 2,
    MN_ADJUNCT_GROWTH_FACTORS = 1u << 3
} mn_adjunct;

typedef enum mn_model_kind { MN_MODEL_COLUMN, MN_MODEL_3D } mn_model_kind;

typedef struct mn_patient_spec {
    double age_years;
    mn_sex sex;
    int skin_type;  /* Fitzpatrick 1..6 (written I..VI in YAML) */
    int photoaging; /* Glogau 1..4 */
    mn_site site;
    bool smoker;
} mn_patient_spec;

typedef struct mn_device_spec {
    mn_device_kind kind;
    int needles;
    double needle_length_mm;
    double needle_diameter_mm;
    double stroke_hz;         /* pen */
    double glide_mm_s;        /* pen: hand speed */
    double cartridge_mm;      /* pen: width of the needle face swept by the hand (added field) */
    double drum_diameter_mm;  /* roller */
    double drum_width_mm;     /* roller */
    double stamp_diameter_mm; /* stamp: diameter of the needle face (added field) */
    int passes;
} mn_device_spec;

/* One session of an explicit list. 0 in needle_length_mm or passes means "the device's". */
typedef struct mn_session {
    double week;             /* time of the session, weeks after the first one */
    double needle_length_mm; /* this session's needle length, 0 = device.needle_length_mm */
    int passes;              /* this session's passes, 0 = device.passes */
} mn_session;

typedef struct mn_treatment_spec {
    int session_count;
    bool sessions_listed;                 /* true: `sessions` was a list; false: a count */
    mn_session sessions[MN_MAX_SESSIONS]; /* when listed: weeks strictly increasing */
    double interval_weeks;                /* used when `sessions` is a count */
    mn_anesthetic anesthetic;
    unsigned adjuncts; /* mn_adjunct bits */
} mn_treatment_spec;

typedef struct mn_aftercare_spec {
    double uv_index;
    double sun_hours_per_day;
    double sunscreen_spf;
    double sunscreen_adherence; /* fraction of days sunscreen is worn, 0..1 */
    bool retinoid;
} mn_aftercare_spec;

typedef struct mn_simulate_spec {
    double follow_up_weeks; /* simulated after the last session */
    mn_model_kind model;
    double resolution_um;
    double patch_mm;
    unsigned long seed;
    int uncertainty; /* posterior draws of the predictive bands (0: none) */
} mn_simulate_spec;

typedef struct mn_output_spec {
    char dir[MN_PATH_MAX];
    bool images;
    double every_days;
} mn_output_spec;

/* Distribution of a continuous attribute of a cohort's patients (docs/cohort.md). */
typedef enum mn_dist_kind {
    MN_DIST_PATIENT, /* everyone has the `patient:` section's value (the default) */
    MN_DIST_FIXED,   /* everyone has `mean` */
    MN_DIST_UNIFORM, /* uniform on [min, max] */
    MN_DIST_NORMAL   /* normal(mean, sd) truncated to [min, max] */
} mn_dist_kind;

typedef struct mn_dist {
    mn_dist_kind kind;
    double mean, sd, min, max;
} mn_dist;

/* Relative weights of the categories of a discrete attribute, in the order of the field's
 * names (sex: female, male; skin_type: I..VI; photoaging: 1..4; site: as mn_site; smoker:
 * false, true). All zero: everyone has the `patient:` section's value (the default). */
#define MN_CATEGORY_MAX 8
typedef struct mn_weights {
    double w[MN_CATEGORY_MAX];
} mn_weights;

/* The virtual population of `mnsim cohort` and the settings of its lean runs (added to schema
 * 1; `mnsim run` ignores it). */
typedef struct mn_cohort_spec {
    int size;
    unsigned long seed; /* patient i draws from stream i of this seed */
    mn_dist age_years;
    mn_weights sex, skin_type, photoaging, site, smoker;
    double parameter_spread; /* 0: calibrated values; 1: the literature range is a 95 % band */
    double every_days;       /* step of the summarised time course */
    double resolution_um;    /* depth voxel of the lean runs */
    double time_step_scale;  /* multiplies the stepper's steps in the lean runs */
    double step_tolerance;   /* > 0: error-controlled steps in the lean runs (docs/cohort.md) */
    double erythema_visible; /* Δa* above which redness counts as downtime */
} mn_cohort_spec;

typedef struct mn_scenario {
    int schema;
    mn_patient_spec patient;
    mn_device_spec device;
    mn_treatment_spec treatment;
    mn_aftercare_spec aftercare;
    mn_simulate_spec simulate;
    mn_output_spec output;
    char source[MN_PATH_MAX]; /* file it came from, or "<default>" */
    mn_cohort_spec cohort;    /* added to schema 1 after the first release */
} mn_scenario;

/* The built-in default scenario (docs/scenario.md). */
MN_EXPORT void mn_scenario_default(mn_scenario *sc);

/* Parses a YAML scenario from a file on top of the defaults. On error fills err with
 * "file:line:column: field: what is wrong (what is allowed)" and returns MN_ESCENARIO
 * (or MN_EIO when the file cannot be read). */
MN_EXPORT int mn_scenario_load_file(mn_scenario *sc, const char *path, mn_error *err);
/* Same from a string; `name` is used in messages in place of a file name. */
MN_EXPORT int mn_scenario_load_string(mn_scenario *sc, const char *yaml, const char *name,
                                      mn_error *err);

/* Same from a mapping node of a loaded YAML document (a study file's `scenario:`): messages
 * name that document's file and the node's lines and columns. */
MN_EXPORT int mn_scenario_load_yaml(mn_scenario *sc, const mn_yaml_node *node, mn_error *err);

/* Applies one override "key.path=value" (value in YAML syntax), as `--set` does. */
MN_EXPORT int mn_scenario_set(mn_scenario *sc, const char *assignment, mn_error *err);

/* The built-in default, then the YAML (or JSON) `text` when not NULL or empty, then the `nsets`
 * assignments in order: what `mnsim run FILE --set ...` reads. */
MN_EXPORT int mn_scenario_from_text(mn_scenario *sc, const char *text, const char *name,
                                    const char *const *sets, int nsets, mn_error *err);

/* Checks ranges and cross-field rules; the loaders call it, callers that build a scenario
 * by hand (cohorts, sweeps) should too. */
MN_EXPORT int mn_scenario_validate(const mn_scenario *sc, mn_error *err);

/* Writes the resolved scenario (all defaults filled) as YAML that load_file reads back. */
MN_EXPORT int mn_scenario_write_yaml(const mn_scenario *sc, FILE *out);

/* Writes docs/scenario.md: every field with unit, default, allowed range and meaning, generated
 * from the same table the parser uses so the documentation cannot drift from the code. */
MN_EXPORT int mn_scenario_write_reference(FILE *out);

/* Session i resolved: hours from the first session, needle length and passes. */
MN_EXPORT double mn_scenario_session_hour(const mn_scenario *sc, int i);
MN_EXPORT double mn_scenario_session_needle_mm(const mn_scenario *sc, int i);
MN_EXPORT int mn_scenario_session_passes(const mn_scenario *sc, int i);
/* Total simulated time in hours from the first session to the end of follow-up. */
MN_EXPORT double mn_scenario_end_hour(const mn_scenario *sc);

/* The resolved scenario as a JSON object (jansson; caller owns the reference), with the same
 * names and nesting as the YAML, as results.json embeds it. NULL on no memory. */
struct json_t;
MN_EXPORT struct json_t *mn_scenario_to_json(const mn_scenario *sc);

/* The schema as a JSON object (caller owns the reference; NULL on no memory), from the table
 * `mnsim schema` prints: {"schema": 1, "sections": [...], "fields": [{"path", "section", "key",
 * "type", "unit", "default", "min", "max" (numbers and counts), "names" (enumerations),
 * "help"}, ...]} in the table's order. */
MN_EXPORT struct json_t *mn_scenario_schema_json(void);

/* Names of enumerations as written in YAML. */
MN_EXPORT const char *mn_site_name(mn_site site);
MN_EXPORT const char *mn_device_kind_name(mn_device_kind kind);
MN_EXPORT const char *mn_skin_type_name(int skin_type); /* "I".."VI" */
MN_EXPORT const char *mn_adjunct_name(mn_adjunct adjunct);

#endif
