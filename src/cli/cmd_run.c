/* mnsim run [FILE] [--set key=value]... [--params FILE] [--out DIR] [--quiet] */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "mnsim/io.h"
#include "mnsim/params.h"
#include "mnsim/scenario.h"
#include "mnsim/report.h"
#include "mnsim/simulate.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mnsim run [FILE] [--set key.path=value]... [--params FILE] [--out DIR]\n"
            "                 [--quiet]\n\n"
            "Simulates a microneedling course: the scenario FILE (YAML, schema `mnsim: 1`; the\n"
            "built-in default without FILE), with --set overrides applied in order. Writes\n"
            "results.json and timeseries.csv into DIR (default: output.dir) and, with\n"
            "output.images, timecourse.svg, before/day1/after/before_after.png, before.gsf,\n"
            "after.gsf and report.html; prints a before -> after table.\n\n"
            "  --set key.path=value  override one scenario field (e.g. patient.age_years=60)\n"
            "  --params FILE         model parameter overrides (YAML name: value)\n"
            "  --allow-out-of-range-params  run with --params values outside their\n"
            "                        literature range (refused otherwise; results.json lists them)\n"
            "  --out DIR             output directory\n"
            "  --quiet               no table on stdout\n"
            "  --checkpoint-every D  save a checkpoint every D simulated days (resume with\n"
            "                        `mnsim resume DIR`)\n"
            "  --vti-days D1,D2,...  3d model: write patch_dayD.vti (ParaView) on these days\n"
            "                        (the last day is always written)\n\n"
            "Exit codes: 0 ok, 1 runtime failure, 2 bad input. `mnsim schema` lists fields.\n");
}

int mn_cli_run(int argc, char **argv)
{
    mn_scenario sc;
    mn_params params;
    mn_error err;
    mn_error_clear(&err);
    mn_cli_inputs in = {0};
    int quiet = 0;
    mn_cli_run_extras extras = {0};
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        int taken = mn_cli_inputs_option("run", argc, argv, &i, &in);
        if (taken < 0)
            return MN_EXIT_BAD_INPUT;
        if (taken)
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return MN_EXIT_OK;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            quiet = 1;
        } else if (mn_cli_run_extra_option("run", argc, argv, &i, &extras)) {
            if (i < 0)
                return MN_EXIT_BAD_INPUT;
        } else if (a[0] == '-') {
            fprintf(stderr, "mnsim run: unknown option '%s' (see mnsim run --help)\n", a);
            return MN_EXIT_BAD_INPUT;
        } else if (in.file) {
            fprintf(stderr, "mnsim run: more than one scenario file ('%s', '%s')\n", in.file, a);
            return MN_EXIT_BAD_INPUT;
        } else {
            in.file = a;
        }
    }
    int status = mn_cli_inputs_load("run", &in, &sc, &params);
    if (status != MN_EXIT_OK)
        return status;
    mn_results *res = NULL;
    mn_outdir *od = NULL; /* held until the outputs are written */
    int rc = mn_outdir_open(sc.output.dir, &od, &err);
    if (!rc)
        rc = mn_cli_simulate(&sc, &params, &extras, 0, &res, &err);
    if (!rc)
        rc = mn_report_write_run(res, &sc, sc.output.dir, &err);
    mn_outdir_close(&od);
    if (rc) {
        mn_cli_report(&err);
        mn_results_free(&res);
        return mn_cli_exit_code(rc);
    }
    if (!quiet) {
        mn_results_print_summary(res, &sc, stdout);
        printf("Wrote %s/: results.json, timeseries.csv%s\n", sc.output.dir,
               sc.output.images ? ", timecourse.svg, before.png, day1.png, after.png, "
                                  "before_after.png, before.gsf, after.gsf, report.html"
                                : "");
    }
    mn_results_free(&res);
    return MN_EXIT_OK;
}
