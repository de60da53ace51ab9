#define _POSIX_C_SOURCE 200809L
#include "mnsim/io.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdint.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct mn_atomic_file {
    FILE *stream;
    char *target;
    char *temp;
};

int mn_atomic_open(const char *path, mn_atomic_file **out, mn_error *err)
{
    if (!path || !out)
        return mn_error_set(err, MN_EINVAL, "mn_atomic_open: NULL argument");
    *out = NULL;
    mn_atomic_file *f = calloc(1, sizeof *f);
    size_t n = strlen(path);
    if (!f || !(f->target = strdup(path)) || !(f->temp = malloc(n + 16))) {
        if (f) {
            free(f->target);
            free(f);
        }
        return mn_error_set(err, MN_ENOMEM, "%s: out of memory", path);
    }
    /* A temporary name beside the target, created exclusively with mode 0666 so the process
     * umask applies by itself (mkstemp's 0600 would need the umask read back, and umask() can
     * only be read by setting it, a race with other threads creating files). */
    int fd = -1, e = EEXIST;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ (uint64_t)(uintptr_t)f ^
                 ((uint64_t)getpid() << 40);
    for (int attempt = 0; fd < 0 && e == EEXIST && attempt < 100; ++attempt) {
        x = x * 6364136223846793005ull + 1442695040888963407ull; /* Knuth's MMIX LCG */
        snprintf(f->temp, n + 16, "%s.tmp.%06llx", path,
                 (unsigned long long)((x >> 40) & 0xffffffu));
        fd = open(f->temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        e = fd < 0 ? errno : 0;
    }
    if (fd < 0 || !(f->stream = fdopen(fd, "wb"))) {
        if (fd >= 0) {
            e = errno;
            close(fd);
            unlink(f->temp);
        }
        free(f->temp);
        free(f->target);
        free(f);
        return mn_error_set(err, MN_EIO, "%s: cannot create file: %s", path, strerror(e));
    }
    *out = f;
    return MN_OK;
}

FILE *mn_atomic_stream(mn_atomic_file *file)
{
    return file ? file->stream : NULL;
}

static void atomic_free(mn_atomic_file *f)
{
    free(f->temp);
    free(f->target);
    free(f);
}

int mn_atomic_commit(mn_atomic_file **file, mn_error *err)
{
    if (!file || !*file)
        return mn_error_set(err, MN_EINVAL, "mn_atomic_commit: NULL file");
    mn_atomic_file *f = *file;
    *file = NULL;
    int bad = ferror(f->stream) || fflush(f->stream) != 0 || fsync(fileno(f->stream)) != 0;
    int e = errno;
    if (fclose(f->stream) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad && rename(f->temp, f->target) != 0) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        unlink(f->temp);
        int rc = mn_error_set(err, MN_EIO, "%s: write failed: %s", f->target, strerror(e));
        atomic_free(f);
        return rc;
    }
    atomic_free(f);
    return MN_OK;
}

void mn_atomic_abort(mn_atomic_file **file)
{
    if (!file || !*file)
        return;
    mn_atomic_file *f = *file;
    *file = NULL;
    fclose(f->stream);
    unlink(f->temp);
    atomic_free(f);
}

int mn_atomic_write(const char *path, const void *data, size_t size, mn_error *err)
{
    mn_atomic_file *f = NULL;
    int rc = mn_atomic_open(path, &f, err);
    if (rc)
        return rc;
    if (size && fwrite(data, 1, size, f->stream) != size) {
        mn_atomic_abort(&f);
        return mn_error_set(err, MN_EIO, "%s: write failed", path);
    }
    return mn_atomic_commit(&f, err);
}

struct mn_outdir {
    int fd;
};

/* Whether a file name is a temporary of mn_atomic_open: TARGET.tmp.XXXXXX (6 hex digits). */
static int is_atomic_temp(const char *name)
{
    size_t n = strlen(name);
    if (n < 12 || memcmp(name + n - 11, ".tmp.", 5) != 0)
        return 0;
    for (size_t i = n - 6; i < n; ++i)
        if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
            return 0;
    return 1;
}

int mn_outdir_open(const char *dir, mn_outdir **out, mn_error *err)
{
    if (!dir || !out)
        return mn_error_set(err, MN_EINVAL, "mn_outdir_open: NULL argument");
    *out = NULL;
    int rc = mn_mkdir_p(dir, err);
    if (rc)
        return rc;
    mn_outdir *d = malloc(sizeof *d);
    if (!d)
        return mn_error_set(err, MN_ENOMEM, "%s: out of memory", dir);
    d->fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d->fd < 0) {
        rc = mn_error_set(err, MN_EIO, "%s: cannot open the output directory: %s", dir,
                          strerror(errno));
        free(d);
        return rc;
    }
    if (flock(d->fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        rc = e == EWOULDBLOCK
                 ? mn_error_set(err, MN_EIO, "%s is in use by another mnsim run", dir)
                 : mn_error_set(err, MN_EIO, "%s: cannot lock the output directory: %s", dir,
                                strerror(e));
        mn_outdir_close(&d);
        return rc;
    }
    /* Can files be created here? Found now, not after hours of simulating. */
    char probe[4096];
    rc = mn_path_join(probe, sizeof probe, dir, ".mnsim-write-test.XXXXXX", err);
    int fd = rc ? -1 : mkstemp(probe);
    if (!rc && fd < 0)
        rc = mn_error_set(err, MN_EIO, "%s: cannot write into the output directory: %s", dir,
                          strerror(errno));
    if (fd >= 0) {
        close(fd);
        unlink(probe);
    }
    /* Temporaries of a killed run (no other run can be writing here: the lock is ours). */
    DIR *list = rc ? NULL : opendir(dir);
    for (struct dirent *e; list && (e = readdir(list)) != NULL;)
        if (is_atomic_temp(e->d_name))
            unlinkat(d->fd, e->d_name, 0);
    if (list)
        closedir(list);
    if (rc) {
        mn_outdir_close(&d);
        return rc;
    }
    *out = d;
    return MN_OK;
}

void mn_outdir_close(mn_outdir **d)
{
    if (!d || !*d)
        return;
    if ((*d)->fd >= 0)
        close((*d)->fd); /* releases the lock */
    free(*d);
    *d = NULL;
}

int mn_mkdir_p(const char *path, mn_error *err)
{
    if (!path || !*path)
        return mn_error_set(err, MN_EINVAL, "empty directory name");
    char buf[4096];
    size_t n = strlen(path);
    if (n >= sizeof buf)
        return mn_error_set(err, MN_EINVAL, "%s: path too long", path);
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p; ++p) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return mn_error_set(err, MN_EIO, "%s: cannot create directory: %s", buf,
                                strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return mn_error_set(err, MN_EIO, "%s: cannot create directory: %s", buf, strerror(errno));
    struct stat st;
    if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
        return mn_error_set(err, MN_EIO, "%s: not a directory", buf);
    return MN_OK;
}

int mn_path_join(char *buf, size_t size, const char *dir, const char *name, mn_error *err)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= size)
        return mn_error_set(err, MN_EINVAL, "%s/%s: path too long", dir, name);
    return MN_OK;
}

int mn_atomic_open_in(const char *dir, const char *name, mn_atomic_file **out, mn_error *err)
{
    if (!dir || !name || !out)
        return mn_error_set(err, MN_EINVAL, "mn_atomic_open_in: NULL argument");
    char path[PATH_MAX];
    int rc = mn_path_join(path, sizeof path, dir, name, err);
    return rc ? rc : mn_atomic_open(path, out, err);
}
