/* `mnsim calibrate`: the posterior of model parameters given the calibrated study rows
 * (docs/uncertainty.md).
 *
 * Prior: uniform on each parameter's literature range [low, high] (params.h), log-uniform when
 * the range spans a decade or more; sampled in z = logit(u), u the fraction of the range, so
 * the prior density in z is u (1 − u).
 * Likelihood: each target's published band taken as ±2 SD of a Gaussian around its centre
 * (a 95 % interval), i.e. log L = −2 Σ r², r the residual of mn_endpoint_residual (asymmetric
 * bands stay asymmetric; a direction-only row costs nothing on the right side and the fit's
 * 1 + |sim| on the wrong one).
 * Model: a full quadratic surrogate of every target's simulated value in z, fitted by least
 * squares (GSL SVD) to model runs designed in stages: from the Laplace approximation at the
 * starting point (finite-difference Jacobian, widened 1.5 x), then from each surrogate's
 * posterior, the next surrogate fitted on that stage's runs alone. Its error is measured on
 * model runs it was not fitted to (each stage's runs for the previous surrogate, fresh
 * posterior draws for the final one) and reported.
 * Sampler: affine-invariant ensemble (Goodman & Weare 2010; mcmc.h), restricted to the region
 * the current surrogate was fitted on (Mahalanobis radius √k + 2 of its design). */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/mcmc.h"
#include "mnsim/posterior.h"
#include "mnsim/rng.h"
#include "study/study_impl.h"

/* Defaults (mn_calibrate_options). */
static const int default_screen = 10;
/* Steps: the surrogate is cheap, so long chains (the stretch move's τ reached ~700 steps in the
 * 10 dimensions of the shipped posterior: 100000 steps keep ~100 τ after burn-in), every 10th
 * state recorded. Stages: the first design is broad, the next ones follow the posterior. */
static const int default_steps = 100000, default_burn = 25000, default_draws = 1000;
static const int default_records = 10000; /* states recorded per chain (sets the thinning) */
static const int default_stages = 3;
static const int default_verify = 40, min_walkers = 32;
/* Design runs per quadratic term (a least-squares fit wants well over one run a term). */
static const double design_per_term = 2.5;
/* Finite-difference step of the screening and the Jacobian, in z (logit units). */
static const double fd_step = 0.5;
/* The design spreads the Laplace covariance by this factor (in SD) to cover the posterior's
 * tails; the sampler stays within the Mahalanobis radius √k + this margin of the first design
 * (its points, standard normal in k dimensions, lie at radius √k ± 1/√2 typically). */
static const double design_widen = 1.5;
static const double region_margin = 2.0;
/* Walkers without a starting point: a tenth of the region's SD around its centre. */
static const double start_spread = 0.1;
/* MN_REST_UNSEEN: a parameter not sampled is moved to u = 0.02 and 0.98 of its range (the
 * central 96 % of its prior) unless its screening information already exceeds
 * unseen_max_information (then a move of |Δz| ≈ 4 changes a residual by ≈ 2 √(I/4) ≥ 0.1
 * half-bands: seen); it is unseen when neither move changes any target's residual by more
 * than unseen_tolerance half-bands. */
static const double unseen_u = 0.02;
static const double unseen_max_information = 0.01;
static const double unseen_tolerance = 0.05;
/* z beyond which a parameter sits within 1e-5 of its bound: outside the support. */
static const double z_limit = 11.5;

typedef struct cal {
    const mn_study_set *set;
    mn_params base;
    mn_validate_options vopt;
    int m;                   /* targets */
    const mn_endpoint **eps; /* [m] in the validation's row order */
    double *scale;           /* [m] half-band (or |value| for a direction) */
    unsigned char *banded;   /* [m] 1: a band; 0: a direction (flat on its right side, so it
                                informs neither the screening nor the Laplace step) */
    int k;                   /* sampled parameters */
    const mn_param_info **info;
    double *z0; /* [k] starting point */
    /* The region the current surrogate was fitted on: centre zc, Cholesky factor of its
     * covariance and the factor's inverse (Mahalanobis distance). The sampler stays inside;
     * the surrogate's terms are centred on zc. */
    double *zc;
    gsl_matrix *lchol;
    gsl_matrix *linv;
    int terms;    /* quadratic terms 1 + k + k(k+1)/2 */
    double *coef; /* [m][terms] surrogate coefficients */
    /* Gaussian-process correction of the quadratic's residuals (fit_surrogate): the n training
     * points, the weights alpha[i][j] = (C + δI)⁻¹ r_j of every target j, the length scales. */
    int gp_n;
    double *gp_z, *gp_alpha, *gp_ell;
    double gp_factor, gp_nugget; /* chosen by leave-one-out */
    /* The screening's information of every candidate (for MN_REST_UNSEEN). */
    int nc;
    const mn_param_info **cand;
    double *score;
    /* MN_REST_UNSEEN: the parameters not sampled that the targets cannot see. */
    int nunseen;
    const mn_param_info **unseen;
    int model_runs, failed_runs;
    int verbose;
    int use_gp; /* 1: the quadratic plus a GP on its residuals (after the first stage) */
} cal;

/* ---- the model ---- */

/* Simulated target values at parameter values `z` (k of them; NULL: the base). Returns MN_OK,
 * or an error when the model failed (the design then skips the point). */
static int model_at(cal *c, const double *z, double *y, mn_error *err)
{
    mn_params q = c->base;
    for (int i = 0; z && i < c->k; ++i)
        *mn_params_ref(&q, c->info[i]) = mn__param_from_z(c->info[i], z[i]);
    mn_validation *v = NULL;
    c->model_runs++;
    int rc = mn_validate(c->set, &q, &c->vopt, &v, err);
    if (rc)
        return rc;
    if (mn_validation_count(v) != c->m) {
        mn_validation_free(&v);
        return mn_error_set(err, MN_ENUMERIC, "calibrate: the targets changed between runs");
    }
    for (int j = 0; j < c->m; ++j) {
        y[j] = mn_validation_row_at(v, j)->simulated;
        if (!isfinite(y[j]))
            rc = mn_error_set(err, MN_ENUMERIC, "%s: the model gave %g",
                              mn_validation_row_at(v, j)->endpoint->id, y[j]);
    }
    mn_validation_free(&v);
    return rc;
}

/* Simulated target values with the whole parameter set q. */
static int model_params(cal *c, const mn_params *q, double *y, mn_error *err)
{
    const mn_params saved = c->base;
    const int k = c->k;
    c->base = *q;
    c->k = 0;
    int rc = model_at(c, NULL, y, err);
    c->k = k;
    c->base = saved;
    return rc;
}

/* Model values with parameter `pi` moved to z (the screening's one-at-a-time step). */
static int model_one(cal *c, const mn_param_info *pi, double z, double *y, mn_error *err)
{
    mn_params q = c->base;
    *mn_params_ref(&q, pi) = mn__param_from_z(pi, z);
    return model_params(c, &q, y, err);
}

/* ---- the surrogate ---- */

static void features(const cal *c, const double *z, double *phi)
{
    int t = 0;
    phi[t++] = 1.0;
    for (int i = 0; i < c->k; ++i)
        phi[t++] = z[i] - c->zc[i];
    for (int i = 0; i < c->k; ++i)
        for (int l = i; l < c->k; ++l)
            phi[t++] = (z[i] - c->zc[i]) * (z[l] - c->zc[l]);
}

