/* The column's transport: conservation, positivity and the analytic decay of a cosine mode. */
#include <math.h>
#include <stdlib.h>

#include "core/mn_math.h"
#include "numerics/diffusion1d.h"
#include "numerics/tridiag.h"
#include "testutil.h"

static void test_conservation_and_positivity_on_uneven_cells(void **state)
{
    (void)state;
    enum { N = 40 };
    double h[N], g[N];
    double y[N];
    mn__diffusion1d d;
    assert_int_equal(mn__diffusion1d_init(&d, N), 0);
    for (int i = 0; i < N; ++i) {
        h[i] = i < 5 ? 8.0 : (i < 20 ? 20.0 : 35.0); /* layers of different voxel heights */
        y[i] = (i == 3 || i == 30) ? 100.0 : 0.0;    /* spikes: the hardest case for positivity */
    }
    for (int i = 0; i + 1 < N; ++i)
        g[i] = (i == 10 ? 0.0 : 3.6e5) / (0.5 * (h[i] + h[i + 1])); /* one closed face */
    double mass0 = 0;
    for (int i = 0; i < N; ++i)
        mass0 += h[i] * y[i];
    for (int step = 0; step < 50; ++step) {
        assert_int_equal(
            mn__diffusion1d_step(&d, h, g, step % 2 ? 0.01 : 5.0, NULL, NULL, 0.0, 0.0, y), 0);
        double mass = 0;
        for (int i = 0; i < N; ++i) {
            assert_true_msg(y[i] >= 0.0, "cell %d negative: %g", i, y[i]);
            mass += h[i] * y[i];
        }
        assert_close(mass, mass0, 1e-5);
    }
    /* Nothing crossed the closed face between cells 10 and 11. */
    double upper = 0;
    for (int i = 0; i <= 10; ++i)
        upper += h[i] * y[i];
    assert_close(upper, 8.0 * 100.0, 1e-5);
    mn__diffusion1d_free(&d);
}

/* A cosine mode under zero-flux ends decays as exp(-λ t), λ = D (π/L)². To see each error
 * alone: against (1 + λ dt)^(-steps) only the space error remains (second order); against
 * exp(-λ_h t) with the grid's own eigenvalue λ_h = (4D/dx²) sin²(π dx / 2L) only the time
 * error of backward Euler remains (first order). */
static double cosine_error(int n, double dt, int isolate_space)
{
    const double L = 1000.0, D = 3.6e4, T = 2.0;
    double *h = malloc(n * sizeof(double)), *g = malloc(n * sizeof(double));
    double *y = malloc(n * sizeof(double));
    mn__diffusion1d d;
    mn__diffusion1d_init(&d, (size_t)n);
    const double dx = L / n;
    for (int i = 0; i < n; ++i) {
        h[i] = dx;
        g[i] = D / dx;
        y[i] = 1.0 + cos(MN_PI * (i + 0.5) * dx / L);
    }
    int steps = (int)lround(T / dt);
    for (int s = 0; s < steps; ++s)
        mn__diffusion1d_step(&d, h, g, dt, NULL, NULL, 0.0, 0.0, y);
    double lambda = D * (MN_PI / L) * (MN_PI / L);
    double lambda_h = 4.0 * D / (dx * dx) * pow(sin(MN_PI * dx / (2.0 * L)), 2);
    double decay = isolate_space ? pow(1.0 + lambda * dt, -steps) : exp(-lambda_h * T), err = 0;
    for (int i = 0; i < n; ++i)
        err = fmax(err, fabs(y[i] - (1.0 + decay * cos(MN_PI * (i + 0.5) * dx / L))));
    mn__diffusion1d_free(&d);
    free(h);
    free(g);
    free(y);
    return err;
}

static void test_cosine_mode_converges(void **state)
{
    (void)state;
    /* Space: grid refined 16 → 32 → 64: error falls ~4x per halving. */
    double e1 = cosine_error(16, 0.01, 1), e2 = cosine_error(32, 0.01, 1);
    double e3 = cosine_error(64, 0.01, 1);
    assert_true_msg(log2(e1 / e2) > 1.8 && log2(e2 / e3) > 1.7, "space orders %.2f %.2f",
                    log2(e1 / e2), log2(e2 / e3));
    /* Time: step halved: error falls ~2x (backward Euler). */
    double t1 = cosine_error(64, 0.4, 0), t2 = cosine_error(64, 0.2, 0);
    double t3 = cosine_error(64, 0.1, 0);
    assert_true_msg(log2(t1 / t2) > 0.9 && log2(t2 / t3) > 0.9, "time orders %.2f %.2f",
                    log2(t1 / t2), log2(t2 / t3));
}

