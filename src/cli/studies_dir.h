/* Where the `validate` and `fit` commands find the shipped studies (studies_dir.c). */
#ifndef MN_CLI_STUDIES_DIR_H
#define MN_CLI_STUDIES_DIR_H

/* $MNSIM_STUDIES when set; else, for the build tree's own executable, the source tree's
 * data/studies; else <directory of the executable>/../share/mnsim/studies (the installed
 * data). Never NULL; the directory may not exist (the reader then names it). */
const char *mn_cli_studies_dir(void);

#endif
