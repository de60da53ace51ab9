/* Reports of mnsim measure: text table (one file or before/after) and JSON (jansson). */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "measure/measure_impl.h"

typedef struct param {
    const char *key;   /* JSON name */
    const char *label; /* text label */
    const char *unit;
    int need; /* 1 texture, 2 profile, 3 wrinkles, 4 wrinkle depth */
} param;

static const param params[] = {
    {"Sa_um", "Sa", "um", 1},
    {"Sq_um", "Sq", "um", 1},
    {"Sp_um", "Sp", "um", 1},
    {"Sv_um", "Sv", "um", 1},
    {"Sz_um", "Sz", "um", 1},
    {"Ssk", "Ssk", "", 1},
    {"Sku", "Sku", "", 1},
    {"Sdq", "Sdq", "", 1},
    {"Sdr_pct", "Sdr", "%", 1},
    {"Ra_um", "Ra", "um", 2},
    {"Rq_um", "Rq", "um", 2},
    {"Rz_um", "Rz (DIN)", "um", 2},
    {"wrinkle_count", "wrinkle count", "", 3},
    {"wrinkle_length_mm", "wrinkle length", "mm", 3},
    {"wrinkle_area_pct", "wrinkle area", "%", 3},
    {"wrinkle_depth_um", "wrinkle depth (mean)", "um", 4},
    {"wrinkle_depth_max_um", "wrinkle depth (max)", "um", 4},
    {"wrinkle_orientation_deg", "wrinkle orientation", "deg", 3},
};
#define NPARAMS (sizeof params / sizeof params[0])

/* Tone of a colour photo (mn_tone_result); the JSON names live under "tone". */
static const param tone_params[] = {
    {"ita_deg", "ITA (mean)", "deg", 0},
    {"ita_sd_deg", "ITA SD (evenness)", "deg", 0},
    {"L_star", "L* (mean)", "", 0},
    {"a_star", "a* (mean)", "", 0},
    {"b_star", "b* (mean)", "", 0},
    {"melanin_index", "melanin index (mean)", "", 0},
    {"erythema_index", "erythema index (mean)", "", 0},
    {"spots_area_pct", "spot area", "%", 0},
    {"spot_count", "spot count", "", 0},
};
#define NTONE (sizeof tone_params / sizeof tone_params[0])

static double tone_value(const mn_measure_result *r, size_t i)
{
    const mn_tone_result *t = &r->tone;
    double v[NTONE] = {t->ita_deg,        t->ita_sd_deg,     t->l_star,
                       t->a_star,         t->b_star,         t->melanin_index,
                       t->erythema_index, t->spots_area_pct, t->spot_count};
    return r->have_tone ? v[i] : NAN;
}

/* The value of parameter i, NaN when it does not apply. */
static double value(const mn_measure_result *r, size_t i)
{
    const mn_texture *t = &r->texture;
    const mn_wrinkles *w = &r->wrinkles;
    double v[NPARAMS] = {t->sa_um,         t->sq_um,         t->sp_um,
                         t->sv_um,         t->sz_um,         t->ssk,
                         t->sku,           t->sdq,           t->sdr_pct,
                         r->profile.ra_um, r->profile.rq_um, r->profile.rz_um,
                         w->count,         w->length_mm,     w->area_pct,
                         w->depth_mean_um, w->depth_max_um,  w->orientation_deg};
    int need = params[i].need;
    if ((need <= 2 && !r->have_texture) || (need >= 3 && !r->have_wrinkles))
        return NAN;
    return v[i];
}

static const char *kind_name(mn_field_kind k)
{
    return k == MN_FIELD_INTENSITY ? "photo (luminance)" : "height map";
}

/* Whether the height parameters are those of the primary surface: no form removed and no filter
 * that changes the data (an S-filter kernel truncated at +-lambda_s holds only its centre
 * sample when lambda_s is below a pixel). `mnsim run` reports the primary surface's Sa, Sq, Sz
 * (results.json "surface_metrics"), so the report says which one a reader compares. */
static int heights_primary(const mn_measure_settings *s, const mn_measure_result *r)
{
    int s_filter = s->filter && s->lambda_s_um > 0 && s->lambda_s_um >= fmin(r->dx_um, r->dy_um);
    int l_filter = s->filter && s->lambda_c_mm > 0;
    return s->form == MN_FORM_NONE && !s_filter && !l_filter;
}

