/* The 3-D patch's state (private to src/patch3d/). */
#ifndef MN_PATCH3D_IMPL_H
#define MN_PATCH3D_IMPL_H

#include <stddef.h>

#include "mnsim/device.h"
#include "mnsim/patch3d.h"
#include "patch3d/lod.h"

struct mn_patch3d {
    const mn_tissue *tissue;
    const mn_kinetics_envs *envs;
    const mn_params *p;
    int nx, ny, nz;
    double dx_um, patch_um;
    size_t plane, nvox;
    /* Species s is stored for depths [kbeg[s], kend[s]) only (NULL field: not at all); outside
     * that range it is structurally at its baseline (docs/3d.md §Memory). */
    int kbeg[MN_SP_COUNT], kend[MN_SP_COUNT];
    float *field[MN_SP_COUNT];
    double *h_um;
    mn__lod lod;
    mn__lod_op op[MN_SP_COUNT];      /* diffusible species */
    double *topical_g0, *topical_g1; /* topical z conductances: tissue part, pore part */
    double *fib0;                    /* resident fibroblast density per depth */
    /* Hours since the topical agent was last on the skin; part of the state a checkpoint
     * saves, exposed as two floats holding the double's bytes. */
    union {
        double h;
        float bits[2];
    } topical_idle;
    /* Every puncture of every session, placed at creation (no allocation in the time loop). */
    mn_puncture *punct;
    size_t npunct;
    size_t first[MN_MAX_SESSIONS + 1]; /* punctures of session i: [first[i], first[i+1]) */
    int nsessions;
    int *cell_head, *cell_next; /* cell list for carving */
    int cells;                  /* cells per side */
    size_t bytes;               /* everything allocated */
};


#endif
