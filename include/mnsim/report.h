/* What a run writes for people: the time-course figure, the HTML report, and the whole set of a
 * run's files (docs/surface.md). */
#ifndef MNSIM_REPORT_H
#define MNSIM_REPORT_H

#include "mnsim/export.h"

#include "mnsim/results.h"
#include "mnsim/scenario.h"
#include "mnsim/simulate.h"

/* Writes timecourse.svg into dir (atomically): collagen, wrinkle depth, stiffness, epidermis,
 * redness and TEWL against days, sessions marked. */
MN_EXPORT int mn_report_write_timecourse_svg(const mn_results *r, const mn_scenario *sc,
                                             const char *dir, mn_error *err);

/* Writes report.html into dir: one self-contained offline page (images embedded as data URIs,
 * the time-course SVG inline, a vanilla-JS before/after slider) with the patient and protocol,
 * the table of observables and the research-simulation note. Reads before.png, day1.png,
 * after.png and timecourse.svg from dir (written just before by mn_report_write_run). */
MN_EXPORT int mn_report_write_html(const mn_results *r, const mn_scenario *sc, const char *dir,
                                   mn_error *err);

/* Writes a run's files into dir (created): results.json and timeseries.csv, and with
 * output.images timecourse.svg, the surface pictures and height maps (render.h) and
 * report.html. */
MN_EXPORT int mn_report_write_run(const mn_results *r, const mn_scenario *sc, const char *dir,
                                  mn_error *err);

/* The memory and output of `mnsim run` on sc before it runs (mn_estimate, simulate.h): the
 * run's memory (mn_simulate_estimate_model) and the bytes mn_report_write_run writes, plus
 * `snapshots` extra 3-D snapshots (--vti-days). */
MN_EXPORT int mn_report_estimate_run(const mn_scenario *sc, const mn_params *p, int snapshots,
                                     mn_estimate *out, mn_error *err);

#endif