static void heights_text(FILE *out, const mn_measure_settings *s, const mn_measure_result *r)
{
    if (heights_primary(s, r)) {
        fprintf(out, "  heights: Sa..Sz of the primary surface (no form removal, no filter), as "
                     "in mnsim run's results.json\n");
        return;
    }
    fprintf(out, "  heights: Sa..Sz of the scale-limited surface (form %s, L-filter ",
            mn_form_name(s->form));
    if (s->filter && s->lambda_c_mm > 0)
        fprintf(out, "%g mm", s->lambda_c_mm);
    else
        fprintf(out, "off");
    fprintf(out, "); mnsim run's results.json has\n"
                 "           the primary surface's: compare with --form none --filter none\n");
}

static void settings_text(FILE *out, const mn_measure_settings *s, const mn_measure_result *r)
{
    fprintf(out, "settings:\n  form removal: %s (least squares)\n", mn_form_name(s->form));
    if (r->kind == MN_FIELD_HEIGHT) {
        if (!s->filter) {
            fprintf(out, "  filters: none\n");
        } else {
            fprintf(out, "  S-filter: Gaussian ISO 16610-21/-61, lambda_s = %g um%s\n",
                    s->lambda_s_um,
                    s->lambda_s_um <= 0         ? " (off)"
                    : r->lambda_s_pixel_limited ? " (below 2 pixels: pixel-limited)"
                                                : "");
            if (s->lambda_c_mm > 0)
                fprintf(out, "  L-filter: Gaussian ISO 16610-21/-61, lambda_c = %g mm\n",
                        s->lambda_c_mm);
            else
                fprintf(out, "  L-filter: off\n");
            fprintf(out, "  borders: mirrored (symmetric), full evaluation area\n");
        }
        heights_text(out, s, r);
        fprintf(out, "  Sdq, Sdr: %s\n",
                s->gradient == MN_GRADIENT_CELL
                    ? "cell gradients (2 x 2 cells, exact for planes)"
                    : "Gwyddion's discretisation (neighbour differences; triangulated area)");
        fprintf(out, "  profile: row %ld, 5 sampling lengths of %.4g mm\n", r->profile.row,
                r->profile.sampling_mm);
    }
    if (r->have_wrinkles) {
        const mn_wrinkles *w = &r->wrinkles;
        fprintf(out, "  wrinkles: Frangi vesselness (%s), sigma =",
                r->kind == MN_FIELD_HEIGHT ? "valleys" : "dark lines");
        for (int k = 0; k < w->n_scales; ++k)
            fprintf(out, " %.3g", w->sigma_um[k]);
        fprintf(out, " um, beta = %g, c = %g x max Hessian norm,\n", s->frangi_beta,
                s->frangi_c_frac);
        fprintf(
            out,
            "            threshold %.4g (%s), Zhang-Suen (Lu-Wang) thinning, min length %.4g um\n",
            w->threshold, s->threshold > 0 ? "fixed" : "Otsu", w->min_length_um);
        fprintf(out,
                "            noise SD %.4g (Immerkaer 1996), floor %g noise SDs of curvature\n",
                w->noise_sd, s->noise_floor);
    }
    if (r->have_tone)
        fprintf(out,
                "  tone: sRGB (IEC 61966-2-1) -> CIE XYZ D65 -> CIELAB; spots: MI above the median "
                "+ %g,\n        8-connected, at least %.4g um^2\n",
                r->tone.spot_delta_mi, r->tone.spot_min_area_um2);
}

static void header_text(FILE *out, const char *tag, const mn_measure_result *r)
{
    fprintf(out, "%s%s: %s, %zu x %zu pixels of %.4g x %.4g um\n", tag, r->name, kind_name(r->kind),
            r->xres, r->yres, r->dx_um, r->dy_um);
}

static void num_text(FILE *out, double v)
{
    if (isnan(v))
        fprintf(out, " %12s", "-");
    else
        fprintf(out, " %12.5g", v);
}

/* One table: a header, then a row per parameter that applies to either file. */
static void table_text(FILE *out, const char *title, const param *p, size_t np,
                       double (*get)(const mn_measure_result *, size_t),
                       const mn_measure_result *before, const mn_measure_result *after)
{
    fprintf(out, "\n%-24s %12s", title, after ? "before" : "value");
    if (after)
        fprintf(out, " %12s %12s %12s", "after", "change", "change %");
    fprintf(out, "  unit\n");
    for (size_t i = 0; i < np; ++i) {
        double b = get(before, i);
        double a = after ? get(after, i) : NAN;
        if (isnan(b) && (!after || isnan(a)))
            continue;
        fprintf(out, "%-24s", p[i].label);
        num_text(out, b);
        if (after) {
            num_text(out, a);
            num_text(out, a - b);
            num_text(out, b != 0 ? 100.0 * (a - b) / fabs(b) : NAN);
        }
        fprintf(out, "  %s\n", p[i].unit);
    }
}

