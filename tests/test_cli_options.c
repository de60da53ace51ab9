#define _POSIX_C_SOURCE 200809L
/* The CLI's option tables and their parser (src/cli/cli_options.c): value forms, numbers and
 * ranges, lists, positional arguments, every kind of bad input with its message and exit code,
 * the generated help; and the edit distance behind "did you mean". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_options.h"
#include "core/mn_suggest.h"
#include "testutil.h"

/* What a parse printed on one stream (fd 1 or 2), captured through a temporary file. */
static char captured[8192];

static int parse_capturing(int fd, const mn_cli_command *cmd, int argc, char **argv)
{
    fflush(stdout);
    fflush(stderr);
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    int saved = dup(fd);
    dup2(fileno(tmp), fd);
    int rc = mn_cli_parse(cmd, argc, argv);
    fflush(fd == 1 ? stdout : stderr);
    dup2(saved, fd);
    close(saved);
    rewind(tmp);
    size_t n = fread(captured, 1, sizeof captured - 1, tmp);
    captured[n] = '\0';
    fclose(tmp);
    return rc;
}

#define ARGC(a) ((int)(sizeof(a) / sizeof(a)[0]))

/* A command with one option of each kind, as a subcommand declares them. */
typedef struct values {
    int quiet, fresh, count;
    const char *out, *file, *hidden;
    double ratio, days;
    double list[3];
    int nlist;
    mn_cli_list sets;
} values;

static mn_cli_option options[16];
static mn_cli_option args[2];
static mn_cli_command cmd;

static void setup_command(values *v)
{
    memset(v, 0, sizeof *v);
    v->count = 7;
    v->ratio = 0.5;
    const mn_cli_option o[] = {
        {"quiet", 'q', MN_CLI_FLAG, .to.flag = &v->quiet, .help = "no table"},
        {"fresh", 0, MN_CLI_FLAG, .to.flag = &v->fresh, .help = "start again"},
        {.kind = MN_CLI_SECTION, .help = "numbers:"},
        {"count", 'n', MN_CLI_INT, .to.integer = &v->count, .min = 1, .max = 12, .arg = "N",
         .help = "how many"},
        {"ratio", 0, MN_CLI_DOUBLE, .to.num = &v->ratio, .min = 0, .max = 1, .arg = "R",
         .help = "a fraction"},
        {"days", 0, MN_CLI_DOUBLE, .to.num = &v->days, .min = 0, .max = INFINITY,
         .flags = MN_CLI_ABOVE_MIN, .arg = "D", .help = "more than nothing"},
        {"list", 0, MN_CLI_DOUBLES, .to.nums = v->list, .count = &v->nlist, .max_count = 3,
         .min = 0, .max = INFINITY, .flags = MN_CLI_INCREASING, .arg = "D1,D2",
         .help = "increasing days"},
        {"set", 0, MN_CLI_STRINGS, .to.list = &v->sets, .arg = "key=value", .help = "repeatable"},
        {"out", 'o', MN_CLI_STRING, .to.str = &v->out, .arg = "DIR", .help = "where"},
        {"hidden", 0, MN_CLI_STRING, .to.str = &v->hidden},
        {0}};
    memcpy(options, o, sizeof o);
    const mn_cli_option a[] = {{"FILE", 0, MN_CLI_STRING, .to.str = &v->file}, {0}};
    memcpy(args, a, sizeof a);
    cmd = (mn_cli_command){"run", .description = "Runs things.", .epilog = "Exit codes: 0 ok.",
                           .options = options, .positional = args};
}

static void test_value_forms(void **state)
{
    (void)state;
    values v;
    setup_command(&v);
    char *argv[] = {"run",    "-q",   "--out=x", "f.yaml",  "--count",   "3",
                    "-n",     "4",    "--set",   "a=1",     "--set=b=2", "--ratio=0.25",
                    "--days", "1e-3", "--list",  "0,1.5,7", "--hidden",  "h"};
    assert_int_equal(parse_capturing(2, &cmd, ARGC(argv), argv), MN_CLI_PARSED);
    assert_string_equal(captured, "");
    assert_int_equal(v.quiet, 1);
    assert_int_equal(v.fresh, 0); /* not given: the default stays */
    assert_string_equal(v.out, "x");
    assert_string_equal(v.file, "f.yaml");
    assert_int_equal(v.count, 4); /* the last one given counts */
    assert_true(v.ratio == 0.25);
    assert_true(v.days == 1e-3);
    assert_int_equal(v.nlist, 3);
    assert_true(v.list[0] == 0 && v.list[1] == 1.5 && v.list[2] == 7);
    assert_int_equal(v.sets.count, 2); /* in order, and "=" only splits off the name */
    assert_string_equal(v.sets.items[0], "a=1");
    assert_string_equal(v.sets.items[1], "b=2");
    assert_string_equal(v.hidden, "h"); /* not listed, still accepted */
    mn_cli_free(&cmd);
    assert_null(v.sets.items);
    mn_cli_free(&cmd); /* twice is harmless */
}

