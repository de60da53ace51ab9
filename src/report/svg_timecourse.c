/* timecourse.svg: the key observables over time with session markers. Plain SVG text: no
 * library needed, and it opens in any browser. */
#include <math.h>
#include <stdio.h>

#include "mnsim/io.h"
#include "mnsim/report.h"

static const mn_observable panels[] = {
    MN_OBS_COLLAGEN_TOTAL_REL, MN_OBS_WRINKLE_DEPTH_UM, MN_OBS_DERMIS_MODULUS_KPA,
    MN_OBS_EPIDERMIS_UM,       MN_OBS_ERYTHEMA,         MN_OBS_TEWL_REL,
};
enum {
    COLS = 2,
    PANEL_W = 420,
    PANEL_H = 220,
    MARGIN_L = 64,
    MARGIN_R = 16,
    MARGIN_T = 34,
    MARGIN_B = 40
};

/* A "nice" tick step (1, 2 or 5 × 10^k) for about `n` ticks over the span. */
static double nice_step(double span, int n)
{
    double raw = span / n;
    double mag = pow(10.0, floor(log10(raw)));
    double f = raw / mag;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

static void panel(FILE *out, const mn_results *r, mn_observable o, double x0, double y0)
{
    const int n = mn_results_count(r);
    /* The likely range, when the run drew one and it is defined for this observable. */
    int band = mn_results_has_band(r);
    for (int i = 0; band && i < n; ++i)
        band = isfinite(mn_results_band_lo(r, o, i)) && isfinite(mn_results_band_hi(r, o, i));
    double lo = mn_results_baseline(r, o), hi = lo;
    for (int i = 0; i < n; ++i) {
        double v = mn_results_value(r, o, i);
        lo = fmin(lo, v);
        hi = fmax(hi, v);
        if (band) {
            lo = fmin(lo, mn_results_band_lo(r, o, i));
            hi = fmax(hi, mn_results_band_hi(r, o, i));
        }
    }
    if (hi - lo < 1e-9 * fmax(1.0, fabs(hi)))
        hi = lo + fmax(1e-3, 0.05 * fabs(lo)), lo -= fmax(1e-3, 0.05 * fabs(lo));
    double pad = 0.06 * (hi - lo);
    lo -= pad, hi += pad;
    double tmax = n ? mn_results_day(r, n - 1) : 1.0;
    if (tmax <= 0)
        tmax = 1.0;
    const double pw = PANEL_W - MARGIN_L - MARGIN_R, ph = PANEL_H - MARGIN_T - MARGIN_B;
    const double px = x0 + MARGIN_L, py = y0 + MARGIN_T;
#define SX(t) (px + (t) / tmax * pw)
#define SY(v) (py + ph - ((v)-lo) / (hi - lo) * ph)
    fprintf(out, "<g>\n<text x=\"%.1f\" y=\"%.1f\" class=\"title\">%s (%s)</text>\n", px, y0 + 20,
            mn_observable_name(o), mn_observable_unit(o));
    fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"frame\"/>\n",
            px, py, pw, ph);
    double ys = nice_step(hi - lo, 4);
    for (double v = ceil(lo / ys) * ys; v <= hi; v += ys)
        fprintf(out,
                "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%g</text>\n",
                px, px + pw, SY(v), SY(v), px - 4, SY(v) + 4, fabs(v) < ys * 1e-6 ? 0.0 : v);
    double xs = nice_step(tmax, 6);
    for (double t = 0; t <= tmax + 1e-9; t += xs)
        fprintf(out,
                "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">%g</text>\n",
                SX(t), py + ph + 16, t);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">day</text>\n",
            px + pw / 2, py + ph + 32);
    for (int s = 0; s < mn_results_session_count(r); ++s) {
        double d = mn_results_session_day(r, s);
        fprintf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"session\"/>\n",
                SX(d), SX(d), py, py + ph);
    }
    fprintf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"base\"/>\n", px,
            px + pw, SY(mn_results_baseline(r, o)), SY(mn_results_baseline(r, o)));
    if (band) {
        fprintf(out, "<polygon class=\"band\" points=\"");
        for (int i = 0; i < n; ++i)
            fprintf(out, "%.2f,%.2f ", SX(mn_results_day(r, i)), SY(mn_results_band_hi(r, o, i)));
        for (int i = n - 1; i >= 0; --i)
            fprintf(out, "%.2f,%.2f ", SX(mn_results_day(r, i)), SY(mn_results_band_lo(r, o, i)));
        fprintf(out, "\"/>\n");
    }
    fprintf(out, "<polyline class=\"data\" points=\"");
    for (int i = 0; i < n; ++i)
        fprintf(out, "%.2f,%.2f ", SX(mn_results_day(r, i)), SY(mn_results_value(r, o, i)));
    fprintf(out, "\"/>\n</g>\n");
#undef SX
#undef SY
}

int mn_report_write_timecourse_svg(const mn_results *r, const mn_scenario *sc, const char *dir,
                                   mn_error *err)
{
    mn_atomic_file *f = NULL;
    int rc = mn_atomic_open_in(dir, "timecourse.svg", &f, err);
    if (rc)
        return rc;
    FILE *out = mn_atomic_stream(f);
    const int npanels = (int)(sizeof panels / sizeof panels[0]);
    const int rows = (npanels + COLS - 1) / COLS;
    const int width = COLS * PANEL_W, height = rows * PANEL_H + 70;
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n"
            "<style>.title{font-size:14px;font-weight:bold}.tick{font-size:11px;fill:#444}"
            ".frame{fill:none;stroke:#888}.grid{stroke:#e4e4e4}.base{stroke:#999;"
            "stroke-dasharray:2 3}.session{stroke:#c0392b;stroke-dasharray:5 4;opacity:.7}"
            ".data{fill:none;stroke:#1f5fa8;stroke-width:1.8}.note{font-size:11px;fill:#666}"
            ".band{fill:#1f5fa8;opacity:.18;stroke:none}"
            "</style>\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            width, height, width, height);
    fprintf(out,
            "<text x=\"12\" y=\"22\" class=\"title\">mnsim time course: %s, %s %g mm, "
            "%d session(s); red dashes = sessions, grey dots = baseline</text>\n",
            mn_site_name(sc->patient.site), mn_device_kind_name(sc->device.kind),
            sc->device.needle_length_mm, sc->treatment.session_count);
    if (mn_results_has_band(r))
        fprintf(out,
                "<text x=\"12\" y=\"%d\" class=\"note\">shaded: likely range, central %.0f %% "
                "of %d runs at posterior parameter draws (docs/uncertainty.md)</text>\n",
                height - 28, 100.0 * mn_results_band_level(r), mn_results_band_draws(r));
    for (int i = 0; i < npanels; ++i)
        panel(out, r, panels[i], (i % COLS) * PANEL_W, 30 + (i / COLS) * PANEL_H);
    fprintf(out,
            "<text x=\"12\" y=\"%d\" class=\"note\">Research simulation, not a medical "
            "prediction.</text>\n</svg>\n",
            height - 12);
    return mn_atomic_commit(&f, err);
}
