// The BioFVM peer's LOD solver (see biofvm_lod.h and README.md). What it keeps of BioFVM 1.0.4,
// because that is what its speed depends on: the densities as one std::vector<double> a voxel
// (a vector of vectors: every voxel a separate heap block), the Thomas coefficients as one
// vector of substrates a grid index, precomputed once; each sweep a forward elimination
// (axpy with the constant dt·D/dx², division by the precomputed denominator) and a back
// substitution (naxpy with the precomputed c), voxel by voxel in BioFVM's loop order, through
// out-of-line vector operations and voxel_index; zero-flux ends; the decay split in thirds
// over the three sweeps.
#include "biofvm_lod.h"

#include <new>

#include "biofvm_ops.hpp"

using mn_peer::axpy;
using mn_peer::divide;
using mn_peer::naxpy;

struct mn_peer_biofvm {
    mn_peer::Mesh mesh;
    std::vector<std::vector<double>> density;
    std::vector<double> constant1;                   // dt·D/dx² per substrate
    std::vector<std::vector<double>> denom[3], c[3]; // Thomas coefficients of x, y and z
};

// The coefficients of one direction of n cells: the modified diagonal (denominators) and the
// normalised super-diagonal of the tridiagonal system with zero-flux ends.
static void thomas_coefficients(int n, const std::vector<double> &c1,
                                const std::vector<double> &decay_third,
                                std::vector<std::vector<double>> &denom,
                                std::vector<std::vector<double>> &c)
{
    const std::size_t ns = c1.size();
    std::vector<double> interior(ns), end(ns), off(ns);
    for (std::size_t s = 0; s < ns; ++s) {
        interior[s] = 1.0 + 2.0 * c1[s] + decay_third[s];
        end[s] = 1.0 + c1[s] + decay_third[s];
        off[s] = -c1[s];
    }
    denom.assign(n, interior);
    c.assign(n, off);
    denom[0] = end;
    denom[n - 1] = end;
    if (n == 1)
        for (std::size_t s = 0; s < ns; ++s)
            denom[0][s] = 1.0 + decay_third[s];
    divide(c[0], denom[0]);
    for (int i = 1; i < n; ++i) {
        axpy(&denom[i], c1, c[i - 1]);
        divide(c[i], denom[i]);
    }
}

extern "C" mn_peer_biofvm *mn_peer_biofvm_create(int nx, int ny, int nz, double dx, int substrates,
                                                 const double *D, const double *decay, double dt)
{
    mn_peer_biofvm *m = new (std::nothrow) mn_peer_biofvm;
    if (!m)
        return nullptr;
    try {
        m->mesh = {nx, ny, nz, dx};
        const std::size_t ns = (std::size_t)substrates;
        std::vector<double> third(ns);
        m->constant1.resize(ns);
        for (std::size_t s = 0; s < ns; ++s) {
            m->constant1[s] = dt * D[s] / (dx * dx);
            third[s] = dt * decay[s] / 3.0;
        }
        const int n[3] = {nx, ny, nz};
        for (int a = 0; a < 3; ++a)
            thomas_coefficients(n[a], m->constant1, third, m->denom[a], m->c[a]);
        m->density.assign((std::size_t)nx * ny * nz, std::vector<double>(ns));
        for (std::size_t v = 0; v < m->density.size(); ++v)
            for (std::size_t s = 0; s < ns; ++s)
                m->density[v][s] = 1.0 + 0.001 * (double)((v + 7 * s) % 97);
    } catch (const std::bad_alloc &) {
        delete m;
        return nullptr;
    }
    return m;
}

// The voxel at position i along direction a (0: x, 1: y, 2: z) of the line through (p, q), the
// other two coordinates in x, y, z order. Through the mesh's out-of-line voxel_index, which
// BioFVM's sweeps call for every voxel they visit.
static inline int at(const mn_peer::Mesh &g, int a, int i, int p, int q)
{
    return a == 0   ? g.voxel_index(i, p, q)
           : a == 1 ? g.voxel_index(p, i, q)
                    : g.voxel_index(p, q, i);
}

// One line of direction a, `jump` voxels between neighbours, n cells: the forward elimination
// with the precomputed quantities, then the back substitution.
static inline void sweep_line(mn_peer_biofvm *m, int a, int p, int q, int jump, int n)
{
    std::vector<std::vector<double>> &d = m->density;
    const std::vector<std::vector<double>> &denom = m->denom[a], &c = m->c[a];
    int v = at(m->mesh, a, 0, p, q);
    divide(d[v], denom[0]);
    for (int i = 1; i < n; ++i) {
        v = at(m->mesh, a, i, p, q);
        axpy(&d[v], m->constant1, d[v - jump]);
        divide(d[v], denom[i]);
    }
    for (int i = n - 2; i >= 0; --i) {
        v = at(m->mesh, a, i, p, q);
        naxpy(&d[v], c[i], d[v + jump]);
    }
}

extern "C" void mn_peer_biofvm_step(mn_peer_biofvm *m)
{
    const mn_peer::Mesh &g = m->mesh;
    // BioFVM applies its Dirichlet nodes before each sweep; this grid has none (its loop over
    // an empty list of nodes costs nothing). Loop orders as BioFVM's: x lines by (k, j), y lines
    // by (k, i), z lines by (j, i).
    for (int k = 0; k < g.nz; ++k)
        for (int j = 0; j < g.ny; ++j)
            sweep_line(m, 0, j, k, 1, g.nx);
    for (int k = 0; k < g.nz; ++k)
        for (int i = 0; i < g.nx; ++i)
            sweep_line(m, 1, i, k, g.nx, g.ny);
    for (int j = 0; j < g.ny; ++j)
        for (int i = 0; i < g.nx; ++i)
            sweep_line(m, 2, i, j, g.nx * g.ny, g.nz);
}

extern "C" double mn_peer_biofvm_total(const mn_peer_biofvm *m)
{
    double sum = 0.0;
    for (const std::vector<double> &v : m->density)
        for (double x : v)
            sum += x;
    return sum;
}

extern "C" void mn_peer_biofvm_free(mn_peer_biofvm *m)
{
    delete m;
}
