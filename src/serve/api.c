/* The server's endpoints (docs/serve.md): the embedded page, the schema, runs with preview
 * pictures, the model range of a small cohort, YAML in and out, measurement of uploads. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "mnsim/cohort.h"
#include "mnsim/jobs.h"
#include "mnsim/measure.h"
#include "mnsim/outcome.h"
#include "mnsim/results.h"
#include "mnsim/simulate.h"
#include "serve/serve_impl.h"

/* Most samples a run may ask for (output.every_days over the course): bounds the memory and
 * the size of the answer. */
#define MAX_SAMPLES 20000
/* Largest photo or height map measured (pixels). */
#define MAX_MEASURE_PIXELS (4u * 1024u * 1024u)

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- Responses ------------------------------------------------------------------------ */

static void respond_json(mn__response *rs, int status, json_t *body)
{
    char *text =
        body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))
             : NULL;
    json_decref(body);
    rs->status = text ? status : 500;
    rs->content_type = "application/json";
    rs->cache_control = "no-store";
    if (!text)
        text = strdup("{\"error\":\"out of memory\",\"field\":null}");
    rs->body = (unsigned char *)text;
    rs->size = text ? strlen(text) : 0;
}

static void respond_error(mn__response *rs, int status, const char *message, const char *field)
{
    respond_json(rs, status,
                 json_pack("{s:s, s:o}", "error", message, "field",
                           field && field[0] ? json_string(field) : json_null()));
}

static int content_type_is(const mn__request *rq, const char *type)
{
    if (!rq->content_type)
        return 0;
    size_t n = strlen(type);
    return !strncasecmp(rq->content_type, type, n) &&
           (rq->content_type[n] == '\0' || rq->content_type[n] == ';' ||
            rq->content_type[n] == ' ');
}

/* State-changing calls take JSON only: a form post (the only cross-site body a page can send
 * without asking first) is refused, so no CSRF. */
static int require_json(const mn__request *rq, mn__response *rs)
{
    if (content_type_is(rq, "application/json"))
        return 1;
    respond_error(rs, 415, "this endpoint takes a JSON body (Content-Type: application/json)",
                  NULL);
    return 0;
}

static json_t *parse_body(const mn__request *rq, mn__response *rs)
{
    json_error_t je;
    json_t *in = json_loadb((const char *)rq->body, rq->size, JSON_REJECT_DUPLICATES, &je);
    if (!in) {
        char msg[400];
        snprintf(msg, sizeof msg, "request body: not valid JSON (line %d, column %d: %s)", je.line,
                 je.column, je.text);
        respond_error(rs, 400, msg, NULL);
    }
    return in;
}

/* The scenario of a request body: defaults, then the JSON's fields. 0 or a response sent. */
static int scenario_of(mn__api *api, const json_t *in, mn_scenario *sc, mn__response *rs)
{
    mn_scenario_default(sc);
    snprintf(sc->source, sizeof sc->source, "%s", "<default>");
    char field[160];
    mn_error err;
    mn_error_clear(&err);
    if (mn__scenario_from_json(api->schema, in, sc, field, sizeof field, &err)) {
        respond_error(rs, err.code == MN_ENOMEM ? 500 : 400, err.message, field);
        return -1;
    }
    double samples = mn_scenario_end_hour(sc) / 24.0 / sc->output.every_days + 2.0;
    if (samples > MAX_SAMPLES) {
        char msg[300];
        snprintf(msg, sizeof msg,
                 "output.every_days: %g days gives %.0f samples over the course; the server "
                 "answers at most %d (choose a larger step)",
                 sc->output.every_days, samples, MAX_SAMPLES);
        respond_error(rs, 400, msg, "output.every_days");
        return -1;
    }
    return 0;
}

/* The scenario a JSON request body holds; 0, or -1 with the error response sent. */
static int scenario_request(mn__api *api, const mn__request *rq, mn__response *rs, mn_scenario *sc)
{
    if (!require_json(rq, rs))
        return -1;
    json_t *in = parse_body(rq, rs);
    if (!in)
        return -1;
    int bad = scenario_of(api, in, sc, rs);
    json_decref(in);
    return bad;
}

/* ---- Simulation under a time limit ---------------------------------------------------- */

