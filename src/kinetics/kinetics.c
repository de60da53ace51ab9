/* Per-voxel healing kinetics (docs/model.md §Healing kinetics). Each species is
 * written as dy/dt = prod − loss·y with prod, loss ≥ 0. */
#include "mnsim/kinetics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mn_math.h"
#include "core/mn_simd.h"
#include "kinetics/kinetics_rows.h"

#if defined(__GNUC__)
#define MN_KIN_INLINE static inline __attribute__((always_inline))
#else
#define MN_KIN_INLINE static inline
#endif

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

/* Growth-factor signal G/(K+G): receptor saturation (Michaelis–Menten form, docs/model.md). */
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
    /* Relative cell densities and matrix fractions by layer (params.h): the papillary dermis
     * is more cellular and looser, the hypodermis is fat with thin collagen septa (standard
     * histology; e.g. Kanitakis J. Eur J Dermatol 2002;12:390). The reticular dermis is the
     * unit of cell and matrix density, the papillary dermis that of vascularity and solar
     * elastosis; fat has no solar elastosis. */
    double fib = 0, c1 = 0, c3 = 0, el = 0, es = 0, ker = 0, vasc = 0;
    switch (layer) {
    case MN_LAYER_STRATUM_CORNEUM:
        break;
    case MN_LAYER_EPIDERMIS:
        ker = 1.0;
        break;
    case MN_LAYER_PAPILLARY:
        fib = p->papillary_fibroblast_density, c1 = p->papillary_collagen1_density;
        c3 = p->papillary_collagen3_density, el = p->papillary_elastin_density;
        es = 1.0, vasc = 1.0;
        break;
    case MN_LAYER_RETICULAR:
        fib = 1.0, c1 = 1.0, c3 = 1.0, el = 1.0;
        es = p->reticular_elastosis_density, vasc = p->reticular_vascularity;
        break;
    case MN_LAYER_HYPODERMIS:
    default:
        fib = p->hypodermis_fibroblast_density, c1 = p->hypodermis_collagen1_density;
        c3 = p->hypodermis_collagen3_density, el = p->hypodermis_elastin_density;
        es = 0.0, vasc = p->hypodermis_vascularity;
        break;
    }
    /* Young dermal collagen mass split: collagen III ~20 % of collagen I + III in adult skin
     * (Cheng W et al. Chin Med J 2011;124:1811 report I:III ~ 4:1). Densities of C1 and C3 are
     * in units of young total collagen, so the maturation flux III → I conserves mass. The
     * shares are rounded to float, as they were when they were float constants. */
    const double young_c3 = (float)p->young_collagen3_share;
    const double young_c1 = (float)(1.0 - p->young_collagen3_share);
    env->vascular = (float)vasc;
    b[MN_SP_GROWTH_FACTOR] = (float)p->gf_basal;
    double uv_mmp = p->s_mmp_uv * d0->uv_med_per_day * d0->uv_mmp_factor;
    double mmp0 = 1.0 + uv_mmp / p->k_mmp;
    b[MN_SP_MMP] = (float)mmp0;
    b[MN_SP_FIBROBLAST] = (float)fib;
    b[MN_SP_COLLAGEN1] = (float)(young_c1 * c1 * pt->collagen1_rel);
    b[MN_SP_COLLAGEN3] = (float)(young_c3 * c3 * pt->collagen3_rel);
    b[MN_SP_ELASTIN] = (float)(el * pt->elastin_rel);
    b[MN_SP_ELASTOSIS] = (float)(es * pt->elastosis_rel);
    b[MN_SP_KERATINOCYTE] = (float)ker;
    /* Basal synthesis per fibroblast that balances basal degradation exactly: the untreated
     * skin is a steady state (docs/model.md: basal synthesis balances turnover). */
    if (fib > 0) {
        double loss = p->k_collagen_loss * b[MN_SP_MMP];
        env->basal_synth[MN_SP_COLLAGEN1] = (float)(loss * b[MN_SP_COLLAGEN1] / fib);
        env->basal_synth[MN_SP_COLLAGEN3] = (float)(loss * b[MN_SP_COLLAGEN3] / fib);
        env->basal_synth[MN_SP_ELASTIN] =
            (float)(p->k_elastin_loss * b[MN_SP_MMP] * b[MN_SP_ELASTIN] / fib);
    }
}

