/* The studies' directory is the command's policy, not the library's: the library reads the
 * directory it is given (mn_study_set_add_dir). */
#define _XOPEN_SOURCE 700 /* readlink, realpath */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/studies_dir.h"
#include "mnsim/study.h"

/* The directory of the running executable (resolved, no trailing slash), or "" when unknown. */
static void exe_dir(char *buf, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    if (n <= 0 || (size_t)n >= size - 1) {
        buf[0] = '\0';
        return;
    }
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash)
        *slash = '\0';
    else
        buf[0] = '\0';
}

const char *mn_cli_studies_dir(void)
{
    static char dir[PATH_MAX + 64];
    const char *env = getenv("MNSIM_STUDIES");
    if (env && env[0])
        return env;
    char exe[PATH_MAX];
    exe_dir(exe, sizeof exe);
#if defined(MNSIM_BUILD_DIR) && defined(MNSIM_SOURCE_DATA_DIR)
    char build[PATH_MAX];
    if (exe[0] && realpath(MNSIM_BUILD_DIR, build) && !strcmp(build, exe))
        return MNSIM_SOURCE_DATA_DIR "/studies";
#endif
    if (!exe[0])
        return MNSIM_STUDIES_RELATIVE;
    snprintf(dir, sizeof dir, "%s/%s", exe, MNSIM_STUDIES_RELATIVE);
    return dir;
}

const char *mn_cli_posterior_file(void)
{
    static char path[PATH_MAX + 96];
    const char *env = getenv("MNSIM_POSTERIOR");
    if (env && env[0])
        return env;
    const char *studies = mn_cli_studies_dir();
    const char *slash = strrchr(studies, '/');
    if (!slash)
        return "posterior.json";
    snprintf(path, sizeof path, "%.*s/posterior.json", (int)(slash - studies), studies);
    return path;
}

int mn_cli_studies_load(struct mn_study_set *set, const struct mn_cli_list *inputs,
                        struct mn_error *err)
{
    if (inputs->count == 0)
        return mn_study_set_add_dir(set, mn_cli_studies_dir(), err);
    for (int i = 0; i < inputs->count; ++i) {
        struct stat sb;
        int rc = (stat(inputs->items[i], &sb) == 0 && S_ISDIR(sb.st_mode))
                     ? mn_study_set_add_dir(set, inputs->items[i], err)
                     : mn_study_set_add_file(set, inputs->items[i], err);
        if (rc)
            return rc;
    }
    return MN_OK;
}

int mn_cli_check_names(const struct mn_study_set *set, const struct mn_cli_list *params,
                       const struct mn_cli_list *targets, struct mn_error *err)
{
    for (int i = 0; i < params->count; ++i)
        if (!mn_params_find(params->items[i]))
            return mn_error_set(err, MN_EINVAL, "--param %s: unknown parameter (mnsim params)",
                                params->items[i]);
    for (int i = 0; i < targets->count; ++i)
        if (!mn_study_set_find(set, targets->items[i], NULL))
            return mn_error_set(err, MN_EINVAL, "--target %s: no such endpoint in the studies",
                                targets->items[i]);
    return MN_OK;
}
