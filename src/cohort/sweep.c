/* Protocol scoring on a fixed set of virtual patients and grid sweeps (docs/cohort.md). */
#include "mnsim/sweep.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cohort/cohort_impl.h"
#include "mnsim/io.h"
#include "mnsim/jobs.h"
#include "mnsim/progress.h"

/* Sets follow_up_weeks so the course ends horizon_weeks after the first session; 0 when the
 * sessions do not fit. */
static int fit_horizon(mn_scenario *sc, double horizon_weeks)
{
    double last = mn_scenario_session_hour(sc, sc->treatment.session_count - 1) / 168.0;
    double follow = horizon_weeks - last;
    if (follow < 0 || follow > 520)
        return 0;
    sc->simulate.follow_up_weeks = follow;
    return 1;
}

/* Patient i of a protocol evaluation (mn_jobs_run). */
struct protocol_jobs {
    const mn_scenario *base;
    const mn_params *p;
    double *v, *resp, *down, *pih;
};

static int protocol_patient(void *user, long il, mn_error *err)
{
    const struct protocol_jobs *c = user;
    const int i = (int)il;
    mn_scenario one;
    mn_params pp;
    mn_patient_outcome o;
    int rc = mn_cohort_patient(c->base, c->p, i, &one, &pp, err);
    if (!rc)
        rc = mn_cohort_simulate_one(&one, &pp, &o, err);
    if (rc)
        return rc;
    c->v[i] = o.improvement;
    c->resp[i] = o.responder;
    c->down[i] = o.downtime_days;
    c->pih[i] = o.pih_risk;
    return MN_OK;
}

int mn_protocol_evaluate(const mn_scenario *sc, const mn_params *p, int patients,
                         double horizon_weeks, mn_protocol_stats *out, double *improvements,
                         mn_error *err)
{
    if (!sc || !p || !out || patients < 1)
        return mn_error_set(err, MN_EINVAL, "mn_protocol_evaluate: bad argument");
    memset(out, 0, sizeof *out);
    out->patients = patients;
    mn_scenario base = *sc;
    if (!fit_horizon(&base, horizon_weeks))
        return MN_OK; /* infeasible: feasible = 0 */
    double *v = malloc((size_t)patients * 4 * sizeof *v);
    if (!v)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    double *resp = v + patients, *down = resp + patients, *pih = down + patients;
    struct protocol_jobs ctx = {
        .base = &base, .p = p, .v = v, .resp = resp, .down = down, .pih = pih};
    int rc = mn_jobs_run(patients, 0, 1, protocol_patient, &ctx, err);
    if (rc) {
        free(v);
        return rc;
    }
    /* Sums in patient order: the same bytes whatever the threads. */
    out->feasible = 1;
    out->improvement_mean = gsl_stats_mean(v, 1, (size_t)patients);
    out->improvement_ci95 =
        patients > 1 ? 1.959963984540054 * gsl_stats_sd(v, 1, (size_t)patients) / sqrt(patients)
                     : 0.0;
    out->responder_fraction = gsl_stats_mean(resp, 1, (size_t)patients);
    out->downtime_mean = gsl_stats_mean(down, 1, (size_t)patients);
    out->pih_mean = gsl_stats_mean(pih, 1, (size_t)patients);
    if (improvements)
        memcpy(improvements, v, (size_t)patients * sizeof *v);
    gsl_sort(v, 1, (size_t)patients);
    out->improvement_p5 = gsl_stats_quantile_from_sorted_data(v, 1, (size_t)patients, 0.05);
    out->improvement_p95 = gsl_stats_quantile_from_sorted_data(v, 1, (size_t)patients, 0.95);
    free(v);
    return MN_OK;
}

int mn_sweep_axis_parse(const char *text, mn_sweep_axis *axis, mn_error *err)
{
    memset(axis, 0, sizeof *axis);
    const char *eq = strchr(text, '=');
    if (!eq || eq == text || (size_t)(eq - text) >= sizeof axis->key)
        return mn_error_set(err, MN_ESCENARIO,
                            "--vary %s: expected key.path=v1,v2,... (e.g. "
                            "device.needle_length_mm=0.5,1,1.5)",
                            text);
    memcpy(axis->key, text, (size_t)(eq - text));
    const char *s = eq + 1;
    while (*s) {
        int depth = 0;
        const char *start = s;
        while (*s && !(*s == ',' && depth == 0)) {
            depth += (*s == '[' || *s == '{') - (*s == ']' || *s == '}');
            ++s;
        }
        size_t len = (size_t)(s - start);
        if (len == 0 || len >= sizeof axis->values[0])
            return mn_error_set(err, MN_ESCENARIO, "--vary %s: empty or too long value", text);
        if (axis->count >= MN_SWEEP_MAX_VALUES)
            return mn_error_set(err, MN_ESCENARIO, "--vary %s: more than %d values", text,
                                MN_SWEEP_MAX_VALUES);
        memcpy(axis->values[axis->count], start, len);
        axis->values[axis->count][len] = '\0';
        ++axis->count;
        if (*s == ',')
            ++s;
    }
    if (axis->count == 0)
        return mn_error_set(err, MN_ESCENARIO, "--vary %s: no values", text);
    return MN_OK;
}

