/* Speed of the 3-D patch (docs/benchmarks.md §3-D): the LOD diffusion solver alone and the
 * whole default 3-D run, in voxel-updates per second, bytes moved per update and the fraction
 * of the memory bandwidth bound of that traffic; beside them the comparison point, a
 * straightforward double-precision array-of-structures LOD (bench_lod_aos.h), and the memory
 * the patch holds per voxel.
 *
 * The bound is measured, not assumed, and in the same regime as the solver: the bandwidth of a
 * STREAM-style triad over a working set of the same size as the solver's field (a field that
 * fits in the L3 cache is compared with an L3-resident triad, a field far larger than the L3
 * with a DRAM-sized one), timed in interleaved pairs (triad, solve, triad, solve, ...) so both
 * see the same state of a shared virtual machine whose bandwidth drifts by 2× between minutes;
 * the fraction is the median of the per-pair ratios. */
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
#ifdef MNSIM_BENCH_BIOFVM
#include "peers/biofvm_lod.h"
#endif
#include "mnsim/model.h"
#include "mnsim/patch3d.h"
#include "mnsim/patient.h"
#include "mnsim/simulate.h"
#include "patch3d/lod.h"
#include "bench_util.h"

#define REPEATS 5
#define PAIRS 21

/* Field traffic of one LOD update: the x–y pass reads and writes each float once (its plane
 * stays in cache), the z pass again. */
#define LOD_BYTES 16.0

/* Median of n values (t is left sorted). */
static double median(double *t, int n)
{
    qsort(t, (size_t)n, sizeof t[0], cmp_double);
    return t[n / 2];
}

static void *xmalloc(size_t bytes)
{
    void *p = malloc(bytes);
    if (!p) {
        fprintf(stderr, "bench_lod: out of memory (%zu bytes)\n", bytes);
        exit(1);
    }
    return p;
}

/* Triad a = a + 3·c in place (McCalpin's STREAM triad with the output overwriting an input):
 * every byte counted (24 an element) is moved, as in the solver, which reads and rewrites its
 * field in place. The classic a = b + 3·c also counts 24 bytes but moves 32 (the cache line of
 * a is read before it is written), so it reports ~20 % less at DRAM sizes and would flatter
 * the solver; it is printed beside, for reference. Bytes/s over `passes` passes. */
static double triad_inplace(double *a, const double *c, size_t n, int passes)
{
    double t0 = now_s();
#ifdef _OPENMP
#pragma omp parallel
#endif
    for (int p = 0; p < passes; ++p) {
        /* The same static share of the array for every pass, so no thread waits for another
         * between passes (a descheduled thread would otherwise stall them all). */
#ifdef _OPENMP
#pragma omp for schedule(static) nowait
#endif
        for (size_t i = 0; i < n; ++i)
            a[i] = a[i] + 3.0 * c[i];
    }
    return 24.0 * (double)n * passes / (now_s() - t0);
}

static double triad_stream(double *a, const double *b, const double *c, size_t n, int passes)
{
    double t0 = now_s();
#ifdef _OPENMP
#pragma omp parallel
#endif
    for (int p = 0; p < passes; ++p) {
#ifdef _OPENMP
#pragma omp for schedule(static) nowait
#endif
        for (size_t i = 0; i < n; ++i)
            a[i] = b[i] + 3.0 * c[i];
    }
    return 24.0 * (double)n * passes / (now_s() - t0);
}

/* Size of the data cache at `level` as the system reports it (sysfs: what the virtual machine
 * is given; sysconf asks CPUID, which on this VM reports the host's whole L3), or −1. */
static double cache_bytes(int level)
{
    for (int i = 0; i < 8; ++i) {
        char path[96];
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/level", i);
        FILE *f = fopen(path, "r");
        int lv = 0;
        if (!f)
            break;
        int ok = fscanf(f, "%d", &lv) == 1;
        fclose(f);
        if (!ok || lv != level)
            continue;
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
        if (!(f = fopen(path, "r")))
            break;
        long kib = 0;
        ok = fscanf(f, "%ldK", &kib) == 1;
        fclose(f);
        return ok ? 1024.0 * (double)kib : -1.0;
    }
    return -1.0;
}

