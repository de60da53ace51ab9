/* Observables from depth profiles (docs/model.md §Observables). */
#include "mnsim/outcome.h"
#include "mnsim/device.h"

#include <math.h>
#include <string.h>

#include "core/mn_math.h"
#include "mnsim/mechanics.h"

static const char *const obs_names[MN_OBS_COUNT] = {
#define MN__OBS_NAME(id, name, unit) name,
    MN_OBSERVABLE_LIST(MN__OBS_NAME)
#undef MN__OBS_NAME
};
static const char *const obs_units[MN_OBS_COUNT] = {
#define MN__OBS_UNIT(id, name, unit) unit,
    MN_OBSERVABLE_LIST(MN__OBS_UNIT)
#undef MN__OBS_UNIT
};

const char *mn_observable_name(mn_observable o)
{
    return (o >= 0 && o < MN_OBS_COUNT) ? obs_names[o] : "?";
}

const char *mn_observable_unit(mn_observable o)
{
    return (o >= 0 && o < MN_OBS_COUNT) ? obs_units[o] : "?";
}

/* Histometry (params.h): stained area = 1 − exp(−κ·density) (random fibre coverage), κ from
 * the young-skin stained area fractions of collagen I, III and elastic fibres (orders of
 * magnitude of image-analysis studies of facial skin, El-Domyati 2015; assumed). */
static double stained_pct(double density_rel, double young_area)
{
    double kappa = -log(1.0 - young_area);
    return 100.0 * (1.0 - exp(-kappa * fmax(density_rel, 0.0)));
}

/* Share of the histometric field that amorphous elastotic material covers, by random coverage
 * 1 − exp(−a·Eₛ) with Eₛ relative to young functional elastin (`elastosis_area_scale` a;
 * docs/model.md §5). */
static double elastotic_area(const mn_params *p, double elastosis_rel)
{
    return 1.0 - exp(-p->elastosis_area_scale * fmax(elastosis_rel, 0.0));
}

typedef struct region_avg {
    double c1, c3, el, es, young_c1, young_c3, young_e; /* histometric region */
    double edema;                                       /* dermis */
    double pore;                                        /* stratum corneum */
} region_avg;

/* Height-weighted mean of a profile over the layers first..last (contiguous in depth). */
static double layers_mean(const mn_tissue *t, mn_layer first, mn_layer last, const double *v)
{
    int f, e, lf, le;
    mn_tissue_layer_range(t, first, &f, &e);
    mn_tissue_layer_range(t, last, &lf, &le);
    double sum = 0, w = 0;
    for (int i = f; i < le; ++i) {
        double h = mn_tissue_height_um(t, i);
        sum += h * v[i];
        w += h;
    }
    return sum / w;
}

/* Swelling: the interstitial fluid of the dermis and of the wounded hypodermis as a volume,
 * relative to the dermis's. Fat that a long needle reaches bleeds and swells too (its vessels
 * open, §Injury), and subcutaneous fluid raises the skin as dermal fluid does, so a needle
 * that passes the dermis swells more; unwounded fat has no edema and adds nothing. */
static double dermal_edema(const mn_tissue *t, const double *edema)
{
    int pf, pe, rf, re, hf, he;
    mn_tissue_layer_range(t, MN_LAYER_PAPILLARY, &pf, &pe);
    mn_tissue_layer_range(t, MN_LAYER_RETICULAR, &rf, &re);
    mn_tissue_layer_range(t, MN_LAYER_HYPODERMIS, &hf, &he);
    double fluid = 0, dermis = 0;
    for (int i = pf; i < he; ++i) {
        const double h = mn_tissue_height_um(t, i);
        fluid += h * edema[i];
        if (i < re)
            dermis += h;
    }
    return fluid / dermis;
}

/* Open-channel fraction of the stratum corneum. */
static double corneum_pore(const mn_tissue *t, const double *pore)
{
    return layers_mean(t, MN_LAYER_STRATUM_CORNEUM, MN_LAYER_STRATUM_CORNEUM, pore);
}

