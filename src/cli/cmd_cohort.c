/* mnsim cohort [FILE] [--set key=value]... [--params FILE] [--out DIR] [--threads N] [--fresh]
 * Under Open MPI (`mpirun -n N mnsim cohort ...`) the patients are split over the processes
 * and gathered on rank 0, which writes the same files as a serial run (docs/cohort.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif
#ifdef MNSIM_HAVE_MPI
#include <mpi.h>
#endif

#include "cli/cli.h"
#include "mnsim/io.h"
#include "mnsim/jobs.h"
#include "mnsim/cohort.h"
#include "mnsim/params.h"
#include "mnsim/scenario.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mnsim cohort [FILE] [--set key.path=value]... [--params FILE] [--out DIR]\n"
            "                    [--threads N] [--fresh] [--quiet]\n\n"
            "Simulates a virtual cohort: cohort.size patients drawn from the scenario's\n"
            "`cohort:` section (demographics and parameter uncertainty), each on the lean\n"
            "column model. Writes into DIR (default: output.dir) patients.csv.gz, summary.json\n"
            "(median and 5-95 %% band of every observable over time, responders, downtime, PIH\n"
            "by skin type and age band), subgroups.csv, fan_chart.svg and cohort.html.\n"
            "A killed cohort resumes where it stopped when run again with the same scenario.\n\n"
            "  --set key.path=value  override one scenario field (e.g. cohort.size=10000)\n"
            "  --params FILE         model parameter overrides (YAML name: value)\n"
            "  --allow-out-of-range-params  run with --params values outside their\n"
            "                        literature range (refused otherwise; results.json lists them)\n"
            "  --out DIR             output directory\n"
            "  --threads N           OpenMP threads (default: all cores)\n"
            "  --fresh               ignore the journal of an interrupted run\n"
            "  --quiet               no table on stdout\n\n"
            "Parallel over machines: mpirun -n N mnsim cohort FILE (same files as serial).\n"
            "This build: OpenMP %s, MPI %s.\n"
            "Exit codes: 0 ok, 1 runtime failure, 2 bad input.\n",
#ifdef _OPENMP
            "yes",
#else
            "no",
#endif
#ifdef MNSIM_HAVE_MPI
            "yes"
#else
            "no"
#endif
    );
}

#ifdef MNSIM_HAVE_MPI
/* Launched by mpirun/srun (Open MPI, PMIx or PMI set these)? A plain `mnsim cohort` stays a
 * serial program and never initialises MPI. */
static int under_mpi(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_SIZE");
}

/* Sends every rank's records to rank 0. */
static int gather(mn_cohort *c, int rank, int ranks)
{
    const int len = mn_cohort_record_len(c);
    const long n = mn_cohort_size(c);
    long mine = 0;
    for (long i = rank; i < n; i += ranks)
        mine += mn_cohort_is_done(c, i);
    double *send = malloc((size_t)(mine ? mine : 1) * (size_t)len * sizeof *send);
    int ok = send != NULL, all_ok = 0;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_ok) {
        free(send);
        return MN_ENOMEM;
    }
    long k = 0;
    for (long i = rank; i < n; i += ranks)
        if (mn_cohort_is_done(c, i))
            memcpy(send + (size_t)(k++) * (size_t)len, mn_cohort_record(c, i),
                   (size_t)len * sizeof *send);
    int count = (int)(mine * len);
    int *counts = NULL, *displs = NULL;
    double *recv = NULL;
    if (rank == 0) {
        counts = malloc((size_t)ranks * sizeof *counts);
        displs = malloc((size_t)ranks * sizeof *displs);
    }
    MPI_Gather(&count, 1, MPI_INT, counts, 1, MPI_INT, 0, MPI_COMM_WORLD);
    long total = 0;
    if (rank == 0) {
        for (int r = 0; r < ranks; ++r) {
            displs[r] = (int)total;
            total += counts[r];
        }
        recv = malloc((size_t)(total ? total : 1) * sizeof *recv);
    }
    MPI_Gatherv(send, count, MPI_DOUBLE, recv, counts, displs, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    if (rank == 0)
        for (long j = 0; j + len <= total; j += len)
            mn_cohort_set_record(c, (long)recv[j], recv + j);
    free(send);
    free(recv);
    free(counts);
    free(displs);
    return MN_OK;
}
#endif

