/* The output of a run before it runs (mn_report_estimate_run). Per-unit sizes measured on this
 * code (docs/reliability.md): a sample costs 510 bytes of results.json, 205 of timeseries.csv
 * and 85 of report.html's time course (a default run with 5,710 samples: 2.88 MB, 1.15 MB,
 * +0.39 MB), 920 in all with room to spare (the 1.18 M-sample run wrote 1.08 GB); a
 * predictive band adds its lower and upper values; the pictures, height maps and report page
 * of the default 20 mm surface are 13.5 MB; a 3-D snapshot (.vti) 9 float arrays a voxel,
 * base64-encoded (48 bytes). */
#include <string.h>

#include "mnsim/report.h"

#define MN__EST_SAMPLE_OUT 920.0
#define MN__EST_BAND_OUT 720.0
#define MN__EST_IMAGES_OUT (16.0 * 1024 * 1024)
#define MN__EST_VTI_VOXEL 48.0

int mn_report_estimate_run(const mn_scenario *sc, const mn_params *p, int snapshots,
                           mn_estimate *out, mn_error *err)
{
    int rc = mn_simulate_estimate_model(sc, p, out, err);
    if (rc)
        return rc;
    double per = MN__EST_SAMPLE_OUT + (sc->simulate.uncertainty > 0 ? MN__EST_BAND_OUT : 0);
    out->output_bytes = out->samples * per;
    if (sc->output.images)
        out->output_bytes += MN__EST_IMAGES_OUT;
    /* 3-D: the snapshot after the first session and the last day's, and the asked ones. */
    if (out->voxels > 0 && sc->output.images)
        out->output_bytes +=
            (2.0 + (snapshots > 0 ? snapshots : 0)) * out->voxels * MN__EST_VTI_VOXEL;
    return MN_OK;
}
