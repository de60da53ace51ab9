/* The HTTP side of `mnsim serve` (libmicrohttpd): listening sockets, limits, request bodies,
 * the checks every request passes, and the hand-over to the API (api.c). */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "mnsim/params.h"
#include "serve/serve_impl.h"

struct mn_server {
    mn__api api;
    struct MHD_Daemon *daemon[2];
    int port;
    int loopback;
    char addresses[128];
    atomic_size_t buffered; /* bytes of request bodies held now, all connections */
};

/* What one request has received so far. */
typedef struct conn_ctx {
    unsigned char *body;
    size_t size, cap, limit;
    int too_large, over_budget;
} conn_ctx;

void mn_serve_options_default(mn_serve_options *o)
{
    memset(o, 0, sizeof *o);
    o->threads = 4;
    o->max_connections = 64;
    o->max_json_bytes = 256u * 1024u;
    o->max_upload_bytes = 16u * 1024u * 1024u;
    o->max_buffered_bytes = 128u * 1024u * 1024u;
    o->run_limit_s = 30;
    o->idle_timeout_s = 30;
    o->cache_runs = 32;
    o->range_patients = 20;
}

static void fill_defaults(mn_serve_options *o)
{
    mn_serve_options d;
    mn_serve_options_default(&d);
    if (o->threads <= 0)
        o->threads = d.threads;
    if (o->max_connections <= 0)
        o->max_connections = d.max_connections;
    if (!o->max_json_bytes)
        o->max_json_bytes = d.max_json_bytes;
    if (!o->max_upload_bytes)
        o->max_upload_bytes = d.max_upload_bytes;
    if (!o->max_buffered_bytes)
        o->max_buffered_bytes = d.max_buffered_bytes;
    if (!(o->run_limit_s > 0))
        o->run_limit_s = d.run_limit_s;
    if (!(o->idle_timeout_s > 0))
        o->idle_timeout_s = d.idle_timeout_s;
    if (o->cache_runs <= 0)
        o->cache_runs = d.cache_runs;
    if (o->range_patients <= 0)
        o->range_patients = d.range_patients;
}

static void add_headers(struct MHD_Response *r, const mn__response *rs)
{
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rs->content_type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
                            rs->cache_control ? rs->cache_control : "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' blob: data:; "
                            "style-src 'self'; script-src 'self'; connect-src 'self'; "
                            "object-src 'none'; frame-ancestors 'none'; base-uri 'none'");
}

static enum MHD_Result send_response(struct MHD_Connection *c, mn__response *rs)
{
    struct MHD_Response *r =
        rs->persistent
            ? MHD_create_response_from_buffer(rs->size, rs->body, MHD_RESPMEM_PERSISTENT)
            : MHD_create_response_from_buffer(rs->size, rs->body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        if (!rs->persistent)
            free(rs->body);
        return MHD_NO;
    }
    add_headers(r, rs);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)rs->status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *message)
{
    json_t *o = json_pack("{s:s, s:n}", "error", message, "field");
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    if (!text)
        return MHD_NO;
    mn__response rs = {.status = status,
                       .content_type = "application/json",
                       .body = (unsigned char *)text,
                       .size = strlen(text)};
    return send_response(c, &rs);
}

static const char *query_arg(void *ctx, const char *name)
{
    return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
}

/* On loopback, the Host a browser sends must be a loopback name: a web site that points its
 * own name at 127.0.0.1 (DNS rebinding) is refused. */
static int host_ok(const char *host)
{
    if (!host)
        return 1; /* HTTP/1.0 clients; browsers always send Host */
    static const char *const names[] = {"127.0.0.1", "localhost", "[::1]"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i) {
        size_t n = strlen(names[i]);
        if (!strncasecmp(host, names[i], n) && (host[n] == '\0' || host[n] == ':'))
            return 1;
    }
    return 0;
}

