/* Subcommands of the mnsim CLI. Each declares its options as a table (cli_options.h), parses
 * them with mn_cli_parse and calls the library.
 * Exit codes: 0 success, 1 runtime failure, 2 bad input (usage, scenario, malformed file). */
#ifndef MN_CLI_H
#define MN_CLI_H

#include <math.h>

#include "cli/cli_options.h"
#include "mnsim/error.h"
#include "mnsim/params.h"
#include "mnsim/scenario.h"

enum { MN_EXIT_OK = 0, MN_EXIT_FAILURE = 1, MN_EXIT_BAD_INPUT = 2 };
/* Their line in the help of most commands. */
#define MN_CLI_EXIT_CODES "Exit codes: 0 ok, 1 runtime failure, 2 bad input."

int mn_cli_run(int argc, char **argv);
int mn_cli_schema(int argc, char **argv);
int mn_cli_resume(int argc, char **argv);

/* Test hooks (cli_testhook.c; docs/reliability.md §Killed runs resume to the same bytes), read
 * once by the commands that use them from MNSIM_TEST_KILL_AT_STEP, MNSIM_TEST_KILL_AT_CHECKPOINT
 * and MNSIM_TEST_KILL_AT_PATIENT (0: unset). The process raises SIGKILL right after the N-th
 * accepted time step of the run (before a sample or checkpoint due at that step's end), right
 * after the N-th checkpoint it wrote is committed, or (cohort) right after the N-th patient it
 * simulated is journalled. Counts are this process's: a resumed run counts from where it
 * resumed. */
typedef struct mn_cli_test_hooks {
    long kill_at_step, kill_at_checkpoint, kill_at_patient;
} mn_cli_test_hooks;
/* Returns MN_EXIT_OK, or MN_EXIT_BAD_INPUT (message printed) when a value is not a whole number
 * of 1 or more. */
int mn_cli_test_hooks_read(const char *cmd, mn_cli_test_hooks *out);
/* Prints "mnsim: test hook: SIGKILL after " and the message to stderr and raises SIGKILL; with
 * MNSIM_TEST_KILL_SIGNAL=INT or TERM, that signal instead, through mn_cli_interrupt_say (what
 * an interrupted command says, tested at a chosen point). */
