/* results.json (the names of docs/model.md §5) and timeseries.csv, written atomically. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/io.h"
#include "mnsim/params.h"
#include "mnsim/results.h"
#include "mnsim/surface.h"

/* "params": the parameters whose value differs from the table's default (the `--params`
 * overrides), each {"value", "default", "unit"}; {} when none does or none were recorded. */
static json_t *params_json(const mn_results *r)
{
    json_t *obj = json_object();
    const mn_params *p = mn_results_params(r);
    for (size_t i = 0; obj && p && i < mn_params_count(); ++i) {
        const mn_param_info *info = mn_params_info(i);
        const double v = mn_params_value(p, info);
        if (v == info->default_value)
            continue;
        json_t *entry = json_pack("{s:f, s:f, s:s}", "value", v, "default", info->default_value,
                                  "unit", info->unit);
        if (!entry || json_object_set_new(obj, info->name, entry)) {
            json_decref(obj);
            return NULL;
        }
    }
    return obj;
}

/* "surface_metrics": how the run's Sa_um, Sq_um and Sz_um were computed, so that a reader can
 * compute them again from before.gsf / after.gsf (baseline / final) and knows why `mnsim
 * measure`'s defaults (plane removed, 2.5 um S- and 0.8 mm L-filter) give other numbers.
 * Each sample is evaluated on a coarse grid for speed (surface.h, docs/surface.md): every
 * stride-th pixel of the map from pixel 0, about that grid's mean, no form removal, no filter.
 * NULL (no key) when the run drew no height map, so a lean run's bytes do not change. */
static json_t *surface_metrics_json(const mn_results *r, const mn_scenario *sc)
{
    const mn_surface *surf = mn_results_surface(r);
    if (!surf)
        return NULL;
    const size_t stride = mn_surface_eval_stride(surf), n = mn_surface_xres(surf);
    const size_t ne = mn_surface_eval_xres(surf);
    const double px = mn_surface_pixel_um(surf);
    char grid[160];
    snprintf(grid, sizeof grid, "pixels 0, %zu, %zu, ... of the %zu x %zu map in x and y", stride,
             2 * stride, n, n);
    json_t *o = json_pack("{s:[s,s,s], s:s, s:s, s:s, s:s, s:s, s:f, s:I, s:I, s:I, s:f, s:I, s:I}",
                          "observables", "Sa_um", "Sq_um", "Sz_um", "surface",
                          "primary (ISO 25178-2)", "form_removal", "none", "filter", "none",
                          "reference", "mean of the grid's heights", "grid", grid, "grid_pixel_um",
                          px * (double)stride, "grid_stride", (json_int_t)stride, "grid_xres",
                          (json_int_t)ne, "grid_yres", (json_int_t)ne, "map_pixel_um", px,
                          "map_xres", (json_int_t)n, "map_yres", (json_int_t)n);
    if (o && sc->output.images)
        json_object_set_new(
            o, "files", json_pack("{s:s, s:s}", "before.gsf", "baseline", "after.gsf", "final"));
    if (o)
        json_object_set_new(o, "measure",
                            json_string("mnsim measure --form none --filter none: the same "
                                        "definitions on every pixel of the map"));
    return o;
}

static json_t *finite_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

