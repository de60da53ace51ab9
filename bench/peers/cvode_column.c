/* The column model against SUNDIALS CVODE (docs/benchmarks.md §Peers): the same initial value
 * problem solved by mnsim's column (one unsplit MPRK22 step a time step, its step policy) and
 * by CVODE's BDF method with a banded Newton matrix, at matched accuracy, in the same process.
 *
 * The problem: the default patient's column at 20 µm, the first session's injury of the default
 * scenario applied (mn_model_injure), then 28 days under fixed drivers (the day-0 drivers, no
 * adjunct on the skin), all 16 species at daily output times. CVODE's right-hand side is
 * assembled from the pieces mnsim's column advances (src/column/column.c): the reaction rates of
 * every voxel, dy/dt = P(y) − L(y)·y, from the column's own row kernel
 * (mn__kinetics_stage1_rows, which writes the rates at its input state), plus the
 * finite-volume transport of the diffusing species with the column's face conductances (the
 * layer rules of diffusivity.c; the topical agent's follows the open-pore fraction; the
 * fibroblasts migrate on their excess over the resident density), zero flux at both ends.
 *
 * Accuracy: both are measured against a reference, CVODE at rtol 1e-10, in the column's own
 * error norm (mn_model_step_error's: per species, max over voxels of |y − y_ref| over
 * MN_STEP_ERROR_FLOOR + max |y_ref|; the largest over species and output times). mnsim runs
 * with its default steps; CVODE's rtol is scanned by half decades (atol = rtol × the floor) and
 * the loosest whose error is at most mnsim's is timed: CVODE is given an accuracy at least as
 * good as mnsim's, never worse. A fine mnsim run (fixed 0.01 h steps) against the same
 * reference shows that both solve the same equations. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_config.h>
#include <sunlinsol/sunlinsol_band.h>
#include <sunmatrix/sunmatrix_band.h>

#include "bench_util.h"
#include "kinetics/diffusivity.h"
#include "kinetics/kinetics_rows.h"
#include "mnsim/column.h"
#include "mnsim/model.h"
#include "mnsim/patient.h"
#include "mnsim/scenario.h"

#define NS MN_SP_COUNT
#define DAYS 28

/* The IVP and the scratch of its right-hand side. CVODE's state is voxel by voxel (species q
 * of voxel i at i·NS + q), so the transport couples values NS apart and the Jacobian is banded;
 * the pore fraction and the topical agent are the last two of a voxel, because the topical
 * conductance of a face depends on the pore fraction on both sides of it, which keeps the band
 * at NS + 1 below and NS above the diagonal. */
typedef struct problem {
    const mn_params *p;
    mn__env_rows env;
    mn_drivers d;
    int nz, n;
    int pos[NS];              /* position of species s within a voxel's values */
    double *h;                /* voxel heights, µm */
    double *g[NS];            /* face conductances (µm/h) of each diffusing species, or NULL */
    double *td0, *td1;        /* topical conductances with the pores closed / open */
    double *offset;           /* transport acts on y − offset (the resident fibroblasts) */
    double *blk, *y1, *P, *L; /* species rows (s·nz + i) for the row kernel */
    double *y0;               /* initial state, CVODE's order */
    long nrhs;
} problem;

static void *xcalloc(size_t n, size_t size)
{
    void *q = calloc(n, size);
    if (!q) {
        fprintf(stderr, "bench_cvode: out of memory\n");
        exit(1);
    }
    return q;
}

static void die(const char *what, const mn_error *err)
{
    fprintf(stderr, "bench_cvode: %s: %s\n", what, err ? err->message : "failed");
    exit(1);
}

