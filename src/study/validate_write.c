/* Validation reports: the table for people, JSON for machines, Markdown and an SVG of simulated
 * courses over the published points for docs/validation.md (`make docs-validation`). */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "mnsim/outcome.h"
#include "study/study_impl.h"

static const char *unit_of(const mn_endpoint *ep)
{
    if (ep->unit[0])
        return ep->unit;
    if (ep->compare == MN_COMPARE_RATIO_PCT || ep->measure == MN_STUDY_MEASURE_CHANGE_PCT)
        return ep->per != 1.0 ? "% per unit" : "%";
    switch (ep->measure) {
    case MN_STUDY_MEASURE_PEAK_DAY:
    case MN_STUDY_MEASURE_RECOVERY_DAY:
    case MN_STUDY_MEASURE_HALF_LIFE:
        return "days";
    case MN_STUDY_MEASURE_DEVICE:
        if (!strcmp(ep->observable, "penetration_um") ||
            !strcmp(ep->observable, "channel_diameter_um"))
            return "um";
        if (!strcmp(ep->observable, "density_per_cm2"))
            return "per cm2";
        return "1";
    default:
        return mn_observable_unit((mn_observable)ep->obs);
    }
}

static void published_text(const mn_endpoint *ep, char *buf, size_t size)
{
    if (ep->has_band && ep->has_value)
        snprintf(buf, size, "%.4g [%.4g, %.4g]", ep->value, ep->low, ep->high);
    else if (ep->has_band)
        snprintf(buf, size, "[%.4g, %.4g]", ep->low, ep->high);
    else
        snprintf(buf, size, "%s", ep->direction > 0 ? "up (> 0)" : "down (< 0)");
}

static void what_text(const mn_endpoint *ep, const mn_study *st, char *buf, size_t size)
{
    char when[64] = "";
    if (ep->measure == MN_STUDY_MEASURE_DELTA)
        snprintf(when, sizeof when, " d%g-%g", ep->from_day, ep->day);
    else if (ep->measure == MN_STUDY_MEASURE_VALUE || ep->measure == MN_STUDY_MEASURE_CHANGE ||
             ep->measure == MN_STUDY_MEASURE_CHANGE_PCT)
        snprintf(when, sizeof when, " d%g", ep->day);
    char arms[112] = "";
    if (ep->versus >= 0)
        snprintf(arms, sizeof arms, " %s vs %s", st->arms[ep->arm].name, st->arms[ep->versus].name);
    else if (ep->arm > 0)
        snprintf(arms, sizeof arms, " %s", st->arms[ep->arm].name);
    snprintf(buf, size, "%s %s%s%s", ep->observable, mn_study_measure_name(ep->measure), when,
             arms);
}

void mn_validation_print(const mn_validation *v, FILE *out)
{
    int n = mn_validation_count(v), cal = 0, cal_pass = 0, hold = 0, hold_pass = 0;
    fprintf(out, "%-26s %-30s %-9s %-22s %-11s %-12s %s\n", "study", "endpoint", "role",
            "published", "simulated", "unit", "result");
    for (int i = 0; i < n; ++i) {
        const mn_validation_row *r = mn_validation_row_at(v, i);
        const mn_endpoint *ep = r->endpoint;
        char pub[64];
        published_text(ep, pub, sizeof pub);
        int calibrate = ep->role == MN_ROLE_CALIBRATE;
        cal += calibrate, cal_pass += calibrate && r->pass;
        hold += !calibrate, hold_pass += !calibrate && r->pass;
        fprintf(out, "%-26s %-30s %-9s %-22s %-11.4g %-12s %s", r->study->name, ep->id,
                calibrate ? "calibrate" : "holdout", pub, r->simulated, unit_of(ep),
                r->pass ? "within" : (calibrate ? "MISS" : "miss (held out)"));
        if (r->has_interval)
            fprintf(out, "  [%.4g, %.4g] %s", r->lo, r->hi, r->covers ? "covers" : "MISSES");
        if (r->has_cross)
            fprintf(out, "  LOSO [%.4g, %.4g] %s (ESS %.0f)", r->cross_lo, r->cross_hi,
                    r->cross_covers ? "covers" : "MISSES", r->cross_ess);
        fputc('\n', out);
    }
    fprintf(out,
            "\ncalibrated targets: %d of %d within band; held-out rows: %d of %d within band\n",
            cal_pass, cal, hold_pass, hold);
    if (mn_validation_level(v) > 0) {
        const mn_coverage h = mn_validation_coverage(v, MN_ROLE_HOLDOUT, 0);
        const mn_coverage c = mn_validation_coverage(v, MN_ROLE_CALIBRATE, 0);
        fprintf(out,
                "%.0f %% predictive intervals (%d posterior draws): held-out rows covered %d of "
                "%d (%.0f %%, goal 80-98 %%), mean width %.2f published bands; calibrated rows "
                "covered %d of %d\n",
                100.0 * mn_validation_level(v), mn_validation_draws(v), h.covered, h.rows,
                h.rows ? 100.0 * h.covered / h.rows : 0.0, h.mean_width, c.covered, c.rows);
        const mn_coverage x = mn_validation_coverage(v, -1, 1);
        const mn_coverage xc = mn_validation_coverage(v, MN_ROLE_CALIBRATE, 1);
        if (x.rows)
            fprintf(out,
                    "leave-one-study-out: %d of %d rows covered (%.0f %%), of them calibrated "
                    "rows %d of %d; smallest weight ESS %.0f of %d draws\n",
                    x.covered, x.rows, 100.0 * x.covered / x.rows, xc.covered, xc.rows, x.min_ess,
                    mn_validation_draws(v));
    }
}