static void test_robin_inflow_fills_to_outside_value(void **state)
{
    (void)state;
    enum { N = 10 };
    double h[N], g[N];
    double y[N] = {0};
    mn__diffusion1d d;
    mn__diffusion1d_init(&d, N);
    for (int i = 0; i < N; ++i) {
        h[i] = 20.0;
        g[i] = 1e4 / 20.0;
    }
    for (int s = 0; s < 2000; ++s)
        mn__diffusion1d_step(&d, h, g, 1.0, NULL, NULL, 50.0, 1.0, y);
    for (int i = 0; i < N; ++i) {
        assert_true(y[i] <= 1.0 + 1e-12); /* never above the applied concentration */
        assert_close(y[i], 1.0, 1e-4);
    }
    mn__diffusion1d_free(&d);
}

/* One MPRK22 step (two stages) of pure diffusion from y: Patankar–Euler, then the weighted
 * second stage with the same conductances. */
static int mprk22_step(mn__diffusion1d *d, const double *h, const double *g, double dt, double *y,
                       double *v0, double *v1, int n)
{
    for (int i = 0; i < n; ++i)
        v0[i] = v1[i] = y[i];
    int rc = mn__diffusion1d_step(d, h, g, dt, NULL, NULL, 0.0, 0.0, v1);
    return rc ? rc : mn__diffusion1d_mprk_stage2(d, h, g, g, dt, v0, v1, NULL, NULL, y);
}

static void test_mprk_conserves_and_stays_positive(void **state)
{
    (void)state;
    enum { N = 40 };
    double h[N], g[N], y[N], v0[N], v1[N];
    mn__diffusion1d d;
    assert_int_equal(mn__diffusion1d_init(&d, N), 0);
    for (int i = 0; i < N; ++i) {
        h[i] = i < 5 ? 8.0 : (i < 20 ? 20.0 : 35.0);
        y[i] = (i == 3 || i == 30) ? 100.0 : 0.0; /* spikes next to zeros: the weights' edge */
    }
    for (int i = 0; i + 1 < N; ++i)
        g[i] = (i == 10 ? 0.0 : 3.6e5) / (0.5 * (h[i] + h[i + 1]));
    double mass0 = 0;
    for (int i = 0; i < N; ++i)
        mass0 += h[i] * y[i];
    for (int step = 0; step < 50; ++step) {
        assert_int_equal(mprk22_step(&d, h, g, step % 2 ? 0.01 : 5.0, y, v0, v1, N), 0);
        double mass = 0;
        for (int i = 0; i < N; ++i) {
            assert_true_msg(y[i] >= 0.0, "cell %d negative: %g", i, y[i]);
            mass += h[i] * y[i];
        }
        assert_close(mass, mass0, 1e-9 * mass0);
    }
    double upper = 0;
    for (int i = 0; i <= 10; ++i)
        upper += h[i] * y[i];
    assert_close(upper, 8.0 * 100.0, 1e-9 * mass0);
    mn__diffusion1d_free(&d);
}

/* The cosine mode against the grid's own exact decay exp(-λ_h t): the time error alone. */
static double mprk_cosine_error(double dt)
{
    enum { N = 64 };
    const double L = 1000.0, D = 3.6e4, T = 2.0, dx = L / N;
    double h[N], g[N], y[N], v0[N], v1[N];
    mn__diffusion1d d;
    mn__diffusion1d_init(&d, N);
    for (int i = 0; i < N; ++i) {
        h[i] = dx;
        g[i] = D / dx;
        y[i] = 1.0 + cos(MN_PI * (i + 0.5) * dx / L);
    }
    int steps = (int)lround(T / dt);
    for (int s = 0; s < steps; ++s)
        mprk22_step(&d, h, g, dt, y, v0, v1, N);
    double lambda_h = 4.0 * D / (dx * dx) * pow(sin(MN_PI * dx / (2.0 * L)), 2), err = 0;
    for (int i = 0; i < N; ++i)
        err = fmax(err, fabs(y[i] - (1.0 + exp(-lambda_h * T) * cos(MN_PI * (i + 0.5) * dx / L))));
    mn__diffusion1d_free(&d);
    return err;
}

