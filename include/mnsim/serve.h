/* `mnsim serve`: the interactive before-and-after in a browser (docs/serve.md).
 *
 * An HTTP server (libmicrohttpd) on loopback by default, serving one embedded page and a JSON
 * API: the scenario schema, a run (results.json plus preview pictures), a model range over a
 * small virtual cohort, YAML in and out, and measurement of an uploaded height map or photo.
 * Requests are bounded: body size, simulation time, worker threads and connections; the page's
 * assets are compiled into the binary, nothing else is served from the file system. */
#ifndef MNSIM_SERVE_H
#define MNSIM_SERVE_H

#include <stddef.h>

#include "mnsim/error.h"

typedef struct mn_server mn_server;

typedef struct mn_serve_options {
    const char *listen;        /* NULL: loopback only (127.0.0.1 and ::1); else one address */
    int port;                  /* 0: a free port (mn_server_port tells which) */
    int threads;               /* worker threads answering requests (0: 4) */
    int max_connections;       /* open connections at once; more are refused (0: 64) */
    size_t max_json_bytes;     /* largest JSON body (0: 256 KiB) */
    size_t max_upload_bytes;   /* largest measurement upload (0: 16 MiB) */
    size_t max_buffered_bytes; /* request bodies held at once, all connections (0: 128 MiB) */
    double run_limit_s;        /* longest simulation of one request (0: 30 s) */
    double idle_timeout_s;     /* a connection silent this long is closed (0: 30 s) */
    int cache_runs;            /* runs whose pictures are kept for /api/image (0: 32) */
    int range_patients;        /* virtual patients of /api/range (0: 20) */
    int log;                   /* 1: one line a request on stderr */
} mn_serve_options;

/* Fills the defaults above (all zero means the same). */
MN_EXPORT void mn_serve_options_default(mn_serve_options *o);

/* Starts the server (its threads answer at once). MN_EINVAL on a bad address, MN_EIO when
 * the port cannot be bound. */
MN_EXPORT int mn_server_start(const mn_serve_options *o, mn_server **out, mn_error *err);
/* The port bound (useful with port 0). */
MN_EXPORT int mn_server_port(const mn_server *s);
/* 1 when bound to loopback only. */
MN_EXPORT int mn_server_is_loopback(const mn_server *s);
/* The addresses listened on, e.g. "127.0.0.1 and ::1". */
MN_EXPORT const char *mn_server_addresses(const mn_server *s);
/* Stops accepting, finishes or drops the requests in progress, frees *s, sets it to NULL;
 * safe on NULL. */
MN_EXPORT void mn_server_stop(mn_server **s);

#endif
