/* The tuned LOD solver (src/patch3d/lod*.c: float32 SIMD lanes, register tiles, blocks of rows,
 * OpenMP work-sharing) against the plain double-precision reference of the same discretisation
 * (src/patch3d/lod_ref.c), on a matrix of shapes chosen to reach every branch of the tuned code.
 *
 * Error norm: max |tuned − reference| over the field, divided by max |reference| (the field's
 * largest magnitude), at most 1e-6. Relative to the field's scale, not to each value, because
 * float32 rounding in a tridiagonal solve is an absolute error of the order of the line's
 * largest value times 2⁻²⁴ (every unknown mixes all of its line): a voxel whose value is small
 * (diffused into, or near zero) carries the rounding of its neighbours, and a pointwise
 * relative error there measures the size of the voxel, not the solver. The reference itself is
 * double, so its own error (~1e-15) is negligible at this tolerance.
 *
 * Shapes (the x–y pass): nx ∈ {3, 4, 7, 8, 9, 12, 31, 33, 100, 101} covers, in the x sweep, planes
 * narrower than one 8-column tile (element by element), whole tiles, right-edge strips of
 * 1…7 columns; in the y sweep, groups of 32, 8 and 4 columns and the 1…3-column remainder. ny
 * runs from 3 to 110: the x blocks hold up to XR = 104 rows (and at most XT = 80 kB, fewer on
 * wide planes: nx = 300 gives 64-row blocks, nx = 2600 the floor of 8), so ny = 110 and ny = 70
 * at nx = 300 take several blocks, the last partial and not a multiple of 8 (the clang path's
 * XB = 32-row blocks: ny = 37, 64, 110). nz ∈ {1, 2, 7} with unequal heights, diffusivity 0 at
 * some depths (planes the x–y pass skips) and a face of zero vertical conductance; the step,
 * the separate sweeps and the variable-coefficient z sweep (with and without its Robin inflow),
 * with and without offset, at several step sizes (refactoring, and a repeated size that does
 * not refactor). Grids of ≥ 200 000 voxels run the sweeps in parallel: each is run on 1 and 2
 * OpenMP threads, which must also agree bit for bit.
 *
 * Branch coverage (a build with --coverage, RelWithDebInfo; this test alone; gcov -b on
 * src/patch3d/lod*.c; GCC 12, x86-64 with AVX2/FMA; counted from the annotated files' branch
 * lines): lod.c 70/72, lod_xy.c 180/392, lod_z.c 22/38; built with -DMN_NO_CLONES (a single,
 * portable copy of each function) lod.c 70/72, lod_xy.c 180/200, lod_z.c 22/22; lod_ref.c
 * 54/54. Every branch that can be reached on this machine is taken; those not taken, none of
 * which an input can reach with this compiler on this CPU:
 *   - the "default" copies of the target_clones functions (cyclic_solve_xy with all it
 *     inlines, z_row): the loader picks the x86-64-v3 clone on this CPU, so the default copy's
 *     branches (192 of lod_xy.c's, 16 of lod_z.c's) are never executed; the -DMN_NO_CLONES build
 *     runs the same source and takes all of them but those below;
 *   - the clang path (cyclic_solve_x, x_block and the plain x-then-y cyclic_solve_xy): not
 *     compiled by GCC (MN_LOD_SHUFFLE), so it has no branches in these counts; this test runs
 *     it when the project is built with clang;
 *   - in y_pass, "ya < 0" at the forward call site (ya = y0 ≥ 0; the compiler keeps the test),
 *     and so the copies of y_back, y_back_g and y_back_4 inlined there (4 + 12 branches);
 *   - in cyclic_solve_xy, "c->r > 0" false with "cy->r > 0" true, and the reverse (3 branches),
 *     and in mn__lod_xy_planes "cx->r > 0 || cy->r > 0" reaching its second operand true: the
 *     x and y factors of a depth always get the same r = D·dt/dx² (mn__lod_op_factor);
 *   - mn__lod_init's "scratch_len < 8·nx": the scratch already holds XB·max(nx, ny) ≥ 32·nx;
 *   - mn__lod_init's failed calloc of the thread pointers (a few bytes, served from the heap's
 *     free space: nothing short of replacing malloc makes it fail alone). The allocations that
 *     can be made to fail, by asking for more than an address-space limit allows, are tested
 *     below (test_allocation_failure). */
