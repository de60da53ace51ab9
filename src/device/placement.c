/* Per-puncture placement for the 3-D patch (docs/3d.md §Stamping). Every device is reduced to
 * the same picture: a needle face (its pattern of needle offsets) that is put down at strokes
 * spaced `pitch` apart along lanes `lane` wide, lanes parallel to the pass direction. The
 * density per pass is then needles / (pitch × lane), which equals mn_device_density_per_pass
 * for each kind, so the 3-D patch and the column model see the same puncture density. */
#include <math.h>
#include <stdlib.h>

#include "core/mn_math.h"
#include "mnsim/device.h"
#include "mnsim/rng.h"

#define MN_PLACE_MAX_NEEDLES 1000

typedef struct face {
    int n;
    double du[MN_PLACE_MAX_NEEDLES], dv[MN_PLACE_MAX_NEEDLES]; /* µm, along and across */
    double extent_um;                                          /* max |du|, |dv| */
    double pitch_um, lane_um;
    double jitter_along, jitter_across; /* hand jitter per stroke, σ in µm */
    int rotate;                         /* stamp: each press at its own angle */
} face;

/* Pen cartridge: needles on the nearest-to-centre points of a square grid (12 needles: a
 * 4 × 4 grid without its corners, the usual 12-pin cartridge layout), grid pitch = face / side. */
static void pen_face(const mn_device_spec *dev, const mn_params *p, face *f)
{
    int side = (int)ceil(sqrt((double)dev->needles));
    double w = dev->cartridge_mm * 1000.0, g = w / side;
    int n = 0;
    /* Take grid points in order of distance from the centre; ties broken by index so the
     * pattern is symmetric where it can be. */
    double best_prev = -1.0;
    while (n < dev->needles) {
        double best = INFINITY;
        for (int i = 0; i < side * side; ++i) {
            double u = (i % side + 0.5) * g - 0.5 * w, v = (i / side + 0.5) * g - 0.5 * w;
            double d = u * u + v * v;
            if (d > best_prev + 1e-9 && d < best)
                best = d;
        }
        for (int i = 0; i < side * side && n < dev->needles; ++i) {
            double u = (i % side + 0.5) * g - 0.5 * w, v = (i / side + 0.5) * g - 0.5 * w;
            if (fabs(u * u + v * v - best) < 1e-9) {
                f->du[n] = u;
                f->dv[n] = v;
                ++n;
            }
        }
        best_prev = best;
    }
    f->n = n;
    f->lane_um = w;
    f->pitch_um = dev->glide_mm_s / dev->stroke_hz * 1000.0;
    /* Hand speed varies from stroke to stroke and the hand wobbles across its lane (assumed,
     * params.h: σ half a stroke along, a quarter of the needle pitch across), so consecutive
     * strokes do not print perfect tracks. */
    f->jitter_along = p->pen_jitter_along * f->pitch_um;
    f->jitter_across = p->pen_jitter_across * g;
    f->rotate = 0;
}

/* Roller drum: rings of needles across the width, needles evenly spaced around each ring and
 * each ring staggered by half a spacing against its neighbour (helical rows, as on the
 * Dermaroller). One revolution prints the drum unrolled: pitch = circumference. */
static void roller_face(const mn_device_spec *dev, face *f)
{
    double c = MN_PI * dev->drum_diameter_mm * 1000.0, w = dev->drum_width_mm * 1000.0;
    int rings = (int)lround(sqrt(dev->needles * w / c));
    if (rings < 1)
        rings = 1;
    if (rings > dev->needles)
        rings = dev->needles;
    int n = 0;
    for (int r = 0; r < rings; ++r) {
        int per = dev->needles / rings + (r < dev->needles % rings ? 1 : 0);
        for (int j = 0; j < per; ++j, ++n) {
            f->du[n] = (j + 0.5 * (r % 2)) * c / per - 0.5 * c;
            f->dv[n] = (r + 0.5) * w / rings - 0.5 * w;
        }
    }
    f->n = n;
    f->lane_um = w;
    f->pitch_um = c;
    f->jitter_along = 0.0; /* the drum rolls without slipping */
    f->jitter_across = 0.0;
    f->rotate = 0;
}

/* Stamp: needles on a Vogel (sunflower) spiral filling the round face evenly; presses on a
 * square lattice whose cell has the face's area, each press turned at random. */
static void stamp_face(const mn_device_spec *dev, face *f)
{
    double d = dev->stamp_diameter_mm * 1000.0;
    const double golden = MN_PI * (3.0 - sqrt(5.0));
    for (int j = 0; j < dev->needles; ++j) {
        double r = 0.5 * d * sqrt((j + 0.5) / dev->needles), a = j * golden;
        f->du[j] = r * cos(a);
        f->dv[j] = r * sin(a);
    }
    f->n = dev->needles;
    f->lane_um = f->pitch_um = sqrt(0.25 * MN_PI) * d;
    f->jitter_along = f->jitter_across = 0.0;
    f->rotate = 1;
}

