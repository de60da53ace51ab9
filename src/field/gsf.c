/* Gwyddion Simple Field (.gsf) reader and writer; format described in mnsim/field.h. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field/field_impl.h"
#include "mnsim/field.h"
#include "mnsim/io.h"

static const char gsf_magic[] = "Gwyddion Simple Field 1.0\n";
#define GSF_MAX_HEADER 65536u

typedef struct gsf_header {
    long xres, yres;
    double xreal, yreal, xy_scale, z_scale;
    int have_xres, have_yres, have_zunits, intensity;
} gsf_header;

static int parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end)
        return -1;
    *out = v;
    return 0;
}

static int parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* Parses one "Key = Value" line (already NUL-terminated, trimmed of its newline). */
static int parse_line(char *line, int lineno, gsf_header *h, const char *name, mn_error *err)
{
    char *eq = strchr(line, '=');
    if (!eq) {
        for (char *p = line; *p; ++p)
            if (!isspace((unsigned char)*p))
                return mn_error_set(err, MN_EFORMAT, "%s:%d: header line without '='", name,
                                    lineno);
        return MN_OK; /* blank line */
    }
    char *key = line, *val = eq + 1;
    *eq = '\0';
    while (isspace((unsigned char)*key))
        ++key;
    for (char *e = eq; e > key && isspace((unsigned char)e[-1]);)
        *--e = '\0';
    while (isspace((unsigned char)*val))
        ++val;
    for (char *e = val + strlen(val); e > val && isspace((unsigned char)e[-1]);)
        *--e = '\0';
    if (!strcmp(key, "XRes") || !strcmp(key, "YRes")) {
        long v;
        if (parse_long(val, &v) || v <= 0 || v > (long)MN_FIELD_MAX_RES)
            return mn_error_set(err, MN_EFORMAT,
                                "%s:%d: %s = '%s' is not a pixel count from 1 to %u", name, lineno,
                                key, val, MN_FIELD_MAX_RES);
        if (key[0] == 'X') {
            h->xres = v;
            h->have_xres = 1;
        } else {
            h->yres = v;
            h->have_yres = 1;
        }
    } else if (!strcmp(key, "XReal") || !strcmp(key, "YReal")) {
        double v;
        if (parse_double(val, &v) || v <= 0)
            return mn_error_set(err, MN_EFORMAT, "%s:%d: %s = '%s' is not a positive length", name,
                                lineno, key, val);
        *(key[0] == 'X' ? &h->xreal : &h->yreal) = v;
    } else if (!strcmp(key, "XYUnits")) {
        if (!(h->xy_scale = mn__field_unit_to_m(val)))
            return mn_error_set(err, MN_EFORMAT, "%s:%d: XYUnits = '%s' is not a length unit", name,
                                lineno, val);
    } else if (!strcmp(key, "ZUnits")) {
        h->have_zunits = 1;
        if (!(h->z_scale = mn__field_unit_to_m(val)))
            return mn_error_set(err, MN_EFORMAT,
                                "%s:%d: ZUnits = '%s' is not a length unit (m, mm, um, nm)", name,
                                lineno, val);
    } else if (!strcmp(key, "mnsim-kind")) {
        if (!strcmp(val, "intensity"))
            h->intensity = 1;
        else if (strcmp(val, "height"))
            return mn_error_set(err, MN_EFORMAT, "%s:%d: mnsim-kind = '%s' (height|intensity)",
                                name, lineno, val);
    }
    return MN_OK;
}