#define _POSIX_C_SOURCE 200809L /* getrlimit, sysconf */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "patch3d/lod.h"
#include "patch3d/lod_ref.h"
#include "testutil.h"

#define TOL 1e-6

typedef struct fixture {
    mn__lod_grid g;
    mn__lod lod;
    mn__lod_op op;
    double *h, *offset, *g0, *g1, *ud;
    float *u, *p;
    size_t n;
} fixture;

static unsigned lcg_state;

static double uniform(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return (lcg_state >> 8) / 16777216.0;
}

static void set_threads(int n)
{
#ifdef _OPENMP
    omp_set_num_threads(n);
#else
    (void)n;
#endif
}

/* Unequal heights, no horizontal transport at every third depth, no vertical transport across
 * the face below depth 1, and jumps of diffusivity between depths. */
static void fixture_init(fixture *t, int nx, int ny, int nz)
{
    t->h = malloc((size_t)nz * sizeof(double));
    t->offset = malloc((size_t)nz * sizeof(double));
    t->g0 = malloc((size_t)nz * sizeof(double));
    t->g1 = malloc((size_t)nz * sizeof(double));
    for (int k = 0; k < nz; ++k) {
        t->h[k] = 10.0 + 7.0 * ((3 * k) % 5);
        t->offset[k] = 0.25 + 0.1 * k;
    }
    t->g = (mn__lod_grid){.nx = nx, .ny = ny, .nz = nz, .dx_um = 20.0, .h_um = t->h};
    assert_int_equal(mn__lod_init(&t->lod, &t->g), 0);
    assert_int_equal(mn__lod_op_init(&t->op, &t->g), 0);
    for (int k = 0; k < nz; ++k) {
        t->op.dxy_um2_h[k] = k % 3 == 0 ? 0.0 : 3.6e4 * (1 + k % 4);
        if (k + 1 < nz) {
            const double dist = 0.5 * (t->h[k] + t->h[k + 1]);
            t->op.gz_um_h[k] = k == 1 ? 0.0 : 2.0e4 * (1 + k % 3) / dist;
            /* the topical agent: tissue and pore parts (none at one face) */
            t->g0[k] = 3600.0 / dist;
            t->g1[k] = k == 2 ? 0.0 : 3.6e5 / dist;
        }
    }
    t->n = (size_t)nx * ny * nz;
    t->u = malloc(t->n * sizeof(float));
    t->p = malloc(t->n * sizeof(float));
    t->ud = malloc(t->n * sizeof(double));
    assert_non_null(t->u);
    assert_non_null(t->p);
    assert_non_null(t->ud);
    lcg_state = (unsigned)(nx * 7919 + ny * 104729 + nz);
    for (size_t i = 0; i < t->n; ++i) {
        t->u[i] = (float)(0.2 + uniform());
        t->p[i] = uniform() < 0.3 ? 0.0f : (float)uniform();
    }
    t->u[t->n / 2] = 5.0f; /* a spike */
}

static void fixture_free(fixture *t)
{
    mn__lod_op_free(&t->op);
    mn__lod_free(&t->lod);
    free(t->h);
    free(t->offset);
    free(t->g0);
    free(t->g1);
    free(t->u);
    free(t->p);
    free(t->ud);
}

enum what { STEP, SWEEP_XY, SWEEP_Z, SWEEP_Z_VAR };
static const char *const what_name[] = {"step", "sweep_xy", "sweep_z", "sweep_z_var"};

/* Runs one call of the tuned solver on t->u and of the reference on a double copy of the same
 * input; returns max |tuned − reference| / max |reference|. The tuned result stays in t->u as
 * the next call's input. */