int mn_validation_write_json(const mn_validation *v, FILE *out)
{
    json_t *root = json_object(), *rows = json_array();
    if (!root || !rows) {
        json_decref(root);
        json_decref(rows);
        return MN_ENOMEM;
    }
    int n = mn_validation_count(v);
    for (int i = 0; i < n; ++i) {
        const mn_validation_row *r = mn_validation_row_at(v, i);
        const mn_endpoint *ep = r->endpoint;
        json_t *o = json_object();
        json_object_set_new(o, "study", json_string(r->study->name));
        json_object_set_new(o, "endpoint", json_string(ep->id));
        json_object_set_new(o, "observable", json_string(ep->observable));
        json_object_set_new(o, "measure", json_string(mn_study_measure_name(ep->measure)));
        json_object_set_new(o, "arm", json_string(r->study->arms[ep->arm].name));
        if (ep->versus >= 0)
            json_object_set_new(o, "versus", json_string(r->study->arms[ep->versus].name));
        json_object_set_new(o, "day", json_real(ep->day));
        json_object_set_new(o, "unit", json_string(unit_of(ep)));
        json_object_set_new(o, "role",
                            json_string(ep->role == MN_ROLE_CALIBRATE ? "calibrate" : "holdout"));
        json_t *pub = json_object();
        if (ep->has_value)
            json_object_set_new(pub, "value", json_real(ep->value));
        if (ep->has_band) {
            json_object_set_new(pub, "low", json_real(ep->low));
            json_object_set_new(pub, "high", json_real(ep->high));
        }
        if (ep->direction)
            json_object_set_new(pub, "direction", json_string(ep->direction > 0 ? "up" : "down"));
        json_object_set_new(o, "published", pub);
        json_object_set_new(o, "simulated",
                            isfinite(r->simulated) ? json_real(r->simulated) : json_null());
        json_object_set_new(o, "residual", json_real(r->residual));
        json_object_set_new(o, "within_band", json_boolean(r->pass));
        if (r->has_interval)
            json_object_set_new(o, "predictive",
                                json_pack("{s:f, s:o, s:o, s:b}", "level", mn_validation_level(v),
                                          "lo", isfinite(r->lo) ? json_real(r->lo) : json_null(),
                                          "hi", isfinite(r->hi) ? json_real(r->hi) : json_null(),
                                          "covers", r->covers));
        if (r->has_cross)
            json_object_set_new(
                o, "leave_one_study_out",
                json_pack("{s:o, s:o, s:b, s:f}", "lo",
                          isfinite(r->cross_lo) ? json_real(r->cross_lo) : json_null(), "hi",
                          isfinite(r->cross_hi) ? json_real(r->cross_hi) : json_null(), "covers",
                          r->cross_covers, "weight_ess", r->cross_ess));
        json_object_set_new(o, "evidence", json_string(ep->evidence));
        json_object_set_new(o, "source", json_string(ep->source));
        json_array_append_new(rows, o);
    }
    json_object_set_new(root, "mnsim_version", json_string(MNSIM_VERSION));
    json_object_set_new(root, "endpoints", rows);
    json_object_set_new(root, "calibrated_misses", json_integer(mn_validation_failures(v)));
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) ? MN_EIO : MN_OK;
    fputc('\n', out);
    json_decref(root);
    return rc;
}

