/* mnsim resume DIR [--vti-days LIST] [--quiet]: continues a run from DIR/checkpoint.mnck and
 * writes its outputs into DIR, as the uninterrupted run would have (docs/3d.md §Long runs). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "mnsim/io.h"
#include "mnsim/params.h"
#include "mnsim/scenario.h"
#include "mnsim/report.h"
#include "mnsim/simulate.h"

/* Whether two paths name the same existing directory. */
static int same_dir(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

int mn_cli_resume(int argc, char **argv)
{
    const char *dir = NULL, *interval = NULL;
    int quiet = 0;
    mn_cli_run_extras extras = {0};
    const mn_cli_option options[] = {
        MN_CLI_VTI_DAYS_OPTION(&extras),
        MN_CLI_PROGRESS_OPTION(&extras),
        {"quiet", 'q', MN_CLI_FLAG, .to.flag = &quiet, .help = "no table on stdout"},
        /* Not listed: taken only to say why it is refused. */
        {"checkpoint-every", 0, MN_CLI_STRING, .to.str = &interval},
        {0}};
    const mn_cli_option args[] = {
        {"DIR", 0, MN_CLI_STRING, .to.str = &dir, .flags = MN_CLI_REQUIRED}, {0}};
    const mn_cli_command cmd = {
        "resume",
        .description =
            "Continues the run whose checkpoint is DIR/checkpoint.mnck (written by\n"
            "`mnsim run --checkpoint-every DAYS --out DIR`) from the day it was taken, with\n"
            "the scenario and parameters saved in it, and writes the outputs into DIR. The\n"
            "result is the same, byte for byte, as the uninterrupted run's. Checkpoints go on\n"
            "at the interval the run was started with.",
        .epilog = "Exit codes: 0 ok, 1 runtime failure, 2 bad input (no or bad checkpoint).",
        .options = options, .positional = args};
    int ex = mn_cli_parse(&cmd, argc, argv);
    if (ex != MN_CLI_PARSED)
        return ex;
    if (mn_cli_test_hooks_read("resume", &extras.hooks) != MN_EXIT_OK) {
        mn_cli_free(&cmd);
        return MN_EXIT_BAD_INPUT;
    }
    if (interval) {
        fprintf(stderr, "mnsim resume: the checkpoint interval is the run's own\n");
        return MN_EXIT_BAD_INPUT;
    }
    mn_scenario *sc = malloc(sizeof *sc);
    mn_params params;
    mn_error err;
    mn_error_clear(&err);
    if (!sc) {
        fprintf(stderr, "mnsim resume: out of memory\n");
        return MN_EXIT_FAILURE;
    }
    int rc = mn_simulate_checkpoint_load(dir, sc, &params, &err);
    if (rc) {
        mn_cli_report(&err);
        free(sc);
        return MN_EXIT_BAD_INPUT;
    }
    /* Outputs go to DIR. The scenario keeps its output.dir when that names DIR (results.json
     * then matches the uninterrupted run's byte for byte); a moved run directory is DIR. */
    if (!same_dir(sc->output.dir, dir)) {
        if (strlen(dir) >= sizeof sc->output.dir) {
            fprintf(stderr, "mnsim resume: directory path too long\n");
            free(sc);
            return MN_EXIT_BAD_INPUT;
        }
        snprintf(sc->output.dir, sizeof sc->output.dir, "%s", dir);
    }
    mn_results *res = NULL;
    mn_outdir *od = NULL; /* held until the outputs are written */
    rc = mn_outdir_open(sc->output.dir, &od, &err);
    if (!rc)
        mn_cli_interrupt_arm_run("resume", sc->output.dir, 1, sc->simulate.model == MN_MODEL_3D);
    if (!rc)
        rc = mn_cli_simulate(sc, &params, &extras, 1, &res, &err);
    mn_cli_interrupt_writing();
    if (!rc)
        rc = mn_report_write_run(res, sc, sc->output.dir, &err);
    mn_outdir_close(&od);
    if (rc) {
        mn_cli_report(&err);
        mn_results_free(&res);
        free(sc);
        return mn_cli_exit_code(rc);
    }
    if (!quiet) {
        mn_results_print_summary(res, sc, stdout);
        printf("Resumed and wrote %s/\n", sc->output.dir);
    }
    mn_results_free(&res);
    free(sc);
    return MN_EXIT_OK;
}
