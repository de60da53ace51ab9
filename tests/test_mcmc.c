/* The ensemble sampler and its diagnostics against analytic answers: a correlated Gaussian's
 * mean and covariance are recovered, the chain is bit-identical for any thread count, split
 * R-hat is ~1 for chains of one distribution and large for chains stuck apart, and the
 * autocorrelation time of an AR(1) process is (1 + φ)/(1 − φ). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/mcmc.h"
#include "mnsim/rng.h"
#include "testutil.h"

/* N(μ, Σ) with μ = (1, −2, 0.5), Σ = [[1, 0.8, 0], [0.8, 1, 0], [0, 0, 0.25]]: log density
 * −½ (x − μ)ᵀ Σ⁻¹ (x − μ). Σ⁻¹ of the 2 × 2 block is [[1, −0.8], [−0.8, 1]] / 0.36. */
static const double mu[3] = {1.0, -2.0, 0.5};
static double gauss(const double *x, void *user)
{
    (void)user;
    const double a = x[0] - mu[0], b = x[1] - mu[1], c = x[2] - mu[2];
    return -0.5 * ((a * a - 1.6 * a * b + b * b) / 0.36 + c * c / 0.25);
}

static double bounded(const double *x, void *user)
{
    (void)user;
    return x[0] > 0 && x[0] < 1 ? 0.0 : -INFINITY; /* U(0, 1) */
}

static void start(double *init, int walkers, int dim, unsigned long seed)
{
    mn_rng r;
    mn_rng_init(&r, seed, 99);
    for (int i = 0; i < walkers * dim; ++i)
        init[i] = 0.5 + 0.1 * mn_rng_normal(&r);
}

static mn_chain *run_thinned(int threads, int steps, int thin)
{
    enum { W = 24, D = 3 };
    double init[W * D];
    start(init, W, D, 7);
    mn_ensemble_options o = {
        .walkers = W, .steps = steps, .seed = 42, .threads = threads, .thin = thin};
    mn_chain *c = NULL;
    mn_error err;
    assert_int_equal_msg(mn_ensemble_sample(D, init, gauss, NULL, &o, &c, &err), MN_OK,
                         err.message);
    return c;
}

static mn_chain *run(int threads, int steps) { return run_thinned(threads, steps, 1); }

static void test_gaussian_moments(void **state)
{
    (void)state;
    const int steps = 6000, burn = 1000;
    mn_chain *c = run(0, steps);
    const int w = mn_chain_walkers(c);
    double m[3] = {0}, s01 = 0, v[3] = {0};
    long n = 0;
    for (int t = burn; t < steps; ++t)
        for (int k = 0; k < w; ++k) {
            const double *x = mn_chain_at(c, t, k);
            for (int i = 0; i < 3; ++i)
                m[i] += x[i];
            ++n;
        }
    for (int i = 0; i < 3; ++i)
        m[i] /= (double)n;
    for (int t = burn; t < steps; ++t)
        for (int k = 0; k < w; ++k) {
            const double *x = mn_chain_at(c, t, k);
            for (int i = 0; i < 3; ++i)
                v[i] += (x[i] - m[i]) * (x[i] - m[i]);
            s01 += (x[0] - m[0]) * (x[1] - m[1]);
        }
    /* Monte Carlo error of a mean: SD √(τ / N) with τ ~ 50 steps and N = 24 x 5000: ~0.02. */
    for (int i = 0; i < 3; ++i)
        assert_true_msg(fabs(m[i] - mu[i]) < 0.08, "mean %d: %g vs %g", i, m[i], mu[i]);
    assert_true_msg(fabs(v[0] / n - 1.0) < 0.12, "var x0 %g", v[0] / n);
    assert_true_msg(fabs(v[1] / n - 1.0) < 0.12, "var x1 %g", v[1] / n);
    assert_true_msg(fabs(v[2] / n - 0.25) < 0.03, "var x2 %g", v[2] / n);
    assert_true_msg(fabs(s01 / n - 0.8) < 0.1, "cov x0 x1 %g", s01 / n);
    /* Goodman & Weare's stretch move accepts a fair share of moves in low dimension. */
    assert_true_msg(mn_chain_acceptance(c) > 0.3 && mn_chain_acceptance(c) < 0.9, "acceptance %g",
                    mn_chain_acceptance(c));
    mn_chain_free(&c);
    assert_null(c);
}

static void test_same_chain_for_any_thread_count(void **state)
{
    (void)state;
    mn_chain *a = run(1, 300), *b = run(2, 300);
    for (int t = 0; t < 300; ++t)
        for (int k = 0; k < mn_chain_walkers(a); ++k) {
            assert_memory_equal(mn_chain_at(a, t, k), mn_chain_at(b, t, k), 3 * sizeof(double));
            assert_true(mn_chain_log_density(a, t, k) == mn_chain_log_density(b, t, k));
        }
    /* Thinning keeps every 5th state of the same chain. */
    mn_chain *t = run_thinned(2, 300, 5);
    assert_int_equal(mn_chain_steps(t), 60);
    assert_int_equal(mn_chain_thin(t), 5);
    for (int s = 0; s < 60; ++s)
        for (int k = 0; k < mn_chain_walkers(t); ++k)
            assert_memory_equal(mn_chain_at(t, s, k), mn_chain_at(a, 5 * s + 4, k),
                                3 * sizeof(double));
    assert_true(mn_chain_acceptance(t) == mn_chain_acceptance(a));
    mn_chain_free(&t);
    mn_chain_free(&a);
    mn_chain_free(&b);
}