static void test_values_that_look_like_options(void **state)
{
    (void)state;
    values v;
    setup_command(&v);
    /* A value is the next argument whatever it looks like; "-" is an argument; after "--"
     * everything is. */
    char *argv[] = {"run", "--out", "--quiet", "--", "-q"};
    assert_int_equal(parse_capturing(2, &cmd, ARGC(argv), argv), MN_CLI_PARSED);
    assert_string_equal(v.out, "--quiet");
    assert_int_equal(v.quiet, 0);
    assert_string_equal(v.file, "-q");
    setup_command(&v);
    char *dash[] = {"run", "-"};
    assert_int_equal(parse_capturing(2, &cmd, ARGC(dash), dash), MN_CLI_PARSED);
    assert_string_equal(v.file, "-");
    /* A trailing comma ends a list, as the hand-written --vti-days parser had it. */
    setup_command(&v);
    char *trail[] = {"run", "--list", "2,"};
    assert_int_equal(parse_capturing(2, &cmd, ARGC(trail), trail), MN_CLI_PARSED);
    assert_int_equal(v.nlist, 1);
}

typedef struct bad_case {
    const char *args[4];
    const char *message; /* the whole of stderr */
} bad_case;

static const bad_case bad_cases[] = {
    {{"--qiet"}, "mnsim run: unknown option '--qiet'; did you mean '--quiet'?\n"},
    {{"--qiet=1"}, "mnsim run: unknown option '--qiet'; did you mean '--quiet'?\n"},
    {{"--cont", "3"}, "mnsim run: unknown option '--cont'; did you mean '--count'?\n"},
    {{"--hel"}, "mnsim run: unknown option '--hel'; did you mean '--help'?\n"},
    {{"--frobnicate"}, "mnsim run: unknown option '--frobnicate' (see mnsim run --help)\n"},
    {{"--hiddn", "x"}, "mnsim run: unknown option '--hiddn' (see mnsim run --help)\n"},
    {{"-x"}, "mnsim run: unknown option '-x' (see mnsim run --help)\n"},
    {{"--out"}, "mnsim run: --out needs a value (DIR)\n"},
    {{"-o"}, "mnsim run: --out needs a value (DIR)\n"},
    {{"--quiet=yes"}, "mnsim run: --quiet takes no value\n"},
    {{"--count", "x"}, "mnsim run: --count 'x': expected a whole number from 1 to 12\n"},
    {{"--count", "2.5"}, "mnsim run: --count '2.5': expected a whole number from 1 to 12\n"},
    {{"--count=13"}, "mnsim run: --count '13': expected a whole number from 1 to 12\n"},
    {{"--ratio", "1.5"}, "mnsim run: --ratio '1.5': expected a number from 0 to 1\n"},
    {{"--ratio", "nan"}, "mnsim run: --ratio 'nan': expected a number from 0 to 1\n"},
    {{"--ratio", "0.5x"}, "mnsim run: --ratio '0.5x': expected a number from 0 to 1\n"},
    {{"--ratio", ""}, "mnsim run: --ratio '': expected a number from 0 to 1\n"},
    {{"--days", "0"}, "mnsim run: --days '0': expected a number above 0\n"},
    {{"--days", "inf"}, "mnsim run: --days 'inf': expected a number above 0\n"},
    {{"--list", "1,x"},
     "mnsim run: --list '1,x': expected numbers of 0 or more separated by commas\n"},
    {{"--list", "-1"},
     "mnsim run: --list '-1': expected numbers of 0 or more separated by commas\n"},
    {{"--list", "3,1"}, "mnsim run: --list '3,1': values must increase\n"},
    {{"--list", "1,2,3,4"}, "mnsim run: --list: at most 3 values\n"},
    {{"--list", ""}, "mnsim run: --list needs at least one value\n"},
    {{"a", "b"}, "mnsim run: more than one FILE ('a', 'b')\n"},
};