_Noreturn void mn_cli_test_kill(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* What an interrupted command kept (cli_interrupt.c): once armed, SIGINT and SIGTERM print
 * what of the command's work is on disk in dir and how to go on, then end the process by the
 * signal. Not installed for a signal the process was started ignoring. run and resume: the
 * checkpoint (dir/checkpoint.mnck) when checkpoints are on and one exists, else that nothing
 * was kept; call _writing once the outputs are being written. */
void mn_cli_interrupt_arm_run(const char *cmd, const char *dir, int checkpoints, int model_3d);
void mn_cli_interrupt_arm_cohort(const char *dir);
void mn_cli_interrupt_writing(void);
/* What the handler does for sig: the message, then sig with its default action. */
_Noreturn void mn_cli_interrupt_say(int sig);

/* Run options shared by `run` and `resume` (--checkpoint-every DAYS, --vti-days D1,D2,...,
 * --progress auto|plain|none) and the test hooks. */
typedef struct mn_cli_run_extras {
    double checkpoint_every_days;
    double vti_days[64];
    int vti_count;
    const char *progress; /* NULL: auto */
    mn_cli_test_hooks hooks;
} mn_cli_run_extras;
/* The option rows are written as in the commands' tables (clang-format would split them). */
/* clang-format off */
#define MN_CLI_VTI_DAYS_OPTION(x)                                                                  \
    {"vti-days", 0, MN_CLI_DOUBLES, .to.nums = (x)->vti_days, .count = &(x)->vti_count,           \
     .max_count = (int)(sizeof(x)->vti_days / sizeof(x)->vti_days[0]), .min = 0, .max = INFINITY, \
     .flags = MN_CLI_INCREASING, .arg = "D1,D2,...",                                              \
     .help = "3d model: write patch_dayD.vti (ParaView) on these days instead of the default, "   \
             "right after the first session (the last day is always written)"}
#define MN_CLI_PROGRESS_OPTION(x)                                                                  \
    {"progress", 0, MN_CLI_STRING, .to.str = &(x)->progress, .arg = "auto|plain|none",             \
     .help = "progress on stderr: plain prints a line a simulated week; auto (default) a bar on "  \
             "a terminal, else lines for a 3d run (MNSIM_NO_PROGRESS=1 silences all)"}
/* clang-format on */
struct mn_results;
/* Simulates the course of `run` and `resume` (cli_sim.c) with a progress bar, the 3-D
 * pictures and snapshots (with output.images) and checkpoints into output.dir; `resume` 1
 * continues from the checkpoint there. */
int mn_cli_simulate(const mn_scenario *sc, const mn_params *p, const mn_cli_run_extras *x,
                    int resume, struct mn_results **out, mn_error *err);
/* The observer of the kill hooks of a run (cli_testhook.c): steps and checkpoints counted, the
 * checkpoint recognised by the new file mn_atomic_commit renamed into place. Must be the last
 * observer, after the checkpointer. */
struct mn_sim_observer;
typedef struct mn_cli_kill_observer {
    mn_cli_test_hooks hooks;
    long steps, checkpoints;
    char checkpoint[MN_PATH_MAX + 32];
    unsigned long long dev, ino; /* the checkpoint file's identity, 0: none */
} mn_cli_kill_observer;
/* *out: the observer of k's hooks (all callbacks NULL when neither a step nor a checkpoint
 * kill is asked for). */
int mn_cli_kill_observer_of(mn_cli_kill_observer *k, const char *dir, struct mn_sim_observer *out,
                            mn_error *err);
/* The files of a run's directory (cli_written.c): read before the run, then
 * mn_cli_print_written prints "Wrote DIR/: a, b, ..." with every file the run created or
 * replaced there. mn_cli_dir_state_read returns 0, or -1 when out of memory. */
typedef struct mn_cli_dir_state mn_cli_dir_state;
int mn_cli_dir_state_read(const char *dir, mn_cli_dir_state **out);
void mn_cli_dir_state_free(mn_cli_dir_state **s);
void mn_cli_print_written(FILE *out, const char *dir, const mn_cli_dir_state *before);
/* The resource check of run, cohort and sweep (cli_limits.c): MN_EXIT_OK, or
 * MN_EXIT_BAD_INPUT after a message (estimate beyond 60 % of the available memory or the
 * output limit without allow_large; hint says what to change). */
struct mn_estimate;
int mn_cli_check_resources(const char *cmd, const struct mn_estimate *e, const char *dir,
                           const char *hint, int allow_large);
#define MN_CLI_ALLOW_LARGE_OPTION(flag_ptr)                                                        \
    {                                                                                              \
        "allow-large", 0, MN_CLI_FLAG,                                                             \
            .to.flag = (flag_ptr),                                                                 \
            .help = "run even beyond the memory and output limits (docs/reliability.md)"           \
    }
int mn_cli_params(int argc, char **argv);
int mn_cli_measure(int argc, char **argv);
int mn_cli_cohort(int argc, char **argv);
int mn_cli_sweep(int argc, char **argv);
int mn_cli_optimize(int argc, char **argv);
int mn_cli_validate(int argc, char **argv);
int mn_cli_fit(int argc, char **argv);
int mn_cli_calibrate(int argc, char **argv);
int mn_cli_sensitivity(int argc, char **argv);
int mn_cli_serve(int argc, char **argv);

/* Scenario inputs shared by the commands that simulate: FILE, --set (in order), --params, --out;
 * MN_CLI_INPUT_OPTIONS are their rows of a command's option table, MN_CLI_FILE_ARG its
 * positional row. */
typedef struct mn_cli_inputs {
    const char *file;
    const char *params_file;
    const char *out_dir;
    mn_cli_list sets;
    int allow_out_of_range; /* --allow-out-of-range-params */
} mn_cli_inputs;
/* clang-format off */
#define MN_CLI_INPUT_OPTIONS(in)                                                                   \
    {"set", 0, MN_CLI_STRINGS, .to.list = &(in)->sets, .arg = "key.path=value",                    \
     .help = "override one scenario field (e.g. patient.age_years=60); applied in order"},         \
    {"params", 0, MN_CLI_STRING, .to.str = &(in)->params_file, .arg = "FILE",                      \
     .help = "model parameter overrides (YAML name: value)"},                                     \
    {"out", 0, MN_CLI_STRING, .to.str = &(in)->out_dir, .arg = "DIR", .help = "output directory"}, \
    {"allow-out-of-range-params", 0, MN_CLI_FLAG, .to.flag = &(in)->allow_out_of_range,            \
     .help = "run with --params values outside their literature range (listed in results.json)"}
#define MN_CLI_FILE_ARG(in) {"FILE", 0, MN_CLI_STRING, .to.str = &(in)->file}
/* clang-format on */

/* Fills sc and p from the defaults, the file, the --set assignments, --params and --out.
 * Returns MN_EXIT_OK, or MN_EXIT_BAD_INPUT with the message printed. */
int mn_cli_inputs_load(const char *cmd, const mn_cli_inputs *in, mn_scenario *sc, mn_params *p);

/* Refuses parameters read from `path` that lie outside their literature range
 * (mn_params_out_of_range) unless `allow`: prints which and how to allow them and returns
 * MN_EXIT_BAD_INPUT; MN_EXIT_OK otherwise. */
int mn_cli_params_check(const char *cmd, const char *path, const mn_params *p, int allow);

/* Maps a library status to the CLI exit code. */
int mn_cli_exit_code(int status);
/* Launched by mpirun/srun (Open MPI, PMIx or PMI set these)? A plain `mnsim cohort` stays a
 * serial program and never initialises MPI. */
int mn_cli_under_mpi(void);
/* Re-executes the CLI once with OMP_WAIT_POLICY=passive when the user chose no OpenMP wait
 * policy (cli_env.c says when it does not and why it is safe); returns when it does not. */
void mn_cli_prefer_passive_wait(char **argv);
/* Prints "mnsim: <message>" to stderr. */
void mn_cli_report(const mn_error *err);

#endif
