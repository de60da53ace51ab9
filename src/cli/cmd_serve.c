/* mnsim serve [--port N] [--listen ADDR] [--threads N] [--log]: the interactive page
 * (docs/serve.md). Argument parsing and signals only; the server is the serve module. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "mnsim/serve.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mnsim serve [--port N] [--listen ADDR] [--threads N] [--log]\n\n"
            "Serves the interactive before-and-after page and its JSON API over HTTP until\n"
            "SIGINT (Ctrl-C) or SIGTERM. Loopback only by default (127.0.0.1 and ::1).\n\n"
            "  --port N       port (default 8650; 0 = a free port, printed)\n"
            "  --listen ADDR  bind this numeric address instead of loopback (warns: anyone who\n"
            "                 can reach it can run simulations)\n"
            "  --threads N    worker threads per address (default 4)\n"
            "  --log          one line a request on stderr\n\n"
            "docs/serve.md describes the page, the API and the limits.\n");
}

static int parse_int(const char *opt, const char *v, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno || end == v || *end || x < lo || x > hi) {
        fprintf(stderr, "mnsim serve: %s: '%s' is not an integer from %d to %d\n", opt, v, lo,
                hi);
        return -1;
    }
    *out = (int)x;
    return 0;
}

int mn_cli_serve(int argc, char **argv)
{
    mn_serve_options o;
    mn_serve_options_default(&o);
    o.port = 8650;
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return MN_EXIT_OK;
        } else if (!strcmp(a, "--log")) {
            o.log = 1;
        } else if (!strcmp(a, "--port") || !strcmp(a, "--listen") || !strcmp(a, "--threads")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "mnsim serve: %s needs a value\n", a);
                return MN_EXIT_BAD_INPUT;
            }
            const char *v = argv[++i];
            if (!strcmp(a, "--listen"))
                o.listen = v;
            else if (parse_int(a, v, a[2] == 'p' ? 0 : 1, a[2] == 'p' ? 65535 : 64,
                               a[2] == 'p' ? &o.port : &o.threads))
                return MN_EXIT_BAD_INPUT;
        } else {
            fprintf(stderr, "mnsim serve: unknown argument '%s' (see mnsim serve --help)\n", a);
            return MN_EXIT_BAD_INPUT;
        }
    }
    /* The server's threads inherit this mask: the signals are taken here, by sigwait. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    mn_error err;
    mn_error_clear(&err);
    mn_server *srv = NULL;
    int rc = mn_server_start(&o, &srv, &err);
    if (rc) {
        mn_cli_report(&err);
        return mn_cli_exit_code(rc);
    }
    if (!mn_server_is_loopback(srv))
        fprintf(stderr,
                "mnsim serve: warning: listening on %s, not loopback: anyone who can reach this "
                "address can use the server (no authentication, plain HTTP)\n",
                mn_server_addresses(srv));
    /* The URL names the first address: "127.0.0.1 and ::1" -> http://127.0.0.1:PORT/. */
    char host[64];
    snprintf(host, sizeof host, "%s", mn_server_addresses(srv));
    char *space = strchr(host, ' ');
    if (space)
        *space = '\0';
    int v6 = strchr(host, ':') != NULL;
    printf("mnsim serve: http://%s%s%s:%d/ (listening on %s; Ctrl-C stops)\n", v6 ? "[" : "",
           host, v6 ? "]" : "", mn_server_port(srv), mn_server_addresses(srv));
    printf("%s\n", "Research simulation: model predictions, not a medical prediction.");
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "mnsim serve: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    mn_server_stop(&srv);
    return MN_EXIT_OK;
}
