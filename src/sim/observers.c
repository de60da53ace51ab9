/* Ready-made observers (simulate.h): downtime accounting and step counting. */
#include "mnsim/outcome.h"
#include "mnsim/simulate.h"

static int downtime_start(void *user, mn_sim *sim, mn_error *err)
{
    (void)err;
    mn_sim_downtime *d = user;
    d->days = 0.0;
    d->last = mn_sim_erythema(sim);
    return MN_OK;
}

static int downtime_step(void *user, mn_sim *sim, double h, mn_error *err)
{
    (void)err;
    mn_sim_downtime *d = user;
    double e = mn_sim_erythema(sim);
    d->days += mn_outcome_time_above(d->last, e, h / 24.0, d->threshold);
    d->last = e;
    return MN_OK;
}

mn_sim_observer mn_sim_downtime_observer(mn_sim_downtime *d)
{
    return (mn_sim_observer){.user = d, .on_start = downtime_start, .on_step = downtime_step};
}

static int count_step(void *user, mn_sim *sim, double h, mn_error *err)
{
    (void)sim, (void)h, (void)err;
    ++*(long *)user;
    return MN_OK;
}

mn_sim_observer mn_sim_step_counter(long *steps)
{
    return (mn_sim_observer){.user = steps, .on_step = count_step};
}
