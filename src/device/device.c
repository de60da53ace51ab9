#include "mnsim/device.h"

#include <math.h>

#include "core/mn_math.h"

static double half_depth_mm(mn_device_kind kind, const mn_params *p)
{
    switch (kind) {
    case MN_DEVICE_PEN:
        return p->penetration_half_mm_pen;
    case MN_DEVICE_ROLLER:
        return p->penetration_half_mm_roller;
    case MN_DEVICE_STAMP:
    default:
        return p->penetration_half_mm_stamp;
    }
}

double mn_device_penetration_fraction(mn_device_kind kind, double needle_length_mm,
                                      const mn_params *p)
{
    /* Skin deflects before it is pierced, so short needles bury a small fraction of their
     * length (< 50 % below 1 mm: Lam 2008, penetration_fraction_shallow) while pens driven
     * perpendicularly at speed reach close to the setting (Sasaki 2019). A Hill function of
     * the nominal length captures both with one half-length per device kind. */
    double n = p->deflection_hill;
    double l = pow(needle_length_mm, n);
    double h = pow(half_depth_mm(kind, p), n);
    return l / (l + h);
}

double mn_device_density_per_pass(const mn_device_spec *dev)
{
    switch (dev->kind) {
    case MN_DEVICE_PEN:
        /* needles × strokes per second over the area the cartridge sweeps per second. */
        return dev->needles * dev->stroke_hz / (dev->glide_mm_s * dev->cartridge_mm);
    case MN_DEVICE_ROLLER:
        /* one revolution prints every needle once over the drum's rolled-out surface
         * (Dermaroller MF8: 192 needles, 2 × 2 cm → 15.3 per cm², roller_density_per_pass). */
        return dev->needles / (MN_PI * dev->drum_diameter_mm * dev->drum_width_mm);
    case MN_DEVICE_STAMP:
    default:
        return dev->needles / (MN_PI * 0.25 * dev->stamp_diameter_mm * dev->stamp_diameter_mm);
    }
}

int mn_device_injury(const mn_device_spec *dev, double needle_length_mm, int passes,
                     const mn_params *p, mn_injury *out, mn_error *err)
{
    if (!dev || !p || !out)
        return mn_error_set(err, MN_EINVAL, "mn_device_injury: NULL argument");
    if (!(needle_length_mm > 0) || passes < 1)
        return mn_error_set(err, MN_EINVAL, "mn_device_injury: needle length %g, passes %d",
                            needle_length_mm, passes);
    out->nominal_um = needle_length_mm * 1000.0;
    out->penetration_um =
        out->nominal_um * mn_device_penetration_fraction(dev->kind, needle_length_mm, p);
    out->density_per_mm2 = mn_device_density_per_pass(dev) * passes;
    /* The channel left behind is narrower than the needle: the tissue recoils. A roller's
     * needles enter and leave at an angle as the drum turns and leave wider channels (70.7 µm
     * for 140 µm needle bases, Kalluri 2011) than a pen's perpendicular strokes (fitted). */
    const double width = dev->kind == MN_DEVICE_ROLLER ? p->channel_width_fraction_roller
                                                       : p->channel_width_fraction;
    out->channel_radius_um = 0.5 * dev->needle_diameter_mm * 1000.0 * width;
    out->tip_length_um = p->tip_length_diameters * dev->needle_diameter_mm * 1000.0;
    /* Each puncture that reaches the dermis sets off an axon-reflex flare: vasodilation spreads
     * through the C-fibre terminals well beyond the channel (Neuroreport 2000;11:645). Flares of radius
     * R around punctures landing independently cover 1 - exp(-ρπR²) of the area, so redness
     * saturates with density instead of growing with the punctured area: sparse roller
     * punctures still redden most of the skin. */
    const double r_mm = p->flare_radius_um * 1e-3;
    out->flare_fraction = 1.0 - exp(-out->density_per_mm2 * MN_PI * r_mm * r_mm);
    return MN_OK;
}

double mn_injury_radius_at(const mn_injury *inj, double depth_um)
{
    if (depth_um < 0 || depth_um >= inj->penetration_um)
        return 0.0;
    double to_tip = inj->penetration_um - depth_um;
    if (to_tip >= inj->tip_length_um)
        return inj->channel_radius_um;
    return inj->channel_radius_um * to_tip / inj->tip_length_um;
}

double mn_injury_damage_fraction(const mn_injury *inj, double depth_um)
{
    double r_mm = mn_injury_radius_at(inj, depth_um) * 1e-3;
    return 1.0 - exp(-inj->density_per_mm2 * MN_PI * r_mm * r_mm);
}

int mn_injury_flare_reaches(const mn_injury *inj, double top_um)
{
    return top_um < inj->penetration_um;
}
