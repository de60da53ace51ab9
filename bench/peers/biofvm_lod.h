/* The BioFVM peer of bench_lod: a re-implementation, with BioFVM 1.0.4's data layout and
 * operation order, of its 3-D LOD diffusion-decay solver
 * (diffusion_decay_solver__constant_coefficients_LOD_3D); README.md in this folder says what it
 * follows and what differs. C interface so the C benchmark can call the C++ code. */
#ifndef MN_PEER_BIOFVM_LOD_H
#define MN_PEER_BIOFVM_LOD_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mn_peer_biofvm mn_peer_biofvm;

/* A uniform nx × ny × nz mesh of spacing dx with `substrates` densities a voxel, diffusion
 * coefficients D[s] and decay rates decay[s] (the units of dx and dt), step dt; the densities
 * start from a smooth non-constant field. NULL when out of memory. */
mn_peer_biofvm *mn_peer_biofvm_create(int nx, int ny, int nz, double dx, int substrates,
                                      const double *D, const double *decay, double dt);
/* One LOD step (x, y, then z sweeps over every substrate). */
void mn_peer_biofvm_step(mn_peer_biofvm *m);
/* Sum of all densities (a check that the work was done and not optimised away). */
double mn_peer_biofvm_total(const mn_peer_biofvm *m);
void mn_peer_biofvm_free(mn_peer_biofvm *m);

#ifdef __cplusplus
}
#endif

#endif
