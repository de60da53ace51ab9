/* Model parameters: one table with value, unit, literature bounds and the source of each.
 * `mn_params` is a plain value (copyable); mn_params_default() fills it from the table.
 * docs/model.md explains every equation that uses them; `mnsim params` prints the table. */
#ifndef MNSIM_PARAMS_H
#define MNSIM_PARAMS_H

#include <stddef.h>
#include <stdio.h>

#include "mnsim/error.h"

/* X(name, default, unit, low, high, source). Rates are per hour, lengths in µm, times in h.
 * Densities are relative to young healthy dermis. low/high are the bounds `mnsim fit` and
 * `mnsim sensitivity` may explore. */
#define MN_PARAM_LIST(X)                                                                           \
    /* --- injury and channel closure --- */                                                       \
    X(k_pore, 0.0347, "1/h", 0.02, 0.35, "pore_closure_halflife_human: t1/2 20-26 h; rat 12-18 h") \
    X(k_repair_epidermis, 0.025, "1/h", 0.01, 0.06, "epidermis_restored: ~95% by day 5")           \
    X(k_repair_dermis, 0.012, "1/h", 0.004, 0.04, "assumed: dermal micro-wounds close in days")    \
    X(channel_width_fraction, 0.3, "1", 0.15, 1.0,                                                 \
      "penetration_roller_rat: 70.7/140 um for a roller; pens leave narrower channels (fitted)")   \
    X(tip_length_diameters, 3.0, "1", 1.0, 6.0, "assumed conical tip length / shaft diameter")     \
    X(penetration_half_mm_pen, 0.25, "mm", 0.1, 0.6,                                               \
      "penetration_pen_facelift: pen channels close to the setting (fitted)")                      \
    X(penetration_half_mm_roller, 1.0, "mm", 0.5, 1.6,                                             \
      "penetration_fraction_shallow: < 50% buried below 1 mm (Lam 2008)")                          \
    X(penetration_half_mm_stamp, 0.35, "mm", 0.2, 0.8,                                             \
      "penetration_polymer_human: 600 um array reached 460 um")                                    \
    X(deflection_hill, 2.0, "1", 1.0, 4.0, "assumed Hill exponent of buried fraction vs length")   \
    /* --- haemostasis and inflammation --- */                                                     \
    X(k_platelet, 0.23, "1/h", 0.1, 0.7, "assumed: clot release t1/2 ~3 h (MODEL.md)")             \
    X(platelet_per_damage, 1.0, "1", 0.5, 2.0, "scale of platelet release per damaged volume")     \
    X(r_neutrophil, 0.6, "1/h", 0.1, 2.0,                                                          \
      "fitted: neutrophil peak ~day 1 (wound_neutrophil_peak)")                                    \
    X(a_platelet_neutrophil, 2.0, "1", 0.5, 5.0, "assumed: clot chemokines recruit neutrophils")   \
    X(k_neutrophil, 0.035, "1/h", 0.015, 0.08, "wound_neutrophil_peak: cleared within days")       \
    X(r_macrophage, 0.06, "1/h", 0.02, 0.2,                                                        \
      "fitted: macrophage peak ~day 3 (wound_macrophage_peak)")                                    \
    X(k_macrophage, 0.012, "1/h", 0.006, 0.03, "wound_macrophage_peak: 0.55 at d7, 0.10 at d14")   \
    /* --- growth factor, fibroblasts, MMP --- */                                                  \
    X(k_growth_factor, 0.625, "1/h", 0.3, 1.0, "tgfb_decay: 15/day (Jin 2011)")                    \
    X(D_growth_factor, 360000.0, "um2/h", 100000.0, 600000.0, "gf_diffusion: ~100-160 um2/s")      \
    X(gf_basal, 0.1, "1", 0.02, 0.3, "assumed basal growth-factor level (relative)")               \
    X(s_gf_platelet, 1.5, "1/h", 0.3, 5.0, "fitted: platelet PDGF/TGF-b release")                  \
    X(s_gf_macrophage, 0.6, "1/h", 0.1, 2.0, "fitted: macrophage growth-factor secretion")         \
    X(K_gf, 0.5, "1", 0.1, 2.0, "assumed half-saturation of growth-factor signalling")             \
    X(r_fibroblast, 0.0385, "1/h", 0.02, 0.06, "fibroblast_growth: 0.924/day (Jin 2011)")          \
    X(k_fibroblast, 0.005, "1/h", 0.002, 0.01, "fibroblast_growth: apoptosis 0.12/day")            \
    X(fibroblast_max, 3.0, "1", 2.0, 5.0, "assumed carrying capacity (relative density)")          \
    X(D_fibroblast, 360.0, "um2/h", 100.0, 2000.0, "assumed random motility ~0.1 um2/s")           \
    X(k_mmp, 0.0365, "1/h", 0.02, 0.06, "mmp9_decay: 0.875/day (Jin 2011)")                        \
    X(D_mmp, 36000.0, "um2/h", 3600.0, 100000.0, "assumed: ~10 um2/s for a 90 kDa enzyme")         \
    X(s_mmp_macrophage, 0.05, "1/h", 0.01, 0.2, "fitted: MMP from macrophages")                    \
    X(s_mmp_fibroblast, 0.01, "1/h", 0.0, 0.05, "assumed: fibroblast MMP while remodelling")       \
    X(s_mmp_uv, 0.02, "1/h per MED/day", 0.005, 0.08,                                              \
      "uv_mmp_activity: 4.4x collagenase after repeated UV (Fisher 1997)")                         \
    /* --- matrix --- */                                                                           \
    X(k_collagen_loss, 1.2e-4, "1/h", 4e-5, 4e-4,                                                  \
      "assumed: basal collagen I degradation t1/2 ~240 days at basal MMP")                         \
    X(k_maturation, 4.8e-4, "1/h", 2e-4, 1.5e-3, "zeitter_collagen_genes: III -> I over months")   \
    X(synth_collagen3, 1.018e-4, "1/h", 5e-5, 3e-3,                                                \
      "fitted (docs/calibration.md fit B): grade and collagen rows of Ablon 2018, Alqam 2022")     \
    X(synth_collagen1, 1.271e-4, "1/h", 0.0, 0.02,                                                 \
      "fitted (docs/calibration.md fit B): induced collagen I deposition")                         \
    X(synth_elastin, 0.00003, "1/h", 0.0, 0.005, "fitted: new elastic fibres (El-Domyati 2015)")   \
    X(k_elastin_loss, 1.0e-5, "1/h", 2e-6, 5e-5, "assumed: elastin turns over in decades")         \
    X(s_elastosis_uv, 1.0e-5, "1/h per MED/day", 0.0, 5e-5, "assumed: solar elastosis accrual")    \
    X(k_elastosis_clear, 0.002, "1/h per excess MMP", 0.0, 0.01, "assumed clearance by MMP")       \
    /* --- vessels, edema, epidermis, topical --- */                                               \
    X(r_vessel_platelet, 0.6, "1/h", 0.1, 2.0, "fitted: acute vasodilation (erythema_*)")          \
    X(r_vessel_neutrophil, 0.01, "1/h", 0.0, 0.3, "fitted: inflammatory hyperaemia")               \
    X(k_vessel, 0.12, "1/h", 0.05, 0.4, "erythema_duration_typical: visible 6-48 h")               \
    X(r_edema, 0.08, "1/h", 0.02, 0.3, "fitted: swelling follows vasodilation")                    \
    X(k_edema, 0.035, "1/h", 0.01, 0.1, "erythema_duration_max: edema gone within 7 days")         \
    X(r_keratinocyte, 0.01, "1/h", 0.002, 0.05, "fitted: aust_spinosum +40% at one year")          \
    X(k_keratinocyte, 0.0004, "1/h", 0.0001, 0.002,                                                \
      "assumed: epidermal set point relaxes over months")                                          \
    X(keratinocyte_max, 2.0, "1", 1.3, 3.0, "zeitter_epidermis: large thickening possible")        \
    X(k_topical, 0.05, "1/h", 0.01, 0.2, "assumed: serum cleared in about a day")                  \
    X(D_topical_channel, 360000.0, "um2/h", 36000.0, 1e6, "assumed: free diffusion in the lumen")  \
    X(D_topical_tissue, 3600.0, "um2/h", 360.0, 36000.0, "assumed: ~1 um2/s in tissue")            \
    X(topical_contact_h, 8.0, "h", 1.0, 24.0, "assumed: serum left on the skin after a session")   \
    X(topical_entry, 200.0, "um/h", 20.0, 2000.0, "assumed mass-transfer coefficient into pores")  \
    X(prp_gf_potency, 0.6, "1/h", 0.0, 3.0, "prp_facial_aging vs prp_acne_meta: modest effect")    \
    X(serum_gf_potency, 0.3, "1/h", 0.0, 2.0, "assumed: growth-factor serum")                      \
    X(vitamin_c_boost, 0.3, "1", 0.0, 1.0, "assumed: ascorbate cofactor (Nusgens 2001)")           \
    X(hyaluronic_hydration, 0.05, "1/h", 0.0, 0.2, "assumed: transient dermal hydration")          \
    /* --- patient modifiers --- */                                                                \
    X(aging_synthesis_per_year, 0.0057, "1/year", 0.003, 0.01,                                     \
      "aging_fibroblast_procollagen: -32% from 18-29 to 80+ (Varani 2006)")                        \
    X(aging_dermis_per_decade, 0.06384, "1/decade", 0.03, 0.09,                                    \
      "fitted (fit A) to aging_dermis: -6%/decade between 30 and 70 years")                        \
    X(aging_epidermis_women, 0.07863, "1/decade", 0.03, 0.09,                                      \
      "fitted (fit A) to aging_epidermis_women -5.7%/decade of the whole epidermis (SC fixed)")    \
    X(aging_epidermis_men, 0.09, "1/decade", 0.03, 0.09,                                           \
      "fitted (fit A, at its bound) to aging_epidermis_men -7.2%/decade")                          \
    X(photoaging_collagen_loss, 0.08, "1/grade", 0.03, 0.15,                                       \
      "assumed: Glogau grade collagen loss")                                                       \
    X(photoaging_elastosis, 0.6, "1/grade", 0.2, 1.0, "assumed: elastotic material per grade")     \
    X(smoker_synthesis, 0.8, "1", 0.6, 1.0, "assumed: smoking lowers procollagen synthesis")       \
    X(uv_synthesis_suppression, 0.5, "1 per MED/day", 0.1, 2.0,                                    \
      "uv_procollagen: procollagen I/III down within 24 h of 1 MED")                               \
    X(uv_capacity_loss_per_med, 5e-5, "1/MED", 0.0, 2e-4,                                          \
      "assumed: ~8% collagen per Glogau grade over ~1500 MED of lifetime dose")                    \
    X(sunscreen_layer_exponent, 0.5, "1", 0.25, 1.0,                                               \
      "assumed: real use ~1 mg/cm2 gives SPF^0.5 (Faurschou & Wulf 2007)")                         \
    X(retinoid_mmp_block, 0.7, "1", 0.3, 0.9,                                                      \
      "uv_mmp_hours_retinoid: retinoic acid blocks MMP induction")                                 \
    X(retinoid_synthesis, 0.15, "1", 0.0, 0.4, "assumed: retinol raises procollagen in aged skin") \
    /* --- observables --- */                                                                      \
    X(erythema_per_vessel, 8.0, "delta a*", 3.0, 15.0, "fitted: peak redness delta a* ~ 5-8")      \
    X(tewl_per_pore, 12.0, "1", 2.0, 30.0, "fitted: TEWL jumps after needling (barrier_*)")        \
    X(pih_base_hazard, 0.0004, "1/(inflammation day)", 0.0, 0.01,                                  \
      "fitted: pih_dark_skin 17% (IV-V, 5 sessions)")                                              \
    X(pih_skin_type_factor, 2.2, "1/type", 1.2, 4.0, "assumed: risk rises with melanin")           \
    X(modulus_dermis_kpa, 40.0, "kPa", 20.0, 80.0, "modulus_dermis: 40 kPa (Feng 2022)")           \
    X(modulus_epidermis_kpa, 2000.0, "kPa", 1000.0, 4000.0,                                        \
      "modulus_epidermis_vitro: 1-2 MPa; in vivo 4 MPa")                                           \
    X(modulus_collagen_exponent, 2.0, "1", 1.5, 2.5, "assumed: network modulus ~ density^2")       \
    X(wrinkle_buckling_share, 0.3176, "1", 0.1, 0.8,                                               \
      "fitted (fit B): share of depth from dynamic buckling")                                      \
    X(wrinkle_grade_scale_um, 64.37, "um/grade", 60.0, 200.0,                                      \
      "fitted (fit B) to trial grades; Lemperle 2001: linear (r 0.87), nasolabial 133 um/grade")