static void test_bad_input(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof bad_cases / sizeof bad_cases[0]; ++k) {
        values v;
        setup_command(&v);
        char *argv[5] = {"run"};
        int argc = 1;
        for (int j = 0; j < 4 && bad_cases[k].args[j]; ++j)
            argv[argc++] = (char *)bad_cases[k].args[j];
        /* A --set before the mistake: the parser frees what it collected (ASan checks). */
        char *with_set[8] = {"run", "--set", "a=1"};
        memcpy(with_set + 3, argv + 1, (size_t)(argc - 1) * sizeof *argv);
        const int rc = parse_capturing(2, &cmd, argc + 2, with_set);
        assert_int_equal_msg(rc, MN_EXIT_BAD_INPUT, bad_cases[k].args[0]);
        assert_true_msg(!strcmp(captured, bad_cases[k].message), "%s: got \"%s\", expected \"%s\"",
                        bad_cases[k].args[0], captured, bad_cases[k].message);
        assert_null(v.sets.items);
    }
}

static void test_suggestions(void **state)
{
    (void)state;
    values v;
    setup_command(&v);
    /* Ties are all named, in table order; a name begun but not finished is suggested. */
    const mn_cli_option o[] = {{"param", 0, MN_CLI_STRING, .to.str = &v.out, .help = "one"},
                               {"params", 0, MN_CLI_STRING, .to.str = &v.file, .help = "all"},
                               {"markdown", 0, MN_CLI_FLAG, .to.flag = &v.quiet, .help = "table"},
                               {0}};
    mn_cli_command c = {"fit", .options = o};
    char *a1[] = {"fit", "--par", "x"};
    assert_int_equal(parse_capturing(2, &c, ARGC(a1), a1), MN_EXIT_BAD_INPUT);
    assert_string_equal(captured, "mnsim fit: unknown option '--par'; did you mean '--param' or "
                                  "'--params'?\n");
    char *a2[] = {"fit", "--mark"};
    assert_int_equal(parse_capturing(2, &c, ARGC(a2), a2), MN_EXIT_BAD_INPUT);
    assert_string_equal(captured,
                        "mnsim fit: unknown option '--mark'; did you mean '--markdown'?\n");
    /* No positional arguments at all. */
    char *a3[] = {"fit", "extra"};
    assert_int_equal(parse_capturing(2, &c, ARGC(a3), a3), MN_EXIT_BAD_INPUT);
    assert_string_equal(captured,
                        "mnsim fit: unexpected argument 'extra' (see mnsim fit --help)\n");
}

static void test_required(void **state)
{
    (void)state;
    const char *dir = NULL, *out = NULL;
    mn_cli_list names = {0}, files = {0};
    const mn_cli_option o[] = {{"param", 0, MN_CLI_STRINGS, .to.list = &names,
                                .flags = MN_CLI_REQUIRED, .arg = "NAME", .help = "a parameter"},
                               {"out", 0, MN_CLI_STRING, .to.str = &out, .flags = MN_CLI_REQUIRED,
                                .arg = "FILE", .help = "the file"},
                               {0}};
    const mn_cli_option p[] = {{"DIR", 0, MN_CLI_STRING, .to.str = &dir, .flags = MN_CLI_REQUIRED},
                               {"MORE", 0, MN_CLI_STRINGS, .to.list = &files},
                               {0}};
    mn_cli_command c = {"fit", .description = "Fits.", .options = o, .positional = p};
    char *a1[] = {"fit", "d"};
    assert_int_equal(parse_capturing(2, &c, ARGC(a1), a1), MN_EXIT_BAD_INPUT);
    assert_string_equal(captured, "mnsim fit: give at least one --param NAME (see mnsim fit "
                                  "--help)\n");
    char *a2[] = {"fit", "d", "--param", "k"};
    assert_int_equal(parse_capturing(2, &c, ARGC(a2), a2), MN_EXIT_BAD_INPUT);
    assert_string_equal(captured, "mnsim fit: --out FILE is required (see mnsim fit --help)\n");
    /* A missing positional prints the whole help after the reason. */
    dir = NULL;
    char *a3[] = {"fit", "--param", "k", "--out", "o"};
    assert_int_equal(parse_capturing(2, &c, ARGC(a3), a3), MN_EXIT_BAD_INPUT);
    assert_non_null(strstr(captured, "mnsim fit: DIR is missing\n"));
    assert_non_null(strstr(captured, "usage: mnsim fit DIR [MORE]... --param NAME... --out FILE"));
    /* The first positional takes one argument, a last list the rest. */
    char *a4[] = {"fit", "d", "m1", "--param", "k", "m2", "--out", "o", "m3"};
    assert_int_equal(parse_capturing(2, &c, ARGC(a4), a4), MN_CLI_PARSED);
    assert_string_equal(dir, "d");
    assert_int_equal(files.count, 3);
    assert_string_equal(files.items[2], "m3");
    mn_cli_free(&c);
}

