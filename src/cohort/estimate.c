/* Resource estimates of a cohort and a sweep before they run (mn_cohort_estimate,
 * mn_sweep_estimate). Measured on this code (docs/reliability.md): a 60-patient cohort with a
 * 4-day summary grid wrote 10 kB of patients.csv.gz (166 bytes a patient) and 15 kB of
 * summaries, in 9 MB of memory; every patient's record is record_len doubles, held once as
 * the records and once as the sorted copies of the summary. */
#include <math.h>
#include <string.h>

#include "cohort/cohort_impl.h"
#include "mnsim/sweep.h"

#define MN__EST_COHORT_BASE (32.0 * 1024 * 1024)
#define MN__EST_PATIENT_OUT_PER_VALUE 2.5
#define MN__EST_SUMMARY_DAY_OUT 4096.0
#define MN__EST_SWEEP_POINT_OUT 1024.0

int mn_cohort_estimate(const mn_scenario *sc, mn_estimate *out, mn_error *err)
{
    if (!out)
        return mn_error_set(err, MN_EINVAL, "mn_cohort_estimate: NULL output");
    memset(out, 0, sizeof *out);
    if (!sc)
        return mn_error_set(err, MN_EINVAL, "mn_cohort_estimate: NULL argument");
    const double end = mn_scenario_end_hour(sc) / 24.0, step = sc->cohort.every_days;
    if (!(step > 0) || !isfinite(end))
        return mn_error_set(err, MN_EINVAL, "mn_cohort_estimate: no summary grid");
    const double ndays = floor(end / step + 1e-9) + 2;
    const double record = MN__R_BASELINE + MN_OBS_COUNT * (1.0 + ndays);
    const double patients = (double)sc->cohort.size;
    out->samples = ndays;
    out->memory_bytes = MN__EST_COHORT_BASE + 2.0 * patients * record * sizeof(double);
    out->output_bytes = patients * (64.0 + record * MN__EST_PATIENT_OUT_PER_VALUE) +
                        ndays * MN__EST_SUMMARY_DAY_OUT;
    return MN_OK;
}

int mn_sweep_estimate(const mn_sweep_axis *axes, int naxes, int patients, mn_estimate *out,
                      mn_error *err)
{
    if (!out)
        return mn_error_set(err, MN_EINVAL, "mn_sweep_estimate: NULL output");
    memset(out, 0, sizeof *out);
    if ((!axes && naxes > 0) || naxes < 0 || naxes > MN_SWEEP_MAX_AXES || patients < 1)
        return mn_error_set(err, MN_EINVAL, "mn_sweep_estimate: invalid argument");
    double points = 1;
    for (int a = 0; a < naxes; ++a)
        points *= axes[a].count;
    out->samples = points;
    out->memory_bytes = MN__EST_COHORT_BASE +
                        points * (sizeof(mn_protocol_stats) + (double)patients * sizeof(double));
    out->output_bytes = points * MN__EST_SWEEP_POINT_OUT;
    return MN_OK;
}