/* Markdown cells must not contain a bare '|'. */
static void md_cell(FILE *out, const char *s)
{
    for (; *s; ++s)
        if (*s == '|')
            fputs("\\|", out);
        else if (*s == '\n')
            fputc(' ', out);
        else
            fputc(*s, out);
}

static void md_table(const mn_validation *v, FILE *out, mn_endpoint_role role)
{
    const int pi = mn_validation_level(v) > 0, cross = mn_validation_coverage(v, -1, 1).rows > 0;
    fprintf(out,
            "| study | endpoint | what | published | simulated | unit | result |%s%s evidence |\n"
            "|---|---|---|---|---|---|---|%s%s---|\n",
            pi ? " predictive interval | covers |" : "", cross ? " study left out | covers |" : "",
            pi ? "---|---|" : "", cross ? "---|---|" : "");
    for (int i = 0; i < mn_validation_count(v); ++i) {
        const mn_validation_row *r = mn_validation_row_at(v, i);
        const mn_endpoint *ep = r->endpoint;
        if (ep->role != role)
            continue;
        char pub[64], what[200];
        published_text(ep, pub, sizeof pub);
        what_text(ep, r->study, what, sizeof what);
        fprintf(out, "| %s | %s | ", r->study->name, ep->id);
        md_cell(out, what);
        fprintf(out, " | %s | %.4g | %s | %s | ", pub, r->simulated, unit_of(ep),
                r->pass ? "within" : "**miss**");
        if (pi)
            fprintf(out, "[%.3g, %.3g] | %s | ", r->lo, r->hi, r->covers ? "yes" : "**no**");
        if (cross)
            fprintf(out, "[%.3g, %.3g] (ESS %.0f) | %s | ", r->cross_lo, r->cross_hi, r->cross_ess,
                    r->cross_covers ? "yes" : "**no**");
        md_cell(out, ep->evidence);
        fprintf(out, " |\n");
    }
    fputc('\n', out);
}

