/* `mnsim sensitivity`: Morris elementary effects of the main outcomes over every parameter's
 * literature range (Morris MD. Technometrics 1991;33:161; μ* as in Campolongo F, Cariboni J,
 * Saltelli A. Environ Model Softw 2007;22:1509). r trajectories of k+1 runs each; a parameter's
 * range is sampled on p levels, log-spaced when it spans a decade or more. Draws come from the
 * counter-based mn_rng with one stream per trajectory, so results do not depend on threads. */
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/jobs.h"
#include "mnsim/rng.h"
#include "mnsim/posterior.h"
#include "study/study_impl.h"

struct mn_sensitivity {
    mn_sensitivity_row *rows;
    int count;
    double nominal[MN_SENS_OUTCOMES];
};

static const char *const outcome_names[MN_SENS_OUTCOMES] = {"wrinkle_grade_change", "collagen_gain",
                                                            "erythema_days"};
static const char *const outcome_units[MN_SENS_OUTCOMES] = {"Lemperle grade", "1", "days"};

const char *mn_sensitivity_outcome_name(int k)
{
    return (k >= 0 && k < MN_SENS_OUTCOMES) ? outcome_names[k] : "?";
}

int mn_study_outcomes(const mn_scenario *sc, const mn_params *p, double horizon_days,
                      double out[MN_SENS_OUTCOMES], mn_error *err)
{
    if (!sc || !p || !out)
        return mn_error_set(err, MN_EINVAL, "mn_study_outcomes: NULL argument");
    if (horizon_days > mn_scenario_end_hour(sc) / 24.0 + 1e-6)
        return mn_error_set(err, MN_EINVAL,
                            "outcome day %g lies after the end of follow-up (day %g)", horizon_days,
                            mn_scenario_end_hour(sc) / 24.0);
    mn_results *r = NULL;
    int rc = mn__study_simulate(sc, p, &horizon_days, 1, &r, err);
    if (rc)
        return rc;
    out[MN_SENS_GRADE_CHANGE] = mn_results_at_day(r, MN_OBS_WRINKLE_GRADE, horizon_days) -
                                mn_results_baseline(r, MN_OBS_WRINKLE_GRADE);
    out[MN_SENS_COLLAGEN_GAIN] = mn_results_at_day(r, MN_OBS_COLLAGEN_TOTAL_REL, horizon_days) -
                                 mn_results_baseline(r, MN_OBS_COLLAGEN_TOTAL_REL);
    /* Visible erythema after the first session: from the peak of its first week to the first
     * time Δa* is below the visibility threshold, interpolated between hourly samples. */
    int n = mn_results_count(r), peak = 0;
    for (int i = 0; i < n && mn_results_day(r, i) <= 7.0; ++i)
        if (mn_results_value(r, MN_OBS_ERYTHEMA, i) > mn_results_value(r, MN_OBS_ERYTHEMA, peak))
            peak = i;
    double days = 0.0;
    if (mn_results_value(r, MN_OBS_ERYTHEMA, peak) > MN_ERYTHEMA_VISIBLE) {
        days = mn_results_day(r, n - 1);
        for (int i = peak + 1; i < n; ++i) {
            double e1 = mn_results_value(r, MN_OBS_ERYTHEMA, i);
            if (e1 <= MN_ERYTHEMA_VISIBLE) {
                double e0 = mn_results_value(r, MN_OBS_ERYTHEMA, i - 1);
                double d0 = mn_results_day(r, i - 1), d1 = mn_results_day(r, i);
                days = d0 + (e0 - MN_ERYTHEMA_VISIBLE) / (e0 - e1) * (d1 - d0);
                break;
            }
        }
    }
    out[MN_SENS_ERYTHEMA_DAYS] = days;
    mn_results_free(&r);
    return MN_OK;
}

void mn_sensitivity_free(mn_sensitivity **s)
{
    if (!s || !*s)
        return;
    free((*s)->rows);
    free(*s);
    *s = NULL;
}

/* One Morris trajectory (mn_jobs_run): its elementary effects into ee[t]. */
struct trajectories {
    const mn_scenario *sc;
    const mn_params *p;
    const mn_sensitivity_options *opt;
    const mn_param_info **info;
    double **marginal; /* [k]: sorted posterior draws of factor i, or NULL (literature range) */
    int ndraws;
    int k, r, levels;
    double delta;
    double *ee;
};

/* Quantile q of the sorted draws (linear between order statistics). */
static double quantile_of(const double *x, int n, double q)
{
    const double h = (n - 1) * q;
    const int i = (int)floor(h);
    return i >= n - 1 ? x[n - 1] : x[i] + (h - i) * (x[i + 1] - x[i]);
}

