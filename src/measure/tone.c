/* Tone of a colour photo: CIELAB, individual typology angle, melanin and erythema indices and
 * pigmented spots (docs/measure.md, "Tone").
 *
 * Per pixel: stored R'G'B' (sRGB-encoded, in [0, 1]) -> linear RGB by the IEC 61966-2-1
 * transfer function -> CIE XYZ (D65) by the IEC 61966-2-1 matrix -> CIELAB (CIE 15:2004,
 * ISO/CIE 11664-4) relative to the white the matrix maps RGB = (1, 1, 1) to;
 *   ITA = atan2(L* - 50, b*) * 180/pi            (Chardon, Cribier & Leveque 1991)
 *   MI  = 100 log10(1 / R_red)                   (melanin index)
 *   EI  = 100 (log10(1 / R_green) - log10(1 / R_red))   (erythema index)
 * with the linear red and green values standing in for the narrow-band reflectances of the
 * skin reflectance meters these indices come from. Spots: pixels whose MI exceeds the median
 * MI by a margin, grouped into 8-connected components, components below a minimum area
 * dropped. Nothing here is calibrated: a camera's white balance and exposure shift every value
 * (see the limitations in docs/measure.md). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "measure/measure_impl.h"

/* ---- Standards ------------------------------------------------------------------------- */

/* IEC 61966-2-1:1999 (sRGB) decoding: V = V'/12.92 for V' <= 0.04045, else
 * ((V' + 0.055)/1.055)^2.4. */
#define MN_SRGB_LINEAR_LIMIT 0.04045
#define MN_SRGB_LINEAR_SLOPE 12.92
#define MN_SRGB_OFFSET 0.055
#define MN_SRGB_EXPONENT 2.4

/* IEC 61966-2-1:1999 linear RGB -> CIE XYZ (D65, Y of white = 1), the standard's four-decimal
 * matrix. Rows X, Y, Z. */
static const double srgb_to_xyz[3][3] = {
    {0.4124, 0.3576, 0.1805},
    {0.2126, 0.7152, 0.0722},
    {0.0193, 0.1192, 0.9505},
};
/* The reference white Xn, Yn, Zn of CIELAB: the rows' sums, i.e. the XYZ of sRGB white, so
 * that R' = G' = B' gives a* = b* = 0 exactly (D65 to the matrix's precision). */
static const double white_xyz[3] = {0.4124 + 0.3576 + 0.1805, 0.2126 + 0.7152 + 0.0722,
                                    0.0193 + 0.1192 + 0.9505};

/* CIE 15:2004 CIELAB: f(t) = t^(1/3) above (6/29)^3, else t / (3 (6/29)^2) + 4/29;
 * L* = 116 f(Y/Yn) - 16, a* = 500 (f(X/Xn) - f(Y/Yn)), b* = 200 (f(Y/Yn) - f(Z/Zn)). */
#define MN_LAB_DELTA (6.0 / 29.0)
#define MN_LAB_L_SCALE 116.0
#define MN_LAB_L_OFFSET 16.0
#define MN_LAB_A_SCALE 500.0
#define MN_LAB_B_SCALE 200.0

/* ITA's origin on the L* axis (Chardon et al. 1991): ITA = 0 at L* = 50. */
#define MN_ITA_L_ORIGIN 50.0

/* Melanin and erythema indices: 100 x the base-10 apparent absorbance log10(1/R). */
#define MN_TONE_INDEX_SCALE 100.0

/* log10(1/R) is unbounded at R = 0: a black pixel is read as the linear value of the smallest
 * non-zero 8-bit code, (1/255)/12.92, the darkest reflectance an 8-bit photo can state
 * (MI <= 100 log10(255 x 12.92) = 351.8). */
#define MN_TONE_REFLECTANCE_FLOOR (1.0 / 255.0 / MN_SRGB_LINEAR_SLOPE)

/* ---- Options ----------------------------------------------------------------------------- */

void mn_tone_options_default(mn_tone_options *o)
{
    if (!o)
        return;
    o->spot_delta_mi = MN_TONE_SPOT_DELTA_MI_DEFAULT;
    o->spot_min_area_um2 = 0.0;
}

