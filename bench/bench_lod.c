/* Speed of the 3-D patch (docs/benchmarks.md §3-D): the LOD diffusion solver alone and the
 * whole default 3-D run, in voxel-updates per second, bytes moved per update and the fraction
 * of the memory bandwidth that a STREAM-style triad measures in the same run; beside them the
 * comparison point, a straightforward double-precision array-of-structures LOD (bench_lod_aos.h),
 * and the memory the patch holds per voxel. Medians of several runs. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "bench_lod_aos.h"
#include "mnsim/model.h"
#include "mnsim/patch3d.h"
#include "mnsim/patient.h"
#include "mnsim/simulate.h"
#include "patch3d/lod.h"

#define REPEATS 5

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *t, int n)
{
    qsort(t, (size_t)n, sizeof t[0], cmp_double);
    return t[n / 2];
}

/* STREAM triad a = b + s·c (McCalpin 1995), arrays far larger than the caches; counts 24 bytes
 * an element as STREAM does. Returns the median bandwidth in bytes/s. */
static double triad_bandwidth(void)
{
    const size_t n = 40u * 1000 * 1000;
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), *c = malloc(n * sizeof *c);
    if (!a || !b || !c) {
        fprintf(stderr, "bench_lod: no memory for the triad\n");
        exit(1);
    }
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (size_t i = 0; i < n; ++i)
        a[i] = 0.0, b[i] = 1.0, c[i] = 2.0;
    double t[REPEATS + 1];
    for (int r = 0; r <= REPEATS; ++r) {
        double t0 = now_s();
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
        for (size_t i = 0; i < n; ++i)
            a[i] = b[i] + 3.0 * c[i];
        t[r] = now_s() - t0;
    }
    double check = a[n / 2];
    free(a);
    free(b);
    free(c);
    if (check != 7.0)
        fprintf(stderr, "bench_lod: triad check failed\n");
    return 24.0 * (double)n / median(t + 1, REPEATS); /* first pass warms the pages */
}

