#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "mnsim/scenario.h"

int mn_cli_run(int argc, char **argv)
{
    mn_scenario sc;
    mn_error err;
    mn_error_clear(&err);
    mn_scenario_default(&sc);
    int rc = MN_OK;
    if (argc > 1 && argv[1][0] != '-')
        rc = mn_scenario_load_file(&sc, argv[1], &err);
    if (rc) {
        mn_cli_report(&err);
        return mn_cli_exit_code(rc);
    }
    mn_scenario_write_yaml(&sc, stdout);
    return 0;
}