/* One solver case: an n × n × nz grid of the growth factor (its diffusivity, a day's step:
 * the remodelling step), factored once; triad arrays over as many bytes as the field. */
typedef struct lod_case {
    const char *name;
    int n, nz, steps, passes;
    size_t nvox, m_in, m_st;
    mn__lod lod;
    mn__lod_op op;
    float *u;
    double *a, *c, *sa, *sb, *sc;
    double rate, bw_in, bw_st, frac, frac_lo, frac_hi, frac_st; /* medians; pair range */
} lod_case;

static void case_init(lod_case *lc, const char *name, int n, int nz, const double *h, double D)
{
    memset(lc, 0, sizeof *lc);
    lc->name = name;
    lc->n = n;
    lc->nz = nz;
    mn__lod_grid g = {.nx = n, .ny = n, .nz = nz, .dx_um = 20.0, .h_um = h};
    if (mn__lod_init(&lc->lod, &g) || mn__lod_op_init(&lc->op, &g)) {
        fprintf(stderr, "bench_lod: no memory\n");
        exit(1);
    }
    for (int k = 0; k < nz; ++k) {
        lc->op.dxy_um2_h[k] = D;
        if (k + 1 < nz)
            lc->op.gz_um_h[k] = D / (0.5 * (h[k] + h[k + 1]));
    }
    mn__lod_op_factor(&lc->op, &g, 24.0);
    lc->nvox = (size_t)n * n * nz;
    lc->u = xmalloc(lc->nvox * sizeof(float));
    for (size_t i = 0; i < lc->nvox; ++i)
        lc->u[i] = (float)(1.0 + 0.5 * sin(0.001 * (double)i));
    /* Same bytes as the field: two arrays in place, three for STREAM's form. */
    const size_t bytes = lc->nvox * sizeof(float);
    lc->m_in = bytes / (2 * sizeof(double));
    lc->m_st = bytes / (3 * sizeof(double));
    lc->a = xmalloc(lc->m_in * sizeof(double));
    lc->c = xmalloc(lc->m_in * sizeof(double));
    lc->sa = xmalloc(lc->m_st * sizeof(double));
    lc->sb = xmalloc(lc->m_st * sizeof(double));
    lc->sc = xmalloc(lc->m_st * sizeof(double));
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (size_t i = 0; i < lc->m_in; ++i)
        lc->a[i] = 1.0, lc->c[i] = 1e-9;
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (size_t i = 0; i < lc->m_st; ++i)
        lc->sa[i] = 0.0, lc->sb[i] = 1.0, lc->sc[i] = 2.0;
    /* Each timed piece ≥ ~10 ms: long against the clock, short against the drift. */
    lc->steps = (int)(2.0e7 / (double)lc->nvox);
    if (lc->steps < 2)
        lc->steps = 2;
    lc->passes = (int)(4.0e8 / (24.0 * (double)lc->m_in));
    if (lc->passes < 3)
        lc->passes = 3;
}

static void case_free(lod_case *lc)
{
    free(lc->u);
    free(lc->a);
    free(lc->c);
    free(lc->sa);
    free(lc->sb);
    free(lc->sc);
    mn__lod_op_free(&lc->op);
    mn__lod_free(&lc->lod);
}

/* PAIRS interleaved (in-place triad, solve, STREAM triad) after one warm-up round. */
static void case_run(lod_case *lc)
{
    double rate[PAIRS], bw_in[PAIRS], bw_st[PAIRS], frac[PAIRS], frac_st[PAIRS];
    for (int p = -1; p < PAIRS; ++p) {
        double bi = triad_inplace(lc->a, lc->c, lc->m_in, lc->passes);
        double t0 = now_s();
        for (int s = 0; s < lc->steps; ++s)
            mn__lod_step(&lc->lod, &lc->op, NULL, lc->u);
        double r = (double)lc->nvox * lc->steps / (now_s() - t0);
        double bs = triad_stream(lc->sa, lc->sb, lc->sc, lc->m_st,
                                 (int)((double)lc->passes * lc->m_in / lc->m_st));
        if (p < 0)
            continue; /* warm-up: first touch of the pages, the clones resolved */
        rate[p] = r, bw_in[p] = bi, bw_st[p] = bs;
        frac[p] = r * LOD_BYTES / bi;
        frac_st[p] = r * LOD_BYTES / bs;
    }
    if (lc->a[lc->m_in / 2] <= 1.0 || lc->sa[lc->m_st / 2] != 7.0)
        fprintf(stderr, "bench_lod: triad check failed\n");
    lc->rate = median(rate, PAIRS);
    lc->bw_in = median(bw_in, PAIRS);
    lc->bw_st = median(bw_st, PAIRS);
    lc->frac = median(frac, PAIRS);
    lc->frac_lo = frac[0], lc->frac_hi = frac[PAIRS - 1];
    lc->frac_st = median(frac_st, PAIRS);
}

