/* Per-voxel healing kinetics (docs/model.md §Healing kinetics; MODEL.md). Each species is
 * written as dy/dt = prod − loss·y with prod, loss ≥ 0. */
#include "mnsim/kinetics.h"

#include <math.h>
#include <string.h>

#include "core/mn_math.h"

/* Young dermal collagen mass split: collagen III ~20 % of collagen I + III in adult skin
 * (Cheng W et al. Chin Med J 2011;124:1811 report I:III ~ 4:1). Densities of C1 and C3 are in
 * units of young total collagen, so the maturation flux III → I conserves mass. */
#define MN_YOUNG_COLLAGEN1 0.8f
#define MN_YOUNG_COLLAGEN3 0.2f

const char *mn_species_name(mn_species s)
{
    static const char *names[MN_SP_COUNT] = {
        "damage", "pore",       "platelet",     "neutrophil", "macrophage", "growth_factor",
        "mmp",    "fibroblast", "collagen3",    "collagen1",  "elastin",    "elastosis",
        "vessel", "edema",      "keratinocyte", "topical"};
    return (s >= 0 && s < MN_SP_COUNT) ? names[s] : "?";
}

int mn_species_diffuses(mn_species s)
{
    return s == MN_SP_GROWTH_FACTOR || s == MN_SP_MMP || s == MN_SP_FIBROBLAST ||
           s == MN_SP_TOPICAL;
}

/* Growth-factor signal G/(K+G): receptor saturation (Michaelis–Menten form, MODEL.md). */
static double gf_signal(double g, double k)
{
    return g / (k + g);
}

void mn_kinetics_env_init(mn_voxel_env *env, mn_layer layer, const mn_patient *pt,
                          const mn_params *p, const mn_drivers *d0)
{
    memset(env, 0, sizeof *env);
    env->layer = (int)layer;
    float *b = env->baseline;
    /* Relative cell densities and matrix fractions by layer: the papillary dermis is more
     * cellular and looser, the hypodermis is fat with thin collagen septa (standard
     * histology; e.g. Kanitakis J. Eur J Dermatol 2002;12:390). */
    double fib = 0, c1 = 0, c3 = 0, el = 0, es = 0, ker = 0, vasc = 0;
    switch (layer) {
    case MN_LAYER_STRATUM_CORNEUM:
        break;
    case MN_LAYER_EPIDERMIS:
        ker = 1.0;
        break;
    case MN_LAYER_PAPILLARY:
        fib = 1.3, c1 = 0.85, c3 = 1.2, el = 0.8, es = 1.0, vasc = 1.0;
        break;
    case MN_LAYER_RETICULAR:
        fib = 1.0, c1 = 1.0, c3 = 1.0, el = 1.0, es = 0.5, vasc = 0.4;
        break;
    case MN_LAYER_HYPODERMIS:
    default:
        fib = 0.3, c1 = 0.15, c3 = 0.15, el = 0.2, es = 0.0, vasc = 0.3;
        break;
    }
    env->vascular = (float)vasc;
    b[MN_SP_GROWTH_FACTOR] = (float)p->gf_basal;
    double uv_mmp = p->s_mmp_uv * d0->uv_med_per_day * d0->uv_mmp_factor;
    double mmp0 = 1.0 + uv_mmp / p->k_mmp;
    b[MN_SP_MMP] = (float)mmp0;
    b[MN_SP_FIBROBLAST] = (float)fib;
    b[MN_SP_COLLAGEN1] = (float)(MN_YOUNG_COLLAGEN1 * c1 * pt->collagen1_rel);
    b[MN_SP_COLLAGEN3] = (float)(MN_YOUNG_COLLAGEN3 * c3 * pt->collagen3_rel);
    b[MN_SP_ELASTIN] = (float)(el * pt->elastin_rel);
    b[MN_SP_ELASTOSIS] = (float)(es * pt->elastosis_rel);
    b[MN_SP_KERATINOCYTE] = (float)ker;
    /* Basal synthesis per fibroblast that balances basal degradation exactly: the untreated
     * skin is a steady state (MODEL.md, "basal synthesis = turnover"). */
    if (fib > 0) {
        double loss = p->k_collagen_loss * b[MN_SP_MMP];
        env->basal_synth[MN_SP_COLLAGEN1] = (float)(loss * b[MN_SP_COLLAGEN1] / fib);
        env->basal_synth[MN_SP_COLLAGEN3] = (float)(loss * b[MN_SP_COLLAGEN3] / fib);
        env->basal_synth[MN_SP_ELASTIN] =
            (float)(p->k_elastin_loss * b[MN_SP_MMP] * b[MN_SP_ELASTIN] / fib);
    }
}

