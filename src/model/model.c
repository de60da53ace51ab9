/* The model interface: an opaque handle over a table of operations (model_ops.h). */
#include <math.h>
#include <stdlib.h>

#include "model/model_ops.h"

struct mn_model {
    const mn_model_ops *ops;
    void *self;
};

int mn__model_wrap(const mn_model_ops *ops, void *self, mn_model **out, mn_error *err)
{
    if (!ops || !self || !out) {
        if (ops && self)
            ops->destroy(self);
        return mn_error_set(err, MN_EINVAL, "mn__model_wrap: NULL argument");
    }
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

void *mn__model_impl(const mn_model *m, const mn_model_ops *ops)
{
    return (m && m->ops == ops) ? m->self : NULL;
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
    if (!m || !injury)
        return mn_error_set(err, MN_EINVAL, "mn_model_injure: NULL argument");
    return m->ops->injure(m->self, injury, session, err);
}

int mn_model_advance(mn_model *m, double dt_h, const mn_drivers *drivers, int topical_applied,
                     mn_error *err)
{
    if (!m || !drivers)
        return mn_error_set(err, MN_EINVAL, "mn_model_advance: NULL argument");
    if (!(dt_h >= 0) || !isfinite(dt_h))
        return mn_error_set(err, MN_EINVAL, "mn_model_advance: step %g h is not finite and >= 0",
                            dt_h);
    return m->ops->advance(m->self, dt_h, drivers, topical_applied, err);
}

void mn_model_profile(const mn_model *m, mn_species species, double *out)
{
    if (m && out && (int)species >= 0 && species < MN_SP_COUNT)
        m->ops->profile(m->self, species, out);
}

const char *mn_model_name(const mn_model *m)
{
    return m ? m->ops->name : "";
}

int mn_model_state(mn_model *m, void **arrays, size_t *bytes, int max)
{
    return (m && m->ops->state && arrays && bytes) ? m->ops->state(m->self, arrays, bytes, max)
                                                   : 0;
}

int mn_model_check_state(const mn_model *m, mn_error *err)
{
    if (!m)
        return mn_error_set(err, MN_EINVAL, "mn_model_check_state: NULL model");
    long bad = m->ops->bad_state ? m->ops->bad_state(m->self) : -1;
    if (bad >= 0)
        return mn_error_set(err, MN_EFORMAT, "%s model: state value %ld is not finite",
                            m->ops->name, bad);
    return MN_OK;
}

double mn_model_step_error(const mn_model *m)
{
    return (m && m->ops->step_error) ? m->ops->step_error(m->self) : NAN;
}

mn_model_step_policy mn_model_step_policy_of(const mn_model *m)
{
    return m ? m->ops->step_policy : (mn_model_step_policy){0, 0};
}
