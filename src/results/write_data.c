/* results.json (DESIGN §4 names) and timeseries.csv, written atomically. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mnsim/io.h"
#include "mnsim/results.h"

int mn_results_write_json(const mn_results *r, const mn_scenario *sc, const char *dir,
                          mn_error *err)
{
    char path[MN_PATH_MAX + 32];
    int rc = mn_path_join(path, sizeof path, dir, "results.json", err);
    if (rc)
        return rc;
    json_t *root = json_object();
    json_t *observables = json_object();
    json_t *scenario = mn_scenario_to_json(sc);
    json_t *sessions = json_array();
    if (!root || !observables || !scenario || !sessions) {
        json_decref(root);
        json_decref(observables);
        json_decref(scenario);
        json_decref(sessions);
        return mn_error_set(err, MN_ENOMEM, "out of memory building results.json");
    }
    json_object_set_new(root, "mnsim_version", json_string(MNSIM_VERSION));
    json_object_set_new(root, "note", json_string(mn_disclaimer));
    json_object_set_new(root, "scenario", scenario);
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
        json_object_set_new(observables, mn_observable_name((mn_observable)o), entry);
    }
    json_object_set_new(root, "observables", observables);
    /* Only when the user allowed parameters outside their range: valid runs keep their bytes. */
    if (mn_results_params_out_of_range_count(r) > 0) {
        json_t *names = json_array();
        for (int i = 0; names && i < mn_results_params_out_of_range_count(r); ++i)
            json_array_append_new(names, json_string(mn_results_param_out_of_range(r, i)));
        json_object_set_new(root, "params_out_of_range", names);
    }
    char *text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(root);
    if (!text)
        return mn_error_set(err, MN_ENOMEM, "out of memory writing results.json");
    mn_atomic_file *f = NULL;
    rc = mn_atomic_open(path, &f, err);
    if (!rc) {
        fputs(text, mn_atomic_stream(f));
        fputc('\n', mn_atomic_stream(f));
        rc = mn_atomic_commit(&f, err);
    }
    free(text);
    return rc;
}

int mn_results_write_csv(const mn_results *r, const char *dir, mn_error *err)
{
    char path[MN_PATH_MAX + 32];
    int rc = mn_path_join(path, sizeof path, dir, "timeseries.csv", err);
    if (rc)
        return rc;
    mn_atomic_file *f = NULL;
    rc = mn_atomic_open(path, &f, err);
    if (rc)
        return rc;
    FILE *out = mn_atomic_stream(f);
    fputs("day", out);
    for (int o = 0; o < MN_OBS_COUNT; ++o)
        fprintf(out, ",%s", mn_observable_name((mn_observable)o));
    fputc('\n', out);
    fputs("baseline", out);
    for (int o = 0; o < MN_OBS_COUNT; ++o)
        fprintf(out, ",%.10g", mn_results_baseline(r, (mn_observable)o));
    fputc('\n', out);
    for (int i = 0; i < mn_results_count(r); ++i) {
        fprintf(out, "%.10g", mn_results_day(r, i));
        for (int o = 0; o < MN_OBS_COUNT; ++o)
            fprintf(out, ",%.10g", mn_results_value(r, (mn_observable)o, i));
        fputc('\n', out);
    }
    return mn_atomic_commit(&f, err);
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
    fprintf(out, "\n%-20s %-13s %10s %10s %10s %9s\n", "observable", "unit", "before", "peak",
            "after", "change");
    for (int o = 0; o < MN_OBS_COUNT; ++o) {
        double b = mn_results_baseline(r, (mn_observable)o);
        double pk = mn_results_peak(r, (mn_observable)o);
        double f = mn_results_final(r, (mn_observable)o);
        char change[32];
        if (fabs(b) > 1e-9)
            snprintf(change, sizeof change, "%+.1f%%", 100.0 * (f - b) / fabs(b));
        else
            snprintf(change, sizeof change, "%+.3g", f - b);
        fprintf(out, "%-20s %-13s %10.4g %10.4g %10.4g %9s\n", mn_observable_name((mn_observable)o),
                mn_observable_unit((mn_observable)o), b, pk, f, change);
    }
    fprintf(out, "\nNote: %s\n", mn_disclaimer);
}
