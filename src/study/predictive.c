/* Predictive intervals of the study rows from the posterior, and leave-one-study-out
 * intervals by importance re-weighting (docs/uncertainty.md).
 *
 * Interval: the central `level` of a row's simulated values over posterior draws (parameter
 * uncertainty; the published value's own uncertainty is its band). Covered: the interval
 * overlaps the published band (or holds the published value; for a direction-only row, a value
 * of the right sign).
 * Leave-one-study-out: the posterior without study S is p(θ | D) / p(D_S | θ) up to a
 * constant, so each draw is re-weighted by 1 / L_S(θ_d), L_S the likelihood of S's calibrated
 * rows (Gelfand, Dey & Chang 1992, in Bayesian Statistics 4, p. 147; Vehtari, Gelman & Gabry
 * 2017, Stat Comput 27:1413, whose Pareto smoothing is not applied here: the weights'
 * effective sample size is reported instead, and a small one flags an unreliable interval). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/posterior.h"
#include "study/study_impl.h"

static int covers(const mn_endpoint *ep, double lo, double hi)
{
    if (!isfinite(lo) || !isfinite(hi))
        return 0;
    if (ep->has_band)
        return hi >= ep->low && lo <= ep->high;
    if (ep->has_value)
        return lo <= ep->value && ep->value <= hi;
    return ep->direction > 0 ? hi > 0 : lo < 0;
}

typedef struct wv {
    double v, w;
} wv;

static int cmp_wv(const void *a, const void *b)
{
    const double x = ((const wv *)a)->v, y = ((const wv *)b)->v;
    return (x > y) - (x < y);
}

/* Weighted quantiles q and 1 − q (the value where the cumulative weight first reaches q of the
 * total); NaN when a value is NaN. Unit weights give the empirical quantiles. */
static void weighted_interval(wv *x, int n, double q, double *lo, double *hi)
{
    double total = 0;
    for (int i = 0; i < n; ++i) {
        if (isnan(x[i].v)) {
            *lo = *hi = NAN;
            return;
        }
        total += x[i].w;
    }
    qsort(x, (size_t)n, sizeof *x, cmp_wv);
    double acc = 0;
    *lo = x[0].v, *hi = x[n - 1].v;
    int have_lo = 0;
    for (int i = 0; i < n; ++i) {
        acc += x[i].w;
        if (!have_lo && acc >= q * total) {
            *lo = x[i].v;
            have_lo = 1;
        }
        if (acc >= (1.0 - q) * total) {
            *hi = x[i].v;
            break;
        }
    }
}