enum { M_IMPROVEMENT, M_RESPONDERS, M_DOWNTIME, M_PIH, M_COUNT };
static const char *const metric_name[M_COUNT] = {"improvement", "responders", "downtime", "pih"};
static const char *const metric_title[M_COUNT] = {
    "expected wrinkle improvement (Lemperle grades)", "responder fraction",
    "expected downtime (days of visible erythema)", "expected PIH incidence"};

static double metric(const mn_protocol_stats *s, int m)
{
    if (!s->feasible)
        return NAN;
    switch (m) {
    case M_IMPROVEMENT:
        return s->improvement_mean;
    case M_RESPONDERS:
        return s->responder_fraction;
    case M_DOWNTIME:
        return s->downtime_mean;
    default:
        return s->pih_mean;
    }
}

/* Heat map of one metric over the first two axes (the other axes at their first value). */
static int write_heatmap(const mn_sweep_axis *axes, int naxes, const mn_protocol_stats *st, int m,
                         const char *dir, mn_error *err)
{
    const mn_sweep_axis *ax = &axes[0];
    const mn_sweep_axis *ay = naxes > 1 ? &axes[1] : NULL;
    const int nx = ax->count, ny = ay ? ay->count : 1;
    const double cw = 70, chh = 34, x0 = 190, y0 = 60;
    double lo = INFINITY, hi = -INFINITY;
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
            double v = metric(&st[i + nx * j], m);
            if (isfinite(v))
                lo = fmin(lo, v), hi = fmax(hi, v);
        }
    if (!(hi > lo))
        hi = lo + 1e-12;
    char path[MN_PATH_MAX], name[64];
    snprintf(name, sizeof name, "heatmap_%s.svg", metric_name[m]);
    int rc = mn_path_join(path, sizeof path, dir, name, err);
    mn_atomic_file *af = NULL;
    if (!rc)
        rc = mn_atomic_open(path, &af, err);
    if (rc)
        return rc;
    FILE *f = mn_atomic_stream(af);
    const double W = fmax(x0 + nx * cw + 40, 640), H = y0 + ny * chh + 70;
    fprintf(
        f,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%g\" height=\"%g\" "
        "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%%\" "
        "height=\"100%%\" fill=\"white\"/>\n<text x=\"10\" y=\"22\" font-size=\"15\">%s</text>\n",
        W, H, metric_title[m]);
    for (int j = 0; j < ny; ++j) {
        fprintf(f, "<text x=\"%g\" y=\"%g\" text-anchor=\"end\">%s</text>\n", x0 - 6,
                y0 + (j + 0.6) * chh, ay ? ay->values[j] : "");
        for (int i = 0; i < nx; ++i) {
            double v = metric(&st[i + nx * j], m), t = isfinite(v) ? (v - lo) / (hi - lo) : 0;
            /* Light yellow → dark blue (perceptually ordered, prints in grey). */
            int r = (int)(255 - 215 * t), g = (int)(250 - 150 * t), b = (int)(200 - 40 * t + 0.5);
            if (isfinite(v))
                fprintf(f,
                        "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" "
                        "fill=\"rgb(%d,%d,%d)\" stroke=\"white\"/>\n<text x=\"%g\" y=\"%g\" "
                        "text-anchor=\"middle\" fill=\"%s\">%.3g</text>\n",
                        x0 + i * cw, y0 + j * chh, cw, chh, r, g, b, x0 + (i + 0.5) * cw,
                        y0 + (j + 0.6) * chh, t > 0.55 ? "white" : "black", v);
            else
                fprintf(f,
                        "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"#999\" "
                        "stroke=\"white\"/>\n<text x=\"%g\" y=\"%g\" text-anchor=\"middle\" "
                        "fill=\"white\">n/a</text>\n",
                        x0 + i * cw, y0 + j * chh, cw, chh, x0 + (i + 0.5) * cw,
                        y0 + (j + 0.6) * chh);
        }
    }
    for (int i = 0; i < nx; ++i)
        fprintf(f, "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\">%s</text>\n",
                x0 + (i + 0.5) * cw, y0 + ny * chh + 16, ax->values[i]);
    fprintf(f, "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\">%s</text>\n", x0 + nx * cw / 2,
            y0 + ny * chh + 36, ax->key);
    if (ay)
        fprintf(f, "<text x=\"10\" y=\"%g\">%s</text>\n", y0 - 10, ay->key);
    fprintf(f,
            "<text x=\"10\" y=\"%g\" fill=\"#555\">n/a: sessions do not fit before the "
            "horizon. Research simulation, not medical advice.</text>\n</svg>\n",
            H - 8);
    return mn_atomic_commit(&af, err);
}

