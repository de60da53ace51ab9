#include "kinetics/diffusivity.h"

static int is_epidermal(mn_layer l)
{
    return l == MN_LAYER_STRATUM_CORNEUM || l == MN_LAYER_EPIDERMIS;
}

double mn__face_diffusivity(const mn_params *p, mn_species s, mn_layer up, mn_layer down,
                            double pore)
{
    switch (s) {
    case MN_SP_GROWTH_FACTOR:
        /* The stratum corneum is not a diffusion medium for proteins. */
        return up == MN_LAYER_STRATUM_CORNEUM ? 0.0 : p->D_growth_factor;
    case MN_SP_MMP:
        return up == MN_LAYER_STRATUM_CORNEUM ? 0.0 : p->D_mmp;
    case MN_SP_FIBROBLAST:
        /* Fibroblasts migrate within the dermis and hypodermis only. */
        return (is_epidermal(up) || is_epidermal(down)) ? 0.0 : p->D_fibroblast;
    case MN_SP_TOPICAL: {
        /* Parallel paths: free diffusion in the open lumen, slow diffusion in tissue; intact
         * stratum corneum passes nothing (serums act only while channels are open). */
        double tissue = up == MN_LAYER_STRATUM_CORNEUM ? 0.0 : p->D_topical_tissue;
        return pore * p->D_topical_channel + (1.0 - pore) * tissue;
    }
    default:
        return 0.0;
    }
}