/* A cross-site page's POST carries its Origin: it must be this server's. */
static int origin_ok(const char *origin, const char *host)
{
    if (!origin)
        return 1;
    if (!host)
        return 0;
    const char *p = !strncmp(origin, "http://", 7) ? origin + 7 : NULL;
    return p && !strcasecmp(p, host);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    mn_server *s = cls;
    conn_ctx *ctx = *con_cls;
    if (!ctx) {
        ctx = calloc(1, sizeof *ctx);
        if (!ctx)
            return MHD_NO;
        *con_cls = ctx;
        const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
        if (s->loopback && !host_ok(host))
            return send_error(c, 403, "this server answers only to localhost, 127.0.0.1, [::1]");
        if (strcmp(method, "GET") && strcmp(method, "HEAD") &&
            !origin_ok(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin"), host))
            return send_error(c, 403, "cross-origin request refused");
        ctx->limit = !strcmp(url, "/api/measure") ? s->api.opt.max_upload_bytes
                                                  : s->api.opt.max_json_bytes;
        const char *cl =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > ctx->limit) {
            char msg[160];
            snprintf(msg, sizeof msg, "request body larger than the limit of %zu bytes",
                     ctx->limit);
            return send_error(c, 413, msg);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (ctx->too_large || ctx->over_budget)
            return MHD_YES;
        if (n > ctx->limit - ctx->size) {
            ctx->too_large = 1;
            return MHD_YES;
        }
        if (ctx->size + n > ctx->cap) {
            size_t cap = ctx->cap ? ctx->cap : 4096;
            while (cap < ctx->size + n)
                cap *= 2;
            if (cap > ctx->limit)
                cap = ctx->limit;
            /* Every connection's bodies together stay under max_buffered_bytes. */
            size_t before = atomic_fetch_add(&s->buffered, cap - ctx->cap);
            if (before + (cap - ctx->cap) > s->api.opt.max_buffered_bytes) {
                atomic_fetch_sub(&s->buffered, cap - ctx->cap);
                ctx->over_budget = 1;
                return MHD_YES;
            }
            unsigned char *b = realloc(ctx->body, cap);
            if (!b) {
                atomic_fetch_sub(&s->buffered, cap - ctx->cap);
                ctx->over_budget = 1;
                return MHD_YES;
            }
            ctx->body = b;
            ctx->cap = cap;
        }
        memcpy(ctx->body + ctx->size, upload_data, n);
        ctx->size += n;
        return MHD_YES;
    }
    if (ctx->too_large) {
        char msg[160];
        snprintf(msg, sizeof msg, "request body larger than the limit of %zu bytes", ctx->limit);
        return send_error(c, 413, msg);
    }
    if (ctx->over_budget)
        return send_error(c, 503, "the server is busy receiving other requests; try again");
    mn__request rq = {.method = method,
                      .path = url,
                      .content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                                  MHD_HTTP_HEADER_CONTENT_TYPE),
                      .body = ctx->body ? ctx->body : (const unsigned char *)"",
                      .size = ctx->size,
                      .arg = query_arg,
                      .arg_ctx = c};
    mn__response rs;
    mn__api_handle(&s->api, &rq, &rs);
    if (s->api.opt.log)
        fprintf(stderr, "mnsim serve: %s %s -> %d (%zu bytes)\n", method, url, rs.status,
                rs.size);
    return send_response(c, &rs);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c, (void)toe;
    mn_server *s = cls;
    conn_ctx *ctx = *con_cls;
    if (!ctx)
        return;
    atomic_fetch_sub(&s->buffered, ctx->cap);
    free(ctx->body);
    free(ctx);
    *con_cls = NULL;
}

static struct MHD_Daemon *start_daemon(mn_server *s, const struct sockaddr *addr, int ipv6,
                                       int port)
{
    const mn_serve_options *o = &s->api.opt;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
    if (ipv6)
        flags |= MHD_USE_IPv6;
    return MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o->threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)o->max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)(o->idle_timeout_s + 0.5), MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
}

static int bound_port(struct MHD_Daemon *d)
{
    const union MHD_DaemonInfo *i = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    return i ? (int)i->port : 0;
}

