/* Pictures of the 3-D patch: virtual histology (Masson's trichrome) and the puncture map
 * (docs/3d.md §Pictures), drawn from the patch's public accessors (patch3d.h). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mn_math.h"
#include "mnsim/patch3d.h"
#include "mnsim/render.h"
#include "render/render_impl.h"

/* Section pixel size (µm): fine enough for fibre texture, nuclei and the epidermis. */
#define MN_HISTO_PX_UM 2.5
#define MN_LABEL_H 28

/* What the pictures read of the patch. */
typedef struct hview {
    const mn_patch3d *patch;
    const mn_tissue *tissue;
    int nx, ny, nz, nsessions;
    double dx_um, patch_um;
    size_t plane, npunct;
    const mn_puncture *punct;
} hview;

static hview view_of(const mn_patch3d *patch)
{
    hview v = {.patch = patch, .tissue = mn_patch3d_tissue(patch)};
    mn_patch3d_dims(patch, &v.nx, &v.ny, &v.nz, &v.dx_um);
    v.patch_um = mn_patch3d_size_um(patch);
    v.plane = (size_t)v.nx * (size_t)v.ny;
    v.punct = mn_patch3d_punctures(patch, &v.npunct);
    v.nsessions = mn_patch3d_session_count(patch);
    return v;
}

/* Value noise on an integer lattice (hash → [0, 1)), bilinear, for stain texture. */
static double lattice(long i, long j, uint32_t salt)
{
    uint32_t h = (uint32_t)i * 0x8da6b343u ^ (uint32_t)j * 0xd8163841u ^ salt * 0xcb1ab31fu;
    h ^= h >> 13;
    h *= 0x5bd1e995u;
    h ^= h >> 15;
    return (h & 0xffffff) / 16777216.0;
}

static double noise(double x, double y, uint32_t salt)
{
    long i = (long)floor(x), j = (long)floor(y);
    double fx = x - i, fy = y - j;
    fx = fx * fx * (3 - 2 * fx);
    fy = fy * fy * (3 - 2 * fy);
    double a = lattice(i, j, salt), b = lattice(i + 1, j, salt);
    double c = lattice(i, j + 1, salt), d = lattice(i + 1, j + 1, salt);
    return (a + (b - a) * fx) * (1 - fy) + (c + (d - c) * fx) * fy;
}

static double clamp01(double v)
{
    return v < 0 ? 0 : (v > 1 ? 1 : v);
}

static void mix(double *c, const double *to, double a)
{
    for (int i = 0; i < 3; ++i)
        c[i] += (to[i] - c[i]) * a;
}

/* Field value at depth z (µm) and horizontal x (µm) on row j: linear between voxel centres. */
static double sample(const hview *m, mn_species s, int j, double x_um, double z_um)
{
    const int nz = m->nz;
    int k = 0;
    while (k + 1 < nz && mn_tissue_center_um(m->tissue, k + 1) <= z_um)
        ++k;
    double zc0 = mn_tissue_center_um(m->tissue, k);
    int k1 = k;
    double wz = 0;
    /* Interpolate only inside a layer: the stain changes sharply at layer boundaries. */
    if (z_um > zc0 && k + 1 < nz &&
        mn_tissue_layer(m->tissue, k + 1) == mn_tissue_layer(m->tissue, k)) {
        k1 = k + 1;
        wz = (z_um - zc0) / (mn_tissue_center_um(m->tissue, k1) - zc0);
    }
    double fx = x_um / m->dx_um - 0.5;
    int i0 = (int)floor(fx);
    double wx = fx - i0;
    int ia = ((i0 % m->nx) + m->nx) % m->nx, ib = (ia + 1) % m->nx;
    double v00 = mn_patch3d_value(m->patch, s, k, j, ia), v01 = mn_patch3d_value(m->patch, s, k, j, ib);
    double v10 = mn_patch3d_value(m->patch, s, k1, j, ia), v11 = mn_patch3d_value(m->patch, s, k1, j, ib);
    return (v00 + (v01 - v00) * wx) * (1 - wz) + (v10 + (v11 - v10) * wx) * wz;
}

static int layer_at(const hview *m, double z_um)
{
    int k = 0;
    while (k + 1 < m->nz && mn_tissue_top_um(m->tissue, k + 1) <= z_um)
        ++k;
    return (int)mn_tissue_layer(m->tissue, k);
}

