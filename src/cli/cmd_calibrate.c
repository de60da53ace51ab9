/* mnsim calibrate [STUDY.yaml|DIR]... --out FILE [--param NAME]... [--screen K] [--target ID]...
 *                 [--params START] [--design-runs N] [--walkers W] [--steps S] [--burn B]
 *                 [--draws D] [--verify-runs V] [--seed N] [--threads N] [--quiet] */
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/studies_dir.h"
#include "mnsim/params.h"
#include "mnsim/posterior.h"
#include "mnsim/study.h"

/* R-hat below which the chains count as converged (Vehtari et al. 2021, Bayesian Anal 16:667,
 * recommend 1.01 for final results; the acceptance bound, and BDA3's older rule of
 * thumb for a usable sample, is 1.05). */
static const double rhat_ok = 1.05;

static void print_posterior(const mn_posterior *post, const mn_calibrate_report *rep, FILE *out)
{
    fprintf(out, "%-28s %11s %11s %11s  %8s %8s %8s\n", "parameter", "5%", "median", "95%", "R-hat",
            "tau", "ESS");
    const int nd = mn_posterior_draw_count(post);
    double *v = malloc((size_t)nd * sizeof *v);
    for (int i = 0; v && i < mn_posterior_param_count(post); ++i) {
        for (int d = 0; d < nd; ++d)
            v[d] = mn_posterior_value(post, d, i);
        gsl_sort(v, 1, (size_t)nd);
        const mn_posterior_diag *dg = mn_posterior_diag_of(post, i);
        fprintf(out, "%-28s %11.4g %11.4g %11.4g  %8.4f %8.1f %8.0f  %s\n",
                mn_posterior_param(post, i)->name,
                gsl_stats_quantile_from_sorted_data(v, 1, (size_t)nd, 0.05),
                gsl_stats_quantile_from_sorted_data(v, 1, (size_t)nd, 0.5),
                gsl_stats_quantile_from_sorted_data(v, 1, (size_t)nd, 0.95), dg->rhat, dg->tau,
                dg->ess, mn_posterior_param(post, i)->unit);
    }
    free(v);
    fprintf(out,
            "\n%d targets, %d parameters, %d model runs (%d failed); acceptance %.2f; max R-hat "
            "%.4f (%s), min ESS %.0f, max tau %.1f steps\n",
            rep->targets, rep->params, rep->model_runs, rep->failed_runs, rep->acceptance,
            rep->max_rhat, rep->max_rhat < rhat_ok ? "converged" : "NOT converged", rep->min_ess,
            rep->max_tau);
    fprintf(out,
            "surrogate error (model - surrogate, in half-bands): the last-but-one stage's on "
            "the last design %.3f RMS; the final one at %s %.3f RMS, %.3f max; %.0f %% of "
            "those draws pass every target\n",
            rep->surrogate_previous_rms, "the verification draws", rep->surrogate_rms,
            rep->surrogate_max, 100.0 * rep->verify_pass_fraction);
    if (rep->rest_params > 0)
        fprintf(out, "%d parameters not sampled are drawn from their priors into every draw%s\n",
                rep->rest_params,
                rep->rest_checked ? " (those no target sees over its range)" : "");
    if (rep->sir_runs > 0)
        fprintf(out,
                "importance resampling on the model (%d other parameters drawn): %d "
                "runs, weight ESS %.1f; %.0f %% of the resampled draws pass every target%s\n",
                rep->rest_params, rep->sir_runs, rep->sir_ess, 100.0 * rep->sir_pass_fraction,
                rep->sir_ess < 0.05 * rep->sir_runs
                    ? " (the weights are degenerate: the bands rest on few distinct draws)"
                    : "");
}

