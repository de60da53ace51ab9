/* Skin colour and shading of a height map (render.h, docs/surface.md §Rendering). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mn_math.h"
#include "core/mn_omp.h"
#include "mnsim/jobs.h"
#include "mnsim/rng.h"
#include "render/render_impl.h"

/* Representative CIELAB of facial skin per Fitzpatrick type. The individual typology angle
 * ITA = atan((L* - 50) / b*) classifies skin colour (Chardon A, Cretois I, Hourseau C. Int J
 * Cosmet Sci 1991;13:191: very light > 55, light 41-55, intermediate 28-41, tan 10-28,
 * brown -30-10, dark < -30 degrees; Del Bino S, Bernerd F. Br J Dermatol 2013;169 Suppl 3:33
 * relate the classes to phototypes). We take one (L*, a*, b*) inside class I..VI in turn,
 * with L* and b* of the order those papers report and a* ~ 10 for facial skin (assumed mapping
 * of Fitzpatrick type to ITA class: a stated assumption, not a measurement). ITA of the rows:
 * 57, 45, 33, 15, -16, -49 degrees. */
static const double skin_lab[7][3] = {
    {0, 0, 0},          {70.0, 9.0, 13.0},  {65.0, 10.0, 15.0}, {61.0, 10.5, 17.0},
    {55.0, 11.0, 19.0}, {45.0, 11.0, 18.0}, {35.0, 9.0, 13.0},
};

void mn_render_skin_lab(int skin_type, double lab[3])
{
    int t = skin_type < 1 ? 1 : (skin_type > 6 ? 6 : skin_type);
    memcpy(lab, skin_lab[t], sizeof skin_lab[t]);
}

/* D65 reference white (CIE 15:2004) and the sRGB matrices (IEC 61966-2-1). */
static const double white[3] = {0.95047, 1.0, 1.08883};

static void lab_to_linear(const double lab[3], double rgb[3])
{
    double fy = (lab[0] + 16.0) / 116.0, fx = fy + lab[1] / 500.0, fz = fy - lab[2] / 200.0;
    double f[3] = {fx, fy, fz}, xyz[3];
    for (int i = 0; i < 3; ++i) {
        double c = f[i] > 6.0 / 29.0 ? f[i] * f[i] * f[i]
                                     : 3.0 * (6.0 / 29.0) * (6.0 / 29.0) * (f[i] - 4.0 / 29.0);
        xyz[i] = c * white[i];
    }
    rgb[0] = 3.2404542 * xyz[0] - 1.5371385 * xyz[1] - 0.4985314 * xyz[2];
    rgb[1] = -0.9692660 * xyz[0] + 1.8760108 * xyz[1] + 0.0415560 * xyz[2];
    rgb[2] = 0.0556434 * xyz[0] - 0.2040259 * xyz[1] + 1.0572252 * xyz[2];
}

static double encode_srgb(double v)
{
    v = mn__clamp(v, 0.0, 1.0);
    return v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1.0 / 2.4) - 0.055;
}