int mn_measure_report_text(FILE *out, const mn_measure_settings *s, const mn_measure_result *before,
                           const mn_measure_result *after)
{
    if (!out || !s || !before)
        return MN_EINVAL;
    header_text(out, after ? "before: " : "", before);
    if (after)
        header_text(out, "after:  ", after);
    settings_text(out, s, before);
    if (!before->have_texture)
        fprintf(out, "  (height parameters need a height map; not computed for a photo)\n");
    table_text(out, "parameter", params, NPARAMS, value, before, after);
    if (before->have_tone || (after && after->have_tone)) {
        fprintf(out,
                "\nTone (uncalibrated photo: compare photos taken with one camera and light)\n");
        table_text(out, "tone", tone_params, NTONE, tone_value, before, after);
    }
    return ferror(out) ? MN_EIO : MN_OK;
}

static json_t *num_json(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *values_json(const mn_measure_result *r)
{
    json_t *o = json_object();
    for (size_t i = 0; i < NPARAMS; ++i) {
        double v = value(r, i);
        if (!strcmp(params[i].key, "wrinkle_count") && isfinite(v))
            json_object_set_new(o, params[i].key, json_integer((json_int_t)v));
        else
            json_object_set_new(o, params[i].key, num_json(v));
    }
    return o;
}

/* The "tone" object of one file; NULL when tone was not measured. */
static json_t *tone_json(const mn_measure_result *r)
{
    if (!r->have_tone)
        return NULL;
    json_t *o = json_object();
    for (size_t i = 0; i < NTONE; ++i) {
        double v = tone_value(r, i);
        json_object_set_new(o, tone_params[i].key,
                            !strcmp(tone_params[i].key, "spot_count") ? json_integer((json_int_t)v)
                                                                      : num_json(v));
    }
    json_object_set_new(o, "mi_median", num_json(r->tone.mi_median));
    json_object_set_new(o, "spot_threshold_mi", num_json(r->tone.spot_threshold_mi));
    return o;
}

/* change (pct = 0) or percent change (pct = 1) of the tone values; NULL unless both have it. */
static json_t *tone_change_json(const mn_measure_result *b, const mn_measure_result *a, int pct)
{
    if (!b->have_tone || !a->have_tone)
        return NULL;
    json_t *o = json_object();
    for (size_t i = 0; i < NTONE; ++i) {
        double vb = tone_value(b, i), va = tone_value(a, i);
        json_object_set_new(o, tone_params[i].key,
                            num_json(!pct      ? va - vb
                                     : vb != 0 ? 100.0 * (va - vb) / fabs(vb)
                                               : NAN));
    }
    return o;
}

static void set_if(json_t *o, const char *key, json_t *v)
{
    if (v)
        json_object_set_new(o, key, v);
}

static json_t *file_json(const mn_measure_result *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "file", json_string(r->name));
    json_object_set_new(o, "kind", json_string(r->kind == MN_FIELD_HEIGHT ? "height" : "photo"));
    json_object_set_new(o, "xres", json_integer((json_int_t)r->xres));
    json_object_set_new(o, "yres", json_integer((json_int_t)r->yres));
    json_object_set_new(o, "pixel_x_um", json_real(r->dx_um));
    json_object_set_new(o, "pixel_y_um", json_real(r->dy_um));
    return o;
}

/* Adds the keys of src that dst lacks, then releases src. */
static void merge(json_t *dst, json_t *src)
{
    json_object_update_missing(dst, src);
    json_decref(src);
}