typedef struct deadline {
    double end_s, limit_s;
} deadline;

static int deadline_step(void *user, mn_sim *sim, double h, mn_error *err)
{
    (void)sim, (void)h;
    const deadline *d = user;
    if (now_s() > d->end_s)
        return mn_error_set(err, MN_ERANGE,
                            "the simulation took longer than the server's limit of %g s "
                            "(a shorter course, a coarser resolution or the column model)",
                            d->limit_s);
    return MN_OK;
}

static int status_of(int rc)
{
    switch (rc) {
    case MN_ESCENARIO:
    case MN_EINVAL:
    case MN_EFORMAT:
        return 400;
    case MN_ERANGE:
        return 503;
    default:
        return 500;
    }
}

static json_t *image_urls(const char *id, const char *const *names, int n)
{
    json_t *o = json_object();
    for (int i = 0; o && i < n; ++i) {
        char url[96];
        snprintf(url, sizeof url, "/api/image/%s/%s.png", id, names[i]);
        json_object_set_new(o, names[i], json_string(url));
    }
    return o;
}

static void api_run(mn__api *api, const mn__request *rq, mn__response *rs)
{
    mn_scenario sc;
    if (scenario_request(api, rq, rs, &sc))
        return;
    if (sc.simulate.uncertainty > 0) {
        /* The page's likely range is its cohort (/api/range); posterior bands are `mnsim run`'s. */
        respond_error(rs, 400,
                      "simulate.uncertainty: predictive bands are drawn by `mnsim run "
                      "--uncertainty N`; set it to 0 here (the page shows the likely range)",
                      "simulate.uncertainty");
        return;
    }
    const double t0 = now_s();
    mn_error err;
    mn_error_clear(&err);
    deadline dl = {.end_s = t0 + api->opt.run_limit_s, .limit_s = api->opt.run_limit_s};
    mn_sim_downtime down = {.threshold = sc.cohort.erythema_visible};
    mn_sim_observer obs[2] = {{.user = &dl, .on_step = deadline_step},
                              mn_sim_downtime_observer(&down)};
    const mn_sim_settings set = {.time_step_scale = 1.0}; /* as `mnsim run` */
    mn_results *res = NULL;
    int rc = mn_simulate_observed(&sc, &api->params, &set, obs, 2, NULL, &res, &err);
    if (rc) {
        respond_error(rs, status_of(rc), err.message, NULL);
        return;
    }
    const double t_sim = now_s();
    json_t *results = mn_results_to_json(res, &sc);
    const int last = mn_results_count(res) - 1, d1 = mn__run_day1_sample(res);
    const int samples[3] = {-1, d1, last};
    static const char *const names[3] = {"before", "day1", "after"};
    unsigned char *png[3] = {NULL, NULL, NULL};
    size_t png_size[3] = {0, 0, 0};
    for (int i = 0; !rc && i < 3; ++i)
        rc = mn__render_sample_png(res, &sc, samples[i], 0, &png[i], &png_size[i], &err);
    if (rc || !results) {
        for (int i = 0; i < 3; ++i)
            free(png[i]);
        json_decref(results);
        mn_results_free(&res);
        respond_error(rs, 500, rc ? err.message : "out of memory", NULL);
        return;
    }
    json_t *pain = json_array();
    for (int i = 0; pain && i < sc.treatment.session_count; ++i)
        json_array_append_new(pain, json_real(mn_outcome_pain_vas(
                                        &api->params, &sc, mn_scenario_session_needle_mm(&sc, i),
                                        mn_scenario_session_passes(&sc, i))));
    json_t *days = json_pack("{s:f, s:f, s:f}", "before", 0.0, "day1", mn_results_day(res, d1),
                             "after", mn_results_day(res, last));
    /* The cache takes the results, for full-size pictures on demand. */
    mn__cache_entry *e = mn__cache_add(api->cache, &sc, res);
    if (!e) {
        for (int i = 0; i < 3; ++i)
            free(png[i]);
        json_decref(results), json_decref(pain), json_decref(days);
        respond_error(rs, 500, "out of memory", NULL);
        return;
    }
    for (int i = 0; i < 3; ++i)
        mn__cache_put(e, names[i], 0, png[i], png_size[i]);
    const char *id = mn__cache_entry_id(e);
    json_t *full = json_object();
    for (int i = 0; full && i < 3; ++i) {
        char url[96];
        snprintf(url, sizeof url, "/api/image/%s/%s.png?full=1", id, names[i]);
        json_object_set_new(full, names[i], json_string(url));
    }
    json_t *out = json_object();
    json_object_set_new(out, "id", json_string(id));
    json_object_set_new(out, "note", json_string(mn_disclaimer));
    json_object_set_new(out, "images", image_urls(id, names, 3));
    json_object_set_new(out, "images_full", full);
    json_object_set_new(out, "image_days", days);
    json_object_set_new(out, "downtime_days", json_real(down.days));
    json_object_set_new(out, "downtime_threshold", json_real(sc.cohort.erythema_visible));
    json_object_set_new(out, "pain_vas", pain);
    json_object_set_new(
        out, "elapsed_ms",
        json_pack("{s:f, s:f}", "simulate", 1e3 * (t_sim - t0), "total", 1e3 * (now_s() - t0)));
    json_object_set_new(out, "results", results);
    mn__cache_release(api->cache, e);
    respond_json(rs, 200, out);
}

