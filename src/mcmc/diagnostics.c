/* Convergence diagnostics of MCMC output: split R-hat (Gelman et al. 2013, BDA3 §11.4), the
 * integrated autocorrelation time with Sokal's automatic window (Sokal 1997; as emcee's
 * `integrated_time`, Foreman-Mackey et al. 2013) and the effective sample size. */
#include <math.h>
#include <stdlib.h>

#include "mnsim/mcmc.h"

/* Sokal's window constant: sum the autocorrelation up to the smallest M ≥ c τ(M). */
static const double sokal_c = 5.0;
/* emcee's rule: τ estimated from fewer than 50 τ draws is not reliable. */
static const double reliable_lengths = 50.0;

double mn_mcmc_split_rhat(const double *x, int m, int n)
{
    if (!x || m < 1 || n < 4)
        return NAN;
    const int len = n / 2, chains = 2 * m;
    double mean_of_means = 0, w = 0;
    double *means = malloc((size_t)chains * sizeof *means);
    if (!means)
        return NAN;
    for (int c = 0; c < chains; ++c) {
        /* Half-chain c: the first or the last `len` draws of chain c / 2 (the middle one of an
         * odd n is dropped). */
        const double *h = x + (size_t)(c / 2) * (size_t)n + (c % 2 ? (size_t)(n - len) : 0);
        double mu = 0;
        for (int t = 0; t < len; ++t)
            mu += h[t];
        mu /= len;
        double s2 = 0;
        for (int t = 0; t < len; ++t)
            s2 += (h[t] - mu) * (h[t] - mu);
        means[c] = mu;
        mean_of_means += mu;
        w += s2 / (len - 1);
    }
    mean_of_means /= chains;
    w /= chains;
    double b = 0;
    for (int c = 0; c < chains; ++c)
        b += (means[c] - mean_of_means) * (means[c] - mean_of_means);
    b *= (double)len / (chains - 1);
    free(means);
    if (!(w > 0))
        return NAN;
    /* V̂ = (len − 1)/len W + B/len (BDA3 eq. 11.3). */
    const double v = (len - 1.0) / len * w + b / len;
    return sqrt(v / w);
}

double mn_mcmc_autocorr_time(const double *x, int m, int n, int *reliable)
{
    if (reliable)
        *reliable = 0;
    if (!x || m < 1 || n < 2)
        return NAN;
    double *mu = malloc((size_t)m * sizeof *mu), *var = malloc((size_t)m * sizeof *var);
    if (!mu || !var) {
        free(mu);
        free(var);
        return NAN;
    }
    int usable = 0;
    for (int c = 0; c < m; ++c) {
        const double *h = x + (size_t)c * (size_t)n;
        double s = 0;
        for (int t = 0; t < n; ++t)
            s += h[t];
        mu[c] = s / n;
        double v = 0;
        for (int t = 0; t < n; ++t)
            v += (h[t] - mu[c]) * (h[t] - mu[c]);
        var[c] = v;
        usable += v > 0;
    }
    double tau = NAN;
    if (usable > 0) {
        /* τ(M) = 1 + 2 Σ_{t=1..M} ρ(t), ρ the chains' mean normalised autocorrelation. */
        double sum = 1.0;
        int lag = 1;
        for (; lag < n; ++lag) {
            double rho = 0;
            for (int c = 0; c < m; ++c) {
                if (!(var[c] > 0))
                    continue;
                const double *h = x + (size_t)c * (size_t)n;
                double acc = 0;
                for (int t = 0; t + lag < n; ++t)
                    acc += (h[t] - mu[c]) * (h[t + lag] - mu[c]);
                rho += acc / var[c];
            }
            sum += 2.0 * rho / usable;
            if (lag >= sokal_c * sum)
                break;
        }
        tau = fmax(sum, 1.0 / n); /* τ below 1/n would claim more than every draw independent */
        if (reliable)
            *reliable = lag < n && n > reliable_lengths * tau;
    }
    free(mu);
    free(var);
    return tau;
}

double mn_mcmc_ess(const double *x, int m, int n)
{
    const double tau = mn_mcmc_autocorr_time(x, m, n, NULL);
    return isfinite(tau) && tau > 0 ? (double)m * n / tau : NAN;
}