/* Squared-exponential correlation of two points with length scales ell (Rasmussen & Williams
 * 2006, Gaussian Processes for Machine Learning, ch. 2, with one length scale per dimension). */
static double kernel(const double *a, const double *b, const double *ell, int k)
{
    double s = 0;
    for (int d = 0; d < k; ++d) {
        const double u = (a[d] - b[d]) / ell[d];
        s += u * u;
    }
    return exp(-0.5 * s);
}

static void surrogate(const cal *c, const double *z, double *y)
{
    double phi[1 + 64 + 64 * 65 / 2];
    features(c, z, phi);
    for (int j = 0; j < c->m; ++j) {
        const double *cj = c->coef + (size_t)j * (size_t)c->terms;
        double s = 0;
        for (int t = 0; t < c->terms; ++t)
            s += cj[t] * phi[t];
        y[j] = s;
    }
    /* The GP's posterior mean of the residual: Σ_i k(z, z_i) α_ij (R&W ch. 2). */
    for (int i = 0; i < c->gp_n; ++i) {
        const double kv = kernel(z, c->gp_z + (size_t)i * (size_t)c->k, c->gp_ell, c->k);
        const double *a = c->gp_alpha + (size_t)i * (size_t)c->m;
        for (int j = 0; j < c->m; ++j)
            y[j] += kv * a[j];
    }
}

/* Candidate length-scale factors (times each dimension's design SD) and relative nuggets of
 * the GP, the pair with the smallest leave-one-out error chosen (R&W §5.4.2: the LOO residual
 * of point i is α_i / [C⁻¹]_ii, no refitting needed). The nugget stands for the model's own
 * numerical noise (adaptive steps) and keeps C well conditioned. */
static const double gp_factors[] = {0.5, 1.0, 2.0, 4.0};
static const double gp_nuggets[] = {1e-6, 1e-3};

/* Fits the GP to the quadratic's residuals r[n][m] at z[n][k]. */
static int fit_gp(cal *c, const double *z, const double *r, int n, mn_error *err)
{
    const int k = c->k, m = c->m;
    free(c->gp_z), free(c->gp_alpha), free(c->gp_ell);
    c->gp_n = 0;
    c->gp_z = malloc((size_t)n * (size_t)k * sizeof *c->gp_z);
    c->gp_alpha = malloc((size_t)n * (size_t)m * sizeof *c->gp_alpha);
    c->gp_ell = malloc((size_t)k * sizeof *c->gp_ell);
    double *sd = malloc((size_t)k * sizeof *sd),
           *alpha = malloc((size_t)n * (size_t)m * sizeof *alpha);
    gsl_matrix *cm = gsl_matrix_alloc((size_t)n, (size_t)n);
    int rc = MN_OK;
    if (!c->gp_z || !c->gp_alpha || !c->gp_ell || !sd || !alpha || !cm) {
        rc = mn_error_set(err, MN_ENOMEM, "out of memory for the Gaussian process");
        goto done;
    }
    memcpy(c->gp_z, z, (size_t)n * (size_t)k * sizeof *z);
    for (int d = 0; d < k; ++d) {
        double mu = 0, v = 0;
        for (int i = 0; i < n; ++i)
            mu += z[(size_t)i * (size_t)k + (size_t)d];
        mu /= n;
        for (int i = 0; i < n; ++i) {
            const double e = z[(size_t)i * (size_t)k + (size_t)d] - mu;
            v += e * e;
        }
        sd[d] = fmax(sqrt(v / (n - 1)), 1e-6);
    }
    double best = INFINITY;
    const int nf = (int)(sizeof gp_factors / sizeof gp_factors[0]);
    const int nn = (int)(sizeof gp_nuggets / sizeof gp_nuggets[0]);
    for (int f = 0; f < nf; ++f)
        for (int g = 0; g < nn; ++g) {
            for (int d = 0; d < k; ++d)
                c->gp_ell[d] = gp_factors[f] * sd[d];
            for (int i = 0; i < n; ++i)
                for (int l = 0; l <= i; ++l) {
                    const double kv =
                        kernel(z + (size_t)i * (size_t)k, z + (size_t)l * (size_t)k, c->gp_ell, k) +
                        (i == l ? gp_nuggets[g] : 0.0);
                    gsl_matrix_set(cm, (size_t)i, (size_t)l, kv);
                    gsl_matrix_set(cm, (size_t)l, (size_t)i, kv);
                }
            if (gsl_linalg_cholesky_decomp1(cm) != GSL_SUCCESS ||
                gsl_linalg_cholesky_invert(cm) != GSL_SUCCESS)
                continue; /* too ill-conditioned at this nugget */
            double loo = 0;
            for (int i = 0; i < n; ++i)
                for (int j = 0; j < m; ++j) {
                    double a = 0;
                    for (int l = 0; l < n; ++l)
                        a += gsl_matrix_get(cm, (size_t)i, (size_t)l) *
                             r[(size_t)l * (size_t)m + (size_t)j];
                    alpha[(size_t)i * (size_t)m + (size_t)j] = a;
                    const double e = a / gsl_matrix_get(cm, (size_t)i, (size_t)i) / c->scale[j];
                    loo += e * e;
                }
            if (loo < best) {
                best = loo;
                c->gp_factor = gp_factors[f], c->gp_nugget = gp_nuggets[g];
                memcpy(c->gp_alpha, alpha, (size_t)n * (size_t)m * sizeof *alpha);
            }
        }
    if (!isfinite(best)) {
        rc = mn_error_set(err, MN_ENUMERIC, "calibrate: no Gaussian-process fit is factorable");
        goto done;
    }
    for (int d = 0; d < k; ++d)
        c->gp_ell[d] = c->gp_factor * sd[d];
    c->gp_n = n;
done:
    free(sd);
    free(alpha);
    gsl_matrix_free(cm);
    return rc;
}