int mn_tone_options_check(const mn_tone_options *o, mn_error *err)
{
    if (!o)
        return mn_error_set(err, MN_EINVAL, "mn_tone_options_check: NULL argument");
    if (!(isfinite(o->spot_delta_mi) && o->spot_delta_mi > 0))
        return mn_error_set(err, MN_EINVAL,
                            "spot_delta_mi: %g is not above 0 (melanin index units)",
                            o->spot_delta_mi);
    if (!(isfinite(o->spot_min_area_um2) && o->spot_min_area_um2 >= 0))
        return mn_error_set(err, MN_EINVAL, "spot_min_area_um2: %g is not 0 or more (um^2)",
                            o->spot_min_area_um2);
    return MN_OK;
}

/* ---- Images ------------------------------------------------------------------------------ */

int mn_measure_rgb_create(mn_rgb_image **out, size_t xres, size_t yres, double dx_um, double dy_um,
                          mn_error *err)
{
    if (!out)
        return mn_error_set(err, MN_EINVAL, "mn_measure_rgb_create: NULL argument");
    *out = NULL;
    if (!(dx_um > 0 && isfinite(dx_um) && dy_um > 0 && isfinite(dy_um)))
        return mn_error_set(err, MN_EINVAL, "mn_measure_rgb_create: pixel size must be positive");
    int rc = mn_field_check_size(xres, yres, MN_FIELD_MAX_PIXELS, "mn_measure_rgb_create", err);
    if (rc)
        return rc;
    mn_rgb_image *img = calloc(1, sizeof *img);
    float *rgb = calloc(3 * xres * yres, sizeof *rgb);
    if (!img || !rgb) {
        free(img);
        free(rgb);
        return mn_error_set(err, MN_ENOMEM, "out of memory for a %zu x %zu colour image", xres,
                            yres);
    }
    *img = (mn_rgb_image){xres, yres, dx_um, dy_um, rgb};
    *out = img;
    return MN_OK;
}

void mn_measure_rgb_free(mn_rgb_image **img)
{
    if (!img || !*img)
        return;
    free((*img)->rgb);
    free(*img);
    *img = NULL;
}

/* ---- Per-pixel colour -------------------------------------------------------------------- */

static double srgb_decode(double v)
{
    return v <= MN_SRGB_LINEAR_LIMIT
               ? v / MN_SRGB_LINEAR_SLOPE
               : pow((v + MN_SRGB_OFFSET) / (1.0 + MN_SRGB_OFFSET), MN_SRGB_EXPONENT);
}

static double lab_f(double t)
{
    const double d = MN_LAB_DELTA;
    return t > d * d * d ? cbrt(t) : t / (3.0 * d * d) + 4.0 / 29.0;
}

typedef struct pixel_tone {
    double l, a, b, ita_deg, mi, ei;
} pixel_tone;

static pixel_tone tone_of(const float *c)
{
    double lin[3], xyz[3], f[3];
    for (int k = 0; k < 3; ++k)
        lin[k] = srgb_decode(c[k] < 0.0f ? 0.0 : c[k] > 1.0f ? 1.0 : (double)c[k]);
    for (int i = 0; i < 3; ++i) {
        xyz[i] =
            srgb_to_xyz[i][0] * lin[0] + srgb_to_xyz[i][1] * lin[1] + srgb_to_xyz[i][2] * lin[2];
        f[i] = lab_f(xyz[i] / white_xyz[i]);
    }
    pixel_tone t;
    t.l = MN_LAB_L_SCALE * f[1] - MN_LAB_L_OFFSET;
    t.a = MN_LAB_A_SCALE * (f[0] - f[1]);
    t.b = MN_LAB_B_SCALE * (f[1] - f[2]);
    /* atan2, not atan((L* - 50)/b*): defined at b* = 0 (grey: +-90 degrees) and continuous
     * through it; identical to the arctan form for b* > 0, which holds for skin. */
    t.ita_deg = atan2(t.l - MN_ITA_L_ORIGIN, t.b) * 180.0 / MN__PI;
    double red = fmax(lin[0], MN_TONE_REFLECTANCE_FLOOR);
    double green = fmax(lin[1], MN_TONE_REFLECTANCE_FLOOR);
    t.mi = -MN_TONE_INDEX_SCALE * log10(red);
    t.ei = MN_TONE_INDEX_SCALE * (log10(red) - log10(green));
    return t;
}

/* ---- Median ------------------------------------------------------------------------------ */

