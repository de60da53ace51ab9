/* mnsim fit [STUDY.yaml|DIR]... --param NAME... [--target ID]... [--params START]
 *           [--iterations N] [--tolerance X] [--threads N] --out FILE [--quiet] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/studies_dir.h"
#include "cli/study_args.h"
#include "mnsim/io.h"
#include "mnsim/params.h"
#include "mnsim/study.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mnsim fit [STUDY.yaml|DIR]... --param NAME [--param NAME]... --out FILE\n"
            "                 [--target ID]... [--params START] [--iterations N]\n"
            "                 [--tolerance X] [--threads N] [--quiet]\n\n"
            "Calibrates the named model parameters to published study endpoints (default: every\n"
            "endpoint with role `calibrate` in %s) with GSL's Nelder-Mead\n"
            "simplex, each parameter kept within its literature range (`mnsim params`). The\n"
            "objective is the mean squared residual (simulated - published) / half-band.\n"
            "Writes the fitted parameter file (all parameters; `mnsim run --params FILE` and\n"
            "`mnsim validate --params FILE` read it) and prints the residuals before and after.\n\n"
            "  --param NAME     a parameter to fit (repeatable, at least one)\n"
            "  --target ID      an endpoint id to fit to (repeatable; default all calibrate rows)\n"
            "  --params START   starting values (default: the built-in table)\n"
            "  --iterations N   simplex iterations (default 200)\n"
            "  --tolerance X    stop when the simplex is smaller than X (default 1e-3)\n"
            "  --threads N      study runs in parallel (OpenMP)\n"
            "  --out FILE       the parameter file to write\n\n"
            "Exit codes: 0 ok, 1 runtime failure, 2 bad input.\n",
            mn_cli_studies_dir());
}

static void print_residuals(const mn_study_set *set, const mn_params *p, const char **targets,
                            int n_targets, const char *label, FILE *out)
{
    mn_validation *v = NULL;
    mn_error err;
    mn_validate_options opt = {.only = n_targets ? targets : NULL, .only_count = n_targets};
    if (mn_validate(set, p, &opt, &v, &err)) {
        fprintf(out, "(%s: %s)\n", label, err.message);
        return;
    }
    fprintf(out, "%s:\n", label);
    for (int i = 0; i < mn_validation_count(v); ++i) {
        const mn_validation_row *r = mn_validation_row_at(v, i);
        if (!n_targets && r->endpoint->role != MN_ROLE_CALIBRATE)
            continue;
        fprintf(out, "  %-32s simulated %-11.4g residual %+8.3f  %s\n", r->endpoint->id,
                r->simulated, r->residual, r->pass ? "within" : "outside");
    }
    mn_validation_free(&v);
}

int mn_cli_fit(int argc, char **argv)
{
    const char *start = NULL, *out_path = NULL;
    double iterations = 200, tolerance = 1e-3, threads = 0;
    int quiet = 0, n_params = 0, n_targets = 0, n_inputs = 0, status = MN_EXIT_OK;
    const char **names = calloc((size_t)argc + 1, sizeof *names);
    const char **targets = calloc((size_t)argc + 1, sizeof *targets);
    const char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    mn_study_set *set = NULL;
    mn_error err;
    mn_error_clear(&err);
    if (!names || !targets || !inputs) {
        status = MN_EXIT_FAILURE;
        goto done;
    }
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            goto done;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            quiet = 1;
        } else if (!strcmp(a, "--param") || !strcmp(a, "--target") || !strcmp(a, "--params") ||
                   !strcmp(a, "--iterations") || !strcmp(a, "--tolerance") ||
                   !strcmp(a, "--threads") || !strcmp(a, "--out")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "mnsim fit: %s needs a value\n", a);
                status = MN_EXIT_BAD_INPUT;
                goto done;
            }
            const char *v = argv[++i];
            int bad = 0;
            if (!strcmp(a, "--param"))
                names[n_params++] = v;
            else if (!strcmp(a, "--target"))
                targets[n_targets++] = v;
            else if (!strcmp(a, "--params"))
                start = v;
            else if (!strcmp(a, "--out"))
                out_path = v;
            else if (!strcmp(a, "--iterations"))
                bad = mn_cli_number("fit", a, v, 1, 1e6, &iterations);
            else if (!strcmp(a, "--tolerance"))
                bad = mn_cli_number("fit", a, v, 1e-12, 10, &tolerance);
            else
                bad = mn_cli_number("fit", a, v, 1, 1024, &threads);
            if (bad) {
                status = MN_EXIT_BAD_INPUT;
                goto done;
            }
        } else if (a[0] == '-') {
            fprintf(stderr, "mnsim fit: unknown option '%s' (see mnsim fit --help)\n", a);
            status = MN_EXIT_BAD_INPUT;
            goto done;
        } else {
            inputs[n_inputs++] = a;
        }
    }
    if (!n_params || !out_path) {
        fprintf(stderr, "mnsim fit: %s (see mnsim fit --help)\n",
                !n_params ? "name at least one --param" : "--out FILE is required");
        status = MN_EXIT_BAD_INPUT;
        goto done;
    }
    mn_params p;
    mn_params_default(&p);
    int rc = mn_study_set_create(&set, &err);
    if (!rc && start)
        rc = mn_params_load_file(&p, start, &err);
    if (!rc && n_inputs == 0)
        rc = mn_study_set_add_dir(set, mn_cli_studies_dir(), &err);
    for (int i = 0; !rc && i < n_inputs; ++i) {
        struct stat sb;
        rc = (stat(inputs[i], &sb) == 0 && S_ISDIR(sb.st_mode))
                 ? mn_study_set_add_dir(set, inputs[i], &err)
                 : mn_study_set_add_file(set, inputs[i], &err);
    }
    for (int i = 0; !rc && i < n_params; ++i)
        if (!mn_params_find(names[i]))
            rc = mn_error_set(&err, MN_EINVAL, "--param %s: unknown parameter (mnsim params)",
                              names[i]);
    for (int i = 0; !rc && i < n_targets; ++i)
        if (!mn_study_set_find(set, targets[i], NULL))
            rc = mn_error_set(&err, MN_EINVAL, "--target %s: no such endpoint in the studies",
                              targets[i]);
    if (rc) {
        mn_cli_report(&err);
        status = MN_EXIT_BAD_INPUT;
        goto done;
    }
    mn_params before = p;
    if (!quiet)
        print_residuals(set, &p, targets, n_targets, "before", stdout);
    mn_fit_options opt = {.params = names,
                          .param_count = n_params,
                          .targets = n_targets ? targets : NULL,
                          .target_count = n_targets,
                          .max_iterations = (int)iterations,
                          .tolerance = tolerance,
                          .threads = (int)threads,
                          .verbose = !quiet};
    mn_fit_report rep;
    rc = mn_fit(set, &p, &opt, &rep, &err);
    if (rc) {
        mn_cli_report(&err);
        status = mn_cli_exit_code(rc);
        goto done;
    }
    mn_atomic_file *f = NULL;
    rc = mn_atomic_open(out_path, &f, &err);
    if (!rc) {
        FILE *o = mn_atomic_stream(f);
        fprintf(o,
                "# mnsim fit: %d parameter(s), objective %.6g -> %.6g (mean squared "
                "residual), %d iterations, %d evaluations%s\n",
                n_params, rep.objective_start, rep.objective, rep.iterations, rep.evaluations,
                rep.converged ? ", converged" : "");
        for (int i = 0; i < n_params; ++i) {
            const mn_param_info *pi = mn_params_find(names[i]);
            fprintf(o, "# fitted %s: %.6g -> %.6g %s (range %g-%g)\n", names[i],
                    *mn_params_ref(&before, pi), *mn_params_ref(&p, pi), pi->unit, pi->low,
                    pi->high);
        }
        if (mn_params_write_yaml(&p, o)) {
            mn_atomic_abort(&f);
            rc = mn_error_set(&err, MN_EIO, "%s: write failed", out_path);
        } else {
            rc = mn_atomic_commit(&f, &err);
        }
    }
    if (rc) {
        mn_cli_report(&err);
        status = mn_cli_exit_code(rc);
        goto done;
    }
    if (!quiet) {
        printf("\n%-28s %12s %12s %s\n", "parameter", "start", "fitted", "range");
        for (int i = 0; i < n_params; ++i) {
            const mn_param_info *pi = mn_params_find(names[i]);
            printf("%-28s %12.5g %12.5g %g-%g %s\n", names[i], *mn_params_ref(&before, pi),
                   *mn_params_ref(&p, pi), pi->low, pi->high, pi->unit);
        }
        printf("\nobjective %.6g -> %.6g after %d iterations (%d evaluations)%s\n\n",
               rep.objective_start, rep.objective, rep.iterations, rep.evaluations,
               rep.converged ? ", converged" : "");
        print_residuals(set, &p, targets, n_targets, "after", stdout);
        printf("Wrote %s\n", out_path);
    }
done:
    mn_study_set_free(&set);
    free(names);
    free(targets);
    free(inputs);
    return status;
}