static void test_support_is_respected(void **state)
{
    (void)state;
    enum { W = 8 };
    double init[W];
    for (int i = 0; i < W; ++i)
        init[i] = 0.1 + 0.1 * i;
    mn_ensemble_options o = {.walkers = W, .steps = 4000, .seed = 3};
    mn_chain *c = NULL;
    mn_error err;
    assert_int_equal(mn_ensemble_sample(1, init, bounded, NULL, &o, &c, &err), MN_OK);
    double mean = 0;
    for (int t = 0; t < 4000; ++t)
        for (int k = 0; k < W; ++k) {
            const double x = mn_chain_at(c, t, k)[0];
            assert_true(x > 0 && x < 1);
            mean += x;
        }
    mean /= 4000.0 * W;
    assert_true_msg(fabs(mean - 0.5) < 0.05, "U(0,1) mean %g", mean);
    mn_chain_free(&c);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    double init[6] = {0, 0, 0, 0, 0, 0};
    mn_chain *c = NULL;
    mn_error err;
    mn_ensemble_options odd = {.walkers = 5, .steps = 10};
    assert_int_equal(mn_ensemble_sample(1, init, gauss, NULL, &odd, &c, &err), MN_EINVAL);
    assert_non_null(strstr(err.message, "walkers"));
    mn_ensemble_options few = {.walkers = 4, .steps = 10};
    assert_int_equal(mn_ensemble_sample(3, init, gauss, NULL, &few, &c, &err), MN_EINVAL);
    mn_ensemble_options ok = {.walkers = 6, .steps = 10};
    double outside[6] = {2, 2, 2, 2, 2, 2};
    assert_int_equal(mn_ensemble_sample(1, outside, bounded, NULL, &ok, &c, &err), MN_EINVAL);
    assert_non_null(strstr(err.message, "density is zero"));
    assert_null(c);
}

/* AR(1) x_t = φ x_{t−1} + e_t: ρ(k) = φ^k, τ = (1 + φ)/(1 − φ). */
static void ar1(double *x, int m, int n, double phi, unsigned long seed)
{
    for (int c = 0; c < m; ++c) {
        mn_rng r;
        mn_rng_init(&r, seed, (uint64_t)c);
        double v = mn_rng_normal(&r) / sqrt(1 - phi * phi);
        for (int t = 0; t < n; ++t) {
            v = phi * v + mn_rng_normal(&r);
            x[(size_t)c * n + t] = v;
        }
    }
}

static void test_autocorrelation_time_of_ar1(void **state)
{
    (void)state;
    enum { M = 8, N = 20000 };
    double *x = malloc(sizeof(double) * M * N);
    assert_non_null(x);
    const double phis[] = {0.0, 0.5, 0.9};
    for (int i = 0; i < 3; ++i) {
        ar1(x, M, N, phis[i], 11);
        int reliable = 0;
        const double tau = mn_mcmc_autocorr_time(x, M, N, &reliable);
        const double exact = (1 + phis[i]) / (1 - phis[i]);
        assert_true_msg(fabs(tau / exact - 1) < 0.1, "phi %g: tau %g, exact %g", phis[i], tau,
                        exact);
        assert_true(reliable);
        assert_close(mn_mcmc_ess(x, M, N), M * (double)N / tau, 1e-12);
    }
    /* Too short a chain for its τ is flagged. */
    int reliable = 1;
    ar1(x, 2, 200, 0.95, 5);
    mn_mcmc_autocorr_time(x, 2, 200, &reliable);
    assert_false(reliable);
    free(x);
}

static void test_split_rhat(void **state)
{
    (void)state;
    enum { M = 4, N = 4000 };
    double x[M * N];
    ar1(x, M, N, 0.3, 21);
    const double r1 = mn_mcmc_split_rhat(x, M, N);
    assert_true_msg(r1 > 0.99 && r1 < 1.01, "R-hat of one distribution %g", r1);
    /* Chains stuck at different means: R-hat far above 1. */
    for (int c = 0; c < M; ++c)
        for (int t = 0; t < N; ++t)
            x[c * N + t] += 3.0 * c;
    assert_true(mn_mcmc_split_rhat(x, M, N) > 2.0);
    /* A drift within each chain is caught by the split (halves disagree). */
    ar1(x, M, N, 0.3, 22);
    for (int c = 0; c < M; ++c)
        for (int t = 0; t < N; ++t)
            x[c * N + t] += 4.0 * t / N;
    assert_true(mn_mcmc_split_rhat(x, M, N) > 1.2);
    assert_true(isnan(mn_mcmc_split_rhat(x, M, 3)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gaussian_moments),
        cmocka_unit_test(test_same_chain_for_any_thread_count),
        cmocka_unit_test(test_support_is_respected),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_autocorrelation_time_of_ar1),
        cmocka_unit_test(test_split_rhat),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
