#include <stdio.h>

#include "cli/cli.h"
#include "mnsim/params.h"

int mn_cli_params(int argc, char **argv)
{
    int markdown = 0;
    const mn_cli_option options[] = {
        {"markdown", 0, MN_CLI_FLAG, .to.flag = &markdown, .help = "a Markdown table instead"},
        {0}};
    const mn_cli_command cmd = {
        "params",
        .description = "Prints every model parameter with its default, unit, literature range and "
                       "source: as YAML that\n`mnsim run --params FILE` reads back, or as a "
                       "Markdown table.",
        .options = options};
    int ex = mn_cli_parse(&cmd, argc, argv);
    if (ex != MN_CLI_PARSED)
        return ex;
    if (!markdown) {
        mn_params p;
        mn_params_default(&p);
        return mn_params_write_yaml(&p, stdout) == MN_OK ? MN_EXIT_OK : MN_EXIT_FAILURE;
    }
    printf("| parameter | default | unit | range | source |\n|---|---|---|---|---|\n");
    for (size_t i = 0; i < mn_params_count(); ++i) {
        const mn_param_info *info = mn_params_info(i);
        char v[32], lo[32], hi[32];
        mn_params_format(info->default_value, v, sizeof v);
        mn_params_format(info->low, lo, sizeof lo);
        mn_params_format(info->high, hi, sizeof hi);
        printf("| `%s` | %s | %s | %s to %s | %s |\n", info->name, v, info->unit, lo, hi,
               info->source);
    }
    return MN_EXIT_OK;
}
