#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/mn_suggest.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"run", mn_cli_run, "simulate a scenario (built-in default without FILE)"},
    {"resume", mn_cli_resume, "continue a run from the checkpoint in its output directory"},
    {"schema", mn_cli_schema, "print the scenario field reference (Markdown)"},
    {"params", mn_cli_params, "print the model parameters with sources"},
    {"measure", mn_cli_measure,
     "surface texture (ISO 25178) and wrinkles of height maps and photos"},
    {"cohort", mn_cli_cohort, "simulate a virtual cohort (distributions, subgroups; OpenMP, MPI)"},
    {"sweep", mn_cli_sweep, "expected outcome and risk over a grid of protocol settings"},
    {"optimize", mn_cli_optimize, "best protocol under constraints (sessions, downtime, PIH)"},
    {"validate", mn_cli_validate, "simulate published studies and compare with their endpoints"},
    {"calibrate", mn_cli_calibrate,
     "sample the posterior of model parameters given published endpoints (MCMC)"},
    {"fit", mn_cli_fit, "calibrate named parameters to published endpoints (Nelder-Mead)"},
    {"sensitivity", mn_cli_sensitivity, "global sensitivity (Morris) of the main outcomes"},
    {"serve", mn_cli_serve, "the interactive before-and-after in a browser (HTTP, loopback)"},
};

static void usage(FILE *out)
{
    fprintf(out,
            "mnsim %s - microneedling simulator (research tool, not a medical device)\n\n"
            "usage: mnsim COMMAND [ARGS]\n\ncommands:\n",
            MNSIM_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; ++i)
        fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n`mnsim COMMAND --help` describes each command; `man mnsim` has the rest.\n");
}

int mn_cli_exit_code(int status)
{
    switch (status) {
    case MN_OK:
        return MN_EXIT_OK;
    case MN_ESCENARIO:
    case MN_EFORMAT:
    case MN_EINVAL:
    case MN_ERANGE:
        return MN_EXIT_BAD_INPUT;
    default:
        return MN_EXIT_FAILURE;
    }
}

void mn_cli_report(const mn_error *err)
{
    fprintf(stderr, "mnsim: %s\n", err->message[0] ? err->message : mn_strerror(err->code));
}

int main(int argc, char **argv)
{
    mn_cli_prefer_passive_wait(argv);
    if (argc < 2) {
        usage(stderr);
        return MN_EXIT_BAD_INPUT;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return MN_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("mnsim %s\n", MNSIM_VERSION);
        return MN_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; ++i)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    mn__suggest near;
    mn__suggest_init(&near, argv[1]);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; ++i)
        mn__suggest_offer(&near, commands[i].name);
    if (near.count)
        fprintf(stderr, "mnsim: unknown command '%s'; did you mean '%s'?\n\n", argv[1],
                near.names[0]);
    else
        fprintf(stderr, "mnsim: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return MN_EXIT_BAD_INPUT;
}
