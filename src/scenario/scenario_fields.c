#include "scenario/scenario_fields.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const sex_names[] = {"female", "male", NULL};
static const char *const site_names[] = {"forehead", "glabella", "periorbital", "cheek",
                                         "perioral", "neck",     NULL};
static const char *const device_names[] = {"pen", "roller", "stamp", NULL};
static const char *const anesthetic_names[] = {"none", "topical", NULL};
static const char *const adjunct_names[] = {"prp", "hyaluronic_acid", "vitamin_c", "growth_factors",
                                            NULL};
static const char *const model_names[] = {"column", "3d", NULL};
static const char *const skin_names[] = {"I", "II", "III", "IV", "V", "VI", NULL};
static const char *const photoaging_names[] = {"1", "2", "3", "4", NULL};
static const char *const smoker_names[] = {"false", "true", NULL};

const char *const mn__section_names[] = {"patient",  "device", "treatment", "aftercare",
                                         "simulate", "output", "cohort",    NULL};

#define OFF(member) offsetof(mn_scenario, member)

const mn__field mn__scenario_fields[] = {
    {"patient.age_years", MN__F_DOUBLE, OFF(patient.age_years), 18, 100, "years", NULL,
     "Age at the first session. Baseline thickness and fibroblast capacity follow it."},
    {"patient.sex", MN__F_ENUM, OFF(patient.sex), 0, 1, "", sex_names,
     "Sets dermal thickness and the epidermal aging rate."},
    {"patient.skin_type", MN__F_SKIN, OFF(patient.skin_type), 1, 6, "Fitzpatrick", skin_names,
     "Fitzpatrick type I..VI (or 1..6): skin tone in pictures and the risk of "
     "post-inflammatory hyperpigmentation."},
    {"patient.photoaging", MN__F_INT, OFF(patient.photoaging), 1, 4, "Glogau", NULL,
     "Glogau photoaging grade 1..4: collagen loss and solar elastosis at baseline."},
    {"patient.site", MN__F_ENUM, OFF(patient.site), 0, MN_SITE_COUNT - 1, "", site_names,
     "Treated facial site: layer thicknesses and the representative wrinkle."},
    {"patient.smoker", MN__F_BOOL, OFF(patient.smoker), 0, 1, "", NULL,
     "Smoking lowers the fibroblasts' synthetic capacity."},
    {"device.kind", MN__F_ENUM, OFF(device.kind), 0, 2, "", device_names,
     "pen (motorised, perpendicular strokes), roller (drum) or stamp (flat needle face)."},
    {"device.needles", MN__F_INT, OFF(device.needles), 1, 1000, "needles", NULL,
     "Needles per cartridge (pen), on the drum (roller) or on the face (stamp)."},
    {"device.needle_length_mm", MN__F_DOUBLE, OFF(device.needle_length_mm), 0.1, 3.0, "mm", NULL,
     "Nominal needle length; the real penetration is shorter (skin deflects)."},
    {"device.needle_diameter_mm", MN__F_DOUBLE, OFF(device.needle_diameter_mm), 0.05, 1.0, "mm",
     NULL, "Needle shaft diameter."},
    {"device.stroke_hz", MN__F_DOUBLE, OFF(device.stroke_hz), 1, 300, "Hz", NULL,
     "Pen: strokes per second."},
    {"device.glide_mm_s", MN__F_DOUBLE, OFF(device.glide_mm_s), 0.5, 200, "mm/s", NULL,
     "Pen: speed of the hand over the skin."},
    {"device.cartridge_mm", MN__F_DOUBLE, OFF(device.cartridge_mm), 0.5, 30, "mm", NULL,
     "Pen: width of the needle face across the direction of travel (added to schema 1)."},
    {"device.drum_diameter_mm", MN__F_DOUBLE, OFF(device.drum_diameter_mm), 5, 100, "mm", NULL,
     "Roller: drum diameter."},
    {"device.drum_width_mm", MN__F_DOUBLE, OFF(device.drum_width_mm), 5, 100, "mm", NULL,
     "Roller: drum width."},
    {"device.stamp_diameter_mm", MN__F_DOUBLE, OFF(device.stamp_diameter_mm), 1, 50, "mm", NULL,
     "Stamp: diameter of the needle face (added to schema 1)."},
    {"device.passes", MN__F_INT, OFF(device.passes), 1, 50, "passes", NULL,
     "Passes over the treated area in each session."},
    {"treatment.sessions", MN__F_SESSIONS, OFF(treatment), 1, MN_MAX_SESSIONS, "sessions", NULL,
     "A count (sessions every interval_weeks) or a list [{week: 0, needle_length_mm: 1.0, "
     "passes: 4}, {week: 4}, ...]; weeks strictly increasing from 0; omitted keys take the "
     "device's."},
    {"treatment.interval_weeks", MN__F_DOUBLE, OFF(treatment.interval_weeks), 0.1, 104, "weeks",
     NULL, "Interval between sessions when `sessions` is a count."},
    {"treatment.anesthetic", MN__F_ENUM, OFF(treatment.anesthetic), 0, 1, "", anesthetic_names,
     "none or topical (numbing cream): changes pain, not biology."},
    {"treatment.adjuncts", MN__F_ADJUNCTS, OFF(treatment.adjuncts), 0, 0, "", adjunct_names,
     "Applied into the open channels after each session: prp, hyaluronic_acid, vitamin_c, "
     "growth_factors. [] for none."},
    {"aftercare.uv_index", MN__F_DOUBLE, OFF(aftercare.uv_index), 0, 20, "UVI", NULL,
     "Typical UV index while outdoors."},
    {"aftercare.sun_hours_per_day", MN__F_DOUBLE, OFF(aftercare.sun_hours_per_day), 0, 16, "h/day",
     NULL, "Hours outdoors per day."},
    {"aftercare.sunscreen_spf", MN__F_DOUBLE, OFF(aftercare.sunscreen_spf), 1, 100, "SPF", NULL,
     "Sun protection factor of the sunscreen (1 = none)."},
    {"aftercare.sunscreen_adherence", MN__F_DOUBLE, OFF(aftercare.sunscreen_adherence), 0, 1,
     "fraction", NULL, "Fraction of sun exposure under sunscreen."},
    {"aftercare.retinoid", MN__F_BOOL, OFF(aftercare.retinoid), 0, 1, "", NULL,
     "Topical retinoid at home: blunts UV-induced MMP and supports synthesis."},
    {"simulate.follow_up_weeks", MN__F_DOUBLE, OFF(simulate.follow_up_weeks), 0, 520, "weeks", NULL,
     "Simulated time after the last session."},
    {"simulate.model", MN__F_ENUM, OFF(simulate.model), 0, 1, "", model_names,
     "column (depth-resolved, homogenised punctures) or 3d (every channel resolved)."},
    {"simulate.resolution_um", MN__F_DOUBLE, OFF(simulate.resolution_um), 2, 100, "um", NULL,
     "Voxel size in depth (and in x, y for 3d)."},
    {"simulate.patch_mm", MN__F_DOUBLE, OFF(simulate.patch_mm), 0.2, 50, "mm", NULL,
     "Side of the periodic skin patch (3d model)."},
    {"simulate.seed", MN__F_SEED, OFF(simulate.seed), 0, 9007199254740992.0, "", NULL,
     "Random seed: the same scenario and seed give identical outputs."},
    /* Added to schema 1: predictive bands from the posterior (docs/uncertainty.md). */
    {"simulate.uncertainty", MN__F_INT, OFF(simulate.uncertainty), 0, 10000, "draws", NULL,
     "Posterior draws for the predictive bands of every observable (0: none; `mnsim run` "
     "reads the posterior of `mnsim calibrate`)."},
    {"output.dir", MN__F_STRING, OFF(output.dir), 0, 0, "path", NULL,
     "Output directory (created; --out overrides)."},
    {"output.images", MN__F_BOOL, OFF(output.images), 0, 1, "", NULL,
     "Write the pictures (PNG/SVG) as well as the data files."},
    {"output.every_days", MN__F_DOUBLE, OFF(output.every_days), 0.0416666, 365, "days", NULL,
     "Step of the reported time series."},
    /* Added to schema 1: the virtual population of `mnsim cohort` (docs/cohort.md). */
    {"cohort.size", MN__F_INT, OFF(cohort.size), 1, 10000000, "patients", NULL,
     "Number of virtual patients."},
    {"cohort.seed", MN__F_SEED, OFF(cohort.seed), 0, 9007199254740992.0, "", NULL,
     "Seed of the population: patient i draws from its own stream i, so any split over threads "
     "and processes gives the same patients."},
    {"cohort.age_years", MN__F_DIST, OFF(cohort.age_years), 18, 100, "years", NULL,
     "`patient` (everyone the patient's age), a number, {min, max} (uniform) or {mean, sd, min, "
     "max} (truncated normal)."},
    {"cohort.sex", MN__F_WEIGHTS, OFF(cohort.sex), 0, 1, "", sex_names,
     "`patient`, one value, or weights such as {female: 0.8, male: 0.2}."},
    {"cohort.skin_type", MN__F_WEIGHTS, OFF(cohort.skin_type), 1, 6, "Fitzpatrick", skin_names,
     "`patient`, one type, or weights such as {II: 1, III: 2, IV: 1}."},
    {"cohort.photoaging", MN__F_WEIGHTS, OFF(cohort.photoaging), 1, 4, "Glogau", photoaging_names,
     "`patient`, one grade, or weights such as {1: 1, 2: 2, 3: 2, 4: 1}."},
    {"cohort.site", MN__F_WEIGHTS, OFF(cohort.site), 0, MN_SITE_COUNT - 1, "", site_names,
     "`patient`, one site, or weights such as {periorbital: 2, forehead: 1}."},
    {"cohort.smoker", MN__F_WEIGHTS, OFF(cohort.smoker), 0, 1, "", smoker_names,
     "`patient`, true, false, or weights such as {false: 0.85, true: 0.15}."},
    {"cohort.parameter_spread", MN__F_DOUBLE, OFF(cohort.parameter_spread), 0, 2, "", NULL,
     "Parameter uncertainty: every model parameter is log-normal about its calibrated value "
     "with a width of this fraction of its literature range (1: the range is a 95 % band), "
     "truncated to the range; 0 = calibrated values only."},
    {"cohort.every_days", MN__F_DOUBLE, OFF(cohort.every_days), 0.25, 365, "days", NULL,
     "Step of the summarised time course (the lean runs sample only these days and the first "
     "week after each session)."},
    {"cohort.resolution_um", MN__F_DOUBLE, OFF(cohort.resolution_um), 2, 100, "um", NULL,
     "Depth voxel of the lean column runs (docs/cohort.md measures the accuracy cost)."},
    {"cohort.time_step_scale", MN__F_DOUBLE, OFF(cohort.time_step_scale), 0.25, 4, "", NULL,
     "Multiplies the first and the largest time step of the lean runs (with step_tolerance 0: "
     "every step of `mnsim run`'s schedule, 1 = as `mnsim run`)."},
    {"cohort.step_tolerance", MN__F_DOUBLE, OFF(cohort.step_tolerance), 0, 0.2, "", NULL,
     "Local error per step that the lean runs' error-controlled steps aim at (0: `mnsim run`'s "
     "geometric schedule scaled by time_step_scale; the default 0.015 moves the mean improvement "
     "by ~1.6 %, docs/cohort.md)."},
    {"cohort.erythema_visible", MN__F_DOUBLE, OFF(cohort.erythema_visible), 0.1, 20, "delta a*",
     NULL, "Redness above which a day counts as downtime."},
};