int mn_sweep_run(const mn_scenario *sc, const mn_params *p, const mn_sweep_axis *axes, int naxes,
                 int patients, double horizon_weeks, const char *dir, int progress, FILE *table,
                 mn_error *err)
{
    if (!sc || !p || !axes || naxes < 1 || naxes > MN_SWEEP_MAX_AXES || !dir)
        return mn_error_set(err, MN_EINVAL, "mn_sweep_run: bad argument");
    long total = 1;
    for (int a = 0; a < naxes; ++a)
        total *= axes[a].count;
    mn_protocol_stats *st = calloc((size_t)total, sizeof *st);
    if (!st)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    /* Check every value first, so a typo fails before minutes of simulation. */
    int rc = MN_OK;
    for (int a = 0; !rc && a < naxes; ++a)
        for (int v = 0; !rc && v < axes[a].count; ++v) {
            mn_scenario probe = *sc;
            char assign[300];
            snprintf(assign, sizeof assign, "%s=%s", axes[a].key, axes[a].values[v]);
            rc = mn_scenario_set(&probe, assign, err);
        }
    mn_progress *bar = progress ? mn_progress_start("mnsim sweep", (double)total) : NULL;
    for (long k = 0; !rc && k < total; ++k) {
        mn_scenario one = *sc;
        long rest = k;
        for (int a = 0; !rc && a < naxes; ++a) {
            char assign[300];
            snprintf(assign, sizeof assign, "%s=%s", axes[a].key,
                     axes[a].values[rest % axes[a].count]);
            rest /= axes[a].count;
            rc = mn_scenario_set(&one, assign, err);
        }
        if (!rc)
            rc = mn_protocol_evaluate(&one, p, patients, horizon_weeks, &st[k], NULL, err);
        mn_progress_update(bar, (double)(k + 1), "protocols");
    }
    mn_progress_finish(&bar);
    if (!rc)
        rc = mn_mkdir_p(dir, err);
    mn_atomic_file *af = NULL;
    if (!rc)
        rc = mn_atomic_open_in(dir, "sweep.csv", &af, err);
    if (!rc) {
        FILE *f = mn_atomic_stream(af);
        for (int pass = 0; pass < 2; ++pass) {
            FILE *o = pass ? table : f;
            if (!o)
                continue;
            const char *sep = pass ? "  " : ",";
            for (int a = 0; a < naxes; ++a)
                fprintf(o, "%s%s", axes[a].key, sep);
            fprintf(o, pass ? "improvement(95%% CI)  p5..p95  responders  downtime_d  PIH\n"
                            : "patients,feasible,improvement_mean,improvement_ci95,"
                              "improvement_p5,improvement_p95,responder_fraction,"
                              "downtime_days_mean,pih_mean\n");
            for (long k = 0; k < total; ++k) {
                long rest = k;
                for (int a = 0; a < naxes; ++a) {
                    fprintf(o, "\"%s\"%s", axes[a].values[rest % axes[a].count], sep);
                    rest /= axes[a].count;
                }
                const mn_protocol_stats *s = &st[k];
                if (pass && !s->feasible)
                    fprintf(o, "does not fit before the horizon\n");
                else if (pass)
                    fprintf(o, "%.3f (+-%.3f)  %.2f..%.2f  %5.1f%%  %.2f  %.2f%%\n",
                            s->improvement_mean, s->improvement_ci95, s->improvement_p5,
                            s->improvement_p95, 100 * s->responder_fraction, s->downtime_mean,
                            100 * s->pih_mean);
                else
                    fprintf(o, "%d,%d,%.8g,%.8g,%.8g,%.8g,%.8g,%.8g,%.8g\n", s->patients,
                            s->feasible, s->improvement_mean, s->improvement_ci95,
                            s->improvement_p5, s->improvement_p95, s->responder_fraction,
                            s->downtime_mean, s->pih_mean);
            }
        }
        rc = mn_atomic_commit(&af, err);
    }
    for (int m = 0; !rc && m < M_COUNT; ++m)
        rc = write_heatmap(axes, naxes, st, m, dir, err);
    free(st);
    return rc;
}