/* f = P − L·y of every species, plus transport of the diffusing ones. */
static void column_rhs(problem *pb, const double *y, double *f)
{
    const int nz = pb->nz;
    for (int s = 0; s < NS; ++s)
        for (int i = 0; i < nz; ++i)
            pb->blk[s * nz + i] = y[i * NS + pb->pos[s]];
    /* The kernel's stage-1 rates at blk (dt and the stage values it also writes to y1 are not
     * used). */
    mn__kinetics_stage1_rows(pb->p, &pb->env, &pb->d, pb->blk, nz, nz, 1.0, 0u, pb->y1, pb->P,
                             pb->L);
    for (int s = 0; s < NS; ++s) {
        const double *Y = pb->blk + s * nz, *P = pb->P + s * nz, *L = pb->L + s * nz;
        for (int i = 0; i < nz; ++i)
            f[i * NS + pb->pos[s]] = P[i] - L[i] * Y[i];
        if (!pb->g[s])
            continue;
        const double *g = pb->g[s], *pore = pb->blk + MN_SP_PORE * nz;
        const int fib = s == MN_SP_FIBROBLAST, top = s == MN_SP_TOPICAL;
        for (int i = 0; i + 1 < nz; ++i) {
            double gi =
                top ? pb->td0[i] + 0.5 * (pore[i] + pore[i + 1]) * (pb->td1[i] - pb->td0[i]) : g[i];
            double u0 = Y[i] - (fib ? pb->offset[i] : 0.0);
            double u1 = Y[i + 1] - (fib ? pb->offset[i + 1] : 0.0);
            double flux = gi * (u1 - u0); /* from voxel i+1 into voxel i, µm/h × value */
            f[i * NS + pb->pos[s]] += flux / pb->h[i];
            f[(i + 1) * NS + pb->pos[s]] -= flux / pb->h[i + 1];
        }
    }
}

static int cvode_rhs(sunrealtype t, N_Vector y, N_Vector ydot, void *user)
{
    (void)t;
    problem *pb = user;
    ++pb->nrhs;
    column_rhs(pb, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot));
    return 0;
}

/* The model, the problem and the injured initial state. */
typedef struct setup {
    mn_scenario sc;
    mn_params p;
    mn_patient pt;
    mn_tissue *tissue;
    mn_kinetics_envs *envs;
    mn_injury injury;
    mn_drivers d;
} setup;

static void setup_init(setup *su)
{
    mn_error err;
    mn_scenario_default(&su->sc);
    mn_params_default(&su->p);
    if (mn_patient_init(&su->pt, &su->sc, &su->p, &err))
        die("patient", &err);
    /* The drivers the kinetics environments are made steady under (as bench_lod's). */
    su->d = (mn_drivers){1, su->pt.capacity, su->pt.uv_med_per_day, 1, 0, 0, 0};
    if (mn_tissue_create(&su->pt, su->sc.simulate.resolution_um, &su->tissue, &err) ||
        mn_kinetics_envs_create(su->tissue, &su->pt, &su->p, &su->d, &su->envs, &err))
        die("tissue", &err);
    if (mn_device_injury(&su->sc.device, mn_scenario_session_needle_mm(&su->sc, 0),
                         mn_scenario_session_passes(&su->sc, 0), &su->p, &su->injury, &err))
        die("injury", &err);
}

/* A fresh column model with the session's injury applied. */
static mn_model *injured_model(const setup *su)
{
    mn_model *m = NULL;
    mn_error err;
    mn_model_setup ms = {
        .scenario = &su->sc, .tissue = su->tissue, .envs = su->envs, .params = &su->p};
    if (mn_column_model_create(&ms, &m, &err) || mn_model_injure(m, &su->injury, 0, &err))
        die("column model", &err);
    return m;
}

