/* report.html: one self-contained, offline page (render.h). Images are embedded as base64 data
 * URIs, the time-course SVG inline, and the before/after comparison is a few lines of vanilla
 * JavaScript; nothing is fetched from a network. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/io.h"
#include "mnsim/params.h"
#include "mnsim/report.h"
#include "mnsim/surface.h"

/* Reads dir/name whole; NULL (and err set) on failure. */
static unsigned char *slurp(const char *dir, const char *name, size_t *size, mn_error *err)
{
    char path[MN_PATH_MAX + 32];
    if (mn_path_join(path, sizeof path, dir, name, err))
        return NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        mn_error_set(err, MN_EIO, "%s: cannot open for the report", path);
        return NULL;
    }
    unsigned char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? 2 * cap : 1 << 16;
            unsigned char *b = realloc(buf, cap + 1);
            if (!b) {
                free(buf);
                fclose(f);
                mn_error_set(err, MN_ENOMEM, "out of memory reading %s", path);
                return NULL;
            }
            buf = b;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        mn_error_set(err, MN_EIO, "%s: read error", path);
        return NULL;
    }
    buf[n] = 0;
    *size = n;
    return buf;
}

/* Base64 (RFC 4648) in blocks of 4 KiB: one fwrite a block, not one per 4 characters. */
static void put_base64(FILE *out, const unsigned char *p, size_t n)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char buf[4096];
    size_t used = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        buf[used++] = t[(v >> 18) & 63];
        buf[used++] = t[(v >> 12) & 63];
        buf[used++] = i + 1 < n ? t[(v >> 6) & 63] : '=';
        buf[used++] = i + 2 < n ? t[v & 63] : '=';
        if (used == sizeof buf) {
            fwrite(buf, 1, used, out);
            used = 0;
        }
    }
    fwrite(buf, 1, used, out);
}

