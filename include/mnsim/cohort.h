/* Virtual cohorts (`mnsim cohort`, docs/cohort.md): patients drawn from the scenario's
 * `cohort:` section, each run on the lean column model, summarised as medians and 5–95 %
 * bands over time, responder fraction, downtime and PIH incidence by skin type and age band.
 *
 * Patient i draws its demographics and parameters from its own counter-based stream
 * (rng.h: seed cohort.seed, stream i), so any split over threads and MPI ranks yields the
 * same patients and the same summary bytes. Finished patients are appended to a journal in
 * the output directory; a killed cohort resumes and skips them. */
#ifndef MNSIM_COHORT_H
#define MNSIM_COHORT_H

#include "mnsim/export.h"

#include "mnsim/error.h"
#include "mnsim/params.h"
#include "mnsim/scenario.h"
#include "mnsim/simulate.h"

/* Patient i of the cohort: the scenario with its demographics and the lean settings, and its
 * parameters (log-normal about p0, cohort.parameter_spread; docs/cohort.md). */
MN_EXPORT int mn_cohort_patient(const mn_scenario *base, const mn_params *p0, long i,
                                mn_scenario *sc, mn_params *p, mn_error *err);

/* mn_cohort_patient with the model-parameter uncertainty of a posterior (docs/uncertainty.md):
 * the parameters the posterior samples take one of its draws (chosen from the patient's own
 * stream, so patient i is the same whatever the thread or process), the others keep the
 * log-normal spread of cohort.parameter_spread. post NULL, or parameter_spread 0 (the calibrated
 * values): mn_cohort_patient. */
struct mn_posterior;
MN_EXPORT int mn_cohort_patient_posterior(const mn_scenario *base, const mn_params *p0,
                                          const struct mn_posterior *post, long i, mn_scenario *sc,
                                          mn_params *p, mn_error *err);

/* Settings of a lean run of scenario sc (cohort.time_step_scale, cohort.step_tolerance, no
 * surface, no roughness, samples on `days`). */
MN_EXPORT void mn_cohort_sim_settings(const mn_scenario *sc, const double *days, int ndays,
                                      mn_sim_settings *set);
/* A lean run sampled on `days`, with the downtime (days of erythema at or above
 * cohort.erythema_visible, followed at every step) in *downtime_days (may be NULL). */
MN_EXPORT int mn_cohort_simulate_lean(const mn_scenario *sc, const mn_params *p, const double *days,
                                      int ndays, mn_results **out, double *downtime_days,
                                      mn_error *err);

/* What one patient's course gives the summary. */
typedef struct mn_patient_outcome {
    double grade0, grade_final; /* Lemperle grade (continuous) before and at the horizon */
    double improvement;         /* grade0 − grade_final */
    int responder;              /* the clinician's whole grade improves by ≥ 1 (docs/cohort.md) */
    double downtime_days;       /* days of visible erythema, all sessions */
    double pih_risk;            /* probability of PIH by the horizon */
} mn_patient_outcome;

/* Runs one patient leanly (sampling only the horizon and the first week after each session)
 * and fills *out. */
MN_EXPORT int mn_cohort_simulate_one(const mn_scenario *sc, const mn_params *p,
                                     mn_patient_outcome *out, mn_error *err);

typedef struct mn_cohort mn_cohort;

typedef struct mn_cohort_options {
    int show_progress; /* progress bar with ETA on a terminal (rank 0) */
    int resume;        /* 1: keep the journal of an interrupted run and skip its patients */
    int rank, ranks;   /* this process's share: patients i with i % ranks == rank (0, 1: all) */
    long stop_after;   /* > 0: stop after simulating this many patients (tests of resume) */
    /* Model-parameter uncertainty from this posterior (NULL: the independent log-normal
     * ranges alone; mn_cohort_patient_posterior). Must outlive the cohort. */
    const struct mn_posterior *posterior;
} mn_cohort_options;

/* Plans the cohort of sc (which must hold a valid cohort section) into dir (created). With
 * opt->resume, reads the journals in dir written by the same scenario and parameters. */
MN_EXPORT int mn_cohort_create(const mn_scenario *sc, const mn_params *p, const char *dir,
                               const mn_cohort_options *opt, mn_cohort **out, mn_error *err);
MN_EXPORT void mn_cohort_free(mn_cohort **c);

/* Simulates this rank's patients that are not done yet (OpenMP across patients), appending
 * each to the rank's journal. MN_ERANGE when stop_after stopped it early. */
MN_EXPORT int mn_cohort_run(mn_cohort *c, mn_error *err);

/* 1 when this build can distribute a cohort over MPI processes (Open MPI at build time). */
MN_EXPORT int mn_cohort_mpi_available(void);
/* mn_cohort_run over the processes of MPI_COMM_WORLD (collective; the caller has called
 * MPI_Init and created the cohort with options rank/ranks set from it): each rank simulates
 * its share, every rank learns whether any failed, and rank 0 gathers the records so its
 * mn_cohort_write gives the same files as a serial run. MN_ENOTSUP without MPI. */
MN_EXPORT int mn_cohort_run_distributed(mn_cohort *c, mn_error *err);

/* Record access (for gathering across MPI ranks): every patient is one row of
 * mn_cohort_record_len doubles. */
MN_EXPORT long mn_cohort_size(const mn_cohort *c);
MN_EXPORT int mn_cohort_record_len(const mn_cohort *c);
MN_EXPORT int mn_cohort_is_done(const mn_cohort *c, long i);
MN_EXPORT const double *mn_cohort_record(const mn_cohort *c, long i);
MN_EXPORT int mn_cohort_set_record(mn_cohort *c, long i, const double *record);
MN_EXPORT long mn_cohort_done_count(const mn_cohort *c);

/* Writes patients.csv.gz, summary.json, subgroups.csv, fan_chart.svg and cohort.html into
 * the directory (needs every patient done), then removes the journals. */
MN_EXPORT int mn_cohort_write(mn_cohort *c, mn_error *err);

/* For bindings: the cohort of mn_scenario_from_text(text, name, sets, nsets) with the built-in
 * parameters, planned, simulated (from scratch) and written into dir as `mnsim cohort --fresh`
 * does. */
MN_EXPORT int mn_cohort_run_text(const char *text, const char *name, const char *const *sets,
                                 int nsets, const char *dir, mn_error *err);

/* The memory and output of the cohort of sc before it is planned (mn_estimate, simulate.h):
 * every patient's record (cohort.size x the summary grid of cohort.every_days) held in memory,
 * patients.csv.gz and the summaries written. */
MN_EXPORT int mn_cohort_estimate(const mn_scenario *sc, mn_estimate *out, mn_error *err);

/* Prints the headline numbers for people. */
MN_EXPORT void mn_cohort_print_summary(const mn_cohort *c, FILE *out);

#endif