static double wrap(double v, double l)
{
    v = fmod(v, l);
    return v < 0 ? v + l : v;
}

static uint64_t stream_of(int session, int pass, long lane, long stroke)
{
    uint64_t k = mn_rng_hash(0x9e3779b97f4a7c15ull ^ (uint64_t)(unsigned)session);
    k = mn_rng_hash(k ^ ((uint64_t)(unsigned)pass << 20));
    k = mn_rng_hash(k ^ (uint64_t)lane);
    return mn_rng_hash(k ^ ((uint64_t)stroke << 1));
}

int mn_device_place(const mn_device_spec *dev, const mn_params *p, int passes, double patch_um,
                    unsigned long seed, int session, mn_puncture *out, size_t cap, size_t *count,
                    mn_error *err)
{
    if (!dev || !p || !count || !(patch_um > 0) || passes < 1 || session < 0)
        return mn_error_set(err, MN_EINVAL, "mn_device_place: invalid argument");
    if (dev->needles < 1 || dev->needles > MN_PLACE_MAX_NEEDLES)
        return mn_error_set(err, MN_ERANGE, "device.needles: %d is out of range (1 to %d)",
                            dev->needles, MN_PLACE_MAX_NEEDLES);
    face *f = malloc(sizeof *f);
    if (!f)
        return mn_error_set(err, MN_ENOMEM, "out of memory for puncture placement");
    switch (dev->kind) {
    case MN_DEVICE_PEN:
        pen_face(dev, p, f);
        break;
    case MN_DEVICE_ROLLER:
        roller_face(dev, f);
        break;
    case MN_DEVICE_STAMP:
    default:
        stamp_face(dev, f);
        break;
    }
    f->extent_um = 0;
    for (int j = 0; j < f->n; ++j)
        f->extent_um = fmax(f->extent_um, fmax(fabs(f->du[j]), fabs(f->dv[j])));
    const double L = patch_um, margin = f->extent_um + 4.0 * (f->jitter_along + f->jitter_across);
    size_t placed = 0;
    for (int pass = 0; pass < passes; ++pass) {
        /* Direction and offsets of this pass. */
        mn_rng r;
        mn_rng_init(&r, seed, stream_of(session, pass, -1, -1));
        const double theta = MN_PI * mn_rng_uniform(&r);
        const double q0 = f->lane_um * mn_rng_uniform(&r), s0 = f->pitch_um * mn_rng_uniform(&r);
        const double ex = cos(theta), ey = sin(theta); /* along */
        const double nx = -ey, ny = ex;                /* across */
        /* Lane coordinates (s, q) of the patch corners bound the lanes and strokes that can
         * reach the window. */
        double smin = INFINITY, smax = -INFINITY, qmin = INFINITY, qmax = -INFINITY;
        for (int c = 0; c < 4; ++c) {
            double x = (c & 1) ? L : 0.0, y = (c & 2) ? L : 0.0;
            double s = x * ex + y * ey, q = x * nx + y * ny;
            smin = fmin(smin, s), smax = fmax(smax, s), qmin = fmin(qmin, q), qmax = fmax(qmax, q);
        }
        long j0 = (long)floor((qmin - margin - q0) / f->lane_um) - 1;
        long j1 = (long)ceil((qmax + margin - q0) / f->lane_um) + 1;
        long k0 = (long)floor((smin - margin - s0) / f->pitch_um) - 1;
        long k1 = (long)ceil((smax + margin - s0) / f->pitch_um) + 1;
        for (long j = j0; j <= j1; ++j) {
            for (long k = k0; k <= k1; ++k) {
                mn_rng rs;
                mn_rng_init(&rs, seed, stream_of(session, pass, j, k));
                double s = s0 + k * f->pitch_um, q = q0 + (j + 0.5) * f->lane_um;
                if (f->jitter_along > 0)
                    s += f->jitter_along * mn_rng_normal(&rs);
                if (f->jitter_across > 0)
                    q += f->jitter_across * mn_rng_normal(&rs);
                double ca = 1.0, sa = 0.0;
                if (f->rotate) {
                    double a = 2.0 * MN_PI * mn_rng_uniform(&rs);
                    ca = cos(a), sa = sin(a);
                }
                for (int n = 0; n < f->n; ++n) {
                    double du = ca * f->du[n] - sa * f->dv[n];
                    double dv = sa * f->du[n] + ca * f->dv[n];
                    double su = s + du, qv = q + dv;
                    double x = su * ex + qv * nx, y = su * ey + qv * ny;
                    if (x < 0 || x >= L || y < 0 || y >= L)
                        continue;
                    if (out && placed < cap) {
                        out[placed].x_um = (float)wrap(x, L);
                        out[placed].y_um = (float)wrap(y, L);
                        out[placed].session = (short)session;
                        out[placed].pass = (short)pass;
                    }
                    ++placed;
                }
            }
        }
    }
    free(f);
    *count = placed;
    return MN_OK;
}
