/* Resource estimate of a run (mn_simulate_estimate_model): the per-unit costs are measured on
 * this code (Debian 12, x86-64; docs/reliability.md): a default column run peaks at 84 MB with
 * 35 samples and at 92 MB with 5,710 (surface maps, model and libraries included), and the
 * issue's 135-year run with hourly samples (1.18 M samples) at 3.1 GB, about 2.6 kB a sample
 * (results, dermal states, surface records and the JSON text and tree written at the end). A
 * 3-D grid costs at most 64 bytes a voxel (src/patch3d/patch3d.c). */
#include <math.h>
#include <string.h>

#include "mnsim/patient.h"
#include "mnsim/simulate.h"
#include "mnsim/tissue.h"

#define MN__EST_BASE_BYTES (96.0 * 1024 * 1024)
#define MN__EST_SAMPLE_BYTES 2700.0
#define MN__EST_VOXEL_BYTES 64.0

int mn_simulate_estimate_model(const mn_scenario *sc, const mn_params *p, mn_estimate *out,
                               mn_error *err)
{
    if (!out)
        return mn_error_set(err, MN_EINVAL, "mn_simulate_estimate_model: NULL output");
    memset(out, 0, sizeof *out);
    if (!sc || !p)
        return mn_error_set(err, MN_EINVAL, "mn_simulate_estimate_model: NULL argument");
    const double end_h = mn_scenario_end_hour(sc), step_h = sc->output.every_days * 24.0;
    if (!(step_h > 0) || !isfinite(end_h))
        return mn_error_set(err, MN_EINVAL, "mn_simulate_estimate_model: no sample grid");
    /* As the stepper lays it out: every output.every_days from day 0, and the end. */
    out->samples = floor(end_h / step_h + 1e-9) + 2;
    if (sc->simulate.model == MN_MODEL_3D) {
        mn_patient pt;
        mn_tissue *t = NULL;
        int rc = mn_patient_init(&pt, sc, p, err);
        if (!rc)
            rc = mn_tissue_create(&pt, sc->simulate.resolution_um, &t, err);
        if (rc)
            return rc;
        const double n = floor(sc->simulate.patch_mm * 1000.0 / sc->simulate.resolution_um + 0.5);
        out->voxels = n * n * mn_tissue_nz(t);
        mn_tissue_free(&t);
    }
    out->memory_bytes = MN__EST_BASE_BYTES + out->samples * MN__EST_SAMPLE_BYTES +
                        out->voxels * MN__EST_VOXEL_BYTES;
    return MN_OK;
}
