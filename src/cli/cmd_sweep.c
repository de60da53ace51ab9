/* mnsim sweep [FILE] --vary key=v1,v2,... [--vary ...] [--patients N] [--horizon-weeks W]
 *             [--set key=value]... [--params FILE] [--out DIR] [--quiet] */
#include <stdio.h>

#include "cli/cli.h"
#include "mnsim/io.h"
#include "cli/study_args.h"
#include "mnsim/sweep.h"

/* Parses and loads; the lists (--set, --vary) stay until the caller's mn_cli_free. */
int mn_cli_study_parse(const mn_cli_command *cmd, int argc, char **argv, mn_cli_study *st)
{
    int ex = mn_cli_parse(cmd, argc, argv);
    if (ex != MN_CLI_PARSED)
        return ex;
    ex = mn_cli_inputs_load(cmd->name, &st->in, &st->sc, &st->params);
    if (ex == MN_EXIT_OK)
        return MN_CLI_PARSED;
    mn_cli_free(cmd);
    return ex;
}

int mn_cli_sweep(int argc, char **argv)
{
    mn_cli_study st = {.patients = 32};
    mn_cli_list vary = {0};
    int allow_large = 0;
    const mn_cli_option options[] = {
        {"vary", 0, MN_CLI_STRINGS, .to.list = &vary, .arg = "key.path=v1,v2,...",
         .help = "an axis of the grid: a scenario field and its values (repeatable)"},
        MN_CLI_STUDY_OPTIONS(&st),
        MN_CLI_INPUT_OPTIONS(&st.in),
        {"quiet", 'q', MN_CLI_FLAG, .to.flag = &st.quiet, .help = "no table or progress"},
        MN_CLI_ALLOW_LARGE_OPTION(&allow_large),
        {0}};
    const mn_cli_option args[] = {MN_CLI_FILE_ARG(&st.in), {0}};
    char description[2048];
    snprintf(description, sizeof description,
             "Scores every combination of the varied protocol settings on the same N virtual\n"
             "patients of the scenario's cohort (default 32) at a common horizon (default: the\n"
             "scenario's end): expected wrinkle improvement with its 95 %% CI and spread,\n"
             "responder fraction, downtime and PIH incidence. Writes sweep.csv and, over the\n"
             "first two axes, heatmap_improvement.svg, heatmap_responders.svg,\n"
             "heatmap_downtime.svg and heatmap_pih.svg into DIR (default: output.dir).\n"
             "Without --vary: device.needle_length_mm=0.5,1,1.5,2,2.5 x treatment.sessions=1..6.\n"
             "Any scenario field can be an axis, e.g. treatment.interval_weeks=2,4,6,\n"
             "device.passes=2,4,8, treatment.adjuncts=[],[prp],\n"
             "aftercare.sunscreen_adherence=0.2,0.5,0.9 (at most %d axes of %d values).",
             MN_SWEEP_MAX_AXES, MN_SWEEP_MAX_VALUES);
    const mn_cli_command cmd = {"sweep", .description = description, .epilog = MN_CLI_EXIT_CODES,
                                .options = options, .positional = args};
    int ex = mn_cli_study_parse(&cmd, argc, argv, &st);
    if (ex != MN_CLI_PARSED)
        return ex;
    mn_sweep_axis axes[MN_SWEEP_MAX_AXES];
    int naxes = 0;
    mn_error err;
    if (vary.count > MN_SWEEP_MAX_AXES) {
        fprintf(stderr, "mnsim sweep: at most %d --vary axes\n", MN_SWEEP_MAX_AXES);
        ex = MN_EXIT_BAD_INPUT;
    }
    for (; ex == MN_CLI_PARSED && naxes < vary.count; ++naxes)
        if (mn_sweep_axis_parse(vary.items[naxes], &axes[naxes], &err)) {
            mn_cli_report(&err);
            ex = MN_EXIT_BAD_INPUT;
        }
    mn_cli_free(&cmd);
    if (ex != MN_CLI_PARSED)
        return ex;
    if (naxes == 0) {
        mn_sweep_axis_parse("device.needle_length_mm=0.5,1,1.5,2,2.5", &axes[0], &err);
        mn_sweep_axis_parse("treatment.sessions=1,2,3,4,5,6", &axes[1], &err);
        naxes = 2;
    }
    mn_estimate est;
    if (mn_sweep_estimate(axes, naxes, st.patients, &est, &err)) {
        mn_cli_report(&err);
        return MN_EXIT_BAD_INPUT;
    }
    if (mn_cli_check_resources("sweep", &est, st.sc.output.dir,
                               "vary fewer values or use fewer --patients",
                               allow_large) != MN_EXIT_OK)
        return MN_EXIT_BAD_INPUT;
    double horizon = st.horizon_weeks > 0 ? st.horizon_weeks : mn_scenario_end_hour(&st.sc) / 168.0;
    if (!st.quiet)
        printf("Sweep: %d patients per protocol, horizon %.1f weeks after the first session\n",
               st.patients, horizon);
    mn_outdir *od = NULL; /* held until the outputs are written */
    int rc = mn_outdir_open(st.sc.output.dir, &od, &err);
    if (!rc)
        rc = mn_sweep_run(&st.sc, &st.params, axes, naxes, st.patients, horizon, st.sc.output.dir,
                          !st.quiet, st.quiet ? NULL : stdout, &err);
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
