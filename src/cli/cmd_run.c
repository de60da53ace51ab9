/* mnsim run [FILE] [--set key=value]... [--params FILE] [--out DIR] [--quiet] */
#include <math.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/studies_dir.h"
#include "mnsim/posterior.h"
#include "mnsim/io.h"
#include "mnsim/params.h"
#include "mnsim/report.h"
#include "mnsim/scenario.h"
#include "mnsim/simulate.h"

int mn_cli_run(int argc, char **argv)
{
    mn_cli_inputs in = {0};
    int quiet = 0, uncertainty = -1, allow_large = 0;
    const char *posterior_file = NULL;
    mn_cli_run_extras extras = {0};
    const mn_cli_option options[] = {
        MN_CLI_INPUT_OPTIONS(&in),
        {"quiet", 'q', MN_CLI_FLAG, .to.flag = &quiet, .help = "no table on stdout"},
        {"checkpoint-every", 0, MN_CLI_DOUBLE, .to.num = &extras.checkpoint_every_days, .min = 0,
         .max = INFINITY, .flags = MN_CLI_ABOVE_MIN, .arg = "D",
         .help = "save a checkpoint every D simulated days (resume with `mnsim resume DIR`)"},
        {"uncertainty", 0, MN_CLI_INT, .to.integer = &uncertainty, .min = 0, .max = 10000,
         .arg = "N",
         .help = "predictive bands from N posterior draws (as simulate.uncertainty; 0: none)"},
        {"posterior", 0, MN_CLI_STRING, .to.str = &posterior_file, .arg = "FILE",
         .help = "the posterior of `mnsim calibrate` for the bands (default: the shipped one)"},
        MN_CLI_VTI_DAYS_OPTION(&extras),
        MN_CLI_PROGRESS_OPTION(&extras),
        MN_CLI_ALLOW_LARGE_OPTION(&allow_large),
        {0}};
    const mn_cli_option args[] = {MN_CLI_FILE_ARG(&in), {0}};
    const mn_cli_command cmd = {
        "run",
        .description =
            "Simulates a microneedling course: the scenario FILE (YAML, schema `mnsim: 1`; the\n"
            "built-in default without FILE), with --set overrides applied in order. Writes\n"
            "results.json and timeseries.csv into DIR (default: output.dir) and, with\n"
            "output.images, timecourse.svg, before/day1/after/before_after.png, before.gsf,\n"
            "after.gsf and report.html; prints a before -> after table.",
        .epilog = MN_CLI_EXIT_CODES " `mnsim schema` lists fields.", .options = options,
        .positional = args};
    int ex = mn_cli_parse(&cmd, argc, argv);
    if (ex != MN_CLI_PARSED)
        return ex;
    if (mn_cli_test_hooks_read("run", &extras.hooks) != MN_EXIT_OK) {
        mn_cli_free(&cmd);
        return MN_EXIT_BAD_INPUT;
    }
    mn_scenario sc;
    mn_params params;
    int status = mn_cli_inputs_load("run", &in, &sc, &params);
    mn_cli_free(&cmd);
    if (status != MN_EXIT_OK)
        return status;
    if (uncertainty >= 0)
        sc.simulate.uncertainty = uncertainty;
    mn_error err;
    mn_error_clear(&err);
    mn_posterior *post = NULL;
    if (sc.simulate.uncertainty > 0) {
        if (sc.simulate.uncertainty < 2) {
            fprintf(stderr, "mnsim run: simulate.uncertainty: 1 draw gives no band (use 0, or 2 "
                            "or more)\n");
            return MN_EXIT_BAD_INPUT;
        }
        if (sc.simulate.model == MN_MODEL_3D) { /* before the run, not after minutes of it */
            fprintf(stderr, "mnsim run: simulate.uncertainty: predictive bands run the column "
                            "model only (set simulate.model: column)\n");
            return MN_EXIT_BAD_INPUT;
        }
        const char *path = posterior_file ? posterior_file : mn_cli_posterior_file();
        if (mn_posterior_read(path, &post, &err)) {
            fprintf(stderr, "mnsim run: %s\n", err.message);
            return MN_EXIT_BAD_INPUT;
        }
    }
    /* Memory and output estimated before anything is allocated. */
    mn_estimate est;
    if (mn_report_estimate_run(&sc, &params, extras.vti_count, &est, &err)) {
        mn_cli_report(&err);
        mn_posterior_free(&post);
        return MN_EXIT_BAD_INPUT;
    }
    if (mn_cli_check_resources("run", &est, sc.output.dir,
                               sc.simulate.model == MN_MODEL_3D
                                   ? "use a smaller simulate.patch_mm, a coarser "
                                     "simulate.resolution_um or a larger output.every_days"
                                   : "use a larger output.every_days or a shorter course",
                               allow_large) != MN_EXIT_OK) {
        mn_posterior_free(&post);
        return MN_EXIT_BAD_INPUT;
    }
    /* What the directory held before, so the Wrote line names only what this run wrote. */
    mn_cli_dir_state *before = NULL;
    if (!quiet && mn_cli_dir_state_read(sc.output.dir, &before)) {
        fprintf(stderr, "mnsim run: out of memory\n");
        mn_cli_dir_state_free(&before);
        mn_posterior_free(&post);
        return MN_EXIT_FAILURE;
    }
    mn_results *res = NULL;
    mn_outdir *od = NULL; /* held until the outputs are written */
    int rc = mn_outdir_open(sc.output.dir, &od, &err);
    if (!rc)
        mn_cli_interrupt_arm_run("run", sc.output.dir, extras.checkpoint_every_days > 0,
                                 sc.simulate.model == MN_MODEL_3D);
    if (!rc)
        rc = mn_cli_simulate(&sc, &params, &extras, 0, &res, &err);
    if (!rc && post) {
        const mn_band_options bo = {.draws = sc.simulate.uncertainty};
        rc = mn_simulate_band(&sc, &params, post, &bo, res, &err);
    }
    mn_posterior_free(&post);
    mn_cli_interrupt_writing();
    if (!rc)
        rc = mn_report_write_run(res, &sc, sc.output.dir, &err);
    mn_outdir_close(&od);
    if (rc) {
        mn_cli_report(&err);
        mn_results_free(&res);
        mn_cli_dir_state_free(&before);
        return mn_cli_exit_code(rc);
    }
    if (!quiet) {
        mn_results_print_summary(res, &sc, stdout);
        mn_cli_print_written(stdout, sc.output.dir, before);
    }
    mn_results_free(&res);
    mn_cli_dir_state_free(&before);
    return MN_EXIT_OK;
}