int main(int argc, char **argv)
{
    /* `bench_lod solver`: the solver part only (quick look while tuning). */
    const int solver_only = argc > 1 && !strcmp(argv[1], "solver");
    mn_params p;
    mn_params_default(&p);
    mn_scenario sc;
    mn_scenario_default(&sc);
    sc.simulate.model = MN_MODEL_3D;
    sc.output.images = false;
    mn_patient pt;
    mn_error err;
    mn_patient_init(&pt, &sc, &p, &err);
    mn_drivers d0 = {1, pt.capacity, pt.uv_med_per_day, 1, 0, 0, 0};
    mn_tissue *tissue = NULL;
    if (mn_tissue_create(&pt, &p, &d0, sc.simulate.resolution_um, &tissue, &err)) {
        fprintf(stderr, "bench_lod: %s\n", err.message);
        return 1;
    }
    int threads = 1;
#ifdef _OPENMP
    threads = omp_get_max_threads();
#endif
    const double bw = triad_bandwidth();
    printf("STREAM triad (%d threads): %.2f GB/s\n", threads, bw * 1e-9);

    /* The default grid: 2 mm at 20 µm, the tissue's depth grid; growth-factor diffusivity,
     * a day's step (the remodelling step), factored once. */
    const int n = 100, nz = mn_tissue_nz(tissue);
    double *h = malloc((size_t)nz * sizeof(double));
    for (int k = 0; k < nz; ++k)
        h[k] = mn_tissue_height_um(tissue, k);
    mn__lod_grid g = {.nx = n, .ny = n, .nz = nz, .dx_um = 20.0, .h_um = h};
    mn__lod lod;
    mn__lod_op op;
    if (mn__lod_init(&lod, &g) || mn__lod_op_init(&op, &g)) {
        fprintf(stderr, "bench_lod: no memory\n");
        return 1;
    }
    for (int k = 0; k < nz; ++k) {
        op.dxy_um2_h[k] = p.D_growth_factor;
        if (k + 1 < nz)
            op.gz_um_h[k] = p.D_growth_factor / (0.5 * (h[k] + h[k + 1]));
    }
    mn__lod_op_factor(&op, &g, 24.0);
    const size_t nvox = (size_t)n * n * nz;
    float *u = malloc(nvox * sizeof(float));
    for (size_t i = 0; i < nvox; ++i)
        u[i] = (float)(1.0 + 0.5 * sin(0.001 * (double)i));
    const int steps = 40;
    double t[REPEATS];
    for (int r = 0; r < REPEATS; ++r) {
        double t0 = now_s();
        for (int s = 0; s < steps; ++s)
            mn__lod_step(&lod, &op, NULL, u);
        t[r] = now_s() - t0;
    }
    const double lod_rate = (double)nvox * steps / median(t, REPEATS);
    /* Traffic of one update: the x–y pass reads and writes each float once (its plane stays in
     * cache in double precision), the z pass again: 16 bytes. */
    const double lod_bytes = 16.0;
    printf("LOD solver, %d x %d x %d voxels, one species, %d threads:\n", n, n, nz, threads);
    printf("  %.3g voxel-updates/s, %.0f bytes/update, %.1f%% of the triad bandwidth bound "
           "(%.3g updates/s)\n",
           lod_rate, lod_bytes, 100.0 * lod_rate * lod_bytes / bw, bw / lod_bytes);

    /* Comparison point: straightforward double-precision AoS LOD, same grid and operator. */
    mn__aos_lod aos;
    if (mn__aos_lod_init(&aos, n, n, nz, 20.0, h, p.D_growth_factor)) {
        fprintf(stderr, "bench_lod: no memory\n");
        return 1;
    }
    const int aos_steps = 3;
    for (int r = 0; r < REPEATS; ++r) {
        double t0 = now_s();
        for (int s = 0; s < aos_steps; ++s)
            mn__aos_lod_step(&aos, 24.0);
        t[r] = now_s() - t0;
    }
    const double aos_rate = (double)nvox * aos_steps / median(t, REPEATS);
    printf("Baseline AoS double LOD (16 species x 8 B a voxel, per-line assembly, 1 thread):\n"
           "  %.3g voxel-updates/s; optimised / baseline = %.1fx\n",
           aos_rate, lod_rate / aos_rate);
    mn__aos_lod_free(&aos);

    if (solver_only)
        return 0;
    /* Whole default 3-D run (3 sessions, 26 weeks), no files. */
    mn_model *model = NULL;
    if (mn_model_create(&sc, tissue, &p, &model, &err)) {
        fprintf(stderr, "bench_lod: %s\n", err.message);
        return 1;
    }
    double per_voxel = (double)mn_patch3d_bytes(mn_model_impl(model, &mn_patch3d_ops)) / nvox;
    mn_model_free(&model);
    long nsteps = 0;
    mn_run_options opt = {.time_step_scale = 1.0, .steps_taken = &nsteps};
    const int run_repeats = 3;
    for (int r = 0; r < run_repeats; ++r) {
        mn_results *res = NULL;
        nsteps = 0;
        double t0 = now_s();
        if (mn_simulate(&sc, &p, &opt, &res, &err)) {
            fprintf(stderr, "bench_lod: %s\n", err.message);
            return 1;
        }
        t[r] = now_s() - t0;
        mn_results_free(&res);
    }
    const double run_s = median(t, run_repeats);
    const double run_rate = (double)nvox * nsteps / run_s;
    /* Per voxel-step: kinetics read and write the 15 stored fields (120 B), three diffusing
     * species' LOD (48 B), the neutrophil average for the PIH hazard (4 B). */
    const double run_bytes = 172.0;
    printf("Default 3-D run (3 sessions, 26 weeks; %ld steps): %.1f s median of %d\n", nsteps,
           run_s, run_repeats);
    printf("  %.3g voxel-updates/s (all species), %.0f bytes/update, %.1f%% of the triad "
           "bandwidth; memory %.1f bytes/voxel\n",
           run_rate, run_bytes, 100.0 * run_rate * run_bytes / bw, per_voxel);
    free(u);
    free(h);
    mn__lod_op_free(&op);
    mn__lod_free(&lod);
    mn_tissue_free(&tissue);
    return 0;
}
