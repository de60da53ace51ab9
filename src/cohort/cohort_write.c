/* Cohort outputs: per-patient CSV (gzip), summary.json, subgroups.csv, fan_chart.svg and
 * cohort.html (docs/cohort.md). Every statistic is computed over the patients in index order,
 * so the bytes do not depend on how the patients were split over threads and processes. */
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "cohort/cohort_impl.h"
#include "mnsim/posterior.h"
#include "mnsim/io.h"
#include "mnsim/results.h"

static const double *row_of(const mn_cohort *c, long i)
{
    return c->records + (size_t)i * (size_t)c->record_len;
}

static double series(const mn_cohort *c, long i, int day, int obs)
{
    return row_of(c, i)[MN__R_BASELINE + MN_OBS_COUNT * (1 + day) + obs];
}

/* Quantiles of n values (NaNs dropped; sorted in place). NaN when none. */
static void quantiles(double *v, long n, double *q5, double *q50, double *q95)
{
    long m = 0;
    for (long i = 0; i < n; ++i)
        if (isfinite(v[i]))
            v[m++] = v[i];
    if (m == 0) {
        *q5 = *q50 = *q95 = NAN;
        return;
    }
    gsl_sort(v, 1, (size_t)m);
    *q5 = gsl_stats_quantile_from_sorted_data(v, 1, (size_t)m, 0.05);
    *q50 = gsl_stats_quantile_from_sorted_data(v, 1, (size_t)m, 0.50);
    *q95 = gsl_stats_quantile_from_sorted_data(v, 1, (size_t)m, 0.95);
}

/* Statistics of one subgroup. */
typedef struct group_stats {
    long n;
    double responders;   /* fraction */
    double improvement;  /* median grade improvement */
    double downtime_med; /* days */
    double downtime_p95;
    double pih; /* mean PIH probability: expected incidence */
} group_stats;

static void group(const mn_cohort *c, int kind, int value, double *buf, group_stats *g)
{
    memset(g, 0, sizeof *g);
    double resp = 0, pih = 0, q5, q95;
    long n = 0;
    for (long i = 0; i < c->size; ++i) {
        const double *r = row_of(c, i);
        int v = kind == 0 ? 0 : kind == 1 ? (int)r[MN__R_SKIN] : mn__age_band(r[MN__R_AGE]);
        if (v != value)
            continue;
        resp += r[MN__R_RESPONDER];
        pih += r[MN__R_PIH];
        buf[n++] = r[MN__R_IMPROVEMENT];
    }
    g->n = n;
    if (n == 0)
        return;
    g->responders = resp / (double)n;
    g->pih = pih / (double)n;
    quantiles(buf, n, &q5, &g->improvement, &q95);
    n = 0;
    for (long i = 0; i < c->size; ++i) {
        const double *r = row_of(c, i);
        int v = kind == 0 ? 0 : kind == 1 ? (int)r[MN__R_SKIN] : mn__age_band(r[MN__R_AGE]);
        if (v == value)
            buf[n++] = r[MN__R_DOWNTIME];
    }
    quantiles(buf, n, &q5, &g->downtime_med, &g->downtime_p95);
}

static json_t *group_json(const char *name, const group_stats *g)
{
    return json_pack("{s:s, s:I, s:f, s:f, s:f, s:f, s:f}", "group", name, "patients",
                     (json_int_t)g->n, "responder_fraction", g->responders,
                     "median_grade_improvement", g->improvement, "median_downtime_days",
                     g->downtime_med, "p95_downtime_days", g->downtime_p95, "pih_incidence",
                     g->pih);
}

/* The subgroups: overall, skin types I..VI, age bands. */
typedef struct subgroup {
    char name[32];
    char kind[16];
    group_stats s;
} subgroup;