/* Histometry looks at the papillary and upper reticular dermis, as biopsy image analysis
 * does (El-Domyati 2015): the first `histometry_depth_um` below the dermo-epidermal junction. */
static void averages(const mn_outcome_ctx *ctx, const mn_profiles *prof, region_avg *r)
{
    const mn_tissue *t = ctx->tissue;
    const mn_patient *pt = ctx->patient;
    const double histometry_um = ctx->params->histometry_depth_um;
    memset(r, 0, sizeof *r);
    int pf, pe, rf, re;
    mn_tissue_layer_range(t, MN_LAYER_PAPILLARY, &pf, &pe);
    mn_tissue_layer_range(t, MN_LAYER_RETICULAR, &rf, &re);
    double dej = mn_tissue_top_um(t, pf), w = 0;
    for (int i = pf; i < re; ++i) {
        double h = mn_tissue_height_um(t, i);
        double depth = mn_tissue_center_um(t, i) - dej;
        if (depth > histometry_um)
            break;
        const float *b = mn_kinetics_env_at(ctx->envs, i)->baseline;
        r->c1 += h * prof->species[MN_SP_COLLAGEN1][i];
        r->c3 += h * prof->species[MN_SP_COLLAGEN3][i];
        r->el += h * prof->species[MN_SP_ELASTIN][i];
        r->es += h * prof->species[MN_SP_ELASTOSIS][i];
        r->young_c1 += h * b[MN_SP_COLLAGEN1] / pt->collagen1_rel;
        r->young_c3 += h * b[MN_SP_COLLAGEN3] / pt->collagen3_rel;
        r->young_e += h * b[MN_SP_ELASTIN] / pt->elastin_rel;
        w += h;
    }
    r->c1 /= w, r->c3 /= w, r->el /= w, r->es /= w;
    r->young_c1 /= w, r->young_c3 /= w, r->young_e /= w;
    r->edema = dermal_edema(t, prof->species[MN_SP_EDEMA]);
    r->pore = corneum_pore(t, prof->species[MN_SP_PORE]);
}

static double dermal_collagen(const mn_tissue *t, const mn_profiles *prof)
{
    int first, end, hf, he;
    mn_tissue_layer_range(t, MN_LAYER_PAPILLARY, &first, &end);
    mn_tissue_layer_range(t, MN_LAYER_RETICULAR, &hf, &he);
    double sum = 0;
    for (int i = first; i < he; ++i)
        sum += mn_tissue_height_um(t, i) *
               (prof->species[MN_SP_COLLAGEN1][i] + prof->species[MN_SP_COLLAGEN3][i]);
    return sum;
}

void mn_outcome_dermal(const mn_outcome_ctx *ctx, const mn_profiles *prof, mn_dermal_state *out)
{
    const mn_tissue *t = ctx->tissue;
    region_avg r;
    averages(ctx, prof, &r);
    int ef, ee, pf, pe, rf, re;
    mn_tissue_layer_range(t, MN_LAYER_EPIDERMIS, &ef, &ee);
    mn_tissue_layer_range(t, MN_LAYER_PAPILLARY, &pf, &pe);
    mn_tissue_layer_range(t, MN_LAYER_RETICULAR, &rf, &re);
    double epi = ctx->patient->layer_um[MN_LAYER_STRATUM_CORNEUM];
    for (int i = ef; i < ee; ++i)
        epi += mn_tissue_height_um(t, i) * prof->species[MN_SP_KERATINOCYTE][i];
    /* Dermal thickness: matrix volume relative to baseline, plus interstitial fluid. Matrix is
     * `matrix_volume_fraction` of the dermal volume (the rest is water and cells); elastotic
     * material is amorphous and sparse compared with fibrillar collagen and counts with
     * `elastosis_volume_weight` (both assumed). */
    const double matrix_fraction = ctx->params->matrix_volume_fraction;
    const double es_weight = ctx->params->elastosis_volume_weight;
    double dermis = 0;
    for (int i = pf; i < re; ++i) {
        const float *b = mn_kinetics_env_at(ctx->envs, i)->baseline;
        double m0 = b[MN_SP_COLLAGEN1] + b[MN_SP_COLLAGEN3] + b[MN_SP_ELASTIN] +
                    es_weight * b[MN_SP_ELASTOSIS];
        double m = prof->species[MN_SP_COLLAGEN1][i] + prof->species[MN_SP_COLLAGEN3][i] +
                   prof->species[MN_SP_ELASTIN][i] + es_weight * prof->species[MN_SP_ELASTOSIS][i];
        double swell = matrix_fraction * (m0 > 0 ? m / m0 - 1.0 : 0.0);
        dermis += mn_tissue_height_um(t, i) * (1.0 + swell + prof->species[MN_SP_EDEMA][i]);
    }
    out->epidermis_um = epi;
    out->dermis_um = dermis;
    out->collagen_upper_rel = (r.c1 + r.c3) / (r.young_c1 + r.young_c3);
    out->elastin_rel = r.el / r.young_e;
    out->modulus_kpa =
        mn_mechanics_dermis_modulus(ctx->params, out->collagen_upper_rel, out->elastin_rel);
    out->edema = r.edema;
}

