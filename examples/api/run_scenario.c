/* Runs a scenario and prints two observables at the end of follow-up.
 * usage: run_scenario [SCENARIO.yaml] [key.path=value]...
 * build: cc run_scenario.c $(pkg-config --cflags --libs mnsim) -o run_scenario */
#include <stdio.h>
#include <string.h>

#include <mnsim/mnsim.h>

int main(int argc, char **argv)
{
    mn_error err;
    mn_scenario sc;
    mn_params params;
    mn_scenario_default(&sc);
    mn_params_default(&params);
    int first_set = 1, rc = MN_OK;
    if (argc > 1 && !strchr(argv[1], '=')) {
        rc = mn_scenario_load_file(&sc, argv[1], &err);
        first_set = 2;
    }
    for (int i = first_set; !rc && i < argc; ++i)
        rc = mn_scenario_set(&sc, argv[i], &err);
    mn_results *res = NULL;
    const mn_sim_settings settings = {.time_step_scale = 1.0}; /* as `mnsim run` */
    if (!rc)
        rc = mn_simulate(&sc, &params, &settings, &res, &err);
    if (rc) {
        fprintf(stderr, "run_scenario: %s\n", err.message);
        return 1;
    }
    const mn_observable shown[] = {MN_OBS_WRINKLE_GRADE, MN_OBS_COLLAGEN_TOTAL_REL};
    for (size_t k = 0; k < sizeof shown / sizeof shown[0]; ++k)
        printf("%s %.10g -> %.10g %s\n", mn_observable_name(shown[k]),
               mn_results_baseline(res, shown[k]), mn_results_final(res, shown[k]),
               mn_observable_unit(shown[k]));
    mn_results_free(&res);
    return 0;
}
