/* Test hooks of the CLI (cli.h; docs/reliability.md §Killed runs resume to the same bytes):
 * environment variables that make the process kill itself with SIGKILL at a chosen point of a
 * run, so the kill/resume tests do not depend on a timer a fast machine outruns. They are not
 * in any --help: they exist for tests only. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "mnsim/io.h"
#include "mnsim/simulate.h"

/* A variable's value: 0 when unset or empty, else a whole number >= 1 (-1: not one). */
static long hook_value(const char *cmd, const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return 0;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || *end || n < 1) {
        fprintf(stderr, "mnsim %s: %s '%s': expected a whole number of 1 or more\n", cmd, name, v);
        return -1;
    }
    return n;
}

int mn_cli_test_hooks_read(const char *cmd, mn_cli_test_hooks *out)
{
    out->kill_at_step = hook_value(cmd, "MNSIM_TEST_KILL_AT_STEP");
    out->kill_at_checkpoint = hook_value(cmd, "MNSIM_TEST_KILL_AT_CHECKPOINT");
    out->kill_at_patient = hook_value(cmd, "MNSIM_TEST_KILL_AT_PATIENT");
    return out->kill_at_step < 0 || out->kill_at_checkpoint < 0 || out->kill_at_patient < 0
               ? MN_EXIT_BAD_INPUT
               : MN_EXIT_OK;
}

_Noreturn void mn_cli_test_kill(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("mnsim: test hook: SIGKILL after ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fflush(NULL);
    const char *sig = getenv("MNSIM_TEST_KILL_SIGNAL");
    if (sig && (!strcmp(sig, "INT") || !strcmp(sig, "TERM")))
        mn_cli_interrupt_say(!strcmp(sig, "INT") ? SIGINT : SIGTERM);
    raise(SIGKILL);
    abort(); /* not reached: SIGKILL cannot be caught */
}

/* The checkpoint file's identity: mn_atomic_commit renames a new file into place, so a new
 * inode means a checkpoint was just written (the old file still existed when the new one was
 * created, so the two never share an inode). */
static void checkpoint_id(const mn_cli_kill_observer *k, unsigned long long *dev,
                          unsigned long long *ino)
{
    struct stat st;
    *dev = 0;
    *ino = 0;
    if (stat(k->checkpoint, &st) == 0) {
        *dev = (unsigned long long)st.st_dev;
        *ino = (unsigned long long)st.st_ino;
    }
}

static int kill_start(void *user, mn_sim *sim, mn_error *err)
{
    (void)sim, (void)err;
    mn_cli_kill_observer *k = user;
    checkpoint_id(k, &k->dev, &k->ino);
    return MN_OK;
}

/* After the model advanced by the step: the step's end-of-step events (a session, a sample and
 * the checkpoint due at it) have not happened yet. */
static int kill_step(void *user, mn_sim *sim, double h, mn_error *err)
{
    (void)err;
    mn_cli_kill_observer *k = user;
    if (++k->steps == k->hooks.kill_at_step)
        mn_cli_test_kill("step %ld (day %.17g)", k->steps, (mn_sim_time_h(sim) + h) / 24.0);
    return MN_OK;
}

/* Last of the observers, so after the checkpointer's on_sample: a checkpoint of this sample is
 * committed. */
static int kill_sample(void *user, mn_sim *sim, int sample, double day, mn_error *err)
{
    (void)sim, (void)sample, (void)err;
    mn_cli_kill_observer *k = user;
    unsigned long long dev, ino;
    checkpoint_id(k, &dev, &ino);
    if (ino != 0 && (ino != k->ino || dev != k->dev)) {
        k->dev = dev;
        k->ino = ino;
        if (++k->checkpoints == k->hooks.kill_at_checkpoint)
            mn_cli_test_kill("checkpoint %ld, at step %ld (day %.17g)", k->checkpoints, k->steps,
                             day);
    }
    return MN_OK;
}

int mn_cli_kill_observer_of(mn_cli_kill_observer *k, const char *dir, mn_sim_observer *out,
                            mn_error *err)
{
    *out = (mn_sim_observer){0};
    if (!k->hooks.kill_at_step && !k->hooks.kill_at_checkpoint)
        return MN_OK;
    int rc = mn_path_join(k->checkpoint, sizeof k->checkpoint, dir, "checkpoint.mnck", err);
    if (!rc)
        *out = (mn_sim_observer){
            .user = k, .on_start = kill_start, .on_step = kill_step, .on_sample = kill_sample};
    return rc;
}