static void case_print(const lod_case *lc, double l3_bytes)
{
    const double ws = (double)lc->nvox * sizeof(float);
    printf("  %s: %d x %d x %d, field %.1f MB (%.2f x L3)\n", lc->name, lc->n, lc->n, lc->nz,
           ws * 1e-6, l3_bytes > 0 ? ws / l3_bytes : NAN);
    printf("    solver %.3g voxel-updates/s, %.0f bytes/update = %.1f GB/s\n", lc->rate, LOD_BYTES,
           lc->rate * LOD_BYTES * 1e-9);
    printf("    in-place triad over %.1f MB: %.1f GB/s -> bound %.3g updates/s\n", ws * 1e-6,
           lc->bw_in * 1e-9, lc->bw_in / LOD_BYTES);
    printf("    solver at %.0f%% of its bandwidth bound (median of %d pairs; pairs %.0f-%.0f%%)\n",
           100.0 * lc->frac, PAIRS, 100.0 * lc->frac_lo, 100.0 * lc->frac_hi);
    printf("    for reference, STREAM's a = b + 3c (24 B counted, 32 B moved): %.1f GB/s, "
           "%.0f%% of that\n",
           lc->bw_st * 1e-9, 100.0 * lc->frac_st);
}

#ifdef MNSIM_BENCH_BIOFVM
/* Interleaved pairs of mnsim's LOD on one thread and the BioFVM peer (bench/peers: BioFVM
 * 1.0.4's LOD with its data layout, one thread) on the same n × n × nz grid, the same
 * diffusivity and 24 h step: both see the same moment of a shared machine, and the ratio is the
 * median of the per-pair ratios. BioFVM's mesh is uniform (dz = dx, zero-flux ends on all
 * sides), mnsim's has the tissue's depth grid and periodic x and y: the same number of
 * unknowns and sweeps, not the same boundary conditions. With `substrates` > 1 the peer solves
 * that many densities a voxel together (its vector-per-voxel layout amortises its overhead
 * over them); rates are per species-update. */