static void scale_bar(mn_image *img, long x_right, long y, double px_um, double bar_um)
{
    static const unsigned char black[3] = {20, 20, 20};
    long w = lround(bar_um / px_um);
    mn__image_fill(img, x_right - w, y, w, 5, black);
    char label[32];
    snprintf(label, sizeof label, "%g UM", bar_um);
    long tw = mn__text_width(label, 2);
    mn__image_text(img, x_right - w / 2 - tw / 2, y - 20, 2, label, black);
}

int mn_render_histology(const mn_patch3d *patch, const char *path, const char *title,
                               mn_error *err)
{
    const hview view = view_of(patch), *m = &view;
    const double px = MN_HISTO_PX_UM, depth = mn_tissue_depth_um(m->tissue);
    const long w = lround(m->patch_um / px), hsec = lround(depth / px);
    mn_image *img = NULL;
    int rc = mn_image_create(&img, (size_t)w, (size_t)(hsec + MN_LABEL_H + 34), err);
    if (rc)
        return rc;
    unsigned char *rgb = mn_image_rgb(img);
    const int j = m->ny / 2;
    /* Masson's trichrome (Masson 1929, J Tech Methods 12:75): collagen blue (aniline blue),
     * keratin and cytoplasm red-pink (Biebrich scarlet–acid fuchsin), nuclei dark (iron
     * haematoxylin); elastic fibres drawn dark as with a Verhoeff counterstain; fat is empty. */
    static const double slide[3] = {246, 243, 243}, blue[3] = {46, 86, 178},
                        pale[3] = {226, 214, 226}, pink[3] = {214, 112, 138},
                        keratin[3] = {196, 74, 98}, nucleus[3] = {58, 36, 62},
                        elastic[3] = {40, 26, 44}, fibrin[3] = {190, 40, 50};
    int e0, e1;
    mn_tissue_layer_range(m->tissue, MN_LAYER_EPIDERMIS, &e0, &e1);
    const double epi_top = mn_tissue_top_um(m->tissue, e0);
    const double epi_h = mn_tissue_top_um(m->tissue, e1) - epi_top;
    const double pap_c = mn_tissue_center_um(m->tissue, e1); /* first papillary voxel */
    for (long py = 0; py < hsec; ++py) {
        const double z = (py + 0.5) * px;
        for (long pxl = 0; pxl < w; ++pxl) {
            const double x = (pxl + 0.5) * px;
            double c[3] = {slide[0], slide[1], slide[2]};
            /* The viable epidermis is drawn as thick as its keratinocyte mass (epidermis_um
             * follows it), over a dermo-epidermal junction undulating with rete ridges. */
            const double ker = sample(m, MN_SP_KERATINOCYTE, j, x, epi_top + 0.5 * epi_h);
            const double ridge = 9.0 * sin(2 * MN_PI * x / 130.0 + 2.5 * noise(x / 200, 0, 12));
            const double dej = epi_top + epi_h * ker + ridge;
            int layer = layer_at(m, z);
            if (layer == MN_LAYER_EPIDERMIS || layer == MN_LAYER_PAPILLARY)
                layer = z < dej ? MN_LAYER_EPIDERMIS : MN_LAYER_PAPILLARY;
            /* Papillary pixels pushed up by a ridge take the dermis' values at its top. */
            const double zs = layer == MN_LAYER_PAPILLARY ? fmax(z, pap_c) : z;
            const double dmg = sample(m, MN_SP_DAMAGE, j, x, zs);
            if (layer == MN_LAYER_STRATUM_CORNEUM) {
                /* Basket-weave keratin: thin wavy red lamellae. */
                double lam = noise(x / 12.0, z / 2.0, 1);
                mix(c, keratin, lam > 0.35 ? 0.75 : 0.25);
            } else if (layer == MN_LAYER_EPIDERMIS) {
                /* Keratinocytes: pink cytoplasm, round dark nuclei, basal layer darker. */
                mix(c, pink, 0.8 + 0.2 * noise(x / 4, z / 4, 2));
                double cx = x / 9.0, cz = z / 9.0;
                double fx = cx - floor(cx) - 0.5, fz = cz - floor(cz) - 0.5;
                double jx = lattice((long)floor(cx), (long)floor(cz), 3) - 0.5;
                double jz = lattice((long)floor(cx), (long)floor(cz), 4) - 0.5;
                if (hypot(fx - 0.4 * jx, fz - 0.4 * jz) < 0.22)
                    mix(c, nucleus, dej - z < 10.0 ? 0.9 : 0.7);
            } else if (layer == MN_LAYER_HYPODERMIS) {
                /* Adipocytes (empty, ~60 µm) separated by thin collagen septa. */
                double cell = 60.0;
                long ci = (long)floor(x / cell), cj = (long)floor(z / cell);
                double d1 = 1e30, d2 = 1e30;
                for (long b = cj - 1; b <= cj + 1; ++b)
                    for (long a = ci - 1; a <= ci + 1; ++a) {
                        double sx = (a + 0.15 + 0.7 * lattice(a, b, 7)) * cell;
                        double sz = (b + 0.15 + 0.7 * lattice(a, b, 8)) * cell;
                        double d = hypot(x - sx, z - sz);
                        if (d < d1)
                            d2 = d1, d1 = d;
                        else if (d < d2)
                            d2 = d;
                    }
                double col =
                    sample(m, MN_SP_COLLAGEN1, j, x, z) + sample(m, MN_SP_COLLAGEN3, j, x, z);
                if (d2 - d1 < 2.5 + 4.0 * col)
                    mix(c, blue, clamp01(0.55 + 0.5 * col));
            } else {
                /* Dermis: collagen bundles, wavy and mostly parallel to the surface (fine and
                 * loose in the papillary dermis, coarse in the reticular), with pale clefts
                 * between them that close as the collagen density rises. */
                const double col =
                    sample(m, MN_SP_COLLAGEN1, j, x, zs) + sample(m, MN_SP_COLLAGEN3, j, x, zs);
                const int papillary = layer == MN_LAYER_PAPILLARY;
                const double sx = papillary ? 14.0 : 45.0, sz = papillary ? 4.0 : 9.0;
                const double warp =
                    (papillary ? 6.0 : 14.0) * (noise(x / 70.0, z / 50.0, 4) - 0.5) +
                    4.0 * sin(x / 23.0 + 3.0 * noise(x / 150, z / 90, 13));
                const double bundle = 0.65 * noise(x / sx, (z + warp) / sz, 5) +
                                      0.35 * noise(x / (0.35 * sx), (z + warp) / (0.35 * sz), 6);
                /* Young dermis (density ~1) leaves ~20 % clefts; sparse collagen, more. */
                const double cleft = clamp01(0.62 - 0.45 * col);
                if (bundle > cleft) {
                    double shade = clamp01((bundle - cleft) / 0.25);
                    double fibre[3] = {blue[0], blue[1], blue[2]};
                    mix(c, pale, 0.5);
                    mix(c, fibre, clamp01(0.35 + 0.55 * shade) * clamp01(0.55 + 0.5 * col));
                } else {
                    mix(c, pale, 0.35);
                }
                /* Elastic fibres: thin dark wavy threads, sparse in proportion to elastin. */
                const double el =
                    sample(m, MN_SP_ELASTIN, j, x, zs) + sample(m, MN_SP_ELASTOSIS, j, x, zs);
                const double thread = fabs(noise(x / 25.0, (z + 1.5 * warp) / 4.0, 7) - 0.5);
                if (thread < 0.007 * clamp01(el) && noise(x / 60.0, z / 30.0, 8) < 0.6)
                    mix(c, elastic, 0.85);
                /* Fibroblast nuclei: elongated along the fibres, one per cell of a jittered
                 * grid with probability following the fibroblast density. */
                const double fbl = sample(m, MN_SP_FIBROBLAST, j, x, zs);
                const double gx = 34.0, gz = 17.0;
                const long ci = (long)floor(x / gx), cj = (long)floor(z / gz);
                for (long b = cj - 1; b <= cj + 1; ++b)
                    for (long a = ci - 1; a <= ci + 1; ++a) {
                        if (lattice(a, b, 9) > 0.28 * fbl)
                            continue;
                        double nx0 = (a + lattice(a, b, 10)) * gx,
                               nz0 = (b + lattice(a, b, 11)) * gz;
                        double ex = (x - nx0) / 6.0, ez = (z - nz0) / 1.8;
                        if (ex * ex + ez * ez < 1.0)
                            mix(c, nucleus, 0.9);
                    }
            }
            /* Fresh channels: fibrin and blood where the needle went. */
            if (dmg > 0.05 && layer != MN_LAYER_STRATUM_CORNEUM)
                mix(c, fibrin, 0.7 * clamp01(dmg));
            unsigned char *o = rgb + 3 * ((size_t)(py + MN_LABEL_H) * w + pxl);
            for (int i = 0; i < 3; ++i)
                o[i] = (unsigned char)lround(fmin(255, fmax(0, c[i])));
        }
    }
    static const unsigned char white[3] = {255, 255, 255}, black[3] = {20, 20, 20};
    mn__image_fill(img, 0, 0, w, MN_LABEL_H, white);
    mn__image_text(img, 8, 7, 2, title, black);
    mn__image_fill(img, 0, MN_LABEL_H + hsec, w, 34, white);
    scale_bar(img, w - 12, MN_LABEL_H + hsec + 24, px, 200.0);
    mn__image_text(img, 8, MN_LABEL_H + hsec + 12, 2, "MASSON TRICHROME (VIRTUAL)", black);
    rc = mn_image_write_png(img, path, err);
    mn_image_free(&img);
    return rc;
}

