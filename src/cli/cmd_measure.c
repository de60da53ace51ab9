/* mnsim measure [options] FILE [AFTER]: surface texture and wrinkles of height maps/photos, and
 * the tone (colour, ITA, melanin/erythema indices, spots) of photos. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "mnsim/measure.h"

static int bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bad(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "mnsim measure: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see mnsim measure --help)\n");
    va_end(ap);
    return MN_EXIT_BAD_INPUT;
}

typedef struct cli_opts {
    mn_measure_read_opts read;
    mn_measure_settings set;
    const char *files[2];
    const char *channel; /* --channel: a .gwy channel's number or title */
    int nfiles, json;
    const char *mask_out, *overlay_out;
    mn_tone_options tone;
    int no_tone;
    const char *spots_mask_out;
} cli_opts;

/* Fills o from the command line: MN_CLI_PARSED to go on, or the exit code. */
static int parse_args(int argc, char **argv, cli_opts *o)
{
    const char *form = NULL, *filter = NULL, *gradient = NULL;
    int photo = 0, height = 0, no_wrinkles = 0, profile_row = -1, nsigma = 0;
    double sigma[2];
    const double inf = INFINITY;
    const mn_cli_option options[] = {
        {.kind = MN_CLI_SECTION,
         .help = "inputs (by content): Gwyddion .gsf or .gwy; ISO 25178-71 .sdf (binary or\n"
                 "  ASCII); CSV/whitespace matrix (heights in um);\n"
                 "  16-bit grey PNG height map; PNG or JPEG photo (luminance; colour for tone)"},
        {"pixel-um", 0, MN_CLI_DOUBLE, .to.num = &o->read.pixel_um, .min = 0, .max = inf,
         .flags = MN_CLI_ABOVE_MIN, .arg = "X",
         .help = "pixel size (required for CSV, PNG, JPEG; overrides .gsf, .gwy, .sdf)"},
        {"z-scale-um", 0, MN_CLI_DOUBLE, .to.num = &o->read.z_scale_um, .min = 0, .max = inf,
         .flags = MN_CLI_ABOVE_MIN, .arg = "X",
         .help = "height per PNG count (required for PNG height maps); CSV values are "
                 "multiplied by it (default 1: micrometres)"},
        {"photo", 0, MN_CLI_FLAG, .to.flag = &photo, .help = "read as a photo instead of guessing"},
        {"height", 0, MN_CLI_FLAG, .to.flag = &height,
         .help = "read as a height map instead of guessing"},
        {"channel", 0, MN_CLI_STRING, .to.str = &o->channel, .arg = "N|NAME",
         .help = "channel of a .gwy file: its number or title (default: the first)"},
        {.kind = MN_CLI_SECTION, .help = "texture:"},
        {"form", 0, MN_CLI_STRING, .to.str = &form, .arg = "none|plane|poly2",
         .help = "form removal (default plane)"},
        {"filter", 0, MN_CLI_STRING, .to.str = &filter, .arg = "gaussian|none",
         .help = "S- and L-filters on or off (default gaussian)"},
        {"lambda-s-um", 0, MN_CLI_DOUBLE, .to.num = &o->set.lambda_s_um, .min = 0, .max = inf,
         .arg = "X", .help = "S-filter nesting index (default 2.5; 0 = off)"},
        {"lambda-c-mm", 0, MN_CLI_DOUBLE, .to.num = &o->set.lambda_c_mm, .min = 0, .max = inf,
         .arg = "X", .help = "L-filter cut-off (default 0.8; 0 = off)"},
        {"gradient", 0, MN_CLI_STRING, .to.str = &gradient, .arg = "gwyddion|cell",
         .help = "Sdq and Sdr discretisation: Gwyddion's (default) or 2 x 2 cell gradients"},
        {"profile-row", 0, MN_CLI_INT, .to.integer = &profile_row, .min = 0, .max = 1e6, .arg = "N",
         .help = "row for Ra, Rq, Rz (default: middle row)"},
        {.kind = MN_CLI_SECTION, .help = "wrinkles:"},
        {"no-wrinkles", 0, MN_CLI_FLAG, .to.flag = &no_wrinkles, .help = "skip wrinkle detection"},
        {"sigma-um", 0, MN_CLI_DOUBLES, .to.nums = sigma, .count = &nsigma, .max_count = 2,
         .min = 0, .max = inf, .arg = "MIN,MAX",
         .help = "Hessian scales (default 1.5 to 6 pixels)"},
        {"scales", 0, MN_CLI_INT, .to.integer = &o->set.n_scales, .min = 1,
         .max = MN_MEASURE_MAX_SCALES, .arg = "N", .help = "number of scales (default 4)"},
        {"threshold", 0, MN_CLI_DOUBLE, .to.num = &o->set.threshold, .min = 0, .max = inf,
         .arg = "X", .help = "vesselness threshold in (0,1) (default: Otsu)"},
        {"min-length-um", 0, MN_CLI_DOUBLE, .to.num = &o->set.min_length_um, .min = 0, .max = inf,
         .arg = "X", .help = "shortest wrinkle counted (default 10 pixels)"},
        {"noise-floor", 0, MN_CLI_DOUBLE, .to.num = &o->set.noise_floor, .min = 0, .max = 100,
         .arg = "K",
         .help = "curvature across a wrinkle must exceed K noise SDs at its scale "
                 "(default 5; 0 = off)"},
        {"mask-out", 0, MN_CLI_STRING, .to.str = &o->mask_out, .arg = "FILE.png",
         .help = "write the wrinkle mask (255 = wrinkle; of AFTER with two)"},
        {"overlay-out", 0, MN_CLI_STRING, .to.str = &o->overlay_out, .arg = "FILE.png",
         .help = "write the input with wrinkles drawn in red"},
        {.kind = MN_CLI_SECTION, .help = "tone (photos):"},
        {"no-tone", 0, MN_CLI_FLAG, .to.flag = &o->no_tone,
         .help = "skip colour, ITA, melanin/erythema indices and spots"},
        {"spot-delta-mi", 0, MN_CLI_DOUBLE, .to.num = &o->tone.spot_delta_mi, .min = 0, .max = 1000,
         .flags = MN_CLI_ABOVE_MIN, .arg = "X",
         .help = "a spot's melanin index exceeds the median by more than X (default 4)"},
        {"spot-min-area-um2", 0, MN_CLI_DOUBLE, .to.num = &o->tone.spot_min_area_um2, .min = 0,
         .max = inf, .arg = "A", .help = "smallest spot counted (default 9 pixels)"},
        {"spots-mask-out", 0, MN_CLI_STRING, .to.str = &o->spots_mask_out, .arg = "FILE.png",
         .help = "write the spot mask (255 = spot; of AFTER with two)"},
        {.kind = MN_CLI_SECTION, .help = "output:"},
        {"json", 0, MN_CLI_FLAG, .to.flag = &o->json,
         .help = "one JSON object instead of the text table"},
        {0}};
    const mn_cli_option args[] = {
        {"FILE", 0, MN_CLI_STRING, .to.str = &o->files[0], .flags = MN_CLI_REQUIRED},
        {"AFTER", 0, MN_CLI_STRING, .to.str = &o->files[1]},
        {0}};
    const mn_cli_command cmd = {
        "measure",
        .synopsis = "[options] FILE [AFTER]",
        .description =
            "Measures ISO 25178 surface texture and wrinkles of a height map or photo, and the\n"
            "tone of a photo; with two files (same field of view) prints before, after, change\n"
            "and percent change.",
        .epilog = "Exit status: 0 success, 1 failure, 2 bad arguments or malformed file.\n"
                  "docs/measure.md defines every parameter and setting.",
        .options = options,
        .positional = args};
    int ex = mn_cli_parse(&cmd, argc, argv);
    if (ex != MN_CLI_PARSED)
        return ex;
    o->nfiles = o->files[1] ? 2 : 1;
    /* What the table cannot say: names of settings, pairs, and options that exclude others. */
    int f = form ? mn_form_parse(form) : (int)o->set.form;
    if (f < 0)
        return bad("--form: '%s' is not none, plane or poly2", form);
    o->set.form = (mn_form)f;
    int g = gradient ? mn_gradient_parse(gradient) : (int)o->set.gradient;
    if (g < 0)
        return bad("--gradient: '%s' is not gwyddion or cell", gradient);
    o->set.gradient = (mn_gradient)g;
    if (filter && strcmp(filter, "none") && strcmp(filter, "gaussian"))
        return bad("--filter: '%s' is not gaussian or none", filter);
    if (filter)
        o->set.filter = !strcmp(filter, "gaussian");
    if (nsigma == 1 || (nsigma == 2 && !(sigma[0] > 0)))
        return bad("--sigma-um: expected MIN,MAX in micrometres, MIN above 0");
    if (nsigma == 2) {
        o->set.sigma_min_um = sigma[0];
        o->set.sigma_max_um = sigma[1];
    }
    if (profile_row >= 0)
        o->set.profile_row = profile_row;
    if (photo && height)
        return bad("--photo and --height exclude each other");
    if (photo || height)
        o->read.as = photo ? MN_MEASURE_AS_PHOTO : MN_MEASURE_AS_HEIGHT;
    if (no_wrinkles)
        o->set.wrinkles = 0;
    if ((o->mask_out || o->overlay_out) && !o->set.wrinkles)
        return bad("--mask-out/--overlay-out need wrinkle detection (drop --no-wrinkles)");
    if (o->spots_mask_out && o->no_tone)
        return bad("--spots-mask-out needs the tone (drop --no-tone)");
    return MN_CLI_PARSED;
}