static void problem_init(problem *pb, const setup *su)
{
    memset(pb, 0, sizeof *pb);
    pb->p = &su->p;
    pb->d = su->d;
    pb->nz = mn_tissue_nz(su->tissue);
    pb->n = pb->nz * NS;
    const int nz = pb->nz;
    if (mn__env_rows_init(&pb->env, su->envs))
        die("environment rows", NULL);
    for (int s = 0, q = 0; s < NS; ++s)
        if (s != MN_SP_PORE && s != MN_SP_TOPICAL)
            pb->pos[s] = q++;
    pb->pos[MN_SP_PORE] = NS - 2;
    pb->pos[MN_SP_TOPICAL] = NS - 1;
    pb->h = xcalloc((size_t)nz, sizeof(double));
    pb->offset = xcalloc((size_t)nz, sizeof(double));
    pb->td0 = xcalloc((size_t)nz, sizeof(double));
    pb->td1 = xcalloc((size_t)nz, sizeof(double));
    for (int i = 0; i < nz; ++i) {
        pb->h[i] = mn_tissue_height_um(su->tissue, i);
        pb->offset[i] = mn_kinetics_env_at(su->envs, i)->baseline[MN_SP_FIBROBLAST];
    }
    for (int s = 0; s < NS; ++s) {
        if (!mn_species_diffuses((mn_species)s))
            continue;
        pb->g[s] = xcalloc((size_t)nz, sizeof(double));
        for (int i = 0; i + 1 < nz; ++i) {
            mn_layer up = mn_tissue_layer(su->tissue, i), dn = mn_tissue_layer(su->tissue, i + 1);
            double dist = 0.5 * (pb->h[i] + pb->h[i + 1]);
            pb->g[s][i] = mn__face_diffusivity(&su->p, (mn_species)s, up, dn, 0.0) / dist;
            if (s == MN_SP_TOPICAL) {
                pb->td0[i] = pb->g[s][i];
                pb->td1[i] = mn__face_diffusivity(&su->p, (mn_species)s, up, dn, 1.0) / dist;
            }
        }
    }
    pb->blk = xcalloc((size_t)pb->n, sizeof(double));
    pb->y1 = xcalloc((size_t)pb->n, sizeof(double));
    pb->P = xcalloc((size_t)pb->n, sizeof(double));
    pb->L = xcalloc((size_t)pb->n, sizeof(double));
    pb->y0 = xcalloc((size_t)pb->n, sizeof(double));
    mn_model *m = injured_model(su);
    double *prof = xcalloc((size_t)nz, sizeof(double));
    for (int s = 0; s < NS; ++s) {
        mn_model_profile(m, (mn_species)s, prof);
        for (int i = 0; i < nz; ++i)
            pb->y0[i * NS + pb->pos[s]] = prof[i];
    }
    free(prof);
    mn_model_free(&m);
}

static void problem_free(problem *pb)
{
    mn__env_rows_free(&pb->env);
    for (int s = 0; s < NS; ++s)
        free(pb->g[s]);
    double *a[] = {pb->h, pb->offset, pb->td0, pb->td1, pb->blk, pb->y1, pb->P, pb->L, pb->y0};
    for (size_t k = 0; k < sizeof a / sizeof a[0]; ++k)
        free(a[k]);
}

/* Daily outputs: out[(day − 1)·n + CVODE index]. */
typedef struct run {
    double seconds, cpu; /* wall and this thread's CPU time */
    long steps, rhs, jac, newton;
    double *out;
} run;

/* mnsim's column with its step policy (as the stepper: from 0.01 h after the session, growing by
 * the policy's factor up to its largest step, landing on every output time), or fixed steps. */
static void run_mnsim(const setup *su, const problem *pb, double fixed_h, run *r)
{
    mn_model *m = injured_model(su);
    const mn_model_step_policy pol = mn_model_step_policy_of(m);
    double *prof = xcalloc((size_t)pb->nz, sizeof(double));
    mn_error err;
    double t = 0, dt = fixed_h > 0 ? fixed_h : 0.01;
    r->steps = 0;
    double t0 = now_s(), c0 = cpu_s();
    for (int day = 1; day <= DAYS; ++day) {
        const double target = 24.0 * day;
        while (t < target - 1e-9) {
            double h = fmin(dt, target - t);
            if (target - (t + h) < 1e-6)
                h = target - t;
            if (mn_model_advance(m, h, &pb->d, 0, &err))
                die("advance", &err);
            t = fabs(t + h - target) < 1e-9 ? target : t + h;
            dt = fixed_h > 0 ? fixed_h : fmin(dt * pol.growth, pol.dt_max_h);
            ++r->steps;
        }
        double *o = r->out + (size_t)(day - 1) * pb->n;
        for (int s = 0; s < NS; ++s) {
            mn_model_profile(m, (mn_species)s, prof);
            for (int i = 0; i < pb->nz; ++i)
                o[i * NS + pb->pos[s]] = prof[i];
        }
    }
    r->seconds = now_s() - t0;
    r->cpu = cpu_s() - c0;
    free(prof);
    mn_model_free(&m);
}

