/* Patient baseline: layer thicknesses and dermal composition from site, sex, age, photoaging
 * and skin type (docs/model.md §Baseline). A plain value computed once per run. */
#ifndef MNSIM_PATIENT_H
#define MNSIM_PATIENT_H

#include "mnsim/export.h"

#include "mnsim/params.h"
#include "mnsim/scenario.h"

typedef enum mn_layer {
    MN_LAYER_STRATUM_CORNEUM,
    MN_LAYER_EPIDERMIS, /* viable epidermis */
    MN_LAYER_PAPILLARY,
    MN_LAYER_RETICULAR,
    MN_LAYER_HYPODERMIS, /* a slab of it: the column ends inside the fat */
    MN_LAYER_COUNT
} mn_layer;

typedef struct mn_patient {
    double layer_um[MN_LAYER_COUNT]; /* thicknesses at baseline */
    double dermis_young_um;          /* same site and sex at 25 years: reference */
    double collagen1_rel;            /* upper-dermis collagen I density, young = 1 */
    double collagen3_rel;            /* collagen III density, young = 1 */
    double elastin_rel;              /* functional elastic fibres, young = 1 */
    double elastosis_rel;            /* solar elastotic material (0 in protected skin) */
    double capacity;                 /* fibroblast synthetic capacity (age, smoking) */
    double med_j_m2;                 /* minimal erythema dose of the skin type */
    double uv_med_per_day;           /* effective daily UV dose after sunscreen (aftercare) */
    /* Habitual daily dose before the course, the skin's steady state (the default aftercare's
     * exposure for this skin type): the same for every aftercare what-if, so changing the
     * sun after treatment changes the course, not the patient who starts it. */
    double uv_habitual_med_per_day;
    double wrinkle_depth_um;    /* representative wrinkle of the site, baseline */
    double wrinkle_spacing_mm;  /* distance between neighbouring wrinkles */
    double wrinkle_compression; /* ε/ε_c of the dynamic buckling at baseline (> 1) */
    double microrelief_um;      /* amplitude of the fine skin texture */
} mn_patient;

/* Computes the baseline; fails (MN_ESCENARIO) only on an invalid scenario. */
MN_EXPORT int mn_patient_init(mn_patient *pt, const mn_scenario *sc, const mn_params *p,
                              mn_error *err);

/* Synthetic capacity at an age: falls linearly with age (Varani 2006). */
MN_EXPORT double mn_patient_capacity_at_age(const mn_params *p, double age_years);

/* Daily UV dose in MED for the aftercare settings and skin type. */
MN_EXPORT double mn_patient_uv_dose(const mn_aftercare_spec *ac, const mn_params *p,
                                    double med_j_m2);

MN_EXPORT const char *mn_layer_name(mn_layer layer);

#endif