/* Least squares over the n runs z[n][k] → y[n][m] (GSL's SVD solver, no regularisation). */
static int fit_surrogate(cal *c, const double *z, const double *y, int n, mn_error *err)
{
    if (n < c->terms)
        return mn_error_set(err, MN_ENUMERIC,
                            "calibrate: %d successful design runs for a surrogate of %d terms", n,
                            c->terms);
    gsl_matrix *x = gsl_matrix_alloc((size_t)n, (size_t)c->terms);
    gsl_vector *b = gsl_vector_alloc((size_t)n), *coef = gsl_vector_alloc((size_t)c->terms);
    gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc((size_t)n, (size_t)c->terms);
    int rc = MN_OK;
    if (!x || !b || !coef || !w) {
        rc = mn_error_set(err, MN_ENOMEM, "out of memory for the surrogate");
        goto done;
    }
    for (int r = 0; r < n; ++r) {
        gsl_vector_view row = gsl_matrix_row(x, (size_t)r);
        features(c, z + (size_t)r * (size_t)c->k, row.vector.data);
    }
    if (gsl_multifit_linear_svd(x, w) != GSL_SUCCESS) {
        rc = mn_error_set(err, MN_ENUMERIC, "calibrate: the surrogate's design is singular");
        goto done;
    }
    for (int j = 0; j < c->m; ++j) {
        for (int r = 0; r < n; ++r)
            gsl_vector_set(b, (size_t)r, y[(size_t)r * (size_t)c->m + (size_t)j]);
        double rnorm, snorm;
        if (gsl_multifit_linear_solve(0.0, x, b, coef, &rnorm, &snorm, w) != GSL_SUCCESS) {
            rc = mn_error_set(err, MN_ENUMERIC, "calibrate: least squares failed");
            goto done;
        }
        for (int t = 0; t < c->terms; ++t)
            c->coef[(size_t)j * (size_t)c->terms + (size_t)t] = gsl_vector_get(coef, (size_t)t);
    }
    if (c->use_gp) {
        /* The quadratic's residuals at the runs, for the GP. */
        double *res = malloc((size_t)n * (size_t)c->m * sizeof *res);
        double *yq = malloc((size_t)c->m * sizeof *yq);
        if (!res || !yq) {
            free(res), free(yq);
            rc = mn_error_set(err, MN_ENOMEM, "out of memory for the surrogate");
            goto done;
        }
        c->gp_n = 0; /* the quadratic alone */
        for (int r = 0; r < n; ++r) {
            surrogate(c, z + (size_t)r * (size_t)c->k, yq);
            for (int j = 0; j < c->m; ++j)
                res[(size_t)r * (size_t)c->m + (size_t)j] =
                    y[(size_t)r * (size_t)c->m + (size_t)j] - yq[j];
        }
        rc = fit_gp(c, z, res, n, err);
        free(res), free(yq);
    }
done:
    gsl_multifit_linear_free(w);
    gsl_vector_free(coef);
    gsl_vector_free(b);
    gsl_matrix_free(x);
    return rc;
}

/* RMS and maximum of |model − surrogate| in units of each target's half-band. */
static void surrogate_error(const cal *c, const double *z, const double *y, int n, double *rms,
                            double *max, double *by_target)
{
    double sum = 0, worst = 0, yhat[256], per[256] = {0};
    long count = 0;
    for (int r = 0; r < n; ++r) {
        surrogate(c, z + (size_t)r * (size_t)c->k, yhat);
        for (int j = 0; j < c->m; ++j) {
            const double e = (yhat[j] - y[(size_t)r * (size_t)c->m + (size_t)j]) / c->scale[j];
            sum += e * e;
            per[j] += e * e;
            worst = fmax(worst, fabs(e));
            ++count;
        }
    }
    *rms = count ? sqrt(sum / (double)count) : NAN;
    *max = worst;
    for (int j = 0; by_target && j < c->m; ++j)
        by_target[j] = n ? sqrt(per[j] / n) : NAN;
}

/* ---- the posterior ---- */

static double log_prior(const cal *c, const double *z)
{
    double lp = 0;
    for (int i = 0; i < c->k; ++i) {
        if (!(fabs(z[i]) < z_limit))
            return -INFINITY;
        /* log u(1 − u) = −|z| − 2 log(1 + e^{−|z|}), stable in both tails. */
        lp += -fabs(z[i]) - 2.0 * log1p(exp(-fabs(z[i])));
    }
    return lp;
}

static double mahalanobis2(const cal *c, const double *z)
{
    double s = 0;
    for (int i = 0; i < c->k; ++i) {
        double v = 0;
        for (int l = 0; l <= i; ++l)
            v += gsl_matrix_get(c->linv, (size_t)i, (size_t)l) * (z[l] - c->zc[l]);
        s += v * v;
    }
    return s;
}

static double log_likelihood(const cal *c, const double *y)
{
    double s = 0;
    for (int j = 0; j < c->m; ++j) {
        const double r = mn_endpoint_residual(c->eps[j], y[j]);
        s += r * r;
    }
    /* Band = ±2 SD: −(1/2) (2 r)². */
    return -2.0 * s;
}

static double log_posterior(const double *z, void *user)
{
    const cal *c = user;
    double lp = log_prior(c, z);
    if (!isfinite(lp))
        return -INFINITY;
    const double radius = sqrt((double)c->k) + region_margin;
    if (mahalanobis2(c, z) > radius * radius)
        return -INFINITY;
    double y[256];
    surrogate(c, z, y);
    return lp + log_likelihood(c, y);
}

/* ---- stages ---- */

/* The region's factor L (cov = L Lᵀ; cov is overwritten) and L⁻¹. */
static int set_region(cal *c, gsl_matrix *cov, mn_error *err)
{
    const size_t k = (size_t)c->k;
    gsl_matrix_memcpy(c->lchol, cov);
    if (gsl_linalg_cholesky_decomp1(c->lchol) != GSL_SUCCESS)
        return mn_error_set(err, MN_ENUMERIC, "calibrate: the design covariance is not positive");
    for (size_t i = 0; i < k; ++i)
        for (size_t l = i + 1; l < k; ++l)
            gsl_matrix_set(c->lchol, i, l, 0.0); /* keep L lower-triangular */
    gsl_matrix_memcpy(c->linv, c->lchol);
    if (gsl_linalg_tri_lower_invert(c->linv) != GSL_SUCCESS)
        return mn_error_set(err, MN_ENUMERIC, "calibrate: cannot invert the design factor");
    for (size_t i = 0; i < k; ++i)
        for (size_t l = i + 1; l < k; ++l)
            gsl_matrix_set(c->linv, i, l, 0.0);
    return MN_OK;
}

/* The region of n points (k each): their mean and covariance (a relative 1e-9 added to the
 * diagonal keeps a degenerate direction factorable). */
static int region_of_points(cal *c, const double *z, int n, mn_error *err)
{
    const size_t k = (size_t)c->k;
    if (n < 2)
        return mn_error_set(err, MN_ENUMERIC, "calibrate: %d successful design runs", n);
    gsl_matrix *cov = gsl_matrix_calloc(k, k);
    if (!cov)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    for (size_t i = 0; i < k; ++i) {
        double m = 0;
        for (int r = 0; r < n; ++r)
            m += z[(size_t)r * k + i];
        c->zc[i] = m / n;
    }
    for (size_t i = 0; i < k; ++i)
        for (size_t l = 0; l <= i; ++l) {
            double s = 0;
            for (int r = 0; r < n; ++r)
                s += (z[(size_t)r * k + i] - c->zc[i]) * (z[(size_t)r * k + l] - c->zc[l]);
            gsl_matrix_set(cov, i, l, s / (n - 1));
            gsl_matrix_set(cov, l, i, s / (n - 1));
        }
    for (size_t i = 0; i < k; ++i)
        *gsl_matrix_ptr(cov, i, i) += 1e-9 * (1.0 + gsl_matrix_get(cov, i, i));
    int rc = set_region(c, cov, err);
    gsl_matrix_free(cov);
    return rc;
}