static double run_one(fixture *t, enum what w, int with_offset, double dt, double beta)
{
    const double *off = with_offset ? t->offset : NULL;
    for (size_t i = 0; i < t->n; ++i)
        t->ud[i] = t->u[i];
    int rc = 0;
    switch (w) {
    case STEP:
        mn__lod_op_factor(&t->op, &t->g, dt);
        mn__lod_step(&t->lod, &t->op, off, t->u);
        rc = mn__lod_ref_step(&t->g, t->op.dxy_um2_h, t->op.gz_um_h, off, dt, t->ud);
        break;
    case SWEEP_XY:
        mn__lod_op_factor(&t->op, &t->g, dt);
        mn__lod_sweep_xy(&t->lod, &t->op, t->u);
        rc = mn__lod_ref_sweep_xy(&t->g, t->op.dxy_um2_h, dt, t->ud);
        break;
    case SWEEP_Z:
        mn__lod_op_factor(&t->op, &t->g, dt);
        mn__lod_sweep_z(&t->lod, &t->op, off, t->u);
        rc = mn__lod_ref_sweep_z(&t->g, t->op.gz_um_h, off, dt, t->ud);
        break;
    case SWEEP_Z_VAR:
        mn__lod_sweep_z_var(&t->lod, t->g0, t->g1, t->p, beta, 1.0, dt, t->u);
        rc = mn__lod_ref_sweep_z_var(&t->g, t->g0, t->g1, t->p, beta, 1.0, dt, t->ud);
        break;
    }
    assert_int_equal(rc, 0);
    double err = 0.0, scale = 0.0;
    for (size_t i = 0; i < t->n; ++i) {
        assert_true_msg(isfinite(t->u[i]), "%s: u[%zu] = %g", what_name[w], i, t->u[i]);
        err = fmax(err, fabs(t->u[i] - t->ud[i]));
        scale = fmax(scale, fabs(t->ud[i]));
    }
    assert_true(scale > 0.0);
    return err / scale;
}

/* Step sizes in hours: r = D·dt/dx² from ~0.5 to ~9000; 24 twice (the second is not
 * refactored), then smaller (refactored). */
static const double dts[] = {24.0, 24.0, 0.05, 2.0};
#define NDT (sizeof dts / sizeof dts[0])

/* Every call kind on one grid shape, each within tol; returns the largest error seen. */
static double check_shape(int nx, int ny, int nz, double tol)
{
    fixture t;
    fixture_init(&t, nx, ny, nz);
    double worst = 0.0;
    for (int w = STEP; w <= SWEEP_Z_VAR; ++w)
        for (int off = 0; off < 2; ++off)
            for (size_t d = 0; d < NDT; ++d) {
                /* sweep_xy has no offset; z_var's second variant is the inflow */
                if (w == SWEEP_XY && off)
                    continue;
                const double e = run_one(&t, (enum what)w, off, dts[d], off ? 150.0 : 0.0);
                assert_true_msg(e <= tol,
                                "%s (%s) nx=%d ny=%d nz=%d dt=%g: relative error %.3g > %g",
                                what_name[w],
                                w == SWEEP_Z_VAR ? (off ? "inflow" : "no inflow")
                                                 : (off ? "offset" : "no offset"),
                                nx, ny, nz, dts[d], e, tol);
                worst = fmax(worst, e);
            }
    fixture_free(&t);
    return worst;
}

static void test_shape_matrix(void **state)
{
    (void)state;
    static const int nxs[] = {3, 4, 7, 8, 9, 12, 31, 33, 100, 101};
    static const int nys[] = {3, 5, 8, 13, 37, 64, 110};
    static const int nzs[] = {1, 2, 7};
    for (int threads = 1; threads <= 2; ++threads) {
        set_threads(threads);
        double worst = 0.0;
        for (size_t a = 0; a < sizeof nxs / sizeof *nxs; ++a)
            for (size_t b = 0; b < sizeof nys / sizeof *nys; ++b)
                for (size_t c = 0; c < sizeof nzs / sizeof *nzs; ++c)
                    worst = fmax(worst, check_shape(nxs[a], nys[b], nzs[c], TOL));
        print_message("%d thread(s): largest relative error %.3g\n", threads, worst);
    }
    set_threads(1);
}

