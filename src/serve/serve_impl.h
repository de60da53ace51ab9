/* Private parts of the server: requests and responses independent of libmicrohttpd, the
 * picture cache, the embedded assets and the API handlers. */
#ifndef MN_SERVE_IMPL_H
#define MN_SERVE_IMPL_H

#include <jansson.h>
#include <pthread.h>
#include <stddef.h>

#include "mnsim/params.h"
#include "mnsim/scenario.h"
#include "mnsim/serve.h"

/* One request as the handlers see it. */
typedef struct mn__request {
    const char *method;
    const char *path;         /* without the query */
    const char *content_type; /* NULL when none */
    const unsigned char *body;
    size_t size;
    /* Query argument `name`, NULL when absent. */
    const char *(*arg)(void *ctx, const char *name);
    void *arg_ctx;
} mn__request;

typedef struct mn__response {
    int status;
    const char *content_type;
    unsigned char *body; /* malloc'd (freed by the sender) unless persistent */
    size_t size;
    int persistent;      /* body is static (an embedded asset) */
    const char *cache_control;
} mn__response;

/* Embedded page assets (generated at build time from web/ by cmake/embed_assets.cmake). */
typedef struct mn__asset {
    const char *path; /* "/index.html", ... */
    const char *content_type;
    const unsigned char *data;
    size_t size;
} mn__asset;
extern const mn__asset mn__serve_assets[];
extern const size_t mn__serve_asset_count;

/* Pictures of runs and ranges, keyed by id ("r12"); least recently used evicted. */
#define MN__IMAGE_SLOTS 6
typedef struct mn__cache_entry mn__cache_entry;
typedef struct mn__cache mn__cache;
int mn__cache_create(int capacity, mn__cache **out, mn_error *err);
void mn__cache_free(mn__cache **c);
/* A new entry (refcount 1 for the caller) with a fresh id; takes ownership of results (may be
 * NULL) for full-size pictures on demand. */
struct mn_results;
mn__cache_entry *mn__cache_add(mn__cache *c, const mn_scenario *sc, struct mn_results *results);
const char *mn__cache_entry_id(const mn__cache_entry *e);
/* Stores a PNG (takes ownership of data) under name (before, day1, after, p5, p50, p95; with
 * full = 1 the full-size variant). */
void mn__cache_put(mn__cache_entry *e, const char *name, int full, unsigned char *data,
                   size_t size);
/* Looks up an entry by id (refcount + 1), NULL when gone. */
mn__cache_entry *mn__cache_get(mn__cache *c, const char *id);
void mn__cache_release(mn__cache *c, mn__cache_entry *e);
/* A copy of the PNG under name (malloc'd), or NULL; when absent and full = 1 and the entry
 * holds results, renders it first. */
int mn__cache_png(mn__cache_entry *e, const char *name, int full, unsigned char **data,
                  size_t *size, mn_error *err);

/* The shared state of the handlers. */
typedef struct mn__api {
    mn_serve_options opt;
    mn__cache *cache;
    json_t *schema; /* mn_scenario_schema_json, built once */
    mn_params params;
} mn__api;

/* Answers one request (every response has a body). */
void mn__api_handle(mn__api *api, const mn__request *rq, mn__response *rs);

/* Applies a JSON scenario (same sections and fields as YAML) on top of *sc with the `--set`
 * setter, field by field in the schema's order. On error: MN_ESCENARIO, the message of the
 * CLI without its location, and the field's path in `field` ("" when none). */
int mn__scenario_from_json(const json_t *schema, const json_t *in, mn_scenario *sc,
                           char *field, size_t field_size, mn_error *err);
/* The message of a scenario error without the "--set KEY:L:C: " or "SOURCE: " prefix, and
 * the field it names (up to the next ": "). */
const char *mn__scenario_message(const char *message, const char *source, char *field,
                                 size_t field_size);

/* Pictures of a run (render.c): a PNG of sample `sample` (-1 baseline) of the results'
 * surface, preview size (evaluation grid) or full. */
int mn__render_sample_png(const struct mn_results *r, const mn_scenario *sc, int sample,
                          int full, unsigned char **data, size_t *size, mn_error *err);
/* The sample of day 1 (as before_after.png shows it). */
int mn__run_day1_sample(const struct mn_results *r);

#endif