int mn_server_start(const mn_serve_options *opt, mn_server **out, mn_error *err)
{
    if (!out)
        return mn_error_set(err, MN_EINVAL, "mn_server_start: NULL output");
    *out = NULL;
    mn_serve_options o;
    mn_serve_options_default(&o);
    if (opt)
        o = *opt;
    fill_defaults(&o);
    if (o.port < 0 || o.port > 65535)
        return mn_error_set(err, MN_EINVAL, "port %d out of range (0 to 65535)", o.port);
    struct sockaddr_in v4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o.port)};
    struct sockaddr_in6 v6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)o.port)};
    int use4 = 1, use6 = 1;
    int loopback = 1;
    if (o.listen) {
        if (inet_pton(AF_INET, o.listen, &v4.sin_addr) == 1) {
            use6 = 0;
            loopback = (ntohl(v4.sin_addr.s_addr) >> 24) == 127;
        } else if (inet_pton(AF_INET6, o.listen, &v6.sin6_addr) == 1) {
            use4 = 0;
            loopback = IN6_IS_ADDR_LOOPBACK(&v6.sin6_addr);
        } else {
            return mn_error_set(err, MN_EINVAL,
                                "--listen %s: not a numeric IPv4 or IPv6 address", o.listen);
        }
    } else {
        v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        v6.sin6_addr = in6addr_loopback;
    }
    mn_server *s = calloc(1, sizeof *s);
    if (!s)
        return mn_error_set(err, MN_ENOMEM, "out of memory for the server");
    atomic_init(&s->buffered, 0);
    s->api.opt = o;
    s->api.opt.listen = NULL; /* not kept: the caller's string */
    s->loopback = loopback;
    mn_params_default(&s->api.params);
    s->api.schema = mn_scenario_schema_json();
    int rc = s->api.schema ? mn__cache_create(o.cache_runs, &s->api.cache, err)
                           : mn_error_set(err, MN_ENOMEM, "out of memory for the schema");
    if (rc) {
        mn_server_stop(&s);
        return rc;
    }
    char text[INET6_ADDRSTRLEN];
    int port = o.port;
    if (use4) {
        s->daemon[0] = start_daemon(s, (const struct sockaddr *)&v4, 0, port);
        if (!s->daemon[0]) {
            inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
            mn_server_stop(&s);
            return mn_error_set(err, MN_EIO, "cannot listen on %s port %d (in use?)", text, port);
        }
        port = bound_port(s->daemon[0]);
        v6.sin6_port = htons((uint16_t)port);
        inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
        snprintf(s->addresses, sizeof s->addresses, "%s", text);
    }
    if (use6) {
        s->daemon[1] = start_daemon(s, (const struct sockaddr *)&v6, 1, port);
        if (!s->daemon[1] && !use4) {
            inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
            mn_server_stop(&s);
            return mn_error_set(err, MN_EIO, "cannot listen on %s port %d (in use?)", text, port);
        }
        /* Loopback without IPv6 (a container without ::1) keeps IPv4 alone. */
        if (s->daemon[1]) {
            if (!use4)
                port = bound_port(s->daemon[1]);
            inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
            size_t n = strlen(s->addresses);
            snprintf(s->addresses + n, sizeof s->addresses - n, "%s%s", n ? " and " : "", text);
        }
    }
    s->port = port;
    *out = s;
    return MN_OK;
}

int mn_server_port(const mn_server *s)
{
    return s ? s->port : 0;
}

int mn_server_is_loopback(const mn_server *s)
{
    return s ? s->loopback : 0;
}

const char *mn_server_addresses(const mn_server *s)
{
    return s ? s->addresses : "";
}

void mn_server_stop(mn_server **s)
{
    if (!s || !*s)
        return;
    for (int i = 0; i < 2; ++i)
        if ((*s)->daemon[i])
            MHD_stop_daemon((*s)->daemon[i]);
    mn__cache_free(&(*s)->api.cache);
    json_decref((*s)->api.schema);
    free(*s);
    *s = NULL;
}