#undef OFF

const size_t mn__scenario_field_count = sizeof mn__scenario_fields / sizeof mn__scenario_fields[0];

const mn__field *mn__field_find(const char *path)
{
    for (size_t i = 0; i < mn__scenario_field_count; ++i)
        if (strcmp(mn__scenario_fields[i].path, path) == 0)
            return &mn__scenario_fields[i];
    return NULL;
}

void mn_scenario_default(mn_scenario *sc)
{
    if (!sc)
        return;
    memset(sc, 0, sizeof *sc);
    sc->schema = MN_SCHEMA_VERSION;
    sc->patient = (mn_patient_spec){.age_years = 52,
                                    .sex = MN_SEX_FEMALE,
                                    .skin_type = 3,
                                    .photoaging = 2,
                                    .site = MN_SITE_PERIORBITAL,
                                    .smoker = false};
    sc->device = (mn_device_spec){.kind = MN_DEVICE_PEN,
                                  .needles = 12,
                                  .needle_length_mm = 1.5,
                                  .needle_diameter_mm = 0.25,
                                  .stroke_hz = 110,
                                  .glide_mm_s = 10,
                                  .cartridge_mm = 4.0,
                                  .drum_diameter_mm = 20,
                                  .drum_width_mm = 20,
                                  .stamp_diameter_mm = 5.0,
                                  .passes = 4};
    sc->treatment.session_count = 3;
    sc->treatment.sessions_listed = false;
    sc->treatment.interval_weeks = 4;
    sc->treatment.anesthetic = MN_ANESTHETIC_TOPICAL;
    sc->treatment.adjuncts = MN_ADJUNCT_PRP;
    sc->aftercare = (mn_aftercare_spec){.uv_index = 4,
                                        .sun_hours_per_day = 1.0,
                                        .sunscreen_spf = 30,
                                        .sunscreen_adherence = 0.8,
                                        .retinoid = false};
    sc->simulate = (mn_simulate_spec){.follow_up_weeks = 26,
                                      .model = MN_MODEL_COLUMN,
                                      .resolution_um = 20,
                                      .patch_mm = 2.0,
                                      .seed = 1};
    snprintf(sc->output.dir, sizeof sc->output.dir, "%s", "mnsim-out");
    sc->output.images = true;
    sc->output.every_days = 1;
    snprintf(sc->source, sizeof sc->source, "%s", "<default>");
    /* Demographics default to the patient section (kind/weights zero): a cohort of one kind of
     * patient with parameter uncertainty answers "how likely is this patient to improve". */
    sc->cohort = (mn_cohort_spec){.size = 1000,
                                  .seed = 1,
                                  .parameter_spread = 0.5,
                                  .every_days = 7,
                                  .resolution_um = 80,
                                  .time_step_scale = 2,
                                  .step_tolerance = 0.015,
                                  .erythema_visible = 2.0};
}