#ifdef _OPENMP
#define MN_SIMD _Pragma("omp simd")
#else
#define MN_SIMD
#endif

/* Voxels stepped together by mn_kinetics_step_row: one block of SIMD lanes. */
enum { MN_KIN_LANES = 16 };

/* The rates of n voxels: of one layer case (env, with the case's flags; see rates_lanes), or
 * with per_lane set of a row whose voxels each have their own environment (ev: the column,
 * whose layers are a few voxels each, vectorised as one row). The body is the same; the
 * per-lane environment values enter as loads and the layer flags as selects. */
MN_KIN_INLINE void rates_body(const mn_params *p, const mn_voxel_env *env, const mn__env_rows *ev,
                              const mn_drivers *d, const double *restrict y, int ys,
                              double *restrict prod, double *restrict loss, int rs, int n,
                              const int epidermal, const int fib_on, const int ker_on,
                              const int per_lane)
{
    const float *b = per_lane ? NULL : env->baseline;
    const double b_fib = per_lane ? 0.0 : b[MN_SP_FIBROBLAST];
    const double b_ker = per_lane ? 0.0 : b[MN_SP_KERATINOCYTE];
    const double b_c3 = per_lane ? 0.0 : b[MN_SP_COLLAGEN3];
    const double b_mmp = per_lane ? ev->b_mmp : b[MN_SP_MMP];
    const double b_gf = per_lane ? ev->b_gf : b[MN_SP_GROWTH_FACTOR];
    const double fib_div = b_fib > 0 ? b_fib : 1.0;
    const double syn_c3 = per_lane ? 0.0 : env->basal_synth[MN_SP_COLLAGEN3];
    const double syn_c1 = per_lane ? 0.0 : env->basal_synth[MN_SP_COLLAGEN1];
    const double syn_el = per_lane ? 0.0 : env->basal_synth[MN_SP_ELASTIN];
    const double vascular = per_lane ? 0.0 : env->vascular;
    /* Parameters read before the loop: a load inside a select's arm would keep it a branch. */
    const double k_rep_epi = p->k_repair_epidermis, k_rep_derm = p->k_repair_dermis;
    const double r_fib = p->r_fibroblast, fib_max = p->fibroblast_max, k_fib = p->k_fibroblast;
    const double r_ker = p->r_keratinocyte, ker_max = p->keratinocyte_max;
    const double k_ker = p->k_keratinocyte;
    const double rep_floor = p->repair_fibroblast_floor, vitc_k = p->vitamin_c_half_saturation;
    const double basal_signal = gf_signal(b_gf, p->K_gf);
    const double elastosis_uv = p->s_elastosis_uv * d->uv_med_per_day;
    const int elastosis_on = per_lane ? 0 : !(epidermal || env->layer == MN_LAYER_HYPODERMIS);
    /* No omp simd here: GCC 12 then fails to find vector types for the loop; its own
     * vectoriser takes it in mn_kinetics_step_row. */
    for (int l = 0; l < n; ++l) {
        const double dmg = y[MN_SP_DAMAGE * ys + l], plt = y[MN_SP_PLATELET * ys + l];
        const double neu = y[MN_SP_NEUTROPHIL * ys + l], mac = y[MN_SP_MACROPHAGE * ys + l];
        const double gf = y[MN_SP_GROWTH_FACTOR * ys + l], mmp = y[MN_SP_MMP * ys + l];
        const double fib = y[MN_SP_FIBROBLAST * ys + l], c3 = y[MN_SP_COLLAGEN3 * ys + l];
        const double ves = y[MN_SP_VESSEL * ys + l], ker = y[MN_SP_KERATINOCYTE * ys + l];
        const double top = y[MN_SP_TOPICAL * ys + l];
        /* This voxel's environment and layer flags. */
        const int epi_l = per_lane ? ev->epidermal[l] : epidermal;
        const int fib_on_l = per_lane ? ev->fib_on[l] : fib_on;
        const int ker_on_l = per_lane ? ev->ker_on[l] : ker_on;
        const int elastosis_l = per_lane ? ev->elastosis_on[l] : elastosis_on;
        const double b_fib_l = per_lane ? ev->b_fib[l] : b_fib;
        const double b_ker_l = per_lane ? ev->b_ker[l] : b_ker;
        const double b_c3_l = per_lane ? ev->b_c3[l] : b_c3;
        const double fib_div_l = per_lane ? ev->fib_div[l] : fib_div;
        const double syn_c3_l = per_lane ? ev->syn_c3[l] : syn_c3;
        const double syn_c1_l = per_lane ? ev->syn_c1[l] : syn_c1;
        const double syn_el_l = per_lane ? ev->syn_el[l] : syn_el;
        const double vascular_l = per_lane ? ev->vascular[l] : vascular;
#define PROD(s) prod[(s)*rs + l]
#define LOSS(s) loss[(s)*rs + l]

        /* Excess growth-factor signal over the basal one drives proliferation and synthesis,
         * so homeostasis needs no extra balancing term. */
        const double signal = mn__pos(gf_signal(gf, p->K_gf) - basal_signal);
        /* Vitamin C is a cofactor of prolyl hydroxylase: boosts synthesis while present. */
        const double vitc = 1.0 + d->vitamin_c_boost * top / (top + vitc_k);
        const double induced = d->capacity_induced * vitc * fib * signal;

        /* Damage: repaired by keratinocytes (epidermis, ~5 days: Schmitt 2018) or by
         * fibroblasts in proportion to their density (dermis), at least at the floor's share;
         * max(floor, ·) as a select (fmax's NaN rule gives the same value). */
        const double fib_rel = fib_on_l ? fib / fib_div_l : 1.0;
        PROD(MN_SP_DAMAGE) = 0.0;
        LOSS(MN_SP_DAMAGE) =
            epi_l ? k_rep_epi : k_rep_derm * (fib_rel > rep_floor ? fib_rel : rep_floor);

        /* Open channel: first-order closure (t½ ~20 h in humans, PMC8259462). */
        PROD(MN_SP_PORE) = 0.0;
        LOSS(MN_SP_PORE) = p->k_pore;

        /* Platelets/clot: released at puncture where vascular, decay in hours. */
        PROD(MN_SP_PLATELET) = 0.0;
        LOSS(MN_SP_PLATELET) = p->k_platelet;

        /* Neutrophils: recruited by damage and clot chemokines, logistic (1 − N), cleared. */
        const double recruit = p->r_neutrophil * (dmg + p->a_platelet_neutrophil * plt);
        PROD(MN_SP_NEUTROPHIL) = recruit;
        LOSS(MN_SP_NEUTROPHIL) = recruit + p->k_neutrophil;

        /* Macrophages: follow neutrophils (peak ~day 3), logistic, cleared. */
        PROD(MN_SP_MACROPHAGE) = p->r_macrophage * neu;
        LOSS(MN_SP_MACROPHAGE) = p->r_macrophage * neu + p->k_macrophage;

        /* Growth factor: basal, platelet release, macrophage secretion, topical adjuncts. */
        PROD(MN_SP_GROWTH_FACTOR) = p->k_growth_factor * b_gf + p->s_gf_platelet * plt +
                                    p->s_gf_macrophage * mac + d->gf_potency * top;
        LOSS(MN_SP_GROWTH_FACTOR) = p->k_growth_factor;

        /* Fibroblasts: proliferate on the growth-factor signal up to a carrying capacity and
         * relax to their layer density (Jin 2011: 0.924/day growth, 0.12/day apoptosis). */
        const double fib_prod =
            r_fib * signal * fib * mn__pos(1.0 - fib / fib_max) + k_fib * b_fib_l;
        PROD(MN_SP_FIBROBLAST) = fib_on_l ? fib_prod : 0.0;
        LOSS(MN_SP_FIBROBLAST) = p->k_fibroblast;

        /* MMP: basal, macrophages, remodelling fibroblasts, UV (Fisher 1997), decay
         * 0.875/day. */
        PROD(MN_SP_MMP) = p->k_mmp + p->s_mmp_macrophage * mac +
                          p->s_mmp_fibroblast * fib * signal +
                          p->s_mmp_uv * d->uv_med_per_day * d->uv_mmp_factor;
        LOSS(MN_SP_MMP) = p->k_mmp;

        /* Collagen III: basal + induced synthesis; MMP degradation; the wound excess over the
         * baseline matures into collagen I over months (III peaks first: Zeitter 2014). */
        const double excess3 = mn__pos(c3 - b_c3_l);
        const double mature = p->k_maturation * excess3;
        const double mature_rate = mature / (c3 > 0 ? c3 : 1.0);
        PROD(MN_SP_COLLAGEN3) = syn_c3_l * d->capacity_rel * fib + p->synth_collagen3 * induced;
        LOSS(MN_SP_COLLAGEN3) = p->k_collagen_loss * mmp + (c3 > 0 ? mature_rate : 0.0);

        /* Collagen I: basal + induced synthesis + maturation; MMP degradation. */
        PROD(MN_SP_COLLAGEN1) =
            syn_c1_l * d->capacity_rel * fib + p->synth_collagen1 * induced + mature;
        LOSS(MN_SP_COLLAGEN1) = p->k_collagen_loss * mmp;

        /* Functional elastin: slow turnover, new fibres after injury (tropoelastin up:
         * El-Domyati 2015). */
        PROD(MN_SP_ELASTIN) = syn_el_l * d->capacity_rel * fib + p->synth_elastin * induced;
        LOSS(MN_SP_ELASTIN) = p->k_elastin_loss * mmp;

        /* Solar elastosis: accrues with UV in the dermis, cleared by MMP above its baseline
         * (total elastin falls after microneedling: El-Domyati 2015). */
        PROD(MN_SP_ELASTOSIS) = elastosis_l ? elastosis_uv : 0.0;
        LOSS(MN_SP_ELASTOSIS) = p->k_elastosis_clear * mn__pos(mmp - b_mmp);

        /* Vascular dilation: acute (clot mediators) and inflammatory hyperaemia. */
        PROD(MN_SP_VESSEL) =
            vascular_l * (p->r_vessel_platelet * plt + p->r_vessel_neutrophil * neu);
        LOSS(MN_SP_VESSEL) = p->k_vessel;

        /* Edema: fluid leaks from dilated vessels; hyaluronic acid binds water. */
        PROD(MN_SP_EDEMA) = p->r_edema * ves + d->hydration * top;
        LOSS(MN_SP_EDEMA) = p->k_edema;

        /* Keratinocytes: growth-factor driven thickening that relaxes over months (Aust 2008:
         * stratum spinosum +40 % a year after treatment). */
        const double ker_prod =
            r_ker * signal * ker * mn__pos(1.0 - ker / ker_max) + k_ker * b_ker_l;
        PROD(MN_SP_KERATINOCYTE) = ker_on_l ? ker_prod : 0.0;
        LOSS(MN_SP_KERATINOCYTE) = p->k_keratinocyte;

        /* Topical agent: cleared locally; it enters through open channels (transport). */
        PROD(MN_SP_TOPICAL) = 0.0;
        LOSS(MN_SP_TOPICAL) = p->k_topical;
#undef PROD
#undef LOSS
    }
}

