/* A cohort distributed over MPI processes (cohort.h; docs/cohort.md §MPI): rank r simulates
 * patients r, r + ranks, ... (mn_cohort_options.rank/ranks), every rank learns whether any
 * failed, and rank 0 gathers the records so it writes the same files as a serial run. Built
 * only with Open MPI (MNSIM_HAVE_MPI); the caller owns MPI_Init and MPI_Finalize. */
#include <stdlib.h>
#include <string.h>

#include "mnsim/cohort.h"

#ifdef MNSIM_HAVE_MPI
#include <mpi.h>

int mn_cohort_mpi_available(void)
{
    return 1;
}

/* Sends every rank's records to rank 0 (collective). */
static int gather(mn_cohort *c, int rank, int ranks, mn_error *err)
{
    const int len = mn_cohort_record_len(c);
    const long n = mn_cohort_size(c);
    long mine = 0;
    for (long i = rank; i < n; i += ranks)
        mine += mn_cohort_is_done(c, i);
    double *send = malloc((size_t)(mine ? mine : 1) * (size_t)len * sizeof *send);
    int *counts = NULL, *displs = NULL;
    if (rank == 0) {
        counts = malloc((size_t)ranks * sizeof *counts);
        displs = malloc((size_t)ranks * sizeof *displs);
    }
    int ok = send != NULL && (rank != 0 || (counts && displs)), all_ok = 0;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_ok) {
        free(send), free(counts), free(displs);
        return mn_error_set(err, MN_ENOMEM, "out of memory gathering the cohort");
    }
    long k = 0;
    for (long i = rank; i < n; i += ranks)
        if (mn_cohort_is_done(c, i))
            memcpy(send + (size_t)(k++) * (size_t)len, mn_cohort_record(c, i),
                   (size_t)len * sizeof *send);
    int count = (int)(mine * len);
    MPI_Gather(&count, 1, MPI_INT, counts, 1, MPI_INT, 0, MPI_COMM_WORLD);
    long total = 0;
    double *recv = NULL;
    if (rank == 0) {
        for (int r = 0; r < ranks; ++r) {
            displs[r] = (int)total;
            total += counts[r];
        }
        recv = malloc((size_t)(total ? total : 1) * sizeof *recv);
    }
    /* Rank 0 without memory still takes part in the collective with a NULL buffer; it then
     * reports the failure. */
    MPI_Gatherv(send, count, MPI_DOUBLE, recv, counts, displs, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    int rc = MN_OK;
    if (rank == 0 && !recv)
        rc = mn_error_set(err, MN_ENOMEM, "out of memory gathering the cohort");
    for (long j = 0; rank == 0 && recv && j + len <= total; j += len)
        mn_cohort_set_record(c, (long)recv[j], recv + j);
    free(send), free(recv), free(counts), free(displs);
    return rc;
}

int mn_cohort_run_distributed(mn_cohort *c, mn_error *err)
{
    if (!c)
        return mn_error_set(err, MN_EINVAL, "mn_cohort_run_distributed: NULL cohort");
    int rank = 0, ranks = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    /* Every rank has read the journals (mn_cohort_create) before any rank rewrites its own. */
    MPI_Barrier(MPI_COMM_WORLD);
    int rc = mn_cohort_run(c, err);
    int worst = rc ? 1 : 0, any = 0;
    MPI_Allreduce(&worst, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (rc)
        return rc;
    if (any)
        return mn_error_set(err, MN_EIO,
                            "cohort: another MPI process failed (its message is on its stderr)");
    return gather(c, rank, ranks, err);
}

#else

int mn_cohort_mpi_available(void)
{
    return 0;
}

int mn_cohort_run_distributed(mn_cohort *c, mn_error *err)
{
    (void)c;
    return mn_error_set(err, MN_ENOTSUP, "this mnsim was built without MPI");
}

#endif
