/* Markov chain Monte Carlo: the affine-invariant ensemble sampler ("stretch move", Goodman &
 * Weare 2010, Commun Appl Math Comput Sci 5:65, in the parallel red/blue form of
 * Foreman-Mackey et al. 2013, PASP 125:306) and the convergence diagnostics of its output:
 * split R-hat (Gelman et al. 2013, Bayesian Data Analysis, 3rd ed., §11.4), the integrated
 * autocorrelation time with Sokal's automatic window (Sokal 1997, "Monte Carlo methods in
 * statistical mechanics", in Functional Integration, Springer, p. 131; the walker-averaged
 * autocorrelation function as emcee computes it) and the effective sample size.
 *
 * Deterministic: every walker draws from its own counter-based stream (mn_rng, keyed by seed,
 * walker and step), and the walkers of one half are updated from the other half's positions
 * only, so the chain is the same bit for bit for any thread count. */
#ifndef MNSIM_MCMC_H
#define MNSIM_MCMC_H

#include "mnsim/export.h"

#include "mnsim/error.h"

/* Log of the (unnormalised) target density at x[0 .. dim−1]; −INFINITY outside its support.
 * Called concurrently from several threads: it must be thread-safe. A NaN is treated as
 * −INFINITY (the move is rejected). */
typedef double (*mn_log_density_fn)(const double *x, void *user);

typedef struct mn_ensemble_options {
    int walkers;      /* even, ≥ 2 dim (Foreman-Mackey et al. 2013 advise several times dim) */
    int steps;        /* ensemble updates made */
    int thin;         /* every thin-th update is recorded (0 or 1: all); steps / thin are kept */
    double stretch_a; /* scale of the stretch g(z) ∝ 1/√z on [1/a, a]; 0: Goodman & Weare's 2 */
    unsigned long seed;
    int threads;                                    /* 0: the default (mn_threads_for) */
    void (*progress)(void *user, int step, int of); /* optional, called after each step */
    void *progress_user;
} mn_ensemble_options;

typedef struct mn_chain mn_chain;

/* Samples `opt->steps` ensemble updates from the starting positions init[walker·dim + i], which
 * must all have a finite log density. */
MN_EXPORT int mn_ensemble_sample(int dim, const double *init, mn_log_density_fn logp, void *user,
                                 const mn_ensemble_options *opt, mn_chain **out, mn_error *err);
MN_EXPORT void mn_chain_free(mn_chain **c);
MN_EXPORT int mn_chain_dim(const mn_chain *c);
MN_EXPORT int mn_chain_walkers(const mn_chain *c);
/* Recorded states (steps / thin). */
MN_EXPORT int mn_chain_steps(const mn_chain *c);
MN_EXPORT int mn_chain_thin(const mn_chain *c);
/* Position of `walker` at recorded state `step` (0-based), dim values. */
MN_EXPORT const double *mn_chain_at(const mn_chain *c, int step, int walker);
MN_EXPORT double mn_chain_log_density(const mn_chain *c, int step, int walker);
/* Fraction of accepted moves over all walkers and steps. */
MN_EXPORT double mn_chain_acceptance(const mn_chain *c);

/* ---- diagnostics, on x[chain·n + t] (m chains of n draws each) ---- */

/* Split R-hat: each chain cut in halves, the potential scale reduction √(V̂/W) over the 2m
 * half-chains (BDA3 eq. 11.4). 1 at convergence; NaN when n < 4 or every draw is equal. */
MN_EXPORT double mn_mcmc_split_rhat(const double *x, int m, int n);
/* Integrated autocorrelation time τ of the chain-averaged autocorrelation function, summed up
 * to the smallest window M ≥ c τ(M) (Sokal's c = 5). Sets *reliable to 1 when n > 50 τ
 * (emcee's rule of thumb for a trustworthy estimate), else 0. */
MN_EXPORT double mn_mcmc_autocorr_time(const double *x, int m, int n, int *reliable);
/* Effective sample size m n / τ. */
MN_EXPORT double mn_mcmc_ess(const double *x, int m, int n);

#endif