/* The rates of n voxels at once: species s of lane l is y[s·ys + l], its rates go to
 * prod/loss[s·rs + l]. One body serves the single voxel (n = 1) and the rows of the 3-D patch
 * (vectorised over lanes). The choices that depend on the layer are the same for every lane
 * and are made here, outside the loop (a body per case); the data-dependent ones are selects
 * between values computed with safe operands, so a lane does the same operations in the same
 * order as the scalar path, and SIMD gives the same bits. */
MN_KIN_INLINE void rates_lanes(const mn_params *p, const mn_voxel_env *env, const mn_drivers *d,
                               const double *y, int ys, double *prod, double *loss, int rs, int n)
{
    const int epi = env->layer == MN_LAYER_STRATUM_CORNEUM || env->layer == MN_LAYER_EPIDERMIS;
    const int fib = env->baseline[MN_SP_FIBROBLAST] > 0,
              ker = env->baseline[MN_SP_KERATINOCYTE] > 0;
#define MN_RATES_CASE(e, f, k)                                                                     \
    if (epi == (e) && fib == (f) && ker == (k)) {                                                  \
        rates_body(p, env, NULL, d, y, ys, prod, loss, rs, n, e, f, k, 0);                         \
        return;                                                                                    \
    }
    MN_RATES_CASE(0, 0, 0)
    MN_RATES_CASE(0, 0, 1)
    MN_RATES_CASE(0, 1, 0)
    MN_RATES_CASE(0, 1, 1)
    MN_RATES_CASE(1, 0, 0)
    MN_RATES_CASE(1, 0, 1)
    MN_RATES_CASE(1, 1, 0)
    MN_RATES_CASE(1, 1, 1)
#undef MN_RATES_CASE
}

