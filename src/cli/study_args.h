/* Arguments shared by `mnsim sweep` and `mnsim optimize`: the scenario inputs (cli.h), the
 * number of virtual patients and the horizon; MN_CLI_STUDY_OPTIONS are the rows of the last
 * two in a command's option table. */
#ifndef MN_CLI_STUDY_ARGS_H
#define MN_CLI_STUDY_ARGS_H

#include "cli/cli.h"
#include "mnsim/params.h"
#include "mnsim/scenario.h"

typedef struct mn_cli_study {
    mn_cli_inputs in;
    mn_scenario sc;
    mn_params params;
    int patients;
    double horizon_weeks; /* 0: the scenario's end */
    int quiet;
} mn_cli_study;

/* clang-format off */
#define MN_CLI_STUDY_OPTIONS(st)                                                                   \
    {"patients", 0, MN_CLI_INT, .to.integer = &(st)->patients, .min = 2, .max = 1e6, .arg = "N",  \
     .help = "virtual patients of the scenario's cohort"},                                        \
    {"horizon-weeks", 0, MN_CLI_DOUBLE, .to.num = &(st)->horizon_weeks, .min = 0.1, .max = 1040,  \
     .arg = "W", .help = "weeks after the first session at which outcomes are scored (default: "  \
     "the scenario's end)"}
/* clang-format on */

/* Parses the command line of cmd and loads the scenario into st: MN_CLI_PARSED to go on (the
 * caller then frees cmd's lists with mn_cli_free), or the exit code (cmd_sweep.c). */
int mn_cli_study_parse(const mn_cli_command *cmd, int argc, char **argv, mn_cli_study *st);

#endif
