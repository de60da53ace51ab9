/* mnsim measure [options] FILE [AFTER]: surface texture and wrinkles of height maps/photos. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "mnsim/measure.h"

static void measure_usage(FILE *out)
{
    fprintf(out,
            "usage: mnsim measure [options] FILE [AFTER]\n\n"
            "Measures ISO 25178 surface texture and wrinkles of a height map or photo; with two\n"
            "files (same field of view) prints before, after, change and percent change.\n\n"
            "inputs (by content): Gwyddion .gsf; CSV/whitespace matrix (heights in um);\n"
            "  16-bit grey PNG height map; PNG or JPEG photo (colour -> luminance)\n"
            "  --pixel-um X       pixel size (required for CSV, PNG, JPEG; overrides .gsf)\n"
            "  --z-scale-um X     height per PNG count (required for PNG height maps);\n"
            "                     CSV values are multiplied by it (default 1: micrometres)\n"
            "  --photo, --height  read as a photo / as a height map instead of guessing\n"
            "texture:\n"
            "  --form none|plane|poly2   form removal (default plane)\n"
            "  --filter gaussian|none    S- and L-filters on or off (default gaussian)\n"
            "  --lambda-s-um X      S-filter nesting index (default 2.5; 0 = off)\n"
            "  --lambda-c-mm X      L-filter cut-off (default 0.8; 0 = off)\n"
            "  --profile-row N      row for Ra, Rq, Rz (default: middle row)\n"
            "wrinkles:\n"
            "  --no-wrinkles        skip wrinkle detection\n"
            "  --sigma-um MIN,MAX   Hessian scales (default 1.5 to 6 pixels)\n"
            "  --scales N           number of scales (default 4)\n"
            "  --threshold X        vesselness threshold in (0,1) (default: Otsu)\n"
            "  --min-length-um X    shortest wrinkle counted (default 10 pixels)\n"
            "  --mask-out FILE.png  write the wrinkle mask (255 = wrinkle; of AFTER with two)\n"
            "  --overlay-out FILE.png  write the input with wrinkles drawn in red\n"
            "output:\n"
            "  --json               one JSON object instead of the text table\n"
            "  -h, --help           this help\n\n"
            "Exit status: 0 success, 1 failure, 2 bad arguments or malformed file.\n"
            "docs/measure.md defines every parameter and setting.\n");
}

static int bad(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "mnsim: measure: ");
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\n(see mnsim measure --help)\n");
    return MN_EXIT_BAD_INPUT;
}

static int parse_num(const char *opt, const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < 0) {
        bad("%s: '%s' is not a non-negative number", opt, s);
        return -1;
    }
    *out = v;
    return 0;
}

typedef struct cli_opts {
    mn_measure_read_opts read;
    mn_measure_settings set;
    const char *files[2];
    int nfiles, json;
    const char *mask_out, *overlay_out;
} cli_opts;

/* Returns -1 to continue, or an exit code. */
static int parse_args(int argc, char **argv, cli_opts *o)
{
    for (int i = 1; i < argc; ++i) {
        char *arg = argv[i], *val = NULL, name[64];
        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            measure_usage(stdout);
            return MN_EXIT_OK;
        }
        if (strncmp(arg, "--", 2) || !arg[2]) {
            if (!strcmp(arg, "--") && i + 1 < argc)
                arg = argv[++i];
            else if (arg[0] == '-' && arg[1])
                return bad("unknown option '%s'%s", arg, "");
            if (o->nfiles == 2)
                return bad("too many files ('%s'); give FILE [AFTER]%s", arg, "");
            o->files[o->nfiles++] = arg;
            continue;
        }
        snprintf(name, sizeof name, "%s", arg);
        char *eq = strchr(name, '=');
        if (eq) {
            *eq = '\0';
            val = arg + (eq - name) + 1;
        }
        static const char *flags[] = {"--json", "--photo", "--height", "--no-wrinkles"};
        int is_flag = 0;
        for (size_t k = 0; k < sizeof flags / sizeof flags[0]; ++k)
            is_flag |= !strcmp(name, flags[k]);
        if (is_flag) {
            if (val)
                return bad("%s takes no value%s", name, "");
            if (!strcmp(name, "--json"))
                o->json = 1;
            else if (!strcmp(name, "--photo"))
                o->read.as = MN_MEASURE_AS_PHOTO;
            else if (!strcmp(name, "--height"))
                o->read.as = MN_MEASURE_AS_HEIGHT;
            else
                o->set.wrinkles = 0;
            continue;
        }
        if (!val) {
            if (i + 1 >= argc)
                return bad("%s needs a value%s", name, "");
            val = argv[++i];
        }
        double d;
        if (!strcmp(name, "--pixel-um") || !strcmp(name, "--z-scale-um")) {
            if (parse_num(name, val, &d))
                return MN_EXIT_BAD_INPUT;
            if (!(d > 0))
                return bad("%s must be positive, not '%s'", name, val);
            *(name[2] == 'p' ? &o->read.pixel_um : &o->read.z_scale_um) = d;
        } else if (!strcmp(name, "--form")) {
            int f = mn_form_parse(val);
            if (f < 0)
                return bad("--form: '%s' is not none, plane or poly2%s", val, "");
            o->set.form = (mn_form)f;
        } else if (!strcmp(name, "--filter")) {
            if (strcmp(val, "none") && strcmp(val, "gaussian"))
                return bad("--filter: '%s' is not gaussian or none%s", val, "");
            o->set.filter = !strcmp(val, "gaussian");
        } else if (!strcmp(name, "--lambda-s-um")) {
            if (parse_num(name, val, &o->set.lambda_s_um))
                return MN_EXIT_BAD_INPUT;
        } else if (!strcmp(name, "--lambda-c-mm")) {
            if (parse_num(name, val, &o->set.lambda_c_mm))
                return MN_EXIT_BAD_INPUT;
        } else if (!strcmp(name, "--profile-row")) {
            if (parse_num(name, val, &d) || d != floor(d) || d > 1e6)
                return bad("--profile-row: '%s' is not a row number%s", val, "");
            o->set.profile_row = (long)d;
        } else if (!strcmp(name, "--sigma-um")) {
            char *end;
            o->set.sigma_min_um = strtod(val, &end);
            if (*end != ',' || !(o->set.sigma_min_um > 0))
                return bad("--sigma-um: '%s' is not MIN,MAX in micrometres%s", val, "");
            if (parse_num(name, end + 1, &o->set.sigma_max_um))
                return MN_EXIT_BAD_INPUT;
        } else if (!strcmp(name, "--scales")) {
            if (parse_num(name, val, &d) || d != floor(d) || d < 1 || d > MN_MEASURE_MAX_SCALES)
                return bad("--scales: '%s' is not a count from 1 to 8%s", val, "");
            o->set.n_scales = (int)d;
        } else if (!strcmp(name, "--threshold")) {
            if (parse_num(name, val, &o->set.threshold))
                return MN_EXIT_BAD_INPUT;
        } else if (!strcmp(name, "--min-length-um")) {
            if (parse_num(name, val, &o->set.min_length_um))
                return MN_EXIT_BAD_INPUT;
        } else if (!strcmp(name, "--mask-out")) {
            o->mask_out = val;
        } else if (!strcmp(name, "--overlay-out")) {
            o->overlay_out = val;
        } else {
            return bad("unknown option '%s'%s", name, "");
        }
    }
    if (o->nfiles == 0) {
        measure_usage(stderr);
        return MN_EXIT_BAD_INPUT;
    }
    if ((o->mask_out || o->overlay_out) && !o->set.wrinkles)
        return bad("--mask-out/--overlay-out need wrinkle detection (drop --no-wrinkles)%s%s", "",
                   "");
    return -1;
}