#define CHECK(call)                                                                                \
    do {                                                                                           \
        if ((call) < 0) {                                                                          \
            fprintf(stderr, "bench_cvode: %s failed\n", #call);                                    \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

/* CVODE: BDF (variable order 1–5), Newton with a banded direct solver; the band of the Jacobian
 * by SUNDIALS' banded difference quotients (NS + 1 below, NS above the diagonal). The whole
 * solve is timed, from creating the integrator to the last output. */
static void run_cvode(problem *pb, double rtol, double atol, run *r)
{
    double t0 = now_s(), c0 = cpu_s();
    SUNContext ctx;
#if SUNDIALS_VERSION_MAJOR >= 7
    CHECK(SUNContext_Create(SUN_COMM_NULL, &ctx));
#else
    CHECK(SUNContext_Create(NULL, &ctx));
#endif
    N_Vector y = N_VNew_Serial(pb->n, ctx);
    memcpy(N_VGetArrayPointer(y), pb->y0, (size_t)pb->n * sizeof(double));
    void *cv = CVodeCreate(CV_BDF, ctx);
    SUNMatrix A = SUNBandMatrix(pb->n, NS, NS + 1, ctx);
    SUNLinearSolver LS = SUNLinSol_Band(y, A, ctx);
    if (!y || !cv || !A || !LS) {
        fprintf(stderr, "bench_cvode: CVODE set-up failed\n");
        exit(1);
    }
    CHECK(CVodeInit(cv, cvode_rhs, 0.0, y));
    CHECK(CVodeSStolerances(cv, rtol, atol));
    CHECK(CVodeSetUserData(cv, pb));
    CHECK(CVodeSetLinearSolver(cv, LS, A));
    CHECK(CVodeSetMaxNumSteps(cv, 1000000));
    pb->nrhs = 0;
    for (int day = 1; day <= DAYS; ++day) {
        sunrealtype t;
        CHECK(CVode(cv, 24.0 * day, y, &t, CV_NORMAL));
        memcpy(r->out + (size_t)(day - 1) * pb->n, N_VGetArrayPointer(y),
               (size_t)pb->n * sizeof(double));
    }
    long steps = 0, jevals = 0, nni = 0;
    CVodeGetNumSteps(cv, &steps);
    CVodeGetNumJacEvals(cv, &jevals);
    CVodeGetNumNonlinSolvIters(cv, &nni);
    r->newton = nni;
    r->steps = steps;
    r->jac = jevals;
    r->rhs = pb->nrhs; /* including the difference quotients of the Jacobian */
    CVodeFree(&cv);
    SUNLinSolFree(LS);
    SUNMatDestroy(A);
    N_VDestroy(y);
    SUNContext_Free(&ctx);
    r->seconds = now_s() - t0;
    r->cpu = cpu_s() - c0;
}

/* The column's error norm (mn_model_step_error's) of a run against the reference, the largest
 * over the output times. */
static double run_error(const problem *pb, const run *r, const run *ref)
{
    double worst = 0;
    for (int day = 0; day < DAYS; ++day) {
        const double *a = r->out + (size_t)day * pb->n, *b = ref->out + (size_t)day * pb->n;
        for (int q = 0; q < NS; ++q) {
            double d = 0, m = 0;
            for (int i = 0; i < pb->nz; ++i) {
                d = fmax(d, fabs(a[i * NS + q] - b[i * NS + q]));
                m = fmax(m, fabs(b[i * NS + q]));
            }
            worst = fmax(worst, d / (MN_STEP_ERROR_FLOOR + m));
        }
    }
    return worst;
}

static double median(double *t, int n)
{
    qsort(t, (size_t)n, sizeof t[0], cmp_double);
    return t[n / 2];
}

int main(void)
{
    setup su;
    setup_init(&su);
    problem pb;
    problem_init(&pb, &su);
    const size_t bytes = (size_t)DAYS * pb.n * sizeof(double);
    run ref = {.out = xcalloc(1, bytes)}, mn = {.out = xcalloc(1, bytes)};
    run fine = {.out = xcalloc(1, bytes)}, cv = {.out = xcalloc(1, bytes)};
    printf("Column model vs SUNDIALS CVODE %s (BDF, banded Newton matrix by difference quotients)"
           ", one thread:\n  the default column (%d voxels x %d species), the first session's "
           "injury, %d days at fixed drivers, daily outputs\n",
           SUNDIALS_VERSION, pb.nz, NS, DAYS);
    run_cvode(&pb, 1e-10, 1e-12, &ref);
    run_mnsim(&su, &pb, 0.01, &fine);
    const double e_fine = run_error(&pb, &fine, &ref);
    printf("  reference: CVODE rtol 1e-10 (%ld steps); mnsim at fixed 0.01 h steps differs from "
           "it by %.1e: the same equations\n",
           ref.steps, e_fine);

    run_mnsim(&su, &pb, 0, &mn);
    const double e_mn = run_error(&pb, &mn, &ref);
    printf("  mnsim column, default steps: error %.2e, %ld steps\n", e_mn, mn.steps);

    /* The loosest half-decade rtol whose error is at most mnsim's. */
    double rtol = 0, e_cv = 0;
    for (int k = 4; k <= 20; ++k) {
        double rt = pow(10.0, -0.5 * k);
        run_cvode(&pb, rt, rt * MN_STEP_ERROR_FLOOR, &cv);
        double e = run_error(&pb, &cv, &ref);
        printf("    CVODE rtol %.1e: error %.2e, %ld steps, %ld RHS\n", rt, e, cv.steps, cv.rhs);
        if (e <= e_mn) {
            rtol = rt, e_cv = e;
            break;
        }
    }
    if (rtol == 0) {
        printf("  CVODE did not reach mnsim's error down to rtol 1e-10\n");
        return 1;
    }
    /* Interleaved pairs (mnsim MN_RUNS times, CVODE once), so both see the same moment of a
     * shared machine; the ratios are the medians of the per-pair ratios. */
    enum { PAIRS = 9, MN_RUNS = 5 };
    double wm[PAIRS], wc[PAIRS], cm[PAIRS], cc[PAIRS], rw[PAIRS], rc[PAIRS];
    for (int k = -1; k < PAIRS; ++k) {
        double w = 0, c = 0;
        for (int j = 0; j < MN_RUNS; ++j) {
            run_mnsim(&su, &pb, 0, &mn);
            w += mn.seconds / MN_RUNS, c += mn.cpu / MN_RUNS;
        }
        run_cvode(&pb, rtol, rtol * MN_STEP_ERROR_FLOOR, &cv);
        if (k < 0)
            continue; /* warm-up */
        wm[k] = w, cm[k] = c, wc[k] = cv.seconds, cc[k] = cv.cpu;
        rw[k] = cv.seconds / w, rc[k] = cv.cpu / c;
    }
    printf("  CVODE at matched accuracy: rtol %.1e, atol %.1e, error %.2e, %ld steps, %ld RHS "
           "(%ld Jacobians), %ld Newton iterations\n",
           rtol, rtol * MN_STEP_ERROR_FLOOR, e_cv, cv.steps, cv.rhs, cv.jac, cv.newton);
    const double mwm = median(wm, PAIRS), mwc = median(wc, PAIRS), mcm = median(cm, PAIRS);
    const double mcc = median(cc, PAIRS), mrw = median(rw, PAIRS), mrc = median(rc, PAIRS);
    printf("  time, medians of %d interleaved pairs: mnsim %.2f ms wall / %.2f ms CPU, CVODE "
           "%.2f ms wall / %.2f ms CPU\n",
           PAIRS, 1e3 * mwm, 1e3 * mcm, 1e3 * mwc, 1e3 * mcc);
    printf("  CVODE / mnsim time at matched accuracy = %.1fx wall (pairs %.1f-%.1fx), %.1fx CPU\n",
           mrw, rw[0], rw[PAIRS - 1], mrc);
    free(ref.out), free(mn.out), free(fine.out), free(cv.out);
    problem_free(&pb);
    mn_tissue_free(&su.tissue);
    mn_kinetics_envs_free(&su.envs);
    return 0;
}