/* Wide planes, whose x blocks are capped by bytes rather than rows: 64-row blocks at nx = 300
 * (ny = 70: a whole block and one of 6 rows), 40-row ones at nx = 500 (the 10 mm patch; ny = 41:
 * the last block one row), the 8-row floor at nx = 2600. Lines that long are beyond what the
 * 3-D patch uses and beyond 1e-6: the float32 rounding of a periodic line grows with its length
 * (measured at r ≈ 4000 on the first step: 3e-7 at 100 cells, 5e-7 at 500, 1.2e-6 at 1000,
 * 1.3e-6 at 2600; up to 2.2e-6 here), so that shape, there only to reach the floor, is held to
 * 3e-6. */
static void test_wide_planes(void **state)
{
    (void)state;
    set_threads(1);
    double worst = fmax(check_shape(300, 70, 2, TOL), check_shape(500, 41, 2, TOL));
    print_message("300 and 500 wide: largest relative error %.3g\n", worst);
    print_message("2600 wide: largest relative error %.3g\n", check_shape(2600, 11, 2, 3e-6));
}

/* Grids of ≥ 200 000 voxels run in parallel: on 2 threads the same bits as on 1, and both
 * within the tolerance of the reference. 450 × 450 × 1: more threads than planes, no z pass. */
static void test_parallel(void **state)
{
    (void)state;
    static const int shapes[][3] = {{100, 110, 20}, {101, 105, 19}, {450, 450, 1}};
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; ++s) {
        const int nx = shapes[s][0], ny = shapes[s][1], nz = shapes[s][2];
        float *out[2];
        for (int threads = 1; threads <= 2; ++threads) {
            set_threads(threads);
            fixture t;
            fixture_init(&t, nx, ny, nz);
            double e = fmax(run_one(&t, STEP, 1, 24.0, 0.0), run_one(&t, STEP, 0, 0.05, 0.0));
            e = fmax(e, run_one(&t, SWEEP_XY, 0, 2.0, 0.0));
            e = fmax(e, run_one(&t, SWEEP_Z, 1, 2.0, 0.0));
            e = fmax(e, run_one(&t, SWEEP_Z_VAR, 0, 2.0, 150.0));
            assert_true_msg(e <= TOL, "%dx%dx%d, %d threads: relative error %.3g", nx, ny, nz,
                            threads, e);
            out[threads - 1] = t.u;
            t.u = NULL;
            fixture_free(&t);
        }
        assert_memory_equal(out[0], out[1], (size_t)nx * ny * nz * sizeof(float));
        free(out[0]);
        free(out[1]);
    }
    set_threads(1);
}

