/* The 3-D patch's fields as a VTK XML image for ParaView (docs/3d.md §Pictures). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "mnsim/io.h"
#include "patch3d/patch3d_impl.h"

static void write_string(FILE *f, const char *name, const char *value)
{
    fprintf(f,
            "      <DataArray type=\"String\" Name=\"%s\" NumberOfTuples=\"1\" format=\"ascii\">",
            name);
    for (const unsigned char *c = (const unsigned char *)value; *c; ++c)
        fprintf(f, "%u ", (unsigned)*c);
    fprintf(f, "0</DataArray>\n");
}

int mn_patch3d_write_vti(const mn_patch3d *patch, const char *path, double day, mn_error *err)
{
    const mn_patch3d *m = patch;
    static const mn_species out[] = {MN_SP_DAMAGE,     MN_SP_GROWTH_FACTOR, MN_SP_MMP,
                                     MN_SP_FIBROBLAST, MN_SP_COLLAGEN3,     MN_SP_COLLAGEN1,
                                     MN_SP_ELASTIN,    MN_SP_NEUTROPHIL,    MN_SP_MACROPHAGE};
    /* Each array's unit, as FieldData `<name>_unit` (model units, docs/model.md). */
    static const char *const unit[] = {"volume fraction",
                                       "relative (lumped TGF-beta/PDGF)",
                                       "relative to basal (1)",
                                       "relative to reticular dermis",
                                       "young total collagen",
                                       "young total collagen",
                                       "relative to young skin",
                                       "fraction of saturation (0-1)",
                                       "fraction of saturation (0-1)"};
    const int nsp = (int)(sizeof out / sizeof out[0]);
    _Static_assert(sizeof unit / sizeof unit[0] == sizeof out / sizeof out[0], "a unit each");
    const uint16_t probe = 1;
    if (*(const unsigned char *)&probe != 1)
        return mn_error_set(err, MN_ENOTSUP, "%s: VTK output needs a little-endian machine", path);
    /* Uniform z (VTK image data): depth levels one voxel width apart, each taking the tissue
     * voxel it falls in; z points up, the surface at z = 0. */
    const double dz = m->dx_um, depth = mn_tissue_depth_um(m->tissue);
    const int nzu = (int)ceil(depth / dz);
    int *kmap = malloc((size_t)nzu * sizeof(int));
    float *buf = malloc(m->plane * (size_t)nzu * sizeof(float));
    mn_atomic_file *af = NULL;
    int rc = (!kmap || !buf) ? mn_error_set(err, MN_ENOMEM, "out of memory for %s", path)
                             : mn_atomic_open(path, &af, err);
    if (rc) {
        free(kmap);
        free(buf);
        return rc;
    }
    for (int u = 0; u < nzu; ++u) {
        double zdepth = depth - (u + 0.5) * dz; /* u = 0 is the deepest level */
        int k = 0;
        while (k + 1 < m->nz && mn_tissue_top_um(m->tissue, k + 1) <= zdepth)
            ++k;
        kmap[u] = k;
    }
    FILE *f = mn_atomic_stream(af);
    const uint64_t bytes = (uint64_t)m->plane * (uint64_t)nzu * sizeof(float);
    fprintf(f,
            "<?xml version=\"1.0\"?>\n<VTKFile type=\"ImageData\" version=\"1.0\" "
            "byte_order=\"LittleEndian\" header_type=\"UInt64\">\n"
            "  <ImageData WholeExtent=\"0 %d 0 %d 0 %d\" Origin=\"%.9g %.9g %.9g\" "
            "Spacing=\"%.9g %.9g %.9g\">\n"
            "    <FieldData>\n      <DataArray type=\"Float64\" Name=\"day\" NumberOfTuples=\"1\" "
            "format=\"ascii\">%.9g</DataArray>\n"
            "      <DataArray type=\"Float64\" Name=\"depth_um\" NumberOfTuples=\"1\" "
            "format=\"ascii\">%.9g</DataArray>\n",
            m->nx - 1, m->ny - 1, nzu - 1, 0.5 * m->dx_um, 0.5 * m->dx_um, -depth + 0.5 * dz,
            m->dx_um, m->dx_um, dz, day, depth);
    /* Units as VTK string arrays (ascii: each string's bytes as numbers, then a 0). */
    write_string(f, "length_unit", "um");
    write_string(f, "day_unit", "day");
    for (int s = 0; s < nsp; ++s) {
        char name[64];
        snprintf(name, sizeof name, "%s_unit", mn_species_name(out[s]));
        write_string(f, name, unit[s]);
    }
    fprintf(f,
            "    </FieldData>\n"
            "    <Piece Extent=\"0 %d 0 %d 0 %d\">\n      <PointData Scalars=\"collagen1\">\n",
            m->nx - 1, m->ny - 1, nzu - 1);
    for (int s = 0; s < nsp; ++s)
        fprintf(f,
                "        <DataArray type=\"Float32\" Name=\"%s\" format=\"appended\" "
                "offset=\"%llu\"/>\n",
                mn_species_name(out[s]), (unsigned long long)(s * (bytes + 8)));
    fprintf(f, "      </PointData>\n    </Piece>\n  </ImageData>\n"
               "  <AppendedData encoding=\"raw\">\n   _");
    for (int s = 0; s < nsp; ++s) {
        for (int u = 0; u < nzu; ++u)
            for (int jj = 0; jj < m->ny; ++jj)
                for (int i = 0; i < m->nx; ++i)
                    buf[((size_t)u * m->ny + jj) * m->nx + i] =
                        mn_patch3d_value(m, out[s], kmap[u], jj, i);
        fwrite(&bytes, sizeof bytes, 1, f);
        fwrite(buf, sizeof(float), m->plane * (size_t)nzu, f);
    }
    fprintf(f, "\n  </AppendedData>\n</VTKFile>\n");
    free(kmap);
    free(buf);
    return mn_atomic_commit(&af, err);
}
