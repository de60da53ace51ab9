/* Helpers of the calibration loops (study_impl.h): the calibrated targets of a set, and the
 * unbounded coordinate of a parameter within its literature range. */
#include <math.h>
#include <stdlib.h>

#include "study/study_impl.h"

/* A value on a bound moves this fraction of the range inside it (the logit is finite). */
static const double bound_margin = 1e-3;

int mn__param_log_scaled(const mn_param_info *pi)
{
    return pi->low > 0 && pi->high >= 10.0 * pi->low;
}

double mn__param_from_u(const mn_param_info *pi, double u)
{
    if (mn__param_log_scaled(pi))
        return exp(log(pi->low) + u * log(pi->high / pi->low));
    return pi->low + u * (pi->high - pi->low);
}

double mn__param_from_z(const mn_param_info *pi, double z)
{
    return mn__param_from_u(pi, 1.0 / (1.0 + exp(-z)));
}

double mn__param_to_z(const mn_param_info *pi, double v)
{
    double u = mn__param_log_scaled(pi) ? log(fmax(v, pi->low) / pi->low) / log(pi->high / pi->low)
                                        : (v - pi->low) / (pi->high - pi->low);
    u = fmin(fmax(u, bound_margin), 1.0 - bound_margin);
    return log(u / (1.0 - u));
}

int mn__calibrated_targets(const mn_study_set *set, const char ***out, int *count, mn_error *err)
{
    *out = NULL;
    *count = 0;
    int total = 0;
    for (int s = 0; s < mn_study_set_count(set); ++s)
        total += mn_study_set_get(set, s)->endpoint_count;
    const char **ids = calloc((size_t)(total ? total : 1), sizeof *ids);
    if (!ids)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    int n = 0;
    for (int s = 0; s < mn_study_set_count(set); ++s) {
        const mn_study *st = mn_study_set_get(set, s);
        for (int k = 0; k < st->endpoint_count; ++k)
            if (st->endpoints[k].role == MN_ROLE_CALIBRATE)
                ids[n++] = st->endpoints[k].id;
    }
    if (n == 0) {
        free(ids);
        return mn_error_set(err, MN_EINVAL,
                            "no calibrated endpoints (role: calibrate) in the studies");
    }
    *out = ids;
    *count = n;
    return MN_OK;
}
