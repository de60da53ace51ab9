// The per-voxel vector operations and the voxel index of the BioFVM peer. They live in their own
// translation unit, as in BioFVM (BioFVM_vector.cpp, BioFVM_microenvironment.cpp compiled into
// a library): the solver calls them, it cannot inline them. That call per voxel and per
// substrate vector is part of what the layout costs, so the peer keeps it.
#include "biofvm_ops.hpp"

namespace mn_peer
{

void axpy(std::vector<double> *y, const std::vector<double> &a, const std::vector<double> &x)
{
    for (std::size_t i = 0; i < y->size(); ++i)
        (*y)[i] += a[i] * x[i];
}

void naxpy(std::vector<double> *y, const std::vector<double> &a, const std::vector<double> &x)
{
    for (std::size_t i = 0; i < y->size(); ++i)
        (*y)[i] -= a[i] * x[i];
}

void divide(std::vector<double> &y, const std::vector<double> &d)
{
    for (std::size_t i = 0; i < y.size(); ++i)
        y[i] /= d[i];
}

int Mesh::voxel_index(int i, int j, int k) const
{
    return (k * ny + j) * nx + i;
}

} // namespace mn_peer