/* Grids the solver refuses, and zeroed structures freed twice. */
static void test_bad_grids(void **state)
{
    (void)state;
    const double h[3] = {10, 20, 30};
    const mn__lod_grid bad[] = {
        {.nx = 2, .ny = 3, .nz = 1, .dx_um = 20, .h_um = h},
        {.nx = 3, .ny = 2, .nz = 1, .dx_um = 20, .h_um = h},
        {.nx = 3, .ny = 3, .nz = 0, .dx_um = 20, .h_um = h},
        {.nx = 3, .ny = 3, .nz = 1, .dx_um = 0, .h_um = h},
        {.nx = 3, .ny = 3, .nz = 1, .dx_um = NAN, .h_um = h},
        {.nx = 3, .ny = 3, .nz = 1, .dx_um = 20, .h_um = NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; ++i) {
        mn__lod l;
        assert_int_equal(mn__lod_init(&l, &bad[i]), -1);
        assert_null(l.scratch);
        mn__lod_free(&l);
    }
}

#if defined(__SANITIZE_ADDRESS__)
#define MN_TEST_NO_RLIMIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MN_TEST_NO_RLIMIT 1
#endif
#endif

#ifndef MN_TEST_NO_RLIMIT
/* Bytes of address space the process has mapped (what RLIMIT_AS limits). */
static size_t mapped_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    assert_non_null(f);
    assert_int_equal(fscanf(f, "%lu", &pages), 1);
    fclose(f);
    return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

/* Lets the process map at most `room` bytes more than it has now (old: the limit to restore). */
static void limit_room(size_t room, struct rlimit *old)
{
    assert_int_equal(getrlimit(RLIMIT_AS, old), 0);
    struct rlimit lim = *old;
    lim.rlim_cur = (rlim_t)(mapped_bytes() + room);
    assert_true(lim.rlim_cur <= old->rlim_max);
    assert_int_equal(setrlimit(RLIMIT_AS, &lim), 0);
}

#define MIB ((size_t)1 << 20)

/* mn__lod_op_init of grid g with `room` bytes of address space: must fail and leave nothing. */
static void op_init_fails(const mn__lod_grid *g, size_t room)
{
    struct rlimit old;
    mn__lod_op op;
    limit_room(room, &old);
    const int rc = mn__lod_op_init(&op, g);
    assert_int_equal(setrlimit(RLIMIT_AS, &old), 0);
    assert_int_equal(rc, -1);
    assert_null(op.xk);
    assert_null(op.work);
    mn__lod_op_free(&op);
}
#endif

/* Allocations the solver cannot get: mn__lod_init and mn__lod_op_init fail cleanly (return
 * −1, leave nothing to free) under an address-space limit a little above what the process
 * maps. Lines of 2²⁴ cells make every array of a line 64 MiB (beyond malloc's largest mmap
 * threshold, so each is a mapping of its own and the limit decides exactly which fail), the
 * factorisation scratch 3 · 8 · 2²⁴ B = 384 MiB; nothing is ever written to them. Not under
 * AddressSanitizer, whose shadow memory needs more address space than any limit leaves. */
static void test_allocation_failure(void **state)
{
    (void)state;
#ifdef MN_TEST_NO_RLIMIT
    skip();
#else
    set_threads(1);
    const int big = 1 << 24;
    const size_t line = (size_t)big * sizeof(float), work = 3 * (size_t)big * sizeof(double);
    const double h[1] = {10};
    /* the solver's scratch (32 rows of a 2²⁴-wide plane: 4 GiB) */
    {
        const mn__lod_grid g = {.nx = big, .ny = 3, .nz = 1, .dx_um = 20, .h_um = h};
        struct rlimit old;
        mn__lod l;
        limit_room(1024 * MIB, &old);
        const int rc = mn__lod_init(&l, &g);
        assert_int_equal(setrlimit(RLIMIT_AS, &old), 0);
        assert_int_equal(rc, -1);
        assert_null(l.scratch);
        mn__lod_free(&l);
    }
    /* 2²⁴ depths: the per-depth coefficients fit, the per-depth line factors (56 B a depth,
     * twice) do not */
    {
        double *hz = calloc((size_t)big, sizeof(double));
        assert_non_null(hz);
        const mn__lod_grid g = {.nx = 3, .ny = 3, .nz = big, .dx_um = 20, .h_um = hz};
        op_init_fails(&g, 512 * MIB);
        free(hz);
    }
    /* one x line of 2²⁴ cells: the scratch and j of its five arrays fit, the next does not */
    for (int j = 0; j < 5; ++j) {
        const mn__lod_grid g = {.nx = big, .ny = 3, .nz = 1, .dx_um = 20, .h_um = h};
        op_init_fails(&g, work + (size_t)j * line + 32 * MIB);
    }
    /* the same for the y line, once the x line has its arrays */
    {
        const mn__lod_grid g = {.nx = 3, .ny = big, .nz = 1, .dx_um = 20, .h_um = h};
        op_init_fails(&g, work + 32 * MIB);
    }
    /* the reference's line scratch (7 doubles a cell: 896 MiB); u is not touched */
    {
        const mn__lod_grid g = {.nx = big, .ny = 3, .nz = 1, .dx_um = 20, .h_um = h};
        const double D[1] = {1.0};
        double u = 0.0;
        struct rlimit old;
        limit_room(512 * MIB, &old);
        const int rc_step = mn__lod_ref_step(&g, D, D, NULL, 1.0, &u);
        const int rc_z = mn__lod_ref_sweep_z(&g, D, NULL, 1.0, &u);
        assert_int_equal(setrlimit(RLIMIT_AS, &old), 0);
        assert_int_equal(rc_step, -1);
        assert_int_equal(rc_z, -1);
    }
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shape_matrix),       cmocka_unit_test(test_wide_planes),
        cmocka_unit_test(test_parallel),           cmocka_unit_test(test_bad_grids),
        cmocka_unit_test(test_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