/* One MPRK22 step of n voxels (layout as in rates_lanes; the state is float values held in
 * double, and stays so; rates at the start in prod0/loss0 with stride rs); n ≤ MN_KIN_LANES. */
MN_KIN_INLINE void step_lanes(const mn_params *p, const mn_voxel_env *env, const mn_drivers *d,
                              double *y, int ys, int n, double dt_h, const double *prod0,
                              const double *loss0, int rs)
{
    double p1[MN_SP_COUNT * MN_KIN_LANES], l1[MN_SP_COUNT * MN_KIN_LANES];
    /* Stage values rounded to float (as the state is stored), held in double for the rates. */
    double stage[MN_SP_COUNT * MN_KIN_LANES];
    /* Stage 1: Patankar–Euler, y1 (1 + dt L0) = y0 + dt P0. */
    for (int i = 0; i < MN_SP_COUNT; ++i) {
        MN_SIMD
        for (int l = 0; l < n; ++l) {
            const double y0 = y[i * ys + l];
            stage[i * MN_KIN_LANES + l] =
                (float)((y0 + dt_h * prod0[i * rs + l]) / (1.0 + dt_h * loss0[i * rs + l]));
        }
    }
    rates_lanes(p, env, d, stage, MN_KIN_LANES, p1, l1, MN_KIN_LANES, n);
    /* Stage 2 (MPRK22, α = 1): destruction weighted by y^{n+1}/y^{(1)}. */
    for (int i = 0; i < MN_SP_COUNT; ++i) {
        MN_SIMD
        for (int l = 0; l < n; ++l) {
            const double y0 = y[i * ys + l], y1 = stage[i * MN_KIN_LANES + l];
            const double p0 = prod0[i * rs + l], l0 = loss0[i * rs + l];
            const double pp = p1[i * MN_KIN_LANES + l], ll = l1[i * MN_KIN_LANES + l];
            const double num = y0 + 0.5 * dt_h * (p0 + pp);
            /* 0.5·dt·(…)/y1 evaluated left to right, as the scalar formula always was. */
            const int live = y1 > 1e-30;
            const double weighted = 0.5 * dt_h * (l0 * y0 + ll * y1) / (live ? y1 : 1.0);
            const double den = live ? 1.0 + weighted : 1.0 + 0.5 * dt_h * (l0 + ll);
            y[i * ys + l] = (float)(num / den);
        }
    }
}

