/* Skin mechanics of wrinkles: layer moduli, stiff-film-on-soft-substrate buckling, dermal
 * volume filling, and the Lemperle grade (docs/model.md §Wrinkles). */
#ifndef MNSIM_MECHANICS_H
#define MNSIM_MECHANICS_H

#include "mnsim/export.h"

#include "mnsim/outcome.h"
#include "mnsim/params.h"
#include "mnsim/patient.h"

/* Thick-substrate buckling of a film (modulus ef, thickness h) on a substrate (es) under plane
 * strain (Chen & Hutchinson 2004, J Appl Mech 71:597; Cerda & Mahadevan 2003, PRL 90:074302):
 *   critical strain ε_c = ¼ (3 Ē_s / Ē_f)^{2/3},  wavelength λ = 2π h (Ē_f / 3 Ē_s)^{1/3},
 *   amplitude A = h √(ε/ε_c − 1) for ε > ε_c (0 otherwise). Moduli in any one unit. */
MN_EXPORT double mn_buckling_critical_strain(double ef, double es);
MN_EXPORT double mn_buckling_wavelength(double h, double ef, double es);
MN_EXPORT double mn_buckling_amplitude(double h, double ef, double es, double strain);

/* Dermal modulus (kPa) from collagen and functional elastin density. */
MN_EXPORT double mn_mechanics_dermis_modulus(const mn_params *p, double collagen_rel,
                                             double elastin_rel);

/* Depth (µm) of the site's representative wrinkle in the current dermal state, given the
 * baseline state and the patient's baseline wrinkle. */
MN_EXPORT double mn_mechanics_wrinkle_depth(const mn_params *p, const mn_patient *pt,
                                            const mn_dermal_state *base,
                                            const mn_dermal_state *now);

/* Depth of one wrinkle now relative to baseline: its dynamic (buckling) part, at compression
 * ratio ε/ε_c(baseline) = `compression` (> 1), carries `buckling_share` of the depth, the rest is
 * the crease that follows the dermal support deficit. mn_mechanics_wrinkle_depth is
 * pt->wrinkle_depth_um times this at pt->wrinkle_compression and p->wrinkle_buckling_share; the
 * surface model (surface.h) gives every wrinkle of its map its own compression and share. */
MN_EXPORT double mn_mechanics_wrinkle_depth_ratio(const mn_params *p, const mn_patient *pt,
                                                  const mn_dermal_state *base,
                                                  const mn_dermal_state *now, double compression,
                                                  double buckling_share);

/* Continuous Lemperle grade (0-5) of a wrinkle depth. */
MN_EXPORT double mn_mechanics_wrinkle_grade(const mn_params *p, double depth_um);

#endif