int mn_validation_write_markdown(const mn_validation *v, const char *svg_name, FILE *out)
{
    int n = mn_validation_count(v), cal = 0, cal_pass = 0, hold = 0, hold_pass = 0;
    for (int i = 0; i < n; ++i) {
        const mn_validation_row *r = mn_validation_row_at(v, i);
        int c = r->endpoint->role == MN_ROLE_CALIBRATE;
        cal += c, cal_pass += c && r->pass, hold += !c, hold_pass += !c && r->pass;
    }
    fprintf(out,
            "# Validation against published studies\n\n"
            "<!-- Generated by `make docs-validation` (mnsim validate --markdown); do not edit by "
            "hand: edit data/studies/*.yaml and regenerate. -->\n\n"
            "Every file in `data/studies/` is a published study: its protocol as an mnsim "
            "scenario (with arms for the variants it compares) and the endpoints it reports, "
            "each with the published value or direction, its band (range, CI or a stated "
            "tolerance), the evidence level and the citation. `mnsim validate` simulates every "
            "arm with the parameters in `include/mnsim/params.h` and reads each endpoint off the "
            "simulated course. Days count from the first session.\n\n"
            "- **calibrate** rows are the targets `mnsim fit` was run on (docs/calibration.md); "
            "`mnsim validate` exits 1 when one of them misses, and CI runs it.\n"
            "- **holdout** rows were kept out of the fit: they are the validation proper. A "
            "miss stays a miss; the likely reason is listed below.\n\n"
            "Result: **%d of %d calibrated targets** and **%d of %d held-out rows** within "
            "their band (mnsim %s).\n\n",
            cal_pass, cal, hold_pass, hold, MNSIM_VERSION);
    if (mn_validation_level(v) > 0) {
        const mn_coverage h = mn_validation_coverage(v, MN_ROLE_HOLDOUT, 0);
        const mn_coverage c = mn_validation_coverage(v, MN_ROLE_CALIBRATE, 0);
        fprintf(out,
                "**Predictive intervals** (docs/uncertainty.md): each row simulated at %d draws "
                "of the posterior of `mnsim calibrate` (data/posterior.json); the interval is "
                "the central %.0f %% of the draws, and it *covers* when it overlaps the "
                "published band (for a direction, holds a value of the right sign). Held-out "
                "rows covered: **%d of %d (%.0f %%)** (goal 80-98 %%: fewer is overconfident, "
                "all with wide intervals is useless); mean interval width %.2f times the "
                "published band's. Calibrated rows covered: %d of %d.\n\n",
                mn_validation_draws(v), 100.0 * mn_validation_level(v), h.covered, h.rows,
                h.rows ? 100.0 * h.covered / h.rows : 0.0, h.mean_width, c.covered, c.rows);
        const mn_coverage x = mn_validation_coverage(v, -1, 1);
        const mn_coverage xc = mn_validation_coverage(v, MN_ROLE_CALIBRATE, 1);
        if (x.rows)
            fprintf(out,
                    "**Leave-one-study-out** (`mnsim validate --cross`): every row predicted by "
                    "the posterior re-weighted to leave out its own study's calibrated rows "
                    "(importance weights 1/L of that study; the weights' effective sample size "
                    "says how far this can be trusted, smallest here %.0f of %d draws): "
                    "**%d of %d rows covered (%.0f %%)**, of them calibrated rows %d of %d "
                    "(for a held-out row of a study without calibrated rows the interval is "
                    "the plain one).\n\n",
                    x.min_ess, mn_validation_draws(v), x.covered, x.rows,
                    100.0 * x.covered / x.rows, xc.covered, xc.rows);
    }
    fprintf(out, "## Calibrated targets\n\n");
    md_table(v, out, MN_ROLE_CALIBRATE);
    fprintf(out, "## Held-out rows (validation)\n\n");
    md_table(v, out, MN_ROLE_HOLDOUT);
    fprintf(out, "## Misses and their likely reasons\n\n");
    int misses = 0;
    for (int i = 0; i < n; ++i) {
        const mn_validation_row *r = mn_validation_row_at(v, i);
        if (r->pass)
            continue;
        ++misses;
        char pub[64];
        published_text(r->endpoint, pub, sizeof pub);
        fprintf(out, "- **%s** (%s, %s): published %s, simulated %.4g %s. ", r->endpoint->id,
                r->study->name, r->endpoint->role == MN_ROLE_CALIBRATE ? "calibrated" : "held out",
                pub, r->simulated, unit_of(r->endpoint));
        md_cell(out, r->endpoint->if_missed[0] ? r->endpoint->if_missed
                                               : "No reason recorded in the study file.");
        fputc('\n', out);
    }
    if (!misses)
        fprintf(out, "None.\n");
    fprintf(out,
            "\n## Simulated courses over the published points\n\n"
            "Each panel is one endpoint read on a day: the line is the simulated course of "
            "the endpoint's measure, the bar the published band (dot: published value), the "
            "ring the simulated value on that day (green within, red outside).\n\n"
            "![simulated curves over published points](%s)\n\n",
            svg_name ? svg_name : "validation.svg");
    fprintf(out, "## Sources\n\n");
    for (int i = 0; i < n; ++i) {
        const mn_validation_row *r = mn_validation_row_at(v, i);
        int first = 1;
        for (int j = 0; j < i; ++j)
            first &= mn_validation_row_at(v, j)->study != r->study;
        if (!first)
            continue;
        fprintf(out, "- `%s`: ", r->study->name);
        md_cell(out, r->study->title);
        fprintf(out, ". ");
        md_cell(out, r->study->citation);
        fputc('\n', out);
    }
    return ferror(out) ? MN_EIO : MN_OK;
}

/* ---- SVG: small multiples, one per endpoint read on a day ---- */

static int plotted(const mn_validation_row *r, const mn_validation *v)
{
    const mn_endpoint *ep = r->endpoint;
    return ep->versus < 0 && ep->per == 1.0 &&
           (ep->measure == MN_STUDY_MEASURE_VALUE || ep->measure == MN_STUDY_MEASURE_CHANGE ||
            ep->measure == MN_STUDY_MEASURE_CHANGE_PCT) &&
           mn_validation_results(v, r->study, ep->arm) != NULL;
}

static double transformed(const mn_endpoint *ep, const mn_results *res, int i)
{
    double b = mn_results_baseline(res, (mn_observable)ep->obs);
    double x = mn_results_value(res, (mn_observable)ep->obs, i);
    if (ep->measure == MN_STUDY_MEASURE_CHANGE)
        return x - b;
    if (ep->measure == MN_STUDY_MEASURE_CHANGE_PCT)
        return b != 0 ? 100.0 * (x / b - 1.0) : NAN;
    return x;
}

static void svg_text(FILE *out, const char *s)
{
    for (; *s; ++s)
        if (*s == '<')
            fputs("&lt;", out);
        else if (*s == '>')
            fputs("&gt;", out);
        else if (*s == '&')
            fputs("&amp;", out);
        else
            fputc(*s, out);
}