/* Hazard of post-inflammatory hyperpigmentation per unit of papillary inflammation and day,
 * rising geometrically with skin type (PIH is commoner in darker skin: Davis & Callender 2010,
 * J Clin Aesthet Dermatol 3:20; 17 % in types IV-V after 5 roller sessions, Dogra 2014). */
static double pih_scale(const mn_outcome_ctx *ctx)
{
    const mn_params *p = ctx->params;
    int type = ctx->scenario->patient.skin_type;
    /* Sun after the session is the classic trigger of PIH: the hazard scales with the
     * aftercare's UV dose relative to the habitual one the base hazard was fitted under
     * (pih_uv_gain, assumed; docs/model.md §What-ifs). */
    const mn_patient *pt = ctx->patient;
    const double sun = (1.0 + p->pih_uv_gain * pt->uv_med_per_day) /
                       (1.0 + p->pih_uv_gain * pt->uv_habitual_med_per_day);
    return p->pih_base_hazard * pow(p->pih_skin_type_factor, type - 1) * sun;
}

/* Height-weighted mean of a profile over the papillary dermis (erythema and PIH come from the
 * vessels and the inflammation there). */
static double papillary_mean(const mn_outcome_ctx *ctx, const double *profile)
{
    return layers_mean(ctx->tissue, MN_LAYER_PAPILLARY, MN_LAYER_PAPILLARY, profile);
}

/* The hazard rate (1/h) of a neutrophil profile: its papillary mean times the scale. */
static double pih_rate_per_h(const mn_outcome_ctx *ctx, const double *neutrophil)
{
    return ctx->pih_scale * papillary_mean(ctx, neutrophil) / 24.0;
}

/* How strongly the colorimeter's a* reads a given dilation of the papillary vessels for the
 * patient's skin type: epidermal melanin absorbs the green light haemoglobin is read by, so the
 * same inflammation gives a smaller Δa* on darker skin. Full reading up to type III, falling
 * linearly to `erythema_reading_type6` at type VI (docs/model.md §5: viewed through filters of
 * dark skin's absorbance, erythema was perceived only above about twice the MED, Photodermatol
 * Photoimmunol Photomed 1992;9:45; a* depends on melanin as well as haemoglobin, Skin Res
 * Technol graphic analysis of Δa* and ΔL*; erythema change differed between light and darker
 * skin tones, Sonenblum 2023, Adv Skin Wound Care 36:524). */
static double erythema_reading(const mn_params *p, int skin_type)
{
    const double darker = skin_type > 3 ? (skin_type - 3) / 3.0 : 0.0;
    return 1.0 - (1.0 - p->erythema_reading_type6) * darker;
}

