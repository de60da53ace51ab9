/* Model parameters: one table with value, unit, literature bounds and the source of each.
 * `mn_params` is a plain value (copyable); mn_params_default() fills it from the table.
 * docs/model.md explains every equation that uses them; `mnsim params` prints the table. */
#ifndef MNSIM_PARAMS_H
#define MNSIM_PARAMS_H

#include "mnsim/export.h"

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
    X(channel_width_fraction_roller, 0.505, "1", 0.3, 1.0,                                         \
      "Kalluri 2011: a Dermaroller's 140 um needle bases leave 70.7 um channels (rolling "         \
      "needles)")                                                                                  \
    X(tip_length_diameters, 3.0, "1", 1.0, 6.0, "assumed conical tip length / shaft diameter")     \
    X(flare_radius_um, 700.0, "um", 200.0, 1500.0,                                                 \
      "assumed: axon-reflex flare around each puncture (C-fibres; Neuroreport 2000;11:645)")       \
    X(penetration_half_mm_pen, 0.25, "mm", 0.1, 0.6,                                               \
      "penetration_pen_facelift: pen channels close to the setting (fitted)")                      \
    X(penetration_half_mm_roller, 1.0, "mm", 0.5, 1.6,                                             \
      "penetration_fraction_shallow: < 50% buried below 1 mm (Lam 2008)")                          \
    X(penetration_half_mm_stamp, 0.35, "mm", 0.2, 0.8,                                             \
      "penetration_polymer_human: 600 um array reached 460 um")                                    \
    X(hypodermis_below_tip_um, 400.0, "um", 200.0, 800.0,                                          \
      "assumed: column below the deepest tip ~ fibroblast migration over weeks (sqrt(D_F t))")     \
    X(deflection_hill, 2.0, "1", 1.0, 4.0, "assumed Hill exponent of buried fraction vs length")   \
    /* --- haemostasis and inflammation --- */                                                     \
    X(k_platelet, 0.23, "1/h", 0.1, 0.7, "assumed: clot release t1/2 ~3 h")                        \
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
    X(r_vessel_platelet, 0.25, "1/h", 0.1, 2.0, "fitted: acute vasodilation (erythema_*)")         \
    X(r_vessel_neutrophil, 0.01, "1/h", 0.0, 0.3, "fitted: inflammatory hyperaemia")               \
    X(flare_vessel, 0.45, "1", 0.05, 1.0,                                                          \
      "fitted: vasodilation of a fully flared papillary dermis (erythema_*, roller vs pen)")       \
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
    X(erythema_reading_type6, 0.5, "1", 0.3, 0.8,                                                  \
      "Photodermatol Photoimmunol Photomed 1992;9:45: through dark-skin filters erythema seen "    \
      "only above ~2 MED; the a* of the same redness on type VI / type I-III, linear from IV")     \
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
      "fitted (fit B) to trial grades; Lemperle 2001: linear (r 0.87), nasolabial 133 um/grade")   \
    /* Appended below: constants that were inline in the code (same values). The cohort draws      \
     * one random stream per table position, so new entries go at the end. */                      \
    /* --- layer composition (kinetics.c; reticular dermis = 1, papillary vascularity = 1) --- */  \
    X(young_collagen3_share, 0.2, "1", 0.1, 0.3,                                                   \
      "Cheng 2011 Chin Med J 124:1811 (as cited; not retrieved): I:III ~4:1; range assumed")       \
    X(papillary_fibroblast_density, 1.3, "1", 1.0, 2.0,                                            \
      "assumed: papillary dermis more cellular (Kanitakis 2002 Eur J Dermatol 12:390)")            \
    X(papillary_collagen1_density, 0.85, "1", 0.6, 1.0,                                            \
      "assumed: papillary collagen I looser than reticular")                                       \
    X(papillary_collagen3_density, 1.2, "1", 1.0, 1.6,                                             \
      "assumed: papillary dermis richer in collagen III (reticular fibres)")                       \
    X(papillary_elastin_density, 0.8, "1", 0.5, 1.0, "assumed: finer elastic fibres up high")      \
    X(reticular_elastosis_density, 0.5, "1", 0.2, 1.0,                                             \
      "assumed: solar elastosis gathers in the upper dermis (papillary = 1)")                      \
    X(reticular_vascularity, 0.4, "1", 0.2, 0.8,                                                   \
      "assumed: capillary loops are papillary (papillary = 1); deeper vessels are sparse")         \
    X(hypodermis_fibroblast_density, 0.3, "1", 0.1, 0.6, "assumed: fat with thin fibrous septa")   \
    X(hypodermis_collagen1_density, 0.15, "1", 0.05, 0.3, "assumed: septal collagen I")            \
    X(hypodermis_collagen3_density, 0.15, "1", 0.05, 0.3, "assumed: septal collagen III")          \
    X(hypodermis_elastin_density, 0.2, "1", 0.05, 0.4, "assumed: septal elastic fibres")           \
    X(hypodermis_vascularity, 0.3, "1", 0.1, 0.6, "assumed: bleeding where a needle reaches fat")  \
    /* --- healing (kinetics.c) --- */                                                             \
    X(vitamin_c_half_saturation, 0.1, "1", 0.02, 0.5,                                              \
      "assumed half-saturation of the ascorbate boost in the topical level")                       \
    X(repair_fibroblast_floor, 0.25, "1", 0.1, 0.5,                                                \
      "assumed: dermal repair keeps >= this share of its rate when fibroblasts are scarce")        \
    /* --- baseline (patient.c) --- */                                                             \
    X(papillary_thickness_um, 150.0, "um", 100.0, 200.0,                                           \
      "assumed: papillary dermis ~100-200 um under the epidermis")                                 \
    X(papillary_max_fraction, 0.3, "1", 0.15, 0.4,                                                 \
      "assumed cap for thin dermis (textbook: papillary layer the upper fifth or so)")             \
    X(aging_collagen1_per_year, 0.006, "1/year", 0.003, 0.01,                                      \
      "Shuster, Black & McVitie 1975 Br J Dermatol 93:639 (collagen -1 %/year); 0.6 % assumed")    \
    X(aging_collagen3_per_year, 0.004, "1/year", 0.002, 0.01,                                      \
      "assumed (Rong 2008 Chin J Burns 24:51: I:III rises with age, i.e. III falls faster)")       \
    X(aging_elastin_per_year, 0.004, "1/year", 0.002, 0.01,                                        \
      "assumed: functional elastic fibres lost with age")                                          \
    X(photoaging_collagen3_ratio, 0.5, "1", 0.2, 1.0,                                              \
      "assumed: collagen III loses this share of collagen I's loss per Glogau grade")              \
    X(photoaging_elastin_loss, 0.1, "1/grade", 0.03, 0.2,                                          \
      "assumed: functional elastic fibres lost per Glogau grade")                                  \
    X(wrinkle_depth_per_year, 0.03, "1/year", 0.01, 0.05,                                          \
      "assumed (Corcuff 1987 J Soc Cosmet Chem 38:145: crow's feet formed by 35, then deepen)")    \
    X(wrinkle_depth_per_grade, 0.35, "1/grade", 0.15, 0.6,                                         \
      "assumed: representative wrinkle deepens with photoaging")                                   \
    X(wrinkle_compression_base, 1.5, "1", 1.2, 2.5,                                                \
      "assumed buckling compression eps/eps_c at 40 years, Glogau 1")                              \
    X(wrinkle_compression_per_year, 0.02, "1/year", 0.005, 0.04, "assumed: laxity rises with age") \
    X(wrinkle_compression_per_grade, 0.3, "1/grade", 0.1, 0.6,                                     \
      "assumed: laxity rises with photoaging")                                                     \
    X(microrelief_depth_um, 25.0, "um", 20.0, 200.0,                                               \
      "Bibb 2006 Medical Modelling p. 264: lines 20-200 um deep; 25 at 25 years assumed")          \
    X(microrelief_flattening_per_year, 0.006, "1/year", 0.0, 0.012,                                \
      "assumed: the microrelief flattens with age")                                                \
    /* --- observables (outcome.c) --- */                                                          \
    X(histometry_depth_um, 400.0, "um", 200.0, 800.0,                                              \
      "assumed: biopsy image analysis of papillary and upper reticular dermis (El-Domyati 2015)")  \
    X(young_area_collagen1, 0.7, "1", 0.5, 0.85,                                                   \
      "assumed order of magnitude (El-Domyati 2015 ~67 % as cited; not retrieved)")                \
    X(young_area_collagen3, 0.3, "1", 0.1, 0.5, "assumed order of magnitude of stained area")      \
    X(young_area_elastin, 0.08, "1", 0.03, 0.2, "assumed order of magnitude of stained area")      \
    X(elastosis_area_scale, 0.05, "1", 0.0, 0.3,                                                   \
      "assumed size: collagen stained outside the elastotic area (El-Domyati 2002: elastosis "     \
      "occupies the areas of lost collagen)")                                                      \
    X(matrix_volume_fraction, 0.3, "1", 0.2, 0.5,                                                  \
      "assumed: collagen 70-80 % of dermal dry weight; the rest of the volume water and cells")    \
    X(elastosis_volume_weight, 0.3, "1", 0.1, 1.0,                                                 \
      "assumed: amorphous elastotic material fills less volume than fibrillar matrix")             \
    X(pain_scale, 0.163, "1", 0.05, 5.0,                                                           \
      "fitted: medicina_pain_face (1.25 mm pen under topical anaesthetic, VAS 3.00)")              \
    X(pain_depth_exponent, 1.32, "1", 1.0, 2.5,                                                    \
      "fitted: gill_pain_length_3x (3x length -> 7x pain, Gill 2008), on the real penetration")    \
    X(pain_count_exponent, 0.34, "1", 0.2, 0.5,                                                    \
      "Gill 2008: 10x needles -> just over 2x pain (log10 2.2)")                                   \
    X(pain_summation_area_mm2, 100.0, "mm2", 25.0, 400.0,                                          \
      "assumed: area over which punctures add to one pain rating (spatial summation)")             \
    X(pain_roller_factor, 29.4, "1", 1.0, 50.0,                                                    \
      "fitted: luz_2017_pain (1.0 mm roller, VAS 5.22); rolling pressure and oblique tearing")     \
    X(pain_saturation, 6.0, "1", 3.0, 10.0, "assumed scale of VAS = 10 (1 - exp(-raw/s))")         \
    X(pain_anesthetic_factor, 0.45, "1", 0.3, 0.7,                                                 \
      "assumed: topical anaesthetic roughly halves VAS (lidocaine/prilocaine creams)")             \
    X(pain_site_forehead, 1.15, "1", 0.8, 1.5, "assumed: thin skin over bone (cheek = 1)")         \
    X(pain_site_glabella, 1.1, "1", 0.8, 1.5, "assumed: thin skin over bone (cheek = 1)")          \
    X(pain_site_periorbital, 1.2, "1", 0.8, 1.5, "assumed: thin periorbital skin (cheek = 1)")     \
    X(pain_site_perioral, 1.15, "1", 0.8, 1.5, "assumed: sensitive perioral skin (cheek = 1)")     \
    X(pain_site_neck, 2.16, "1", 0.6, 3.0,                                                         \
      "fitted: medicina_pain_neck_minus_face (neck 5.38 vs face 3.00, same 26 women)")             \
    /* --- mechanics (wrinkle.c) --- */                                                            \
    X(modulus_elastin_share, 0.15, "1", 0.05, 0.3,                                                 \
      "assumed: elastin's low-strain share of the dermal modulus (collagen 1 - share)")            \
    X(crease_thickness_weight, 0.3, "1", 0.1, 0.5,                                                 \
      "assumed: weight of dermal thickness in the crease support (collagen 1 - weight)")           \
    X(crease_deficit_floor, 0.05, "1", 0.01, 0.2,                                                  \
      "assumed floor of the support deficit: a young skin's fine lines")                           \
    /* --- device (placement.c, 3-D patch) --- */                                                  \
    X(pen_jitter_along, 0.5, "stroke pitch", 0.1, 1.0,                                             \
      "assumed: sigma of the hand's stroke-to-stroke jitter along the lane")                       \
    X(pen_jitter_across, 0.25, "needle pitch", 0.05, 0.5,                                          \
      "assumed: sigma of the hand's wobble across the lane")                                       \
    /* --- surface height map (layout.c, microrelief.c, surface.c) --- */                          \
    X(wrinkle_count_base, 0.7, "1", 0.4, 1.0,                                                      \
      "assumed: line count factor at 40 years, Glogau 1 (Carruthers 2008 photonumeric scales)")    \
    X(wrinkle_count_per_year, 0.02, "1/year", 0.005, 0.04, "assumed: more lines with age")         \
    X(wrinkle_count_per_grade, 0.2, "1/grade", 0.1, 0.4, "assumed: more lines with photoaging")    \
    X(wrinkle_length_base, 0.85, "1", 0.6, 1.0, "assumed: length factor at 40 years")              \
    X(wrinkle_length_per_year, 0.01, "1/year", 0.0, 0.02, "assumed: longer lines with age")        \
    X(fine_lines_base, 4.0, "per 400 mm2", 1.0, 10.0, "assumed: fine lines at Glogau 1")           \
    X(fine_lines_per_grade, 5.0, "per 400 mm2 per grade", 2.0, 10.0,                               \
      "assumed: criss-cross fine lines of photoaged skin")                                         \
    X(wrinkle_depth_log_sd, 0.3, "1", 0.1, 0.6, "assumed log-normal spread of wrinkle depths")     \
    X(fine_line_relative_depth, 0.35, "1", 0.15, 0.6, "assumed: fine lines / main wrinkles")       \
    X(crease_width_base_um, 20.0, "um", 10.0, 40.0, "assumed core width of a shallow crease")      \
    X(crease_width_per_depth, 0.35, "1", 0.2, 0.7,                                                 \
      "assumed: a fold is a few times wider than deep")                                            \
    X(microrelief_cell_um, 450.0, "um", 200.0, 800.0,                                              \
      "assumed: polygons of a fraction of a millimetre (Hashimoto 1974 Int J Dermatol 13:357)")    \
    X(microrelief_secondary_scale, 0.4, "1", 0.2, 0.6,                                             \
      "assumed: secondary polygons inside the primary ones")                                       \
    X(microrelief_secondary_depth, 0.35, "1", 0.2, 0.6,                                            \
      "assumed: secondary lines shallower than primary")                                           \
    X(microrelief_primary_width_um, 32.0, "um", 15.0, 60.0, "assumed primary furrow half-width")   \
    X(microrelief_secondary_width_um, 18.0, "um", 8.0, 35.0,                                       \
      "assumed secondary furrow half-width")                                                       \
    X(microrelief_aniso_per_year, 0.012, "1/year", 0.004, 0.02,                                    \
      "assumed rate; Lagarde 2005 Skin Res Technol 11:110: anisotropy rises with age")             \
    X(microrelief_aniso_per_grade, 0.12, "1/grade", 0.04, 0.25,                                    \
      "assumed rate; Lagarde 2005: more anisotropy on sun-exposed skin")                           \
    X(microrelief_edema_flattening, 2.0, "1", 0.5, 5.0,                                            \
      "assumed: swelling stretches the microrelief flat")                                          \
    /* --- what-ifs (docs/model.md §What-ifs) --- */                                              \
    X(smoker_wound_synthesis, 0.56, "1", 0.4, 0.8,                                                 \
      "Jorgensen 1998: non-smokers deposit 1.8x the wound hydroxyproline of smokers (1/1.8)")      \
    X(pih_uv_gain, 1.0, "1 per MED/day", 0.0, 5.0,                                                 \
      "assumed: post-procedure UV raises the PIH hazard (no dose-response trial found)")

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

