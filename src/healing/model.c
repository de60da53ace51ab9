#include "mnsim/model.h"

#include <math.h>

#include <stdlib.h>

#include "mnsim/patch3d.h"

struct mn_model {
    const mn_model_ops *ops;
    void *self;
};

int mn_model_wrap(const mn_model_ops *ops, void *self, mn_model **out, mn_error *err)
{
    mn_model *m = malloc(sizeof *m);
    if (!m) {
        ops->destroy(self);
        return mn_error_set(err, MN_ENOMEM, "out of memory for the model");
    }
    m->ops = ops;
    m->self = self;
    *out = m;
    return MN_OK;
}

int mn_model_create(const mn_scenario *sc, const mn_tissue *tissue, const mn_params *p,
                    mn_model **out, mn_error *err)
{
    if (!sc || !tissue || !p || !out)
        return mn_error_set(err, MN_EINVAL, "mn_model_create: NULL argument");
    *out = NULL;
    void *self = NULL;
    int rc;
    switch (sc->simulate.model) {
    case MN_MODEL_COLUMN:
        rc = mn_column_create(tissue, p, &self, err);
        return rc ? rc : mn_model_wrap(&mn_column_ops, self, out, err);
    case MN_MODEL_3D:
        rc = mn_patch3d_create(sc, tissue, p, &self, err);
        return rc ? rc : mn_model_wrap(&mn_patch3d_ops, self, out, err);
    default:
        return mn_error_set(err, MN_ENOTSUP, "%s: simulate.model: unknown model %d", sc->source,
                            (int)sc->simulate.model);
    }
}

void mn_model_free(mn_model **m)
{
    if (!m || !*m)
        return;
    (*m)->ops->destroy((*m)->self);
    free(*m);
    *m = NULL;
}

int mn_model_injure(mn_model *m, const mn_injury *injury, int session, mn_error *err)
{
    return m->ops->injure(m->self, injury, session, err);
}

int mn_model_advance(mn_model *m, double dt_h, const mn_drivers *drivers, int topical_applied,
                     mn_error *err)
{
    return m->ops->advance(m->self, dt_h, drivers, topical_applied, err);
}

void mn_model_profile(const mn_model *m, mn_species species, double *out)
{
    m->ops->profile(m->self, species, out);
}

const char *mn_model_name(const mn_model *m)
{
    return m->ops->name;
}

int mn_model_state(mn_model *m, void **arrays, size_t *bytes, int max)
{
    return m->ops->state ? m->ops->state(m->self, arrays, bytes, max) : 0;
}

void *mn_model_impl(const mn_model *m, const mn_model_ops *ops)
{
    return (m && m->ops == ops) ? m->self : NULL;
}

double mn_model_step_error(const mn_model *m)
{
    return m->ops->step_error ? m->ops->step_error(m->self) : NAN;
}