struct json_t *mn_results_to_json(const mn_results *r, const mn_scenario *sc)
{
    if (!r || !sc)
        return NULL;
    json_t *root = json_object();
    json_t *observables = json_object();
    json_t *scenario = mn_scenario_to_json(sc);
    json_t *sessions = json_array();
    json_t *params = params_json(r);
    if (!root || !observables || !scenario || !sessions || !params) {
        json_decref(root);
        json_decref(observables);
        json_decref(scenario);
        json_decref(sessions);
        json_decref(params);
        return NULL;
    }
    json_object_set_new(root, "mnsim_version", json_string(MNSIM_VERSION));
    json_object_set_new(root, "note", json_string(mn_disclaimer));
    json_object_set_new(root, "scenario", scenario);
    json_object_set_new(root, "params", params);
    for (int i = 0; i < mn_results_session_count(r); ++i)
        json_array_append_new(sessions, json_real(mn_results_session_day(r, i)));
    json_object_set_new(root, "session_days", sessions);
    for (int o = 0; o < MN_OBS_COUNT; ++o) {
        json_t *days = json_array(), *values = json_array();
        for (int i = 0; i < mn_results_count(r); ++i) {
            json_array_append_new(days, json_real(mn_results_day(r, i)));
            json_array_append_new(values, json_real(mn_results_value(r, (mn_observable)o, i)));
        }
        json_t *entry = json_pack(
            "{s:s, s:f, s:f, s:f, s:o, s:o}", "unit", mn_observable_unit((mn_observable)o),
            "baseline", mn_results_baseline(r, (mn_observable)o), "peak",
            mn_results_peak(r, (mn_observable)o), "final", mn_results_final(r, (mn_observable)o),
            "days", days, "values", values);
        /* Added: the day of the peak (the fast observables' peak falls between samples). */
        if (entry)
            json_object_set_new(entry, "peak_day",
                                json_real(mn_results_peak_day(r, (mn_observable)o)));
        /* Added: the predictive band, when the run drew one (`--uncertainty N`). */
        if (entry && mn_results_has_band(r)) {
            json_t *lo = json_array(), *hi = json_array();
            /* A band the draws leave undefined (a NaN in a draw) is null, never a dropped
             * entry: lo and hi stay aligned with days. */
            for (int i = 0; i < mn_results_count(r); ++i) {
                json_array_append_new(lo,
                                      finite_or_null(mn_results_band_lo(r, (mn_observable)o, i)));
                json_array_append_new(hi,
                                      finite_or_null(mn_results_band_hi(r, (mn_observable)o, i)));
            }
            json_object_set_new(
                entry, "band",
                json_pack("{s:f, s:i, s:o, s:o, s:o, s:o}", "level", mn_results_band_level(r),
                          "draws", mn_results_band_draws(r), "lo", lo, "hi", hi, "final_lo",
                          finite_or_null(mn_results_band_final_lo(r, (mn_observable)o)), "final_hi",
                          finite_or_null(mn_results_band_final_hi(r, (mn_observable)o))));
        }
        json_object_set_new(observables, mn_observable_name((mn_observable)o), entry);
    }
    json_object_set_new(root, "observables", observables);
    /* Added: how Sa_um, Sq_um, Sz_um were computed (only with a height map). */
    json_t *metrics = surface_metrics_json(r, sc);
    if (metrics)
        json_object_set_new(root, "surface_metrics", metrics);
    /* Only when the user allowed parameters outside their range: valid runs keep their bytes. */
    if (mn_results_params_out_of_range_count(r) > 0) {
        json_t *names = json_array();
        for (int i = 0; names && i < mn_results_params_out_of_range_count(r); ++i)
            json_array_append_new(names, json_string(mn_results_param_out_of_range(r, i)));
        json_object_set_new(root, "params_out_of_range", names);
    }
    return root;
}

int mn_results_json_text(const mn_results *r, const mn_scenario *sc, char **out, mn_error *err)
{
    if (!out)
        return mn_error_set(err, MN_EINVAL, "mn_results_json_text: NULL output");
    *out = NULL;
    if (!r || !sc)
        return mn_error_set(err, MN_EINVAL, "mn_results_json_text: NULL argument");
    json_t *root = mn_results_to_json(r, sc);
    if (!root)
        return mn_error_set(err, MN_ENOMEM, "out of memory building results.json");
    *out = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(root);
    if (!*out)
        return mn_error_set(err, MN_ENOMEM, "out of memory writing results.json");
    /* json_dumps allocates with jansson's allocator (malloc unless the program changed it);
     * the text gets the file's final newline; the caller frees with mn_free, i.e. free. */
    size_t n = strlen(*out);
    char *text = malloc(n + 2);
    if (text) {
        memcpy(text, *out, n);
        memcpy(text + n, "\n", 2);
    }
    free(*out);
    *out = text;
    return text ? MN_OK : mn_error_set(err, MN_ENOMEM, "out of memory writing results.json");
}

int mn_results_write_json(const mn_results *r, const mn_scenario *sc, const char *dir,
                          mn_error *err)
{
    char *text = NULL;
    int rc = mn_results_json_text(r, sc, &text, err);
    if (rc)
        return rc;
    mn_atomic_file *f = NULL;
    rc = mn_atomic_open_in(dir, "results.json", &f, err);
    if (!rc) {
        fputs(text, mn_atomic_stream(f));
        rc = mn_atomic_commit(&f, err);
    }
    free(text);
    return rc;
}

