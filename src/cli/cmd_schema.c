#include <stdio.h>

#include "cli/cli.h"
#include "mnsim/scenario.h"

int mn_cli_schema(int argc, char **argv)
{
    const mn_cli_option none[] = {{0}};
    const mn_cli_command cmd = {
        "schema",
        .description = "Prints the scenario field reference as Markdown (docs/scenario.md is this "
                       "output).",
        .options = none};
    int ex = mn_cli_parse(&cmd, argc, argv);
    if (ex != MN_CLI_PARSED)
        return ex;
    return mn_scenario_write_reference(stdout) == MN_OK ? MN_EXIT_OK : MN_EXIT_FAILURE;
}
