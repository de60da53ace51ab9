/* mnsim validate [STUDY.yaml|DIR]... [--params FILE] [--only ID]... [--json]
 *                [--markdown FILE] [--svg FILE] [--threads N] */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/studies_dir.h"
#include "mnsim/io.h"
#include "mnsim/params.h"
#include "mnsim/posterior.h"
#include "mnsim/study.h"

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
    int json = 0, threads = 0, status = MN_EXIT_OK, allow_out_of_range = 0, draws = 0, cross = 0;
    const char *posterior_file = NULL;
    mn_cli_list only = {0}, inputs = {0};
    const mn_cli_option options[] = {
        {"params", 0, MN_CLI_STRING, .to.str = &params_file, .arg = "FILE",
         .help = "model parameter overrides (YAML name: value, as mnsim fit writes)"},
        {"allow-out-of-range-params", 0, MN_CLI_FLAG, .to.flag = &allow_out_of_range,
         .help = "run with --params values outside their literature range (refused otherwise)"},
        {"only", 0, MN_CLI_STRINGS, .to.list = &only, .arg = "ID",
         .help = "evaluate only this endpoint (repeatable)"},
        {"json", 0, MN_CLI_FLAG, .to.flag = &json, .help = "the table as JSON on stdout"},
        {"markdown", 0, MN_CLI_STRING, .to.str = &md, .arg = "FILE",
         .help = "write the validation page (docs/validation.md)"},
        {"svg", 0, MN_CLI_STRING, .to.str = &svg, .arg = "FILE",
         .help = "write simulated courses over the published points"},
        {"draws", 0, MN_CLI_INT, .to.integer = &draws, .min = 2, .max = 100000, .arg = "N",
         .help = "also the 90 % predictive interval of every row from N posterior draws, and "
                 "whether it covers the published band"},
        {"posterior", 0, MN_CLI_STRING, .to.str = &posterior_file, .arg = "FILE",
         .help = "the posterior for --draws (default: the shipped data/posterior.json)"},
        {"cross", 0, MN_CLI_FLAG, .to.flag = &cross,
         .help = "with --draws: leave-one-study-out intervals (importance re-weighting)"},
        {"threads", 0, MN_CLI_INT, .to.integer = &threads, .min = 1, .max = 1024, .arg = "N",
         .help = "runs in parallel (OpenMP; default all cores)"},
        {0}};
    const mn_cli_option args[] = {{"STUDY.yaml|DIR", 0, MN_CLI_STRINGS, .to.list = &inputs}, {0}};
    char description[1024];
    snprintf(description, sizeof description,
             "Simulates every published study (default: %s) and prints, for each reported\n"
             "endpoint, the published value or band, the simulated value and whether it lies\n"
             "within the band. Rows with role `calibrate` are the targets `mnsim fit` used;\n"
             "`holdout` rows were kept out of the fit and are reported as validation.",
             mn_cli_studies_dir());
    const mn_cli_command cmd = {
        "validate", .description = description,
        .epilog = "Exit codes: 0 every calibrated target within its band, 1 a calibrated target\n"
                  "missed (or a runtime failure), 2 bad input.",
        .options = options, .positional = args};
    int ex = mn_cli_parse(&cmd, argc, argv);
    if (ex != MN_CLI_PARSED)
        return ex;
    mn_study_set *set = NULL;
    mn_validation *v = NULL;
    mn_error err;
    mn_error_clear(&err);
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
    if (!rc)
        rc = mn_cli_studies_load(set, &inputs, &err);
    if (rc) {
        mn_cli_report(&err);
        status = MN_EXIT_BAD_INPUT; /* reading the user's files */
        goto done;
    }
    mn_posterior *post = NULL;
    if ((cross || posterior_file) && !draws) {
        fprintf(stderr, "mnsim validate: --%s needs --draws N\n", cross ? "cross" : "posterior");
        status = MN_EXIT_BAD_INPUT;
        goto done;
    }
    if (draws &&
        mn_posterior_read(posterior_file ? posterior_file : mn_cli_posterior_file(), &post, &err)) {
        mn_cli_report(&err);
        status = MN_EXIT_BAD_INPUT;
        goto done;
    }
    mn_validate_options opt = {
        .only = only.count ? only.items : NULL, .only_count = only.count, .threads = threads};
    rc = mn_validate(set, &params, &opt, &v, &err);
    if (!rc && post) {
        const mn_predictive_options po = {
            .post = post, .draws = draws, .cross = cross, .verbose = !json};
        rc = mn_validation_predict(v, set, &params, &opt, &po, &err);
    }
    mn_posterior_free(&post);
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
    mn_cli_free(&cmd);
    return status;
}
