/* The studies' directory is the command's policy, not the library's: the library reads the
 * directory it is given (mn_study_set_add_dir). */
#define _XOPEN_SOURCE 700 /* readlink, realpath */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/studies_dir.h"

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
