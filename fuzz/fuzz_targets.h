/* The reader entry points the fuzz harnesses (fuzz_inputs.c, fuzz_reader.c) and the corpus
 * replay test (tests/test_fuzz_corpus.c) share: each takes an input as bytes, gives it to the
 * library's public reader as a user would (a string, or a file in a private temporary
 * directory), and returns the reader's code with its message in *err. docs/reliability.md. */
#ifndef MNSIM_FUZZ_TARGETS_H
#define MNSIM_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

#include "mnsim/error.h"

typedef int (*mn_fuzz_fn)(const uint8_t *data, size_t size, mn_error *err);

typedef struct mn_fuzz_target {
    const char *name; /* fuzz/corpus/<name>/ holds its seeds */
    mn_fuzz_fn fn;
} mn_fuzz_target;

/* A scenario YAML (mn_scenario_load_string). */
int mn_fuzz_scenario(const uint8_t *data, size_t size, mn_error *err);
/* One `--set` assignment a line (mn_scenario_from_text with no file, as `mnsim run --set`). */
int mn_fuzz_set(const uint8_t *data, size_t size, mn_error *err);
/* A params file (mn_params_load_file). */
int mn_fuzz_params(const uint8_t *data, size_t size, mn_error *err);
/* A study file (mn_study_set_add_file). */
int mn_fuzz_study(const uint8_t *data, size_t size, mn_error *err);
/* A checkpoint, its trailing CRC-32 recomputed so the fields behind it are reached
 * (mn_simulate_checkpoint_load; a short column run that loads is resumed to its end). */
int mn_fuzz_checkpoint(const uint8_t *data, size_t size, mn_error *err);
/* A cohort journal of the fixed cohort mn_fuzz_journal_scenario, every whole record's CRC
 * recomputed (mn_cohort_create with resume). */
int mn_fuzz_journal(const uint8_t *data, size_t size, mn_error *err);
/* A PNG, its chunk CRCs recomputed (mn_measure_read_memory as PNG, the colour reader). */
int mn_fuzz_pngcrc(const uint8_t *data, size_t size, mn_error *err);
/* The measure readers, one format each (gsf csv png jpeg gwy sdf). */
int mn_fuzz_measure(int format, const uint8_t *data, size_t size, mn_error *err);

/* The scenario of the journal target (its cohort: 12 patients, a 3-week course). */
extern const char mn_fuzz_journal_scenario[];

/* Every target above, the measure formats by name; NULL-terminated. */
extern const mn_fuzz_target mn_fuzz_targets[];

#endif