void mn_kinetics_rates(const mn_params *p, const mn_voxel_env *env, const mn_drivers *d,
                       const float y[MN_SP_COUNT], double prod[MN_SP_COUNT],
                       double loss[MN_SP_COUNT])
{
    const float *b = env->baseline;
    const double dmg = y[MN_SP_DAMAGE], plt = y[MN_SP_PLATELET];
    const double neu = y[MN_SP_NEUTROPHIL], mac = y[MN_SP_MACROPHAGE];
    const double gf = y[MN_SP_GROWTH_FACTOR], mmp = y[MN_SP_MMP];
    const double fib = y[MN_SP_FIBROBLAST], c3 = y[MN_SP_COLLAGEN3];
    const double ves = y[MN_SP_VESSEL], ker = y[MN_SP_KERATINOCYTE];
    const double top = y[MN_SP_TOPICAL];
    const int epidermal =
        env->layer == MN_LAYER_STRATUM_CORNEUM || env->layer == MN_LAYER_EPIDERMIS;

    /* Excess growth-factor signal over the basal one drives proliferation and synthesis, so
     * homeostasis needs no extra balancing term. */
    const double signal =
        mn__pos(gf_signal(gf, p->K_gf) - gf_signal(b[MN_SP_GROWTH_FACTOR], p->K_gf));
    /* Vitamin C is a cofactor of prolyl hydroxylase: boosts synthesis while present. */
    const double vitc = 1.0 + d->vitamin_c_boost * top / (top + 0.1);
    const double induced = d->capacity_induced * vitc * fib * signal;

    /* Damage: repaired by keratinocytes (epidermis, ~5 days: Schmitt 2018) or by
     * fibroblasts in proportion to their density (dermis). */
    prod[MN_SP_DAMAGE] = 0.0;
    if (epidermal)
        loss[MN_SP_DAMAGE] = p->k_repair_epidermis;
    else
        loss[MN_SP_DAMAGE] = p->k_repair_dermis *
                             fmax(0.25, b[MN_SP_FIBROBLAST] > 0 ? fib / b[MN_SP_FIBROBLAST] : 1);

    /* Open channel: first-order closure (t½ ~20 h in humans, PMC8259462). */
    prod[MN_SP_PORE] = 0.0;
    loss[MN_SP_PORE] = p->k_pore;

    /* Platelets/clot: released at puncture where vascular, decay in hours. */
    prod[MN_SP_PLATELET] = 0.0;
    loss[MN_SP_PLATELET] = p->k_platelet;

    /* Neutrophils: recruited by damage and clot chemokines, logistic (1 − N), cleared. */
    const double recruit = p->r_neutrophil * (dmg + p->a_platelet_neutrophil * plt);
    prod[MN_SP_NEUTROPHIL] = recruit;
    loss[MN_SP_NEUTROPHIL] = recruit + p->k_neutrophil;

    /* Macrophages: follow neutrophils (peak ~day 3), logistic, cleared. */
    prod[MN_SP_MACROPHAGE] = p->r_macrophage * neu;
    loss[MN_SP_MACROPHAGE] = p->r_macrophage * neu + p->k_macrophage;

    /* Growth factor: basal, platelet release, macrophage secretion, topical adjuncts. */
    prod[MN_SP_GROWTH_FACTOR] = p->k_growth_factor * b[MN_SP_GROWTH_FACTOR] +
                                p->s_gf_platelet * plt + p->s_gf_macrophage * mac +
                                d->gf_potency * top;
    loss[MN_SP_GROWTH_FACTOR] = p->k_growth_factor;

    /* Fibroblasts: proliferate on the growth-factor signal up to a carrying capacity and
     * relax to their layer density (Jin 2011: 0.924/day growth, 0.12/day apoptosis). */
    if (b[MN_SP_FIBROBLAST] > 0) {
        prod[MN_SP_FIBROBLAST] =
            p->r_fibroblast * signal * fib * mn__pos(1.0 - fib / p->fibroblast_max) +
            p->k_fibroblast * b[MN_SP_FIBROBLAST];
        loss[MN_SP_FIBROBLAST] = p->k_fibroblast;
    } else {
        prod[MN_SP_FIBROBLAST] = 0.0;
        loss[MN_SP_FIBROBLAST] = p->k_fibroblast;
    }

    /* MMP: basal, macrophages, remodelling fibroblasts, UV (Fisher 1997), decay 0.875/day. */
    prod[MN_SP_MMP] = p->k_mmp + p->s_mmp_macrophage * mac + p->s_mmp_fibroblast * fib * signal +
                      p->s_mmp_uv * d->uv_med_per_day * d->uv_mmp_factor;
    loss[MN_SP_MMP] = p->k_mmp;

    /* Collagen III: basal + induced synthesis; MMP degradation; the wound excess over the
     * baseline matures into collagen I over months (III peaks first: Zeitter 2014). */
    const double excess3 = mn__pos(c3 - b[MN_SP_COLLAGEN3]);
    const double mature = p->k_maturation * excess3;
    prod[MN_SP_COLLAGEN3] =
        env->basal_synth[MN_SP_COLLAGEN3] * d->capacity_rel * fib + p->synth_collagen3 * induced;
    loss[MN_SP_COLLAGEN3] = p->k_collagen_loss * mmp + (c3 > 0 ? mature / c3 : 0.0);

    /* Collagen I: basal + induced synthesis + maturation; MMP degradation. */
    prod[MN_SP_COLLAGEN1] = env->basal_synth[MN_SP_COLLAGEN1] * d->capacity_rel * fib +
                            p->synth_collagen1 * induced + mature;
    loss[MN_SP_COLLAGEN1] = p->k_collagen_loss * mmp;

    /* Functional elastin: slow turnover, new fibres after injury (tropoelastin up:
     * El-Domyati 2015). */
    prod[MN_SP_ELASTIN] =
        env->basal_synth[MN_SP_ELASTIN] * d->capacity_rel * fib + p->synth_elastin * induced;
    loss[MN_SP_ELASTIN] = p->k_elastin_loss * mmp;

    /* Solar elastosis: accrues with UV in the dermis, cleared by MMP above its baseline
     * (total elastin falls after microneedling: El-Domyati 2015). */
    prod[MN_SP_ELASTOSIS] = epidermal || env->layer == MN_LAYER_HYPODERMIS
                                ? 0.0
                                : p->s_elastosis_uv * d->uv_med_per_day;
    loss[MN_SP_ELASTOSIS] = p->k_elastosis_clear * mn__pos(mmp - b[MN_SP_MMP]);

    /* Vascular dilation: acute (clot mediators) and inflammatory hyperaemia. */
    prod[MN_SP_VESSEL] =
        env->vascular * (p->r_vessel_platelet * plt + p->r_vessel_neutrophil * neu);
    loss[MN_SP_VESSEL] = p->k_vessel;

    /* Edema: fluid leaks from dilated vessels; hyaluronic acid binds water. */
    prod[MN_SP_EDEMA] = p->r_edema * ves + d->hydration * top;
    loss[MN_SP_EDEMA] = p->k_edema;

    /* Keratinocytes: growth-factor driven thickening that relaxes over months (Aust 2008:
     * stratum spinosum +40 % a year after treatment). */
    if (b[MN_SP_KERATINOCYTE] > 0) {
        prod[MN_SP_KERATINOCYTE] =
            p->r_keratinocyte * signal * ker * mn__pos(1.0 - ker / p->keratinocyte_max) +
            p->k_keratinocyte * b[MN_SP_KERATINOCYTE];
        loss[MN_SP_KERATINOCYTE] = p->k_keratinocyte;
    } else {
        prod[MN_SP_KERATINOCYTE] = 0.0;
        loss[MN_SP_KERATINOCYTE] = p->k_keratinocyte;
    }

    /* Topical agent: cleared locally; it enters through open channels (transport). */
    prod[MN_SP_TOPICAL] = 0.0;
    loss[MN_SP_TOPICAL] = p->k_topical;
}