static void test_help(void **state)
{
    (void)state;
    values v;
    setup_command(&v);
    char *argv[] = {"run", "--count", "3", "--help", "--frobnicate"};
    assert_int_equal(parse_capturing(1, &cmd, ARGC(argv), argv), MN_EXIT_OK);
    const char *expect =
        "usage: mnsim run [FILE] [--quiet] [--fresh] [--count N] [--ratio R] [--days D]\n"
        "                 [--list D1,D2] [--set key=value]... [--out DIR]\n"
        "\n"
        "Runs things.\n"
        "\n"
        "  -q, --quiet          no table\n"
        "      --fresh          start again\n"
        "numbers:\n"
        "  -n, --count N        how many\n"
        "      --ratio R        a fraction\n"
        "      --days D         more than nothing\n"
        "      --list D1,D2     increasing days\n"
        "      --set key=value  repeatable\n"
        "  -o, --out DIR        where\n"
        "  -h, --help           this help\n"
        "\n"
        "Exit codes: 0 ok.\n";
    assert_string_equal(captured, expect);
    /* -h is the same, and a long help line wraps under its column. */
    const mn_cli_option o[] = {
        {"a-very-long-option-name", 0, MN_CLI_STRING, .to.str = &v.out, .arg = "VALUE",
         .help = "this help line is long enough that it has to be wrapped onto a second line "
                 "below the first"},
        {0}};
    mn_cli_command c = {"x", .options = o};
    char *h[] = {"x", "-h"};
    assert_int_equal(parse_capturing(1, &c, ARGC(h), h), MN_EXIT_OK);
    assert_string_equal(captured,
                        "usage: mnsim x [--a-very-long-option-name VALUE]\n"
                        "\n"
                        "      --a-very-long-option-name VALUE\n"
                        "              this help line is long enough that it has to be wrapped "
                        "onto a\n"
                        "              second line below the first\n"
                        "  -h, --help  this help\n");
}

static void test_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(mn__edit_distance("quiet", "qiet"), 1);
    assert_int_equal(mn__edit_distance("pateint", "patient"), 1); /* a swap is one edit */
    assert_int_equal(mn__edit_distance("kitten", "sitting"), 3);
    assert_int_equal(mn__edit_distance("", "abc"), 3);
    assert_int_equal(mn__edit_distance("same", "same"), 0);
    mn__suggest s;
    mn__suggest_init(&s, "thread");
    mn__suggest_offer(&s, "threads");
    mn__suggest_offer(&s, "fresh");
    assert_int_equal(s.count, 1);
    assert_string_equal(s.names[0], "threads");
    /* Nothing near: no suggestion rather than a far one. */
    mn__suggest_init(&s, "frobnicate");
    mn__suggest_offer(&s, "fresh");
    mn__suggest_offer(&s, "quiet");
    assert_int_equal(s.count, 0);
    /* A nearer name replaces farther ones. */
    mn__suggest_init(&s, "abcdefgh");
    mn__suggest_offer(&s, "abcdefXY");
    mn__suggest_offer(&s, "abcdefgX");
    assert_int_equal(s.count, 1);
    assert_int_equal(s.best, 1);
    assert_string_equal(s.names[0], "abcdefgX");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_value_forms),   cmocka_unit_test(test_values_that_look_like_options),
        cmocka_unit_test(test_bad_input),     cmocka_unit_test(test_suggestions),
        cmocka_unit_test(test_required),      cmocka_unit_test(test_help),
        cmocka_unit_test(test_edit_distance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
