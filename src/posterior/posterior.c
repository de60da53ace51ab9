/* Posterior samples of model parameters: storage, JSON file I/O (jansson), and the mapping of a
 * draw onto a parameter set. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/io.h"
#include "mnsim/posterior.h"

struct mn_posterior {
    int nparams, ndraws;
    const mn_param_info **params;
    double *values;      /* [draw][param] */
    double *log_density; /* [draw] */
    mn_posterior_diag *diag;
    json_t *info;
};

static const int file_version = 1;

void mn_posterior_free(mn_posterior **post)
{
    if (!post || !*post)
        return;
    mn_posterior *p = *post;
    free(p->params);
    free(p->values);
    free(p->log_density);
    free(p->diag);
    json_decref(p->info);
    free(p);
    *post = NULL;
}

int mn_posterior_create(int nparams, const mn_param_info *const *params, int ndraws,
                        const double *values, const double *log_density, mn_posterior **out,
                        mn_error *err)
{
    if (!out)
        return mn_error_set(err, MN_EINVAL, "mn_posterior_create: NULL output");
    *out = NULL;
    if (nparams < 1 || ndraws < 1 || !params || !values)
        return mn_error_set(err, MN_EINVAL, "mn_posterior_create: invalid argument");
    mn_posterior *p = calloc(1, sizeof *p);
    if (!p)
        return mn_error_set(err, MN_ENOMEM, "out of memory for a posterior");
    p->nparams = nparams;
    p->ndraws = ndraws;
    const size_t nv = (size_t)nparams * (size_t)ndraws;
    p->params = malloc((size_t)nparams * sizeof *p->params);
    p->values = malloc(nv * sizeof *p->values);
    p->log_density = malloc((size_t)ndraws * sizeof *p->log_density);
    p->diag = malloc((size_t)nparams * sizeof *p->diag);
    if (!p->params || !p->values || !p->log_density || !p->diag) {
        mn_posterior_free(&p);
        return mn_error_set(err, MN_ENOMEM, "out of memory for %d posterior draws", ndraws);
    }
    for (int i = 0; i < nparams; ++i) {
        if (!params[i]) {
            mn_posterior_free(&p);
            return mn_error_set(err, MN_EINVAL, "mn_posterior_create: parameter %d is NULL", i);
        }
        p->params[i] = params[i];
        p->diag[i] = (mn_posterior_diag){NAN, NAN, NAN};
    }
    memcpy(p->values, values, nv * sizeof *values);
    for (int d = 0; d < ndraws; ++d)
        p->log_density[d] = log_density ? log_density[d] : NAN;
    *out = p;
    return MN_OK;
}

int mn_posterior_param_count(const mn_posterior *post)
{
    return post ? post->nparams : 0;
}
int mn_posterior_draw_count(const mn_posterior *post)
{
    return post ? post->ndraws : 0;
}

const mn_param_info *mn_posterior_param(const mn_posterior *post, int i)
{
    return post && i >= 0 && i < post->nparams ? post->params[i] : NULL;
}

double mn_posterior_value(const mn_posterior *post, int draw, int i)
{
    return post->values[(size_t)draw * (size_t)post->nparams + (size_t)i];
}

void mn_posterior_set_diag(mn_posterior *post, int i, const mn_posterior_diag *d)
{
    if (post && d && i >= 0 && i < post->nparams)
        post->diag[i] = *d;
}

const mn_posterior_diag *mn_posterior_diag_of(const mn_posterior *post, int i)
{
    return post && i >= 0 && i < post->nparams ? &post->diag[i] : NULL;
}

void mn_posterior_set_info(mn_posterior *post, struct json_t *info)
{
    if (!post) {
        json_decref(info);
        return;
    }
    json_decref(post->info);
    post->info = info;
}

const struct json_t *mn_posterior_info(const mn_posterior *post)
{
    return post ? post->info : NULL;
}

int mn_posterior_apply(const mn_posterior *post, int draw, mn_params *p, mn_error *err)
{
    if (!post || !p || draw < 0 || draw >= post->ndraws)
        return mn_error_set(err, MN_EINVAL, "mn_posterior_apply: no draw %d", draw);
    for (int i = 0; i < post->nparams; ++i)
        *mn_params_ref(p, post->params[i]) = mn_posterior_value(post, draw, i);
    return MN_OK;
}

