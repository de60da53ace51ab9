/* mnsim validate [STUDY.yaml|DIR]... [--params FILE] [--only ID]... [--json]
 *                [--markdown FILE] [--svg FILE] [--threads N] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/study_args.h"
#include "mnsim/io.h"
#include "mnsim/params.h"
#include "mnsim/study.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mnsim validate [STUDY.yaml|DIR]... [--params FILE] [--only ID]... [--json]\n"
            "                      [--markdown FILE] [--svg FILE] [--threads N]\n\n"
            "Simulates every published study (default: %s) and prints, for each reported\n"
            "endpoint, the published value or band, the simulated value and whether it lies\n"
            "within the band. Rows with role `calibrate` are the targets `mnsim fit` used;\n"
            "`holdout` rows were kept out of the fit and are reported as validation.\n\n"
            "  --params FILE    model parameter overrides (YAML name: value, as mnsim fit writes)\n"
            "  --allow-out-of-range-params  run with --params values outside their literature\n"
            "                   range (refused otherwise)\n"
            "  --only ID        evaluate only this endpoint (repeatable)\n"
            "  --json           the table as JSON on stdout\n"
            "  --markdown FILE  write the validation page (docs/validation.md)\n"
            "  --svg FILE       write simulated courses over the published points\n"
            "  --threads N      runs in parallel (OpenMP; default all cores)\n\n"
            "Exit codes: 0 every calibrated target within its band, 1 a calibrated target\n"
            "missed (or a runtime failure), 2 bad input.\n",
            mn_study_default_dir());
}

static int write_with(const char *path, int (*fn)(const mn_validation *, FILE *),
                      const mn_validation *v, mn_error *err)
{
    mn_atomic_file *f = NULL;
    int rc = mn_atomic_open(path, &f, err);
    if (rc)
        return rc;
    if (fn(v, mn_atomic_stream(f))) {
        mn_atomic_abort(&f);
        return mn_error_set(err, MN_EIO, "%s: write failed", path);
    }
    return mn_atomic_commit(&f, err);
}

static const char *svg_name_for_md;
static int write_md(const mn_validation *v, FILE *out)
{
    return mn_validation_write_markdown(v, svg_name_for_md, out);
}

int mn_cli_validate(int argc, char **argv)
{
    const char *params_file = NULL, *md = NULL, *svg = NULL;
    int json = 0, allow_out_of_range = 0;
    double threads = 0;
    const char **only = calloc((size_t)argc + 1, sizeof *only);
    const char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    int n_only = 0, n_inputs = 0, status = MN_EXIT_OK;
    mn_study_set *set = NULL;
    mn_validation *v = NULL;
    mn_error err;
    mn_error_clear(&err);
    if (!only || !inputs) {
        fprintf(stderr, "mnsim validate: out of memory\n");
        status = MN_EXIT_FAILURE;
        goto done;
    }
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            goto done;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--allow-out-of-range-params")) {
            allow_out_of_range = 1;
        } else if (!strcmp(a, "--params") || !strcmp(a, "--only") || !strcmp(a, "--markdown") ||
                   !strcmp(a, "--svg") || !strcmp(a, "--threads")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "mnsim validate: %s needs a value\n", a);
                status = MN_EXIT_BAD_INPUT;
                goto done;
            }
            const char *val = argv[++i];
            if (!strcmp(a, "--params"))
                params_file = val;
            else if (!strcmp(a, "--only"))
                only[n_only++] = val;
            else if (!strcmp(a, "--markdown"))
                md = val;
            else if (!strcmp(a, "--svg"))
                svg = val;
            else if (mn_cli_number("validate", a, val, 1, 1024, &threads)) {
                status = MN_EXIT_BAD_INPUT;
                goto done;
            }
        } else if (a[0] == '-') {
            fprintf(stderr, "mnsim validate: unknown option '%s' (see mnsim validate --help)\n", a);
            status = MN_EXIT_BAD_INPUT;
            goto done;
        } else {
            inputs[n_inputs++] = a;
        }
    }
    mn_params params;
    mn_params_default(&params);
    int rc = mn_study_set_create(&set, &err);
    if (!rc && params_file)
        rc = mn_params_load_file(&params, params_file, &err);
    if (!rc && params_file &&
        mn_cli_params_check("validate", params_file, &params, allow_out_of_range)) {
        status = MN_EXIT_BAD_INPUT;
        goto done;
    }
    if (!rc && n_inputs == 0)
        rc = mn_study_set_add_dir(set, mn_study_default_dir(), &err);
    for (int i = 0; !rc && i < n_inputs; ++i) {
        struct stat sb;
        if (stat(inputs[i], &sb) == 0 && S_ISDIR(sb.st_mode))
            rc = mn_study_set_add_dir(set, inputs[i], &err);
        else
            rc = mn_study_set_add_file(set, inputs[i], &err);
    }
    if (rc) {
        mn_cli_report(&err);
        status = MN_EXIT_BAD_INPUT; /* reading the user's files */
        goto done;
    }
    mn_validate_options opt = {
        .only = n_only ? only : NULL, .only_count = n_only, .threads = (int)threads};
    rc = mn_validate(set, &params, &opt, &v, &err);
    if (!rc && md) {
        /* The page links the SVG by its name beside it. */
        const char *slash = svg ? strrchr(svg, '/') : NULL;
        svg_name_for_md = svg ? (slash ? slash + 1 : svg) : NULL;
        rc = write_with(md, write_md, v, &err);
    }
    if (!rc && svg)
        rc = write_with(svg, mn_validation_write_svg, v, &err);
    if (rc) {
        mn_cli_report(&err);
        status = mn_cli_exit_code(rc);
        goto done;
    }
    if (json)
        mn_validation_write_json(v, stdout);
    else
        mn_validation_print(v, stdout);
    if (mn_validation_failures(v) > 0) {
        fprintf(stderr, "mnsim validate: %d calibrated target(s) outside their band\n",
                mn_validation_failures(v));
        status = MN_EXIT_FAILURE;
    }
done:
    mn_validation_free(&v);
    mn_study_set_free(&set);
    free(only);
    free(inputs);
    return status;
}
