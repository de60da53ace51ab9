/* Latency of `mnsim serve`'s POST /api/run for the default scenario over HTTP on loopback: the
 * request, the simulation, the three preview pictures rendered and the answer read, plus
 * fetching the three pictures. Median of repeated requests; the server in this process, the
 * client a plain socket (HTTP/1.1, one connection per request). */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mnsim/serve.h"
#include "bench_util.h"

#define REPEATS 21

/* One request; the whole answer (headers and body) into *reply (malloc'd). */
static size_t http(int port, const char *method, const char *path, const char *body, char **reply)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a)) {
        perror("bench_serve: connect");
        exit(1);
    }
    char head[512];
    int n = snprintf(head, sizeof head,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                     method, path, body ? strlen(body) : 0);
    if (write(fd, head, (size_t)n) != n || (body && write(fd, body, strlen(body)) < 0)) {
        perror("bench_serve: write");
        exit(1);
    }
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap + 1);
    ssize_t got;
    while (buf && (got = read(fd, buf + len, cap - len)) > 0) {
        len += (size_t)got;
        if (len == cap)
            buf = realloc(buf, (cap *= 2) + 1);
    }
    close(fd);
    if (!buf || strncmp(buf, "HTTP/1.1 200", 12)) {
        fprintf(stderr, "bench_serve: %s %s failed: %.200s\n", method, path, buf ? buf : "");
        exit(1);
    }
    buf[len] = '\0';
    *reply = buf;
    return len;
}

/* The value of "name":"..." in the answer. */
static void json_string_of(const char *text, const char *name, char *out, size_t size)
{
    char key[64];
    snprintf(key, sizeof key, "\"%s\":\"", name);
    const char *p = strstr(text, key);
    out[0] = '\0';
    if (p) {
        p += strlen(key);
        size_t n = strcspn(p, "\"");
        snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), p);
    }
}

int main(void)
{
    mn_serve_options o;
    mn_serve_options_default(&o);
    mn_server *srv = NULL;
    mn_error err;
    if (mn_server_start(&o, &srv, &err)) {
        fprintf(stderr, "bench_serve: %s\n", err.message);
        return 1;
    }
    const int port = mn_server_port(srv);
    double run[REPEATS], all[REPEATS];
    size_t bytes = 0, png_bytes = 0;
    char *reply = NULL;
    free((http(port, "POST", "/api/run", "{}", &reply), reply)); /* warm up */
    for (int i = 0; i < REPEATS; ++i) {
        double t0 = now_s();
        bytes = http(port, "POST", "/api/run", "{}", &reply);
        run[i] = now_s() - t0;
        static const char *const names[3] = {"before", "day1", "after"};
        png_bytes = 0;
        for (int k = 0; k < 3; ++k) {
            char url[128], *png = NULL;
            json_string_of(reply, names[k], url, sizeof url);
            png_bytes += http(port, "GET", url, NULL, &png);
            free(png);
        }
        all[i] = now_s() - t0;
        free(reply);
    }
    qsort(run, REPEATS, sizeof run[0], cmp_double);
    qsort(all, REPEATS, sizeof all[0], cmp_double);
    printf("POST /api/run, default scenario, %d requests over loopback HTTP:\n", REPEATS);
    printf("  run (simulation + 3 preview pictures rendered + %zu-byte answer): median %.1f ms "
           "(min %.1f, max %.1f)\n",
           bytes, 1e3 * run[REPEATS / 2], 1e3 * run[0], 1e3 * run[REPEATS - 1]);
    printf("  run + GET of the 3 previews (%zu bytes):                       median %.1f ms "
           "(min %.1f, max %.1f)\n",
           png_bytes, 1e3 * all[REPEATS / 2], 1e3 * all[0], 1e3 * all[REPEATS - 1]);
    mn_server_stop(&srv);
    return 0;
}
