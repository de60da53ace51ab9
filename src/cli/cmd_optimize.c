#include "cli/cli.h"
int mn_cli_optimize(int argc, char **argv)
{
    (void)argc, (void)argv;
    return MN_EXIT_FAILURE;
}
