/* The set of files a run writes (report.h). */
#include "mnsim/io.h"
#include "mnsim/render.h"
#include "mnsim/report.h"

int mn_report_write_run(const mn_results *r, const mn_scenario *sc, const char *dir, mn_error *err)
{
    if (!r || !sc || !dir)
        return mn_error_set(err, MN_EINVAL, "mn_report_write_run: NULL argument");
    int rc = mn_mkdir_p(dir, err);
    if (!rc)
        rc = mn_results_write_json(r, sc, dir, err);
    if (!rc)
        rc = mn_results_write_csv(r, dir, err);
    if (!rc && sc->output.images)
        rc = mn_report_write_timecourse_svg(r, sc, dir, err);
    /* Surface pictures and height maps, then the page that embeds them. */
    if (!rc && sc->output.images)
        rc = mn_render_write_images(r, sc, dir, err);
    if (!rc && sc->output.images)
        rc = mn_report_write_html(r, sc, dir, err);
    return rc;
}
