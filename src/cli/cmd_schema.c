#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "mnsim/scenario.h"

int mn_cli_schema(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: mnsim schema\n\nPrints the scenario field reference as Markdown "
               "(docs/scenario.md is this output).\n");
        return MN_EXIT_OK;
    }
    if (argc > 1) {
        fprintf(stderr, "mnsim schema: unexpected argument '%s'\n", argv[1]);
        return MN_EXIT_BAD_INPUT;
    }
    return mn_scenario_write_reference(stdout) == MN_OK ? MN_EXIT_OK : MN_EXIT_FAILURE;
}