void mn_outcome_init(mn_outcome_ctx *ctx, const mn_tissue *t, const mn_kinetics_envs *envs,
                     const mn_patient *pt, const mn_params *p, const mn_scenario *sc,
                     const mn_profiles *baseline)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->tissue = t;
    ctx->envs = envs;
    ctx->patient = pt;
    ctx->params = p;
    ctx->scenario = sc;
    ctx->collagen_total0 = dermal_collagen(t, baseline);
    mn_outcome_dermal(ctx, baseline, &ctx->dermal0);
    ctx->pih_scale = pih_scale(ctx);
    ctx->erythema_reading = erythema_reading(p, sc->patient.skin_type);
    ctx->pih_rate = pih_rate_per_h(ctx, baseline->species[MN_SP_NEUTROPHIL]);
}

double mn_outcome_erythema(const mn_outcome_ctx *ctx, const double *vessel)
{
    return ctx->params->erythema_per_vessel * ctx->erythema_reading * papillary_mean(ctx, vessel);
}

double mn_outcome_time_above(double a, double b, double h, double threshold)
{
    a -= threshold;
    b -= threshold;
    if (a >= 0 && b >= 0)
        return h;
    if (a >= 0 || b >= 0) /* crosses once: the part on the upper side */
        return h * (a >= 0 ? a : b) / fabs(a - b);
    return 0.0;
}

/* The hazard integral by the trapezoidal rule over each step: second order, as the steps. */
void mn_outcome_accumulate(mn_outcome_ctx *ctx, const double *neutrophil, double dt_h)
{
    const double rate = pih_rate_per_h(ctx, neutrophil);
    ctx->pih_hazard += 0.5 * (ctx->pih_rate + rate) * dt_h;
    ctx->pih_rate = rate;
}

double mn_outcome_pain_vas(const mn_params *p, const mn_scenario *sc, double needle_length_mm,
                           int passes)
{
    /* Procedural pain from the injury that reaches the nociceptors (docs/model.md §5):
     * each puncture hurts more the deeper it goes, and punctures within one rating's area
     * add up sublinearly. Gill 2008 (Clin J Pain 24:585): a three-fold longer microneedle
     * hurt seven-fold more, ten-fold more needles just over two-fold more; so
     * x = s_p (d / 1 mm)^a n^b × site × kind (× f_a under topical anaesthetic), with d the
     * real penetration (mn_device_injury), n the punctures of the session inside the
     * summation area (a stamp pressed once per pass covers only its own face), and VAS =
     * 10 (1 − exp(−x / s)). A roller hurts more than its sparse punctures suggest (rolling
     * pressure, oblique tearing; El-Domyati 2024: more pain than a pen at 2.5 mm). */
    const double site_factor[MN_SITE_COUNT] = {[MN_SITE_FOREHEAD] = p->pain_site_forehead,
                                               [MN_SITE_GLABELLA] = p->pain_site_glabella,
                                               [MN_SITE_PERIORBITAL] = p->pain_site_periorbital,
                                               [MN_SITE_CHEEK] = 1.0,
                                               [MN_SITE_PERIORAL] = p->pain_site_perioral,
                                               [MN_SITE_NECK] = p->pain_site_neck};
    mn_injury inj;
    if (mn_device_injury(&sc->device, needle_length_mm, passes, p, &inj, NULL))
        return 0.0; /* no valid needling, no pain (the scenario is validated before) */
    double area_mm2 = p->pain_summation_area_mm2;
    if (sc->device.kind == MN_DEVICE_STAMP) {
        const double face =
            0.25 * MN_PI * sc->device.stamp_diameter_mm * sc->device.stamp_diameter_mm;
        area_mm2 = face < area_mm2 ? face : area_mm2;
    }
    const double count = inj.density_per_mm2 * area_mm2;
    double raw = p->pain_scale * pow(inj.penetration_um * 1e-3, p->pain_depth_exponent) *
                 pow(count, p->pain_count_exponent) * site_factor[sc->patient.site];
    if (sc->device.kind == MN_DEVICE_ROLLER)
        raw *= p->pain_roller_factor;
    if (sc->treatment.anesthetic == MN_ANESTHETIC_TOPICAL)
        raw *= p->pain_anesthetic_factor;
    return 10.0 * (1.0 - exp(-raw / p->pain_saturation));
}

