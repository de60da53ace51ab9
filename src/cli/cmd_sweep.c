/* mnsim sweep [FILE] --vary key=v1,v2,... [--vary ...] [--patients N] [--horizon-weeks W]
 *             [--set key=value]... [--params FILE] [--out DIR] [--quiet] */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "mnsim/io.h"
#include "cli/study_args.h"
#include "mnsim/sweep.h"

int mn_cli_number(const char *cmd, const char *opt, const char *text, double lo, double hi,
                  double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (!*text || *end || errno || !(v >= lo && v <= hi)) {
        fprintf(stderr, "mnsim %s: %s '%s': expected a number from %g to %g\n", cmd, opt, text, lo,
                hi);
        return -1;
    }
    *out = v;
    return 0;
}

int mn_cli_study_parse(const char *cmd, int argc, char **argv, mn_cli_study *st,
                       mn_cli_study_extra extra, void *user, void (*usage)(FILE *))
{
    st->quiet = 0;
    mn_cli_inputs in = {0};
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        int taken = mn_cli_inputs_option(cmd, argc, argv, &i, &in);
        if (taken < 0)
            return -1;
        if (taken)
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 1;
        } else if (!strcmp(a, "--patients") || !strcmp(a, "--horizon-weeks")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "mnsim %s: %s needs a value\n", cmd, a);
                return -1;
            }
            const char *v = argv[++i];
            double d;
            if (!strcmp(a, "--patients")) {
                if (mn_cli_number(cmd, a, v, 2, 1e6, &d) || d != (int)d) {
                    fprintf(stderr, "mnsim %s: --patients must be a whole number >= 2\n", cmd);
                    return -1;
                }
                st->patients = (int)d;
            } else if (!strcmp(a, "--horizon-weeks")) {
                if (mn_cli_number(cmd, a, v, 0.1, 1040, &d))
                    return -1;
                st->horizon_weeks = d;
            }
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            st->quiet = 1;
        } else if (a[0] == '-') {
            int used = extra ? extra(cmd, argc, argv, &i, user) : 0;
            if (used < 0)
                return -1;
            if (!used) {
                fprintf(stderr, "mnsim %s: unknown option '%s' (see mnsim %s --help)\n", cmd, a,
                        cmd);
                return -1;
            }
        } else if (in.file) {
            fprintf(stderr, "mnsim %s: more than one scenario file ('%s', '%s')\n", cmd, in.file,
                    a);
            return -1;
        } else {
            in.file = a;
        }
    }
    return mn_cli_inputs_load(cmd, &in, &st->sc, &st->params) == MN_EXIT_OK ? 0 : -1;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mnsim sweep [FILE] [--vary key.path=v1,v2,...]... [--patients N]\n"
            "                   [--horizon-weeks W] [--set key.path=value]... [--params FILE]\n"
            "                   [--out DIR] [--quiet]\n\n"
            "Scores every combination of the varied protocol settings on the same N virtual\n"
            "patients of the scenario's cohort (default 32) at a common horizon (default: the\n"
            "scenario's end): expected wrinkle improvement with its 95 %% CI and spread,\n"
            "responder fraction, downtime and PIH incidence. Writes sweep.csv and, over the\n"
            "first two axes, heatmap_improvement.svg, heatmap_responders.svg,\n"
            "heatmap_downtime.svg and heatmap_pih.svg into DIR (default: output.dir).\n"
            "Without --vary: device.needle_length_mm=0.5,1,1.5,2,2.5 x treatment.sessions=1..6.\n"
            "Any scenario field can be an axis, e.g. treatment.interval_weeks=2,4,6,\n"
            "device.passes=2,4,8, treatment.adjuncts=[],[prp],\n"
            "aftercare.sunscreen_adherence=0.2,0.5,0.9 (at most %d axes of %d values).\n\n"
            "Exit codes: 0 ok, 1 runtime failure, 2 bad input.\n",
            MN_SWEEP_MAX_AXES, MN_SWEEP_MAX_VALUES);
}

typedef struct sweep_args {
    mn_sweep_axis axes[MN_SWEEP_MAX_AXES];
    int naxes;
} sweep_args;

static int sweep_extra(const char *cmd, int argc, char **argv, int *i, void *user)
{
    sweep_args *s = user;
    if (strcmp(argv[*i], "--vary") != 0)
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "mnsim %s: --vary needs key.path=v1,v2,...\n", cmd);
        return -1;
    }
    if (s->naxes >= MN_SWEEP_MAX_AXES) {
        fprintf(stderr, "mnsim %s: at most %d --vary axes\n", cmd, MN_SWEEP_MAX_AXES);
        return -1;
    }
    mn_error err;
    if (mn_sweep_axis_parse(argv[++*i], &s->axes[s->naxes], &err)) {
        mn_cli_report(&err);
        return -1;
    }
    ++s->naxes;
    return 1;
}

int mn_cli_sweep(int argc, char **argv)
{
    mn_cli_study st = {.patients = 32};
    sweep_args sw = {.naxes = 0};
    int prc = mn_cli_study_parse("sweep", argc, argv, &st, sweep_extra, &sw, usage);
    if (prc)
        return prc > 0 ? MN_EXIT_OK : MN_EXIT_BAD_INPUT;
    mn_error err;
    if (sw.naxes == 0) {
        mn_sweep_axis_parse("device.needle_length_mm=0.5,1,1.5,2,2.5", &sw.axes[0], &err);
        mn_sweep_axis_parse("treatment.sessions=1,2,3,4,5,6", &sw.axes[1], &err);
        sw.naxes = 2;
    }
    double horizon = st.horizon_weeks > 0 ? st.horizon_weeks : mn_scenario_end_hour(&st.sc) / 168.0;
    if (!st.quiet)
        printf("Sweep: %d patients per protocol, horizon %.1f weeks after the first session\n",
               st.patients, horizon);
    mn_outdir *od = NULL; /* held until the outputs are written */
    int rc = mn_outdir_open(st.sc.output.dir, &od, &err);
    if (!rc)
        rc = mn_sweep_run(&st.sc, &st.params, sw.axes, sw.naxes, st.patients, horizon,
                          st.sc.output.dir, !st.quiet, st.quiet ? NULL : stdout, &err);
    mn_outdir_close(&od);
    if (rc) {
        mn_cli_report(&err);
        return mn_cli_exit_code(rc);
    }
    if (!st.quiet)
        printf("Wrote %s/: sweep.csv, heatmap_improvement.svg, heatmap_responders.svg, "
               "heatmap_downtime.svg, heatmap_pih.svg\n",
               st.sc.output.dir);
    return MN_EXIT_OK;
}
