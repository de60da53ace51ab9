/* The scenario inputs shared by the commands that simulate (run, cohort, sweep, optimize,
 * sensitivity): their option rows are MN_CLI_INPUT_OPTIONS (cli.h), and one loader turns
 * FILE, --set, --params and --out into a scenario, so they behave alike. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int mn_cli_inputs_load(const char *cmd, const mn_cli_inputs *in, mn_scenario *sc, mn_params *p)
{
    mn_error err;
    mn_error_clear(&err);
    mn_scenario_default(sc);
    mn_params_default(p);
    /* The file first, then every --set in the order given, whatever their place on the line. */
    int rc = in->file ? mn_scenario_load_file(sc, in->file, &err) : MN_OK;
    for (int k = 0; !rc && k < in->sets.count; ++k)
        rc = mn_scenario_set(sc, in->sets.items[k], &err);
    if (!rc && in->params_file) {
        rc = mn_params_load_file(p, in->params_file, &err);
        if (!rc && mn_cli_params_check(cmd, in->params_file, p, in->allow_out_of_range))
            return MN_EXIT_BAD_INPUT;
    }
    if (!rc && in->out_dir) {
        if (strlen(in->out_dir) >= sizeof sc->output.dir) {
            fprintf(stderr, "mnsim %s: --out path too long\n", cmd);
            return MN_EXIT_BAD_INPUT;
        }
        snprintf(sc->output.dir, sizeof sc->output.dir, "%s", in->out_dir);
    }
    if (rc) {
        /* Reading the user's input failed (an unreadable file included): bad input, exit 2. */
        mn_cli_report(&err);
        return MN_EXIT_BAD_INPUT;
    }
    return MN_EXIT_OK;
}

int mn_cli_params_check(const char *cmd, const char *path, const mn_params *p, int allow)
{
    const char *names[1];
    size_t n = mn_params_out_of_range(p, names, 1);
    if (n == 0 || allow)
        return MN_EXIT_OK;
    const mn_param_info *info = mn_params_find(names[0]);
    fprintf(stderr,
            "mnsim %s: %s: %s = %g is outside its literature range (%g to %g %s)%s; pass "
            "--allow-out-of-range-params to run with it anyway\n",
            cmd, path, names[0], *mn_params_ref((mn_params *)p, info), info->low, info->high,
            info->unit, n > 1 ? " and so are other parameters" : "");
    return MN_EXIT_BAD_INPUT;
}