/* ---- The model range: a small cohort of patients like this one ------------------------ */

typedef struct range_ctx {
    const mn_scenario *base;
    const mn_params *p0;
    mn_patient_outcome *out;
    deadline dl;
} range_ctx;

static int range_job(void *user, long i, mn_error *err)
{
    range_ctx *c = user;
    if (now_s() > c->dl.end_s)
        return mn_error_set(err, MN_ERANGE, "the range took longer than the server's limit of %g s",
                            c->dl.limit_s);
    mn_scenario sc;
    mn_params p;
    int rc = mn_cohort_patient(c->base, c->p0, i, &sc, &p, err);
    if (!rc)
        rc = mn_cohort_simulate_one(&sc, &p, &c->out[i], err);
    return rc;
}

/* Patients in order of improvement (insertion sort: a range has a few dozen). */
static void sort_by_improvement(const mn_patient_outcome *out, long *idx, long n)
{
    for (long i = 0; i < n; ++i)
        idx[i] = i;
    for (long i = 1; i < n; ++i) {
        long v = idx[i], j = i;
        for (; j > 0 && out[idx[j - 1]].improvement > out[v].improvement; --j)
            idx[j] = idx[j - 1];
        idx[j] = v;
    }
}

static void api_range(mn__api *api, const mn__request *rq, mn__response *rs)
{
    mn_scenario sc;
    if (scenario_request(api, rq, rs, &sc))
        return;
    if (sc.simulate.model != MN_MODEL_COLUMN) {
        /* The cohort's lean runs are column runs whatever the scenario says. */
        sc.simulate.model = MN_MODEL_COLUMN;
    }
    const double t0 = now_s();
    const long n = api->opt.range_patients;
    mn_patient_outcome *out = calloc((size_t)n, sizeof *out);
    long *idx = malloc((size_t)n * sizeof *idx);
    if (!out || !idx) {
        free(out), free(idx);
        respond_error(rs, 500, "out of memory", NULL);
        return;
    }
    mn_error err;
    mn_error_clear(&err);
    range_ctx ctx = {.base = &sc,
                     .p0 = &api->params,
                     .out = out,
                     .dl = {t0 + api->opt.run_limit_s, api->opt.run_limit_s}};
    int rc = mn_jobs_run(n, mn_threads_for(0, n), 1, range_job, &ctx, &err);
    if (rc) {
        free(out), free(idx);
        respond_error(rs, status_of(rc), err.message, NULL);
        return;
    }
    sort_by_improvement(out, idx, n);
    static const double q[3] = {0.05, 0.50, 0.95};
    static const char *const names[3] = {"p5", "p50", "p95"};
    mn__cache_entry *e = mn__cache_add(api->cache, &sc, NULL);
    if (!e) {
        free(out), free(idx);
        respond_error(rs, 500, "out of memory", NULL);
        return;
    }
    json_t *picks = json_object();
    for (int k = 0; !rc && k < 3; ++k) {
        long i = idx[lround(q[k] * (double)(n - 1))];
        /* The patient again, leanly but with the height map, for its picture at the end. */
        mn_scenario psc;
        mn_params pp;
        rc = mn_cohort_patient(&sc, &api->params, i, &psc, &pp, &err);
        double days[2] = {0.0, mn_scenario_end_hour(&psc) / 24.0};
        mn_sim_settings set;
        mn_cohort_sim_settings(&psc, days, 2, &set);
        set.no_surface = 0;
        mn_results *res = NULL;
        if (!rc)
            rc = mn_simulate(&psc, &pp, &set, &res, &err);
        unsigned char *png = NULL;
        size_t size = 0;
        if (!rc)
            rc = mn__render_sample_png(res, &psc, mn_results_count(res) - 1, 0, &png, &size, &err);
        mn_results_free(&res);
        if (rc)
            break;
        mn__cache_put(e, names[k], 0, png, size);
        char url[96];
        snprintf(url, sizeof url, "/api/image/%s/%s.png", mn__cache_entry_id(e), names[k]);
        json_object_set_new(picks, names[k],
                            json_pack("{s:f, s:f, s:f, s:f, s:s, s:I}", "percentile", 100 * q[k],
                                      "improvement", out[i].improvement, "grade_before",
                                      out[i].grade0, "grade_after", out[i].grade_final, "image",
                                      url, "patient", (json_int_t)i));
    }
    if (rc) {
        mn__cache_release(api->cache, e);
        json_decref(picks);
        free(out), free(idx);
        respond_error(rs, status_of(rc), err.message, NULL);
        return;
    }
    int responders = 0;
    double down_sum = 0;
    for (long i = 0; i < n; ++i)
        responders += out[i].responder, down_sum += out[i].downtime_days;
    char note[400];
    snprintf(note, sizeof note,
             "A model range over %ld virtual patients like this one (parameter uncertainty %g of "
             "the literature ranges): what the model spreads, not a promise for any patient.",
             n, sc.cohort.parameter_spread);
    json_t *body = json_object();
    json_object_set_new(body, "id", json_string(mn__cache_entry_id(e)));
    json_object_set_new(body, "patients", json_integer(n));
    json_object_set_new(body, "note", json_string(note));
    json_object_set_new(body, "responder_fraction", json_real((double)responders / (double)n));
    json_object_set_new(body, "downtime_days_mean", json_real(down_sum / (double)n));
    json_object_set_new(body, "percentiles", picks);
    json_object_set_new(body, "elapsed_ms", json_real(1e3 * (now_s() - t0)));
    mn__cache_release(api->cache, e);
    free(out), free(idx);
    respond_json(rs, 200, body);
}