static int laplace(cal *c, const double *jac, mn_error *err)
{
    /* H = 4 JᵀJ + prior curvature 2 u (1 − u) (in z); Σ = H⁻¹, the design covariance
     * (1.5 Σ^{1/2})². J is per unit z of the residual (divided by each target's scale). */
    const size_t k = (size_t)c->k;
    gsl_matrix *h = gsl_matrix_alloc(k, k);
    if (!h)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    for (size_t i = 0; i < k; ++i)
        for (size_t l = 0; l < k; ++l) {
            double s = 0;
            for (int j = 0; j < c->m; ++j)
                s += jac[(size_t)j * k + i] * jac[(size_t)j * k + l];
            gsl_matrix_set(h, i, l, 4.0 * s);
        }
    for (size_t i = 0; i < k; ++i) {
        const double u = 1.0 / (1.0 + exp(-c->z0[i]));
        *gsl_matrix_ptr(h, i, i) += 2.0 * u * (1.0 - u);
    }
    int rc = MN_OK;
    /* Σ = H⁻¹ via the Cholesky factor of H: H = R Rᵀ, Σ = R⁻ᵀ R⁻¹, and the design uses the
     * Cholesky factor of Σ itself. */
    if (gsl_linalg_cholesky_decomp1(h) != GSL_SUCCESS || gsl_linalg_cholesky_invert(h)) {
        rc = mn_error_set(err, MN_ENUMERIC, "calibrate: the Laplace Hessian is not positive");
        goto done;
    }
    gsl_matrix_scale(h, design_widen * design_widen);
    memcpy(c->zc, c->z0, k * sizeof *c->zc);
    rc = set_region(c, h, err);
done:
    gsl_matrix_free(h);
    return rc;
}

/* Runs the model at the n points z (k each); keeps the successful ones at the front and
 * returns their count in *kept. */
static int run_design(cal *c, double *z, double *y, int n, int *kept, const char *stage,
                      mn_error *err)
{
    int ok = 0;
    for (int r = 0; r < n; ++r) {
        mn_error e;
        mn_error_clear(&e);
        double *zr = z + (size_t)r * (size_t)c->k;
        if (ok != r)
            memmove(z + (size_t)ok * (size_t)c->k, zr, (size_t)c->k * sizeof *z);
        int rc = model_at(c, z + (size_t)ok * (size_t)c->k, y + (size_t)ok * (size_t)c->m, &e);
        if (rc == MN_ENOMEM)
            return mn_error_set(err, rc, "%s", e.message);
        if (rc) {
            c->failed_runs++;
            if (c->verbose)
                fprintf(stderr, "mnsim calibrate: %s run %d skipped: %s\n", stage, r + 1,
                        e.message);
        } else {
            ok++;
        }
        if (c->verbose && ((r + 1) % 20 == 0 || r + 1 == n))
            fprintf(stderr, "mnsim calibrate: %s design: %d of %d runs\n", stage, r + 1, n);
    }
    *kept = ok;
    return MN_OK;
}

static void progress_line(void *user, int step, int of)
{
    const cal *c = user;
    if (c->verbose && (step % 1000 == 0 || step == of))
        fprintf(stderr, "mnsim calibrate: ensemble step %d of %d\n", step, of);
}

/* Samples the current surrogate's posterior. The walkers start at the given points that lie in
 * the support (in order, cycling), else near the region's centre. */
static int sample(cal *c, int walkers, int steps, int thin, unsigned long seed, const double *from,
                  int nfrom, mn_chain **chain, mn_error *err)
{
    double *init = malloc((size_t)walkers * (size_t)c->k * sizeof *init);
    if (!init)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    int usable = 0;
    for (int r = 0; r < nfrom && usable < walkers; ++r)
        if (isfinite(log_posterior(from + (size_t)r * (size_t)c->k, c)))
            memcpy(init + (size_t)usable++ * (size_t)c->k, from + (size_t)r * (size_t)c->k,
                   (size_t)c->k * sizeof *init);
    /* The rest near the centre; a start outside the support is drawn again (bounded). */
    for (int w = usable; w < walkers; ++w) {
        double *x = init + (size_t)w * (size_t)c->k;
        mn_rng r;
        mn_rng_init(&r, seed, 0x5741u + (uint64_t)w);
        int tries = 0;
        do {
            double xi[64];
            for (int i = 0; i < c->k; ++i)
                xi[i] = mn_rng_normal(&r);
            for (int i = 0; i < c->k; ++i) {
                double v = 0;
                for (int l = 0; l <= i; ++l)
                    v += gsl_matrix_get(c->lchol, (size_t)i, (size_t)l) * xi[l];
                x[i] = c->zc[i] + start_spread * v;
            }
        } while (!isfinite(log_posterior(x, c)) && ++tries < 1000);
    }
    mn_ensemble_options eo = {.walkers = walkers,
                              .steps = steps,
                              .thin = thin,
                              .seed = seed,
                              /* One thread: a surrogate evaluation takes microseconds, less
                               * than waking threads for each half-step (the chain is the same
                               * for any thread count, mcmc.h). */
                              .threads = 1,
                              .progress = progress_line,
                              .progress_user = c};
    int rc = mn_ensemble_sample(c->k, init, log_posterior, c, &eo, chain, err);
    free(init);
    return rc;
}

/* The n draws evenly spaced over the chain's kept part (after burn), in z. */
static void chain_draws(const mn_chain *ch, int burn, int k, int n, double *z)
{
    const int w = mn_chain_walkers(ch), kept = mn_chain_steps(ch) - burn;
    const long total = (long)w * kept;
    for (int d = 0; d < n; ++d) {
        long idx = (long)(((double)d + 0.5) * (double)total / n);
        const double *x = mn_chain_at(ch, burn + (int)(idx / w), (int)(idx % w));
        memcpy(z + (size_t)d * (size_t)k, x, (size_t)k * sizeof *x);
    }
}