static int subgroups(const mn_cohort *c, subgroup *out, double *buf)
{
    int n = 0;
    snprintf(out[n].kind, sizeof out[n].kind, "all");
    snprintf(out[n].name, sizeof out[n].name, "all");
    group(c, 0, 0, buf, &out[n++].s);
    for (int t = 1; t <= 6; ++t) {
        snprintf(out[n].kind, sizeof out[n].kind, "skin_type");
        snprintf(out[n].name, sizeof out[n].name, "%s", mn_skin_type_name(t));
        group(c, 1, t, buf, &out[n].s);
        if (out[n].s.n > 0)
            ++n;
    }
    for (int b = 0; b < MN__AGE_BANDS; ++b) {
        snprintf(out[n].kind, sizeof out[n].kind, "age_band");
        snprintf(out[n].name, sizeof out[n].name, "%s", mn__age_band_name(b));
        group(c, 2, b, buf, &out[n].s);
        if (out[n].s.n > 0)
            ++n;
    }
    return n;
}

/* gzip stream into an atomic file (zlib deflate with a gzip wrapper: no file name, mtime 0,
 * so equal content gives equal bytes). */
static int write_gz(const char *path, const char *text, size_t len, mn_error *err)
{
    mn_atomic_file *af = NULL;
    int rc = mn_atomic_open(path, &af, err);
    if (rc)
        return rc;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        mn_atomic_abort(&af);
        return mn_error_set(err, MN_ENOMEM, "%s: cannot start zlib", path);
    }
    unsigned char out[1 << 16];
    z.next_in = (unsigned char *)(uintptr_t)text;
    z.avail_in = (uInt)len;
    int zr;
    do {
        z.next_out = out;
        z.avail_out = sizeof out;
        zr = deflate(&z, Z_FINISH);
        size_t have = sizeof out - z.avail_out;
        if (have && fwrite(out, 1, have, mn_atomic_stream(af)) != have)
            zr = Z_ERRNO;
    } while (zr == Z_OK);
    deflateEnd(&z);
    if (zr != Z_STREAM_END) {
        mn_atomic_abort(&af);
        return mn_error_set(err, MN_EIO, "%s: compression or write error", path);
    }
    return mn_atomic_commit(&af, err);
}