static void peer_pairs(int n, int nz, const double *h, double D, int substrates, int pairs)
{
    double Ds[8], decay[8] = {0};
    for (int s = 0; s < substrates; ++s)
        Ds[s] = D;
    mn_peer_biofvm *peer = mn_peer_biofvm_create(n, n, nz, 20.0, substrates, Ds, decay, 24.0);
    lod_case lc;
    case_init(&lc, "peer", n, nz, h, D);
    if (!peer) {
        fprintf(stderr, "bench_lod: no memory for the BioFVM peer\n");
        exit(1);
    }
    const size_t nvox = (size_t)n * n * nz;
    /* Each timed piece ≥ ~30 ms at the rates seen (mnsim ~10⁹, the peer ~10⁷ a second). */
    const int mn_steps = (int)(3.0e7 / (double)nvox) + 1;
    const int peer_steps = (int)(3.0e5 / ((double)nvox * substrates)) + 1;
    double rm[16], rp[16], ratio[16], cpu_ratio[16];
    const double mass0 = mn_peer_biofvm_total(peer);
#ifdef _OPENMP
    const int threads = omp_get_max_threads();
    omp_set_num_threads(1);
#endif
    for (int k = -1; k < pairs; ++k) {
        double t0 = now_s(), c0 = cpu_s();
        for (int s = 0; s < mn_steps; ++s)
            mn__lod_step(&lc.lod, &lc.op, NULL, lc.u);
        double t1 = now_s(), c1 = cpu_s();
        for (int s = 0; s < peer_steps; ++s)
            mn_peer_biofvm_step(peer);
        double t2 = now_s(), c2 = cpu_s();
        if (k < 0)
            continue; /* warm-up */
        rm[k] = (double)nvox * mn_steps / (t1 - t0);
        rp[k] = (double)nvox * substrates * peer_steps / (t2 - t1);
        ratio[k] = rm[k] / rp[k];
        cpu_ratio[k] = ((c2 - c1) / (substrates * peer_steps)) / ((c1 - c0) / mn_steps);
    }
#ifdef _OPENMP
    omp_set_num_threads(threads);
#endif
    /* Zero-flux ends and no decay: each line's implicit system conserves the line's sum, so the
     * peer's total is unchanged when it solves what it should. */
    const double drift = fabs(mn_peer_biofvm_total(peer) / mass0 - 1.0);
    if (!(drift < 1e-9))
        fprintf(stderr, "bench_lod: BioFVM peer does not conserve mass (%.1e)\n", drift);
    const double m_mn = median(rm, pairs), m_peer = median(rp, pairs);
    const double m_ratio = median(ratio, pairs), m_cpu = median(cpu_ratio, pairs);
    printf("  %d substrate%s a voxel: BioFVM %.3g, mnsim %.3g species-updates/s; "
           "mnsim / BioFVM = %.0fx per thread (median of %d pairs, %.0f-%.0fx; CPU time %.0fx)\n",
           substrates, substrates > 1 ? "s" : "", m_peer, m_mn, m_ratio, pairs, ratio[0],
           ratio[pairs - 1], m_cpu);
    mn_peer_biofvm_free(peer);
    case_free(&lc);
}

static void peers(int n, int nz, const double *h, double D)
{
    printf("Peer: BioFVM 1.0.4's LOD solver (bench/peers, its data layout re-implemented, g++ "
           "-O3 -march=native), one thread, beside mnsim's LOD on one thread, %d x %d x %d:\n",
           n, n, nz);
    peer_pairs(n, nz, h, D, 1, 9);
    peer_pairs(n, nz, h, D, 3, 5);
}
#else
static void peers(int n, int nz, const double *h, double D)
{
    (void)n, (void)nz, (void)h, (void)D;
    printf("BioFVM peer: not built (no C++ compiler when CMake was configured)\n");
}
#endif

