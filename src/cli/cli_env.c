/* The CLI's process environment (cli.h): MPI launch detection and OpenMP's wait policy. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

int mn_cli_under_mpi(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_SIZE");
}

/* libgomp's default wait policy spins at every barrier for a while before it sleeps: on a
 * machine where another process needs the second core, a 2-thread run then loses whole
 * scheduler quanta at each of its barriers (docs/benchmarks.md, "Beside a busy process": the
 * LOD solver 4-25x slower on 2 threads than on 1). OMP_WAIT_POLICY=passive makes idle threads
 * sleep at once. libgomp reads it when it is loaded, before main(), so the CLI sets it and
 * executes itself again, once, as the first thing it does.
 *
 * Why that is safe: nothing has happened yet (no file opened, nothing written, no thread
 * started: libgomp starts its threads at the first parallel region), and exec keeps the process
 * id, the arguments, the open descriptors and the rest of the environment, so the caller sees
 * one process that behaves the same. It is skipped when the user chose a policy
 * (OMP_WAIT_POLICY or GOMP_SPINCOUNT set), under an MPI launcher (the launcher and its PMI
 * library may have set up state for the process image they started), under valgrind (it would
 * stop following the program), when MNSIM_NO_REEXEC is set, and without OpenMP. If exec fails,
 * the run goes on with the default policy. */
void mn_cli_prefer_passive_wait(char **argv)
{
#if defined(_OPENMP) && defined(__linux__)
    if (getenv("OMP_WAIT_POLICY") || getenv("GOMP_SPINCOUNT") || getenv("MNSIM_NO_REEXEC") ||
        mn_cli_under_mpi())
        return;
    const char *preload = getenv("LD_PRELOAD");
    if (preload && strstr(preload, "vgpreload"))
        return;
    if (setenv("OMP_WAIT_POLICY", "passive", 1))
        return;
    execv("/proc/self/exe", argv);
    /* Still here: exec failed; run as we are (the variable is now only informative). */
#else
    (void)argv;
#endif
}
