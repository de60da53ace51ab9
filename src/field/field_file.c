#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mnsim/field.h"

int mn_field_read_file(const char *path, unsigned char **data, size_t *size, mn_error *err)
{
    *data = NULL;
    *size = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return mn_error_set(err, MN_EIO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(fp);
        return mn_error_set(err, MN_EIO, "%s: not a regular file", path);
    }
    if ((unsigned long long)st.st_size > MN_FIELD_MAX_FILE_BYTES) {
        fclose(fp);
        return mn_error_set(err, MN_ERANGE, "%s: file of %lld bytes is too large (at most %zu)",
                            path, (long long)st.st_size, MN_FIELD_MAX_FILE_BYTES);
    }
    size_t n = (size_t)st.st_size;
    unsigned char *buf = malloc(n + 1);
    if (!buf) {
        fclose(fp);
        return mn_error_set(err, MN_ENOMEM, "%s: out of memory", path);
    }
    size_t got = fread(buf, 1, n, fp);
    int bad = ferror(fp);
    fclose(fp);
    if (bad || got != n) {
        free(buf);
        return mn_error_set(err, MN_EIO, "%s: read error", path);
    }
    buf[n] = '\0';
    *data = buf;
    *size = n;
    return MN_OK;
}
