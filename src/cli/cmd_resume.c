/* mnsim resume DIR [--vti-days LIST] [--quiet]: continues a run from DIR/checkpoint.mnck and
 * writes its outputs into DIR, as the uninterrupted run would have (docs/3d.md §Long runs). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
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

static int parse_days(const char *cmd, const char *opt, const char *text, double *out, int max,
                      int *count)
{
    int n = 0;
    const char *s = text;
    while (*s) {
        char *end;
        errno = 0;
        double v = strtod(s, &end);
        if (end == s || errno || !isfinite(v) || v < 0 || (*end && *end != ',')) {
            fprintf(stderr, "mnsim %s: %s '%s': expected non-negative days separated by commas\n",
                    cmd, opt, text);
            return -1;
        }
        if (n >= max) {
            fprintf(stderr, "mnsim %s: %s: at most %d days\n", cmd, opt, max);
            return -1;
        }
        if (n > 0 && v <= out[n - 1]) {
            fprintf(stderr, "mnsim %s: %s '%s': days must increase\n", cmd, opt, text);
            return -1;
        }
        out[n++] = v;
        s = *end ? end + 1 : end;
    }
    if (n == 0) {
        fprintf(stderr, "mnsim %s: %s needs at least one day\n", cmd, opt);
        return -1;
    }
    *count = n;
    return 0;
}

int mn_cli_run_extra_option(const char *cmd, int argc, char **argv, int *i, mn_cli_run_extras *o)
{
    const char *a = argv[*i];
    int every = !strcmp(a, "--checkpoint-every"), vti = !strcmp(a, "--vti-days");
    if (!every && !vti)
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "mnsim %s: %s needs a value\n", cmd, a);
        *i = -1;
        return 1;
    }
    const char *v = argv[++*i];
    int n = 0;
    if (every) {
        double d[1];
        if (parse_days(cmd, a, v, d, 1, &n) || !(d[0] > 0)) {
            if (n)
                fprintf(stderr, "mnsim %s: %s must be more than 0 days\n", cmd, a);
            *i = -1;
            return 1;
        }
        o->checkpoint_every_days = d[0];
    } else if (parse_days(cmd, a, v, o->vti_days, (int)(sizeof o->vti_days / sizeof o->vti_days[0]),
                          &o->vti_count)) {
        *i = -1;
    }
    return 1;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mnsim resume DIR [--vti-days D1,D2,...] [--quiet]\n\n"
            "Continues the run whose checkpoint is DIR/checkpoint.mnck (written by\n"
            "`mnsim run --checkpoint-every DAYS --out DIR`) from the day it was taken, with\n"
            "the scenario and parameters saved in it, and writes the outputs into DIR. The\n"
            "result is the same, byte for byte, as the uninterrupted run's. Checkpoints go on\n"
            "at the interval the run was started with.\n\n"
            "  --vti-days D1,...  3d model: write patch_dayD.vti on these days\n"
            "  --quiet            no table on stdout\n\n"
            "Exit codes: 0 ok, 1 runtime failure, 2 bad input (no or bad checkpoint).\n");
}

int mn_cli_resume(int argc, char **argv)
{
    const char *dir = NULL;
    int quiet = 0;
    mn_cli_run_extras extras = {0};
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return MN_EXIT_OK;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            quiet = 1;
        } else if (!strcmp(a, "--checkpoint-every")) {
            fprintf(stderr, "mnsim resume: the checkpoint interval is the run's own\n");
            return MN_EXIT_BAD_INPUT;
        } else if (mn_cli_run_extra_option("resume", argc, argv, &i, &extras)) {
            if (i < 0)
                return MN_EXIT_BAD_INPUT;
        } else if (a[0] == '-') {
            fprintf(stderr, "mnsim resume: unknown option '%s' (see mnsim resume --help)\n", a);
            return MN_EXIT_BAD_INPUT;
        } else if (dir) {
            fprintf(stderr, "mnsim resume: more than one directory ('%s', '%s')\n", dir, a);
            return MN_EXIT_BAD_INPUT;
        } else {
            dir = a;
        }
    }
    if (!dir) {
        usage(stderr);
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
        rc = mn_cli_simulate(sc, &params, &extras, 1, &res, &err);
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
