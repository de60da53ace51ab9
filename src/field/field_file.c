#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "field/field_impl.h"
#include "mnsim/field.h"

double mn__field_unit_to_m(const char *u)
{
    static const struct {
        const char *name;
        double scale;
    } units[] = {{"m", 1.0},      {"mm", 1e-3},       {"um", 1e-6}, {"\xc2\xb5m", 1e-6},
                 {"\xb5m", 1e-6}, {"micron", 1e-6},   {"nm", 1e-9}, {"pm", 1e-12},
                 {"km", 1e3},     {"\xce\xbcm", 1e-6}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; ++i)
        if (!strcmp(u, units[i].name))
            return units[i].scale;
    return 0.0;
}

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

int mn__field_read_path(const char *fn, const char *path, mn__field_memory_reader read,
                        mn_field **out, mn_error *err)
{
    if (!path || !out)
        return mn_error_set(err, MN_EINVAL, "%s: NULL argument", fn);
    *out = NULL;
    unsigned char *buf;
    size_t size;
    int rc = mn_field_read_file(path, &buf, &size, err);
    if (rc)
        return rc;
    rc = read(buf, size, path, out, err);
    free(buf);
    return rc;
}

size_t mn__sample_size(mn__sample t)
{
    static const size_t size[] = {1, 2, 4, 1, 2, 4, 4, 8};
    return size[t];
}

static double load_sample(const unsigned char *p, mn__sample t)
{
    switch (t) {
    case MN__U8:
        return p[0];
    case MN__U16:
        return mn__load_u16le(p);
    case MN__U32:
        return mn__load_u32le(p);
    case MN__I8:
        return (int8_t)p[0];
    case MN__I16:
        return (int16_t)mn__load_u16le(p);
    case MN__I32:
        return (int32_t)mn__load_u32le(p);
    case MN__F32:
        return mn__load_f32le(p);
    default:
        return mn__load_f64le(p);
    }
}

int mn__field_scale(mn_field **f, double scale, const char *name, mn_error *err)
{
    size_t xres = mn_field_xres(*f), n = xres * mn_field_yres(*f);
    double *z = mn_field_data(*f);
    for (size_t i = 0; i < n; ++i) {
        z[i] *= scale;
        if (!isfinite(z[i])) {
            mn_field_free(f);
            return mn_error_set(err, MN_EFORMAT, "%s: value at row %zu, column %zu is not finite",
                                name, i / xres, i % xres);
        }
    }
    return MN_OK;
}

int mn__field_fill(mn_field **f, const unsigned char *p, mn__sample t, double scale,
                   const char *name, mn_error *err)
{
    size_t n = mn_field_xres(*f) * mn_field_yres(*f), vs = mn__sample_size(t);
    double *z = mn_field_data(*f);
    for (size_t i = 0; i < n; ++i)
        z[i] = load_sample(p + vs * i, t);
    return mn__field_scale(f, scale, name, err);
}

int mn__field_begin(const char *fn, const void *data, size_t size, const char **name,
                    mn_field **out, mn_error *err)
{
    if (!out || (!data && size))
        return mn_error_set(err, MN_EINVAL, "%s: NULL argument", fn);
    *out = NULL;
    if (!*name)
        *name = "<memory>";
    return MN_OK;
}
