/* Healing kinetics of one voxel: pure functions (state in → rates out), shared by the column
 * and the 3-D model. Every rate is written in production–destruction form
 *     dy/dt = P(y) − L(y)·y,   P ≥ 0, L ≥ 0,
 * so the modified Patankar–Runge–Kutta step keeps every species non-negative for any time step
 * (Burchard, Deleersnijder & Meister 2003, Appl Numer Math 47:1). Equations and sources:
 * docs/model.md §Healing kinetics. Time in hours; densities relative to young dermis. */
#ifndef MNSIM_KINETICS_H
#define MNSIM_KINETICS_H

#include "mnsim/export.h"

#include "mnsim/params.h"
#include "mnsim/patient.h"
#include "mnsim/tissue.h"

typedef enum mn_species {
    MN_SP_DAMAGE,        /* injured volume fraction */
    MN_SP_PORE,          /* open channel (lumen) volume fraction */
    MN_SP_PLATELET,      /* clot / platelet factor */
    MN_SP_NEUTROPHIL,    /* inflammatory cells, early (0..1) */
    MN_SP_MACROPHAGE,    /* inflammatory cells, late (0..1) */
    MN_SP_GROWTH_FACTOR, /* TGF-β/PDGF lumped (diffusible) */
    MN_SP_MMP,           /* matrix metalloproteinase activity (diffusible), basal = 1 */
    MN_SP_FIBROBLAST,    /* fibroblast density (migrating) */
    MN_SP_COLLAGEN3,     /* collagen III density */
    MN_SP_COLLAGEN1,     /* collagen I density */
    MN_SP_ELASTIN,       /* functional elastic fibres */
    MN_SP_ELASTOSIS,     /* solar elastotic material */
    MN_SP_VESSEL,        /* vascular dilation (→ erythema, edema) */
    MN_SP_EDEMA,         /* interstitial fluid excess (volume fraction) */
    MN_SP_KERATINOCYTE,  /* viable-epidermis cell mass, basal = 1 */
    MN_SP_TOPICAL,       /* applied adjunct (diffusible), applied concentration = 1 */
    MN_SP_COUNT
} mn_species;

/* Fixed, per-voxel properties (depend on the layer, so only on depth). */
typedef struct mn_voxel_env {
    int layer;                      /* mn_layer */
    float vascular;                 /* capillary density 0..1: bleeding and erythema */
    float baseline[MN_SP_COUNT];    /* homeostatic state */
    float basal_synth[MN_SP_COUNT]; /* basal synthesis coefficients that make it steady */
} mn_voxel_env;

/* Time-dependent drivers, uniform in space. */
typedef struct mn_drivers {
    double capacity_rel;     /* fibroblast synthetic capacity / its value at day 0 */
    double capacity_induced; /* absolute capacity for injury-induced synthesis */
    double uv_med_per_day;   /* effective daily UV dose */
    double uv_mmp_factor;    /* 1 − retinoid block of UV-induced MMP */
    double gf_potency;       /* growth-factor release per unit topical (PRP, serums), 1/h */
    double vitamin_c_boost;  /* relative synthesis boost at saturating vitamin C */
    double hydration;        /* hyaluronic-acid water binding per unit topical, 1/h */
} mn_drivers;

MN_EXPORT const char *mn_species_name(mn_species s);
/* Species transported by diffusion/migration (growth factor, MMP, fibroblasts, topical). */
MN_EXPORT int mn_species_diffuses(mn_species s);

/* Builds the environment of a voxel of the given layer for this patient, with the baseline
 * state and the basal synthesis that makes it a steady state under `drivers0`. */
MN_EXPORT void mn_kinetics_env_init(mn_voxel_env *env, mn_layer layer, const mn_patient *pt,
                                    const mn_params *p, const mn_drivers *drivers0);

/* The kinetic environment of every voxel of a tissue's depth grid for one patient (a typed
 * handle; the environment depends only on the voxel's layer). */
typedef struct mn_kinetics_envs mn_kinetics_envs;

MN_EXPORT int mn_kinetics_envs_create(const mn_tissue *t, const mn_patient *pt, const mn_params *p,
                                      const mn_drivers *drivers0, mn_kinetics_envs **out,
                                      mn_error *err);
MN_EXPORT void mn_kinetics_envs_free(mn_kinetics_envs **e);
/* Environment of voxel i (0 ≤ i < mn_tissue_nz of the tissue it was made for). */
MN_EXPORT const mn_voxel_env *mn_kinetics_env_at(const mn_kinetics_envs *e, int i);
MN_EXPORT int mn_kinetics_envs_nz(const mn_kinetics_envs *e);

/* Production and loss rates: dy/dt = prod − loss·y. */
MN_EXPORT void mn_kinetics_rates(const mn_params *p, const mn_voxel_env *env, const mn_drivers *d,
                                 const float y[MN_SP_COUNT], double prod[MN_SP_COUNT],
                                 double loss[MN_SP_COUNT]);

/* Advances the local reactions by dt hours with the second-order, unconditionally positive
 * MPRK22 scheme. A steady state is preserved exactly (up to rounding). */
MN_EXPORT void mn_kinetics_step(const mn_params *p, const mn_voxel_env *env, const mn_drivers *d,
                                float y[MN_SP_COUNT], double dt_h);

/* mn_kinetics_step on n voxels of one environment at once: species s of voxel i is
 * rows[s][i] (structure of arrays, as the 3-D patch stores a row). Vectorised over voxels;
 * each voxel gets the same bits as mn_kinetics_step gives it. */
MN_EXPORT void mn_kinetics_step_row(const mn_params *p, const mn_voxel_env *env,
                                    const mn_drivers *d, float *const rows[MN_SP_COUNT], int n,
                                    double dt_h);

/* Applies the instantaneous injury of a session to a voxel: `fraction` of its volume is hit. */
MN_EXPORT void mn_kinetics_injure(const mn_params *p, const mn_voxel_env *env, float y[MN_SP_COUNT],
                                  double fraction);
/* The same on a double-precision state (the column). */
MN_EXPORT void mn_kinetics_injure_f64(const mn_params *p, const mn_voxel_env *env,
                                      double y[MN_SP_COUNT], double fraction);
/* The axon-reflex flare of a session on a voxel the needles reached: vasodilation
 * flare_vessel × vascularity × `coverage` (the area fraction inside some puncture's flare,
 * mn_injury.flare_fraction) added to the vessel state. */
MN_EXPORT void mn_kinetics_flare(const mn_params *p, const mn_voxel_env *env, float y[MN_SP_COUNT],
                                 double coverage);
MN_EXPORT void mn_kinetics_flare_f64(const mn_params *p, const mn_voxel_env *env,
                                     double y[MN_SP_COUNT], double coverage);

#endif
