#include "mnsim/tissue.h"

#include <math.h>
#include <stdlib.h>

struct mn_tissue {
    int nz;
    double *height_um;
    double *top_um;
    mn_layer *layer;
    int first[MN_LAYER_COUNT], end[MN_LAYER_COUNT];
};

int mn_tissue_create(const mn_patient *pt, double resolution_um, mn_tissue **out, mn_error *err)
{
    if (!pt || !out || !(resolution_um > 0))
        return mn_error_set(err, MN_EINVAL, "mn_tissue_create: invalid argument");
    *out = NULL;
    int counts[MN_LAYER_COUNT], nz = 0;
    for (int l = 0; l < MN_LAYER_COUNT; ++l) {
        double n = round(pt->layer_um[l] / resolution_um);
        counts[l] = n < 1 ? 1 : (int)n;
        nz += counts[l];
    }
    if (nz > 1000000)
        return mn_error_set(err, MN_ERANGE, "tissue grid of %d voxels in depth is too large", nz);
    mn_tissue *t = calloc(1, sizeof *t);
    if (!t || !(t->height_um = malloc((size_t)nz * sizeof(double))) ||
        !(t->top_um = malloc((size_t)nz * sizeof(double))) ||
        !(t->layer = malloc((size_t)nz * sizeof(mn_layer)))) {
        mn_tissue_free(&t);
        return mn_error_set(err, MN_ENOMEM, "out of memory for the tissue grid");
    }
    t->nz = nz;
    int i = 0;
    double top = 0.0;
    for (int l = 0; l < MN_LAYER_COUNT; ++l) {
        t->first[l] = i;
        double h = pt->layer_um[l] / counts[l];
        for (int k = 0; k < counts[l]; ++k, ++i) {
            t->height_um[i] = h;
            t->top_um[i] = top;
            t->layer[i] = (mn_layer)l;
            top += h;
        }
        t->end[l] = i;
    }
    *out = t;
    return MN_OK;
}

void mn_tissue_free(mn_tissue **t)
{
    if (!t || !*t)
        return;
    free((*t)->height_um);
    free((*t)->top_um);
    free((*t)->layer);
    free(*t);
    *t = NULL;
}

int mn_tissue_nz(const mn_tissue *t)
{
    return t->nz;
}

double mn_tissue_height_um(const mn_tissue *t, int i)
{
    return t->height_um[i];
}

double mn_tissue_top_um(const mn_tissue *t, int i)
{
    return t->top_um[i];
}

double mn_tissue_center_um(const mn_tissue *t, int i)
{
    return t->top_um[i] + 0.5 * t->height_um[i];
}

double mn_tissue_depth_um(const mn_tissue *t)
{
    return t->top_um[t->nz - 1] + t->height_um[t->nz - 1];
}

mn_layer mn_tissue_layer(const mn_tissue *t, int i)
{
    return t->layer[i];
}

void mn_tissue_layer_range(const mn_tissue *t, mn_layer layer, int *first, int *end)
{
    *first = t->first[layer];
    *end = t->end[layer];
}
