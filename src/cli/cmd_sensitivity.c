/* mnsim sensitivity [FILE] [--set k=v]... [--params FILE] [--param NAME]... [--trajectories R]
 *                   [--levels P] [--seed S] [--horizon-days D] [--top N] [--threads N]
 *                   [--out DIR] [--quiet] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/study_args.h"
#include "mnsim/io.h"
#include "mnsim/params.h"
#include "mnsim/scenario.h"
#include "mnsim/study.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mnsim sensitivity [FILE] [--set key.path=value]... [--params FILE]\n"
            "                         [--param NAME]... [--trajectories R] [--levels P]\n"
            "                         [--seed S] [--horizon-days D] [--top N] [--threads N]\n"
            "                         [--out DIR] [--quiet]\n\n"
            "Global sensitivity of the main outcomes of a scenario (the built-in default\n"
            "without FILE) to every model parameter over its literature range: Morris\n"
            "elementary effects, R trajectories of (k+1) runs on P levels. Outcomes: wrinkle\n"
            "grade change and collagen gain on day D (default 182: 6 months after the first\n"
            "session; follow-up is extended to reach it) and days of visible erythema after\n"
            "the first session (delta a* > %g). Prints ranked tables; with --out writes\n"
            "sensitivity.csv and sensitivity.svg (bar chart of the top N).\n\n"
            "  --param NAME        only these parameters (repeatable; default all)\n"
            "  --trajectories R    Morris trajectories (default 10)\n"
            "  --levels P          grid levels, even (default 4)\n"
            "  --seed S            seed of the design (default 1)\n"
            "  --top N             rows per table and bars per chart (default 15)\n\n"
            "Exit codes: 0 ok, 1 runtime failure, 2 bad input.\n",
            MN_ERYTHEMA_VISIBLE);
}

int mn_cli_sensitivity(int argc, char **argv)
{
    mn_scenario sc;
    mn_params p;
    mn_error err;
    mn_error_clear(&err);
    mn_scenario_default(&sc);
    mn_params_default(&p);
    mn_cli_inputs in = {0};
    double traj = 10, levels = 4, seed = 1, horizon = 182, top = 15, threads = 0;
    int quiet = 0, n_names = 0, status = MN_EXIT_OK;
    const char **names = calloc((size_t)argc + 1, sizeof *names);
    mn_sensitivity *s = NULL;
    if (!names)
        return MN_EXIT_FAILURE;
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        int taken = mn_cli_inputs_option("sensitivity", argc, argv, &i, &in);
        if (taken) {
            if (taken < 0) {
                status = MN_EXIT_BAD_INPUT;
                goto done;
            }
            continue;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            goto done;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            quiet = 1;
        } else if (!strcmp(a, "--param") || !strcmp(a, "--trajectories") ||
                   !strcmp(a, "--levels") || !strcmp(a, "--seed") || !strcmp(a, "--horizon-days") ||
                   !strcmp(a, "--top") || !strcmp(a, "--threads")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "mnsim sensitivity: %s needs a value\n", a);
                status = MN_EXIT_BAD_INPUT;
                goto done;
            }
            const char *v = argv[++i];
            int bad = 0;
            if (!strcmp(a, "--param"))
                names[n_names++] = v;
            else if (!strcmp(a, "--trajectories"))
                bad = mn_cli_number("sensitivity", a, v, 2, 10000, &traj);
            else if (!strcmp(a, "--levels"))
                bad = mn_cli_number("sensitivity", a, v, 2, 100, &levels);
            else if (!strcmp(a, "--seed"))
                bad = mn_cli_number("sensitivity", a, v, 0, 4294967295.0, &seed);
            else if (!strcmp(a, "--horizon-days"))
                bad = mn_cli_number("sensitivity", a, v, 1, 3650, &horizon);
            else if (!strcmp(a, "--top"))
                bad = mn_cli_number("sensitivity", a, v, 1, 1000, &top);
            else if (!strcmp(a, "--threads"))
                bad = mn_cli_number("sensitivity", a, v, 1, 1024, &threads);
            if (!bad && ((int)levels % 2 || levels != floor(levels) || traj != floor(traj))) {
                fprintf(stderr, "mnsim sensitivity: --levels must be an even whole number and "
                                "--trajectories whole\n");
                bad = 1;
            }
            if (bad) {
                status = MN_EXIT_BAD_INPUT;
                goto done;
            }
        } else if (a[0] == '-') {
            fprintf(stderr, "mnsim sensitivity: unknown option '%s' (see --help)\n", a);
            status = MN_EXIT_BAD_INPUT;
            goto done;
        } else if (in.file) {
            fprintf(stderr, "mnsim sensitivity: more than one scenario file\n");
            status = MN_EXIT_BAD_INPUT;
            goto done;
        } else {
            in.file = a;
        }
    }
    if (mn_cli_inputs_load("sensitivity", &in, &sc, &p) != MN_EXIT_OK) {
        status = MN_EXIT_BAD_INPUT;
        goto done;
    }
    const char *out_dir = in.out_dir;
    int rc = MN_OK;
    for (int i = 0; !rc && i < n_names; ++i)
        if (!mn_params_find(names[i]))
            rc = mn_error_set(&err, MN_EINVAL, "--param %s: unknown parameter (mnsim params)",
                              names[i]);
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
    if (rc) {
        mn_cli_report(&err);
        status = MN_EXIT_BAD_INPUT;
        goto done;
    }
    mn_sensitivity_options opt = {.params = n_names ? names : NULL,
                                  .param_count = n_names,
                                  .trajectories = (int)traj,
                                  .levels = (int)levels,
                                  .seed = (unsigned long)seed,
                                  .horizon_days = horizon,
                                  .threads = (int)threads,
                                  .verbose = !quiet};
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
                int w =
                    k ? mn_sensitivity_write_svg(s, (int)top, o) : mn_sensitivity_write_csv(s, o);
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
               mn_sensitivity_count(s), (int)traj, (int)levels, (unsigned long)seed,
               (int)traj * (mn_sensitivity_count(s) + 1) + 1);
        for (int o = 0; o < MN_SENS_OUTCOMES; ++o)
            mn_sensitivity_print(s, o, (int)top, stdout);
        if (out_dir)
            printf("Wrote %s/sensitivity.csv, sensitivity.svg\n", out_dir);
    }
done:
    mn_sensitivity_free(&s);
    free(names);
    return status;
}