void mn_kinetics_step(const mn_params *p, const mn_voxel_env *env, const mn_drivers *d,
                      float y[MN_SP_COUNT], double dt_h)
{
    mn_kinetics_step_frozen(p, env, d, y, dt_h, 0u);
}

unsigned mn_species_diffusing_mask(void)
{
    unsigned mask = 0;
    for (int s = 0; s < MN_SP_COUNT; ++s)
        if (mn_species_diffuses((mn_species)s))
            mask |= 1u << s;
    return mask;
}

void mn_kinetics_step_frozen(const mn_params *p, const mn_voxel_env *env, const mn_drivers *d,
                             float y[MN_SP_COUNT], double dt_h, unsigned frozen)
{
    double p0[MN_SP_COUNT], l0[MN_SP_COUNT];
    mn_kinetics_rates(p, env, d, y, p0, l0);
    mn_kinetics_step_frozen_rates(p, env, d, y, dt_h, frozen, p0, l0);
}

void mn_kinetics_step_frozen_rates(const mn_params *p, const mn_voxel_env *env, const mn_drivers *d,
                                   float y[MN_SP_COUNT], double dt_h, unsigned frozen,
                                   const double prod0[MN_SP_COUNT], const double loss0[MN_SP_COUNT])
{
    double p0[MN_SP_COUNT], l0[MN_SP_COUNT], p1[MN_SP_COUNT], l1[MN_SP_COUNT];
    double y0[MN_SP_COUNT];
    float stage[MN_SP_COUNT];
    for (int i = 0; i < MN_SP_COUNT; ++i) {
        const int held = (frozen & (1u << i)) != 0;
        p0[i] = held ? 0.0 : prod0[i];
        l0[i] = held ? 0.0 : loss0[i];
    }
    /* Stage 1: Patankar–Euler, y1 (1 + dt L0) = y0 + dt P0. */
    /* A held species keeps (float)(y0 + 0.0) through both stages (its rates are zero): that is
     * written directly, saving its divisions with the same bits (the + 0.0 keeps the sign of a
     * zero exactly as the full formula does). */
    for (int i = 0; i < MN_SP_COUNT; ++i) {
        y0[i] = y[i];
        stage[i] = (frozen & (1u << i))
                       ? (float)(y0[i] + 0.0)
                       : (float)((y0[i] + dt_h * p0[i]) / (1.0 + dt_h * l0[i]));
    }
    mn_kinetics_rates(p, env, d, stage, p1, l1);
    /* Stage 2 (MPRK22, α = 1): destruction weighted by y^{n+1}/y^{(1)}. */
    for (int i = 0; i < MN_SP_COUNT; ++i) {
        if (frozen & (1u << i)) {
            y[i] = stage[i];
            continue;
        }
        double y1 = stage[i];
        double num = y0[i] + 0.5 * dt_h * (p0[i] + p1[i]);
        double den;
        if (y1 > 1e-30)
            den = 1.0 + 0.5 * dt_h * (l0[i] * y0[i] + l1[i] * y1) / y1;
        else
            den = 1.0 + 0.5 * dt_h * (l0[i] + l1[i]);
        y[i] = (float)(num / den);
    }
}

void mn_kinetics_injure(const mn_params *p, const mn_voxel_env *env, float y[MN_SP_COUNT],
                        double fraction)
{
    if (!(fraction > 0))
        return;
    double f = fraction > 1 ? 1 : fraction;
    y[MN_SP_DAMAGE] = (float)(y[MN_SP_DAMAGE] + (1.0 - y[MN_SP_DAMAGE]) * f);
    y[MN_SP_PORE] = (float)(y[MN_SP_PORE] + (1.0 - y[MN_SP_PORE]) * f);
    /* Bleeding only where the channel opens capillaries (papillary dermis and below). */
    y[MN_SP_PLATELET] = (float)(y[MN_SP_PLATELET] + p->platelet_per_damage * env->vascular * f);
}