static double decode_srgb(double v)
{
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

void mn_render_lab_to_srgb(const double lab[3], unsigned char rgb[3])
{
    double lin[3];
    lab_to_linear(lab, lin);
    for (int i = 0; i < 3; ++i)
        rgb[i] = (unsigned char)lround(255.0 * encode_srgb(lin[i]));
}

void mn_render_srgb_to_lab(const unsigned char rgb[3], double lab[3])
{
    double lin[3];
    for (int i = 0; i < 3; ++i)
        lin[i] = decode_srgb(rgb[i] / 255.0);
    double xyz[3] = {0.4124564 * lin[0] + 0.3575761 * lin[1] + 0.1804375 * lin[2],
                     0.2126729 * lin[0] + 0.7151522 * lin[1] + 0.0721750 * lin[2],
                     0.0193339 * lin[0] + 0.1191920 * lin[1] + 0.9503041 * lin[2]};
    double f[3];
    for (int i = 0; i < 3; ++i) {
        double t = xyz[i] / white[i];
        f[i] = t > 216.0 / 24389.0 ? cbrt(t) : (24389.0 / 27.0 * t + 16.0) / 116.0;
    }
    lab[0] = 116.0 * f[1] - 16.0;
    lab[1] = 500.0 * (f[0] - f[1]);
    lab[2] = 200.0 * (f[1] - f[2]);
}

/* Blurs: two passes of a box filter approximate a Gaussian (a triangle-like kernel: enough for
 * soft shading, a third of the cost of three passes saved): box width w with
 * w^2 = 12 sigma^2 / 2 + 1 (Kovesi 2010). Running sums in double, borders clamp. */
static int box_radius(double sigma)
{
    return (int)lround((sqrt(6.0 * sigma * sigma + 1.0) - 1.0) / 2.0);
}

static float at_clamped(const float *src, long k, long last)
{
    return src[k < 0 ? 0 : (k > last ? last : k)];
}

/* One box pass of radius r along a row of n values. */
static void box_row(const float *restrict src, float *restrict dst, size_t n, int r)
{
    const double inv = 1.0 / (2 * r + 1);
    const long last = (long)n - 1;
    double sum = 0;
    for (long k = -r; k <= r; ++k)
        sum += at_clamped(src, k, last);
    /* Inside [a, b) neither end of the window needs clamping. */
    const long a = r < last ? r : last, b = last - r > a ? last - r : a;
    long i = 0;
    for (; i < a; ++i) {
        dst[i] = (float)(sum * inv);
        sum += at_clamped(src, i + r + 1, last) - src[0];
    }
    for (; i < b; ++i) {
        dst[i] = (float)(sum * inv);
        sum += src[i + r + 1] - src[i - r];
    }
    for (; i <= last; ++i) {
        dst[i] = (float)(sum * inv);
        sum += src[last] - at_clamped(src, i - r, last);
    }
}

/* The same pass down columns i0 .. i0 + nc - 1 of a w x h array, all at once: one running sum
 * per column, walking the rows (in cache and vectorised; each column's sums are the ones
 * box_row would form on it). */
#define BOX_COLUMNS 128
static void box_columns(const float *restrict src, float *restrict dst, size_t w, size_t h, int r,
                        size_t i0, size_t nc)
{
    const double inv = 1.0 / (2 * r + 1);
    const long last = (long)h - 1;
    double sum[BOX_COLUMNS] = {0};
    src += i0, dst += i0;
    for (long k = -r; k <= r; ++k) {
        const float *row = src + (size_t)(k < 0 ? 0 : (k > last ? last : k)) * w;
        for (size_t i = 0; i < nc; ++i)
            sum[i] += row[i];
    }
    for (long j = 0; j <= last; ++j) {
        long out = j - r, in = j + r + 1;
        const float *ri = src + (size_t)(in > last ? last : in) * w;
        const float *ro = src + (size_t)(out < 0 ? 0 : out) * w;
        float *d = dst + (size_t)j * w;
        for (size_t i = 0; i < nc; ++i) {
            d[i] = (float)(sum[i] * inv);
            sum[i] += ri[i] - ro[i];
        }
    }
}

/* Blurs the nch (at most 3) w x h channels ch[c] in place, each with its own sigma (pixels), in
 * one parallel region: rows of every channel, then column blocks of every channel, twice.
 * scratch holds nch * w * h values. */
static void blur_channels(float *const *ch, const double *sigma, int nch, size_t w, size_t h,
                          float *scratch)
{
    const size_t n = w * h, nblk = (w + BOX_COLUMNS - 1) / BOX_COLUMNS;
    int r[3];
    for (int c = 0; c < nch; ++c)
        r[c] = box_radius(sigma[c]);
    const long rows = (long)((size_t)nch * h), blocks = (long)((size_t)nch * nblk);
    const int nt = mn_threads_for(0, rows);
    (void)nt;
#ifdef _OPENMP
#pragma omp parallel num_threads(nt)
#endif
    for (int pass = 0; pass < 2; ++pass) {
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
        for (long q = 0; q < rows; ++q) {
            size_t c = (size_t)q / h, j = (size_t)q % h;
            if (r[c] >= 1)
                box_row(ch[c] + j * w, scratch + c * n + j * w, w, r[c]);
        }
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
        for (long q = 0; q < blocks; ++q) {
            size_t c = (size_t)q / nblk, i0 = (size_t)q % nblk * BOX_COLUMNS;
            size_t nc = w - i0 < BOX_COLUMNS ? w - i0 : BOX_COLUMNS;
            if (r[c] >= 1)
                box_columns(scratch + c * n, ch[c], w, h, r[c], i0, nc);
        }
    }
}

/* A wide blur: box-average down by `f`, blur there, interpolate back (bilinear). scratch holds
 * 2 ceil(w / f) ceil(h / f) values. */
static void blur_down(float *a, size_t w, size_t h, size_t f, double sigma, float *scratch)
{
    const size_t cw = (w + f - 1) / f, ch = (h + f - 1) / f;
    float *c = scratch;
    MN__PARALLEL_FOR(ch)
    for (size_t J = 0; J < ch; ++J)
        for (size_t I = 0; I < cw; ++I) {
            double sum = 0;
            size_t cnt = 0;
            for (size_t j = J * f; j < (J + 1) * f && j < h; ++j)
                for (size_t i = I * f; i < (I + 1) * f && i < w; ++i)
                    sum += a[j * w + i], ++cnt;
            c[J * cw + I] = (float)(sum / (double)cnt);
        }
    const double coarse_sigma = sigma / (double)f;
    blur_channels(&c, &coarse_sigma, 1, cw, ch, scratch + cw * ch);
    MN__PARALLEL_FOR(h)
    for (size_t j = 0; j < h; ++j) {
        /* Coarse cell centres sit at (I + 0.5) f - 0.5 in fine pixels. */
        double y = ((double)j + 0.5) / (double)f - 0.5;
        long J0 = (long)floor(y);
        double v = y - (double)J0;
        size_t ja = (size_t)(J0 < 0 ? 0 : J0),
               jb = (size_t)(J0 + 1 >= (long)ch ? (long)ch - 1 : J0 + 1);
        for (size_t i = 0; i < w; ++i) {
            double x = ((double)i + 0.5) / (double)f - 0.5;
            long I0 = (long)floor(x);
            double u = x - (double)I0;
            size_t ia = (size_t)(I0 < 0 ? 0 : I0);
            size_t ib = (size_t)(I0 + 1 >= (long)cw ? (long)cw - 1 : I0 + 1);
            a[j * w + i] = (float)((c[ja * cw + ia] * (1 - u) + c[ja * cw + ib] * u) * (1 - v) +
                                   (c[jb * cw + ia] * (1 - u) + c[jb * cw + ib] * u) * v);
        }
    }
}

/* Smooth value noise: lattice values from a hash, smoothstep-interpolated. A table holds the
 * lattice of one octave over the image so a pixel costs four look-ups. */
typedef struct noise_table {
    double cell_um;
    long ni, nj;
    float *v;
} noise_table;

static int noise_init(noise_table *t, uint64_t key, double cell_um, double w_um, double h_um)
{
    t->cell_um = cell_um;
    t->ni = (long)(w_um / cell_um) + 2;
    t->nj = (long)(h_um / cell_um) + 2;
    t->v = malloc((size_t)t->ni * (size_t)t->nj * sizeof *t->v);
    if (!t->v)
        return -1;
    for (long j = 0; j < t->nj; ++j)
        for (long i = 0; i < t->ni; ++i) {
            uint64_t h = mn_rng_hash(key ^ mn_rng_hash((uint64_t)i * 0x9e3779b97f4a7c15ULL ^
                                                       (uint64_t)j * 0xc2b2ae3d27d4eb4fULL));
            t->v[(size_t)j * (size_t)t->ni + (size_t)i] = (float)((double)(h >> 40) * 0x1.0p-24);
        }
    return 0;
}

static double noise_at(const noise_table *t, double x_um, double y_um)
{
    double x = x_um / t->cell_um, y = y_um / t->cell_um;
    long i = (long)x, j = (long)y;
    i = i > t->ni - 2 ? t->ni - 2 : i;
    j = j > t->nj - 2 ? t->nj - 2 : j;
    double u = x - (double)i, v = y - (double)j;
    u = u * u * (3 - 2 * u);
    v = v * v * (3 - 2 * v);
    const float *r0 = t->v + (size_t)j * (size_t)t->ni + (size_t)i, *r1 = r0 + t->ni;
    return (r0[0] + (r0[1] - r0[0]) * u) * (1 - v) + (r1[0] + (r1[1] - r1[0]) * u) * v;
}

/* Fractal noise about 0.5: three octaves at scale, scale / 3, scale / 9. */
#define OCTAVES 3
typedef struct fbm_field {
    noise_table oct[OCTAVES];
} fbm_field;

static int fbm_init(fbm_field *f, uint64_t key, double scale_um, double w_um, double h_um)
{
    int rc = 0;
    for (int o = 0; o < OCTAVES; ++o, scale_um /= 3.0)
        f->oct[o].v = NULL;
    scale_um *= 27.0;
    for (int o = 0; o < OCTAVES; ++o, scale_um /= 3.0)
        rc |= noise_init(&f->oct[o], key + (uint64_t)o, scale_um, w_um, h_um);
    return rc;
}

static void fbm_free(fbm_field *f)
{
    for (int o = 0; o < OCTAVES; ++o)
        free(f->oct[o].v);
}

static double fbm(const fbm_field *f, double x_um, double y_um)
{
    static const double amp[OCTAVES] = {0.55, 0.275, 0.1375};
    double sum = 0;
    for (int o = 0; o < OCTAVES; ++o)
        sum += amp[o] * noise_at(&f->oct[o], x_um, y_um);
    return sum / (amp[0] + amp[1] + amp[2]);
}

/* 8-bit sRGB encoding by table (linear light in [0, 1], 16384 steps). */
#define SRGB_LUT 16384
static unsigned char srgb_lut[SRGB_LUT];
static pthread_once_t srgb_lut_once = PTHREAD_ONCE_INIT;

/* Filled once per process (pthread_once: renders in several threads may race to the first
 * use; a plain "ready" flag was a data race). */
static void srgb_lut_init(void)
{
    for (int i = 0; i < SRGB_LUT; ++i)
        srgb_lut[i] = (unsigned char)lround(255.0 * encode_srgb(i / (double)(SRGB_LUT - 1)));
}

/* mn_render_skin checks that every height and the look are finite before it renders, so v is
 * a number here; the comparison is written so that a NaN would still index 0, never
 * (int)NaN. */
static unsigned char to_srgb8(double v)
{
    v = v > 0.0 ? (v < 1.0 ? v : 1.0) : 0.0;
    return srgb_lut[(int)(v * (SRGB_LUT - 1) + 0.5)];
}

/* Lighting: one fixed light from the upper left, 35 degrees above the skin; the camera looks
 * straight down. Wrapped Lambert (w) imitates the soft terminator of a translucent material;
 * the subsurface blur radii (red scatters farthest in skin: Jensen HW et al., SIGGRAPH 2001,
 * "A practical model for subsurface light transport") and the other constants are chosen for a
 * photographic look, not measured. */
#define LIGHT_ELEVATION_DEG 35.0
#define WRAP 0.35
#define AMBIENT 0.22
#define SSS_SIGMA_UM_R 90.0
#define SSS_SIGMA_UM_G 45.0
#define SSS_SIGMA_UM_B 30.0
#define CAVITY_SIGMA_UM 250.0
#define CAVITY_SCALE_UM 120.0
#define CAVITY_STRENGTH 0.35
#define SPECULAR_DRY 0.035
#define SPECULAR_PER_EDEMA 0.25
#define SHININESS_LOG2 5 /* exponent 32 */
#define ALBEDO_STEP 4
#define CAVITY_DOWN 4
/* Erythema darkens as well as reddens: delta L* = -0.3 delta a* (assumed; haemoglobin
 * absorbs in the green). */
#define ERYTHEMA_DARKENING 0.3

/* Scratch memory of rendering one w x h map (render_impl.h). */
struct mn__skin_work {
    size_t w, h;
    float *f;      /* 9 w h: shade, 3 channels, cavities, sheen, 3 w h blur scratch; albedo grid */
    double *alb_x; /* the albedo grid's rows interpolated along x */
};

/* The colour grid: every ALBEDO_STEP-th pixel, and one more row and column. */
static size_t albedo_w(size_t w)
{
    return w / ALBEDO_STEP + 2;
}

int mn__skin_work_create(size_t w, size_t h, mn__skin_work **out, mn_error *err)
{
    *out = NULL;
    mn__skin_work *k = calloc(1, sizeof *k);
    const size_t n = w * h, cw = albedo_w(w), ch = albedo_w(h);
    if (k) {
        k->w = w, k->h = h;
        k->f = malloc((9 * n + cw * ch * 3) * sizeof *k->f);
        k->alb_x = malloc(ch * w * 3 * sizeof *k->alb_x);
    }
    if (!k || !k->f || !k->alb_x) {
        mn__skin_work_free(&k);
        return mn_error_set(err, MN_ENOMEM, "out of memory rendering %zu x %zu", w, h);
    }
    *out = k;
    return MN_OK;
}

void mn__skin_work_free(mn__skin_work **k)
{
    if (!k || !*k)
        return;
    free((*k)->f);
    free((*k)->alb_x);
    free(*k);
    *k = NULL;
}

static int check_args(const mn_field *height, const mn_skin_look *look, mn_image **out,
                      mn_error *err)
{
    if (!out)
        return mn_error_set(err, MN_EINVAL, "mn_render_skin: NULL output");
    *out = NULL;
    if (!height || !look)
        return mn_error_set(err, MN_EINVAL, "mn_render_skin: NULL argument");
    if (mn_field_get_kind(height) != MN_FIELD_HEIGHT)
        return mn_error_set(err, MN_EINVAL, "mn_render_skin: the field is not a height map");
    const size_t w = mn_field_xres(height), h = mn_field_yres(height), n = w * h;
    const double dx_um = mn_field_dx_m(height) * 1e6, dy_um = mn_field_dy_m(height) * 1e6;
    const double *z = mn_field_cdata(height);
    /* Colours come from the heights and the look: a NaN or infinity would reach the colour
     * table as an index, so it is refused, named, before anything is drawn. */
    if (!isfinite(look->erythema_da) || !isfinite(look->edema_rel))
        return mn_error_set(err, MN_ENUMERIC,
                            "mn_render_skin: the skin look is not finite (erythema %g, edema %g)",
                            look->erythema_da, look->edema_rel);
    if (!(dx_um > 0) || !(dy_um > 0) || !isfinite(dx_um) || !isfinite(dy_um))
        return mn_error_set(err, MN_ENUMERIC, "mn_render_skin: pixel size %g x %g um is not "
                            "finite and > 0", dx_um, dy_um);
    for (size_t k = 0; k < n; ++k)
        if (!isfinite(z[k]))
            return mn_error_set(err, MN_ENUMERIC,
                                "mn_render_skin: height at pixel (%zu, %zu) is not finite", k % w,
                                k / w);
    return MN_OK;
}

int mn_render_skin(const mn_field *height, const mn_skin_look *look, mn_image **out, mn_error *err)
{
    int rc = check_args(height, look, out, err);
    mn__skin_work *work = NULL;
    if (!rc)
        rc = mn__skin_work_create(mn_field_xres(height), mn_field_yres(height), &work, err);
    if (!rc)
        rc = mn__render_skin_with(height, look, work, out, err);
    mn__skin_work_free(&work);
    return rc;
}

int mn__render_skin_with(const mn_field *height, const mn_skin_look *look, mn__skin_work *work,
                         mn_image **out, mn_error *err)
{
    int rc = check_args(height, look, out, err);
    if (rc)
        return rc;
    const size_t w = mn_field_xres(height), h = mn_field_yres(height), n = w * h;
    if (!work || work->w != w || work->h != h)
        return mn_error_set(err, MN_EINVAL, "mn_render_skin: scratch memory of the wrong size");
    const double dx_um = mn_field_dx_m(height) * 1e6, dy_um = mn_field_dy_m(height) * 1e6;
    const double *z = mn_field_cdata(height);
    float *const buf = work->f;
    float *shade = buf, *sr = buf + n, *sg = buf + 2 * n, *sb = buf + 3 * n, *cav = buf + 4 * n;
    float *spec_keep = buf + 5 * n, *scratch = buf + 6 * n, *alb = buf + 9 * n;
    double *alb_x = work->alb_x;
    const double el = LIGHT_ELEVATION_DEG * MN_PI / 180.0;
    const double L[3] = {-cos(el) / sqrt(2.0), -cos(el) / sqrt(2.0), sin(el)};
    double H[3] = {L[0], L[1], L[2] + 1.0};
    double hn = sqrt(H[0] * H[0] + H[1] * H[1] + H[2] * H[2]);
    for (int i = 0; i < 3; ++i)
        H[i] /= hn;
    const double flat = (L[2] + WRAP) / (1.0 + WRAP);
    const double ks =
        SPECULAR_DRY * (1.0 + SPECULAR_PER_EDEMA / SPECULAR_DRY * mn__pos(look->edema_rel - 1.0));
    const double W_um = (double)w * dx_um, H_um = (double)h * dy_um;
    const uint64_t key = mn_rng_hash((uint64_t)look->seed ^ 0x736b696eULL /* skin */);
    fbm_field pig, lent, ery;
    int nrc = fbm_init(&pig, key, 3000.0, W_um, H_um);
    nrc |= fbm_init(&lent, key + 7, 1500.0, W_um, H_um);
    nrc |= fbm_init(&ery, key + 13, 2000.0, W_um, H_um);
    if (!nrc)
        rc = mn_image_create(out, w, h, err);
    if (nrc || rc) {
        fbm_free(&pig);
        fbm_free(&lent);
        fbm_free(&ery);
        return rc ? rc : mn_error_set(err, MN_ENOMEM, "out of memory rendering %zu x %zu", w, h);
    }
    pthread_once(&srgb_lut_once, srgb_lut_init);
    MN__PARALLEL_FOR(h)
    for (size_t j = 0; j < h; ++j) {
        size_t jm = j ? j - 1 : 0, jp = j + 1 < h ? j + 1 : h - 1;
        for (size_t i = 0; i < w; ++i) {
            size_t im = i ? i - 1 : 0, ip = i + 1 < w ? i + 1 : w - 1;
            double gx = (z[j * w + ip] - z[j * w + im]) * 1e6 / ((double)(ip - im) * dx_um);
            double gy = (z[jp * w + i] - z[jm * w + i]) * 1e6 / ((double)(jp - jm) * dy_um);
            double norm = sqrt(gx * gx + gy * gy + 1.0);
            double nx = -gx / norm, ny = -gy / norm, nz = 1.0 / norm;
            double ndl = nx * L[0] + ny * L[1] + nz * L[2];
            shade[j * w + i] = (float)(mn__pos(ndl + WRAP) / (1.0 + WRAP) / flat);
            double ndh = mn__pos(nx * H[0] + ny * H[1] + nz * H[2]);
            for (int q = 0; q < SHININESS_LOG2; ++q)
                ndh *= ndh;
            spec_keep[j * w + i] = (float)(ks * ndh);
            cav[j * w + i] = (float)(z[j * w + i] * 1e6);
        }
    }
    /* Cavities: depth below the local mean surface darkens (less light reaches a furrow). */
    blur_down(cav, w, h, CAVITY_DOWN, CAVITY_SIGMA_UM / dx_um, scratch);
    /* Each channel's blur starts from the same shading. */
    MN__PARALLEL_FOR(n)
    for (size_t k = 0; k < n; ++k) {
        double below = mn__pos((double)cav[k] - z[k] * 1e6);
        float v = shade[k] * (float)(1.0 - CAVITY_STRENGTH * tanh(below / CAVITY_SCALE_UM));
        sr[k] = sg[k] = sb[k] = v;
    }
    float *const sss[3] = {sr, sg, sb};
    const double sss_sigma[3] = {SSS_SIGMA_UM_R / dx_um, SSS_SIGMA_UM_G / dx_um,
                                 SSS_SIGMA_UM_B / dx_um};
    blur_channels(sss, sss_sigma, 3, w, h, scratch);

    double base[3];
    mn_render_skin_lab(look->skin_type, base);
    /* Mottled pigmentation grows with photoaging (assumed amplitudes, L* units). */
    const double mottle = 1.2 + 0.8 * (look->photoaging - 1);
    const double spots = 3.0 * mn__pos(look->photoaging - 2.0);
    /* Colour varies over 100 µm and more: it is computed on a grid of every ALBEDO_STEP-th
     * pixel (linear RGB) and interpolated bilinearly. */
    const size_t cw = albedo_w(w), ch = albedo_w(h);
    MN__PARALLEL_FOR(ch)
    for (size_t J = 0; J < ch; ++J)
        for (size_t I = 0; I < cw; ++I) {
            double x = ((double)(I * ALBEDO_STEP) + 0.5) * dx_um;
            double y = ((double)(J * ALBEDO_STEP) + 0.5) * dy_um;
            double pg = fbm(&pig, x, y) - 0.5;
            double lt = fbm(&lent, x, y);
            lt = lt > 0.62 ? fmin(1.0, (lt - 0.62) / 0.08) : 0.0;
            double red = look->erythema_da * (0.8 + 0.4 * fbm(&ery, x, y));
            double lab[3] = {base[0] - mottle * 2.0 * pg - spots * lt - ERYTHEMA_DARKENING * red,
                             base[1] + 0.3 * mottle * pg + red,
                             base[2] + mottle * 1.2 * pg + 0.5 * spots * lt};
            double lin[3];
            lab_to_linear(lab, lin);
            for (int c = 0; c < 3; ++c)
                alb[(J * cw + I) * 3 + (size_t)c] = (float)lin[c];
        }
    /* Each albedo row interpolated along x at every pixel column, once: four pixel rows share
     * it (the same operations as interpolating at each pixel, so the same values). */
    MN__PARALLEL_FOR(ch)
    for (size_t J = 0; J < ch; ++J)
        for (size_t i = 0; i < w; ++i) {
            size_t I = i / ALBEDO_STEP;
            double u = (double)(i % ALBEDO_STEP) / ALBEDO_STEP;
            const float *a0 = alb + (J * cw + I) * 3, *a1 = a0 + 3;
            for (int c = 0; c < 3; ++c)
                alb_x[(J * w + i) * 3 + (size_t)c] = a0[c] + (a1[c] - a0[c]) * u;
        }
    unsigned char *rgb = mn_image_rgb(*out);
    long bad = 0; /* colours that are not numbers (finite inputs can still overflow) */
    MN__PARALLEL_FOR_SUM(h, bad)
    for (size_t j = 0; j < h; ++j) {
        size_t J = j / ALBEDO_STEP;
        double v = (double)(j % ALBEDO_STEP) / ALBEDO_STEP;
        const double *top = alb_x + J * w * 3, *bottom = top + w * 3;
        for (size_t i = 0; i < w; ++i) {
            size_t k = j * w + i;
            double s[3] = {sr[k], sg[k], sb[k]};
            for (int c = 0; c < 3; ++c) {
                double lin = top[i * 3 + (size_t)c] * (1 - v) + bottom[i * 3 + (size_t)c] * v;
                double val = lin * (AMBIENT + (1.0 - AMBIENT) * s[c]) + spec_keep[k];
                bad += !isfinite(val);
                rgb[k * 3 + (size_t)c] = to_srgb8(val);
            }
        }
    }
    fbm_free(&pig);
    fbm_free(&lent);
    fbm_free(&ery);
    if (bad) {
        mn_image_free(out);
        return mn_error_set(err, MN_ENUMERIC,
                            "mn_render_skin: %ld colour values are not finite (erythema %g, "
                            "edema %g)",
                            bad, look->erythema_da, look->edema_rel);
    }
    return MN_OK;
}
