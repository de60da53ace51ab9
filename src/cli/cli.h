/* Subcommands of the mnsim CLI. Each parses its own arguments and calls the library.
 * Exit codes: 0 success, 1 runtime failure, 2 bad input (usage, scenario, malformed file). */
#ifndef MN_CLI_H
#define MN_CLI_H

#include "mnsim/error.h"

enum { MN_EXIT_OK = 0, MN_EXIT_FAILURE = 1, MN_EXIT_BAD_INPUT = 2 };

int mn_cli_run(int argc, char **argv);
int mn_cli_schema(int argc, char **argv);
int mn_cli_params(int argc, char **argv);
int mn_cli_measure(int argc, char **argv);
int mn_cli_cohort(int argc, char **argv);
int mn_cli_sweep(int argc, char **argv);
int mn_cli_optimize(int argc, char **argv);

/* Maps a library status to the CLI exit code. */
int mn_cli_exit_code(int status);
/* Prints "mnsim: <message>" to stderr. */
void mn_cli_report(const mn_error *err);

#endif
