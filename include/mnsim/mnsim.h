/* mnsim, a microneedling simulator: the whole public C API in one include.
 * The chain, bottom up (docs/architecture.md): yaml (the input reader) → scenario → patient,
 * device → tissue → kinetics → models (column, 3-D patch) → simulate → outcome, surface →
 * results → render, report → study, cohort; measure reads real height maps and photos. Every
 * function returns MN_OK or a negative MN_E* code with a message in an mn_error (error.h). */
#ifndef MNSIM_MNSIM_H
#define MNSIM_MNSIM_H

#ifdef __cplusplus
extern "C" {
#endif

#include "mnsim/error.h"
#include "mnsim/io.h"
#include "mnsim/jobs.h"
#include "mnsim/progress.h"
#include "mnsim/rng.h"
#include "mnsim/yaml.h"
#include "mnsim/params.h"
#include "mnsim/field.h"
#include "mnsim/scenario.h"
#include "mnsim/patient.h"
#include "mnsim/device.h"
#include "mnsim/tissue.h"
#include "mnsim/kinetics.h"
#include "mnsim/model.h"
#include "mnsim/column.h"
#include "mnsim/patch3d.h"
#include "mnsim/mechanics.h"
#include "mnsim/surface.h"
#include "mnsim/outcome.h"
#include "mnsim/results.h"
#include "mnsim/simulate.h"
#include "mnsim/measure.h"
#include "mnsim/render.h"
#include "mnsim/report.h"
#include "mnsim/study.h"
#include "mnsim/cohort.h"
#include "mnsim/sweep.h"
#include "mnsim/serve.h"

#ifdef __cplusplus
}
#endif

#endif
