/* Device → injury: puncture density, real penetration depth and channel geometry of one
 * session, and the damaged area fraction at each depth (docs/model.md §Injury). */
#ifndef MNSIM_DEVICE_H
#define MNSIM_DEVICE_H

#include "mnsim/export.h"

#include <stddef.h>

#include "mnsim/params.h"
#include "mnsim/scenario.h"

typedef struct mn_injury {
    double nominal_um;        /* needle length */
    double penetration_um;    /* real depth reached (skin deflects before it is pierced) */
    double density_per_mm2;   /* punctures per mm² over all passes */
    double channel_radius_um; /* radius of the channel left in the tissue (shaft part) */
    double tip_length_um;     /* conical tip: the channel narrows to 0 over this length */
    double flare_fraction;    /* area fraction inside some puncture's axon-reflex flare */
} mn_injury;

/* Injury of one session with the given needle length and passes. */
MN_EXPORT int mn_device_injury(const mn_device_spec *dev, double needle_length_mm, int passes,
                               const mn_params *p, mn_injury *out, mn_error *err);

/* Fraction of needles' nominal length that is buried in the skin (0..1). */
MN_EXPORT double mn_device_penetration_fraction(mn_device_kind kind, double needle_length_mm,
                                                const mn_params *p);

/* Punctures per mm² in one pass. */
MN_EXPORT double mn_device_density_per_pass(const mn_device_spec *dev);

/* Channel radius at a depth (µm; 0 below the penetration depth). */
MN_EXPORT double mn_injury_radius_at(const mn_injury *inj, double depth_um);

/* Damaged area fraction at a depth: Poisson coverage 1 - exp(-ρ π r(z)²), which counts
 * overlapping channels once (punctures land independently of each other). */
MN_EXPORT double mn_injury_damage_fraction(const mn_injury *inj, double depth_um);

/* Whether the session's flare dilates the vessels of a voxel whose top lies at depth_um:
 * the flare follows the punctures that reached it (1) or not (0). */
MN_EXPORT int mn_injury_flare_reaches(const mn_injury *inj, double top_um);

/* One puncture of the 3-D patch: channel centre on the periodic patch and where it came from. */
typedef struct mn_puncture {
    float x_um, y_um; /* centre, in [0, patch) */
    short session, pass;
} mn_puncture;

/* Places every puncture of one session's `passes` on a square patch of side patch_um, as the
 * device lays them (src/device/placement.c, docs/3d.md §Stamping): a pen stamps its cartridge
 * at stroke_hz while the hand glides in lanes one cartridge wide; a roller prints its drum's
 * needle rings once a revolution in lanes one drum wide; a stamp is pressed on a lattice one
 * face apart. Each pass has its own direction and offsets; each stroke its hand jitter (pen:
 * `pen_jitter_along`, `pen_jitter_across`); all
 * drawn from mn_rng streams keyed by (seed, session, pass, lane, stroke), so the result does
 * not depend on the order of calls. The patch is a window onto the treated area: the expected
 * count is mn_device_density_per_pass × passes × patch². Writes at most `cap` punctures to
 * `out` (may be NULL) and the number placed to *count; call with cap 0 to size the array. */
MN_EXPORT int mn_device_place(const mn_device_spec *dev, const mn_params *p, int passes,
                              double patch_um, unsigned long seed, int session, mn_puncture *out,
                              size_t cap, size_t *count, mn_error *err);

#endif
