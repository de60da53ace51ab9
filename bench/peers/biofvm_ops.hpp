// Internal header of the BioFVM peer: the vector operations (out of line, biofvm_vector.cpp)
// and the mesh. std::vector<double> per voxel and per coefficient, as BioFVM stores them.
#ifndef MN_PEER_BIOFVM_OPS_HPP
#define MN_PEER_BIOFVM_OPS_HPP

#include <cstddef>
#include <vector>

namespace mn_peer
{

// y += a ∘ x, y −= a ∘ x, y /= d (element-wise over the substrates).
void axpy(std::vector<double> *y, const std::vector<double> &a, const std::vector<double> &x);
void naxpy(std::vector<double> *y, const std::vector<double> &a, const std::vector<double> &x);
void divide(std::vector<double> &y, const std::vector<double> &d);

struct Mesh {
    int nx, ny, nz;
    double dx;
    int voxel_index(int i, int j, int k) const;
};

} // namespace mn_peer

#endif