void mn_kinetics_rates(const mn_params *p, const mn_voxel_env *env, const mn_drivers *d,
                       const float y[MN_SP_COUNT], double prod[MN_SP_COUNT],
                       double loss[MN_SP_COUNT])
{
    double yd[MN_SP_COUNT];
    for (int s = 0; s < MN_SP_COUNT; ++s)
        yd[s] = y[s];
    rates_lanes(p, env, d, yd, 1, prod, loss, 1, 1);
}

void mn_kinetics_step(const mn_params *p, const mn_voxel_env *env, const mn_drivers *d,
                      float y[MN_SP_COUNT], double dt_h)
{
    double yd[MN_SP_COUNT], p0[MN_SP_COUNT], l0[MN_SP_COUNT];
    for (int s = 0; s < MN_SP_COUNT; ++s)
        yd[s] = y[s];
    rates_lanes(p, env, d, yd, 1, p0, l0, 1, 1);
    step_lanes(p, env, d, yd, 1, 1, dt_h, p0, l0, 1);
    for (int s = 0; s < MN_SP_COUNT; ++s)
        y[s] = (float)yd[s];
}

/* Lanes x0 .. x0+nl-1 of the rows into the lane layout y[s·MN_KIN_LANES + l]. */
MN_KIN_INLINE void load_lanes(const float *const rows[MN_SP_COUNT], int x0, int nl, double *y)
{
    for (int s = 0; s < MN_SP_COUNT; ++s) {
        const float *r = rows[s] + x0;
        MN_SIMD
        for (int l = 0; l < nl; ++l)
            y[s * MN_KIN_LANES + l] = r[l];
    }
}

