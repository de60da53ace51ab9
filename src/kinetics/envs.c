/* Per-voxel kinetic environments over a tissue's depth grid (kinetics.h). */
#include <stdlib.h>

#include "mnsim/kinetics.h"

struct mn_kinetics_envs {
    int nz;
    mn_voxel_env *env;
};

int mn_kinetics_envs_create(const mn_tissue *t, const mn_patient *pt, const mn_params *p,
                            const mn_drivers *drivers0, mn_kinetics_envs **out, mn_error *err)
{
    if (!t || !pt || !p || !drivers0 || !out)
        return mn_error_set(err, MN_EINVAL, "mn_kinetics_envs_create: NULL argument");
    *out = NULL;
    const int nz = mn_tissue_nz(t);
    mn_kinetics_envs *e = calloc(1, sizeof *e);
    if (!e || !(e->env = malloc((size_t)nz * sizeof *e->env))) {
        mn_kinetics_envs_free(&e);
        return mn_error_set(err, MN_ENOMEM, "out of memory for the kinetic environments");
    }
    e->nz = nz;
    /* One environment a layer, copied to each of its voxels. */
    for (int l = 0; l < MN_LAYER_COUNT; ++l) {
        int first, end;
        mn_tissue_layer_range(t, (mn_layer)l, &first, &end);
        mn_voxel_env env;
        mn_kinetics_env_init(&env, (mn_layer)l, pt, p, drivers0);
        for (int i = first; i < end; ++i)
            e->env[i] = env;
    }
    *out = e;
    return MN_OK;
}

void mn_kinetics_envs_free(mn_kinetics_envs **e)
{
    if (!e || !*e)
        return;
    free((*e)->env);
    free(*e);
    *e = NULL;
}

const mn_voxel_env *mn_kinetics_env_at(const mn_kinetics_envs *e, int i)
{
    return &e->env[i];
}

int mn_kinetics_envs_nz(const mn_kinetics_envs *e)
{
    return e->nz;
}