int mn_cli_cohort(int argc, char **argv)
{
    mn_scenario sc;
    mn_params params;
    mn_error err;
    mn_error_clear(&err);
    mn_cli_inputs in = {0};
    int quiet = 0, fresh = 0, threads = 0;
    long stop_after = 0;
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        int taken = mn_cli_inputs_option("cohort", argc, argv, &i, &in);
        if (taken < 0)
            return MN_EXIT_BAD_INPUT;
        if (taken)
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return MN_EXIT_OK;
        } else if (!strcmp(a, "--threads") || !strcmp(a, "--stop-after")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "mnsim cohort: %s needs a value\n", a);
                return MN_EXIT_BAD_INPUT;
            }
            const char *v = argv[++i];
            char *end = NULL;
            long n = strtol(v, &end, 10);
            if (!*v || *end || n < 1 || n > 100000000) {
                fprintf(stderr, "mnsim cohort: %s '%s': expected a positive whole number\n", a, v);
                return MN_EXIT_BAD_INPUT;
            }
            if (!strcmp(a, "--threads"))
                threads = (int)n;
            else
                stop_after = n;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            quiet = 1;
        } else if (!strcmp(a, "--fresh")) {
            fresh = 1;
        } else if (a[0] == '-') {
            fprintf(stderr, "mnsim cohort: unknown option '%s' (see mnsim cohort --help)\n", a);
            return MN_EXIT_BAD_INPUT;
        } else if (in.file) {
            fprintf(stderr, "mnsim cohort: more than one scenario file ('%s', '%s')\n", in.file, a);
            return MN_EXIT_BAD_INPUT;
        } else {
            in.file = a;
        }
    }
    int status = mn_cli_inputs_load("cohort", &in, &sc, &params);
    if (status != MN_EXIT_OK)
        return status;
#ifdef _OPENMP
    if (threads > 0) /* never more threads than CPUs this process may use (jobs.h) */
        omp_set_num_threads(mn_threads_for(threads, 0));
#else
    (void)threads; /* without OpenMP there is one thread */
#endif
    int rank = 0, ranks = 1, mpi = 0;
#ifdef MNSIM_HAVE_MPI
    if (under_mpi()) {
        MPI_Init(NULL, NULL);
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        MPI_Comm_size(MPI_COMM_WORLD, &ranks);
        mpi = 1;
#ifdef _OPENMP
        /* Share the cores of a machine between its ranks unless told otherwise. */
        const char *local = getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
        if (threads == 0 && !getenv("OMP_NUM_THREADS") && local && atoi(local) > 0) {
            int per_rank = omp_get_num_procs() / atoi(local);
            omp_set_num_threads(mn_threads_for(per_rank > 0 ? per_rank : 1, 0));
        }
#endif
    }
#endif
    mn_cohort_options copt = {.show_progress = !quiet,
                              .resume = !fresh,
                              .rank = rank,
                              .ranks = ranks,
                              .stop_after = stop_after};
    mn_cohort *c = NULL;
    /* Rank 0 holds the output directory for the whole run (the other ranks write only their
     * journals there). */
    mn_outdir *od = NULL;
    int rc = rank == 0 ? mn_outdir_open(sc.output.dir, &od, &err) : MN_OK;
    if (!rc)
        rc = mn_cohort_create(&sc, &params, sc.output.dir, &copt, &c, &err);
#ifdef MNSIM_HAVE_MPI
    if (mpi)
        MPI_Barrier(MPI_COMM_WORLD); /* every rank has read the journals before any rewrites */
#endif
    if (!rc && rank == 0 && !quiet && mn_cohort_done_count(c) > 0)
        fprintf(stderr, "mnsim cohort: resuming: %ld of %ld patients already done\n",
                mn_cohort_done_count(c), mn_cohort_size(c));
    if (!rc)
        rc = mn_cohort_run(c, &err);
    int stopped = rc == MN_ERANGE;
#ifdef MNSIM_HAVE_MPI
    if (mpi) {
        /* Every rank learns whether any failed, then rank 0 collects the records. */
        int worst = rc ? 1 : 0, any = 0;
        MPI_Allreduce(&worst, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
        if (rc)
            mn_cli_report(&err);
        if (any) {
            mn_cohort_free(&c);
            mn_outdir_close(&od);
            MPI_Finalize();
            return stopped ? MN_EXIT_FAILURE : (rc ? mn_cli_exit_code(rc) : MN_EXIT_FAILURE);
        }
        rc = gather(c, rank, ranks);
        if (rc)
            mn_error_set(&err, rc, "out of memory gathering the cohort");
    }
#endif
    if (!rc && rank == 0)
        rc = mn_cohort_write(c, &err);
    mn_outdir_close(&od);
    if (rc) {
        mn_cli_report(&err);
        mn_cohort_free(&c);
#ifdef MNSIM_HAVE_MPI
        if (mpi)
            MPI_Finalize();
#endif
        return stopped ? MN_EXIT_FAILURE : mn_cli_exit_code(rc);
    }
    if (rank == 0 && !quiet) {
        mn_cohort_print_summary(c, stdout);
        printf("Wrote %s/: patients.csv.gz, summary.json, subgroups.csv, fan_chart.svg, "
               "cohort.html\n",
               sc.output.dir);
    }
    mn_cohort_free(&c);
#ifdef MNSIM_HAVE_MPI
    if (mpi)
        MPI_Finalize();
#endif
    (void)mpi;
    return MN_EXIT_OK;
}