int mn_results_write_csv(const mn_results *r, const char *dir, mn_error *err)
{
    mn_atomic_file *f = NULL;
    int rc = mn_atomic_open_in(dir, "timeseries.csv", &f, err);
    if (rc)
        return rc;
    FILE *out = mn_atomic_stream(f);
    /* Every `day` is a number (a CSV reader types the column numeric): the untreated baseline
     * is the row with phase "baseline" at day 0, before the samples (phase "course"). */
    fputs("day,phase", out);
    for (int o = 0; o < MN_OBS_COUNT; ++o)
        fprintf(out, ",%s", mn_observable_name((mn_observable)o));
    fputc('\n', out);
    fputs("0,baseline", out);
    for (int o = 0; o < MN_OBS_COUNT; ++o)
        fprintf(out, ",%.10g", mn_results_baseline(r, (mn_observable)o));
    fputc('\n', out);
    for (int i = 0; i < mn_results_count(r); ++i) {
        fprintf(out, "%.10g,course", mn_results_day(r, i));
        for (int o = 0; o < MN_OBS_COUNT; ++o)
            fprintf(out, ",%.10g", mn_results_value(r, (mn_observable)o, i));
        fputc('\n', out);
    }
    return mn_atomic_commit(&f, err);
}

/* A value for people: rounding residues (3e-25 of a quantity of order 1) print as 0. */
static double shown(double v)
{
    return fabs(v) < 1e-9 ? 0.0 : v;
}

void mn_results_print_summary(const mn_results *r, const mn_scenario *sc, FILE *out)
{
    fprintf(out,
            "mnsim %s: %s, %s, age %g, skin type %s, Glogau %d; %s %g mm x %d session%s; "
            "follow-up %g weeks\n",
            MNSIM_VERSION, sc->source, mn_site_name(sc->patient.site), sc->patient.age_years,
            mn_skin_type_name(sc->patient.skin_type), sc->patient.photoaging,
            mn_device_kind_name(sc->device.kind), sc->device.needle_length_mm,
            sc->treatment.session_count, sc->treatment.session_count > 1 ? "s" : "",
            sc->simulate.follow_up_weeks);
    fprintf(out, "\n%-20s %-13s %10s %10s %8s %10s %9s%s\n", "observable", "unit", "before",
            "extreme", "on day", "after", "change",
            mn_results_has_band(r) ? "  [after, likely range]" : "");
    for (int o = 0; o < MN_OBS_COUNT; ++o) {
        double b = shown(mn_results_baseline(r, (mn_observable)o));
        double pk = shown(mn_results_peak(r, (mn_observable)o));
        double f = shown(mn_results_final(r, (mn_observable)o));
        char change[32];
        if (fabs(b) > 1e-9)
            snprintf(change, sizeof change, "%+.1f%%", 100.0 * (f - b) / fabs(b));
        else
            snprintf(change, sizeof change, "%+.3g", f - b);
        fprintf(out, "%-20s %-13s %10.4g %10.4g %8.2f %10.4g %9s",
                mn_observable_name((mn_observable)o), mn_observable_unit((mn_observable)o), b, pk,
                mn_results_peak_day(r, (mn_observable)o), f, change);
        if (mn_results_has_band(r))
            fprintf(out, "  [%.4g, %.4g]", shown(mn_results_band_final_lo(r, (mn_observable)o)),
                    shown(mn_results_band_final_hi(r, (mn_observable)o)));
        fputc('\n', out);
    }
    if (mn_results_has_band(r))
        fprintf(out,
                "\n[after]: the likely range, the central %.0f %% of %d runs at posterior draws "
                "of the model parameters (docs/uncertainty.md)\n",
                100.0 * mn_results_band_level(r), mn_results_band_draws(r));
    /* Which surface Sa, Sq, Sz describe, as results.json's "surface_metrics" and `mnsim
     * measure`'s heights: line say, so nobody compares them with measure's filtered defaults. */
    const mn_surface *surf = mn_results_surface(r);
    if (surf)
        fprintf(out,
                "\nSa, Sq, Sz: the primary surface (no form removal, no filter), every %.4g um of "
                "the map%s\n",
                mn_surface_pixel_um(surf) * (double)mn_surface_eval_stride(surf),
                sc->output.images ? "; mnsim measure --form none --filter none gives them from "
                                    "before.gsf, after.gsf"
                                  : "");
    fprintf(out, "\nNote: %s\n", mn_disclaimer);
}