int main(int argc, char **argv)
{
    /* `bench_lod solver`: the solver part only (quick look while tuning; bench-loaded runs
     * it four times); `bench_lod peers`: the BioFVM peer beside mnsim's solver only. */
    const int solver_only = argc > 1 && !strcmp(argv[1], "solver");
    const int peers_only = argc > 1 && !strcmp(argv[1], "peers");
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
    if (mn_tissue_create(&pt, sc.simulate.resolution_um, &tissue, &err)) {
        fprintf(stderr, "bench_lod: %s\n", err.message);
        return 1;
    }
    int threads = 1;
#ifdef _OPENMP
    threads = omp_get_max_threads();
#endif
    const double l2 = cache_bytes(2), l3 = cache_bytes(3);
    const int nz = mn_tissue_nz(tissue);
    double *h = xmalloc((size_t)nz * sizeof(double));
    for (int k = 0; k < nz; ++k)
        h[k] = mn_tissue_height_um(tissue, k);
    if (peers_only) {
        peers(100, nz, h, p.D_growth_factor);
        free(h);
        mn_tissue_free(&tissue);
        return 0;
    }

    /* The default grid (2 mm at 20 µm, the tissue's depth grid): its field fits in the L3, so
     * its traffic is L3 traffic. A 10 mm patch (simulate.patch_mm: 10): its field is well
     * beyond the L3, so its traffic is DRAM traffic. */
    printf("LOD solver, one species (growth factor, 24 h step), %d threads; caches: L2 %.0f KiB "
           "a core, L3 %.0f MiB; %d interleaved pairs of triad and solve, medians:\n",
           threads, l2 / 1024, l3 / (1024 * 1024), PAIRS);
    lod_case cases[2];
    case_init(&cases[0], "default grid, L3-resident", 100, nz, h, p.D_growth_factor);
    case_run(&cases[0]);
    case_print(&cases[0], l3);
    const double default_rate = cases[0].rate;
    case_free(&cases[0]);
    case_init(&cases[1], "10 mm patch, DRAM-sized", 500, nz, h, p.D_growth_factor);
    case_run(&cases[1]);
    case_print(&cases[1], l3);
    const double dram_bw = cases[1].bw_in;
    case_free(&cases[1]);

    /* Comparison point: straightforward double-precision AoS LOD, the default grid. */
    const int n = 100;
    const size_t nvox = (size_t)n * n * nz;
    mn__aos_lod aos;
    if (mn__aos_lod_init(&aos, n, n, nz, 20.0, h, p.D_growth_factor)) {
        fprintf(stderr, "bench_lod: no memory\n");
        return 1;
    }
    const int aos_steps = 3;
    double t[REPEATS];
    for (int r = 0; r < REPEATS; ++r) {
        double t0 = now_s();
        for (int s = 0; s < aos_steps; ++s)
            mn__aos_lod_step(&aos, 24.0);
        t[r] = now_s() - t0;
    }
    const double aos_rate = (double)nvox * aos_steps / median(t, REPEATS);
    printf("Baseline AoS double LOD (16 species x 8 B a voxel, per-line assembly, 1 thread), "
           "default grid:\n  %.3g voxel-updates/s; optimised / baseline = %.1fx\n",
           aos_rate, default_rate / aos_rate);
    mn__aos_lod_free(&aos);

    if (solver_only) {
        free(h);
        mn_tissue_free(&tissue);
        return 0;
    }
    peers(n, nz, h, p.D_growth_factor);
    /* Whole default 3-D run (3 sessions, 26 weeks), no files. */
    mn_model *model = NULL;
    mn_kinetics_envs *envs = NULL;
    mn_model_setup ms = {.scenario = &sc, .tissue = tissue, .params = &p};
    if (mn_kinetics_envs_create(tissue, &pt, &p, &d0, &envs, &err) ||
        (ms.envs = envs, mn_patch3d_model_create(&ms, &model, &err))) {
        fprintf(stderr, "bench_lod: %s\n", err.message);
        return 1;
    }
    double per_voxel = (double)mn_patch3d_bytes(mn_patch3d_of(model)) / nvox;
    mn_model_free(&model);
    mn_kinetics_envs_free(&envs);
    long nsteps = 0;
    mn_sim_settings opt = {.time_step_scale = 1.0};
    const mn_sim_observer count = mn_sim_step_counter(&nsteps);
    const int run_repeats = 3;
    for (int r = 0; r < run_repeats; ++r) {
        mn_results *res = NULL;
        nsteps = 0;
        double t0 = now_s();
        if (mn_simulate_observed(&sc, &p, &opt, &count, 1, NULL, &res, &err)) {
            fprintf(stderr, "bench_lod: %s\n", err.message);
            return 1;
        }
        t[r] = now_s() - t0;
        mn_results_free(&res);
    }
    const double run_s = median(t, run_repeats);
    const double run_rate = (double)nvox * nsteps / run_s;
    /* Per voxel-step: kinetics read and write the 15 stored fields (120 B), three diffusing
     * species' LOD (48 B), the neutrophil average for the PIH hazard (4 B). The patch's state
     * (~37 MB) exceeds the L3, so it is held against the DRAM-sized triad. */
    const double run_bytes = 172.0;
    printf("Default 3-D run (3 sessions, 26 weeks; %ld steps): %.1f s median of %d\n", nsteps,
           run_s, run_repeats);
    printf("  %.3g voxel-updates/s (all species), %.0f bytes/update, %.1f%% of the DRAM-sized "
           "triad; memory %.1f bytes/voxel\n",
           run_rate, run_bytes, 100.0 * run_rate * run_bytes / dram_bw, per_voxel);
    free(h);
    mn_tissue_free(&tissue);
    return 0;
}
