/* The accuracy cost of the cohorts' lean runs (docs/cohort.md §Lean runs): the same N virtual
 * patients of the default cohort section run with several lean settings and against a
 * reference of the converged column model (20 µm voxels, a quarter of `mnsim run`'s steps, no
 * error control). Prints, per setting, the mean improvement and its relative error, the
 * largest error of one patient, responders that change, the relative errors of the mean
 * downtime and PIH risk, and the wall time per patient on one thread (the accuracy figures
 * are exact and repeatable; the times are indicative, bench_cohort measures speed). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mnsim/cohort.h"
#include "mnsim/simulate.h"
#include "bench_util.h"

enum { PATIENTS = 200 };

typedef struct setting {
    const char *name;
    double resolution_um, time_step_scale, step_tolerance;
} setting;

static int run_all(const mn_scenario *base, const mn_params *p0, const setting *st,
                   mn_patient_outcome *out, double *seconds)
{
    double t0 = now_s();
    for (long i = 0; i < PATIENTS; ++i) {
        mn_scenario sc;
        mn_params p;
        mn_error err;
        if (mn_cohort_patient(base, p0, i, &sc, &p, &err)) {
            fprintf(stderr, "bench_lean_accuracy: %s\n", err.message);
            return -1;
        }
        sc.simulate.resolution_um = st->resolution_um;
        sc.cohort.time_step_scale = st->time_step_scale;
        sc.cohort.step_tolerance = st->step_tolerance;
        if (mn_cohort_simulate_one(&sc, &p, &out[i], &err)) {
            fprintf(stderr, "bench_lean_accuracy: %s\n", err.message);
            return -1;
        }
    }
    *seconds = now_s() - t0;
    return 0;
}

int main(void)
{
    mn_scenario base;
    mn_params p0;
    mn_scenario_default(&base);
    mn_params_default(&p0);
    const setting reference = {"reference: 20 um, scale 0.25, no error control", 20, 0.25, 0};
    const setting settings[] = {
        {"50 um, scale 1, no error control", 50, 1, 0},
        {"50 um, scale 2, no error control", 50, 2, 0},
        {"80 um, scale 2, no error control", 80, 2, 0},
        {"80 um, tolerance 0.005", 80, 2, 0.005},
        {"80 um, tolerance 0.01", 80, 2, 0.01},
        {"80 um, tolerance 0.015 (default)", 80, 2, 0.015},
        {"80 um, tolerance 0.02", 80, 2, 0.02},
        {"80 um, tolerance 0.03", 80, 2, 0.03},
        {"50 um, tolerance 0.015", 50, 2, 0.015},
    };
    static mn_patient_outcome ref[PATIENTS], got[PATIENTS];
    double t_ref;
    if (run_all(&base, &p0, &reference, ref, &t_ref))
        return 1;
    double imp0 = 0, down0 = 0, pih0 = 0;
    for (int i = 0; i < PATIENTS; ++i) {
        imp0 += ref[i].improvement / PATIENTS;
        down0 += ref[i].downtime_days / PATIENTS;
        pih0 += ref[i].pih_risk / PATIENTS;
    }
    printf("%d patients of the default cohort section; %s: mean improvement %.4f grades, "
           "downtime %.2f d, PIH %.2f %%, %.1f ms/patient\n",
           PATIENTS, reference.name, imp0, down0, 100 * pih0, 1e3 * t_ref / PATIENTS);
    printf("%-36s %10s %9s %10s %10s %9s %9s %8s\n", "setting", "improvement", "error", "max error",
           "responders", "downtime", "PIH", "ms/pat.");
    for (size_t k = 0; k < sizeof settings / sizeof settings[0]; ++k) {
        double t;
        if (run_all(&base, &p0, &settings[k], got, &t))
            return 1;
        double imp = 0, down = 0, pih = 0, worst = 0;
        int flips = 0;
        for (int i = 0; i < PATIENTS; ++i) {
            imp += got[i].improvement / PATIENTS;
            down += got[i].downtime_days / PATIENTS;
            pih += got[i].pih_risk / PATIENTS;
            worst = fmax(worst, fabs(got[i].improvement - ref[i].improvement));
            flips += got[i].responder != ref[i].responder;
        }
        printf("%-36s %10.4f %+8.2f%% %10.4f %10d %+8.2f%% %+8.2f%% %8.2f\n", settings[k].name, imp,
               100 * (imp / imp0 - 1), worst, flips, 100 * (down / down0 - 1),
               100 * (pih / pih0 - 1), 1e3 * t / PATIENTS);
    }
    return 0;
}
