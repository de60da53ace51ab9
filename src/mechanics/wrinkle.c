/* Wrinkle mechanics (docs/model.md §Wrinkles). */
#include <math.h>

#include "core/mn_math.h"
#include "mnsim/mechanics.h"

double mn_buckling_critical_strain(double ef, double es)
{
    return 0.25 * pow(3.0 * es / ef, 2.0 / 3.0);
}

double mn_buckling_wavelength(double h, double ef, double es)
{
    return 2.0 * MN_PI * h * cbrt(ef / (3.0 * es));
}

double mn_buckling_amplitude(double h, double ef, double es, double strain)
{
    double ec = mn_buckling_critical_strain(ef, es);
    return strain > ec ? h * sqrt(strain / ec - 1.0) : 0.0;
}

double mn_mechanics_dermis_modulus(const mn_params *p, double collagen_rel, double elastin_rel)
{
    /* Collagen carries the load of the dermal network; network moduli scale with about the
     * square of fibre density (collagen gels: Yang & Kaufman 2009, Biophys J 96:1566, assumed
     * to transfer to dermis); elastin adds a small low-strain share (modulus_elastin_share),
     * so young skin has the reference modulus. */
    const double es = p->modulus_elastin_share;
    return p->modulus_dermis_kpa *
           ((1.0 - es) * pow(fmax(collagen_rel, 0.0), p->modulus_collagen_exponent) +
            es * fmax(elastin_rel, 0.0));
}

/* Dermal support deficit: the permanent crease of an aged wrinkle follows the loss of dermal
 * collagen and thickness (dermal "hinge"; assumed linear, docs/model.md), thickness weighted
 * by crease_thickness_weight and collagen by the rest. A floor keeps a young skin's fine
 * lines. */
static double support_deficit(const mn_params *p, const mn_patient *pt, const mn_dermal_state *s)
{
    const double w = p->crease_thickness_weight;
    double q = (1.0 - w) * s->collagen_upper_rel + w * s->dermis_um / pt->dermis_young_um;
    return p->crease_deficit_floor + mn__pos(1.0 - q);
}

double mn_mechanics_wrinkle_depth_ratio(const mn_params *p, const mn_patient *pt, const mn_dermal_state *base,
                              const mn_dermal_state *now, double compression, double buckling_share)
{
    /* Dynamic part: epidermis (film) buckling on the dermis (substrate) at the compression of
     * the site's expression muscles, fixed at ε = r0·ε_c(baseline). A stiffer dermis raises
     * ε_c and lowers the amplitude; a thicker film raises it in proportion. */
    double ef = p->modulus_epidermis_kpa;
    double strain = compression * mn_buckling_critical_strain(ef, base->modulus_kpa);
    double a0 = mn_buckling_amplitude(base->epidermis_um, ef, base->modulus_kpa, strain);
    double a = mn_buckling_amplitude(now->epidermis_um, ef, now->modulus_kpa, strain);
    double dynamic = a0 > 0 ? a / a0 : 1.0;
    /* Static part: the crease, filled by new dermal volume. */
    double crease = support_deficit(p, pt, now) / support_deficit(p, pt, base);
    return buckling_share * dynamic + (1.0 - buckling_share) * crease;
}

double mn_mechanics_wrinkle_depth(const mn_params *p, const mn_patient *pt, const mn_dermal_state *base,
                        const mn_dermal_state *now)
{
    return pt->wrinkle_depth_um * mn_mechanics_wrinkle_depth_ratio(p, pt, base, now, pt->wrinkle_compression,
                                                         p->wrinkle_buckling_share);
}

double mn_mechanics_wrinkle_grade(const mn_params *p, double depth_um)
{
    /* Lemperle et al. 2001 (Plast Reconstr Surg 108:1735) graded wrinkles 0-5 against
     * reference photographs and found the grades linearly correlated with profilometric depth
     * of silicone replicas (r = 0.87): a linear map, grade = depth / s, with s the depth of one
     * grade. Their profilometry table puts grade 1 of the nasolabial fold below 0.2 mm (via
     * Bibb 2006, Medical Modelling, p. 264), i.e. s ~ 133 um there; the scale is relative to
     * each site's reference photographs, so finer sites have smaller steps. s is calibrated to
     * the baseline and change of the Lemperle grades of the microneedling trials
     * (docs/calibration.md). The photographic scale ends at 5 ("very deep wrinkle, redundant
     * fold"); the map is continued linearly beyond it instead of being cut at 5, so a deep
     * wrinkle that gets shallower still reads as a lower grade (a cap read 5.00 → 5.00 for an
     * 11 % shallower wrinkle, and a compressed map near 5 hid nearly all of it). A grade above
     * 5 means "deeper than the deepest reference photograph", extrapolated (docs/model.md). */
    const double s = p->wrinkle_grade_scale_um;
    if (!(depth_um > 0) || !(s > 0))
        return 0.0;
    return depth_um / s;
}
