/* Simulates a course and prints its daily time series from the results: day, total collagen,
 * wrinkle depth and erythema, with the session days marked.
 * usage: timeseries [key.path=value]...
 * build: cc timeseries.c $(pkg-config --cflags --libs mnsim) -o timeseries */
#include <stdio.h>

#include <mnsim/mnsim.h>

int main(int argc, char **argv)
{
    mn_error err;
    mn_scenario sc;
    mn_params params;
    mn_params_default(&params);
    /* The default scenario with the arguments as --set assignments (no YAML text). */
    int rc = mn_scenario_from_text(&sc, NULL, "timeseries", (const char *const *)argv + 1, argc - 1,
                                   &err);
    mn_results *res = NULL;
    if (!rc)
        rc = mn_simulate(&sc, &params, NULL, &res, &err);
    if (rc) {
        fprintf(stderr, "timeseries: %s\n", err.message);
        return 1;
    }
    const mn_observable cols[] = {MN_OBS_COLLAGEN_TOTAL_REL, MN_OBS_WRINKLE_DEPTH_UM,
                                  MN_OBS_ERYTHEMA};
    printf("day");
    for (int k = 0; k < 3; ++k)
        printf(" %s", mn_observable_name(cols[k]));
    printf("\n");
    for (int i = 0, s = 0; i < mn_results_count(res); ++i) {
        double day = mn_results_day(res, i);
        printf("%g", day);
        for (int k = 0; k < 3; ++k)
            printf(" %.6g", mn_results_value(res, cols[k], i));
        int session = 0;
        while (s < mn_results_session_count(res) && mn_results_session_day(res, s) <= day) {
            session = 1;
            ++s;
        }
        printf("%s\n", session ? " session" : "");
    }
    mn_results_free(&res);
    return 0;
}
