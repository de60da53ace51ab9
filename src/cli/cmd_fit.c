/* mnsim fit [STUDY.yaml|DIR]... --param NAME... [--target ID]... [--params START]
 *           [--iterations N] [--tolerance X] [--threads N] --out FILE [--quiet] */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/studies_dir.h"
#include "mnsim/io.h"
#include "mnsim/params.h"
#include "mnsim/study.h"

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
    double tolerance = 1e-3;
    int iterations = 200, threads = 0, quiet = 0, status = MN_EXIT_OK;
    mn_cli_list names = {0}, targets = {0}, inputs = {0};
    const mn_cli_option options[] = {
        {"param", 0, MN_CLI_STRINGS, .to.list = &names, .flags = MN_CLI_REQUIRED, .arg = "NAME",
         .help = "a parameter to fit (repeatable, at least one)"},
        {"out", 0, MN_CLI_STRING, .to.str = &out_path, .flags = MN_CLI_REQUIRED, .arg = "FILE",
         .help = "the parameter file to write"},
        {"target", 0, MN_CLI_STRINGS, .to.list = &targets, .arg = "ID",
         .help = "an endpoint id to fit to (repeatable; default all calibrate rows)"},
        {"params", 0, MN_CLI_STRING, .to.str = &start, .arg = "START",
         .help = "starting values (default: the built-in table)"},
        {"iterations", 0, MN_CLI_INT, .to.integer = &iterations, .min = 1, .max = 1e6, .arg = "N",
         .help = "simplex iterations (default 200)"},
        {"tolerance", 0, MN_CLI_DOUBLE, .to.num = &tolerance, .min = 1e-12, .max = 10, .arg = "X",
         .help = "stop when the simplex is smaller than X (default 1e-3)"},
        {"threads", 0, MN_CLI_INT, .to.integer = &threads, .min = 1, .max = 1024, .arg = "N",
         .help = "study runs in parallel (OpenMP)"},
        {"quiet", 'q', MN_CLI_FLAG, .to.flag = &quiet, .help = "no residuals or progress"},
        {0}};
    const mn_cli_option args[] = {{"STUDY.yaml|DIR", 0, MN_CLI_STRINGS, .to.list = &inputs}, {0}};
    char description[1024];
    snprintf(description, sizeof description,
             "Calibrates the named model parameters to published study endpoints (default: every\n"
             "endpoint with role `calibrate` in %s) with GSL's Nelder-Mead\n"
             "simplex, each parameter kept within its literature range (`mnsim params`). The\n"
             "objective is the mean squared residual (simulated - published) / half-band.\n"
             "Writes the fitted parameter file (all parameters; `mnsim run --params FILE` and\n"
             "`mnsim validate --params FILE` read it) and prints the residuals before and after.",
             mn_cli_studies_dir());
    const mn_cli_command cmd = {"fit", .description = description, .epilog = MN_CLI_EXIT_CODES,
                                .options = options, .positional = args};
    int ex = mn_cli_parse(&cmd, argc, argv);
    if (ex != MN_CLI_PARSED)
        return ex;
    const int n_params = names.count, n_targets = targets.count;
    mn_study_set *set = NULL;
    mn_error err;
    mn_error_clear(&err);
    mn_params p;
    mn_params_default(&p);
    int rc = mn_study_set_create(&set, &err);
    if (!rc && start)
        rc = mn_params_load_file(&p, start, &err);
    if (!rc)
        rc = mn_cli_studies_load(set, &inputs, &err);
    if (!rc)
        rc = mn_cli_check_names(set, &names, &targets, &err);
    if (rc) {
        mn_cli_report(&err);
        status = MN_EXIT_BAD_INPUT;
        goto done;
    }
    mn_params before = p;
    if (!quiet)
        print_residuals(set, &p, targets.items, n_targets, "before", stdout);
    mn_fit_options opt = {.params = names.items,
                          .param_count = n_params,
                          .targets = n_targets ? targets.items : NULL,
                          .target_count = n_targets,
                          .max_iterations = iterations,
                          .tolerance = tolerance,
                          .threads = threads,
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
            const mn_param_info *pi = mn_params_find(names.items[i]);
            fprintf(o, "# fitted %s: %.6g -> %.6g %s (range %g-%g)\n", names.items[i],
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
            const mn_param_info *pi = mn_params_find(names.items[i]);
            printf("%-28s %12.5g %12.5g %g-%g %s\n", names.items[i], *mn_params_ref(&before, pi),
                   *mn_params_ref(&p, pi), pi->low, pi->high, pi->unit);
        }
        printf("\nobjective %.6g -> %.6g after %d iterations (%d evaluations)%s\n\n",
               rep.objective_start, rep.objective, rep.iterations, rep.evaluations,
               rep.converged ? ", converged" : "");
        print_residuals(set, &p, targets.items, n_targets, "after", stdout);
        printf("Wrote %s\n", out_path);
    }
done:
    mn_study_set_free(&set);
    mn_cli_free(&cmd);
    return status;
}