MN_EXPORT void mn_params_default(mn_params *p);
/* Number of parameters and the description of the i-th; NULL past the end. */
MN_EXPORT size_t mn_params_count(void);
MN_EXPORT const mn_param_info *mn_params_info(size_t i);
MN_EXPORT const mn_param_info *mn_params_find(const char *name);
/* Value access by name (for fit, sensitivity, cohort). */
MN_EXPORT double *mn_params_ref(mn_params *p, const mn_param_info *info);
/* The value of one parameter (NaN for a NULL argument). */
MN_EXPORT double mn_params_value(const mn_params *p, const mn_param_info *info);
/* The parameters of p whose value lies outside the table's literature range [low, high] or is
 * not finite: their names, in table order, into names[0 .. max−1] (names may be NULL when max
 * is 0). Returns how many there are (may exceed max). A --params file with any is refused
 * unless the user allows it (docs/reliability.md). */
MN_EXPORT size_t mn_params_out_of_range(const mn_params *p, const char **names, size_t max);

/* Loads "name: value" overrides from a YAML mapping (`run --params FILE`), with the same
 * file:line:column messages as scenarios; unknown names and non-finite values are errors.
 * Values outside [low, high] are accepted only when positive and finite: the bounds are
 * literature ranges for fitting, not physical limits. */
MN_EXPORT int mn_params_load_file(mn_params *p, const char *path, mn_error *err);
/* Writes all parameters as such a YAML mapping, one `name: value` line each with its unit,
 * literature range and source as a comment; values are written by mn_params_format, so
 * loading the file gives back the same doubles. */
MN_EXPORT int mn_params_write_yaml(const mn_params *p, FILE *out);
/* Writes v into buf as the shortest decimal (fewest significant digits, printf %g style) that
 * strtod reads back as the same double. MN_ERANGE when buf is too small (32 bytes always
 * suffice). */
MN_EXPORT int mn_params_format(double v, char *buf, size_t size);

#endif