static int fail(const mn_error *err, int rc)
{
    mn_cli_report(err);
    return mn_cli_exit_code(rc);
}

int mn_cli_measure(int argc, char **argv)
{
    cli_opts o;
    memset(&o, 0, sizeof o);
    mn_measure_settings_default(&o.set);
    int ex = parse_args(argc, argv, &o);
    if (ex >= 0)
        return ex;
    mn_error err;
    mn_error_clear(&err);
    int rc = mn_measure_settings_check(&o.set, &err);
    if (rc) {
        fprintf(stderr, "mnsim: measure: %s\n", err.message);
        return MN_EXIT_BAD_INPUT;
    }
    mn_field *field[2] = {NULL, NULL};
    mn_measure_result res[2];
    unsigned char *mask = NULL;
    int bad_input = 0; /* an input that cannot be read is bad input (exit 2), as for run */
    for (int k = 0; k < o.nfiles && !rc; ++k) {
        rc = mn_measure_read(o.files[k], &o.read, &field[k], &err);
        bad_input = rc != 0;
        if (!rc && k == 1 &&
            (mn_field_xres(field[0]) != mn_field_xres(field[1]) ||
             mn_field_yres(field[0]) != mn_field_yres(field[1])))
            rc = mn_error_set(&err, MN_EFORMAT,
                              "%s: %zu x %zu pixels, but %s has %zu x %zu (same field of view "
                              "and grid needed; no registration yet)",
                              o.files[1], mn_field_xres(field[1]), mn_field_yres(field[1]),
                              o.files[0], mn_field_xres(field[0]), mn_field_yres(field[0]));
        if (!rc) {
            free(mask); /* keep the mask of the last file */
            mask = NULL;
            rc = mn_measure_field(field[k], o.files[k], &o.set, &res[k],
                                  o.mask_out || o.overlay_out ? &mask : NULL, &err);
        }
    }
    if (!rc)
        rc = o.json
                 ? mn_measure_report_json(stdout, &o.set, &res[0], o.nfiles > 1 ? &res[1] : NULL,
                                          &err)
                 : mn_measure_report_text(stdout, &o.set, &res[0], o.nfiles > 1 ? &res[1] : NULL);
    if (rc && !err.message[0])
        mn_error_set(&err, rc, "cannot write the report");
    mn_field *last = field[o.nfiles - 1];
    if (!rc && o.mask_out)
        rc = mn_measure_write_mask_png(mask, mn_field_xres(last), mn_field_yres(last), o.mask_out,
                                       &err);
    if (!rc && o.overlay_out) {
        mn_field *shown = NULL;
        rc = mn_field_copy(last, &shown, &err);
        if (!rc && mn_field_get_kind(shown) == MN_FIELD_HEIGHT)
            rc = mn_measure_remove_form(shown, o.set.form, &err);
        if (!rc)
            rc = mn_measure_write_overlay_png(shown, mask, o.overlay_out, &err);
        mn_field_free(&shown);
    }
    free(mask);
    mn_field_free(&field[0]);
    mn_field_free(&field[1]);
    if (rc && bad_input) {
        mn_cli_report(&err);
        return MN_EXIT_BAD_INPUT;
    }
    if (rc)
        return fail(&err, rc);
    return MN_EXIT_OK;
}
