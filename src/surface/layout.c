/* Where the wrinkles of the map lie: number, length, depth, width and orientation by site, age
 * and photoaging (docs/surface.md §Wrinkles). Every wrinkle draws from its own counter-based
 * random stream, so a wrinkle does not change when another one is added.
 *
 * Patterns follow the clinical anatomy of facial lines (e.g. the photonumeric scales of
 * Carruthers A et al., Dermatol Surg 2008;34 Suppl 2:S127-S213: horizontal forehead lines,
 * vertical glabellar lines, crow's feet radiating from the lateral canthus, oblique cheek lines,
 * vertical perioral lines, horizontal neck lines). Counts, lengths and spreads are assumptions
 * of that order for a 20 mm patch; depths are scaled so that their mean is the patient's
 * representative wrinkle depth (patient.h), the quantity the mechanics describe. */
#include <math.h>
#include <stdlib.h>

#include "core/mn_math.h"
#include "mnsim/rng.h"
#include "surface/surface_impl.h"

typedef struct site_pattern {
    double main_count;     /* main wrinkles on a 20 x 20 mm patch at the reference age, Glogau 2 */
    double len_lo, len_hi; /* main wrinkle length, fraction of the patch side */
} site_pattern;

static const site_pattern patterns[MN_SITE_COUNT] = {
    [MN_SITE_FOREHEAD] = {4.5, 0.55, 1.05},    [MN_SITE_GLABELLA] = {3.0, 0.30, 0.60},
    [MN_SITE_PERIORBITAL] = {6.5, 0.35, 0.70}, [MN_SITE_CHEEK] = {4.5, 0.25, 0.55},
    [MN_SITE_PERIORAL] = {7.0, 0.15, 0.35},    [MN_SITE_NECK] = {3.5, 0.60, 1.10},
};

/* Fan origin for radiating patterns, in units of the patch side: the lateral canthus lies
 * just outside the left edge; the upper lip just below the bottom edge. */
static void fan_origin(mn_site site, double *ox, double *oy)
{
    if (site == MN_SITE_PERIORBITAL) {
        *ox = -0.2;
        *oy = 0.5;
    } else { /* perioral */
        *ox = 0.5;
        *oy = 2.5;
    }
}

/* The site's main wrinkle direction at (x, y) (patch units), radians from +x towards +y (down). */
static double main_angle(mn_site site, double x, double y)
{
    double ox, oy;
    switch (site) {
    case MN_SITE_GLABELLA:
        return 0.5 * MN_PI;
    case MN_SITE_CHEEK:
        return MN_PI / 3.0;
    case MN_SITE_PERIORBITAL:
    case MN_SITE_PERIORAL:
        fan_origin(site, &ox, &oy);
        return atan2(y - oy, x - ox);
    default: /* forehead, neck: horizontal */
        return 0.0;
    }
}

/* Places main wrinkle j of n: centre (patch units) and direction. */
static void place_main(mn_site site, int j, int n, mn_rng *r, double len, double *cx, double *cy,
                       double *angle)
{
    double f = (j + 0.5) / n;
    double ox, oy;
    switch (site) {
    case MN_SITE_FOREHEAD:
    case MN_SITE_NECK:
        *cy = f + 0.25 / n * mn_rng_normal(r);
        *cx = 0.5 + 0.2 * (mn_rng_uniform(r) - 0.5);
        *angle = 0.05 * mn_rng_normal(r);
        break;
    case MN_SITE_GLABELLA:
        *cx = 0.5 + (j - 0.5 * (n - 1)) * 0.12 + 0.03 * mn_rng_normal(r);
        *cy = 0.5 + 0.1 * mn_rng_normal(r);
        *angle = 0.5 * MN_PI + 0.1 * mn_rng_normal(r);
        break;
    case MN_SITE_CHEEK:
        *cx = 0.1 + 0.8 * f + 0.05 * mn_rng_normal(r);
        *cy = 0.2 + 0.6 * mn_rng_uniform(r);
        *angle = MN_PI / 3.0 + 0.12 * mn_rng_normal(r);
        break;
    case MN_SITE_PERIORBITAL: {
        /* Crow's feet fan out over about 80 degrees from the lateral canthus. */
        fan_origin(site, &ox, &oy);
        double a = (-40.0 + 80.0 * f) * MN_PI / 180.0 + 0.06 * mn_rng_normal(r);
        double r0 = 0.28 + 0.15 * mn_rng_uniform(r);
        *cx = ox + (r0 + 0.5 * len) * cos(a);
        *cy = oy + (r0 + 0.5 * len) * sin(a);
        *angle = a;
        break;
    }
    default: { /* perioral: lines at right angles to the upper lip, rising from it */
        fan_origin(site, &ox, &oy);
        double a = -0.5 * MN_PI + (-17.0 + 34.0 * f) * MN_PI / 180.0 + 0.03 * mn_rng_normal(r);
        double r0 = (oy - 1.02) / cos(a + 0.5 * MN_PI);
        *cx = ox + (r0 + 0.5 * len) * cos(a);
        *cy = oy + (r0 + 0.5 * len) * sin(a);
        *angle = a;
        break;
    }
    }
}

