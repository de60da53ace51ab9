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
#include "cli/studies_dir.h"
#include "mnsim/posterior.h"
#include "mnsim/io.h"
#include "mnsim/jobs.h"
#include "mnsim/cohort.h"
#include "mnsim/params.h"
#include "mnsim/scenario.h"

#ifdef _OPENMP
#define HAVE_OPENMP "yes"
#else
#define HAVE_OPENMP "no"
#endif
#ifdef MNSIM_HAVE_MPI
#define HAVE_MPI "yes"
#else
#define HAVE_MPI "no"
#endif

int mn_cli_cohort(int argc, char **argv)
{
    mn_scenario sc;
    mn_params params;
    mn_error err;
    mn_error_clear(&err);
    mn_cli_inputs in = {0};
    int quiet = 0, fresh = 0, threads = 0, stop_after = 0, allow_large = 0;
    const char *posterior_file = NULL;
    const mn_cli_option options[] = {
        MN_CLI_INPUT_OPTIONS(&in),
        {"threads", 0, MN_CLI_INT, .to.integer = &threads, .min = 1, .max = 1e8, .arg = "N",
         .help = "OpenMP threads (default: all cores)"},
        {"fresh", 0, MN_CLI_FLAG, .to.flag = &fresh,
         .help = "ignore the journal of an interrupted run"},
        {"posterior", 0, MN_CLI_STRING, .to.str = &posterior_file, .arg = "FILE",
         .help = "draw the parameters it samples from this posterior of `mnsim calibrate` "
                 "(`default`: the shipped one; docs/uncertainty.md)"},
        {"quiet", 'q', MN_CLI_FLAG, .to.flag = &quiet, .help = "no table on stdout"},
        MN_CLI_ALLOW_LARGE_OPTION(&allow_large),
        /* Not listed: stops after N patients, as a kill would (tests of the resume). */
        {"stop-after", 0, MN_CLI_INT, .to.integer = &stop_after, .min = 1, .max = 1e8},
        {0}};
    const mn_cli_option args[] = {MN_CLI_FILE_ARG(&in), {0}};
    const mn_cli_command cmd = {
        "cohort",
        .description =
            "Simulates a virtual cohort: cohort.size patients drawn from the scenario's\n"
            "`cohort:` section (demographics and parameter uncertainty), each on the lean\n"
            "column model. Writes into DIR (default: output.dir) patients.csv.gz, summary.json\n"
            "(median and 5-95 % band of every observable over time, responders, downtime, PIH\n"
            "by skin type and age band), subgroups.csv, fan_chart.svg and cohort.html.\n"
            "A killed cohort resumes where it stopped when run again with the same scenario.",
        .epilog = "Parallel over machines: mpirun -n N mnsim cohort FILE (same files as serial).\n"
                  "This build: OpenMP " HAVE_OPENMP ", MPI " HAVE_MPI ".\n" MN_CLI_EXIT_CODES,
        .options = options, .positional = args};
    int ex = mn_cli_parse(&cmd, argc, argv);
    if (ex != MN_CLI_PARSED)
        return ex;
    mn_cli_test_hooks hooks;
    if (mn_cli_test_hooks_read("cohort", &hooks) != MN_EXIT_OK) {
        mn_cli_free(&cmd);
        return MN_EXIT_BAD_INPUT;
    }
    /* MNSIM_TEST_KILL_AT_PATIENT=N: the library stops journalling after this run's N-th patient
     * (stop_after: the other threads' patients are not journalled) and the process kills itself
     * before anything else happens, so the directory holds what a kill right after the N-th
     * journal record leaves behind. */
    if (hooks.kill_at_patient > 0 && (stop_after == 0 || hooks.kill_at_patient < stop_after))
        stop_after = (int)(hooks.kill_at_patient < 100000000 ? hooks.kill_at_patient : 100000000);
    int status = mn_cli_inputs_load("cohort", &in, &sc, &params);
    mn_cli_free(&cmd);
    if (status != MN_EXIT_OK)
        return status;
    mn_estimate est;
    if (mn_cohort_estimate(&sc, &est, &err)) {
        mn_cli_report(&err);
        return MN_EXIT_BAD_INPUT;
    }
    if (mn_cli_check_resources("cohort", &est, sc.output.dir,
                               "use a smaller cohort.size or a larger cohort.every_days",
                               allow_large) != MN_EXIT_OK)
        return MN_EXIT_BAD_INPUT;
    mn_posterior *post = NULL;
    if (posterior_file &&
        mn_posterior_read(strcmp(posterior_file, "default") ? posterior_file
                                                            : mn_cli_posterior_file(),
                          &post, &err)) {
        mn_cli_report(&err);
        return MN_EXIT_BAD_INPUT;
    }
#ifdef _OPENMP
    if (threads > 0) /* never more threads than CPUs this process may use (jobs.h) */
        omp_set_num_threads(mn_threads_for(threads, 0));
#else
    (void)threads; /* without OpenMP there is one thread */
#endif
    int rank = 0, ranks = 1, mpi = 0;
#ifdef MNSIM_HAVE_MPI
    if (mn_cli_under_mpi()) {
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
                              .stop_after = stop_after,
                              .posterior = post};
    mn_cohort *c = NULL;
    /* Rank 0 holds the output directory for the whole run (the other ranks write only their
     * journals there). */
    mn_outdir *od = NULL;
    int rc = rank == 0 ? mn_outdir_open(sc.output.dir, &od, &err) : MN_OK;
    if (!rc)
        rc = mn_cohort_create(&sc, &params, sc.output.dir, &copt, &c, &err);
    if (!rc && rank == 0 && !quiet && mn_cohort_done_count(c) > 0)
        fprintf(stderr, "mnsim cohort: resuming: %ld of %ld patients already done\n",
                mn_cohort_done_count(c), mn_cohort_size(c));
    /* Under MPI every rank runs its share and rank 0 gathers the records (the library's
     * mn_cohort_run_distributed); the CLI only initialises and finalises MPI. */
    int ran = !rc;
    if (ran && rank == 0)
        mn_cli_interrupt_arm_cohort(sc.output.dir);
    if (ran)
        rc = mpi ? mn_cohort_run_distributed(c, &err) : mn_cohort_run(c, &err);
    int stopped = rc == MN_ERANGE;
    if (ran && stopped && hooks.kill_at_patient > 0 && stop_after == hooks.kill_at_patient)
        mn_cli_test_kill("patient %ld was journalled", hooks.kill_at_patient);
    mn_cli_interrupt_writing();
    if (!rc && rank == 0)
        rc = mn_cohort_write(c, &err);
    mn_outdir_close(&od);
    if (rc) {
        mn_cli_report(&err);
        mn_cohort_free(&c);
        mn_posterior_free(&post);
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
    mn_posterior_free(&post);
#ifdef MNSIM_HAVE_MPI
    if (mpi)
        MPI_Finalize();
#endif
    (void)mpi;
    return MN_EXIT_OK;
}
