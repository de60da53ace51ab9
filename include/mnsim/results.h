/* Results of a run: every observable sampled on a common day grid, plus the baseline.
 * Writers for results.json (DESIGN §4), timeseries.csv, timecourse.svg and the summary table. */
#ifndef MNSIM_RESULTS_H
#define MNSIM_RESULTS_H

#include <stdio.h>

#include "mnsim/outcome.h"
#include "mnsim/scenario.h"

typedef struct mn_results mn_results;

/* Room for `capacity` samples. */
int mn_results_create(int capacity, mn_results **out, mn_error *err);
void mn_results_free(mn_results **r);

void mn_results_set_baseline(mn_results *r, const double obs[MN_OBS_COUNT]);
/* Appends a sample; fails when full. */
int mn_results_add(mn_results *r, double day, const double obs[MN_OBS_COUNT], mn_error *err);
/* Marks the day of each session (for plots). */
int mn_results_add_session(mn_results *r, double day, mn_error *err);

int mn_results_count(const mn_results *r);
double mn_results_day(const mn_results *r, int i);
double mn_results_value(const mn_results *r, mn_observable o, int i);
double mn_results_baseline(const mn_results *r, mn_observable o);
double mn_results_final(const mn_results *r, mn_observable o);
/* The sample that departs most from the baseline (a peak for rises, a trough for falls). */
double mn_results_peak(const mn_results *r, mn_observable o);
int mn_results_session_count(const mn_results *r);
double mn_results_session_day(const mn_results *r, int i);

/* The parameters the run used outside their literature range (mn_params_out_of_range, the
 * user allowed them): recorded so results.json ("params_out_of_range") and report.html say
 * so. mn_simulate records them; count 0 when every parameter was in range. */
void mn_results_note_params(mn_results *r, const mn_params *p);
int mn_results_params_out_of_range_count(const mn_results *r);
const char *mn_results_param_out_of_range(const mn_results *r, int i);

/* The run's height map (surface.h), with the dermal state of every sample recorded: the
 * results take ownership (freed by mn_results_free; a previous one is freed). */
struct mn_surface;
void mn_results_attach_surface(mn_results *r, struct mn_surface *surface);
/* NULL when none was attached. */
const struct mn_surface *mn_results_surface(const mn_results *r);

/* Writers. Each writes one file atomically into `dir`. */
int mn_results_write_json(const mn_results *r, const mn_scenario *sc, const char *dir,
                          mn_error *err);
int mn_results_write_csv(const mn_results *r, const char *dir, mn_error *err);
/* Before → after table for people. */
void mn_results_print_summary(const mn_results *r, const mn_scenario *sc, FILE *out);

/* The note every report carries. */
extern const char *const mn_disclaimer;

#endif