int mn_cli_calibrate(int argc, char **argv)
{
    const char *start = NULL, *out_path = NULL;
    int quiet = 0, status = MN_EXIT_OK;
    double seed = 1;
    const char *rest = "unseen";
    mn_calibrate_options opt = {0};
    mn_cli_list names = {0}, targets = {0}, inputs = {0};
    const mn_cli_option options[] = {
        {"out", 0, MN_CLI_STRING, .to.str = &out_path, .flags = MN_CLI_REQUIRED, .arg = "FILE",
         .help = "the posterior file to write (JSON)"},
        {"param", 0, MN_CLI_STRINGS, .to.list = &names, .arg = "NAME",
         .help = "a parameter to sample (repeatable; default: the --screen most informed)"},
        {"screen", 0, MN_CLI_INT, .to.integer = &opt.screen, .min = 1, .max = 64, .arg = "K",
         .help = "without --param: sample the K parameters the targets inform most (default 10)"},
        {"target", 0, MN_CLI_STRINGS, .to.list = &targets, .arg = "ID",
         .help = "an endpoint id to calibrate to (repeatable; default all calibrate rows)"},
        {"params", 0, MN_CLI_STRING, .to.str = &start, .arg = "START",
         .help = "values of the parameters not sampled, and the start (default: the table)"},
        {"design-runs", 0, MN_CLI_INT, .to.integer = &opt.design_runs, .min = 2, .max = 1e6,
         .arg = "N", .help = "model runs per surrogate design stage (default 2.5 x its terms)"},
        {"stages", 0, MN_CLI_INT, .to.integer = &opt.stages, .min = 1, .max = 20, .arg = "N",
         .help = "surrogate design stages (default 3)"},
        {"walkers", 0, MN_CLI_INT, .to.integer = &opt.walkers, .min = 2, .max = 1e5, .arg = "W",
         .help = "ensemble walkers (default max(4 x parameters, 32))"},
        {"steps", 0, MN_CLI_INT, .to.integer = &opt.steps, .min = 4, .max = 1e7, .arg = "S",
         .help = "ensemble steps per stage (default 20000)"},
        {"burn", 0, MN_CLI_INT, .to.integer = &opt.burn, .min = 1, .max = 1e7, .arg = "B",
         .help = "steps discarded as burn-in (default 5000, or a quarter of --steps)"},
        {"draws", 0, MN_CLI_INT, .to.integer = &opt.draws, .min = 1, .max = 1e6, .arg = "D",
         .help = "posterior draws stored (default 1000)"},
        {"verify-runs", 0, MN_CLI_INT, .to.integer = &opt.verify_runs, .min = 1, .max = 1e5,
         .arg = "V", .help = "model runs at posterior draws checking the surrogate (default 40)"},
        {"rest", 0, MN_CLI_STRING, .to.str = &rest, .arg = "unseen|table|prior",
         .help = "the parameters not sampled: drawn from their literature ranges when no "
                 "target sees them over the range, the others kept at the table values "
                 "(unseen, the default); all kept (table); all drawn (prior)"},
        {"sir-runs", 0, MN_CLI_INT, .to.integer = &opt.sir_runs, .min = 0, .max = 1e6, .arg = "N",
         .help = "model runs of a final importance resampling on the model (default 0: none)"},
        {"seed", 0, MN_CLI_DOUBLE, .to.num = &seed, .min = 0, .max = 4294967295.0, .arg = "N",
         .help = "random seed (default 1)"},
        {"threads", 0, MN_CLI_INT, .to.integer = &opt.threads, .min = 1, .max = 1024, .arg = "N",
         .help = "study runs and walkers in parallel (OpenMP)"},
        {"quiet", 'q', MN_CLI_FLAG, .to.flag = &quiet, .help = "no table or progress"},
        {0}};
    const mn_cli_option args[] = {{"STUDY.yaml|DIR", 0, MN_CLI_STRINGS, .to.list = &inputs}, {0}};
    char description[1400];
    snprintf(description, sizeof description,
             "Samples the posterior of model parameters given the published endpoints with role\n"
             "`calibrate` (default studies: %s): priors uniform on each\n"
             "parameter's literature range (log-uniform over a decade or more), each band taken\n"
             "as +-2 SD of a Gaussian, the model replaced by a quadratic surrogate fitted to\n"
             "designed runs (its error measured on runs it was not fitted to), sampled by an\n"
             "affine-invariant ensemble. Prints the posterior with split R-hat, autocorrelation\n"
             "time and effective sample size, and writes the posterior file that `mnsim run\n"
             "--uncertainty N` and `mnsim validate --posterior` read (docs/uncertainty.md).",
             mn_cli_studies_dir());
    const mn_cli_command cmd = {"calibrate", .description = description,
                                .epilog = MN_CLI_EXIT_CODES " A posterior whose R-hat is 1.05 "
                                                            "or more is written and exits 1.",
                                .options = options, .positional = args};
    int ex = mn_cli_parse(&cmd, argc, argv);
    if (ex != MN_CLI_PARSED)
        return ex;
    mn_study_set *set = NULL;
    mn_posterior *post = NULL;
    mn_error err;
    mn_error_clear(&err);
    mn_params p;
    mn_params_default(&p);
    int rc = mn_study_set_create(&set, &err);
    if (!rc && start)
        rc = mn_params_load_file(&p, start, &err);
    if (!rc && start && mn_cli_params_check("calibrate", start, &p, 0)) {
        status = MN_EXIT_BAD_INPUT;
        goto done;
    }
    if (!rc)
        rc = mn_cli_studies_load(set, &inputs, &err);
    if (!rc)
        rc = mn_cli_check_names(set, &names, &targets, &err);
    if (!rc && opt.burn > 0 && opt.steps > 0 && opt.burn >= opt.steps)
        rc = mn_error_set(&err, MN_EINVAL, "--burn %d: must be below --steps %d", opt.burn,
                          opt.steps);
    if (!rc && strcmp(rest, "unseen") && strcmp(rest, "prior") && strcmp(rest, "table"))
        rc = mn_error_set(&err, MN_EINVAL, "--rest %s: must be unseen, table or prior", rest);
    opt.rest = !strcmp(rest, "unseen")  ? MN_REST_UNSEEN
               : !strcmp(rest, "prior") ? MN_REST_PRIOR
                                        : MN_REST_TABLE;
    if (!rc && seed != floor(seed))
        rc = mn_error_set(&err, MN_EINVAL, "--seed %g: must be a whole number", seed);
    if (rc) {
        mn_cli_report(&err);
        status = MN_EXIT_BAD_INPUT;
        goto done;
    }
    opt.params = names.count ? names.items : NULL;
    opt.param_count = names.count;
    opt.targets = targets.count ? targets.items : NULL;
    opt.target_count = targets.count;
    opt.seed = (unsigned long)seed;
    opt.verbose = !quiet;
    mn_calibrate_report rep;
    rc = mn_calibrate(set, &p, &opt, &post, &rep, &err);
    if (!rc)
        rc = mn_posterior_write(post, out_path, &err);
    if (rc) {
        mn_cli_report(&err);
        status = mn_cli_exit_code(rc);
        goto done;
    }
    if (!quiet) {
        print_posterior(post, &rep, stdout);
        printf("Wrote %s\n", out_path);
    }
    if (!(rep.max_rhat < rhat_ok)) {
        fprintf(stderr,
                "mnsim calibrate: max split R-hat %.4f is not below %.2f: run longer "
                "(--steps)\n",
                rep.max_rhat, rhat_ok);
        status = MN_EXIT_FAILURE;
    }
done:
    mn_posterior_free(&post);
    mn_study_set_free(&set);
    mn_cli_free(&cmd);
    return status;
}