int mn_posterior_pick(const mn_posterior *post, int k, int n)
{
    if (!post || n < 1 || k < 0 || k >= n)
        return 0;
    /* floor((k + 1/2) D / n): the centres of n equal slices of the D stored draws. */
    long idx = (long)(((double)k + 0.5) * post->ndraws / n);
    return (int)(idx < post->ndraws ? idx : post->ndraws - 1);
}

/* ---- file ---- */

static json_t *diag_number(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

int mn_posterior_write(const mn_posterior *post, const char *path, mn_error *err)
{
    if (!post || !path)
        return mn_error_set(err, MN_EINVAL, "mn_posterior_write: invalid argument");
    json_t *root = json_object(), *params = json_array(), *draws = json_array(), *lp = json_array();
    int rc = MN_OK;
    if (!root || !params || !draws || !lp) {
        json_decref(params), json_decref(draws), json_decref(lp);
        rc = mn_error_set(err, MN_ENOMEM, "out of memory writing %s", path);
        goto done;
    }
    json_object_set_new(root, "mnsim_posterior", json_integer(file_version));
    json_object_set_new(root, "note",
                        json_string("posterior draws of the model parameters (mnsim calibrate, "
                                    "docs/uncertainty.md); parameters not listed keep their "
                                    "table values"));
    for (int i = 0; i < post->nparams; ++i) {
        const mn_param_info *pi = post->params[i];
        json_t *e = json_pack("{s:s, s:s, s:f, s:f, s:s}", "name", pi->name, "unit", pi->unit,
                              "low", pi->low, "high", pi->high, "prior",
                              pi->low > 0 && pi->high >= 10 * pi->low ? "log-uniform" : "uniform");
        if (e) {
            json_object_set_new(e, "rhat", diag_number(post->diag[i].rhat));
            json_object_set_new(e, "tau", diag_number(post->diag[i].tau));
            json_object_set_new(e, "ess", diag_number(post->diag[i].ess));
        }
        json_array_append_new(params, e);
    }
    json_object_set_new(root, "params", params);
    for (int d = 0; d < post->ndraws; ++d) {
        json_t *row = json_array();
        for (int i = 0; row && i < post->nparams; ++i)
            json_array_append_new(row, json_real(mn_posterior_value(post, d, i)));
        json_array_append_new(draws, row);
        json_array_append_new(lp, diag_number(post->log_density[d]));
    }
    json_object_set_new(root, "draws", draws);
    json_object_set_new(root, "log_density", lp);
    if (post->info)
        json_object_set(root, "calibration", post->info);
    char *text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    if (!text) {
        rc = mn_error_set(err, MN_ENOMEM, "out of memory writing %s", path);
        goto done;
    }
    size_t n = strlen(text);
    char *withnl = malloc(n + 1);
    if (!withnl) {
        free(text);
        rc = mn_error_set(err, MN_ENOMEM, "out of memory writing %s", path);
        goto done;
    }
    memcpy(withnl, text, n);
    withnl[n] = '\n';
    free(text);
    rc = mn_atomic_write(path, withnl, n + 1, err);
    free(withnl);
done:
    json_decref(root);
    return rc;
}

static int bad(mn_error *err, const char *path, const char *what)
{
    return mn_error_set(err, MN_EFORMAT, "%s: %s", path, what);
}

int mn_posterior_read(const char *path, mn_posterior **out, mn_error *err)
{
    if (!out)
        return mn_error_set(err, MN_EINVAL, "mn_posterior_read: NULL output");
    *out = NULL;
    if (!path)
        return mn_error_set(err, MN_EINVAL, "mn_posterior_read: NULL path");
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        FILE *f = fopen(path, "rb");
        if (!f)
            return mn_error_set(err, MN_EIO, "%s: cannot open (%s)", path, je.text);
        fclose(f);
        return mn_error_set(err, MN_EFORMAT, "%s:%d:%d: %s", path, je.line, je.column, je.text);
    }
    int rc = MN_OK;
    const mn_param_info **infos = NULL;
    double *values = NULL, *lps = NULL;
    json_t *version = json_object_get(root, "mnsim_posterior");
    json_t *params = json_object_get(root, "params"), *draws = json_object_get(root, "draws");
    json_t *lp = json_object_get(root, "log_density");
    if (!json_is_object(root) || !json_is_integer(version) ||
        json_integer_value(version) != file_version) {
        rc = bad(err, path, "mnsim_posterior: not a version-1 mnsim posterior file");
        goto done;
    }
    if (!json_is_array(params) || json_array_size(params) < 1 ||
        json_array_size(params) > mn_params_count()) {
        rc = bad(err, path, "params: must be a non-empty array of parameters");
        goto done;
    }
    if (!json_is_array(draws) || json_array_size(draws) < 1 || json_array_size(draws) > 1000000) {
        rc = bad(err, path, "draws: must be an array of 1 to 1000000 draws");
        goto done;
    }
    const int np = (int)json_array_size(params), nd = (int)json_array_size(draws);
    infos = calloc((size_t)np, sizeof *infos);
    values = malloc((size_t)np * (size_t)nd * sizeof *values);
    lps = malloc((size_t)nd * sizeof *lps);
    if (!infos || !values || !lps) {
        rc = mn_error_set(err, MN_ENOMEM, "out of memory reading %s", path);
        goto done;
    }
    for (int i = 0; i < np; ++i) {
        const char *name = json_string_value(json_object_get(json_array_get(params, i), "name"));
        infos[i] = name ? mn_params_find(name) : NULL;
        if (!infos[i]) {
            rc = mn_error_set(err, MN_EFORMAT, "%s: params[%d].name: %s%s%s", path, i,
                              name ? "unknown parameter '" : "missing", name ? name : "",
                              name ? "' (mnsim params lists them)" : "");
            goto done;
        }
        for (int j = 0; j < i; ++j)
            if (infos[j] == infos[i]) {
                rc = mn_error_set(err, MN_EFORMAT, "%s: params[%d].name: '%s' listed twice", path,
                                  i, name);
                goto done;
            }
    }
    for (int d = 0; d < nd; ++d) {
        json_t *row = json_array_get(draws, d);
        if (!json_is_array(row) || (int)json_array_size(row) != np) {
            rc = mn_error_set(err, MN_EFORMAT, "%s: draws[%d]: must hold %d numbers", path, d, np);
            goto done;
        }
        for (int i = 0; i < np; ++i) {
            json_t *v = json_array_get(row, i);
            const double x = json_number_value(v);
            if (!json_is_number(v) || !isfinite(x) || x < infos[i]->low || x > infos[i]->high) {
                rc = mn_error_set(err, MN_EFORMAT,
                                  "%s: draws[%d][%d]: %s must be a number within [%g, %g]", path, d,
                                  i, infos[i]->name, infos[i]->low, infos[i]->high);
                goto done;
            }
            values[(size_t)d * (size_t)np + (size_t)i] = x;
        }
        json_t *l = json_is_array(lp) ? json_array_get(lp, d) : NULL;
        lps[d] = json_is_number(l) ? json_number_value(l) : NAN;
    }
    mn_posterior *post = NULL;
    rc = mn_posterior_create(np, infos, nd, values, lps, &post, err);
    if (rc)
        goto done;
    for (int i = 0; i < np; ++i) {
        json_t *e = json_array_get(params, i);
        json_t *rh = json_object_get(e, "rhat"), *tau = json_object_get(e, "tau"),
               *ess = json_object_get(e, "ess");
        post->diag[i] = (mn_posterior_diag){json_is_number(rh) ? json_number_value(rh) : NAN,
                                            json_is_number(tau) ? json_number_value(tau) : NAN,
                                            json_is_number(ess) ? json_number_value(ess) : NAN};
    }
    json_t *info = json_object_get(root, "calibration");
    if (info)
        mn_posterior_set_info(post, json_incref(info));
    *out = post;
done:
    free(infos);
    free(values);
    free(lps);
    json_decref(root);
    return rc;
}
