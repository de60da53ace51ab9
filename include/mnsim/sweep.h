/* Protocol studies (`mnsim sweep`, `mnsim optimize`; docs/cohort.md): a protocol is scored by
 * running the same virtual patients (the scenario's cohort section, patients 0..n-1) to a
 * common horizon, so differences between protocols are not sampling noise (common random
 * numbers). */
#ifndef MNSIM_SWEEP_H
#define MNSIM_SWEEP_H

#include "mnsim/export.h"

#include "mnsim/cohort.h"

typedef struct mn_protocol_stats {
    int patients;
    int feasible;            /* 0: the sessions do not fit before the horizon */
    double improvement_mean; /* Lemperle grades, baseline − horizon */
    double improvement_ci95; /* half-width of the 95 % confidence interval of the mean */
    double improvement_p5, improvement_p95; /* spread over patients */
    double responder_fraction;
    double downtime_mean; /* days of visible erythema */
    double pih_mean;      /* expected PIH incidence */
} mn_protocol_stats;

/* Scores the protocol of sc on patients 0..patients-1 of its cohort at horizon_weeks after the
 * first session (follow-up = horizon − last session). OpenMP across patients. When
 * `improvements` is not NULL it receives each patient's improvement. */
MN_EXPORT int mn_protocol_evaluate(const mn_scenario *sc, const mn_params *p, int patients,
                                   double horizon_weeks, mn_protocol_stats *out,
                                   double *improvements, mn_error *err);

/* One axis of a sweep: a scenario field and the values it takes (YAML text, as --set). */
#define MN_SWEEP_MAX_AXES 4
#define MN_SWEEP_MAX_VALUES 32
typedef struct mn_sweep_axis {
    char key[128];
    int count;
    char values[MN_SWEEP_MAX_VALUES][128];
} mn_sweep_axis;

/* Parses "key=v1,v2,..." (commas inside [] or {} do not split). MN_ESCENARIO on bad input. */
MN_EXPORT int mn_sweep_axis_parse(const char *text, mn_sweep_axis *axis, mn_error *err);

/* Runs the grid (every combination of the axes' values) and writes sweep.csv and, for the
 * first two axes, heat maps heatmap_<metric>.svg into dir. `progress` shows a bar. */
MN_EXPORT int mn_sweep_run(const mn_scenario *sc, const mn_params *p, const mn_sweep_axis *axes,
                           int naxes, int patients, double horizon_weeks, const char *dir,
                           int progress, FILE *table, mn_error *err);

/* The optimiser's problem: maximise the mean improvement at the horizon subject to the
 * constraints; sessions and passes and adjuncts enumerated, needle length and interval by
 * GSL's Nelder–Mead simplex (nmsimplex2). */
/* The memory and output of mn_sweep_run over these axes with `patients` patients a point
 * (mn_estimate, simulate.h): the points' statistics and improvements, sweep.csv and the
 * heatmaps. */
MN_EXPORT int mn_sweep_estimate(const mn_sweep_axis *axes, int naxes, int patients,
                                mn_estimate *out, mn_error *err);

typedef struct mn_optimize_spec {
    int patients;
    double horizon_weeks;
    int max_sessions;
    double max_downtime_days; /* mean over patients */
    double max_pih;           /* mean PIH probability */
    double needle_min_mm, needle_max_mm;
    double interval_min_weeks, interval_max_weeks;
    int max_iterations; /* simplex iterations per refined candidate */
    /* Every plan is scored on the same day (horizon_weeks after the first session) and must
     * leave at least this long after its last session (weeks; 0: as long as the scenario's
     * own plan leaves), so a plan is never credited with an early, transient peak that a
     * plan ending sooner has already lived through. */
    double min_follow_up_weeks;
    /* What a clinic can schedule: needle lengths in steps of needle_step_mm (pen dials move
     * in 0.25 mm steps), intervals in whole weeks. */
    double needle_step_mm;
    /* The objective: improvement − weight_downtime·downtime − weight_pain·pain (grades per day
     * of visible erythema, per VAS point of session pain); 0 = improvement alone. */
    double weight_downtime, weight_pain;
} mn_optimize_spec;

MN_EXPORT void mn_optimize_spec_default(mn_optimize_spec *spec);

typedef struct mn_optimize_result {
    mn_scenario best;             /* the recommended protocol (scenario with it applied) */
    mn_protocol_stats best_stats; /* its score */
    mn_protocol_stats base_stats; /* the scenario's own protocol at the same horizon */
    double gain_mean, gain_ci95;  /* paired difference best − base (grades) */
    int evaluations;
    int found; /* 0: no protocol meets the constraints */
    /* The deepest needle allowed at the scenario's site for its device: the one whose channel
     * reaches the bottom of the site's dermis (mm; the cap the search used). */
    double site_needle_max_mm;
    double best_pain_vas, base_pain_vas; /* session pain of each plan (VAS 0-10) */
    double min_follow_up_weeks;          /* the follow-up every plan had to leave */
} mn_optimize_result;

/* The deepest nominal needle length (mm) of `kind` whose channel stays within the
 * epidermis and dermis of the patient's site (patient.h layer thicknesses; the device's
 * penetration model, device.h): needling into the fat is never a cosmetic plan. */
MN_EXPORT int mn_optimize_site_needle_max(const mn_scenario *sc, const mn_params *p, double *mm,
                                          mn_error *err);

MN_EXPORT int mn_optimize_protocol(const mn_scenario *sc, const mn_params *p,
                                   const mn_optimize_spec *spec, int progress,
                                   mn_optimize_result *out, mn_error *err);

#endif