/* The build compiles this file with -fno-trapping-math (CMakeLists.txt): the selects then run
 * both of their (finite, exception-free) sides as SIMD blends. It changes no value, only which
 * floating-point exception flags may be raised, which nothing reads. */
MN_CLONES void mn_kinetics_step_row(const mn_params *p, const mn_voxel_env *env,
                                    const mn_drivers *d, float *const rows[MN_SP_COUNT], int n,
                                    double dt_h)
{
    double y[MN_SP_COUNT * MN_KIN_LANES];
    double p0[MN_SP_COUNT * MN_KIN_LANES], l0[MN_SP_COUNT * MN_KIN_LANES];
    for (int x0 = 0; x0 < n; x0 += MN_KIN_LANES) {
        const int nl = n - x0 < MN_KIN_LANES ? n - x0 : MN_KIN_LANES;
        load_lanes((const float *const *)rows, x0, nl, y);
        rates_lanes(p, env, d, y, MN_KIN_LANES, p0, l0, MN_KIN_LANES, nl);
        step_lanes(p, env, d, y, MN_KIN_LANES, nl, dt_h, p0, l0, MN_KIN_LANES);
        for (int s = 0; s < MN_SP_COUNT; ++s) {
            float *r = rows[s] + x0;
            MN_SIMD
            for (int l = 0; l < nl; ++l)
                r[l] = (float)y[s * MN_KIN_LANES + l];
        }
    }
}

/* The two MPRK22 stages of the unsplit column step (kinetics.h), on the caller's arrays in
 * place: no lane copies (the column's layers are a few voxels each, and copying them into
 * lane blocks cost more than the arithmetic). The formulas are those of step_lanes. */
MN_CLONES void mn__kinetics_stage1_rows(const mn_params *p, const mn__env_rows *ev,
                                        const mn_drivers *d, const double *y0, int stride, int n,
                                        double dt_h, unsigned implicit, double *y1, double *prod0,
                                        double *loss0)
{
    rates_body(p, NULL, ev, d, y0, stride, prod0, loss0, stride, n, 0, 0, 0, 1);
    for (int s = 0; s < MN_SP_COUNT; ++s) {
        if (implicit & (1u << s))
            continue;
        const double *ys = y0 + s * stride, *ps = prod0 + s * stride, *ls = loss0 + s * stride;
        double *out = y1 + s * stride;
        MN_SIMD
        for (int l = 0; l < n; ++l)
            out[l] = (ys[l] + dt_h * ps[l]) / (1.0 + dt_h * ls[l]);
    }
}

