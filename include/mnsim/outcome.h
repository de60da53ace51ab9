/* Observables: what mnsim reports (docs/model.md §5; the names are a contract of results.json).
 * Computed from horizontally averaged depth profiles, so the column and 3-D models share them. */
#ifndef MNSIM_OUTCOME_H
#define MNSIM_OUTCOME_H

#include "mnsim/export.h"

#include "mnsim/kinetics.h"
#include "mnsim/patient.h"
#include "mnsim/scenario.h"
#include "mnsim/tissue.h"

#define MN_OBSERVABLE_LIST(X)                                                                      \
    X(MN_OBS_COLLAGEN_I_PCT, "collagen_I_pct", "% area")                                           \
    X(MN_OBS_COLLAGEN_III_PCT, "collagen_III_pct", "% area")                                       \
    X(MN_OBS_ELASTIN_PCT, "elastin_pct", "% area")                                                 \
    X(MN_OBS_COLLAGEN_TOTAL_REL, "collagen_total_rel", "1")                                        \
    X(MN_OBS_EPIDERMIS_UM, "epidermis_um", "um")                                                   \
    X(MN_OBS_DERMIS_UM, "dermis_um", "um")                                                         \
    X(MN_OBS_DERMIS_MODULUS_KPA, "dermis_modulus_kpa", "kPa")                                      \
    X(MN_OBS_WRINKLE_DEPTH_UM, "wrinkle_depth_um", "um")                                           \
    X(MN_OBS_SA_UM, "Sa_um", "um")                                                                 \
    X(MN_OBS_SQ_UM, "Sq_um", "um")                                                                 \
    X(MN_OBS_SZ_UM, "Sz_um", "um")                                                                 \
    X(MN_OBS_ERYTHEMA, "erythema", "delta a*")                                                     \
    X(MN_OBS_EDEMA_REL, "edema_rel", "1")                                                          \
    X(MN_OBS_TEWL_REL, "tewl_rel", "1")                                                            \
    X(MN_OBS_PIH_RISK, "pih_risk", "probability")                                                  \
    X(MN_OBS_PAIN_VAS, "pain_vas", "VAS 0-10")                                                     \
    X(MN_OBS_WRINKLE_GRADE, "wrinkle_grade", "Lemperle 0-5")

typedef enum mn_observable {
#define MN__OBS_ENUM(id, name, unit) id,
    MN_OBSERVABLE_LIST(MN__OBS_ENUM)
#undef MN__OBS_ENUM
        MN_OBS_COUNT
} mn_observable;

MN_EXPORT const char *mn_observable_name(mn_observable o);
MN_EXPORT const char *mn_observable_unit(mn_observable o);

/* The dermal state the surface and wrinkle mechanics need, relative to baseline. */
typedef struct mn_dermal_state {
    double epidermis_um;
    double dermis_um;
    double modulus_kpa;
    double collagen_upper_rel; /* upper-dermis collagen (I + III), young = 1 */
    double elastin_rel;        /* functional elastin, young = 1 */
    double edema;              /* dermal fluid excess (volume fraction) */
} mn_dermal_state;

/* Profiles of every species over the depth grid: profile[s][i]. */
typedef struct mn_profiles {
    const double *species[MN_SP_COUNT];
} mn_profiles;

/* State carried between samples: integrals over time (PIH hazard) and baselines. */
typedef struct mn_outcome_ctx {
    const mn_tissue *tissue;
    const mn_kinetics_envs *envs;
    const mn_patient *patient;
    const mn_params *params;
    const mn_scenario *scenario;
    double collagen_total0;  /* baseline dermal collagen (normalises collagen_total_rel) */
    double pih_hazard;       /* accumulated hazard */
    double pih_rate;         /* hazard rate at the last accumulated time (trapezoidal rule) */
    double pih_scale;        /* hazard per unit of papillary neutrophils (1/h) */
    double erythema_reading; /* a* read per unit of redness for the skin type (melanin) */
    mn_dermal_state dermal0; /* baseline, for the wrinkle mechanics */
} mn_outcome_ctx;

/* Initialises the context from the baseline profiles. */
MN_EXPORT void mn_outcome_init(mn_outcome_ctx *ctx, const mn_tissue *t,
                               const mn_kinetics_envs *envs, const mn_patient *pt,
                               const mn_params *p, const mn_scenario *sc,
                               const mn_profiles *baseline);

/* Dermal state of the current profiles. */
MN_EXPORT void mn_outcome_dermal(const mn_outcome_ctx *ctx, const mn_profiles *prof,
                                 mn_dermal_state *out);

/* Adds dt hours of PIH hazard from the current inflammation (neutrophil profile[nz]). */
MN_EXPORT void mn_outcome_accumulate(mn_outcome_ctx *ctx, const double *neutrophil, double dt_h);
/* Erythema (Δa*, the observable) of a vessel-dilation profile (papillary dermis). */
MN_EXPORT double mn_outcome_erythema(const mn_outcome_ctx *ctx, const double *vessel);
/* Time (units of h) a quantity linear from a to b over an interval h spends at or above the
 * threshold. */
MN_EXPORT double mn_outcome_time_above(double a, double b, double h, double threshold);

/* All observables now. `pain` is the procedural pain of a session on this sample's day (0 on
 * days without one). `dermal_out` (may be NULL) receives the dermal state they were computed
 * from, so callers need not compute it again. The wrinkle depth is the representative
 * wrinkle's and Sa/Sq/Sz are NaN: a run with a height map sets them from it with
 * mn_outcome_set_surface. */
MN_EXPORT void mn_outcome_compute(const mn_outcome_ctx *ctx, const mn_profiles *prof, double pain,
                                  double obs[MN_OBS_COUNT], mn_dermal_state *dermal_out);

/* Replaces the wrinkle observables with those of a height map (surface.h): the mean maximum
 * depth of its wrinkles and its ISO 25178 heights; the grade follows the depth. */
MN_EXPORT void mn_outcome_set_surface(const mn_outcome_ctx *ctx, double wrinkle_depth_um,
                                      double sa_um, double sq_um, double sz_um,
                                      double obs[MN_OBS_COUNT]);

/* The fast observables (erythema, edema_rel, tewl_rel) of the vessel, edema and pore profiles,
 * the same values mn_outcome_compute gives: cheap enough to follow at every time step, so
 * their true extremes are known between samples. */
MN_EXPORT void mn_outcome_acute(const mn_outcome_ctx *ctx, const double *vessel,
                                const double *edema, const double *pore, double *erythema,
                                double *edema_rel, double *tewl_rel);

/* Procedural pain (VAS 0-10) of a session. */
MN_EXPORT double mn_outcome_pain_vas(const mn_params *p, const mn_scenario *sc,
                                     double needle_length_mm, int passes);

#endif
