/* The observers of a CLI run (cli.h): progress bar, 3-D pictures, checkpoints. */
#include <stdio.h>

#include "cli/cli.h"
#include "mnsim/progress.h"
#include "mnsim/render.h"
#include "mnsim/simulate.h"

static int progress_start(void *user, mn_sim *sim, mn_error *err)
{
    (void)err;
    mn_progress **bar = user;
    *bar = mn_progress_start("mnsim run", mn_sim_end_h(sim) / 24.0);
    if (mn_sim_resumed(sim))
        mn_progress_update(*bar, mn_sim_time_h(sim) / 24.0, "days");
    return MN_OK;
}

static int progress_sample(void *user, mn_sim *sim, int sample, double day, mn_error *err)
{
    (void)sample, (void)day, (void)err;
    mn_progress_update(*(mn_progress **)user, mn_sim_time_h(sim) / 24.0, "days");
    return MN_OK;
}

static void checkpoint_warning(void *user, const mn_error *err)
{
    (void)user;
    fprintf(stderr, "mnsim: warning: %s (the run goes on; the last good checkpoint is kept)\n",
            err->message);
}

int mn_cli_simulate(const mn_scenario *sc, const mn_params *p, const mn_cli_run_extras *x,
                    int resume, struct mn_results **out, mn_error *err)
{
    mn_checkpointer *cp = NULL;
    int rc = mn_checkpointer_create(sc->output.dir, x->checkpoint_every_days, &cp, err);
    if (rc)
        return rc;
    mn_checkpointer_on_failure(cp, checkpoint_warning, NULL);
    mn_progress *bar = NULL;
    mn_render3d_observer pictures = {
        .dir = sc->output.dir, .vti_days = x->vti_days, .vti_count = x->vti_count};
    mn_sim_observer obs[3];
    int n = 0;
    obs[n++] = (mn_sim_observer){
        .user = &bar, .on_start = progress_start, .on_sample = progress_sample};
    if (sc->output.images)
        obs[n++] = mn_render3d_observer_of(&pictures);
    obs[n++] = mn_checkpointer_observer(cp);
    const mn_sim_settings set = {.time_step_scale = 1.0};
    rc = mn_simulate_observed(sc, p, &set, obs, n, resume ? cp : NULL, out, err);
    mn_progress_finish(&bar);
    mn_checkpointer_free(&cp);
    return rc;
}
