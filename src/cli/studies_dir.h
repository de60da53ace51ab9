/* Where the `validate` and `fit` commands find the shipped studies (studies_dir.c). */
#ifndef MN_CLI_STUDIES_DIR_H
#define MN_CLI_STUDIES_DIR_H

/* $MNSIM_STUDIES when set; else, for the build tree's own executable, the source tree's
 * data/studies; else <directory of the executable>/../share/mnsim/studies (the installed
 * data). Never NULL; the directory may not exist (the reader then names it). */
const char *mn_cli_studies_dir(void);

/* The committed posterior of the model parameters (`mnsim calibrate`, data/posterior.json):
 * $MNSIM_POSTERIOR when set, else posterior.json beside the studies' directory. */
const char *mn_cli_posterior_file(void);

struct mn_study_set;
struct mn_cli_list;
/* Adds the studies named on the command line (files or directories), or the shipped ones when
 * none is named. */
int mn_cli_studies_load(struct mn_study_set *set, const struct mn_cli_list *inputs,
                        struct mn_error *err);

/* --param NAME and --target ID checks of `fit` and `calibrate`: MN_EINVAL naming the first
 * unknown parameter or endpoint. */
int mn_cli_check_names(const struct mn_study_set *set, const struct mn_cli_list *params,
                       const struct mn_cli_list *targets, struct mn_error *err);

#endif