int mn_validation_write_svg(const mn_validation *v, FILE *out)
{
    enum { W = 300, H = 190, COLS = 3, ML = 46, MR = 10, MT = 30, MB = 30 };
    int panels = 0;
    for (int i = 0; i < mn_validation_count(v); ++i)
        panels += plotted(mn_validation_row_at(v, i), v);
    int rows = (panels + COLS - 1) / COLS;
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "font-family=\"sans-serif\" font-size=\"10\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            COLS * W, rows * H + 20);
    int k = 0;
    for (int i = 0; i < mn_validation_count(v); ++i) {
        const mn_validation_row *r = mn_validation_row_at(v, i);
        if (!plotted(r, v))
            continue;
        const mn_endpoint *ep = r->endpoint;
        const mn_results *res = mn_validation_results(v, r->study, ep->arm);
        int n = mn_results_count(res);
        double xmax = mn_results_day(res, n - 1), ylo = INFINITY, yhi = -INFINITY;
        for (int j = 0; j < n; ++j) {
            double y = transformed(ep, res, j);
            if (isfinite(y))
                ylo = fmin(ylo, y), yhi = fmax(yhi, y);
        }
        double plo = ep->has_band ? ep->low : 0, phi = ep->has_band ? ep->high : 0;
        ylo = fmin(ylo, fmin(plo, phi));
        yhi = fmax(yhi, fmax(plo, phi));
        if (!(yhi > ylo))
            yhi = ylo + 1;
        double pad = 0.08 * (yhi - ylo);
        ylo -= pad, yhi += pad;
        int ox = (k % COLS) * W, oy = (k / COLS) * H + 10;
        double pw = W - ML - MR, ph = H - MT - MB;
#define PX(d) (ox + ML + (d) / xmax * pw)
#define PY(y) (oy + MT + (1.0 - ((y)-ylo) / (yhi - ylo)) * ph)
        fprintf(out, "<g>\n<text x=\"%d\" y=\"%d\" font-weight=\"bold\">", ox + ML, oy + 12);
        svg_text(out, ep->id);
        fprintf(out, "</text>\n<text x=\"%d\" y=\"%d\" fill=\"#555\">", ox + ML, oy + 24);
        svg_text(out, ep->observable);
        fprintf(out, " %s (%s)</text>\n", mn_study_measure_name(ep->measure), unit_of(ep));
        fprintf(out,
                "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"none\" "
                "stroke=\"#999\"/>\n",
                (double)(ox + ML), (double)(oy + MT), pw, ph);
        fprintf(out, "<text x=\"%d\" y=\"%g\" text-anchor=\"end\">%.3g</text>\n", ox + ML - 3,
                (double)(oy + MT + 8), yhi);
        fprintf(out, "<text x=\"%d\" y=\"%g\" text-anchor=\"end\">%.3g</text>\n", ox + ML - 3,
                oy + MT + ph, ylo);
        fprintf(out, "<text x=\"%g\" y=\"%g\" text-anchor=\"end\">day %.0f</text>\n", ox + ML + pw,
                oy + MT + ph + 14, xmax);
        fprintf(out, "<text x=\"%d\" y=\"%g\">0</text>\n", ox + ML, oy + MT + ph + 14);
        fprintf(out, "<polyline fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"1.3\" points=\"");
        double last_x = -1e9;
        for (int j = 0; j < n; ++j) {
            double y = transformed(ep, res, j), x = PX(mn_results_day(res, j));
            /* One point per ~0.7 px: the hourly samples of the acute phase add nothing. */
            if (isfinite(y) && (x - last_x >= 0.7 || j == n - 1)) {
                fprintf(out, "%.1f,%.1f ", x, PY(y));
                last_x = x;
            }
        }
        fprintf(out, "\"/>\n");
        if (ep->has_band) {
            double x = PX(ep->day);
            fprintf(out,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\" "
                    "stroke-width=\"2\"/>\n",
                    x, PY(ep->low), x, PY(ep->high));
            fprintf(out,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n"
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n",
                    x - 4, PY(ep->low), x + 4, PY(ep->low), x - 4, PY(ep->high), x + 4,
                    PY(ep->high));
            if (ep->has_value)
                fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"black\"/>\n", x,
                        PY(ep->value));
        }
        if (isfinite(r->simulated))
            fprintf(out,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"none\" stroke=\"%s\" "
                    "stroke-width=\"2\"/>\n",
                    PX(ep->day), PY(r->simulated), r->pass ? "#1a9850" : "#d73027");
        fprintf(out, "</g>\n");
#undef PX
#undef PY
        ++k;
    }
    fprintf(out, "</svg>\n");
    return ferror(out) ? MN_EIO : MN_OK;
}