int mn_render_puncture_map(const mn_patch3d *patch, double channel_radius_um, const char *path,
                                  mn_error *err)
{
    const hview view = view_of(patch), *m = &view;
    const double px = 4.0, L = m->patch_um;
    const long w = lround(L / px);
    mn_image *img = NULL;
    int rc = mn_image_create(&img, (size_t)w, (size_t)(w + MN_LABEL_H + 34), err);
    if (rc)
        return rc;
    unsigned char *rgb = mn_image_rgb(img);
    static const unsigned char skin[3] = {236, 206, 186};
    static const unsigned char palette[6][3] = {{200, 30, 40}, {30, 90, 200},  {30, 150, 60},
                                                {210, 130, 0}, {130, 40, 170}, {0, 150, 160}};
    for (long i = 0; i < w * w; ++i)
        memcpy(rgb + 3 * ((size_t)(i / w + MN_LABEL_H) * w + i % w), skin, 3);
    const double r = fmax(channel_radius_um, px);
    for (size_t q = 0; q < m->npunct; ++q) {
        const mn_puncture *p = &m->punct[q];
        const unsigned char *col = palette[p->session % 6];
        long x0 = (long)floor((p->x_um - r) / px), x1 = (long)ceil((p->x_um + r) / px);
        long y0 = (long)floor((p->y_um - r) / px), y1 = (long)ceil((p->y_um + r) / px);
        for (long yy = y0; yy <= y1; ++yy)
            for (long xx = x0; xx <= x1; ++xx) {
                double dx = (xx + 0.5) * px - p->x_um, dy = (yy + 0.5) * px - p->y_um;
                if (dx * dx + dy * dy > r * r)
                    continue;
                long wx = ((xx % w) + w) % w, wy = ((yy % w) + w) % w; /* periodic patch */
                unsigned char *o = rgb + 3 * ((size_t)(wy + MN_LABEL_H) * w + wx);
                for (int c = 0; c < 3; ++c)
                    o[c] = (unsigned char)((o[c] + 2 * col[c]) / 3);
            }
    }
    static const unsigned char white[3] = {255, 255, 255}, black[3] = {20, 20, 20};
    mn__image_fill(img, 0, 0, w, MN_LABEL_H, white);
    long x = 8;
    x += mn__image_text(img, x, 7, 2, "PUNCTURES BY SESSION:", black) + 8;
    for (int s = 0; s < m->nsessions && s < 6; ++s) {
        char label[8];
        snprintf(label, sizeof label, "%d", s + 1);
        x += mn__image_text(img, x, 7, 2, label, palette[s]) + 8;
    }
    mn__image_fill(img, 0, MN_LABEL_H + w, w, 34, white);
    char info[64];
    snprintf(info, sizeof info, "%zu CHANNELS", m->npunct);
    mn__image_text(img, 8, MN_LABEL_H + w + 12, 2, info, black);
    scale_bar(img, w - 12, MN_LABEL_H + w + 24, px, L >= 1500 ? 500.0 : 100.0);
    rc = mn_image_write_png(img, path, err);
    mn_image_free(&img);
    return rc;
}
