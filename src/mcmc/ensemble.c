/* The affine-invariant ensemble sampler (Goodman & Weare 2010, Commun Appl Math Comput Sci
 * 5:65, §3 "stretch move"), parallel over the walkers of one half of the ensemble at a time as
 * in emcee (Foreman-Mackey et al. 2013, PASP 125:306, §3 and Algorithm 3). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/jobs.h"
#include "mnsim/mcmc.h"
#include "mnsim/rng.h"

struct mn_chain {
    int dim, walkers, steps, thin; /* steps: recorded states */
    int made;                      /* ensemble updates made */
    double *x;                     /* [step][walker][dim] */
    double *logp;                  /* [step][walker] */
    long accepted;
};

/* Goodman & Weare's default scale of the stretch. */
static const double stretch_a_default = 2.0;

void mn_chain_free(mn_chain **c)
{
    if (!c || !*c)
        return;
    free((*c)->x);
    free((*c)->logp);
    free(*c);
    *c = NULL;
}

int mn_chain_dim(const mn_chain *c)
{
    return c ? c->dim : 0;
}
int mn_chain_walkers(const mn_chain *c)
{
    return c ? c->walkers : 0;
}
int mn_chain_steps(const mn_chain *c)
{
    return c ? c->steps : 0;
}

int mn_chain_thin(const mn_chain *c)
{
    return c ? c->thin : 0;
}

const double *mn_chain_at(const mn_chain *c, int step, int walker)
{
    return c->x + ((size_t)step * (size_t)c->walkers + (size_t)walker) * (size_t)c->dim;
}

double mn_chain_log_density(const mn_chain *c, int step, int walker)
{
    return c->logp[(size_t)step * (size_t)c->walkers + (size_t)walker];
}

double mn_chain_acceptance(const mn_chain *c)
{
    if (!c || c->steps < 1)
        return 0.0;
    return (double)c->accepted / ((double)c->made * c->walkers);
}

static double finite_or_minus_inf(double v)
{
    return isnan(v) ? -INFINITY : v;
}

int mn_ensemble_sample(int dim, const double *init, mn_log_density_fn logp, void *user,
                       const mn_ensemble_options *opt, mn_chain **out, mn_error *err)
{
    if (!out)
        return mn_error_set(err, MN_EINVAL, "mn_ensemble_sample: NULL output");
    *out = NULL;
    if (dim < 1 || !init || !logp || !opt)
        return mn_error_set(err, MN_EINVAL, "mn_ensemble_sample: invalid argument");
    const int w = opt->walkers, half = w / 2;
    if (w < 2 * dim || w % 2)
        return mn_error_set(err, MN_EINVAL,
                            "mn_ensemble_sample: %d walkers for %d dimensions (need an even "
                            "number, at least %d)",
                            w, dim, 2 * dim);
    const int thin = opt->thin > 1 ? opt->thin : 1;
    if (opt->steps < thin)
        return mn_error_set(err, MN_EINVAL,
                            "mn_ensemble_sample: %d steps record nothing at thinning %d",
                            opt->steps, thin);
    const double a = opt->stretch_a > 0 ? opt->stretch_a : stretch_a_default;
    if (!(a > 1.0))
        return mn_error_set(err, MN_EINVAL, "mn_ensemble_sample: stretch scale must exceed 1");

    mn_chain *c = calloc(1, sizeof *c);
    double *cur = malloc((size_t)w * (size_t)dim * sizeof *cur);
    double *cur_lp = malloc((size_t)w * sizeof *cur_lp);
    double *prop = malloc((size_t)w * (size_t)dim * sizeof *prop);
    unsigned char *acc = malloc((size_t)w);
    if (c) {
        c->dim = dim, c->walkers = w, c->steps = opt->steps / thin, c->thin = thin;
        c->made = opt->steps;
        c->x = malloc((size_t)c->steps * (size_t)w * (size_t)dim * sizeof *c->x);
        c->logp = malloc((size_t)c->steps * (size_t)w * sizeof *c->logp);
    }
    int rc = MN_OK;
    if (!c || !c->x || !c->logp || !cur || !cur_lp || !prop || !acc) {
        rc = mn_error_set(err, MN_ENOMEM, "out of memory for %d walkers x %d steps", w, opt->steps);
        goto done;
    }
    memcpy(cur, init, (size_t)w * (size_t)dim * sizeof *cur);
    const int threads = mn_threads_for(opt->threads, half);
    (void)threads;
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic) num_threads(threads)
#endif
    for (int k = 0; k < w; ++k)
        cur_lp[k] = finite_or_minus_inf(logp(cur + (size_t)k * (size_t)dim, user));
    for (int k = 0; k < w; ++k)
        if (!isfinite(cur_lp[k])) {
            rc = mn_error_set(err, MN_EINVAL,
                              "mn_ensemble_sample: walker %d starts where the density is zero", k);
            goto done;
        }

    for (int s = 0; s < opt->steps; ++s) {
        for (int h = 0; h < 2; ++h) {
            /* Walkers [h·half, (h+1)·half) move against the other half's current positions. */
            const int first = h * half, other = (1 - h) * half;
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic) num_threads(threads)
#endif
            for (int i = 0; i < half; ++i) {
                const int k = first + i;
                mn_rng r;
                mn_rng_init(&r, (uint64_t)opt->seed, (uint64_t)s * (uint64_t)w + (uint64_t)k);
                const int j = other + (int)(mn_rng_uniform(&r) * half);
                /* z from g(z) ∝ 1/√z on [1/a, a] by inversion: z = ((a − 1) u + 1)² / a. */
                const double u = mn_rng_uniform(&r);
                const double z = ((a - 1.0) * u + 1.0) * ((a - 1.0) * u + 1.0) / a;
                const double *xk = cur + (size_t)k * (size_t)dim;
                const double *xj = cur + (size_t)j * (size_t)dim;
                double *y = prop + (size_t)k * (size_t)dim;
                for (int d = 0; d < dim; ++d)
                    y[d] = xj[d] + z * (xk[d] - xj[d]);
                const double lp = finite_or_minus_inf(logp(y, user));
                /* Acceptance min(1, z^(dim−1) p(y) / p(x_k)) (Goodman & Weare eq. 7). */
                const double log_ratio = (dim - 1) * log(z) + lp - cur_lp[k];
                const double v = mn_rng_uniform(&r);
                acc[k] = isfinite(lp) && (log_ratio >= 0 || log(v) < log_ratio);
                if (acc[k]) {
                    memcpy(cur + (size_t)k * (size_t)dim, y, (size_t)dim * sizeof *y);
                    cur_lp[k] = lp;
                }
            }
            for (int i = 0; i < half; ++i)
                c->accepted += acc[first + i];
        }
        if ((s + 1) % thin == 0 && (s + 1) / thin <= c->steps) {
            const size_t at = (size_t)((s + 1) / thin - 1);
            memcpy(c->x + at * (size_t)w * (size_t)dim, cur, (size_t)w * (size_t)dim * sizeof *cur);
            memcpy(c->logp + at * (size_t)w, cur_lp, (size_t)w * sizeof *cur_lp);
        }
        if (opt->progress)
            opt->progress(opt->progress_user, s + 1, opt->steps);
    }
    *out = c;
    c = NULL;
done:
    mn_chain_free(&c);
    free(cur);
    free(cur_lp);
    free(prop);
    free(acc);
    return rc;
}