MN_CLONES void mn__kinetics_stage2_rows(const mn_params *p, const mn__env_rows *ev,
                                        const mn_drivers *d, const double *y0, double *y1,
                                        int stride, int n, double dt_h, unsigned implicit,
                                        const double *prod0, const double *loss0, double *prod_eff,
                                        double *loss_eff)
{
    /* Rates at the first stage, into prod_eff/loss_eff, then turned into the result. */
    rates_body(p, NULL, ev, d, y1, stride, prod_eff, loss_eff, stride, n, 0, 0, 0, 1);
    for (int s = 0; s < MN_SP_COUNT; ++s) {
        const double *ya = y0 + s * stride, *p0 = prod0 + s * stride, *l0 = loss0 + s * stride;
        double *yb = y1 + s * stride, *pp = prod_eff + s * stride, *ll = loss_eff + s * stride;
        if (implicit & (1u << s)) {
            /* Destruction weighted by y^{n+1}/y^{(1)}: a loss rate on y^{n+1}. */
            MN_SIMD
            for (int l = 0; l < n; ++l) {
                const int live = yb[l] > 1e-30;
                const double l1 = ll[l];
                pp[l] = 0.5 * (p0[l] + pp[l]);
                ll[l] = live ? 0.5 * (l0[l] * ya[l] + l1 * yb[l]) / yb[l] : 0.5 * (l0[l] + l1);
            }
            continue;
        }
        /* y = num / (1 + 0.5·dt·(L0·y0 + L1·y1)/y1), written with one division. */
        MN_SIMD
        for (int l = 0; l < n; ++l) {
            const double a = ya[l], b = yb[l];
            const double num = a + 0.5 * dt_h * (p0[l] + pp[l]);
            const int live = b > 1e-30;
            const double top = live ? num * b : num;
            const double den = live ? b + 0.5 * dt_h * (l0[l] * a + ll[l] * b)
                                    : 1.0 + 0.5 * dt_h * (l0[l] + ll[l]);
            yb[l] = top / den;
        }
    }
}

void mn_kinetics_injure_f64(const mn_params *p, const mn_voxel_env *env, double y[MN_SP_COUNT],
                            double fraction)
{
    if (!(fraction > 0))
        return;
    double f = fraction > 1 ? 1 : fraction;
    y[MN_SP_DAMAGE] = y[MN_SP_DAMAGE] + (1.0 - y[MN_SP_DAMAGE]) * f;
    y[MN_SP_PORE] = y[MN_SP_PORE] + (1.0 - y[MN_SP_PORE]) * f;
    /* Bleeding only where the channel opens capillaries (papillary dermis and below). */
    y[MN_SP_PLATELET] = y[MN_SP_PLATELET] + p->platelet_per_damage * env->vascular * f;
}

void mn_kinetics_injure(const mn_params *p, const mn_voxel_env *env, float y[MN_SP_COUNT],
                        double fraction)
{
    /* Computed in double and rounded once, as the float state is stored. */
    double yd[MN_SP_COUNT];
    for (int s = 0; s < MN_SP_COUNT; ++s)
        yd[s] = y[s];
    mn_kinetics_injure_f64(p, env, yd, fraction);
    for (int s = 0; s < MN_SP_COUNT; ++s)
        y[s] = (float)yd[s];
}

void mn_kinetics_flare_f64(const mn_params *p, const mn_voxel_env *env, double y[MN_SP_COUNT],
                           double coverage)
{
    if (coverage > 0 && env->vascular > 0)
        y[MN_SP_VESSEL] += p->flare_vessel * env->vascular * (coverage > 1 ? 1 : coverage);
}

