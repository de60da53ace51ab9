/* What an interrupted command kept (cli.h): on SIGINT or SIGTERM a run, resume or cohort says
 * what of its work is on disk and how to go on, then dies of the signal as it would have (the
 * exit status a shell shows stays 128 + the signal). Only async-signal-safe calls run in the
 * handler: the messages are composed when the command arms it, the handler picks one (stat
 * says whether a checkpoint exists), write()s it and raises the signal again with the default
 * action. Nothing is cleaned up here: every output is written atomically, so an interrupted
 * write leaves only a temporary that the next run in the directory removes (core/io.c). */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

enum { MSG_NO_CHECKPOINT, MSG_CHECKPOINT, MSG_WRITING, MSG_COUNT };

static char messages[MSG_COUNT][1536];
static size_t lengths[MSG_COUNT];
static char checkpoint[1024]; /* "" when the command keeps no checkpoint */
static volatile sig_atomic_t writing;

static void set_message(int which, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_message(int which, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(messages[which], sizeof messages[which], fmt, ap);
    va_end(ap);
    lengths[which] = n < 0                                ? 0
                     : (size_t)n < sizeof messages[which] ? (size_t)n
                                                          : sizeof messages[which] - 1;
}

_Noreturn void mn_cli_interrupt_say(int sig)
{
    struct stat st;
    int which = writing                                       ? MSG_WRITING
                : checkpoint[0] && stat(checkpoint, &st) == 0 ? MSG_CHECKPOINT
                                                              : MSG_NO_CHECKPOINT;
    /* A short or failed write cannot be helped in a handler; the signal is what counts. */
    ssize_t w = write(STDERR_FILENO, messages[which], lengths[which]);
    (void)w;
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL); /* the handler runs with sig blocked */
    raise(sig);
    _exit(128 + sig); /* not reached: the default action of SIGINT and SIGTERM ends the process */
}

static void on_signal(int sig)
{
    mn_cli_interrupt_say(sig);
}

/* Installs the handler for SIGINT and SIGTERM, except where the signal is ignored: a command
 * started in the background of a script (which ignores SIGINT) keeps ignoring it. */
static void install(void)
{
    const int sigs[] = {SIGINT, SIGTERM};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; ++i) {
        struct sigaction old, sa;
        if (sigaction(sigs[i], NULL, &old) || old.sa_handler == SIG_IGN)
            continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

void mn_cli_interrupt_arm_run(const char *cmd, const char *dir, int checkpoints, int model_3d)
{
    writing = 0;
    checkpoint[0] = '\0';
    const char *vti = model_3d ? ", except the 3-D snapshots written so far (patch_day*.vti)" : "";
    if (checkpoints) {
        snprintf(checkpoint, sizeof checkpoint, "%s/checkpoint.mnck", dir);
        set_message(MSG_NO_CHECKPOINT,
                    "\nmnsim %s: interrupted before the first checkpoint: nothing of this run "
                    "was kept; %s/ is as it was%s\n",
                    cmd, dir, vti);
    } else {
        set_message(MSG_NO_CHECKPOINT,
                    "\nmnsim %s: interrupted: nothing of this run was kept (the results are "
                    "written at the end); %s/ is as it was%s; --checkpoint-every DAYS keeps "
                    "progress for mnsim resume\n",
                    cmd, dir, vti);
    }
    set_message(MSG_CHECKPOINT,
                "\nmnsim %s: interrupted: kept %s, the last checkpoint; `mnsim resume %s` goes "
                "on from it (no results were written yet%s)\n",
                cmd, checkpoint, dir, model_3d ? "; the 3-D snapshots so far are kept" : "");
    set_message(MSG_WRITING,
                "\nmnsim %s: interrupted while writing the outputs into %s/: each file there is "
                "complete (written whole or not at all), the rest of this run's are missing%s\n",
                cmd, dir, checkpoints ? "; `mnsim resume` from its checkpoint writes them" : "");
    install();
}

void mn_cli_interrupt_writing(void)
{
    writing = 1;
}

void mn_cli_interrupt_arm_cohort(const char *dir)
{
    writing = 0;
    checkpoint[0] = '\0';
    set_message(MSG_NO_CHECKPOINT,
                "\nmnsim cohort: interrupted: the patients finished so far are kept in "
                "%s/cohort-journal.*; the same command goes on from them (--fresh starts "
                "over)\n",
                dir);
    set_message(MSG_WRITING,
                "\nmnsim cohort: interrupted while writing the outputs into %s/: each file there "
                "is complete (written whole or not at all); every patient is journalled, so the "
                "same command writes the rest without simulating again\n",
                dir);
    install();
}