double mn_scenario_session_hour(const mn_scenario *sc, int i)
{
    if (sc->treatment.sessions_listed)
        return sc->treatment.sessions[i].week * 7.0 * 24.0;
    return (double)i * sc->treatment.interval_weeks * 7.0 * 24.0;
}

double mn_scenario_session_needle_mm(const mn_scenario *sc, int i)
{
    if (sc->treatment.sessions_listed && sc->treatment.sessions[i].needle_length_mm > 0)
        return sc->treatment.sessions[i].needle_length_mm;
    return sc->device.needle_length_mm;
}

int mn_scenario_session_passes(const mn_scenario *sc, int i)
{
    if (sc->treatment.sessions_listed && sc->treatment.sessions[i].passes > 0)
        return sc->treatment.sessions[i].passes;
    return sc->device.passes;
}

double mn_scenario_end_hour(const mn_scenario *sc)
{
    int last = sc->treatment.session_count - 1;
    return mn_scenario_session_hour(sc, last) + sc->simulate.follow_up_weeks * 7.0 * 24.0;
}

const char *mn_site_name(mn_site site)
{
    return (site >= 0 && site < MN_SITE_COUNT) ? site_names[site] : "?";
}

const char *mn_device_kind_name(mn_device_kind kind)
{
    return (kind >= 0 && kind <= MN_DEVICE_STAMP) ? device_names[kind] : "?";
}