/* Morris level x in [0, 1] → the factor's value: its literature range (linear or log), or the
 * posterior's 5th to 95th percentile. */
static const double posterior_q_lo = 0.05, posterior_q_hi = 0.95;
static double factor_value(const struct trajectories *c, int i, double x)
{
    if (c->marginal && c->marginal[i])
        return quantile_of(c->marginal[i], c->ndraws,
                           posterior_q_lo + x * (posterior_q_hi - posterior_q_lo));
    return mn__param_from_u(c->info[i], x);
}

static int trajectory(void *user, long tl, mn_error *err)
{
    const struct trajectories *c = user;
    const int t = (int)tl, k = c->k, levels = c->levels;
    const double delta = c->delta;
    const mn_sensitivity_options *opt = c->opt;
    mn_rng rng;
    mn_rng_init(&rng, opt->seed, 0x6d6f72726973ULL + (uint64_t)t); /* "morris" + t */
    double *x = malloc((size_t)k * sizeof *x);
    int *order = malloc((size_t)k * sizeof *order);
    if (!x || !order) {
        free(x), free(order);
        return mn_error_set(err, MN_ENOMEM, "trajectory %d: out of memory", t + 1);
    }
    for (int i = 0; i < k; ++i) {
        x[i] = (double)(mn_rng_u64(&rng) % (uint64_t)levels) / (levels - 1);
        order[i] = i;
    }
    for (int i = k - 1; i > 0; --i) { /* Fisher-Yates: random order of the factors */
        int j = (int)(mn_rng_u64(&rng) % (uint64_t)(i + 1));
        int tmp = order[i];
        order[i] = order[j], order[j] = tmp;
    }
    mn_params q = *c->p;
    for (int i = 0; i < k; ++i)
        *mn_params_ref(&q, c->info[i]) = factor_value(c, i, x[i]);
    double y0[MN_SENS_OUTCOMES], y1[MN_SENS_OUTCOMES];
    mn_error e;
    mn_error_clear(&e);
    int trc = mn_study_outcomes(c->sc, &q, opt->horizon_days, y0, &e);
    for (int step = 0; !trc && step < k; ++step) {
        int i = order[step];
        double dx = x[i] + delta <= 1.0 + 1e-12 ? delta : -delta;
        x[i] += dx;
        *mn_params_ref(&q, c->info[i]) = factor_value(c, i, x[i]);
        trc = mn_study_outcomes(c->sc, &q, opt->horizon_days, y1, &e);
        for (int o = 0; !trc && o < MN_SENS_OUTCOMES; ++o) {
            c->ee[((size_t)t * k + i) * MN_SENS_OUTCOMES + o] = (y1[o] - y0[o]) / dx;
            y0[o] = y1[o];
        }
    }
    if (opt->verbose)
        fprintf(stderr, "mnsim sensitivity: trajectory %d of %d done\n", t + 1, c->r);
    free(x);
    free(order);
    return trc ? mn_error_set(err, trc, "trajectory %d: %s", t + 1, e.message) : MN_OK;
}