static int fail(const mn_error *err, int rc)
{
    mn_cli_report(err);
    return mn_cli_exit_code(rc);
}

/* The tone of the photo in data (already read as a field) into r; *spots keeps the spot mask
 * of the last photo when --spots-mask-out asks for it. A colour decode that fails is bad input. */
static int measure_tone(const unsigned char *data, size_t size, const char *name, const cli_opts *o,
                        mn_measure_result *r, unsigned char **spots, int *bad_input, mn_error *err)
{
    mn_rgb_image *img = NULL;
    int rc = mn_measure_read_rgb_memory(data, size, name, &o->read, &img, err);
    *bad_input = rc != 0;
    free(*spots);
    *spots = NULL;
    if (!rc)
        rc = mn_measure_tone(img, &o->tone, &r->tone, o->spots_mask_out ? spots : NULL, err);
    r->have_tone = !rc;
    mn_measure_rgb_free(&img);
    return rc;
}

int mn_cli_measure(int argc, char **argv)
{
    cli_opts o;
    memset(&o, 0, sizeof o);
    mn_measure_settings_default(&o.set);
    mn_tone_options_default(&o.tone);
    int ex = parse_args(argc, argv, &o);
    if (ex != MN_CLI_PARSED)
        return ex;
    mn_error err;
    mn_error_clear(&err);
    int rc = mn_measure_settings_check(&o.set, &err);
    if (!rc)
        rc = mn_tone_options_check(&o.tone, &err);
    if (rc) {
        fprintf(stderr, "mnsim: measure: %s\n", err.message);
        return MN_EXIT_BAD_INPUT;
    }
    mn_field *field[2] = {NULL, NULL};
    mn_measure_result res[2];
    unsigned char *mask = NULL, *spots = NULL;
    int bad_input = 0; /* an input that cannot be read is bad input (exit 2), as for run */
    for (int k = 0; k < o.nfiles && !rc; ++k) {
        unsigned char *data = NULL;
        size_t size = 0;
        rc = mn_field_read_file(o.files[k], &data, &size, &err);
        if (!rc)
            rc = mn_measure_read_channel_memory(data, size, o.files[k], &o.read, o.channel,
                                                &field[k], &err);
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
        if (!rc && !o.no_tone && mn_field_get_kind(field[k]) == MN_FIELD_INTENSITY)
            rc = measure_tone(data, size, o.files[k], &o, &res[k], &spots, &bad_input, &err);
        free(data);
    }
    if (!rc && o.spots_mask_out && !res[o.nfiles - 1].have_tone) {
        rc = mn_error_set(&err, MN_EINVAL,
                          "--spots-mask-out: %s is a height map; spots need a photo",
                          o.files[o.nfiles - 1]);
        bad_input = 1;
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
    if (!rc && o.spots_mask_out)
        rc = mn_measure_write_mask_png(spots, res[o.nfiles - 1].xres, res[o.nfiles - 1].yres,
                                       o.spots_mask_out, &err);
    free(mask);
    free(spots);
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