int mn_field_read_gsf_memory(const void *data, size_t size, const char *name, mn_field **out,
                             mn_error *err)
{
    int rc = mn__field_begin("mn_field_read_gsf_memory", data, size, &name, out, err);
    if (rc)
        return rc;
    const unsigned char *buf = data;
    size_t mlen = sizeof gsf_magic - 1;
    if (size < mlen || memcmp(buf, gsf_magic, mlen))
        return mn_error_set(err, MN_EFORMAT,
                            "%s: not a Gwyddion Simple Field (missing 'Gwyddion Simple Field 1.0' "
                            "header)",
                            name);
    const unsigned char *nul = memchr(buf, '\0', size < GSF_MAX_HEADER ? size : GSF_MAX_HEADER);
    if (!nul)
        return mn_error_set(err, MN_EFORMAT,
                            size < GSF_MAX_HEADER ? "%s: truncated: header has no NUL padding"
                                                  : "%s: header longer than 64 KiB",
                            name);
    size_t hlen = (size_t)(nul - buf);
    size_t offset = hlen + (4 - hlen % 4); /* one to four NULs up to a multiple of 4 */
    if (offset > size)
        return mn_error_set(err, MN_EFORMAT, "%s: truncated in the header padding", name);
    for (size_t i = hlen; i < offset; ++i)
        if (buf[i])
            return mn_error_set(err, MN_EFORMAT, "%s: bad header padding (non-NUL byte)", name);

    gsf_header h = {.xreal = 1.0, .yreal = 1.0, .xy_scale = 1.0, .z_scale = 1.0};
    char *text = malloc(hlen - mlen + 1);
    if (!text)
        return mn_error_set(err, MN_ENOMEM, "%s: out of memory", name);
    memcpy(text, buf + mlen, hlen - mlen);
    text[hlen - mlen] = '\0';
    int lineno = 1;
    for (char *line = text; line && !rc;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        ++lineno;
        rc = parse_line(line, lineno, &h, name, err);
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    if (rc)
        return rc;
    if (!h.have_xres || !h.have_yres)
        return mn_error_set(err, MN_EFORMAT, "%s: header lacks %s", name,
                            h.have_xres ? "YRes" : "XRes");
    rc = mn_field_check_size((size_t)h.xres, (size_t)h.yres, 0, name, err);
    if (rc)
        return rc;
    size_t n = (size_t)h.xres * (size_t)h.yres;
    if (size - offset != 4 * n)
        return mn_error_set(err, MN_EFORMAT,
                            "%s: %s: %ld x %ld float32 values need %zu data bytes, file has %zu",
                            name, size - offset < 4 * n ? "truncated" : "trailing bytes", h.xres,
                            h.yres, 4 * n, size - offset);
    double xreal = h.xreal * h.xy_scale, yreal = h.yreal * h.xy_scale;
    if (!(isfinite(xreal) && isfinite(yreal) && xreal > 0 && yreal > 0))
        return mn_error_set(err, MN_EFORMAT, "%s: XReal/YReal out of range", name);
    mn_field *f;
    rc = mn_field_create(&f, (size_t)h.xres, (size_t)h.yres, xreal, yreal,
                         h.intensity ? MN_FIELD_INTENSITY : MN_FIELD_HEIGHT, err);
    if (rc)
        return mn_error_set(err, rc, "%s: %s", name, mn_strerror(rc));
    rc = mn__field_fill(&f, buf + offset, MN__F32, h.z_scale, name, err);
    if (rc)
        return rc;
    *out = f;
    return MN_OK;
}

int mn_field_read_gsf(const char *path, mn_field **out, mn_error *err)
{
    return mn__field_read_path("mn_field_read_gsf", path, mn_field_read_gsf_memory, out, err);
}

int mn_field_write_gsf(const mn_field *field, const char *path, mn_error *err)
{
    if (!field || !path)
        return mn_error_set(err, MN_EINVAL, "mn_field_write_gsf: NULL argument");
    size_t xres = mn_field_xres(field), yres = mn_field_yres(field);
    const double *z = mn_field_cdata(field);
    for (size_t i = 0; i < xres * yres; ++i)
        if (!isfinite(z[i]) || fabs(z[i]) > 3.4e38)
            return mn_error_set(err, MN_ERANGE, "%s: value %zu does not fit a float32", path, i);
    char header[512];
    int hl = snprintf(header, sizeof header,
                      "%sXRes = %zu\nYRes = %zu\nXReal = %.17g\nYReal = %.17g\nXYUnits = m\n%s",
                      gsf_magic, xres, yres, mn_field_xreal_m(field), mn_field_yreal_m(field),
                      mn_field_get_kind(field) == MN_FIELD_INTENSITY ? "mnsim-kind = intensity\n"
                                                                     : "ZUnits = m\n");
    if (hl < 0 || (size_t)hl >= sizeof header - 4)
        return mn_error_set(err, MN_EINVAL, "%s: header too long", path);
    size_t pad = 4 - (size_t)hl % 4;
    memset(header + hl, 0, pad);
    mn_atomic_file *af;
    int rc = mn_atomic_open(path, &af, err);
    if (rc)
        return rc;
    FILE *fp = mn_atomic_stream(af);
    fwrite(header, 1, (size_t)hl + pad, fp);
    unsigned char row[4 * 1024];
    for (size_t i = 0; i < xres * yres;) {
        size_t k = 0;
        for (; k < sizeof row / 4 && i < xres * yres; ++k, ++i) {
            float f = (float)z[i];
            uint32_t u;
            memcpy(&u, &f, sizeof u);
            row[4 * k] = (unsigned char)(u & 0xff);
            row[4 * k + 1] = (unsigned char)(u >> 8 & 0xff);
            row[4 * k + 2] = (unsigned char)(u >> 16 & 0xff);
            row[4 * k + 3] = (unsigned char)(u >> 24 & 0xff);
        }
        fwrite(row, 4, k, fp);
    }
    return mn_atomic_commit(&af, err);
}