static void test_mprk_second_order_in_time(void **state)
{
    (void)state;
    double t1 = mprk_cosine_error(0.2), t2 = mprk_cosine_error(0.1), t3 = mprk_cosine_error(0.05);
    assert_true_msg(log2(t1 / t2) > 1.8 && log2(t2 / t3) > 1.8, "time orders %.2f %.2f",
                    log2(t1 / t2), log2(t2 / t3));
    /* and far more accurate than the first stage alone at the same step */
    assert_true(t2 < 0.1 * cosine_error(64, 0.1, 0));
}

/* Four species solved together give each the bits it gets alone (lanes are independent). */
static void test_lanes_are_independent(void **state)
{
    (void)state;
    enum { N = 12, L = MN__D1_LANES };
    double h[N], g[N * L], prod[N * L], loss[N * L], y[N * L], beta[L] = {0, 0, 0, 30.0};
    double gk[N], pk[N], lk[N], yk[N];
    mn__diffusion1d d;
    assert_int_equal(mn__diffusion1d_init(&d, N), 0);
    for (int i = 0; i < N; ++i) {
        h[i] = 10.0 + i;
        for (int k = 0; k < L; ++k) {
            g[i * L + k] = (k + 1) * 100.0 / h[i];
            prod[i * L + k] = 0.1 * k * i;
            loss[i * L + k] = 0.01 * (k + 1);
            y[i * L + k] = sin(i + k) + 1.5;
        }
    }
    assert_int_equal(mn__diffusion1d_step_lanes(&d, h, g, 2.0, prod, loss, beta, 1.0, y), 0);
    for (int k = 0; k < L; ++k) {
        for (int i = 0; i < N; ++i) {
            gk[i] = (k + 1) * 100.0 / h[i];
            pk[i] = 0.1 * k * i;
            lk[i] = 0.01 * (k + 1);
            yk[i] = sin(i + k) + 1.5;
        }
        assert_int_equal(mn__diffusion1d_step(&d, h, gk, 2.0, pk, lk, beta[k], 1.0, yk), 0);
        for (int i = 0; i < N; ++i)
            assert_true(yk[i] == y[i * L + k]);
    }
    mn__diffusion1d_free(&d);
}

/* The four-lane solver (eliminating from both ends) against the one-sided Thomas sweep on
 * diagonally dominant systems of every size from 1 to 21, odd and even. */
static void test_lanes4_solver_matches_thomas(void **state)
{
    (void)state;
    enum { NMAX = 21, K = 4 };
    double a[NMAX * K], b[NMAX * K], c[NMAX * K], r[NMAX * K], x[NMAX * K], w[NMAX * K];
    double a1[NMAX], b1[NMAX], c1[NMAX], r1[NMAX], x1[NMAX], w1[NMAX];
    unsigned long seed = 12345;
    for (int n = 1; n <= NMAX; ++n) {
        for (int i = 0; i < n * K; ++i) {
            seed = seed * 6364136223846793005ul + 1442695040888963407ul;
            double u = (double)(seed >> 11) * 0x1.0p-53;
            a[i] = -u;
            c[i] = -(1.0 - u);
            b[i] = 2.5 + u;
            r[i] = 10.0 * u - 3.0;
        }
        assert_int_equal(mn__tridiag_solve_lanes4((size_t)n, a, b, c, r, x, w), 0);
        for (int k = 0; k < K; ++k) {
            for (int i = 0; i < n; ++i) {
                a1[i] = a[i * K + k];
                b1[i] = b[i * K + k];
                c1[i] = c[i * K + k];
                r1[i] = r[i * K + k];
            }
            assert_int_equal(mn__tridiag_solve((size_t)n, a1, b1, c1, r1, x1, w1), 0);
            for (int i = 0; i < n; ++i)
                assert_true_msg(fabs(x[i * K + k] - x1[i]) <= 1e-13 * (1.0 + fabs(x1[i])),
                                "n %d lane %d row %d: %.17g vs %.17g", n, k, i, x[i * K + k],
                                x1[i]);
        }
    }
    /* A zero pivot is reported, not divided through. */
    for (int i = 0; i < 3 * K; ++i)
        a[i] = b[i] = c[i] = r[i] = 0.0;
    assert_int_equal(mn__tridiag_solve_lanes4(3, a, b, c, r, x, w), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conservation_and_positivity_on_uneven_cells),
        cmocka_unit_test(test_cosine_mode_converges),
        cmocka_unit_test(test_robin_inflow_fills_to_outside_value),
        cmocka_unit_test(test_mprk_conserves_and_stays_positive),
        cmocka_unit_test(test_mprk_second_order_in_time),
        cmocka_unit_test(test_lanes_are_independent),
        cmocka_unit_test(test_lanes4_solver_matches_thomas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
