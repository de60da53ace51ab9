/* The command-line options of the mnsim subcommands: one declarative table per command and one
 * parser for them all (cli_options.c), so that every command takes `--name value`,
 * `--name=value`, short names, `--help`/`-h`, positional arguments and `--` alike, refuses bad
 * input with the same messages (the option named; an unknown option with the nearest known one)
 * and exit code 2, and prints a help text generated from the same table it parses with.
 *
 *     int quiet = 0;
 *     const char *file = NULL;
 *     const mn_cli_option options[] = {
 *         {"quiet", 'q', MN_CLI_FLAG, .to.flag = &quiet, .help = "no table on stdout"},
 *         {0}};
 *     const mn_cli_option args[] = {{"FILE", 0, MN_CLI_STRING, .to.str = &file}, {0}};
 *     const mn_cli_command cmd = {"run", .options = options, .positional = args, ...};
 *     int ex = mn_cli_parse(&cmd, argc, argv);
 *     if (ex != MN_CLI_PARSED)
 *         return ex;
 */
#ifndef MN_CLI_OPTIONS_H
#define MN_CLI_OPTIONS_H

#include <stdio.h>

typedef enum mn_cli_kind {
    MN_CLI_END = 0, /* the {0} row that ends a table */
    MN_CLI_FLAG,    /* no value: *to.flag = 1 */
    MN_CLI_STRING,  /* *to.str = the value (the last one given counts) */
    MN_CLI_DOUBLE,  /* *to.num = a finite number within [min, max] */
    MN_CLI_INT,     /* *to.integer = a whole number within [min, max] */
    MN_CLI_DOUBLES, /* to.nums[0 .. *count) = comma-separated numbers within [min, max] */
    MN_CLI_STRINGS, /* appended to *to.list: repeatable, in the order given */
    MN_CLI_SECTION  /* not an option: a heading of the help text (help = the heading) */
} mn_cli_kind;

enum mn_cli_flags {
    MN_CLI_ABOVE_MIN = 1,  /* numbers: the range excludes min ("more than 0 days") */
    MN_CLI_INCREASING = 2, /* DOUBLES: each value above the one before */
    MN_CLI_REQUIRED = 4    /* STRING, STRINGS and positionals: must be given */
};

/* The values of a repeatable option or of the positional arguments (argv's own strings, in
 * order). The parser allocates items; mn_cli_free releases them. */
typedef struct mn_cli_list {
    const char **items;
    int count;
    int capacity;
} mn_cli_list;

typedef struct mn_cli_option {
    /* Long name without the dashes ("quiet" for --quiet); for a positional argument its name in
     * the usage line ("FILE"). */
    const char *name;
    char short_name; /* 'q' for -q; 0: none */
    mn_cli_kind kind;
    union {
        int *flag;
        const char **str;
        double *num;
        int *integer;
        double *nums;
        mn_cli_list *list;
    } to;             /* where the value goes: the member of the kind */
    int *count;       /* DOUBLES: how many values were given */
    int max_count;    /* DOUBLES: room in to.nums */
    double min, max;  /* numbers: the allowed range; both 0: any finite number */
    unsigned flags;   /* enum mn_cli_flags */
    const char *arg;  /* the value's name in the help ("N", "FILE", "key.path=value") */
    const char *help; /* one line, wrapped by the help printer; NULL: accepted but not listed */
} mn_cli_option;

typedef struct mn_cli_command {
    const char *name;        /* "run": messages begin "mnsim run: " */
    const char *synopsis;    /* what follows "usage: mnsim NAME "; NULL: made from the tables */
    const char *description; /* the paragraph(s) after the usage line */
    const char *epilog;      /* after the options (exit codes); may be NULL */
    const mn_cli_option *options;    /* ended by {0} */
    const mn_cli_option *positional; /* STRING rows take one argument each, in order; a last
                                        STRINGS row takes the rest; NULL or {0}: none */
} mn_cli_command;

/* mn_cli_parse's "go on": every other value it returns is the command's exit code. */
enum { MN_CLI_PARSED = -1 };

/* Parses argv[1 .. argc) into the tables' destinations (which keep their defaults for the
 * options not given). Returns MN_CLI_PARSED; MN_EXIT_OK after printing the help for --help;
 * MN_EXIT_BAD_INPUT after printing what was wrong on stderr (then the lists are freed). */
int mn_cli_parse(const mn_cli_command *cmd, int argc, char **argv);
/* The help text made from the tables: usage line, description, options, epilog. */
void mn_cli_help(const mn_cli_command *cmd, FILE *out);
/* Frees the lists of every STRINGS row of cmd's tables (safe to call twice). */
void mn_cli_free(const mn_cli_command *cmd);

#endif