static int pick_params(cal *c, const mn_calibrate_options *opt, const double *y0, double **jac,
                       json_t *info, mn_error *err)
{
    /* Candidates: the named parameters, or every parameter with a literature range. */
    const size_t total = mn_params_count();
    const mn_param_info **cand = calloc(total, sizeof *cand);
    double *score = calloc(total, sizeof *score);
    double *d = malloc(total * (size_t)c->m * sizeof *d);
    double *y = malloc((size_t)c->m * sizeof *y);
    int rc = MN_OK, nc = 0;
    if (!cand || !score || !d || !y) {
        rc = mn_error_set(err, MN_ENOMEM, "out of memory");
        goto done;
    }
    if (opt->params) {
        for (int i = 0; i < opt->param_count; ++i) {
            const mn_param_info *pi = mn_params_find(opt->params[i]);
            if (!pi) {
                rc = mn_error_set(err, MN_EINVAL, "%s: unknown parameter (mnsim params lists them)",
                                  opt->params[i]);
                goto done;
            }
            if (!(pi->high > pi->low)) {
                rc = mn_error_set(err, MN_EINVAL, "%s: no literature range to sample within",
                                  pi->name);
                goto done;
            }
            for (int j = 0; j < nc; ++j)
                if (cand[j] == pi) {
                    rc = mn_error_set(err, MN_EINVAL, "%s: named twice", pi->name);
                    goto done;
                }
            cand[nc++] = pi;
        }
    } else {
        for (size_t i = 0; i < total; ++i) {
            const mn_param_info *pi = mn_params_info(i);
            if (pi->high > pi->low)
                cand[nc++] = pi;
        }
    }
    /* One-sided differences in z: information 4 Σ_j (∂r_j/∂z)² (the Fisher information of the
     * ±2 SD likelihood), r_j scaled by each target's half-band. */
    for (int i = 0; i < nc; ++i) {
        const double z = mn__param_to_z(cand[i], mn_params_value(&c->base, cand[i]));
        const double h = z > 0 ? -fd_step : fd_step; /* step towards the middle of the range */
        mn_error e;
        if (model_one(c, cand[i], z + h, y, &e)) {
            /* A parameter whose step breaks the model is not screened in. */
            c->failed_runs++;
            score[i] = -1;
            for (int j = 0; j < c->m; ++j)
                d[(size_t)i * (size_t)c->m + (size_t)j] = 0;
            continue;
        }
        double s = 0;
        for (int j = 0; j < c->m; ++j) {
            const double g = c->banded[j] ? (y[j] - y0[j]) / (h * c->scale[j]) : 0.0;
            d[(size_t)i * (size_t)c->m + (size_t)j] = g;
            s += 4.0 * g * g;
        }
        score[i] = s;
        if (c->verbose && ((i + 1) % 20 == 0 || i + 1 == nc))
            fprintf(stderr, "mnsim calibrate: screening: %d of %d parameters\n", i + 1, nc);
    }
    /* Keep the named ones, or the `screen` most informed (ties: table order). */
    int *order = malloc((size_t)(nc ? nc : 1) * sizeof *order);
    if (!order) {
        rc = mn_error_set(err, MN_ENOMEM, "out of memory");
        goto done;
    }
    for (int i = 0; i < nc; ++i)
        order[i] = i;
    if (!opt->params)
        for (int i = 1; i < nc; ++i) /* insertion sort, stable, descending score */
            for (int j = i; j > 0 && score[order[j]] > score[order[j - 1]]; --j) {
                int t = order[j];
                order[j] = order[j - 1];
                order[j - 1] = t;
            }
    const int want = opt->params ? nc : (opt->screen > 0 ? opt->screen : default_screen);
    c->k = 0;
    for (int i = 0; i < nc && c->k < want; ++i)
        if (opt->params || score[order[i]] > 0)
            c->info[c->k++] = cand[order[i]];
    json_t *scr = json_array();
    for (int i = 0; scr && i < nc && i < 30; ++i)
        json_array_append_new(scr, json_pack("{s:s, s:f}", "name", cand[order[i]]->name,
                                             "information", score[order[i]]));
    json_object_set_new(info, "screening", scr ? scr : json_null());
    if (c->k < 1) {
        free(order);
        rc = mn_error_set(err, MN_EINVAL, "calibrate: no parameter moves the targets");
        goto done;
    }
    *jac = malloc((size_t)c->m * (size_t)c->k * sizeof **jac);
    if (!*jac) {
        free(order);
        rc = mn_error_set(err, MN_ENOMEM, "out of memory");
        goto done;
    }
    for (int l = 0; l < c->k; ++l) {
        int ci = 0;
        for (int i = 0; i < nc; ++i)
            if (cand[i] == c->info[l])
                ci = i;
        for (int j = 0; j < c->m; ++j)
            (*jac)[(size_t)j * (size_t)c->k + (size_t)l] = d[(size_t)ci * (size_t)c->m + (size_t)j];
    }
    free(order);
    c->nc = nc, c->cand = cand, c->score = score;
    cand = NULL, score = NULL;
done:
    free(cand);
    free(score);
    free(d);
    free(y);
    return rc;
}

/* MN_REST_UNSEEN: every ranged parameter not sampled whose moves to both ends of its range
 * leave every target's residual within unseen_tolerance (see above) goes to c->unseen. */
