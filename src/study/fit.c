/* `mnsim fit`: named parameters calibrated to named study endpoints (docs/calibration.md).
 * Objective: mean squared normalised residual, (simulated − published centre) / half-band, so
 * every target weighs by its own published spread. Minimiser: GSL's Nelder-Mead simplex
 * (nmsimplex2; Nelder & Mead 1965, Comput J 7:308), unconstrained in a logit transform of each
 * parameter's literature range [low, high] (log-logit when the range spans a decade or more),
 * so every trial point respects the bounds without a penalty. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "study/study_impl.h"

typedef struct fit_ctx {
    const mn_study_set *set;
    mn_params work;
    const mn_param_info **info;
    int n;
    mn_validate_options vopt;
    int evaluations;
    int failed;
    mn_error err;
} fit_ctx;

static void apply(fit_ctx *c, const gsl_vector *x)
{
    for (int i = 0; i < c->n; ++i)
        *mn_params_ref(&c->work, c->info[i]) = mn__param_from_z(c->info[i], gsl_vector_get(x, i));
}

static double objective_at(fit_ctx *c)
{
    mn_validation *v = NULL;
    c->evaluations++;
    if (mn_validate(c->set, &c->work, &c->vopt, &v, &c->err)) {
        c->failed = 1;
        return 1e6;
    }
    double sum = 0;
    int n = mn_validation_count(v);
    for (int i = 0; i < n; ++i) {
        double r = mn_validation_row_at(v, i)->residual;
        sum += r * r;
    }
    mn_validation_free(&v);
    return n ? sum / n : 0.0;
}

static double objective(const gsl_vector *x, void *data)
{
    fit_ctx *c = data;
    apply(c, x);
    return objective_at(c);
}

int mn_fit(const mn_study_set *set, mn_params *p, const mn_fit_options *opt, mn_fit_report *report,
           mn_error *err)
{
    if (!set || !p || !opt || !opt->params || opt->param_count < 1)
        return mn_error_set(err, MN_EINVAL, "mn_fit: name at least one parameter to fit");
    fit_ctx c = {.set = set, .work = *p, .n = opt->param_count};
    c.info = calloc((size_t)c.n, sizeof *c.info);
    const char **targets = NULL;
    int target_count = opt->target_count;
    if (!c.info)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    for (int i = 0; i < c.n; ++i) {
        c.info[i] = mn_params_find(opt->params[i]);
        if (!c.info[i]) {
            free(c.info);
            return mn_error_set(err, MN_EINVAL, "%s: unknown parameter (mnsim params lists them)",
                                opt->params[i]);
        }
        if (!(c.info[i]->high > c.info[i]->low)) {
            free(c.info);
            return mn_error_set(err, MN_EINVAL, "%s: no literature range to fit within",
                                opt->params[i]);
        }
        for (int j = 0; j < i; ++j)
            if (c.info[j] == c.info[i]) {
                free(c.info);
                return mn_error_set(err, MN_EINVAL, "%s: named twice", opt->params[i]);
            }
    }
    if (!opt->targets) {
        int rc0 = mn__calibrated_targets(set, &targets, &target_count, err);
        if (rc0) {
            free(c.info);
            return rc0;
        }
    }
    c.vopt.only = opt->targets ? opt->targets : targets;
    c.vopt.only_count = target_count;
    c.vopt.threads = opt->threads;

    gsl_set_error_handler_off(); /* GSL's default handler aborts: a library never does */
    gsl_vector *x = gsl_vector_alloc((size_t)c.n), *step = gsl_vector_alloc((size_t)c.n);
    gsl_multimin_fminimizer *m =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, (size_t)c.n);
    int rc = MN_OK;
    if (!x || !step || !m) {
        rc = mn_error_set(err, MN_ENOMEM, "out of memory for the simplex");
        goto done;
    }
    for (int i = 0; i < c.n; ++i) {
        gsl_vector_set(x, i, mn__param_to_z(c.info[i], *mn_params_ref(&c.work, c.info[i])));
        gsl_vector_set(step, i, 0.7); /* a sizeable move within the range, ±17 % of it at mid */
    }
    apply(&c, x);
    double f0 = objective_at(&c);
    if (c.failed) {
        rc = mn_error_set(err, c.err.code, "%s", c.err.message);
        goto done;
    }
    gsl_multimin_function fn = {.f = objective, .n = (size_t)c.n, .params = &c};
    if (gsl_multimin_fminimizer_set(m, &fn, x, step) != GSL_SUCCESS) {
        rc = mn_error_set(err, MN_ERANGE, "cannot start the simplex");
        goto done;
    }
    const double tol = opt->tolerance > 0 ? opt->tolerance : 1e-3;
    int iter = 0, converged = 0;
    while (iter < opt->max_iterations && !c.failed) {
        ++iter;
        if (gsl_multimin_fminimizer_iterate(m) != GSL_SUCCESS)
            break;
        double size = gsl_multimin_fminimizer_size(m);
        if (opt->verbose)
            fprintf(stderr, "mnsim fit: iteration %d, objective %.6g, simplex size %.3g\n", iter,
                    m->fval, size);
        if (gsl_multimin_test_size(size, tol) == GSL_SUCCESS) {
            converged = 1;
            break;
        }
    }
    if (c.failed) {
        rc = mn_error_set(err, c.err.code, "%s", c.err.message);
        goto done;
    }
    apply(&c, gsl_multimin_fminimizer_x(m));
    /* Only accept an improvement (the simplex's best point always is one). */
    double f1 = m->fval;
    if (f1 <= f0)
        *p = c.work;
    if (report) {
        report->iterations = iter;
        report->evaluations = c.evaluations;
        report->objective_start = f0;
        report->objective = fmin(f0, f1);
        report->converged = converged;
    }
done:
    gsl_multimin_fminimizer_free(m);
    gsl_vector_free(x);
    gsl_vector_free(step);
    free(c.info);
    free(targets);
    return rc;
}
