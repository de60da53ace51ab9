/* The picture cache of the server: runs and ranges by id, least recently used evicted. An
 * entry in use by a request is reference counted, so eviction never frees it under a reader. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/results.h"
#include "serve/serve_impl.h"

static const char *const slot_names[MN__IMAGE_SLOTS] = {"before", "day1", "after",
                                                        "p5",     "p50",  "p95"};

typedef struct png_blob {
    unsigned char *data;
    size_t size;
} png_blob;

struct mn__cache_entry {
    char id[24];
    int refs;
    unsigned long used; /* last use (cache clock) */
    mn_scenario sc;
    mn_results *results;
    png_blob png[MN__IMAGE_SLOTS][2]; /* [slot][full] */
    pthread_mutex_t lock;             /* guards png */
};

struct mn__cache {
    pthread_mutex_t lock;
    int capacity, count;
    unsigned long clock, next_id;
    mn__cache_entry **entries;
};

int mn__cache_create(int capacity, mn__cache **out, mn_error *err)
{
    mn__cache *c = calloc(1, sizeof *c);
    if (c)
        c->entries = calloc((size_t)capacity, sizeof *c->entries);
    if (!c || !c->entries) {
        free(c);
        return mn_error_set(err, MN_ENOMEM, "out of memory for the picture cache");
    }
    pthread_mutex_init(&c->lock, NULL);
    c->capacity = capacity;
    c->next_id = 1;
    *out = c;
    return MN_OK;
}

static void entry_free(mn__cache_entry *e)
{
    for (int i = 0; i < MN__IMAGE_SLOTS; ++i)
        free(e->png[i][0].data), free(e->png[i][1].data);
    mn_results_free(&e->results);
    pthread_mutex_destroy(&e->lock);
    free(e);
}

void mn__cache_free(mn__cache **c)
{
    if (!c || !*c)
        return;
    for (int i = 0; i < (*c)->count; ++i)
        entry_free((*c)->entries[i]);
    pthread_mutex_destroy(&(*c)->lock);
    free((*c)->entries);
    free(*c);
    *c = NULL;
}

static void unref_locked(mn__cache_entry *e)
{
    if (--e->refs == 0)
        entry_free(e);
}

mn__cache_entry *mn__cache_add(mn__cache *c, const mn_scenario *sc, mn_results *results)
{
    mn__cache_entry *e = calloc(1, sizeof *e);
    if (!e) {
        mn_results_free(&results);
        return NULL;
    }
    pthread_mutex_init(&e->lock, NULL);
    e->sc = *sc;
    e->results = results;
    pthread_mutex_lock(&c->lock);
    snprintf(e->id, sizeof e->id, "r%lu", c->next_id++);
    e->used = ++c->clock;
    e->refs = 2; /* the cache's and the caller's */
    if (c->count == c->capacity) {
        int lru = 0;
        for (int i = 1; i < c->count; ++i)
            if (c->entries[i]->used < c->entries[lru]->used)
                lru = i;
        unref_locked(c->entries[lru]);
        c->entries[lru] = c->entries[--c->count];
    }
    c->entries[c->count++] = e;
    pthread_mutex_unlock(&c->lock);
    return e;
}

const char *mn__cache_entry_id(const mn__cache_entry *e)
{
    return e->id;
}

static int slot_of(const char *name)
{
    for (int i = 0; i < MN__IMAGE_SLOTS; ++i)
        if (!strcmp(name, slot_names[i]))
            return i;
    return -1;
}

void mn__cache_put(mn__cache_entry *e, const char *name, int full, unsigned char *data,
                   size_t size)
{
    int s = slot_of(name);
    if (s < 0) {
        free(data);
        return;
    }
    pthread_mutex_lock(&e->lock);
    free(e->png[s][full != 0].data);
    e->png[s][full != 0] = (png_blob){data, size};
    pthread_mutex_unlock(&e->lock);
}

mn__cache_entry *mn__cache_get(mn__cache *c, const char *id)
{
    mn__cache_entry *found = NULL;
    pthread_mutex_lock(&c->lock);
    for (int i = 0; i < c->count; ++i)
        if (!strcmp(c->entries[i]->id, id)) {
            found = c->entries[i];
            found->refs++;
            found->used = ++c->clock;
            break;
        }
    pthread_mutex_unlock(&c->lock);
    return found;
}

void mn__cache_release(mn__cache *c, mn__cache_entry *e)
{
    if (!e)
        return;
    pthread_mutex_lock(&c->lock);
    unref_locked(e);
    pthread_mutex_unlock(&c->lock);
}

static int copy_blob(const png_blob *b, unsigned char **data, size_t *size)
{
    *data = malloc(b->size ? b->size : 1);
    if (!*data)
        return MN_ENOMEM;
    memcpy(*data, b->data, b->size);
    *size = b->size;
    return MN_OK;
}

int mn__cache_png(mn__cache_entry *e, const char *name, int full, unsigned char **data,
                  size_t *size, mn_error *err)
{
    *data = NULL;
    int s = slot_of(name);
    if (s < 0)
        return mn_error_set(err, MN_ERANGE, "no picture '%s'", name);
    full = full != 0;
    pthread_mutex_lock(&e->lock);
    int rc = MN_ERANGE;
    if (e->png[s][full].data)
        rc = copy_blob(&e->png[s][full], data, size);
    pthread_mutex_unlock(&e->lock);
    if (rc != MN_ERANGE)
        return rc ? mn_error_set(err, rc, "out of memory") : MN_OK;
    /* Full size on demand: before, day 1 and after of a run that kept its results. */
    if (!full || !e->results || s > 2)
        return mn_error_set(err, MN_ERANGE, "no picture '%s'", name);
    const int count = mn_results_count(e->results);
    const int sample = s == 0 ? -1 : s == 2 ? count - 1 : mn__run_day1_sample(e->results);
    unsigned char *png = NULL;
    size_t n = 0;
    rc = mn__render_sample_png(e->results, &e->sc, sample, 1, &png, &n, err);
    if (rc)
        return rc;
    *data = malloc(n);
    if (!*data) {
        free(png);
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    }
    memcpy(*data, png, n);
    *size = n;
    mn__cache_put(e, name, 1, png, n);
    return MN_OK;
}
