/* The observers of a CLI run (cli.h): progress (bar or weekly lines), 3-D pictures and
 * checkpoints. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "mnsim/progress.h"
#include "mnsim/render.h"
#include "mnsim/simulate.h"

/* How the run shows progress: the bar on a terminal; lines a week (for logs) when asked, or
 * when stderr is not a terminal and the run is long (the 3-D model: minutes); else nothing. */
typedef enum progress_style { PROGRESS_NONE, PROGRESS_BAR, PROGRESS_LINES } progress_style;

typedef struct progress_state {
    progress_style style;
    mn_progress *bar;
} progress_state;

static int progress_style_of(const char *name, const mn_scenario *sc, progress_style *out,
                             mn_error *err)
{
    if (!name || !strcmp(name, "auto")) {
        *out = isatty(STDERR_FILENO)               ? PROGRESS_BAR
               : sc->simulate.model == MN_MODEL_3D ? PROGRESS_LINES
                                                   : PROGRESS_NONE;
    } else if (!strcmp(name, "plain")) {
        *out = PROGRESS_LINES;
    } else if (!strcmp(name, "none")) {
        *out = PROGRESS_NONE;
    } else {
        return mn_error_set(err, MN_EINVAL, "--progress: '%s' is not auto, plain or none", name);
    }
    return MN_OK;
}

static int progress_start(void *user, mn_sim *sim, mn_error *err)
{
    (void)err;
    progress_state *ps = user;
    const double days = mn_sim_end_h(sim) / 24.0;
    if (ps->style == PROGRESS_BAR)
        ps->bar = mn_progress_start("mnsim run", days);
    else if (ps->style == PROGRESS_LINES)
        ps->bar = mn_progress_start_lines("mnsim run", days, 7.0, "week", "day");
    if (mn_sim_resumed(sim))
        mn_progress_update(ps->bar, mn_sim_time_h(sim) / 24.0, "days");
    return MN_OK;
}

static int progress_sample(void *user, mn_sim *sim, int sample, double day, mn_error *err)
{
    (void)sample, (void)day, (void)err;
    mn_progress_update(((progress_state *)user)->bar, mn_sim_time_h(sim) / 24.0, "days");
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
    progress_state progress = {PROGRESS_NONE, NULL};
    int rc = progress_style_of(x->progress, sc, &progress.style, err);
    if (rc)
        return rc;
    mn_checkpointer *cp = NULL;
    rc = mn_checkpointer_create(sc->output.dir, x->checkpoint_every_days, &cp, err);
    if (rc)
        return rc;
    mn_checkpointer_on_failure(cp, checkpoint_warning, NULL);
    /* Without --vti-days: the snapshot right after the first session (and the last day's). */
    mn_render3d_observer pictures = {.dir = sc->output.dir,
                                     .vti_days = x->vti_days,
                                     .vti_count = x->vti_count,
                                     .first_session_vti = x->vti_count == 0};
    /* The test hooks' observer comes last: after the checkpointer, so a checkpoint of the
     * sample it sees is written. */
    mn_cli_kill_observer kill = {.hooks = x->hooks};
    mn_sim_observer obs[4];
    int n = 0;
    obs[n++] = (mn_sim_observer){
        .user = &progress, .on_start = progress_start, .on_sample = progress_sample};
    if (sc->output.images)
        obs[n++] = mn_render3d_observer_of(&pictures);
    obs[n++] = mn_checkpointer_observer(cp);
    rc = mn_cli_kill_observer_of(&kill, sc->output.dir, &obs[n], err);
    if (rc) {
        mn_checkpointer_free(&cp);
        return rc;
    }
    if (obs[n].user)
        ++n;
    const mn_sim_settings set = {.time_step_scale = 1.0};
    rc = mn_simulate_observed(sc, p, &set, obs, n, resume ? cp : NULL, out, err);
    mn_progress_finish(&progress.bar);
    mn_checkpointer_free(&cp);
    return rc;
}