/* The k-th smallest of v[0..n) (0-based) by Hoare's selection (Wirth's iterative form),
 * reordering v: expected O(n), no recursion. Afterwards v[0..k) <= v[k] <= v[k+1..n). */
static float select_kth(float *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        float pivot = v[k];
        size_t i = lo, j = hi;
        do {
            while (v[i] < pivot)
                ++i;
            while (pivot < v[j])
                --j;
            if (i <= j) {
                float t = v[i];
                v[i] = v[j];
                v[j] = t;
                ++i;
                if (j == 0)
                    break;
                --j;
            }
        } while (i <= j);
        if (j < k)
            lo = i;
        if (k < i)
            hi = j;
    }
    return v[k];
}

/* Median of v[0..n) (n >= 1; v is reordered): the mean of the two middle values for even n. */
static double median(float *v, size_t n)
{
    size_t k = n / 2;
    double m = select_kth(v, n, k);
    if (n % 2)
        return m;
    float below = v[0]; /* the largest of v[0..k), the (k-1)-th smallest */
    for (size_t i = 1; i < k; ++i)
        below = v[i] > below ? v[i] : below;
    return 0.5 * (m + below);
}

/* ---- Spots ------------------------------------------------------------------------------- */

enum { SPOT_NONE = 0, SPOT_CANDIDATE, SPOT_QUEUED, SPOT_KEPT };

/* Labels the 8-connected components of the SPOT_CANDIDATE pixels of m (xres * yres) by
 * breadth-first search with an explicit queue (no recursion), keeps those of at least
 * min_pixels pixels as 1 and clears the rest; returns the number kept, or -1 without memory.
 * The queue holds one component's pixels at a time, so it needs at most xres * yres slots. */
static int label_spots(unsigned char *m, size_t xres, size_t yres, double min_pixels,
                       size_t *kept_pixels)
{
    size_t n = xres * yres;
    uint32_t *queue = malloc(n * sizeof *queue); /* n <= MN_FIELD_MAX_PIXELS < 2^32 */
    if (!queue)
        return -1;
    int count = 0;
    size_t kept = 0;
    for (size_t start = 0; start < n; ++start) {
        if (m[start] != SPOT_CANDIDATE)
            continue;
        size_t head = 0, tail = 0;
        queue[tail++] = (uint32_t)start;
        m[start] = SPOT_QUEUED;
        while (head < tail) {
            size_t p = queue[head++], x = p % xres, y = p / xres;
            for (int dy = -1; dy <= 1; ++dy) {
                if ((dy < 0 && y == 0) || (dy > 0 && y + 1 == yres))
                    continue;
                for (int dx = -1; dx <= 1; ++dx) {
                    if ((dx < 0 && x == 0) || (dx > 0 && x + 1 == xres) || (!dx && !dy))
                        continue;
                    size_t q = (size_t)((ptrdiff_t)p + (ptrdiff_t)dy * (ptrdiff_t)xres + dx);
                    if (m[q] == SPOT_CANDIDATE) {
                        m[q] = SPOT_QUEUED;
                        queue[tail++] = (uint32_t)q;
                    }
                }
            }
        }
        /* tail = the component's pixels, all in queue[0..tail) */
        int keep = (double)tail >= min_pixels;
        for (size_t i = 0; i < tail; ++i)
            m[queue[i]] = keep ? SPOT_KEPT : SPOT_NONE;
        if (keep) {
            ++count;
            kept += tail;
        }
    }
    free(queue);
    for (size_t i = 0; i < n; ++i)
        m[i] = m[i] == SPOT_KEPT;
    *kept_pixels = kept;
    return count;
}

/* ---- Whole image ------------------------------------------------------------------------- */

static int check_image(const mn_rgb_image *img, mn_error *err)
{
    if (!img->rgb || !img->xres || !img->yres || img->xres > MN_FIELD_MAX_RES ||
        img->yres > MN_FIELD_MAX_RES || img->xres * img->yres > MN_FIELD_MAX_PIXELS)
        return mn_error_set(err, MN_EINVAL, "mn_measure_tone: image size %zu x %zu out of range",
                            img->xres, img->yres);
    if (!(img->dx_um > 0 && isfinite(img->dx_um) && img->dy_um > 0 && isfinite(img->dy_um)))
        return mn_error_set(err, MN_EINVAL, "mn_measure_tone: pixel size must be positive");
    size_t n = 3 * img->xres * img->yres;
    for (size_t i = 0; i < n; ++i)
        if (!isfinite(img->rgb[i]))
            return mn_error_set(err, MN_EINVAL, "mn_measure_tone: pixel %zu is not finite", i / 3);
    return MN_OK;
}