typedef struct mn_params {
#define MN__PARAM_FIELD(name, value, unit, low, high, source) double name;
    MN_PARAM_LIST(MN__PARAM_FIELD)
#undef MN__PARAM_FIELD
} mn_params;

typedef struct mn_param_info {
    const char *name;
    double default_value;
    const char *unit;
    double low, high;
    const char *source;
    size_t offset;
} mn_param_info;

void mn_params_default(mn_params *p);
/* Number of parameters and the description of the i-th; NULL past the end. */
size_t mn_params_count(void);
const mn_param_info *mn_params_info(size_t i);
const mn_param_info *mn_params_find(const char *name);
/* Value access by name (for fit, sensitivity, cohort). */
double *mn_params_ref(mn_params *p, const mn_param_info *info);
/* The parameters of p whose value lies outside the table's literature range [low, high] or is
 * not finite: their names, in table order, into names[0 .. max−1] (names may be NULL when max
 * is 0). Returns how many there are (may exceed max). A --params file with any is refused
 * unless the user allows it (docs/reliability.md). */
size_t mn_params_out_of_range(const mn_params *p, const char **names, size_t max);

/* Loads "name: value" overrides from a YAML mapping (`run --params FILE`), with the same
 * file:line:column messages as scenarios; unknown names and non-finite values are errors.
 * Values outside [low, high] are accepted only when positive and finite: the bounds are
 * literature ranges for fitting, not physical limits. */
int mn_params_load_file(mn_params *p, const char *path, mn_error *err);
/* Writes all parameters as such a YAML mapping. */
int mn_params_write_yaml(const mn_params *p, FILE *out);

#endif
