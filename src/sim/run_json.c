/* mn_run_json: a whole run, scenario text in, results.json text out (for bindings). */
#include <stddef.h>

#include "mnsim/simulate.h"

int mn_run_json(const char *text, const char *name, const char *const *sets, int nsets,
                char **json_out, mn_error *err)
{
    if (!json_out)
        return mn_error_set(err, MN_EINVAL, "mn_run_json: NULL argument");
    *json_out = NULL;
    mn_scenario sc;
    mn_params params;
    mn_params_default(&params);
    int rc = mn_scenario_from_text(&sc, text, name ? name : "<scenario>", sets, nsets, err);
    /* Bands need a posterior file, which this call has no way to be given: say so rather than
     * return a run without the band the scenario asked for. */
    if (!rc && sc.simulate.uncertainty > 0)
        rc = mn_error_set(err, MN_ENOTSUP,
                          "%s: simulate.uncertainty: predictive bands are drawn by `mnsim run` "
                          "(or mn_simulate_band with a posterior), not by this call",
                          name ? name : "<scenario>");
    mn_results *res = NULL;
    const mn_sim_settings settings = {.time_step_scale = 1.0}; /* as the CLI's run */
    if (!rc)
        rc = mn_simulate(&sc, &params, &settings, &res, err);
    if (!rc)
        rc = mn_results_json_text(res, &sc, json_out, err);
    mn_results_free(&res);
    return rc;
}
