/* Device → injury: puncture density, real penetration depth and channel geometry of one
 * session, and the damaged area fraction at each depth (docs/model.md §Injury). */
#ifndef MNSIM_DEVICE_H
#define MNSIM_DEVICE_H

#include "mnsim/params.h"
#include "mnsim/scenario.h"

typedef struct mn_injury {
    double nominal_um;        /* needle length */
    double penetration_um;    /* real depth reached (skin deflects before it is pierced) */
    double density_per_mm2;   /* punctures per mm² over all passes */
    double channel_radius_um; /* radius of the channel left in the tissue (shaft part) */
    double tip_length_um;     /* conical tip: the channel narrows to 0 over this length */
} mn_injury;

/* Injury of one session with the given needle length and passes. */
int mn_device_injury(const mn_device_spec *dev, double needle_length_mm, int passes,
                     const mn_params *p, mn_injury *out, mn_error *err);

/* Fraction of needles' nominal length that is buried in the skin (0..1). */
double mn_device_penetration_fraction(mn_device_kind kind, double needle_length_mm,
                                      const mn_params *p);

/* Punctures per mm² in one pass. */
double mn_device_density_per_pass(const mn_device_spec *dev);

/* Channel radius at a depth (µm; 0 below the penetration depth). */
double mn_injury_radius_at(const mn_injury *inj, double depth_um);

/* Damaged area fraction at a depth: Poisson coverage 1 - exp(-ρ π r(z)²), which counts
 * overlapping channels once (punctures land independently of each other). */
double mn_injury_damage_fraction(const mn_injury *inj, double depth_um);

#endif
