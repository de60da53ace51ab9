/* The column's kinetics: all voxels of a depth column as one vectorised row, each voxel with
 * its own environment (the kinetics module's internal header for the column model, src/column/). */
#ifndef MN_KINETICS_ROWS_H
#define MN_KINETICS_ROWS_H

#include "mnsim/kinetics.h"

/* The environments of a column's voxels as arrays (voxel i at [i]): the values of
 * mn_voxel_env that differ between layers, and the layer's flags. */
typedef struct mn__env_rows {
    int n;
    double *b_fib, *b_ker, *b_c3, *fib_div, *syn_c3, *syn_c1, *syn_el, *vascular;
    int *epidermal, *fib_on, *ker_on, *elastosis_on;
    double b_gf, b_mmp; /* the same in every layer */
} mn__env_rows;

/* Fills the rows from the voxels' environments; -1 (nothing allocated) when out of memory or when
 * a value assumed uniform differs between layers. */
int mn__env_rows_init(mn__env_rows *ev, const mn_kinetics_envs *envs);
void mn__env_rows_free(mn__env_rows *ev);

/* The two stages of one MPRK22 step on the n voxels, for a caller that solves some species
 * itself together with their transport (the column: the species set in `implicit`, unsplit;
 * docs/model.md §Numerics). Arrays are blocks of species rows: species s of voxel l is
 * y[s·stride + l]. Stage 1: rates at y0 go to prod0/loss0 (every species) and the
 * Patankar–Euler stage value of every other species to y1. The caller then puts the stage
 * values of its species into y1. Stage 2: rates at y1; every other species gets its new value
 * in y1 (overwritten); each implicit species gets, in prod_eff and loss_eff, the production and
 * the loss rate on y^{n+1} of its second stage (destruction weighted by y^{n+1}/y^{(1)}):
 * y^{n+1}(1 + dt·loss_eff) = y0 + dt·prod_eff + transport. prod_eff/loss_eff are scratch for
 * every species. Each voxel gets the rates mn_kinetics_rates gives it. */
void mn__kinetics_stage1_rows(const mn_params *p, const mn__env_rows *ev, const mn_drivers *d,
                              const double *y0, int stride, int n, double dt_h, unsigned implicit,
                              double *y1, double *prod0, double *loss0);
void mn__kinetics_stage2_rows(const mn_params *p, const mn__env_rows *ev, const mn_drivers *d,
                              const double *y0, double *y1, int stride, int n, double dt_h,
                              unsigned implicit, const double *prod0, const double *loss0,
                              double *prod_eff, double *loss_eff);

#endif