const char *mn_skin_type_name(int skin_type)
{
    return (skin_type >= 1 && skin_type <= 6) ? skin_names[skin_type - 1] : "?";
}

const char *mn_adjunct_name(mn_adjunct adjunct)
{
    for (int i = 0; adjunct_names[i]; ++i)
        if (adjunct == (1u << i))
            return adjunct_names[i];
    return "?";
}

int mn_scenario_validate(const mn_scenario *sc, mn_error *err)
{
    if (!sc)
        return mn_error_set(err, MN_EINVAL, "mn_scenario_validate: NULL scenario");
    /* Range checks for every scalar field, from the same table the parser uses. */
    for (size_t i = 0; i < mn__scenario_field_count; ++i) {
        const mn__field *f = &mn__scenario_fields[i];
        const char *base = (const char *)sc + f->offset;
        double v;
        switch (f->type) {
        case MN__F_DOUBLE:
            v = *(const double *)base;
            break;
        case MN__F_INT:
        case MN__F_SKIN:
            v = *(const int *)base;
            break;
        case MN__F_ENUM:
            v = (double)*(const int *)base;
            break;
        default:
            continue;
        }
        if (!isfinite(v) || v < f->min || v > f->max)
            return mn_error_set(err, MN_ESCENARIO, "%s: %s: %g is out of range (allowed %g to %g)",
                                sc->source, f->path, v, f->min, f->max);
    }
    const mn_treatment_spec *t = &sc->treatment;
    if (t->session_count < 1 || t->session_count > MN_MAX_SESSIONS)
        return mn_error_set(err, MN_ESCENARIO,
                            "%s: treatment.sessions: %d sessions (allowed 1 to %d)", sc->source,
                            t->session_count, MN_MAX_SESSIONS);
    if (t->sessions_listed) {
        for (int i = 0; i < t->session_count; ++i) {
            const mn_session *s = &t->sessions[i];
            if (i == 0 && s->week != 0.0)
                return mn_error_set(err, MN_ESCENARIO,
                                    "%s: treatment.sessions[0].week: %g (the first session "
                                    "defines day 0; its week must be 0)",
                                    sc->source, s->week);
            if (i > 0 && !(s->week > t->sessions[i - 1].week))
                return mn_error_set(err, MN_ESCENARIO,
                                    "%s: treatment.sessions[%d].week: %g is not after the "
                                    "previous session (week %g); list sessions in order",
                                    sc->source, i, s->week, t->sessions[i - 1].week);
        }
    }
    if (sc->output.dir[0] == '\0')
        return mn_error_set(err, MN_ESCENARIO, "%s: output.dir: empty path", sc->source);
    return MN_OK;
}