int mn__surface_layout(const mn_scenario *sc, const mn_patient *pt, const mn_params *p,
                       double size_um, mn__wrinkle **out, int *count, mn_error *err)
{
    const mn_patient_spec *ps = &sc->patient;
    const site_pattern *pat = &patterns[ps->site];
    const double L = size_um, area = (size_um / 20000.0) * (size_um / 20000.0);
    const int grade = ps->photoaging - 1;
    /* More and longer lines with age and photoaging (assumed rates, params.h); fine lines on a
     * 20 mm patch: a few at Glogau 1, more per grade above. */
    const double count_age =
        p->wrinkle_count_base + p->wrinkle_count_per_year * (ps->age_years - 40.0);
    double count_factor = mn__clamp(count_age + p->wrinkle_count_per_grade * grade, 0.3, 2.0);
    double length_factor = mn__clamp(
        p->wrinkle_length_base + p->wrinkle_length_per_year * (ps->age_years - 40.0), 0.6, 1.2);
    int nmain = (int)lround(pat->main_count * count_factor * area);
    nmain = nmain < 1 ? 1 : nmain;
    int nfine = (int)lround((p->fine_lines_base + p->fine_lines_per_grade * grade) *
                            mn__clamp(count_age, 0.3, 1.5) * area);
    int n = nmain + nfine;
    mn__wrinkle *w = calloc((size_t)n, sizeof *w);
    if (!w)
        return mn_error_set(err, MN_ENOMEM, "out of memory for %d wrinkles", n);
    const uint64_t seed = sc->simulate.seed;
    double sum = 0;
    for (int k = 0; k < n; ++k) {
        mn_rng r;
        int fine = k >= nmain;
        mn_rng_init(&r, seed,
                    fine ? 0x66696e65ULL + (uint64_t)(k - nmain) : 0x6d61696eULL + (uint64_t)k);
        double len, cx, cy, angle;
        if (!fine) {
            len = (pat->len_lo + (pat->len_hi - pat->len_lo) * mn_rng_uniform(&r)) * length_factor;
            place_main(ps->site, k, nmain, &r, len, &cx, &cy, &angle);
        } else {
            /* Fine lines: short, anywhere, mostly along the local main direction, a quarter
             * of them across it (the criss-cross of photoaged skin). */
            len = 0.08 + 0.17 * mn_rng_uniform(&r);
            cx = mn_rng_uniform(&r);
            cy = mn_rng_uniform(&r);
            angle = main_angle(ps->site, cx, cy) + 0.25 * mn_rng_normal(&r);
            if (mn_rng_uniform(&r) < 0.25)
                angle += 0.5 * MN_PI;
        }
        /* Log-normal depths; fine lines shallower than the main ones (assumed). */
        double rel = exp(p->wrinkle_depth_log_sd * mn_rng_normal(&r)) *
                     (fine ? p->fine_line_relative_depth : 1.0);
        double sagitta = 0.04 * mn_rng_normal(&r) * len * L; /* gentle bow */
        w[k].cx_um = cx * L;
        w[k].cy_um = cy * L;
        w[k].cos_a = cos(angle);
        w[k].sin_a = sin(angle);
        w[k].half_len_um = 0.5 * len * L;
        w[k].bow_per_um = sagitta / (w[k].half_len_um * w[k].half_len_um);
        w[k].depth_um = rel;
        w[k].fine = fine;
        sum += rel;
    }
    /* Mean depth = the representative wrinkle; each wrinkle's mechanics from its depth: deeper
     * wrinkles sit where the skin folds more (larger compression ratio, r - 1 proportional to
     * depth) and are more crease than buckle (share ~ depth^-1/2); both assumed. */
    const double mean = sum / n;
    for (int k = 0; k < n; ++k) {
        double rel = w[k].depth_um / mean;
        w[k].depth_um = pt->wrinkle_depth_um * rel;
        /* Crease core width grows with depth (a fold of depth d is about 2-4 d wide at the
         * surface; assumed). */
        w[k].width_um = p->crease_width_base_um + p->crease_width_per_depth * w[k].depth_um;
        w[k].compression = 1.0 + (pt->wrinkle_compression - 1.0) * rel;
        w[k].share = mn__clamp(p->wrinkle_buckling_share / sqrt(rel), 0.05, 0.95);
    }
    *out = w;
    *count = n;
    return MN_OK;
}

double mn__wrinkle_reach_um(const mn__wrinkle *w)
{
    return w->half_len_um + fabs(w->bow_per_um) * w->half_len_um * w->half_len_um +
           12.0 * w->width_um;
}

double mn__wrinkle_groove(const mn__wrinkle *w, double x_um, double y_um)
{
    double dx = x_um - w->cx_um, dy = y_um - w->cy_um;
    double u = dx * w->cos_a + dy * w->sin_a;
    double s = u / w->half_len_um;
    if (fabs(s) >= 1.0)
        return 0.0;
    double v = -dx * w->sin_a + dy * w->cos_a - w->bow_per_um * u * u;
    double t = 1.0 - s * s;
    /* Depth tapers to the ends, and the wrinkle narrows there. */
    double width = w->width_um * (0.35 + 0.65 * sqrt(t));
    double q = v / width;
    if (fabs(q) > 12.0)
        return 0.0;
    /* Cross-section: a narrow crease in a broad fold (the two shares are assumed). */
    return t * t * (0.6 * exp(-0.5 * q * q) + 0.4 * exp(-0.5 * q * q / 9.0));
}

double mn__surface_site_angle(mn_site site)
{
    return main_angle(site, 0.5, 0.5);
}
