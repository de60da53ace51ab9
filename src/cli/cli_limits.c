/* The resource check before a run (docs/reliability.md, Resource limits): the library's
 * estimate (mn_estimate) against 60 % of the memory available and a 512 MiB output limit;
 * beyond either the command is refused (exit 2) unless --allow-large. MNSIM_MEMORY_AVAILABLE
 * and MNSIM_OUTPUT_LIMIT (bytes, or with a K, M or G suffix: KiB, MiB, GiB) replace the
 * machine's figure and the limit, so the refusal can be tested cheaply. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "mnsim/simulate.h"

#define MN__MEMORY_SHARE 0.6
#define MN__OUTPUT_LIMIT (512.0 * 1024 * 1024)

/* A size "N", "NK", "NM" or "NG" (binary units) > 0; -1 when it is not one. */
static double parse_size(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || !isfinite(v) || v <= 0)
        return -1;
    double unit = 1;
    if (*end == 'K' || *end == 'k')
        unit = 1024.0, ++end;
    else if (*end == 'M' || *end == 'm')
        unit = 1024.0 * 1024, ++end;
    else if (*end == 'G' || *end == 'g')
        unit = 1024.0 * 1024 * 1024, ++end;
    return *end ? -1 : v * unit;
}

/* The environment's value of name, 0 when unset, -1 (after a message) when not a size. */
static double env_size(const char *cmd, const char *name)
{
    const char *s = getenv(name);
    if (!s || !*s)
        return 0;
    double v = parse_size(s);
    if (v < 0)
        fprintf(stderr, "mnsim %s: %s=%s: expected a size in bytes > 0 (or with K, M, G)\n", cmd,
                name, s);
    return v;
}

/* MemAvailable of /proc/meminfo, and the cgroup's limit when lower; 0 when unknown. */
static double memory_available(void)
{
    double avail = 0;
    FILE *f = fopen("/proc/meminfo", "r");
    if (f) {
        char line[256];
        unsigned long long kb;
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
                avail = (double)kb * 1024.0;
        fclose(f);
    }
    f = fopen("/sys/fs/cgroup/memory.max", "r");
    if (f) {
        unsigned long long max;
        if (fscanf(f, "%llu", &max) == 1 && (avail == 0 || (double)max < avail))
            avail = (double)max;
        fclose(f);
    }
    return avail;
}

static const char *human(double bytes, char *buf, size_t size)
{
    if (bytes >= 1024.0 * 1024 * 1024)
        snprintf(buf, size, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    else if (bytes >= 1024.0 * 1024)
        snprintf(buf, size, "%.0f MiB", ceil(bytes / (1024.0 * 1024)));
    else
        snprintf(buf, size, "%.0f KiB", ceil(bytes / 1024.0));
    return buf;
}

int mn_cli_check_resources(const char *cmd, const mn_estimate *e, const char *dir, const char *hint,
                           int allow_large)
{
    double avail = env_size(cmd, "MNSIM_MEMORY_AVAILABLE");
    double limit = env_size(cmd, "MNSIM_OUTPUT_LIMIT");
    if (avail < 0 || limit < 0)
        return MN_EXIT_BAD_INPUT;
    if (avail == 0)
        avail = memory_available();
    if (limit == 0)
        limit = MN__OUTPUT_LIMIT;
    char a[32], b[32], c[32];
    if (avail > 0 && e->memory_bytes > MN__MEMORY_SHARE * avail) {
        if (!allow_large) {
            fprintf(stderr,
                    "mnsim %s: this would need about %s of memory, more than 60 %% of the %s "
                    "available (%s): %s, or --allow-large to run it anyway\n",
                    cmd, human(e->memory_bytes, a, sizeof a), human(avail, b, sizeof b),
                    human(MN__MEMORY_SHARE * avail, c, sizeof c), hint);
            return MN_EXIT_BAD_INPUT;
        }
        fprintf(stderr, "mnsim %s: warning: about %s of memory (--allow-large)\n", cmd,
                human(e->memory_bytes, a, sizeof a));
    }
    if (e->output_bytes > limit) {
        if (!allow_large) {
            fprintf(stderr,
                    "mnsim %s: this would write about %s into %s, more than the %s limit: %s, "
                    "or --allow-large to write it anyway\n",
                    cmd, human(e->output_bytes, a, sizeof a), dir, human(limit, b, sizeof b), hint);
            return MN_EXIT_BAD_INPUT;
        }
        fprintf(stderr, "mnsim %s: warning: about %s of output (--allow-large)\n", cmd,
                human(e->output_bytes, a, sizeof a));
    }
    return MN_EXIT_OK;
}
