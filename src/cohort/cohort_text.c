/* mn_cohort_run_text: a whole cohort, scenario text in, the cohort's files out (for bindings). */
#include <stddef.h>

#include "mnsim/cohort.h"

int mn_cohort_run_text(const char *text, const char *name, const char *const *sets, int nsets,
                       const char *dir, mn_error *err)
{
    if (!dir)
        return mn_error_set(err, MN_EINVAL, "mn_cohort_run_text: NULL directory");
    mn_scenario sc;
    mn_params params;
    mn_params_default(&params);
    int rc = mn_scenario_from_text(&sc, text, name ? name : "<scenario>", sets, nsets, err);
    const mn_cohort_options opt = {.rank = 0, .ranks = 1};
    mn_cohort *c = NULL;
    if (!rc)
        rc = mn_cohort_create(&sc, &params, dir, &opt, &c, err);
    if (!rc)
        rc = mn_cohort_run(c, err);
    if (!rc)
        rc = mn_cohort_write(c, err);
    mn_cohort_free(&c);
    return rc;
}