int mn_measure_tone(const mn_rgb_image *img, const mn_tone_options *opts, mn_tone_result *out,
                    unsigned char **spots_mask_out, mn_error *err)
{
    if (spots_mask_out)
        *spots_mask_out = NULL;
    if (!img || !out)
        return mn_error_set(err, MN_EINVAL, "mn_measure_tone: NULL argument");
    mn_tone_options o;
    mn_tone_options_default(&o);
    if (opts)
        o = *opts;
    int rc = mn_tone_options_check(&o, err);
    if (!rc)
        rc = check_image(img, err);
    if (rc)
        return rc;
    size_t n = img->xres * img->yres;
    float *mi = malloc(n * sizeof *mi);
    unsigned char *mask = malloc(n);
    if (!mi || !mask) {
        free(mi);
        free(mask);
        return mn_error_set(err, MN_ENOMEM, "mn_measure_tone: out of memory");
    }
    memset(out, 0, sizeof *out);
    /* Running means (as gsl_stats_mean: m += (x - m)/(i + 1)), so no growing sum of up to 2^26
     * terms swamps the last ones; the ITA variance by Welford's update of the sum of squared
     * deviations (one pass, no cancellation of E[x^2] - E[x]^2). On a memory error below, *out
     * holds the colour means but no spots. */
    double ml = 0, ma = 0, mb = 0, mita = 0, s2ita = 0, mmi = 0, mei = 0;
    for (size_t i = 0; i < n; ++i) {
        pixel_tone t = tone_of(img->rgb + 3 * i);
        double w = 1.0 / (double)(i + 1);
        ml += (t.l - ml) * w;
        ma += (t.a - ma) * w;
        mb += (t.b - mb) * w;
        mmi += (t.mi - mmi) * w;
        mei += (t.ei - mei) * w;
        double d = t.ita_deg - mita;
        mita += d * w;
        s2ita += d * (t.ita_deg - mita);
        mi[i] = (float)t.mi;
    }
    out->n_pixels = n;
    out->l_star = ml;
    out->a_star = ma;
    out->b_star = mb;
    out->ita_deg = mita;
    out->ita_sd_deg = n > 1 ? sqrt(s2ita / (double)(n - 1)) : 0.0;
    out->melanin_index = mmi;
    out->erythema_index = mei;
    out->spot_delta_mi = o.spot_delta_mi;
    double px_um2 = img->dx_um * img->dy_um;
    out->spot_min_area_um2 =
        o.spot_min_area_um2 > 0 ? o.spot_min_area_um2 : MN_TONE_SPOT_MIN_PIXELS_DEFAULT * px_um2;
    /* The median reorders its input: select on a copy, the threshold needs each pixel's MI. */
    float *copy = malloc(n * sizeof *copy);
    if (!copy) {
        free(mi);
        free(mask);
        return mn_error_set(err, MN_ENOMEM, "mn_measure_tone: out of memory");
    }
    memcpy(copy, mi, n * sizeof *copy);
    out->mi_median = median(copy, n);
    free(copy);
    out->spot_threshold_mi = out->mi_median + o.spot_delta_mi;
    for (size_t i = 0; i < n; ++i)
        mask[i] = mi[i] > out->spot_threshold_mi ? SPOT_CANDIDATE : SPOT_NONE;
    free(mi);
    /* Relative slack so an area given as exactly k pixels keeps k-pixel spots. */
    double min_pixels = out->spot_min_area_um2 / px_um2 * (1.0 - 1e-9);
    size_t kept = 0;
    int count = label_spots(mask, img->xres, img->yres, min_pixels, &kept);
    if (count < 0) {
        free(mask);
        return mn_error_set(err, MN_ENOMEM, "mn_measure_tone: out of memory");
    }
    out->spot_count = count;
    out->spots_area_pct = 100.0 * (double)kept / (double)n;
    if (spots_mask_out)
        *spots_mask_out = mask;
    else
        free(mask);
    return MN_OK;
}