static int find_unseen(cal *c, const double *y0, mn_calibrate_report *rep, mn_error *err)
{
    const size_t total = mn_params_count();
    c->unseen = calloc(total, sizeof *c->unseen);
    double *y = malloc((size_t)c->m * sizeof *y);
    if (!c->unseen || !y) {
        free(y);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    int checked = 0;
    for (size_t t = 0; t < total; ++t) {
        const mn_param_info *pi = mn_params_info(t);
        int skip = !(pi->high > pi->low);
        for (int i = 0; !skip && i < c->k; ++i)
            skip = c->info[i] == pi;
        for (int i = 0; !skip && i < c->nc; ++i)
            skip = c->cand[i] == pi && !(c->score[i] < unseen_max_information);
        if (skip)
            continue;
        double harm = 0;
        for (int end = 0; end < 2 && harm <= unseen_tolerance; ++end) {
            const double u = end ? 1.0 - unseen_u : unseen_u;
            mn_error e;
            const int mrc = model_one(c, pi, log(u / (1.0 - u)), y, &e);
            if (mrc == MN_ENOMEM) {
                free(y);
                return mn_error_set(err, mrc, "%s", e.message);
            }
            if (mrc) {
                c->failed_runs++;
                harm = INFINITY; /* a move that breaks the model is seen */
                break;
            }
            for (int j = 0; j < c->m; ++j)
                harm = fmax(harm, fabs(mn_endpoint_residual(c->eps[j], y[j]) -
                                       mn_endpoint_residual(c->eps[j], y0[j])));
        }
        ++checked;
        if (harm <= unseen_tolerance)
            c->unseen[c->nunseen++] = pi;
        if (c->verbose && checked % 20 == 0)
            fprintf(stderr, "mnsim calibrate: unseen check: %d parameters, %d unseen\n", checked,
                    c->nunseen);
    }
    free(y);
    rep->rest_checked = checked;
    if (c->verbose)
        fprintf(stderr, "mnsim calibrate: %d of %d parameters checked are unseen by the targets\n",
                c->nunseen, checked);
    return MN_OK;
}

static int diagnostics(const cal *c, const mn_chain *ch, int burn, mn_posterior *post,
                       mn_calibrate_report *rep, mn_error *err)
{
    const int w = mn_chain_walkers(ch), n = mn_chain_steps(ch) - burn;
    double *x = malloc((size_t)w * (size_t)n * sizeof *x);
    if (!x)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    rep->max_rhat = 0, rep->min_ess = INFINITY, rep->max_tau = 0;
    for (int i = 0; i < c->k; ++i) {
        for (int wk = 0; wk < w; ++wk)
            for (int t = 0; t < n; ++t)
                x[(size_t)wk * (size_t)n + (size_t)t] = mn_chain_at(ch, burn + t, wk)[i];
        mn_posterior_diag d = {mn_mcmc_split_rhat(x, w, n), mn_mcmc_autocorr_time(x, w, n, NULL),
                               0};
        d.ess = isfinite(d.tau) && d.tau > 0 ? (double)w * n / d.tau : NAN;
        d.tau *= mn_chain_thin(ch); /* in ensemble steps, not recorded states */
        mn_posterior_set_diag(post, i, &d);
        rep->max_rhat = fmax(rep->max_rhat, d.rhat);
        rep->min_ess = fmin(rep->min_ess, d.ess);
        rep->max_tau = fmax(rep->max_tau, d.tau);
    }
    free(x);
    return MN_OK;
}

static const char *const rest_name[] = {
    "table values", "prior (literature range)",
    "prior where the targets do not see the parameter over its range, else table values"};

/* Replaces *post (the K sampled parameters) by the resampled draws of every parameter
 * (docs/uncertainty.md §SIR). zd, lps: the K-parameter draws in z and their surrogate log
 * posterior. */
static int finish_with_rest(cal *c, const mn_calibrate_options *opt, const double *zd,
                            const double *lps, int ndraws, mn_posterior **post,
                            mn_calibrate_report *rep, json_t *info, mn_error *err)
{
    const size_t total = mn_params_count();
    const mn_param_info **all = calloc(total, sizeof *all);
    if (!all)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    int np = 0;
    for (int i = 0; i < c->k; ++i)
        all[np++] = c->info[i];
    for (int i = 0; opt->rest == MN_REST_UNSEEN && i < c->nunseen; ++i)
        all[np++] = c->unseen[i];
    if (opt->rest == MN_REST_PRIOR)
        for (size_t t = 0; t < total; ++t) {
            const mn_param_info *pi = mn_params_info(t);
            int sampled = 0;
            for (int i = 0; i < c->k; ++i)
                sampled |= c->info[i] == pi;
            if (!sampled && pi->high > pi->low)
                all[np++] = pi;
        }
    rep->rest_params = np - c->k;
    const int m_sir = opt->sir_runs > 0 ? opt->sir_runs : 0;
    const int n_out = m_sir > 0 ? m_sir : ndraws;
    double *full = malloc((size_t)ndraws * (size_t)np * sizeof *full);
    double *y = malloc((size_t)(m_sir ? m_sir : 1) * (size_t)c->m * sizeof *y);
    double *logw = malloc((size_t)(m_sir ? m_sir : 1) * sizeof *logw);
    int *src = malloc((size_t)(m_sir ? m_sir : 1) * sizeof *src);
    double *out = malloc((size_t)n_out * (size_t)np * sizeof *out);
    double *lout = malloc((size_t)n_out * sizeof *lout);
    int rc = MN_OK;
    if (!full || !y || !logw || !src || !out || !lout) {
        rc = mn_error_set(err, MN_ENOMEM, "out of memory for %d draws", ndraws);
        goto done;
    }
    /* Every draw: the sampled values, then each other parameter from its prior (its own stream
     * per parameter, so adding a parameter does not reshuffle the others). */
    for (int d = 0; d < ndraws; ++d) {
        double *row = full + (size_t)d * (size_t)np;
        for (int i = 0; i < c->k; ++i)
            row[i] = mn__param_from_z(c->info[i], zd[(size_t)d * (size_t)c->k + (size_t)i]);
        for (int i = c->k; i < np; ++i) {
            mn_rng r;
            mn_rng_init(&r, mn_rng_hash(opt->seed ^ 0x72657374ull) + (uint64_t)i, (uint64_t)d);
            row[i] = mn__param_from_u(all[i], mn_rng_uniform(&r));
        }
    }
    if (m_sir == 0) {
        memcpy(out, full, (size_t)ndraws * (size_t)np * sizeof *out);
        memcpy(lout, lps, (size_t)ndraws * sizeof *lout);
    } else {
        double maxw = -INFINITY;
        int ok = 0;
        for (int r = 0; r < m_sir; ++r) {
            const int d = (int)(((double)r + 0.5) * ndraws / m_sir);
            mn_params q = c->base;
            for (int i = 0; i < np; ++i)
                *mn_params_ref(&q, all[i]) = full[(size_t)d * (size_t)np + (size_t)i];
            mn_error e;
            mn_error_clear(&e);
            src[r] = d;
            const int mrc = model_params(c, &q, y + (size_t)r * (size_t)c->m, &e);
            if (mrc == MN_ENOMEM) {
                rc = mn_error_set(err, mrc, "%s", e.message);
                goto done;
            }
            if (mrc) { /* a draw the model cannot run has no weight */
                c->failed_runs++;
                logw[r] = -INFINITY;
            } else {
                const double ll_true = log_likelihood(c, y + (size_t)r * (size_t)c->m);
                const double ll_sur = lps[d] - log_prior(c, zd + (size_t)d * (size_t)c->k);
                logw[r] = ll_true - ll_sur;
                maxw = fmax(maxw, logw[r]);
                ++ok;
            }
            if (c->verbose && ((r + 1) % 20 == 0 || r + 1 == m_sir))
                fprintf(stderr, "mnsim calibrate: importance resampling: %d of %d runs\n", r + 1,
                        m_sir);
        }
        if (ok == 0) {
            rc = mn_error_set(err, MN_ENUMERIC, "calibrate: no resampling run succeeded");
            goto done;
        }
        double sw = 0, sw2 = 0;
        for (int r = 0; r < m_sir; ++r) {
            logw[r] = isfinite(logw[r]) ? exp(logw[r] - maxw) : 0.0; /* now the weight */
            sw += logw[r], sw2 += logw[r] * logw[r];
        }
        rep->sir_runs = m_sir;
        rep->sir_ess = sw * sw / sw2;
        /* Systematic resampling (one uniform offset): n_out draws in proportion to the
         * weights, deterministic for the seed. */
        mn_rng r0;
        mn_rng_init(&r0, opt->seed, 0x535952ull);
        const double u0 = mn_rng_uniform(&r0);
        double cum = 0;
        int j = 0, passing = 0;
        for (int o = 0; o < n_out; ++o) {
            const double target = (o + u0) / n_out * sw;
            while (j < m_sir - 1 && cum + logw[j] < target)
                cum += logw[j++];
            memcpy(out + (size_t)o * (size_t)np, full + (size_t)src[j] * (size_t)np,
                   (size_t)np * sizeof *out);
            lout[o] = log_likelihood(c, y + (size_t)j * (size_t)c->m);
            int all_pass = 1;
            for (int t = 0; t < c->m; ++t)
                all_pass &= mn_endpoint_passes(c->eps[t], y[(size_t)j * (size_t)c->m + (size_t)t]);
            passing += all_pass;
        }
        rep->sir_pass_fraction = (double)passing / n_out;
    }
    mn_posterior *np_post = NULL;
    rc = mn_posterior_create(np, all, n_out, out, lout, &np_post, err);
    if (rc)
        goto done;
    for (int i = 0; i < c->k; ++i)
        mn_posterior_set_diag(np_post, i, mn_posterior_diag_of(*post, i));
    mn_posterior_free(post);
    *post = np_post;
    json_object_set_new(info, "resampling",
                        json_pack("{s:s, s:i, s:i, s:i, s:f, s:f}", "rest", rest_name[opt->rest],
                                  "rest_params", rep->rest_params, "rest_checked",
                                  rep->rest_checked, "runs", rep->sir_runs, "ess", rep->sir_ess,
                                  "pass_fraction", rep->sir_pass_fraction));
done:
    free(all);
    free(full);
    free(y);
    free(logw);
    free(src);
    free(out);
    free(lout);
    return rc;
}

int mn_calibrate(const mn_study_set *set, const mn_params *p, const mn_calibrate_options *opt,
                 struct mn_posterior **out, mn_calibrate_report *report, mn_error *err)
{
    if (!out)
        return mn_error_set(err, MN_EINVAL, "mn_calibrate: NULL output");
    *out = NULL;
    if (!set || !p || !opt)
        return mn_error_set(err, MN_EINVAL, "mn_calibrate: invalid argument");
    if (opt->rest < MN_REST_TABLE || opt->rest > MN_REST_UNSEEN)
        return mn_error_set(err, MN_EINVAL, "calibrate: rest %d is not an mn_calibrate_rest",
                            opt->rest);
    gsl_set_error_handler_off(); /* GSL's default handler aborts: a library never does */
    cal c = {.set = set, .base = *p, .verbose = opt->verbose, .use_gp = 1};
    mn_calibrate_report rep = {0};
    const char **targets = NULL;
    double *y0 = NULL, *jac = NULL, *z = NULL, *y = NULL, *zd = NULL, *vals = NULL, *lps = NULL;
    mn_chain *chain = NULL;
    mn_posterior *post = NULL;
    json_t *info = json_object();
    mn_validation *v0 = NULL;
    int rc = MN_OK;
    c.info = calloc(mn_params_count(), sizeof *c.info);
    if (!info || !c.info) {
        rc = mn_error_set(err, MN_ENOMEM, "out of memory");
        goto done;
    }
    /* Targets: as named, or every calibrated endpoint. */
    int target_count = opt->target_count;
    if (!opt->targets) {
        rc = mn__calibrated_targets(set, &targets, &target_count, err);
        if (rc)
            goto done;
    }
    if (target_count < 1) {
        rc = mn_error_set(err, MN_EINVAL, "calibrate: no calibrated endpoints (role: calibrate)");
        goto done;
    }
    c.vopt = (mn_validate_options){.only = opt->targets ? opt->targets : targets,
                                   .only_count = target_count,
                                   .threads = opt->threads};
    rc = mn_validate(set, &c.base, &c.vopt, &v0, err);
    if (rc)
        goto done;
    c.m = mn_validation_count(v0);
    if (c.m < 1 || c.m > 256) {
        rc = mn_error_set(err, MN_EINVAL, "calibrate: %d targets (1 to 256 are supported)", c.m);
        goto done;
    }
    c.eps = calloc((size_t)c.m, sizeof *c.eps);
    c.scale = calloc((size_t)c.m, sizeof *c.scale);
    c.banded = calloc((size_t)c.m, 1);
    y0 = calloc((size_t)c.m, sizeof *y0);
    if (!c.eps || !c.scale || !c.banded || !y0) {
        rc = mn_error_set(err, MN_ENOMEM, "out of memory");
        goto done;
    }
    json_t *tj = json_array();
    for (int j = 0; j < c.m; ++j) {
        const mn_validation_row *row = mn_validation_row_at(v0, j);
        c.eps[j] = row->endpoint;
        y0[j] = row->simulated;
        const mn_endpoint *ep = row->endpoint;
        c.banded[j] = (unsigned char)ep->has_band;
        c.scale[j] = ep->has_band ? 0.5 * (ep->high - ep->low) : fmax(fabs(y0[j]), 1e-12);
        if (!(c.scale[j] > 0))
            c.scale[j] = fmax(fabs(ep->value) * 0.1, 1e-12);
        json_array_append_new(tj, json_string(ep->id));
    }
    json_object_set_new(info, "targets", tj);
    c.model_runs = 1;

    /* 1. Which parameters, and the Jacobian at the start. */
    rc = pick_params(&c, opt, y0, &jac, info, err);
    if (!rc && opt->rest == MN_REST_UNSEEN)
        rc = find_unseen(&c, y0, &rep, err);
    if (rc)
        goto done;
    if (c.k > 64) {
        rc = mn_error_set(err, MN_EINVAL, "calibrate: %d parameters (at most 64)", c.k);
        goto done;
    }
    c.terms = 1 + c.k + c.k * (c.k + 1) / 2;
    c.z0 = malloc((size_t)c.k * sizeof *c.z0);
    c.zc = malloc((size_t)c.k * sizeof *c.zc);
    c.coef = calloc((size_t)c.m * (size_t)c.terms, sizeof *c.coef);
    c.lchol = gsl_matrix_alloc((size_t)c.k, (size_t)c.k);
    c.linv = gsl_matrix_alloc((size_t)c.k, (size_t)c.k);
    if (!c.z0 || !c.zc || !c.coef || !c.lchol || !c.linv) {
        rc = mn_error_set(err, MN_ENOMEM, "out of memory");
        goto done;
    }
    for (int i = 0; i < c.k; ++i)
        c.z0[i] = mn__param_to_z(c.info[i], mn_params_value(&c.base, c.info[i]));
    if (c.verbose) {
        fprintf(stderr, "mnsim calibrate: %d targets, %d parameters:", c.m, c.k);
        for (int i = 0; i < c.k; ++i)
            fprintf(stderr, " %s", c.info[i]->name);
        fputc('\n', stderr);
    }
    rc = laplace(&c, jac, err);
    if (rc)
        goto done;

    /* 2. First design: Gaussian around z0 with the widened Laplace covariance. */
    const int n_design =
        opt->design_runs > 0 ? opt->design_runs : (int)ceil(design_per_term * c.terms);
    const int n_verify = opt->verify_runs > 0 ? opt->verify_runs : default_verify;
    const int stages = opt->stages > 0 ? opt->stages : default_stages;
    const size_t points = (size_t)stages * (size_t)n_design + (size_t)n_verify;
    z = malloc(points * (size_t)c.k * sizeof *z);
    y = malloc(points * (size_t)c.m * sizeof *y);
    if (!z || !y) {
        rc = mn_error_set(err, MN_ENOMEM, "out of memory for %d design runs", n_design);
        goto done;
    }
    for (int r = 0; r < n_design; ++r) {
        mn_rng g;
        mn_rng_init(&g, opt->seed, 0xD5u + (uint64_t)r);
        double xi[64];
        for (int i = 0; i < c.k; ++i)
            xi[i] = mn_rng_normal(&g);
        for (int i = 0; i < c.k; ++i) {
            double s = 0;
            for (int l = 0; l <= i; ++l)
                s += gsl_matrix_get(c.lchol, (size_t)i, (size_t)l) * xi[l];
            z[(size_t)r * (size_t)c.k + (size_t)i] =
                fmax(fmin(c.z0[i] + s, z_limit - 0.5), -(z_limit - 0.5));
        }
    }
    int nfit = 0, used = 0;
    rc = run_design(&c, z, y, n_design, &nfit, "stage 1", err);
    if (!rc)
        rc = fit_surrogate(&c, z, y, nfit, err);
    if (rc)
        goto done;
    used = n_design;
    rep.design_runs = nfit;

    /* 3. Each further stage: the previous surrogate's posterior drawn, the model run there
     * (which measures the previous surrogate's error on points it was not fitted to), and a
     * new surrogate fitted on those points alone, over the region they span. */
    const int walkers0 = 2 * c.k * 2 > min_walkers ? 4 * c.k : min_walkers;
    const int walkers = opt->walkers > 0 ? opt->walkers + opt->walkers % 2 : walkers0;
    const int steps = opt->steps > 0 ? opt->steps : default_steps;
    const int burn = opt->burn > 0 ? opt->burn : (opt->steps > 0 ? opt->steps / 4 : default_burn);
    const int thin = steps > default_records ? steps / default_records : 1;
    const int kept_burn = burn / thin; /* burn-in in recorded states */
    if (burn >= steps) {
        rc = mn_error_set(err, MN_EINVAL, "calibrate: burn-in %d must be below the steps %d", burn,
                          steps);
        goto done;
    }
    const double *zfit = z;
    for (int st = 1; st < stages; ++st) {
        rc = sample(&c, walkers, steps, thin, opt->seed + (unsigned long)st - 1, zfit, nfit, &chain,
                    err);
        if (rc)
            goto done;
        double *zs = z + (size_t)used * (size_t)c.k;
        double *ys = y + (size_t)used * (size_t)c.m;
        chain_draws(chain, kept_burn, c.k, n_design, zs);
        mn_chain_free(&chain);
        int ns = 0;
        char stage[32];
        snprintf(stage, sizeof stage, "stage %d", st + 1);
        rc = run_design(&c, zs, ys, n_design, &ns, stage, err);
        if (rc)
            goto done;
        surrogate_error(&c, zs, ys, ns, &rep.surrogate_previous_rms, &(double){0}, NULL);
        if (c.verbose)
            fprintf(stderr,
                    "mnsim calibrate: stage %d surrogate error on stage %d's runs: %.3f RMS "
                    "half-bands\n",
                    st, st + 1, rep.surrogate_previous_rms);
        rc = region_of_points(&c, zs, ns, err);
        if (!rc)
            rc = fit_surrogate(&c, zs, ys, ns, err);
        if (rc)
            goto done;
        zfit = zs, nfit = ns;
        used += n_design;
        rep.design_runs += ns;
    }

    /* 4. The posterior of the final surrogate, with its diagnostics. */
    rc = sample(&c, walkers, steps, thin, opt->seed + (unsigned long)stages, zfit, nfit, &chain,
                err);
    if (rc)
        goto done;
    const int ndraws = opt->draws > 0 ? opt->draws : default_draws;
    zd = malloc((size_t)ndraws * (size_t)c.k * sizeof *zd);
    vals = malloc((size_t)ndraws * (size_t)c.k * sizeof *vals);
    lps = malloc((size_t)ndraws * sizeof *lps);
    if (!zd || !vals || !lps) {
        rc = mn_error_set(err, MN_ENOMEM, "out of memory for %d draws", ndraws);
        goto done;
    }
    chain_draws(chain, kept_burn, c.k, ndraws, zd);
    for (int d = 0; d < ndraws; ++d) {
        for (int i = 0; i < c.k; ++i)
            vals[(size_t)d * (size_t)c.k + (size_t)i] =
                mn__param_from_z(c.info[i], zd[(size_t)d * (size_t)c.k + (size_t)i]);
        lps[d] = log_posterior(zd + (size_t)d * (size_t)c.k, &c);
    }
    rc = mn_posterior_create(c.k, c.info, ndraws, vals, lps, &post, err);
    if (rc)
        goto done;
    rep.acceptance = mn_chain_acceptance(chain);
    rc = diagnostics(&c, chain, kept_burn, post, &rep, err);
    if (rc)
        goto done;

    /* 5. Verification: the model at fresh posterior draws (spread over the stored ones). */
    double *zv = z + (size_t)used * (size_t)c.k;
    double *yv = y + (size_t)used * (size_t)c.m;
    for (int r = 0; r < n_verify; ++r)
        memcpy(zv + (size_t)r * (size_t)c.k,
               zd + (size_t)mn_posterior_pick(post, r, n_verify) * (size_t)c.k,
               (size_t)c.k * sizeof *zv);
    int nv = 0;
    rc = run_design(&c, zv, yv, n_verify, &nv, "verification", err);
    if (rc)
        goto done;
    double by_target[256];
    surrogate_error(&c, zv, yv, nv, &rep.surrogate_rms, &rep.surrogate_max, by_target);
    /* Each target's error at the verification draws: where the surrogate stands in badly. */
    json_t *bt = json_object();
    for (int j = 0; j < c.m; ++j) {
        json_object_set_new(bt, c.eps[j]->id, json_real(by_target[j]));
        if (c.verbose)
            fprintf(stderr, "mnsim calibrate: surrogate error %-32s %.3f RMS (%s)\n", c.eps[j]->id,
                    by_target[j], c.banded[j] ? "half-bands" : "of |value|");
    }
    int passing = 0;
    for (int r = 0; r < nv; ++r) {
        int all = 1;
        for (int j = 0; j < c.m; ++j)
            all &= mn_endpoint_passes(c.eps[j], yv[(size_t)r * (size_t)c.m + (size_t)j]);
        passing += all;
    }
    rep.verify_pass_fraction = nv ? (double)passing / nv : NAN;
    rep.params = c.k, rep.targets = c.m, rep.model_runs = c.model_runs;
    rep.failed_runs = c.failed_runs;

    /* 6. The rest of the table from its priors, and sampling-importance-resampling on the real
     * model (Rubin 1988, in Bayesian Statistics 3, p. 395): a draw θ = (θ_K from the surrogate
     * posterior, θ_rest from the prior) has weight L_true(θ) / L_surrogate(θ_K), the ratio of
     * the target p(θ | D) ∝ L_true(θ) p(θ) to the proposal. */
    rc = finish_with_rest(&c, opt, zd, lps, ndraws, &post, &rep, info, err);
    if (rc)
        goto done;
    rep.model_runs = c.model_runs, rep.failed_runs = c.failed_runs;

    json_object_set_new(info, "method",
                        json_string("affine-invariant ensemble (Goodman & Weare 2010) on a "
                                    "quadratic surrogate of the targets in logit coordinates; "
                                    "likelihood: published band = +-2 SD; priors: the literature "
                                    "ranges (docs/uncertainty.md)"));
    json_object_set_new(info, "seed", json_integer((json_int_t)opt->seed));
    json_object_set_new(info, "sampler",
                        json_pack("{s:i, s:i, s:i, s:f, s:f, s:f, s:f}", "walkers", walkers,
                                  "steps", steps, "burn", burn, "acceptance", rep.acceptance,
                                  "max_rhat", rep.max_rhat, "min_ess", rep.min_ess, "max_tau",
                                  rep.max_tau));
    json_object_set_new(json_object_get(info, "sampler"), "thin", json_integer(thin));
    json_object_set_new(info, "surrogate",
                        json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:f, s:f, s:f, s:f}", "terms",
                                  c.terms, "stages", stages, "design_runs", rep.design_runs,
                                  "failed_runs", c.failed_runs, "model_runs", c.model_runs,
                                  "verify_runs", nv, "previous_stage_error_rms_half_bands",
                                  rep.surrogate_previous_rms, "error_rms_half_bands",
                                  rep.surrogate_rms, "error_max_half_bands", rep.surrogate_max,
                                  "verify_pass_fraction", rep.verify_pass_fraction));
    json_t *sj = json_object_get(info, "surrogate");
    json_object_set_new(sj, "model",
                        json_string("quadratic in z plus a Gaussian process (squared exponential) "
                                    "on its residuals"));
    json_object_set_new(sj, "gp_length_factor", json_real(c.gp_factor));
    json_object_set_new(sj, "error_rms_by_target", bt);
    json_object_set_new(sj, "gp_nugget", json_real(c.gp_nugget));
    mn_posterior_set_info(post, info);
    info = NULL;
    *out = post;
    post = NULL;
    if (report)
        *report = rep;
done:
    json_decref(info);
    mn_posterior_free(&post);
    mn_chain_free(&chain);
    mn_validation_free(&v0);
    gsl_matrix_free(c.lchol);
    gsl_matrix_free(c.linv);
    free(c.info);
    free(c.cand);
    free(c.score);
    free(c.unseen);
    free(c.eps);
    free(c.scale);
    free(c.banded);
    free(c.z0);
    free(c.zc);
    free(c.coef);
    free(c.gp_z);
    free(c.gp_alpha);
    free(c.gp_ell);
    free(targets);
    free(y0);
    free(jac);
    free(z);
    free(y);
    free(zd);
    free(vals);
    free(lps);
    return rc;
}
