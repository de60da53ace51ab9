#include "mnsim/render.h"
int mn_report_write_html(const mn_results *r, const mn_scenario *sc, const char *dir, mn_error *err)
{
    (void)r;
    (void)sc;
    (void)dir;
    (void)err;
    return 0;
}
