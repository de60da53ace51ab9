/* The files a run wrote into its output directory, for its "Wrote DIR/: ..." line (cli.h).
 *
 * The directory is read before and after the run, and a file counts when it is new or was
 * replaced. Every writer of a run replaces its file atomically (a new file renamed over the
 * old), so a rewritten file has another inode and modification time; a file left there by an
 * earlier run (a .vti of a day not asked for this time, an old checkpoint) is not claimed.
 * Reading the directory, rather than each writer reporting, keeps the list true whatever the
 * library writes, with no change to its interfaces. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

typedef struct file_state {
    char *name;
    dev_t dev;
    ino_t ino;
    struct timespec mtime;
    off_t size;
} file_state;

struct mn_cli_dir_state {
    file_state *files;
    size_t count;
};

void mn_cli_dir_state_free(mn_cli_dir_state **s)
{
    if (!s || !*s)
        return;
    for (size_t i = 0; i < (*s)->count; ++i)
        free((*s)->files[i].name);
    free((*s)->files);
    free(*s);
    *s = NULL;
}

int mn_cli_dir_state_read(const char *dir, mn_cli_dir_state **out)
{
    mn_cli_dir_state *s = calloc(1, sizeof *s);
    *out = s;
    if (!s)
        return -1;
    DIR *d = opendir(dir);
    if (!d)
        return 0; /* not there yet: every file in it will be new */
    size_t cap = 0;
    int rc = 0;
    char path[4096];
    for (struct dirent *e; !rc && (e = readdir(d));) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (lstat(path, &st) || !S_ISREG(st.st_mode))
            continue;
        if (s->count == cap) {
            cap = cap ? 2 * cap : 32;
            file_state *f = realloc(s->files, cap * sizeof *f);
            if (!f) {
                rc = -1;
                break;
            }
            s->files = f;
        }
        char *name = strdup(e->d_name);
        if (!name) {
            rc = -1;
            break;
        }
        s->files[s->count++] = (file_state){.name = name,
                                            .dev = st.st_dev,
                                            .ino = st.st_ino,
                                            .mtime = st.st_mtim,
                                            .size = st.st_size};
    }
    closedir(d);
    return rc;
}

static const file_state *find(const mn_cli_dir_state *s, const char *name)
{
    for (size_t i = 0; s && i < s->count; ++i)
        if (!strcmp(s->files[i].name, name))
            return &s->files[i];
    return NULL;
}

static int changed(const file_state *was, const file_state *now)
{
    return !was || was->dev != now->dev || was->ino != now->ino || was->size != now->size ||
           was->mtime.tv_sec != now->mtime.tv_sec || was->mtime.tv_nsec != now->mtime.tv_nsec;
}

/* The order of the line: the main results first, then pictures and snapshots as a run makes
 * them, the checkpoint last; a name not listed here (a file of a newer writer) goes before the
 * checkpoint, by name. "*" ends a prefix. */
static const char *const order[] = {"results.json",
                                    "timeseries.csv",
                                    "timecourse.svg",
                                    "before.png",
                                    "day1.png",
                                    "after.png",
                                    "before_after.png",
                                    "likely_range.png",
                                    "before.gsf",
                                    "after.gsf",
                                    "report.html",
                                    "histology_before.png",
                                    "histology_after.png",
                                    "puncture_map.png",
                                    "patch_day*",
                                    "",
                                    "checkpoint.mnck"};

static size_t rank(const char *name)
{
    const size_t n = sizeof order / sizeof order[0];
    size_t other = n;
    for (size_t i = 0; i < n; ++i) {
        const size_t len = strlen(order[i]);
        if (len == 0)
            other = i;
        else if (order[i][len - 1] == '*' ? !strncmp(name, order[i], len - 1)
                                          : !strcmp(name, order[i]))
            return i;
    }
    return other;
}

/* Names with numbers compared by value: patch_day7.vti before patch_day28.vti. */
static int natural_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            char *ea, *eb;
            const double x = strtod(a, &ea), y = strtod(b, &eb);
            if (x != y)
                return x < y ? -1 : 1;
            a = ea;
            b = eb;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        ++a, ++b;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

static int by_order(const void *pa, const void *pb)
{
    const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
    const size_t ra = rank(a), rb = rank(b);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    const int c = natural_cmp(a, b);
    return c ? c : strcmp(a, b);
}

void mn_cli_print_written(FILE *out, const char *dir, const mn_cli_dir_state *before)
{
    mn_cli_dir_state *after = NULL;
    const char **names = NULL;
    size_t n = 0;
    if (!mn_cli_dir_state_read(dir, &after) && after->count)
        names = malloc(after->count * sizeof *names);
    for (size_t i = 0; names && i < after->count; ++i)
        if (changed(find(before, after->files[i].name), &after->files[i]))
            names[n++] = after->files[i].name;
    fprintf(out, "Wrote %s/", dir);
    if (n) {
        qsort(names, n, sizeof *names, by_order);
        for (size_t i = 0; i < n; ++i)
            fprintf(out, "%s%s", i ? ", " : ": ", names[i]);
    }
    fputc('\n', out);
    free(names);
    mn_cli_dir_state_free(&after);
}