/* A growable text buffer. */
typedef struct sbuf {
    char *s;
    size_t n, cap;
    int oom;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#include <stdarg.h>
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int w = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (w < 0) {
            b->oom = 1;
            return;
        }
        if (b->s && b->n + (size_t)w < b->cap) {
            b->n += (size_t)w;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 1 << 16;
        while (cap < b->n + (size_t)w + 1)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = 1;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
}

static int write_patients(const mn_cohort *c, mn_error *err)
{
    sbuf b = {0};
    sb_printf(&b, "patient,age_years,sex,skin_type,photoaging,site,smoker,grade_baseline,"
                  "grade_final,grade_improvement,responder,downtime_days,pih_risk");
    for (int k = 0; k < MN_OBS_COUNT; ++k)
        sb_printf(&b, ",%s_baseline,%s_final", mn_observable_name((mn_observable)k),
                  mn_observable_name((mn_observable)k));
    sb_printf(&b, "\n");
    for (long i = 0; i < c->size; ++i) {
        const double *r = row_of(c, i);
        sb_printf(&b, "%ld,%.10g,%s,%s,%d,%s,%s,%.10g,%.10g,%.10g,%d,%.10g,%.10g", i, r[MN__R_AGE],
                  r[MN__R_SEX] != 0 ? "male" : "female", mn_skin_type_name((int)r[MN__R_SKIN]),
                  (int)r[MN__R_PHOTOAGING], mn_site_name((mn_site)(int)r[MN__R_SITE]),
                  r[MN__R_SMOKER] != 0 ? "true" : "false", r[MN__R_GRADE0], r[MN__R_GRADE_FINAL],
                  r[MN__R_IMPROVEMENT], (int)r[MN__R_RESPONDER], r[MN__R_DOWNTIME], r[MN__R_PIH]);
        for (int k = 0; k < MN_OBS_COUNT; ++k) {
            double v0 = r[MN__R_BASELINE + k], v1 = series(c, i, c->ndays - 1, k);
            if (isfinite(v0))
                sb_printf(&b, ",%.10g,%.10g", v0, v1);
            else
                sb_printf(&b, ",,");
        }
        sb_printf(&b, "\n");
    }
    if (b.oom) {
        free(b.s);
        return mn_error_set(err, MN_ENOMEM, "out of memory for patients.csv.gz");
    }
    char path[MN_PATH_MAX];
    int rc = mn_path_join(path, sizeof path, c->dir, "patients.csv.gz", err);
    if (!rc)
        rc = write_gz(path, b.s, b.n, err);
    free(b.s);
    return rc;
}

static void cohort_json(const mn_cohort *c, json_t *root, double *buf, const subgroup *g, int ng)
{
    json_object_set_new(root, "mnsim_version", json_string(MNSIM_VERSION));
    json_object_set_new(root, "scenario", mn_scenario_to_json(&c->sc));
    json_object_set_new(root, "patients", json_integer((json_int_t)c->size));
    /* Added: where the model-parameter uncertainty came from. */
    {
        const mn_posterior *post = c->opt.posterior;
        json_t *pu = json_object();
        json_object_set_new(pu, "parameter_spread", json_real(c->sc.cohort.parameter_spread));
        json_t *names = json_array();
        for (int i = 0; post && i < mn_posterior_param_count(post); ++i)
            json_array_append_new(names, json_string(mn_posterior_param(post, i)->name));
        json_object_set_new(pu, "posterior_params", names);
        json_object_set_new(pu, "posterior_draws",
                            json_integer(post ? mn_posterior_draw_count(post) : 0));
        json_object_set_new(root, "parameter_uncertainty", pu);
    }
    json_t *days = json_array();
    for (int d = 0; d < c->ndays; ++d)
        json_array_append_new(days, json_real(c->days[d]));
    json_object_set_new(root, "days", days);
    json_t *obs = json_object();
    for (int k = 0; k < MN_OBS_COUNT; ++k) {
        json_t *p5 = json_array(), *p50 = json_array(), *p95 = json_array();
        int any = 0;
        for (int d = 0; d < c->ndays; ++d) {
            for (long i = 0; i < c->size; ++i)
                buf[i] = series(c, i, d, k);
            double a, m, z;
            quantiles(buf, c->size, &a, &m, &z);
            any |= isfinite(m);
            json_array_append_new(p5, isfinite(a) ? json_real(a) : json_null());
            json_array_append_new(p50, isfinite(m) ? json_real(m) : json_null());
            json_array_append_new(p95, isfinite(z) ? json_real(z) : json_null());
        }
        if (!any) { /* not computed in lean runs (Sa, Sq, Sz) */
            json_decref(p5), json_decref(p50), json_decref(p95);
            continue;
        }
        json_object_set_new(obs, mn_observable_name((mn_observable)k),
                            json_pack("{s:s, s:o, s:o, s:o}", "unit",
                                      mn_observable_unit((mn_observable)k), "p5", p5, "median", p50,
                                      "p95", p95));
    }
    json_object_set_new(root, "observables", obs);
    json_object_set_new(root, "overall", group_json("all", &g[0].s));
    json_t *by_skin = json_array(), *by_age = json_array();
    for (int i = 1; i < ng; ++i)
        json_array_append_new(strcmp(g[i].kind, "skin_type") == 0 ? by_skin : by_age,
                              group_json(g[i].name, &g[i].s));
    json_object_set_new(root, "by_skin_type", by_skin);
    json_object_set_new(root, "by_age_band", by_age);
    json_object_set_new(
        root, "definitions",
        json_pack("{s:s, s:s, s:s}", "responder",
                  "whole Lemperle grade (continuous grade rounded half up) at the horizon at "
                  "least 1 better than at baseline",
                  "downtime_days",
                  "days with erythema (delta a*) at or above cohort.erythema_visible",
                  "pih_incidence",
                  "mean over patients of the modelled PIH probability at the "
                  "horizon (expected fraction)"));
}

static int write_json_file(json_t *root, const char *dir, const char *name, mn_error *err)
{
    char path[MN_PATH_MAX];
    int rc = mn_path_join(path, sizeof path, dir, name, err);
    if (rc)
        return rc;
    char *text = json_dumps(root, JSON_INDENT(1) | JSON_REAL_PRECISION(10));
    if (!text)
        return mn_error_set(err, MN_ENOMEM, "out of memory for %s", name);
    size_t len = strlen(text);
    text[len] = '\n'; /* json_dumps' NUL becomes the final newline */
    rc = mn_atomic_write(path, text, len + 1, err);
    free(text);
    return rc;
}

static int write_subgroups_csv(const mn_cohort *c, const subgroup *g, int ng, mn_error *err)
{
    sbuf b = {0};
    sb_printf(&b, "kind,group,patients,responder_fraction,median_grade_improvement,"
                  "median_downtime_days,p95_downtime_days,pih_incidence\n");
    for (int i = 0; i < ng; ++i)
        sb_printf(&b, "%s,%s,%ld,%.6f,%.6f,%.6f,%.6f,%.6f\n", g[i].kind, g[i].name, g[i].s.n,
                  g[i].s.responders, g[i].s.improvement, g[i].s.downtime_med, g[i].s.downtime_p95,
                  g[i].s.pih);
    char path[MN_PATH_MAX];
    int rc = b.oom ? mn_error_set(err, MN_ENOMEM, "out of memory")
                   : mn_path_join(path, sizeof path, c->dir, "subgroups.csv", err);
    if (!rc)
        rc = mn_atomic_write(path, b.s, b.n, err);
    free(b.s);
    return rc;
}

/* Fan chart: median and 5–95 % band over time of four observables, one panel each. */
static void fan_svg(const mn_cohort *c, sbuf *b, double *buf)
{
    static const mn_observable panels[4] = {MN_OBS_WRINKLE_GRADE, MN_OBS_COLLAGEN_TOTAL_REL,
                                            MN_OBS_DERMIS_MODULUS_KPA, MN_OBS_PIH_RISK};
    const double W = 940, H = 560, pw = 400, ph = 200;
    sb_printf(b,
              "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%g\" height=\"%g\" "
              "viewBox=\"0 0 %g %g\" font-family=\"sans-serif\" font-size=\"12\">\n"
              "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
              "<text x=\"20\" y=\"22\" font-size=\"15\">Cohort of %ld patients: median (line) "
              "and 5-95 %% band (shaded)</text>\n",
              W, H, W, H, c->size);
    double *lo = malloc(3 * (size_t)c->ndays * sizeof *lo);
    if (!lo)
        return;
    double *md = lo + c->ndays, *hi = md + c->ndays;
    const double xmax = c->days[c->ndays - 1] > 0 ? c->days[c->ndays - 1] : 1;
    for (int pnl = 0; pnl < 4; ++pnl) {
        const int k = panels[pnl];
        const double x0 = 60 + (pnl % 2) * (pw + 60), y0 = 50 + (pnl / 2) * (ph + 60);
        double ymin = INFINITY, ymax = -INFINITY;
        for (int d = 0; d < c->ndays; ++d) {
            for (long i = 0; i < c->size; ++i)
                buf[i] = series(c, i, d, k);
            quantiles(buf, c->size, &lo[d], &md[d], &hi[d]);
            ymin = fmin(ymin, lo[d]);
            ymax = fmax(ymax, hi[d]);
        }
        if (!(ymax > ymin)) {
            ymax = ymin + 1;
        }
        const double pad = 0.05 * (ymax - ymin);
        /* Quantities that cannot be negative keep their axis at or above 0. */
        ymin = ymin >= 0 ? fmax(0.0, ymin - pad) : ymin - pad;
        ymax += pad;
#define X(v) (x0 + pw * (v) / xmax)
#define Y(v) (y0 + ph - ph * ((v)-ymin) / (ymax - ymin))
        sb_printf(b,
                  "<g><rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"none\" "
                  "stroke=\"#888\"/>\n<text x=\"%g\" y=\"%g\">%s (%s)</text>\n",
                  x0, y0, pw, ph, x0, y0 - 8, mn_observable_name((mn_observable)k),
                  mn_observable_unit((mn_observable)k));
        sb_printf(b, "<text x=\"%g\" y=\"%g\" text-anchor=\"end\">%.3g</text>", x0 - 4, y0 + 10,
                  ymax);
        sb_printf(b, "<text x=\"%g\" y=\"%g\" text-anchor=\"end\">%.3g</text>\n", x0 - 4, y0 + ph,
                  ymin);
        sb_printf(b, "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\">day 0</text>", x0,
                  y0 + ph + 16);
        sb_printf(b, "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\">day %.0f</text>\n", x0 + pw,
                  y0 + ph + 16, xmax);
        sb_printf(b, "<path fill=\"#4a90d9\" fill-opacity=\"0.3\" stroke=\"none\" d=\"");
        for (int d = 0; d < c->ndays; ++d)
            sb_printf(b, "%s%.2f,%.2f", d ? " L" : "M", X(c->days[d]), Y(hi[d]));
        for (int d = c->ndays - 1; d >= 0; --d)
            sb_printf(b, " L%.2f,%.2f", X(c->days[d]), Y(lo[d]));
        sb_printf(b, " Z\"/>\n<path fill=\"none\" stroke=\"#1a4f8b\" stroke-width=\"2\" d=\"");
        for (int d = 0; d < c->ndays; ++d)
            sb_printf(b, "%s%.2f,%.2f", d ? " L" : "M", X(c->days[d]), Y(md[d]));
        sb_printf(b, "\"/>\n");
        for (int s = 0; s < c->sc.treatment.session_count; ++s) {
            double sd = mn_scenario_session_hour(&c->sc, s) / 24.0;
            sb_printf(b,
                      "<line x1=\"%.2f\" y1=\"%g\" x2=\"%.2f\" y2=\"%g\" stroke=\"#c33\" "
                      "stroke-dasharray=\"3,3\"/>\n",
                      X(sd), y0, X(sd), y0 + ph);
        }
        sb_printf(b, "</g>\n");
#undef X
#undef Y
    }
    sb_printf(b,
              "<text x=\"20\" y=\"%g\" fill=\"#555\">Dashed lines: sessions. %s</text>\n</svg>\n",
              H - 12, "Research simulation, not medical advice.");
    free(lo);
}

static void html_escape(sbuf *b, const char *s)
{
    for (; *s; ++s) {
        if (*s == '<')
            sb_printf(b, "&lt;");
        else if (*s == '>')
            sb_printf(b, "&gt;");
        else if (*s == '&')
            sb_printf(b, "&amp;");
        else
            sb_printf(b, "%c", *s);
    }
}

static void html_table(sbuf *b, const subgroup *g, int ng, const char *kind, const char *title)
{
    sb_printf(b,
              "<h2>%s</h2>\n<table>\n<tr><th>group</th><th>patients</th><th>responders</th>"
              "<th>median grade improvement</th><th>median downtime (days)</th>"
              "<th>95th pct downtime (days)</th><th>PIH incidence</th></tr>\n",
              title);
    for (int i = 0; i < ng; ++i)
        if (strcmp(g[i].kind, kind) == 0)
            sb_printf(b,
                      "<tr><td>%s</td><td>%ld</td><td>%.1f %%</td><td>%.2f</td><td>%.2f</td>"
                      "<td>%.2f</td><td>%.2f %%</td></tr>\n",
                      g[i].name, g[i].s.n, 100 * g[i].s.responders, g[i].s.improvement,
                      g[i].s.downtime_med, g[i].s.downtime_p95, 100 * g[i].s.pih);
    sb_printf(b, "</table>\n");
}

static int write_svg_and_html(const mn_cohort *c, const subgroup *g, int ng, double *buf,
                              mn_error *err)
{
    sbuf svg = {0}, html = {0};
    fan_svg(c, &svg, buf);
    sb_printf(&html,
              "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
              "<title>mnsim cohort</title>\n<style>body{font-family:sans-serif;max-width:"
              "960px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0}"
              "td,th{border:1px solid #bbb;padding:4px 8px;text-align:right}"
              "th{background:#eef}td:first-child{text-align:left}.note{color:#555}</style>\n"
              "</head><body>\n<h1>Virtual cohort</h1>\n<p>%ld patients from <code>",
              c->size);
    html_escape(&html, c->sc.source);
    sb_printf(&html,
              "</code>: %d session(s), %.3g mm needles, horizon day %.0f. Responders: the "
              "whole Lemperle grade at the horizon is at least 1 better than at baseline. "
              "Downtime: days with visible erythema (&Delta;a* &ge; %.3g). PIH incidence: mean "
              "modelled probability.</p>\n",
              c->sc.treatment.session_count, c->sc.device.needle_length_mm, c->days[c->ndays - 1],
              c->sc.cohort.erythema_visible);
    html_table(&html, g, ng, "all", "All patients");
    html_table(&html, g, ng, "skin_type", "By Fitzpatrick skin type");
    html_table(&html, g, ng, "age_band", "By age band (years)");
    sb_printf(&html, "<h2>Course over time</h2>\n");
    if (svg.s)
        sb_printf(&html, "%s", svg.s);
    sb_printf(&html, "<p class=\"note\">");
    html_escape(&html, mn_disclaimer);
    sb_printf(&html, "</p>\n</body></html>\n");
    int rc = (svg.oom || html.oom) ? mn_error_set(err, MN_ENOMEM, "out of memory") : MN_OK;
    char path[MN_PATH_MAX];
    if (!rc)
        rc = mn_path_join(path, sizeof path, c->dir, "fan_chart.svg", err);
    if (!rc)
        rc = mn_atomic_write(path, svg.s, svg.n, err);
    if (!rc)
        rc = mn_path_join(path, sizeof path, c->dir, "cohort.html", err);
    if (!rc)
        rc = mn_atomic_write(path, html.s, html.n, err);
    free(svg.s);
    free(html.s);
    return rc;
}

int mn_cohort_write(mn_cohort *c, mn_error *err)
{
    if (!c)
        return mn_error_set(err, MN_EINVAL, "mn_cohort_write: NULL cohort");
    if (c->done_count != c->size)
        return mn_error_set(err, MN_EINVAL, "mn_cohort_write: %ld of %ld patients done",
                            c->done_count, c->size);
    double *buf = malloc((size_t)c->size * sizeof *buf);
    subgroup g[1 + 6 + MN__AGE_BANDS];
    if (!buf)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    int ng = subgroups(c, g, buf);
    int rc = write_patients(c, err);
    json_t *root = json_object();
    if (!rc && !root)
        rc = mn_error_set(err, MN_ENOMEM, "out of memory");
    if (!rc) {
        cohort_json(c, root, buf, g, ng);
        rc = write_json_file(root, c->dir, "summary.json", err);
    }
    json_decref(root);
    if (!rc)
        rc = write_subgroups_csv(c, g, ng, err);
    if (!rc)
        rc = write_svg_and_html(c, g, ng, buf, err);
    free(buf);
    if (!rc)
        rc = mn__cohort_remove_journals(c, err);
    return rc;
}

void mn_cohort_print_summary(const mn_cohort *c, FILE *out)
{
    if (!c || !out || c->done_count != c->size)
        return;
    double *buf = malloc((size_t)c->size * sizeof *buf);
    if (!buf)
        return;
    subgroup g[1 + 6 + MN__AGE_BANDS];
    int ng = subgroups(c, g, buf);
    fprintf(out, "%-10s %-8s %9s %11s %12s %10s %8s\n", "subgroup", "group", "patients",
            "responders", "improvement", "downtime_d", "PIH");
    for (int i = 0; i < ng; ++i)
        fprintf(out, "%-10s %-8s %9ld %10.1f%% %12.2f %10.2f %7.2f%%\n", g[i].kind, g[i].name,
                g[i].s.n, 100 * g[i].s.responders, g[i].s.improvement, g[i].s.downtime_med,
                100 * g[i].s.pih);
    free(buf);
}
