/* mnsim sensitivity [FILE] [--set k=v]... [--params FILE] [--param NAME]... [--trajectories R]
 *                   [--levels P] [--seed S] [--horizon-days D] [--top N] [--threads N]
 *                   [--out DIR] [--quiet] */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/studies_dir.h"
#include "mnsim/posterior.h"
#include "mnsim/io.h"
#include "mnsim/params.h"
#include "mnsim/scenario.h"
#include "mnsim/study.h"

int mn_cli_sensitivity(int argc, char **argv)
{
    mn_cli_inputs in = {0};
    mn_cli_list names = {0};
    double seed = 1, horizon = 182;
    int traj = 10, levels = 4, top = 15, threads = 0, quiet = 0, status = MN_EXIT_OK;
    const char *posterior_file = NULL;
    mn_posterior *post = NULL;
    const mn_cli_option options[] = {
        MN_CLI_INPUT_OPTIONS(&in),
        {"param", 0, MN_CLI_STRINGS, .to.list = &names, .arg = "NAME",
         .help = "only these parameters (repeatable; default all)"},
        {"trajectories", 0, MN_CLI_INT, .to.integer = &traj, .min = 2, .max = 10000, .arg = "R",
         .help = "Morris trajectories (default 10)"},
        {"levels", 0, MN_CLI_INT, .to.integer = &levels, .min = 2, .max = 100, .arg = "P",
         .help = "grid levels, even (default 4)"},
        /* A double: the seed's range is an unsigned long's, beyond int. */
        {"seed", 0, MN_CLI_DOUBLE, .to.num = &seed, .min = 0, .max = 4294967295.0, .arg = "S",
         .help = "seed of the design (default 1)"},
        {"horizon-days", 0, MN_CLI_DOUBLE, .to.num = &horizon, .min = 1, .max = 3650, .arg = "D",
         .help = "day of the grade and collagen outcomes (default 182)"},
        {"top", 0, MN_CLI_INT, .to.integer = &top, .min = 1, .max = 1000, .arg = "N",
         .help = "rows per table and bars per chart (default 15)"},
        {"threads", 0, MN_CLI_INT, .to.integer = &threads, .min = 1, .max = 1024, .arg = "N",
         .help = "runs in parallel (OpenMP)"},
        {"posterior", 0, MN_CLI_STRING, .to.str = &posterior_file, .arg = "FILE",
         .help = "the parameters this posterior samples range over its 5-95 % instead of "
                 "their literature range (`default`: the shipped one)"},
        {"quiet", 'q', MN_CLI_FLAG, .to.flag = &quiet, .help = "no tables or progress"},
        {0}};
    const mn_cli_option args[] = {MN_CLI_FILE_ARG(&in), {0}};
    char description[1024];
    snprintf(description, sizeof description,
             "Global sensitivity of the main outcomes of a scenario (the built-in default\n"
             "without FILE) to every model parameter over its literature range: Morris\n"
             "elementary effects, R trajectories of (k+1) runs on P levels. Outcomes: wrinkle\n"
             "grade change and collagen gain on day D (default 182: 6 months after the first\n"
             "session; follow-up is extended to reach it) and days of visible erythema after\n"
             "the first session (delta a* > %g). Prints ranked tables; with --out writes\n"
             "sensitivity.csv and sensitivity.svg (bar chart of the top N).",
             MN_ERYTHEMA_VISIBLE);
    const mn_cli_command cmd = {"sensitivity", .description = description,
                                .epilog = MN_CLI_EXIT_CODES, .options = options,
                                .positional = args};
    int ex = mn_cli_parse(&cmd, argc, argv);
    if (ex != MN_CLI_PARSED)
        return ex;
    mn_scenario sc;
    mn_params p;
    mn_error err;
    mn_error_clear(&err);
    mn_sensitivity *s = NULL;
    const int n_names = names.count;
    if (levels % 2) {
        fprintf(stderr, "mnsim sensitivity: --levels must be an even whole number\n");
        status = MN_EXIT_BAD_INPUT;
        goto done;
    }
    if (mn_cli_inputs_load("sensitivity", &in, &sc, &p) != MN_EXIT_OK) {
        status = MN_EXIT_BAD_INPUT;
        goto done;
    }
    const char *out_dir = in.out_dir;
    int rc = MN_OK;
    for (int i = 0; !rc && i < n_names; ++i)
        if (!mn_params_find(names.items[i]))
            rc = mn_error_set(&err, MN_EINVAL, "--param %s: unknown parameter (mnsim params)",
                              names.items[i]);
    if (!rc) {
        /* Follow the course at least to the outcome day. */
        double last_week = mn_scenario_session_hour(&sc, sc.treatment.session_count - 1) / 168.0;
        double need = horizon / 7.0 - last_week;
        if (need < 0)
            rc = mn_error_set(&err, MN_EINVAL,
                              "--horizon-days %g falls before the last session (week %g)", horizon,
                              last_week);
        else if (sc.simulate.follow_up_weeks < need)
            sc.simulate.follow_up_weeks = need;
    }
    if (!rc && posterior_file)
        rc = mn_posterior_read(strcmp(posterior_file, "default") ? posterior_file
                                                                 : mn_cli_posterior_file(),
                               &post, &err);
    if (rc) {
        mn_cli_report(&err);
        status = MN_EXIT_BAD_INPUT;
        goto done;
    }
    mn_sensitivity_options opt = {.params = n_names ? names.items : NULL,
                                  .param_count = n_names,
                                  .trajectories = traj,
                                  .levels = levels,
                                  .seed = (unsigned long)seed,
                                  .horizon_days = horizon,
                                  .threads = threads,
                                  .verbose = !quiet,
                                  .posterior = post};
    rc = mn_sensitivity_run(&sc, &p, &opt, &s, &err);
    if (!rc && out_dir) {
        char path[MN_PATH_MAX];
        rc = mn_mkdir_p(out_dir, &err);
        for (int k = 0; !rc && k < 2; ++k) {
            mn_atomic_file *f = NULL;
            rc = mn_path_join(path, sizeof path, out_dir, k ? "sensitivity.svg" : "sensitivity.csv",
                              &err);
            if (!rc)
                rc = mn_atomic_open(path, &f, &err);
            if (!rc) {
                FILE *o = mn_atomic_stream(f);
                int w = k ? mn_sensitivity_write_svg(s, top, o) : mn_sensitivity_write_csv(s, o);
                if (w) {
                    mn_atomic_abort(&f);
                    rc = mn_error_set(&err, MN_EIO, "%s: write failed", path);
                } else {
                    rc = mn_atomic_commit(&f, &err);
                }
            }
        }
    }
    if (rc) {
        mn_cli_report(&err);
        status = mn_cli_exit_code(rc);
        goto done;
    }
    if (!quiet) {
        printf("Morris screening: %d parameters, %d trajectories, %d levels, seed %lu, "
               "%d runs\n\n",
               mn_sensitivity_count(s), traj, levels, (unsigned long)seed,
               traj * (mn_sensitivity_count(s) + 1) + 1);
        for (int o = 0; o < MN_SENS_OUTCOMES; ++o)
            mn_sensitivity_print(s, o, top, stdout);
        if (out_dir)
            printf("Wrote %s/sensitivity.csv, sensitivity.svg\n", out_dir);
    }
done:
    mn_posterior_free(&post);
    mn_sensitivity_free(&s);
    mn_cli_free(&cmd);
    return status;
}