/* ---- YAML in and out ------------------------------------------------------------------ */

static void api_yaml(mn__api *api, const mn__request *rq, mn__response *rs)
{
    mn_scenario sc;
    if (scenario_request(api, rq, rs, &sc))
        return;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    int rc = f ? mn_scenario_write_yaml(&sc, f) : MN_ENOMEM;
    if (f && fclose(f))
        rc = MN_ENOMEM;
    if (rc || !text) {
        free(text);
        respond_error(rs, 500, "could not write the YAML", NULL);
        return;
    }
    json_t *body = json_pack("{s:s%}", "yaml", text, len);
    free(text);
    respond_json(rs, 200, body);
}

static void api_from_yaml(mn__api *api, const mn__request *rq, mn__response *rs)
{
    (void)api;
    if (!require_json(rq, rs))
        return;
    json_t *in = parse_body(rq, rs);
    if (!in)
        return;
    const char *yaml = json_string_value(json_object_get(in, "yaml"));
    if (!yaml) {
        json_decref(in);
        respond_error(rs, 400, "expected {\"yaml\": \"mnsim: 1\\n...\"}", "yaml");
        return;
    }
    const char *name = json_string_value(json_object_get(in, "name"));
    char source[128];
    snprintf(source, sizeof source, "%s", name && name[0] ? name : "scenario.yaml");
    mn_scenario sc;
    mn_scenario_default(&sc);
    mn_error err;
    mn_error_clear(&err);
    int rc = mn_scenario_load_string(&sc, yaml, source, &err);
    json_decref(in);
    if (rc) {
        char field[160];
        mn__scenario_message(err.message, source, field, sizeof field);
        respond_error(rs, 400, err.message, field);
        return;
    }
    respond_json(rs, 200, json_pack("{s:o}", "scenario", mn_scenario_to_json(&sc)));
}