void mn_kinetics_flare(const mn_params *p, const mn_voxel_env *env, float y[MN_SP_COUNT],
                       double coverage)
{
    double v[MN_SP_COUNT];
    for (int s = 0; s < MN_SP_COUNT; ++s)
        v[s] = y[s];
    mn_kinetics_flare_f64(p, env, v, coverage);
    y[MN_SP_VESSEL] = (float)v[MN_SP_VESSEL];
}

int mn__env_rows_init(mn__env_rows *ev, const mn_kinetics_envs *envs)
{
    memset(ev, 0, sizeof *ev);
    const int n = mn_kinetics_envs_nz(envs);
    double **d[] = {&ev->b_fib,  &ev->b_ker,  &ev->b_c3,   &ev->fib_div,
                    &ev->syn_c3, &ev->syn_c1, &ev->syn_el, &ev->vascular};
    int **f[] = {&ev->epidermal, &ev->fib_on, &ev->ker_on, &ev->elastosis_on};
    int ok = 1;
    for (size_t k = 0; k < sizeof d / sizeof d[0]; ++k)
        ok &= (*d[k] = malloc((size_t)n * sizeof(double))) != NULL;
    for (size_t k = 0; k < sizeof f / sizeof f[0]; ++k)
        ok &= (*f[k] = malloc((size_t)n * sizeof(int))) != NULL;
    ev->n = n;
    if (ok && n > 0) {
        const mn_voxel_env *e0 = mn_kinetics_env_at(envs, 0);
        ev->b_gf = e0->baseline[MN_SP_GROWTH_FACTOR];
        ev->b_mmp = e0->baseline[MN_SP_MMP];
    }
    for (int i = 0; ok && i < n; ++i) {
        const mn_voxel_env *e = mn_kinetics_env_at(envs, i);
        const float *b = e->baseline;
        ok &= b[MN_SP_GROWTH_FACTOR] == ev->b_gf && b[MN_SP_MMP] == ev->b_mmp;
        ev->b_fib[i] = b[MN_SP_FIBROBLAST];
        ev->b_ker[i] = b[MN_SP_KERATINOCYTE];
        ev->b_c3[i] = b[MN_SP_COLLAGEN3];
        ev->fib_div[i] = ev->b_fib[i] > 0 ? ev->b_fib[i] : 1.0;
        ev->syn_c3[i] = e->basal_synth[MN_SP_COLLAGEN3];
        ev->syn_c1[i] = e->basal_synth[MN_SP_COLLAGEN1];
        ev->syn_el[i] = e->basal_synth[MN_SP_ELASTIN];
        ev->vascular[i] = e->vascular;
        ev->epidermal[i] = e->layer == MN_LAYER_STRATUM_CORNEUM || e->layer == MN_LAYER_EPIDERMIS;
        ev->fib_on[i] = b[MN_SP_FIBROBLAST] > 0;
        ev->ker_on[i] = b[MN_SP_KERATINOCYTE] > 0;
        ev->elastosis_on[i] = !(ev->epidermal[i] || e->layer == MN_LAYER_HYPODERMIS);
    }
    if (!ok) {
        mn__env_rows_free(ev);
        return -1;
    }
    return 0;
}

void mn__env_rows_free(mn__env_rows *ev)
{
    double *d[] = {ev->b_fib,  ev->b_ker,  ev->b_c3,   ev->fib_div,
                   ev->syn_c3, ev->syn_c1, ev->syn_el, ev->vascular};
    int *f[] = {ev->epidermal, ev->fib_on, ev->ker_on, ev->elastosis_on};
    for (size_t k = 0; k < sizeof d / sizeof d[0]; ++k)
        free(d[k]);
    for (size_t k = 0; k < sizeof f / sizeof f[0]; ++k)
        free(f[k]);
    memset(ev, 0, sizeof *ev);
}
