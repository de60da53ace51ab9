/* The 3-D patch's pictures and snapshots during a run, as an observer of the stepper
 * (render.h): histology before and after, the puncture map, and .vti files right after the
 * first session, on chosen days and at the end (docs/3d.md §Pictures). Nothing happens for
 * other models. */
#include <math.h>
#include <stdio.h>

#include "mnsim/io.h"
#include "mnsim/render.h"

static int out_path(const mn_render3d_observer *o, char *buf, size_t size, const char *name,
                    mn_error *err)
{
    int rc = mn_mkdir_p(o->dir, err);
    return rc ? rc : mn_path_join(buf, size, o->dir, name, err);
}

static int write_vti(const mn_render3d_observer *o, const mn_patch3d *patch, double day,
                     mn_error *err)
{
    char name[64], path[MN_PATH_MAX + 64];
    snprintf(name, sizeof name, "patch_day%g.vti", day);
    int rc = out_path(o, path, sizeof path, name, err);
    return rc ? rc : mn_patch3d_write_vti(patch, path, day, err);
}

/* The day of the snapshot taken right after the first session, or NaN when there is none. */
static double first_session_day(const mn_render3d_observer *o, mn_sim *sim)
{
    const mn_scenario *sc = mn_sim_scenario(sim);
    if (!o->first_session_vti || sc->treatment.session_count < 1)
        return NAN;
    return mn_scenario_session_hour(sc, 0) / 24.0;
}

/* Whether `day` was (or will be) written by another rule than the one asking. */
static int first_session_wrote(const mn_render3d_observer *o, mn_sim *sim, double day)
{
    return fabs(first_session_day(o, sim) - day) < 1e-9; /* false for NaN */
}

static int on_start(void *user, mn_sim *sim, mn_error *err)
{
    mn_render3d_observer *o = user;
    const mn_patch3d *patch = mn_patch3d_of(mn_sim_model(sim));
    o->next_vti = 0;
    if (!patch)
        return MN_OK;
    if (mn_sim_resumed(sim)) {
        /* The days before the checkpoint were written by the first part of the run. */
        const double day = mn_sim_time_h(sim) / 24.0;
        while (o->next_vti < o->vti_count && o->vti_days[o->next_vti] <= day + 1e-9)
            ++o->next_vti;
        return MN_OK;
    }
    char path[MN_PATH_MAX + 64];
    int rc = out_path(o, path, sizeof path, "histology_before.png", err);
    return rc ? rc : mn_render_histology(patch, path, "BEFORE TREATMENT", err);
}

/* Right after the first session: the channels just carved (damage is nonzero in them). A
 * resumed run has had its first session before the checkpoint. */
static int on_session(void *user, mn_sim *sim, int session, mn_error *err)
{
    mn_render3d_observer *o = user;
    const mn_patch3d *patch = mn_patch3d_of(mn_sim_model(sim));
    if (!patch || session != 0 || !o->first_session_vti)
        return MN_OK;
    return write_vti(o, patch, mn_sim_time_h(sim) / 24.0, err);
}

static int on_sample(void *user, mn_sim *sim, int sample, double day, mn_error *err)
{
    (void)sample;
    mn_render3d_observer *o = user;
    const mn_patch3d *patch = mn_patch3d_of(mn_sim_model(sim));
    int rc = MN_OK;
    while (!rc && patch && o->next_vti < o->vti_count && o->vti_days[o->next_vti] <= day + 1e-9) {
        if (fabs(o->vti_days[o->next_vti] - day) < 1e-9 && !first_session_wrote(o, sim, day))
            rc = write_vti(o, patch, day, err);
        ++o->next_vti;
    }
    return rc;
}

static int on_finish(void *user, mn_sim *sim, mn_error *err)
{
    mn_render3d_observer *o = user;
    const mn_patch3d *patch = mn_patch3d_of(mn_sim_model(sim));
    if (!patch)
        return MN_OK;
    const double t_day = mn_sim_time_h(sim) / 24.0;
    char path[MN_PATH_MAX + 64];
    int rc = out_path(o, path, sizeof path, "histology_after.png", err);
    if (!rc) {
        char title[64];
        snprintf(title, sizeof title, "DAY %g", t_day);
        rc = mn_render_histology(patch, path, title, err);
    }
    if (!rc)
        rc = out_path(o, path, sizeof path, "puncture_map.png", err);
    const int nsess = mn_sim_scenario(sim)->treatment.session_count;
    const mn_injury *last = mn_sim_injury(sim, nsess - 1);
    if (!rc)
        rc = mn_render_puncture_map(patch, last ? mn_injury_radius_at(last, 0.0) : 0.0, path, err);
    /* The end of follow-up, unless a chosen day already wrote it. */
    int written = 0;
    for (int i = 0; i < o->vti_count; ++i)
        written |= fabs(o->vti_days[i] - t_day) < 1e-9;
    written |= first_session_wrote(o, sim, t_day);
    if (!rc && !written)
        rc = write_vti(o, patch, t_day, err);
    return rc;
}

mn_sim_observer mn_render3d_observer_of(mn_render3d_observer *o)
{
    return (mn_sim_observer){.user = o,
                             .on_start = on_start,
                             .on_session = on_session,
                             .on_sample = on_sample,
                             .on_finish = on_finish};
}