static json_t *settings_json(const mn_measure_settings *s, const mn_measure_result *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "form", json_string(mn_form_name(s->form)));
    json_object_set_new(o, "filter", json_string(s->filter ? "gaussian" : "none"));
    json_object_set_new(o, "filter_standard",
                        json_string("ISO 16610-21 weighting, separable "
                                    "areal (ISO 16610-61)"));
    json_object_set_new(o, "lambda_s_um", s->filter ? json_real(s->lambda_s_um) : json_null());
    json_object_set_new(o, "lambda_s_pixel_limited", json_boolean(r->lambda_s_pixel_limited));
    json_object_set_new(o, "lambda_c_mm", s->filter ? json_real(s->lambda_c_mm) : json_null());
    json_object_set_new(o, "border", json_string("mirror"));
    /* Added: which surface Sa..Sz describe ("primary" as in mnsim run's results.json, or
     * "scale-limited" after form removal or a filter). */
    if (r->kind == MN_FIELD_HEIGHT)
        json_object_set_new(o, "heights",
                            json_string(heights_primary(s, r) ? "primary" : "scale-limited"));
    if (r->have_texture) {
        json_object_set_new(o, "gradient", json_string(mn_gradient_name(s->gradient)));
        json_object_set_new(o, "profile_row", json_integer(r->profile.row));
        json_object_set_new(o, "profile_sampling_mm", json_real(r->profile.sampling_mm));
    }
    if (r->have_wrinkles) {
        const mn_wrinkles *w = &r->wrinkles;
        json_t *d = json_object(), *sig = json_array();
        for (int k = 0; k < w->n_scales; ++k)
            json_array_append_new(sig, json_real(w->sigma_um[k]));
        json_object_set_new(d, "method", json_string("frangi"));
        json_object_set_new(d, "ridges",
                            json_string(r->kind == MN_FIELD_HEIGHT ? "valleys" : "dark"));
        json_object_set_new(d, "sigma_um", sig);
        json_object_set_new(d, "beta", json_real(s->frangi_beta));
        json_object_set_new(d, "c_fraction", json_real(s->frangi_c_frac));
        json_object_set_new(d, "threshold", json_real(w->threshold));
        json_object_set_new(d, "threshold_method",
                            json_string(s->threshold > 0 ? "fixed" : "otsu"));
        json_object_set_new(d, "thinning", json_string("zhang-suen"));
        json_object_set_new(d, "min_length_um", json_real(w->min_length_um));
        json_object_set_new(d, "noise_sd", json_real(w->noise_sd));
        json_object_set_new(d, "noise_floor", json_real(s->noise_floor));
        json_object_set_new(o, "detector", d);
    }
    if (r->have_tone) {
        json_t *t = json_object();
        json_object_set_new(t, "colour",
                            json_string("sRGB (IEC 61966-2-1) -> CIE XYZ D65 -> CIELAB (CIE 15)"));
        json_object_set_new(t, "ita", json_string("atan2(L* - 50, b*), degrees"));
        json_object_set_new(t, "spot_delta_mi", json_real(r->tone.spot_delta_mi));
        json_object_set_new(t, "spot_min_area_um2", json_real(r->tone.spot_min_area_um2));
        json_object_set_new(t, "connectivity", json_integer(8));
        json_object_set_new(o, "tone", t);
    }
    return o;
}

int mn_measure_report_json(FILE *out, const mn_measure_settings *s, const mn_measure_result *before,
                           const mn_measure_result *after, mn_error *err)
{
    if (!out || !s || !before)
        return mn_error_set(err, MN_EINVAL, "mn_measure_report_json: NULL argument");
    json_t *root;
    if (!after) {
        root = values_json(before);
        merge(root, file_json(before));
        set_if(root, "tone", tone_json(before));
        json_object_set_new(root, "settings", settings_json(s, before));
    } else {
        json_t *b = values_json(before), *a = values_json(after);
        json_t *ch = json_object(), *pct = json_object();
        for (size_t i = 0; i < NPARAMS; ++i) {
            double vb = value(before, i), va = value(after, i);
            json_object_set_new(ch, params[i].key, num_json(va - vb));
            json_object_set_new(pct, params[i].key,
                                num_json(vb != 0 ? 100.0 * (va - vb) / fabs(vb) : NAN));
        }
        merge(b, file_json(before));
        merge(a, file_json(after));
        set_if(b, "tone", tone_json(before));
        set_if(a, "tone", tone_json(after));
        set_if(ch, "tone", tone_change_json(before, after, 0));
        set_if(pct, "tone", tone_change_json(before, after, 1));
        root = json_object();
        json_object_set_new(root, "before", b);
        json_object_set_new(root, "after", a);
        json_object_set_new(root, "change", ch);
        json_object_set_new(root, "change_pct", pct);
        json_object_set_new(root, "settings", settings_json(s, before));
    }
    int rc =
        json_dumpf(root, out, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) || fputc('\n', out) == EOF
            ? mn_error_set(err, MN_EIO, "cannot write JSON")
            : MN_OK;
    json_decref(root);
    return rc;
}