int mn_sensitivity_run(const mn_scenario *sc, const mn_params *p, const mn_sensitivity_options *opt,
                       mn_sensitivity **out, mn_error *err)
{
    if (!sc || !p || !opt || !out)
        return mn_error_set(err, MN_EINVAL, "mn_sensitivity_run: NULL argument");
    *out = NULL;
    const int r = opt->trajectories, levels = opt->levels;
    if (r < 2 || levels < 2 || levels % 2)
        return mn_error_set(err, MN_EINVAL,
                            "Morris needs at least 2 trajectories and an even number of levels "
                            "(got %d, %d)",
                            r, levels);
    int k = opt->params ? opt->param_count : (int)mn_params_count();
    const mn_param_info **info = calloc((size_t)(k ? k : 1), sizeof *info);
    mn_sensitivity *s = calloc(1, sizeof *s);
    if (s)
        s->rows = calloc((size_t)(k ? k : 1), sizeof *s->rows);
    if (!info || !s || !s->rows) {
        free(info);
        mn_sensitivity_free(&s);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    int used = 0;
    for (int i = 0; i < k; ++i) {
        const mn_param_info *pi =
            opt->params ? mn_params_find(opt->params[i]) : mn_params_info((size_t)i);
        if (!pi) {
            free(info);
            mn_sensitivity_free(&s);
            return mn_error_set(err, MN_EINVAL, "%s: unknown parameter", opt->params[i]);
        }
        if (pi->high > pi->low) /* a parameter without a range cannot be explored */
            info[used++] = pi;
    }
    k = used;
    s->count = k;
    int rc = mn_study_outcomes(sc, p, opt->horizon_days, s->nominal, err);
    if (rc) {
        free(info);
        mn_sensitivity_free(&s);
        return rc;
    }
    const double delta = levels / (2.0 * (levels - 1));
    /* ee[t][i][o]: elementary effect of factor i on outcome o in trajectory t. */
    double *ee = calloc((size_t)r * (size_t)k * MN_SENS_OUTCOMES, sizeof *ee);
    if (!ee) {
        free(info);
        mn_sensitivity_free(&s);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    struct trajectories ctx = {.sc = sc,
                               .p = p,
                               .opt = opt,
                               .info = info,
                               .k = k,
                               .r = r,
                               .levels = levels,
                               .delta = delta,
                               .ee = ee};
    const mn_posterior *post = opt->posterior;
    if (post) {
        ctx.ndraws = mn_posterior_draw_count(post);
        ctx.marginal = calloc((size_t)(k ? k : 1), sizeof *ctx.marginal);
        rc = ctx.marginal ? MN_OK : mn_error_set(err, MN_ENOMEM, "out of memory");
        for (int i = 0; !rc && i < k; ++i)
            for (int j = 0; j < mn_posterior_param_count(post); ++j) {
                if (mn_posterior_param(post, j) != info[i])
                    continue;
                ctx.marginal[i] = malloc((size_t)ctx.ndraws * sizeof **ctx.marginal);
                if (!ctx.marginal[i]) {
                    rc = mn_error_set(err, MN_ENOMEM, "out of memory");
                    break;
                }
                for (int d = 0; d < ctx.ndraws; ++d)
                    ctx.marginal[i][d] = mn_posterior_value(post, d, j);
                gsl_sort(ctx.marginal[i], 1, (size_t)ctx.ndraws);
            }
    }
    if (!rc)
        rc = mn_jobs_run(r, opt->threads, 1, trajectory, &ctx, err);
    for (int i = 0; !rc && i < k; ++i) {
        mn_sensitivity_row *row = &s->rows[i];
        row->param = info[i];
        row->from_posterior = ctx.marginal && ctx.marginal[i];
        row->low = row->from_posterior ? factor_value(&ctx, i, 0.0) : info[i]->low;
        row->high = row->from_posterior ? factor_value(&ctx, i, 1.0) : info[i]->high;
        for (int o = 0; o < MN_SENS_OUTCOMES; ++o) {
            double sum = 0, sum_abs = 0, sq = 0;
            for (int t = 0; t < r; ++t) {
                double e = ee[((size_t)t * k + i) * MN_SENS_OUTCOMES + o];
                sum += e, sum_abs += fabs(e);
            }
            row->mu[o] = sum / r;
            row->mu_star[o] = sum_abs / r;
            for (int t = 0; t < r; ++t) {
                double d = ee[((size_t)t * k + i) * MN_SENS_OUTCOMES + o] - row->mu[o];
                sq += d * d;
            }
            row->sigma[o] = sqrt(sq / (r - 1));
        }
    }
    for (int i = 0; ctx.marginal && i < k; ++i)
        free(ctx.marginal[i]);
    free(ctx.marginal);
    free(ee), free(info);
    if (rc) {
        mn_sensitivity_free(&s);
        return rc;
    }
    *out = s;
    return MN_OK;
}

int mn_sensitivity_count(const mn_sensitivity *s)
{
    return s ? s->count : 0;
}

const mn_sensitivity_row *mn_sensitivity_row_at(const mn_sensitivity *s, int i)
{
    return (s && i >= 0 && i < s->count) ? &s->rows[i] : NULL;
}

void mn_sensitivity_nominal(const mn_sensitivity *s, double out[MN_SENS_OUTCOMES])
{
    for (int o = 0; o < MN_SENS_OUTCOMES; ++o)
        out[o] = s ? s->nominal[o] : NAN;
}

/* qsort has no context argument: one comparator per outcome (no shared state). */
static int by_mu_star(const mn_sensitivity_row *x, const mn_sensitivity_row *y, int o)
{
    if (x->mu_star[o] != y->mu_star[o])
        return x->mu_star[o] < y->mu_star[o] ? 1 : -1;
    return strcmp(x->param->name, y->param->name); /* ties: by name, for stable output */
}
#define MN__BY(o)                                                                                  \
    static int by_mu_star_##o(const void *a, const void *b)                                        \
    {                                                                                              \
        return by_mu_star(*(const mn_sensitivity_row *const *)a,                                   \
                          *(const mn_sensitivity_row *const *)b, o);                               \
    }
MN__BY(0)
MN__BY(1)
MN__BY(2)
#undef MN__BY

static const mn_sensitivity_row **ranked(const mn_sensitivity *s, int outcome)
{
    const mn_sensitivity_row **order = malloc((size_t)(s->count ? s->count : 1) * sizeof *order);
    if (!order)
        return NULL;
    for (int i = 0; i < s->count; ++i)
        order[i] = &s->rows[i];
    static int (*const cmp[MN_SENS_OUTCOMES])(const void *, const void *) = {
        by_mu_star_0, by_mu_star_1, by_mu_star_2};
    qsort(order, (size_t)s->count, sizeof *order, cmp[outcome]);
    return order;
}

void mn_sensitivity_print(const mn_sensitivity *s, int outcome, int top, FILE *out)
{
    const mn_sensitivity_row **order = ranked(s, outcome);
    if (!order)
        return;
    fprintf(out,
            "%s (%s; nominal %.4g): Morris mu* = mean |effect of the parameter's whole range|\n",
            outcome_names[outcome], outcome_units[outcome], s->nominal[outcome]);
    fprintf(out, "%4s  %-28s %12s %12s %12s\n", "rank", "parameter", "mu*", "mu", "sigma");
    for (int i = 0; i < s->count && i < top; ++i)
        fprintf(out, "%4d  %-28s %12.4g %12.4g %12.4g\n", i + 1, order[i]->param->name,
                order[i]->mu_star[outcome], order[i]->mu[outcome], order[i]->sigma[outcome]);
    fputc('\n', out);
    free(order);
}

int mn_sensitivity_write_csv(const mn_sensitivity *s, FILE *out)
{
    fprintf(out, "parameter,unit,low,high,range");
    for (int o = 0; o < MN_SENS_OUTCOMES; ++o)
        fprintf(out, ",%s_mu_star,%s_mu,%s_sigma", outcome_names[o], outcome_names[o],
                outcome_names[o]);
    fputc('\n', out);
    for (int i = 0; i < s->count; ++i) {
        const mn_sensitivity_row *r = &s->rows[i];
        fprintf(out, "%s,%s,%.6g,%.6g,%s", r->param->name, r->param->unit, r->low, r->high,
                r->from_posterior ? "posterior 5-95%" : "literature");
        for (int o = 0; o < MN_SENS_OUTCOMES; ++o)
            fprintf(out, ",%.6g,%.6g,%.6g", r->mu_star[o], r->mu[o], r->sigma[o]);
        fputc('\n', out);
    }
    return ferror(out) ? MN_EIO : MN_OK;
}

int mn_sensitivity_write_svg(const mn_sensitivity *s, int top, FILE *out)
{
    enum { PW = 330, LABEL = 150, BAR_H = 16, TOP = 46 };
    int n = s->count < top ? s->count : top;
    int height = TOP + n * BAR_H + 30;
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "font-family=\"sans-serif\" font-size=\"10\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            MN_SENS_OUTCOMES * PW, height);
    for (int o = 0; o < MN_SENS_OUTCOMES; ++o) {
        const mn_sensitivity_row **order = ranked(s, o);
        if (!order)
            return MN_ENOMEM;
        int ox = o * PW;
        double max = n > 0 ? order[0]->mu_star[o] : 0;
        if (!(max > 0))
            max = 1;
        double width = PW - LABEL - 50;
        fprintf(out,
                "<text x=\"%d\" y=\"16\" font-weight=\"bold\" font-size=\"12\">%s</text>\n"
                "<text x=\"%d\" y=\"32\" fill=\"#555\">Morris mu* (%s per range); nominal "
                "%.3g</text>\n",
                ox + 8, outcome_names[o], ox + 8, outcome_units[o], s->nominal[o]);
        for (int i = 0; i < n; ++i) {
            const mn_sensitivity_row *r = order[i];
            double y = TOP + i * BAR_H;
            double w = r->mu_star[o] / max * width;
            /* Colour by the sign of the mean effect: blue lowers the outcome, red raises it. */
            const char *colour = r->mu[o] < 0 ? "#4575b4" : "#d73027";
            fprintf(out,
                    "<text x=\"%d\" y=\"%.0f\" text-anchor=\"end\">%s</text>\n"
                    "<rect x=\"%d\" y=\"%.0f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n"
                    "<text x=\"%.1f\" y=\"%.0f\">%.3g</text>\n",
                    ox + LABEL - 4, y + 11, r->param->name, ox + LABEL, y + 2, w, BAR_H - 4, colour,
                    ox + LABEL + w + 3, y + 11, r->mu_star[o]);
        }
        free(order);
    }
    fprintf(out,
            "<text x=\"8\" y=\"%d\" fill=\"#555\">bars: mean |elementary effect|; red: raising "
            "the parameter raises the outcome on average, blue: lowers it</text>\n</svg>\n",
            height - 8);
    return ferror(out) ? MN_EIO : MN_OK;
}
