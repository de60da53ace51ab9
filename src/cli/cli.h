/* Subcommands of the mnsim CLI. Each parses its own arguments and calls the library.
 * Exit codes: 0 success, 1 runtime failure, 2 bad input (usage, scenario, malformed file). */
#ifndef MN_CLI_H
#define MN_CLI_H

#include "mnsim/error.h"
#include "mnsim/params.h"
#include "mnsim/scenario.h"

enum { MN_EXIT_OK = 0, MN_EXIT_FAILURE = 1, MN_EXIT_BAD_INPUT = 2 };

int mn_cli_run(int argc, char **argv);
int mn_cli_schema(int argc, char **argv);
int mn_cli_resume(int argc, char **argv);

/* Run options shared by `run` and `resume` (cmd_resume.c): --checkpoint-every DAYS and
 * --vti-days D1,D2,... Returns 1 when argv[*i] is one of them (its value parsed into *o and
 * *i advanced past it), 0 when not; on a missing or bad value prints why and sets *i to −1. */
typedef struct mn_cli_run_extras {
    double checkpoint_every_days;
    double vti_days[64];
    int vti_count;
} mn_cli_run_extras;
int mn_cli_run_extra_option(const char *cmd, int argc, char **argv, int *i, mn_cli_run_extras *o);
struct mn_results;
/* Simulates the course of `run` and `resume` (cli_sim.c) with a progress bar, the 3-D
 * pictures and snapshots (with output.images) and checkpoints into output.dir; `resume` 1
 * continues from the checkpoint there. */
int mn_cli_simulate(const mn_scenario *sc, const mn_params *p, const mn_cli_run_extras *x,
                    int resume, struct mn_results **out, mn_error *err);
int mn_cli_params(int argc, char **argv);
int mn_cli_measure(int argc, char **argv);
int mn_cli_cohort(int argc, char **argv);
int mn_cli_sweep(int argc, char **argv);
int mn_cli_optimize(int argc, char **argv);
int mn_cli_validate(int argc, char **argv);
int mn_cli_fit(int argc, char **argv);
int mn_cli_sensitivity(int argc, char **argv);

/* Scenario inputs shared by the commands that simulate: FILE, --set (in order), --params, --out. */
#define MN_CLI_MAX_SETS 256
typedef struct mn_cli_inputs {
    const char *file;
    const char *params_file;
    const char *out_dir;
    const char *sets[MN_CLI_MAX_SETS];
    int nsets;
    int allow_out_of_range; /* --allow-out-of-range-params */
} mn_cli_inputs;

/* Takes --set, --params, --out or --allow-out-of-range-params at argv[*i] (advancing *i past its value): 1 if taken, 0 if
 * argv[*i] is another option, -1 on error (message printed). */
int mn_cli_inputs_option(const char *cmd, int argc, char **argv, int *i, mn_cli_inputs *in);
/* Fills sc and p from the defaults, the file, the --set assignments, --params and --out.
 * Returns MN_EXIT_OK, or MN_EXIT_BAD_INPUT with the message printed. */
int mn_cli_inputs_load(const char *cmd, const mn_cli_inputs *in, mn_scenario *sc, mn_params *p);

/* Refuses parameters read from `path` that lie outside their literature range
 * (mn_params_out_of_range) unless `allow`: prints which and how to allow them and returns
 * MN_EXIT_BAD_INPUT; MN_EXIT_OK otherwise. */
int mn_cli_params_check(const char *cmd, const char *path, const mn_params *p, int allow);

/* Maps a library status to the CLI exit code. */
int mn_cli_exit_code(int status);
/* Prints "mnsim: <message>" to stderr. */
void mn_cli_report(const mn_error *err);

#endif