/* ---- Measurement ---------------------------------------------------------------------- */

static int arg_number(const mn__request *rq, const char *name, double *out, mn__response *rs)
{
    const char *v = rq->arg ? rq->arg(rq->arg_ctx, name) : NULL;
    if (!v)
        return 0;
    char *end;
    double x = strtod(v, &end);
    if (end == v || *end || !isfinite(x) || x < 0) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s: '%.40s' is not a non-negative number", name, v);
        respond_error(rs, 400, msg, name);
        return -1;
    }
    *out = x;
    return 0;
}

static void api_measure(mn__api *api, const mn__request *rq, mn__response *rs)
{
    (void)api;
    /* The file itself is the body; form posts are refused like everywhere else. */
    if (!content_type_is(rq, "application/octet-stream") && !content_type_is(rq, "image/png") &&
        !content_type_is(rq, "image/jpeg") && !content_type_is(rq, "application/x-gsf")) {
        respond_error(
            rs, 415,
            "send the height map (GSF, GWY, SDF) or photo (PNG, JPEG) itself as the body, "
            "Content-Type application/octet-stream, image/png or image/jpeg",
            NULL);
        return;
    }
    mn_measure_read_opts ro = {.max_pixels = MAX_MEASURE_PIXELS};
    if (arg_number(rq, "pixel_um", &ro.pixel_um, rs) ||
        arg_number(rq, "z_scale_um", &ro.z_scale_um, rs))
        return;
    const char *as = rq->arg ? rq->arg(rq->arg_ctx, "as") : NULL;
    if (as && !strcmp(as, "photo"))
        ro.as = MN_MEASURE_AS_PHOTO;
    else if (as && !strcmp(as, "height"))
        ro.as = MN_MEASURE_AS_HEIGHT;
    else if (as && strcmp(as, "auto")) {
        respond_error(rs, 400, "as: expected photo, height or auto", "as");
        return;
    }
    /* ?channel=N|NAME: a channel of a multi-channel Gwyddion .gwy (mnsim measure --channel). */
    const char *channel = rq->arg ? rq->arg(rq->arg_ctx, "channel") : NULL;
    mn_error err;
    mn_error_clear(&err);
    mn_field *field = NULL;
    int rc =
        mn_measure_read_channel_memory(rq->body, rq->size, "upload", &ro, channel, &field, &err);
    mn_measure_settings set;
    mn_measure_settings_default(&set);
    mn_measure_result res;
    if (!rc)
        rc = mn_measure_field(field, "upload", &set, &res, NULL, &err);
    char *text = NULL;
    size_t len = 0;
    if (!rc) {
        FILE *f = open_memstream(&text, &len);
        rc = f ? mn_measure_report_json(f, &set, &res, NULL, &err)
               : mn_error_set(&err, MN_ENOMEM, "out of memory");
        if (f && fclose(f) && !rc)
            rc = mn_error_set(&err, MN_ENOMEM, "out of memory");
    }
    mn_field_free(&field);
    if (rc) {
        free(text);
        const char *which = rc == MN_EINVAL && strstr(err.message, "channel") ? "channel"
                            : rc == MN_EINVAL && strstr(err.message, "pixel") ? "pixel_um"
                                                                              : "body";
        respond_error(rs, rc == MN_ENOMEM ? 500 : 400, err.message, which);
        return;
    }
    rs->status = 200;
    rs->content_type = "application/json";
    rs->cache_control = "no-store";
    rs->body = (unsigned char *)text;
    rs->size = len;
}

/* ---- Pictures and the page ------------------------------------------------------------ */

