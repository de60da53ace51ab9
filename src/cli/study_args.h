/* Arguments shared by `mnsim sweep` and `mnsim optimize`: FILE, --set, --params, --out,
 * --patients, --horizon-weeks (cmd_sweep.c). */
#ifndef MN_CLI_STUDY_ARGS_H
#define MN_CLI_STUDY_ARGS_H

#include "mnsim/params.h"
#include "mnsim/scenario.h"

typedef struct mn_cli_study {
    mn_scenario sc;
    mn_params params;
    int patients;
    double horizon_weeks;
    int quiet;
} mn_cli_study;

/* `extra(argv, &i, user)` handles command-specific options: returns 1 when it used argv[i]
 * (advancing i past its value), 0 when unknown, -1 on a bad value (it printed why). Returns
 * -1 (after printing) on bad input, 1 after --help, 0 to go on. */
typedef int (*mn_cli_study_extra)(const char *cmd, int argc, char **argv, int *i, void *user);
int mn_cli_study_parse(const char *cmd, int argc, char **argv, mn_cli_study *st,
                       mn_cli_study_extra extra, void *user, void (*usage)(FILE *));

/* Parses a number for option `opt` within [lo, hi]; prints why and returns -1 when bad. */
int mn_cli_number(const char *cmd, const char *opt, const char *text, double lo, double hi,
                  double *out);

#endif