int mn_validation_predict(mn_validation *v, const mn_study_set *set, const mn_params *p,
                          const mn_validate_options *vopt, const mn_predictive_options *opt,
                          mn_error *err)
{
    if (!v || !set || !p || !opt || !opt->post)
        return mn_error_set(err, MN_EINVAL, "mn_validation_predict: invalid argument");
    const int n = opt->draws, m = v->count;
    const double level = opt->level > 0 ? opt->level : 0.9;
    if (n < 2)
        return mn_error_set(err, MN_EINVAL, "--draws %d: at least 2", n);
    if (!(level > 0 && level < 1))
        return mn_error_set(err, MN_EINVAL, "level %g: must lie in (0, 1)", level);
    double *sim = malloc((size_t)n * (size_t)(m ? m : 1) * sizeof *sim);
    wv *x = malloc((size_t)n * sizeof *x);
    double *logw = malloc((size_t)n * sizeof *logw);
    int rc = MN_OK;
    if (!sim || !x || !logw) {
        rc = mn_error_set(err, MN_ENOMEM, "out of memory for %d draws", n);
        goto done;
    }
    for (int d = 0; d < n; ++d) {
        mn_params q = *p;
        rc = mn_posterior_apply(opt->post, mn_posterior_pick(opt->post, d, n), &q, err);
        mn_validation *vd = NULL;
        if (!rc)
            rc = mn_validate(set, &q, vopt, &vd, err);
        if (rc)
            goto done;
        if (mn_validation_count(vd) != m) {
            mn_validation_free(&vd);
            rc = mn_error_set(err, MN_EINVAL, "mn_validation_predict: rows differ from v's");
            goto done;
        }
        for (int j = 0; j < m; ++j) {
            const mn_validation_row *r = mn_validation_row_at(vd, j);
            if (r->endpoint != v->rows[j].endpoint) {
                mn_validation_free(&vd);
                rc = mn_error_set(err, MN_EINVAL, "mn_validation_predict: rows differ from v's");
                goto done;
            }
            sim[(size_t)d * (size_t)m + (size_t)j] = r->simulated;
        }
        mn_validation_free(&vd);
        if (opt->verbose && ((d + 1) % 10 == 0 || d + 1 == n))
            fprintf(stderr, "mnsim validate: posterior draw %d of %d\n", d + 1, n);
    }
    const double q = 0.5 * (1.0 - level);
    for (int j = 0; j < m; ++j) {
        mn_validation_row *row = &v->rows[j];
        for (int d = 0; d < n; ++d)
            x[d] = (wv){sim[(size_t)d * (size_t)m + (size_t)j], 1.0};
        weighted_interval(x, n, q, &row->lo, &row->hi);
        row->has_interval = 1;
        row->covers = covers(row->endpoint, row->lo, row->hi);
        if (!opt->cross)
            continue;
        /* log w_d = −log L_S(θ_d) = 2 Σ r² over the calibrated rows of the row's study. */
        double maxw = -INFINITY;
        for (int d = 0; d < n; ++d) {
            double s = 0;
            for (int k = 0; k < m; ++k)
                if (v->rows[k].study == row->study &&
                    v->rows[k].endpoint->role == MN_ROLE_CALIBRATE) {
                    const double r = mn_endpoint_residual(v->rows[k].endpoint,
                                                          sim[(size_t)d * (size_t)m + (size_t)k]);
                    s += r * r;
                }
            logw[d] = 2.0 * s;
            maxw = fmax(maxw, logw[d]);
        }
        double sw = 0, sw2 = 0;
        for (int d = 0; d < n; ++d) {
            const double w = exp(logw[d] - maxw);
            x[d] = (wv){sim[(size_t)d * (size_t)m + (size_t)j], w};
            sw += w;
            sw2 += w * w;
        }
        weighted_interval(x, n, q, &row->cross_lo, &row->cross_hi);
        row->has_cross = 1;
        row->cross_covers = covers(row->endpoint, row->cross_lo, row->cross_hi);
        row->cross_ess = sw * sw / sw2;
    }
    v->level = level;
    v->draws = n;
done:
    free(sim);
    free(x);
    free(logw);
    return rc;
}

double mn_validation_level(const mn_validation *v)
{
    return v ? v->level : 0;
}
int mn_validation_draws(const mn_validation *v)
{
    return v ? v->draws : 0;
}

mn_coverage mn_validation_coverage(const mn_validation *v, int role, int cross)
{
    mn_coverage c = {0, 0, 0, NAN, INFINITY};
    double width = 0;
    for (int i = 0; v && i < v->count; ++i) {
        const mn_validation_row *r = &v->rows[i];
        if ((role >= 0 && (int)r->endpoint->role != role) ||
            !(cross ? r->has_cross : r->has_interval))
            continue;
        c.rows++;
        c.covered += cross ? r->cross_covers : r->covers;
        if (cross)
            c.min_ess = fmin(c.min_ess, r->cross_ess);
        const mn_endpoint *ep = r->endpoint;
        const double lo = cross ? r->cross_lo : r->lo, hi = cross ? r->cross_hi : r->hi;
        if (ep->has_band && ep->high > ep->low && isfinite(hi - lo)) {
            width += (hi - lo) / (ep->high - ep->low);
            c.banded++;
        }
    }
    if (c.banded)
        c.mean_width = width / c.banded;
    return c;
}