static void api_image(mn__api *api, const mn__request *rq, mn__response *rs)
{
    /* /api/image/ID/NAME.png */
    const char *p = rq->path + strlen("/api/image/");
    const char *slash = strchr(p, '/');
    char id[24], name[16];
    size_t idn = slash ? (size_t)(slash - p) : 0;
    size_t nn = slash ? strlen(slash + 1) : 0;
    if (!slash || idn == 0 || idn >= sizeof id || nn < 5 || nn - 4 >= sizeof name ||
        strcmp(slash + 1 + nn - 4, ".png")) {
        respond_error(rs, 404, "no such picture", NULL);
        return;
    }
    memcpy(id, p, idn), id[idn] = '\0';
    memcpy(name, slash + 1, nn - 4), name[nn - 4] = '\0';
    const char *full = rq->arg ? rq->arg(rq->arg_ctx, "full") : NULL;
    mn__cache_entry *e = mn__cache_get(api->cache, id);
    if (!e) {
        respond_error(rs, 404, "no such run (the server keeps the latest runs only)", NULL);
        return;
    }
    mn_error err;
    mn_error_clear(&err);
    unsigned char *data = NULL;
    size_t size = 0;
    int rc = mn__cache_png(e, name, full && strcmp(full, "0"), &data, &size, &err);
    mn__cache_release(api->cache, e);
    if (rc) {
        respond_error(rs, rc == MN_ERANGE ? 404 : 500, err.message, NULL);
        return;
    }
    rs->status = 200;
    rs->content_type = "image/png";
    rs->cache_control = "private, max-age=3600";
    rs->body = data;
    rs->size = size;
}

static int asset(const mn__request *rq, mn__response *rs)
{
    const char *path = strcmp(rq->path, "/") ? rq->path : "/index.html";
    for (size_t i = 0; i < mn__serve_asset_count; ++i)
        if (!strcmp(path, mn__serve_assets[i].path)) {
            rs->status = 200;
            rs->content_type = mn__serve_assets[i].content_type;
            rs->body = (unsigned char *)mn__serve_assets[i].data;
            rs->size = mn__serve_assets[i].size;
            rs->persistent = 1;
            rs->cache_control = "no-cache";
            return 1;
        }
    return 0;
}

static void api_schema(mn__api *api, mn__response *rs)
{
    json_t *body = json_deep_copy(api->schema);
    json_object_set_new(body, "note", json_string(mn_disclaimer));
    json_object_set_new(body, "version", json_string(MNSIM_VERSION));
    json_object_set_new(body, "limits",
                        json_pack("{s:I, s:I, s:f, s:i, s:i}", "max_json_bytes",
                                  (json_int_t)api->opt.max_json_bytes, "max_upload_bytes",
                                  (json_int_t)api->opt.max_upload_bytes, "run_limit_s",
                                  api->opt.run_limit_s, "range_patients", api->opt.range_patients,
                                  "max_samples", MAX_SAMPLES));
    respond_json(rs, 200, body);
}

void mn__api_handle(mn__api *api, const mn__request *rq, mn__response *rs)
{
    memset(rs, 0, sizeof *rs);
    const int get = !strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD");
    const int post = !strcmp(rq->method, "POST");
    if (strncmp(rq->path, "/api/", 5)) {
        if (get && asset(rq, rs))
            return;
        respond_error(rs, get ? 404 : 405, get ? "not found" : "method not allowed", NULL);
        return;
    }
    static const struct {
        const char *path;
        void (*post)(mn__api *, const mn__request *, mn__response *);
    } posts[] = {{"/api/run", api_run},
                 {"/api/range", api_range},
                 {"/api/yaml", api_yaml},
                 {"/api/from-yaml", api_from_yaml},
                 {"/api/measure", api_measure}};
    for (size_t i = 0; i < sizeof posts / sizeof posts[0]; ++i)
        if (!strcmp(rq->path, posts[i].path)) {
            if (post)
                posts[i].post(api, rq, rs);
            else
                respond_error(rs, 405, "method not allowed (POST)", NULL);
            return;
        }
    if (!strcmp(rq->path, "/api/schema")) {
        if (get)
            api_schema(api, rs);
        else
            respond_error(rs, 405, "method not allowed (GET)", NULL);
        return;
    }
    if (!strncmp(rq->path, "/api/image/", 11)) {
        if (get)
            api_image(api, rq, rs);
        else
            respond_error(rs, 405, "method not allowed (GET)", NULL);
        return;
    }
    respond_error(rs, 404, "no such endpoint", NULL);
}
