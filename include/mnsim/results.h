/* Results of a run: every observable sampled on a common day grid, plus the baseline.
 * Writers for results.json (docs/model.md §5), timeseries.csv, timecourse.svg and the summary
 * table. */
#ifndef MNSIM_RESULTS_H
#define MNSIM_RESULTS_H

#include "mnsim/export.h"

#include <stdio.h>

#include "mnsim/outcome.h"
#include "mnsim/params.h"
#include "mnsim/scenario.h"

typedef struct mn_results mn_results;

/* Room for `capacity` samples. */
MN_EXPORT int mn_results_create(int capacity, mn_results **out, mn_error *err);
MN_EXPORT void mn_results_free(mn_results **r);

MN_EXPORT void mn_results_set_baseline(mn_results *r, const double obs[MN_OBS_COUNT]);
/* Appends a sample; fails when full. */
MN_EXPORT int mn_results_add(mn_results *r, double day, const double obs[MN_OBS_COUNT],
                             mn_error *err);
/* Marks the day of each session (for plots). */
MN_EXPORT int mn_results_add_session(mn_results *r, double day, mn_error *err);

MN_EXPORT int mn_results_count(const mn_results *r);
MN_EXPORT double mn_results_day(const mn_results *r, int i);
MN_EXPORT double mn_results_value(const mn_results *r, mn_observable o, int i);
MN_EXPORT double mn_results_baseline(const mn_results *r, mn_observable o);
MN_EXPORT double mn_results_final(const mn_results *r, mn_observable o);
/* The value that departs most from the baseline over the samples and the values tracked between
 * them (a peak for rises, a trough for falls). */
MN_EXPORT double mn_results_peak(const mn_results *r, mn_observable o);
/* Day of that extreme (days since the first session). */
MN_EXPORT double mn_results_peak_day(const mn_results *r, mn_observable o);
/* Records a value between samples (the stepper follows the fast observables at every step):
 * mn_results_peak then reports the true extreme, not the extreme of the samples. */
MN_EXPORT void mn_results_track(mn_results *r, mn_observable o, double day, double value);
/* The tracked extreme of o (checkpoints save it); 0 when none was tracked. */
MN_EXPORT int mn_results_tracked(const mn_results *r, mn_observable o, double *value, double *day);
/* The strongest redness of the first day after the first session, with the edema and the day
 * at that time (what day1.png shows); 0 when the run had no session. */
MN_EXPORT void mn_results_set_day1(mn_results *r, double erythema, double edema_rel, double day);
MN_EXPORT int mn_results_day1(const mn_results *r, double *erythema, double *edema_rel,
                              double *day);
MN_EXPORT int mn_results_session_count(const mn_results *r);
MN_EXPORT double mn_results_session_day(const mn_results *r, int i);

/* Records (copies) the model parameters the run used: results.json and report.html list the
 * ones that differ from the defaults (the overrides of `--params`). */
MN_EXPORT void mn_results_set_params(mn_results *r, const mn_params *p);
/* The recorded parameters; NULL when none were recorded. */
MN_EXPORT const mn_params *mn_results_params(const mn_results *r);

/* The parameters the run used outside their literature range (mn_params_out_of_range, the
 * user allowed them): recorded so results.json ("params_out_of_range") and report.html say
 * so. mn_simulate records them; count 0 when every parameter was in range. */
MN_EXPORT void mn_results_note_params(mn_results *r, const mn_params *p);
MN_EXPORT int mn_results_params_out_of_range_count(const mn_results *r);
MN_EXPORT const char *mn_results_param_out_of_range(const mn_results *r, int i);

/* The predictive band of every observable (`run --uncertainty`, docs/uncertainty.md): the
 * central `level` (e.g. 0.9: the 5th to 95th percentile) of `draws` runs at posterior draws,
 * lo[o·count + i] and hi[...] aligned with the samples (mn_results_count must not change
 * afterwards), and of the final values. Copies the arrays; replaces a previous band. */
MN_EXPORT int mn_results_set_band(mn_results *r, double level, int draws, const double *lo,
                                  const double *hi, const double *final_lo, const double *final_hi,
                                  mn_error *err);
MN_EXPORT int mn_results_has_band(const mn_results *r);
MN_EXPORT double mn_results_band_level(const mn_results *r);
MN_EXPORT int mn_results_band_draws(const mn_results *r);
MN_EXPORT double mn_results_band_lo(const mn_results *r, mn_observable o, int i);
MN_EXPORT double mn_results_band_hi(const mn_results *r, mn_observable o, int i);
MN_EXPORT double mn_results_band_final_lo(const mn_results *r, mn_observable o);
MN_EXPORT double mn_results_band_final_hi(const mn_results *r, mn_observable o);

/* The runs of the posterior draws whose final wrinkle grade lies at the 5th, 50th and 95th
 * percentile of the band's draws (the "likely range" row of before_after.png), with their
 * percentiles: r takes ownership (runs[k] set to NULL; freed by mn_results_free). */
#define MN_BAND_RUNS 3
MN_EXPORT void mn_results_attach_band_runs(mn_results *r, mn_results *runs[MN_BAND_RUNS],
                                           const double percentile[MN_BAND_RUNS]);
/* Run k (0: 5th, 1: median, 2: 95th percentile), NULL when none was attached. */
MN_EXPORT const mn_results *mn_results_band_run(const mn_results *r, int k, double *percentile);

/* The run's height map (surface.h), with the dermal state of every sample recorded: the
 * results take ownership (freed by mn_results_free; a previous one is freed). */
struct mn_surface;
MN_EXPORT void mn_results_attach_surface(mn_results *r, struct mn_surface *surface);
/* NULL when none was attached. */
MN_EXPORT const struct mn_surface *mn_results_surface(const mn_results *r);

/* The content of results.json as a JSON object (jansson; the caller owns the reference; NULL
 * on no memory). */
struct json_t;
MN_EXPORT struct json_t *mn_results_to_json(const mn_results *r, const mn_scenario *sc);
/* Writers. Each writes one file atomically into `dir`: results.json, and timeseries.csv (header
 * `day,phase,<observable names>`; the first row is the baseline, phase "baseline" at day 0, then
 * one row per sample with phase "course"). */
MN_EXPORT int mn_results_write_json(const mn_results *r, const mn_scenario *sc, const char *dir,
                                    mn_error *err);
MN_EXPORT int mn_results_write_csv(const mn_results *r, const char *dir, mn_error *err);
/* The text of results.json (ending in a newline) in *text, which the caller frees with
 * mn_free. */
MN_EXPORT int mn_results_json_text(const mn_results *r, const mn_scenario *sc, char **text,
                                   mn_error *err);
/* Before → after table for people. */
MN_EXPORT void mn_results_print_summary(const mn_results *r, const mn_scenario *sc, FILE *out);

/* The note every report carries. */
MN_EXPORT extern const char *const mn_disclaimer;

#endif