void mn_outcome_compute(const mn_outcome_ctx *ctx, const mn_profiles *prof, double pain,
                        double obs[MN_OBS_COUNT], mn_dermal_state *dermal_out)
{
    const mn_params *p = ctx->params;
    region_avg r;
    averages(ctx, prof, &r);
    mn_dermal_state ds;
    mn_outcome_dermal(ctx, prof, &ds);
    /* Collagen is stained in the field the elastotic material leaves free: in photoaged skin
     * the accumulated elastin "appeared to occupy the areas of lost collagen" (El-Domyati
     * 2002), so the collagen area is the fibre coverage times the non-elastotic share of the
     * field. When healing clears elastosis the collagen area grows twice: denser fibres in a
     * larger free field (photoaged baselines can rise by more than a young skin's ceiling). */
    const double free_field = 1.0 - elastotic_area(p, r.es / r.young_e);
    obs[MN_OBS_COLLAGEN_I_PCT] =
        free_field * stained_pct(r.c1 / r.young_c1, p->young_area_collagen1);
    obs[MN_OBS_COLLAGEN_III_PCT] =
        free_field * stained_pct(r.c3 / r.young_c3, p->young_area_collagen3);
    obs[MN_OBS_ELASTIN_PCT] = stained_pct((r.el + r.es) / r.young_e, p->young_area_elastin);
    obs[MN_OBS_COLLAGEN_TOTAL_REL] = dermal_collagen(ctx->tissue, prof) / ctx->collagen_total0;
    obs[MN_OBS_EPIDERMIS_UM] = ds.epidermis_um;
    obs[MN_OBS_DERMIS_UM] = ds.dermis_um;
    obs[MN_OBS_DERMIS_MODULUS_KPA] = ds.modulus_kpa;
    /* The representative wrinkle (mechanics.h); a run with a height map replaces the depth and
     * adds Sa/Sq/Sz from it (mn_outcome_set_surface). */
    const double depth = mn_mechanics_wrinkle_depth(p, ctx->patient, &ctx->dermal0, &ds);
    obs[MN_OBS_SA_UM] = obs[MN_OBS_SQ_UM] = obs[MN_OBS_SZ_UM] = NAN;
    obs[MN_OBS_WRINKLE_DEPTH_UM] = depth;
    obs[MN_OBS_ERYTHEMA] = mn_outcome_erythema(ctx, prof->species[MN_SP_VESSEL]);
    obs[MN_OBS_EDEMA_REL] = 1.0 + r.edema;
    obs[MN_OBS_TEWL_REL] = 1.0 + p->tewl_per_pore * r.pore;
    obs[MN_OBS_PIH_RISK] = 1.0 - exp(-ctx->pih_hazard);
    obs[MN_OBS_PAIN_VAS] = pain;
    obs[MN_OBS_WRINKLE_GRADE] = mn_mechanics_wrinkle_grade(p, depth);
    if (dermal_out)
        *dermal_out = ds;
}

void mn_outcome_set_surface(const mn_outcome_ctx *ctx, double wrinkle_depth_um, double sa_um,
                            double sq_um, double sz_um, double obs[MN_OBS_COUNT])
{
    obs[MN_OBS_WRINKLE_DEPTH_UM] = wrinkle_depth_um;
    obs[MN_OBS_SA_UM] = sa_um;
    obs[MN_OBS_SQ_UM] = sq_um;
    obs[MN_OBS_SZ_UM] = sz_um;
    obs[MN_OBS_WRINKLE_GRADE] = mn_mechanics_wrinkle_grade(ctx->params, wrinkle_depth_um);
}

void mn_outcome_acute(const mn_outcome_ctx *ctx, const double *vessel, const double *edema,
                      const double *pore, double *erythema, double *edema_rel, double *tewl_rel)
{
    *erythema = mn_outcome_erythema(ctx, vessel);
    *edema_rel = 1.0 + dermal_edema(ctx->tissue, edema);
    *tewl_rel = 1.0 + ctx->params->tewl_per_pore * corneum_pore(ctx->tissue, pore);
}