static void put_escaped(FILE *out, const char *s)
{
    for (; *s; ++s)
        switch (*s) {
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '&':
            fputs("&amp;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        default:
            fputc(*s, out);
        }
}

static void row(FILE *out, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void row(FILE *out, const char *key, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fprintf(out, "<tr><th>%s</th><td>", key);
    put_escaped(out, buf);
    fputs("</td></tr>\n", out);
}

static const char *const css =
    "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1em 1.5em;"
    "color:#222;background:#fafafa}h1{margin-bottom:.2em}h2{border-bottom:1px solid #ccc;"
    "padding-bottom:.2em;margin-top:1.6em}.note{background:#fff4d6;border:1px solid #e0b440;"
    "padding:.8em 1em;border-radius:6px}table{border-collapse:collapse;margin:.5em 0}"
    "th,td{padding:.25em .7em;border-bottom:1px solid #e2e2e2;text-align:left}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}.cols{display:flex;gap:2em;"
    "flex-wrap:wrap}.cmp{position:relative;width:min(100%,700px);aspect-ratio:1;"
    "user-select:none;touch-action:none;cursor:ew-resize;overflow:hidden;border-radius:4px}"
    ".cmp img{position:absolute;inset:0;width:100%;height:100%;display:block;"
    "pointer-events:none}#before{clip-path:inset(0 50% 0 0)}#handle{position:absolute;"
    "top:0;bottom:0;left:50%;width:3px;margin-left:-1px;background:#fff;"
    "box-shadow:0 0 4px #000}.tag{position:absolute;top:8px;padding:2px 8px;"
    "background:rgba(0,0,0,.55);color:#fff;font-size:14px;border-radius:3px}"
    "figure{margin:0}figcaption{color:#555;font-size:.9em;margin-top:.3em}"
    "img.small{width:min(100%,340px);border-radius:4px}svg{max-width:100%;height:auto}";

/* The slider: the "before" picture is clipped to the left of the handle. Pointer drag on the
 * picture or the range input (keyboard) move it; data-pos holds the percentage (for tests). */
static const char *const script =
    "(function(){var c=document.getElementById('cmp'),b=document.getElementById('before'),"
    "h=document.getElementById('handle'),r=document.getElementById('slider'),drag=false;"
    "function set(p){p=Math.max(0,Math.min(100,p));b.style.clipPath='inset(0 '+(100-p)+'% 0 0)';"
    "h.style.left=p+'%';r.value=p;c.dataset.pos=p.toFixed(1);}"
    "function at(e){var q=c.getBoundingClientRect();set((e.clientX-q.left)/q.width*100);}"
    "c.addEventListener('pointerdown',function(e){drag=true;"
    "if(c.setPointerCapture)c.setPointerCapture(e.pointerId);at(e);});"
    "c.addEventListener('pointermove',function(e){if(drag)at(e);});"
    "c.addEventListener('pointerup',function(){drag=false;});"
    "c.addEventListener('pointercancel',function(){drag=false;});"
    "r.addEventListener('input',function(){set(parseFloat(r.value));});set(50);})();";

static void put_image(FILE *out, const unsigned char *png, size_t n)
{
    fputs("data:image/png;base64,", out);
    put_base64(out, png, n);
}

/* A value for people, as the CLI's table shows it: rounding residues (3e-25 of a quantity of
 * order 1) are 0. */
static double shown(double v)
{
    return fabs(v) < 1e-9 ? 0.0 : v;
}

/* "extreme" and its day, not "peak": for a falling observable the value is a trough. */
static void observables_table(FILE *out, const mn_results *r)
{
    const int band = mn_results_has_band(r);
    fputs("<table id=\"observables\"><tr><th>observable</th><th>unit</th><th>baseline</th>"
          "<th>extreme</th><th>on day</th><th>final</th><th>change</th>",
          out);
    if (band)
        fprintf(out, "<th>final, likely range (%.0f %%)</th>", 100.0 * mn_results_band_level(r));
    fputs("</tr>\n", out);
    for (int o = 0; o < MN_OBS_COUNT; ++o) {
        double b = shown(mn_results_baseline(r, (mn_observable)o));
        double p = shown(mn_results_peak(r, (mn_observable)o));
        double f = shown(mn_results_final(r, (mn_observable)o));
        char change[64];
        if (fabs(b) > 1e-9)
            snprintf(change, sizeof change, "%+.1f %%", 100.0 * (f - b) / fabs(b));
        else
            snprintf(change, sizeof change, "%+.3g", f - b);
        fprintf(out, "<tr><td>%s</td><td>", mn_observable_name((mn_observable)o));
        put_escaped(out, mn_observable_unit((mn_observable)o));
        fprintf(out,
                "</td><td class=\"n\">%.4g</td><td class=\"n\">%.4g</td><td class=\"n\">%.2f</td>"
                "<td class=\"n\">%.4g</td><td class=\"n\">%s</td>",
                b, p, mn_results_peak_day(r, (mn_observable)o), f, change);
        if (band)
            fprintf(out, "<td class=\"n band\">%.4g &ndash; %.4g</td>",
                    shown(mn_results_band_final_lo(r, (mn_observable)o)),
                    shown(mn_results_band_final_hi(r, (mn_observable)o)));
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
}

static void scenario_tables(FILE *out, const mn_scenario *sc)
{
    static const char *const sex[] = {"female", "male"};
    static const char *const glogau[] = {"", "1 (no wrinkles)", "2 (wrinkles in motion)",
                                         "3 (wrinkles at rest)", "4 (only wrinkles)"};
    const mn_patient_spec *p = &sc->patient;
    const mn_device_spec *d = &sc->device;
    const mn_treatment_spec *t = &sc->treatment;
    const mn_aftercare_spec *a = &sc->aftercare;
    fputs("<div class=\"cols\"><div><h3>Patient</h3><table>\n", out);
    row(out, "age", "%g years", p->age_years);
    row(out, "sex", "%s", sex[p->sex == MN_SEX_MALE]);
    row(out, "skin type (Fitzpatrick)", "%s", mn_skin_type_name(p->skin_type));
    row(out, "photoaging (Glogau)", "%s",
        glogau[p->photoaging >= 1 && p->photoaging <= 4 ? p->photoaging : 0]);
    row(out, "site", "%s", mn_site_name(p->site));
    row(out, "smoker", "%s", p->smoker ? "yes" : "no");
    fputs("</table></div><div><h3>Protocol</h3><table>\n", out);
    row(out, "device", "%s, %d needles, %g mm long, %g mm wide, %d passes",
        mn_device_kind_name(d->kind), d->needles, d->needle_length_mm, d->needle_diameter_mm,
        d->passes);
    if (t->sessions_listed) {
        char weeks[256] = "";
        size_t len = 0;
        for (int i = 0; i < t->session_count && len + 16 < sizeof weeks; ++i)
            len += (size_t)snprintf(weeks + len, sizeof weeks - len, "%s%g", i ? ", " : "",
                                    t->sessions[i].week);
        row(out, "sessions", "%d at weeks %s", t->session_count, weeks);
    } else {
        row(out, "sessions", "%d, every %g weeks", t->session_count, t->interval_weeks);
    }
    char adj[128] = "none";
    size_t len = 0;
    for (unsigned bit = 1; bit <= MN_ADJUNCT_GROWTH_FACTORS; bit <<= 1)
        if (t->adjuncts & bit)
            len += (size_t)snprintf(adj + len, sizeof adj - len, "%s%s", len ? ", " : "",
                                    mn_adjunct_name((mn_adjunct)bit));
    row(out, "adjuncts", "%s", adj);
    row(out, "anaesthetic", "%s", t->anesthetic == MN_ANESTHETIC_TOPICAL ? "topical" : "none");
    row(out, "aftercare", "UV index %g, %g h sun a day, SPF %g worn %g %% of days%s", a->uv_index,
        a->sun_hours_per_day, a->sunscreen_spf, 100.0 * a->sunscreen_adherence,
        a->retinoid ? ", retinoid" : "");
    row(out, "follow-up", "%g weeks after the last session", sc->simulate.follow_up_weeks);
    row(out, "model", "%s, seed %lu", sc->simulate.model == MN_MODEL_3D ? "3d" : "column",
        sc->simulate.seed);
    row(out, "scenario", "%s", sc->source);
    fputs("</table></div></div>\n", out);
}

/* One line naming the model parameters that differ from the defaults (`--params`); nothing
 * when none does, so a default run's page is unchanged. */
static void params_changed(FILE *out, const mn_results *r)
{
    const mn_params *p = mn_results_params(r);
    int n = 0;
    for (size_t i = 0; p && i < mn_params_count(); ++i) {
        const mn_param_info *info = mn_params_info(i);
        const double v = mn_params_value(p, info);
        if (v == info->default_value)
            continue;
        char value[32], def[32];
        mn_params_format(v, value, sizeof value);
        mn_params_format(info->default_value, def, sizeof def);
        fputs(n++ ? "; " : "<p id=\"params\">Model parameters changed from the defaults: ", out);
        fprintf(out, "<code>%s</code> %s ", info->name, value);
        put_escaped(out, info->unit);
        fprintf(out, " (default %s)", def);
    }
    if (n)
        fputs(".</p>\n", out);
}

int mn_report_write_html(const mn_results *r, const mn_scenario *sc, const char *dir, mn_error *err)
{
    if (!r || !sc || !dir)
        return mn_error_set(err, MN_EINVAL, "mn_report_write_html: NULL argument");
    const int n = mn_results_count(r);
    if (n < 1)
        return mn_error_set(err, MN_EINVAL, "mn_report_write_html: no samples");
    size_t nb = 0, nd = 0, na = 0, ns = 0;
    unsigned char *before = slurp(dir, "before.png", &nb, err);
    unsigned char *day1 = before ? slurp(dir, "day1.png", &nd, err) : NULL;
    unsigned char *after = day1 ? slurp(dir, "after.png", &na, err) : NULL;
    unsigned char *svg = after ? slurp(dir, "timecourse.svg", &ns, err) : NULL;
    char path[MN_PATH_MAX + 32];
    mn_atomic_file *f = NULL;
    int rc = svg ? mn_path_join(path, sizeof path, dir, "report.html", err) : MN_EIO;
    if (!rc)
        rc = mn_atomic_open(path, &f, err);
    if (rc) {
        free(before), free(day1), free(after), free(svg);
        return rc;
    }
    FILE *out = mn_atomic_stream(f);
    const mn_surface *surf = mn_results_surface(r);
    const double last_day = mn_results_day(r, n - 1);
    const int d1 = mn_surface_record_find(surf, 1.0);
    const double size_mm =
        surf ? (double)mn_surface_xres(surf) * mn_surface_pixel_um(surf) * 1e-3 : 0.0;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>mnsim report</title>\n<style>",
          out);
    fputs(css, out);
    fputs("</style></head><body>\n<h1>mnsim report</h1>\n", out);
    fprintf(out, "<p>mnsim %s &middot; %s, %s, age %g, skin type %s</p>\n", MNSIM_VERSION,
            mn_site_name(sc->patient.site), sc->patient.sex == MN_SEX_MALE ? "male" : "female",
            sc->patient.age_years, mn_skin_type_name(sc->patient.skin_type));
    fputs("<p class=\"note\" id=\"disclaimer\"><strong>Research simulation, not a medical "
          "prediction.</strong> ",
          out);
    put_escaped(out, mn_disclaimer);
    fputs(" The pictures are rendered from a simulated skin surface, not photographs.</p>\n", out);
    if (mn_results_params_out_of_range_count(r) > 0) {
        fputs("<p class=\"note\" id=\"params-out-of-range\"><strong>Parameters outside their "
              "literature range</strong> (allowed with --allow-out-of-range-params):",
              out);
        for (int i = 0; i < mn_results_params_out_of_range_count(r); ++i) {
            fputs(i ? ", " : " ", out);
            put_escaped(out, mn_results_param_out_of_range(r, i));
        }
        fputs(".</p>\n", out);
    }
    scenario_tables(out, sc);
    params_changed(out, r);
    fputs("<h2>Before and after</h2>\n<div class=\"cols\"><figure>"
          "<div class=\"cmp\" id=\"cmp\"><img id=\"after\" alt=\"after\" src=\"",
          out);
    put_image(out, after, na);
    fputs("\"><img id=\"before\" alt=\"before\" src=\"", out);
    put_image(out, before, nb);
    fprintf(out,
            "\"><div id=\"handle\"></div><span class=\"tag\" style=\"left:8px\">before</span>"
            "<span class=\"tag\" style=\"right:8px\">after, day %.0f</span></div>\n"
            "<input id=\"slider\" type=\"range\" min=\"0\" max=\"100\" step=\"0.1\" value=\"50\" "
            "aria-label=\"before/after position\" style=\"width:min(100%%,700px)\">\n"
            "<figcaption>Drag across the picture: left of the line before treatment, right of "
            "it day %.0f. Both %.0f &times; %.0f mm, same light and scale.</figcaption></figure>\n",
            last_day, last_day, size_mm, size_mm);
    fputs("<figure><img class=\"small\" id=\"day1\" alt=\"day 1\" src=\"", out);
    put_image(out, day1, nd);
    fprintf(out,
            "\"><figcaption>Day %.0f after the first session: redness (erythema &Delta;a* %.2g) "
            "and swelling (edema %.2f &times;).</figcaption></figure></div>\n",
            d1 >= 0 ? mn_results_day(r, d1) : 1.0,
            d1 >= 0 ? mn_results_value(r, MN_OBS_ERYTHEMA, d1) : 0.0,
            d1 >= 0 ? mn_results_value(r, MN_OBS_EDEMA_REL, d1) : 1.0);
    if (mn_results_band_run(r, 0, NULL)) {
        /* The likely range of "after" (run --uncertainty with pictures): written beside. */
        size_t nr = 0;
        unsigned char *range = slurp(dir, "likely_range.png", &nr, err);
        if (!range) {
            free(before), free(day1), free(after), free(svg);
            mn_atomic_abort(&f);
            return err ? err->code : MN_EIO;
        }
        fputs("<h2>Likely range of &ldquo;after&rdquo;</h2>\n<figure><img id=\"likely-range\" "
              "alt=\"likely range of after\" style=\"max-width:100%\" src=\"",
              out);
        put_image(out, range, nr);
        fprintf(out,
                "\"><figcaption>The final day at the posterior draws whose final wrinkle grade "
                "lies at the 5th percentile, the median and the 95th percentile of the %d "
                "draws (docs/uncertainty.md): what the evidence leaves open about the model, "
                "not the spread between patients.</figcaption></figure>\n",
                mn_results_band_draws(r));
        free(range);
    }
    fputs("<h2>Time course</h2>\n<div id=\"timecourse\">", out);
    /* Inline the SVG without its XML declaration, if any. */
    const char *s = (const char *)svg;
    const char *start = strstr(s, "<svg");
    fputs(start ? start : "", out);
    fputs("</div>\n<h2>Observables</h2>\n", out);
    observables_table(out, r);
    if (mn_results_has_band(r))
        fprintf(out,
                "<p id=\"band-note\">Likely range: the central %.0f %% of %d runs of this scenario "
                "at draws of the posterior of the model parameters (<code>mnsim calibrate</code>, "
                "docs/uncertainty.md); the shaded areas of the time course show it day by day. "
                "It is the uncertainty of the model's parameters given the published studies, "
                "not the spread between patients (<code>mnsim cohort</code>).</p>\n",
                100.0 * mn_results_band_level(r), mn_results_band_draws(r));
    fputs("<p>Baseline is the state just before the first session; peak the sample that departs "
          "most from it; final the last day of follow-up. wrinkle_depth_um, Sa_um, Sq_um and "
          "Sz_um are measured on the simulated height map (before.gsf, after.gsf hold it at full "
          "resolution).</p>\n",
          out);
    fprintf(out, "<script>%s</script>\n</body></html>\n", script);
    free(before), free(day1), free(after), free(svg);
    return mn_atomic_commit(&f, err);
}
